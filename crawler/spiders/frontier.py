"""The crawl frontier: which Medium URL to fetch next, best-first or breadth-first. Pure, no Scrapy.

Best-first spends the page budget where the niche is: every parsed page teaches the frontier which
authors wrote niche posts (tagged with a niche tag, listed on a niche tag page, or with a keyword in
the title) and which publications host them, and a URL's priority follows that evidence. Evidence
keeps arriving after a URL was queued, so priorities are re-read lazily when a URL reaches the top of
the heap (scores only grow, so a stale entry is an underestimate and goes back in).
Breadth-first is the baseline the benchmarks compare against: lowest depth first, then discovery order.

Every URL is canonicalised (tracking such as `source=` dropped) before it is queued, and a post,
profile or publication reached under several URL forms is queued once.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from crawler.records import PageResult
from crawler.urls import UrlInfo, UrlKind, canonicalize, classify


class Strategy(StrEnum):
    BEST = "best"
    BREADTH = "breadth"


@dataclass(frozen=True, slots=True)
class Entry:
    url: str
    priority: float
    depth: int


_TAG_KINDS = {UrlKind.TAG, UrlKind.TAG_RECOMMENDED, UrlKind.TAG_LATEST, UrlKind.FEED_TAG}
_PUB_TAG_KINDS = {UrlKind.PUBLICATION_TAGGED, UrlKind.FEED_PUBLICATION_TAGGED}
_AUTHOR_KINDS = {UrlKind.PROFILE, UrlKind.FEED_USER, UrlKind.PROFILE_ABOUT}
_PUB_KINDS = {UrlKind.PUBLICATION, UrlKind.FEED_PUBLICATION, UrlKind.PUBLICATION_ABOUT}
_SUB_KINDS = {UrlKind.SUBDOMAIN_HOME, UrlKind.FEED_SUBDOMAIN, UrlKind.SUBDOMAIN_ABOUT}
CRAWL_KINDS = frozenset(
    {UrlKind.POST} | _TAG_KINDS | _PUB_TAG_KINDS | _AUTHOR_KINDS | _PUB_KINDS | _SUB_KINDS
)
SEED_PRIORITY = 1000.0


def seed_urls(tags: Iterable[str], publications: Iterable[str]) -> list[str]:
    """Where a niche crawl starts: each tag's recommended page and feed, each publication and its feed."""
    out: list[str] = []
    for tag in tags:
        slug = tag.strip().lower().replace(" ", "-")
        if slug:
            out += [f"https://medium.com/tag/{slug}/recommended", f"https://medium.com/feed/tag/{slug}"]
    for pub in publications:
        pub = pub.strip().strip("/").lower()
        if not pub:
            continue
        if "." in pub:  # a custom domain or x.medium.com
            host = pub.split("://", 1)[-1].split("/", 1)[0]
            out += [f"https://{host}/", f"https://{host}/feed"]
        else:
            out += [f"https://medium.com/{pub}", f"https://medium.com/feed/{pub}"]
    return [canonicalize(u) for u in out]


class Frontier:
    def __init__(
        self,
        *,
        tags: Iterable[str] = (),
        keywords: Iterable[str] = (),
        strategy: Strategy | str = Strategy.BEST,
        max_depth: int = 4,
    ) -> None:
        self.strategy = Strategy(strategy)
        self.max_depth = max_depth
        self.niche_tags = frozenset(t.strip().lower().replace(" ", "-") for t in tags if t.strip())
        self.keywords = tuple(k.strip().lower() for k in keywords if k.strip())
        self._heap: list[tuple[float, int, str]] = []
        self._queued: dict[str, Entry] = {}
        self._seen_ids: set[tuple[str, str]] = set()
        self._seq = itertools.count()
        self.pub_hosts: dict[str, str] = {}  # custom domain / x.medium.com -> publication slug
        # Evidence for best-first.
        self.author_tags: defaultdict[str, set[str]] = defaultdict(set)
        self.author_posts: defaultdict[str, set[str]] = defaultdict(set)
        self.pub_posts: defaultdict[str, set[str]] = defaultdict(set)
        self.post_niche: dict[str, float] = {}
        self.post_author: dict[str, str] = {}
        self.covered_posts: set[str] = set()
        # Which queued URLs each author, publication and post id affects: rescored when evidence changes.
        self._by_key: defaultdict[tuple[str, str], set[str]] = defaultdict(set)

    def __len__(self) -> int:
        return len(self._queued)

    def pending(self) -> list[Entry]:
        return list(self._queued.values())

    # --- adding ---------------------------------------------------------------------------
    def classify(self, url: str) -> UrlInfo:
        return classify(url, publication_hosts=self.pub_hosts)

    def add(
        self, url: str, depth: int, *, priority: float | None = None, force: bool = False
    ) -> Entry | None:
        """Queue `url` (canonicalised) unless it is not worth crawling, too deep, or already known.
        Returns the new entry, so the caller can persist it. `force` skips the worth/depth checks."""
        info = self.classify(url)
        if not force:
            if depth > self.max_depth or info.kind not in CRAWL_KINDS:
                return None
            if info.kind in _PUB_TAG_KINDS and info.tag not in self.niche_tags:
                return None
        key = _identity(info)
        if key in self._seen_ids:
            return None
        self._seen_ids.add(key)
        if priority is None:
            priority = self.priority(info, depth)
        entry = Entry(info.url, priority, depth)
        self._queued[info.url] = entry
        heapq.heappush(self._heap, (-priority, next(self._seq), info.url))
        if self.strategy is Strategy.BEST:
            for k in _evidence_keys(info):
                self._by_key[k].add(info.url)
        return entry

    def add_seeds(self, urls: Iterable[str]) -> list[Entry]:
        added = [self.add(u, 0, priority=SEED_PRIORITY, force=True) for u in urls]
        return [e for e in added if e is not None]

    def expand(self, url: str, depth: int) -> list[Entry]:
        """`url` and the pages that come with it: an author's feed, a publication's feed."""
        found = [self.add(url, depth)]
        info = self.classify(url)
        if info.kind is UrlKind.PROFILE and info.username:
            found.append(self.add(f"https://medium.com/feed/@{info.username}", depth))
        elif info.kind is UrlKind.PUBLICATION and info.publication:
            root = info.url.rstrip("/")
            if root.endswith("/" + info.publication):
                found.append(self.add(f"https://medium.com/feed/{info.publication}", depth))
            else:
                found.append(self.add(root + "/feed", depth))
            found.append(self.add(root + "/about", depth))  # where submission guidelines live
        elif info.kind is UrlKind.SUBDOMAIN_HOME:
            root = info.url.rstrip("/")
            found += [self.add(root + "/feed", depth), self.add(root + "/about", depth)]
        return [e for e in found if e is not None]

    def mark_seen(self, url: str) -> None:
        """A URL already fetched (by this crawl, or under another form): never queue it again."""
        info = self.classify(url)
        self._seen_ids.add(_identity(info))
        self._queued.pop(info.url, None)

    def restore(self, entries: Iterable[Entry]) -> None:
        """Put back entries persisted by an interrupted crawl, with their stored priority and depth."""
        for e in entries:
            self.add(e.url, e.depth, priority=e.priority, force=True)

    # --- taking -----------------------------------------------------------------------------
    def pop(self) -> Entry | None:
        while self._heap:
            neg, _, url = heapq.heappop(self._heap)
            entry = self._queued.get(url)
            if entry is None or -neg != entry.priority:
                continue  # fetched meanwhile, or a superseded heap position
            if self.strategy is Strategy.BEST:
                fresh = self.priority(self.classify(url), entry.depth)
                if fresh > entry.priority + 1e-9 and entry.priority < SEED_PRIORITY:
                    entry = Entry(url, fresh, entry.depth)
                    self._queued[url] = entry
                    heapq.heappush(self._heap, (-fresh, next(self._seq), url))
                    continue
            del self._queued[url]
            return entry
        return None

    # --- learning and scoring -------------------------------------------------------------------
    def learn(self, result: PageResult, page_url: str | None = None) -> None:
        """Take in what a parsed page says about who writes niche posts and where."""
        touched: set[tuple[str, str]] = set()
        self._learn(result, page_url, touched)
        if self.strategy is Strategy.BEST:
            self._rescore(touched)

    def _rescore(self, keys: set[tuple[str, str]]) -> None:
        for key in keys:
            for url in self._by_key.get(key, ()):
                entry = self._queued.get(url)
                if entry is None or entry.priority >= SEED_PRIORITY:
                    continue
                fresh = self.priority(self.classify(url), entry.depth)
                if fresh > entry.priority + 1e-9:
                    self._queued[url] = Entry(url, fresh, entry.depth)
                    heapq.heappush(self._heap, (-fresh, next(self._seq), url))

    def _learn(self, result: PageResult, page_url: str | None, touched: set[tuple[str, str]]) -> None:
        context = self.classify(page_url) if page_url else None
        context_tag = context.tag if context and context.kind in _TAG_KINDS | _PUB_TAG_KINDS else None
        for pub in result.publications:
            if pub.slug and pub.domain:
                self.pub_hosts.setdefault(pub.domain.lower(), pub.slug.lower())
        for post in result.posts:
            if post.links is not None and not post.links_partial:
                self.covered_posts.add(post.id)  # body already read (a feed's full content)
            author = (post.author or "").lower().lstrip("@") or None
            touched.add(("post", post.id))
            if author:
                self.post_author.setdefault(post.id, author)
                touched.add(("a", author))
            if post.publication:
                touched.add(("p", post.publication.lower()))
            tags = {t.lower() for t in post.tags} & self.niche_tags
            if context_tag in self.niche_tags:
                tags.add(context_tag)  # type: ignore[arg-type]
            title = f"{post.title or ''} {post.subtitle or ''}".lower()
            keyword = any(k in title for k in self.keywords)
            weight = len(tags) + (0.5 if keyword else 0.0)
            if weight <= 0:
                continue
            self.post_niche[post.id] = max(self.post_niche.get(post.id, 0.0), weight)
            if author:
                self.author_tags[author] |= tags or {"~keyword"}
                self.author_posts[author].add(post.id)
            if post.publication:
                self.pub_posts[post.publication.lower()].add(post.id)

    def author_score(self, username: str | None) -> float:
        if not username:
            return 0.0
        return 2.0 * len(self.author_tags.get(username, ())) + min(
            len(self.author_posts.get(username, ())), 8
        )

    def pub_score(self, slug: str | None) -> float:
        if not slug:
            return 0.0
        return min(len(self.pub_posts.get(slug, ())), 12) * 1.5

    def priority(self, info: UrlInfo, depth: int) -> float:
        if self.strategy is Strategy.BREADTH:
            return float(-depth)
        kind = info.kind
        tie = -0.001 * depth
        if kind in _TAG_KINDS or kind in _PUB_TAG_KINDS:
            return (500.0 if info.tag in self.niche_tags else 0.2) + tie
        if kind in _AUTHOR_KINDS:
            a = self.author_score(info.username)
            factor = {UrlKind.PROFILE: 1.0, UrlKind.FEED_USER: 0.95, UrlKind.PROFILE_ABOUT: 0.2}[kind]
            return (10.0 * a + 5.0) * factor + tie
        if kind is UrlKind.POST:
            # An author's pages say more than any one post; a post whose body a feed already gave
            # is worth little more than its engagement numbers.
            pid = info.post_id or ""
            author = info.username or self.post_author.get(pid)
            value = 2.0 * self.post_niche.get(pid, 0.0) + self.author_score(author) + 0.5
            return value * (0.1 if pid in self.covered_posts else 1.0) + tie
        if kind in _PUB_KINDS or kind in _SUB_KINDS:
            slug = info.publication or info.ambiguous_subdomain
            score = max(self.pub_score(slug), self.author_score(info.ambiguous_subdomain))
            factor = 0.2 if kind in (UrlKind.PUBLICATION_ABOUT, UrlKind.SUBDOMAIN_ABOUT) else 1.0
            return (12.0 * score + 1.0) * factor + tie
        return 0.1 + tie


def _evidence_keys(info: UrlInfo) -> list[tuple[str, str]]:
    keys = []
    for user in {info.username, info.ambiguous_subdomain} - {None}:
        keys.append(("a", user))
    for pub in {info.publication, info.ambiguous_subdomain} - {None}:
        keys.append(("p", pub))
    if info.post_id:
        keys.append(("post", info.post_id))
    return keys  # type: ignore[return-value]


def _identity(info: UrlInfo) -> tuple[str, str]:
    """What a URL names, so two forms of one post, profile or publication are queued once."""
    kind = info.kind
    if kind is UrlKind.POST and info.post_id:
        return ("post", info.post_id)
    if (
        kind is UrlKind.PROFILE
        and info.username
        and not info.ambiguous_subdomain
        and info.url.count("/") <= 3
    ):
        return ("profile", info.username)
    if kind is UrlKind.FEED_USER and info.username:
        return ("feed_user", info.username)
    if kind is UrlKind.PUBLICATION and info.publication and info.url.rstrip("/").count("/") <= 3:
        return ("publication", info.publication)
    if kind is UrlKind.FEED_PUBLICATION and info.publication:
        return ("feed_publication", info.publication)
    return ("url", info.url)
