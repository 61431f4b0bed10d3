"""Which recent niche post of an author (or publication) to act on: the freshest, ideally < 48 h old."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from linkscout.core.niche import Niche
from linkscout.outreach.stages import parse_at
from linkscout.store import queue_read

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

    by_author: dict[str, list[NichePost]]
    by_publication: dict[str, list[NichePost]]

    def count_since(self, kind: str, key: str, since: datetime, until: datetime) -> int:
        group = self.by_author if kind == "author" else self.by_publication
        return sum(1 for p in group.get(key, []) if p.published_at and since <= p.published_at <= until)

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
    from linkscout.graph.topics import NicheMatcher  # the niche's one definition of "on topic"

    rows = queue_read.posts(db)
    tags: dict[str, list[str]] = defaultdict(list)
    for pid, tag in queue_read.post_tags(db):
        tags[pid].append(tag)
    matcher = NicheMatcher(niche.niche.keywords, niche.niche.tags)
    all_tags = queue_read.tags(db)
    matches = matcher.match_posts(
        [r[1] for r in rows],
        [r[2] for r in rows],
        [tags.get(r[0], []) for r in rows],
        matcher.niche_tags(all_tags),
    )
    by_author: dict[str, list[NichePost]] = defaultdict(list)
    by_pub: dict[str, list[NichePost]] = defaultdict(list)
    for r, ok in zip(rows, matches.is_niche.tolist(), strict=True):
        if not ok:
            continue
        published = _when(r[6])
        post = NichePost(r[0], r[1], r[3], r[4], r[5], published)
        if r[4]:
            by_author[r[4]].append(post)
        if r[5]:
            by_pub[r[5]].append(post)
    for group in (by_author, by_pub):
        for posts in group.values():
            posts.sort(key=lambda p: (p.published_at is not None, p.published_at), reverse=True)
    return NichePosts(dict(by_author), dict(by_pub))


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return parse_at(text)
    except Exception:  # noqa: BLE001 - an unreadable stored date is unknown, not an error
        return None


def describe_post(post: NichePost, now: datetime) -> str:
    """'"Title" (published 2026-05-01, 20 h ago)' with the 48 h freshness said out loud."""
    title = f'"{post.title}"' if post.title else post.id
    if post.published_at is None:
        return f"{title} (publication date unknown)"
    age = post.age_hours(now) or 0.0
    days = (now.date() - post.published_at.date()).days  # whole calendar days, never rounded hours
    ago = (
        f"{age:.0f} h ago, within {FRESH_HOURS} h"
        if age <= FRESH_HOURS
        else ("yesterday" if days == 1 else f"{days} days ago")
    )
    return f"{title} (published {post.published_at.date()}, {ago})"


def window_start(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)
