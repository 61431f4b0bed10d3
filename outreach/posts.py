"""Which recent niche post of an author (or publication) to act on: the freshest, ideally < 48 h old."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
from sqlite_utils import Database

from linkscout.core.niche import Niche
from linkscout.outreach.stages import parse_at

if TYPE_CHECKING:
    from linkscout.graph.cache import StoreData
    from linkscout.graph.topics import PostMatches

FRESH_HOURS = 48


@dataclass(frozen=True, slots=True)
class NichePost:
    id: str
    title: str | None
    url: str | None
    author: str | None
    publication: str | None
    published_at: datetime | None

    def age_hours(self, now: datetime) -> float | None:
        return None if self.published_at is None else (now - self.published_at).total_seconds() / 3600

    def is_fresh(self, now: datetime) -> bool:
        age = self.age_hours(now)
        return age is not None and age <= FRESH_HOURS


@dataclass(frozen=True)
class NichePosts:
    """Every niche post in the store (responses excluded), newest first, grouped two ways."""

    by_author: Mapping[str, list[NichePost]]
    by_publication: Mapping[str, list[NichePost]]

    def count_since(self, kind: str, key: str, since: datetime, until: datetime) -> int:
        group = self.by_author if kind == "author" else self.by_publication
        if isinstance(group, _Groups):  # counted on the publication times, no post built
            return group.count_between(key, since, until)
        return sum(1 for p in group.get(key, []) if p.published_at and since <= p.published_at <= until)

    def counts_since(self, kind: str, keys: Sequence[str], since: datetime, until: datetime) -> np.ndarray:
        """`count_since` of each of `keys` (the queue's quality bar over every candidate at once)."""
        group = self.by_author if kind == "author" else self.by_publication
        if isinstance(group, _Groups) and group.names is keys:  # one array, no per-key lookup
            return group.window_counts(since, until)
        return np.array([self.count_since(kind, k, since, until) for k in keys], dtype=np.int64)

    def freshest(
        self, kind: str, key: str, now: datetime, *, skip: frozenset[str] = frozenset()
    ) -> NichePost | None:
        """The newest niche post published by `now` whose URL or id is not in `skip` (already commented)."""
        group = self.by_author if kind == "author" else self.by_publication
        for p in group.get(key, []):
            if p.published_at is None or p.published_at > now:
                continue
            if p.id in skip or (p.url and p.url in skip) or any(p.id in s for s in skip):
                continue
            return p
        return None


def load_niche_posts(db: Database, niche: Niche) -> NichePosts:
    """Every niche post (the ranking's own niche-post set: graph/cache.py), by author and publication,
    newest first; equal times keep the store's table order."""
    from linkscout.graph.cache import in_memory, niche_matches, store_data

    data = store_data(db)
    spec = repr(("niche_posts", niche.niche.keywords, niche.niche.tags))
    return in_memory(data, spec, lambda: _group(data, niche_matches(db, niche, data)[1]))


class _Groups(Mapping[str, list[NichePost]]):
    """Niche posts per author (or publication), each list built when first asked for: a command
    that shows 20 prospects parses the dates of their posts, not of every niche post."""

    def __init__(self, data: StoreData, found: np.ndarray, owner: np.ndarray, names: list[str]) -> None:
        has = owner >= 0
        found, owner = found[has], owner[has]
        order = np.argsort(owner, kind="stable")  # grouped by owner, table order kept inside a group
        self._posts = found[order]
        self._ptr = np.concatenate([[0], np.cumsum(np.bincount(owner, minlength=len(names)))])
        self._index = {k: i for i, k in enumerate(names)}
        self._names, self._data = names, data
        self._built: dict[str, list[NichePost]] = {}
        self._times: np.ndarray | None = None  # per post: µs since the epoch (UTC), NO_TIME unknown
        self._windows: dict[tuple[datetime, datetime], np.ndarray] = {}  # (since, until) -> count per name

    @property
    def names(self) -> list[str]:
        """The keys counts are aligned with (the graph's, in its order)."""
        return self._names

    def _span(self, key: str) -> tuple[int, int]:
        i = self._index.get(key)
        return (0, 0) if i is None else (int(self._ptr[i]), int(self._ptr[i + 1]))

    def __getitem__(self, key: str) -> list[NichePost]:
        hit = self._built.get(key)
        if hit is not None:
            return hit
        start, end = self._span(key)
        if start == end:
            raise KeyError(key)
        d = self._data
        g = d.graph
        authors, pubs = g.keys["author"], g.keys["publication"]
        posts = []
        for i in self._posts[start:end].tolist():
            a, b = int(g.post_author[i]), int(g.post_pub[i])
            posts.append(NichePost(g.keys["post"][i], g.post_title[i], d.post_url[i], authors[a] if a >= 0 else None,
                                   pubs[b] if b >= 0 else None, _when(d.post_published[i])))  # fmt: skip
        posts.sort(key=lambda p: (p.published_at is not None, p.published_at), reverse=True)
        self._built[key] = posts
        return posts

    def count_between(self, key: str, since: datetime, until: datetime) -> int:
        """Posts of `key` published in [since, until] (unknown times are not counted)."""
        i = self._index.get(key)
        return 0 if i is None else int(self.window_counts(since, until)[i])

    def window_counts(self, since: datetime, until: datetime) -> np.ndarray:
        """Posts published in [since, until] per name (in `names` order), counted for every name in
        one pass the first time a window is asked for: the queue asks it of every candidate."""
        hit = self._windows.get((since, until))
        if hit is not None:
            return hit
        t = self._data_times()[self._posts]
        inside = (t >= _micros(since)) & (t <= _micros(until))
        owner = np.repeat(np.arange(len(self._names)), np.diff(self._ptr))
        counts = np.bincount(owner[inside], minlength=len(self._names))
        if len(self._windows) > 8:
            self._windows.clear()
        self._windows[(since, until)] = counts
        return counts

    def _data_times(self) -> np.ndarray:
        if self._times is None:
            self._times = _publication_micros(self._data.post_published, self._posts)
        return self._times

    def __iter__(self) -> Iterator[str]:
        counts = np.diff(self._ptr)
        return (self._names[i] for i in np.nonzero(counts)[0].tolist())

    def __len__(self) -> int:
        return int(np.count_nonzero(np.diff(self._ptr)))

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        start, end = self._span(key)
        return end > start


def _group(data: StoreData, matches: PostMatches) -> NichePosts:
    g = data.graph
    found = np.nonzero(matches.is_niche)[0]
    found = found[np.argsort(data.post_rowid[found], kind="stable")]
    return NichePosts(
        _Groups(data, found, g.post_author[found], g.keys["author"]),
        _Groups(data, found, g.post_pub[found], g.keys["publication"]),
    )


NO_TIME = np.iinfo(np.int64).min
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _micros(dt: datetime) -> int:
    return (dt.astimezone(UTC) - _EPOCH) // timedelta(microseconds=1)


def _publication_micros(texts: list[str | None], which: np.ndarray) -> np.ndarray:
    """Publication times of posts `which` as µs since the epoch, exactly as _when reads them: the
    store's usual 'YYYY-MM-DDTHH:MM:SSZ' in one numpy conversion, anything else through parse_at."""
    out = np.full(len(texts), NO_TIME, dtype=np.int64)
    idx = which.tolist()
    plain = [i for i in idx if (t := texts[i]) is not None and len(t) == 20 and t[10] == "T" and t[19] == "Z"]
    if plain:
        try:
            out[plain] = np.array([texts[i][:19] for i in plain], dtype="datetime64[us]").astype(np.int64)
        except ValueError:
            plain = []
    done = set(plain)
    for i in idx:
        if i not in done:
            when = _when(texts[i])
            if when is not None:
                out[i] = _micros(when)
    return out


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return parse_at(text)
    except Exception:  # noqa: BLE001 - an unreadable stored date is unknown, not an error
        return None


def age_text(published_at: datetime, now: datetime) -> str:
    """How long ago, the way every command says it: whole hours inside the 48-hour window ("20 h
    ago"), else whole calendar days ("yesterday", "3 days ago"), never rounded fractions of days."""
    hours = (now - published_at).total_seconds() / 3600
    if hours < 0:
        return f"on {published_at.date()}, after today ({now.date()})"
    if hours <= FRESH_HOURS:
        return "less than 1 h ago" if hours < 0.5 else f"{hours:.0f} h ago"
    days = (now.date() - published_at.date()).days
    return "yesterday" if days == 1 else f"{days} days ago"


def quoted_title(post: NichePost) -> str:
    return f'"{post.title}"' if post.title else post.id


def describe_post(post: NichePost, now: datetime) -> str:
    """'"Title" (published 2026-05-01, 20 h ago)': the title, the day and the age."""
    title = quoted_title(post)
    if post.published_at is None:
        return f"{title} (publication date unknown)"
    return f"{title} (published {post.published_at.date()}, {age_text(post.published_at, now)})"


@dataclass(frozen=True)
class CommentStep:
    """The 48-hour rule, in one place, for `queue` and `next` alike: a comment names a niche post
    published less than 48 hours before now; when the newest one is older, the window has passed and
    the better moment is the author's next post (`linkscout watch` records it when it appears)."""

    handle: str
    post: NichePost | None  # the newest niche post not commented on yet
    now: datetime

    @property
    def open(self) -> bool:
        """A comment is due now: the post is inside the window."""
        return self.post is not None and self.post.is_fresh(self.now)

    @property
    def hours_ago(self) -> float | None:
        return None if self.post is None else self.post.age_hours(self.now)

    def text(self, *, follow: bool = False, url: bool = True) -> str:
        """The step in words, the post's age first. `follow`: the author is not tracked yet, so
        following comes first (it is what `watch` reads); `url`: end an open step with the post's URL."""
        p = self.post
        act = f"follow @{self.handle}, then comment" if follow else "comment"
        if p is not None and p.published_at is not None and self.open:
            where = f": {p.url or p.id}" if url else ""
            return (
                f"Published {age_text(p.published_at, self.now)} ({p.published_at.date()}), inside the "
                f"{FRESH_HOURS}-hour window: {act} on {quoted_title(p)}{where}"
            )
        nxt = (
            f"{act[0].upper()}{act[1:]} on their next niche post within {FRESH_HOURS} h of publishing "
            "(`linkscout watch` finds it)"
        )
        if p is None or p.published_at is None:
            return f"No niche post by @{self.handle} to comment on yet. {nxt}"
        return (
            f"Latest niche post {age_text(p.published_at, self.now)} ({quoted_title(p)}, "
            f"{p.published_at.date()}) — the {FRESH_HOURS}-hour window has passed. {nxt}"
        )


def comment_step(
    posts: NichePosts, handle: str, now: datetime, *, skip: frozenset[str] = frozenset()
) -> CommentStep:
    """What the 48-hour rule says about commenting on `handle`'s posts at `now`."""
    return CommentStep(handle, posts.freshest("author", handle, now, skip=skip), now)


def window_start(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)
