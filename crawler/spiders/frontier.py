"""The crawl frontier: which Medium URL to fetch next, best-first or breadth-first. Pure, no Scrapy.

Best-first spends the page budget where the niche is (see `evidence`): evidence keeps arriving after a
URL was queued, so priorities are re-read lazily when a URL reaches the top of the heap (scores only
grow, so a stale entry is an underestimate and goes back in). Breadth-first is the baseline the
benchmarks compare against: lowest depth first, then discovery order.

A URL's depth is the length of the shortest discovery path from the seeds *found so far*, and it
moves up whenever a shorter path turns up: a queued URL simply gets the smaller depth; a page already
read offers its links again one level below its new depth, so the links it had to leave out at
`max_depth` come in after all. Links to a host not yet known as a publication's custom domain are
kept the same way and offered again once a page says whose domain it is. Together this makes the set
of pages a crawl reaches (when the budget covers it) the same whatever order responses arrive in,
and whether the crawl ran in one go or was killed and resumed.

Every URL is canonicalised (tracking such as `source=` dropped) before it is queued, and a post,
profile or publication reached under several URL forms is queued once.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from linkscout.core.records import PageResult
from linkscout.core.urls import UrlInfo, UrlKind, canonicalize, classify
from linkscout.crawler.spiders.evidence import (
    AUTHOR_KINDS,
    PUB_KINDS,
    PUB_TAG_KINDS,
    SUB_KINDS,
    TAG_KINDS,
    Key,
    NicheEvidence,
    evidence_keys,
)
from linkscout.crawler.types import Entry


class Strategy(StrEnum):
    BEST = "best"
    BREADTH = "breadth"


CRAWL_KINDS = frozenset({UrlKind.POST} | TAG_KINDS | PUB_TAG_KINDS | AUTHOR_KINDS | PUB_KINDS | SUB_KINDS)
SEED_PRIORITY = 1000.0
UNREACHED = 1 << 30  # depth of a page an earlier run read, until a path to it is found again

# What happened to a URL the frontier knows.
QUEUED, TAKEN, READ, DONE = "queued", "taken", "read", "done"


@dataclass(slots=True)
class _Node:
    url: str
    depth: int
    priority: float
    state: str  # QUEUED; TAKEN (popped: in flight, or failed and kept for --resume); READ; DONE
    links: tuple[str, ...] = ()  # READ: the page's outlinks


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
        self.evidence = NicheEvidence(tags, keywords)
        self.niche_tags = self.evidence.niche_tags
        self.pub_hosts: dict[str, str] = {}  # custom domain / x.medium.com -> publication slug
        self._heap: list[tuple[float, int, str]] = []
        self._queued: dict[str, Entry] = {}
        self._nodes: dict[tuple[str, str], _Node] = {}  # by identity (see `_identity`) and by URL
        self._seq = itertools.count()
        # Which queued URLs each author, publication and post id affects: rescored when evidence changes.
        self._by_key: defaultdict[Key, set[str]] = defaultdict(set)
        # Pages read whose links point at a host that may turn out to be a publication's domain.
        self._waiting: defaultdict[str, set[str]] = defaultdict(set)
        self._outbox: list[Entry] = []  # entries queued or moved up since the last `drain()`

    def __len__(self) -> int:
        return len(self._queued)

    def pending(self) -> list[Entry]:
        return list(self._queued.values())

    def depth_of(self, url: str) -> int | None:
        node = self._node(self.classify(url))
        return None if node is None else node.depth

    def drain(self) -> list[Entry]:
        """Entries queued or moved up (smaller depth) since the last call: what the store must upsert."""
        out, self._outbox = self._outbox, []
        return out

    # --- adding ---------------------------------------------------------------------------
    def classify(self, url: str) -> UrlInfo:
        return classify(url, publication_hosts=self.pub_hosts)

    def add(
        self, url: str, depth: int, *, priority: float | None = None, force: bool = False
    ) -> Entry | None:
        """Queue `url` (canonicalised) unless it is not worth crawling, too deep, or already known at
        this depth or less. Returns the new or moved-up entry (also kept for `drain`); a page already
        read that moves up offers its links again instead. `force` skips the worth/depth checks."""
        info = self.classify(url)
        if not force:
            if depth > self.max_depth or info.kind not in CRAWL_KINDS:
                return None
            if info.kind in PUB_TAG_KINDS and info.tag not in self.niche_tags:
                return None
        node = self._node(info)
        if node is not None:
            return self._move_up(node, depth) if depth < node.depth else None
        if priority is None:
            priority = self.priority(info, depth)
        node = _Node(info.url, depth, priority, QUEUED)
        self._index(info, node)
        return self._enqueue(node, priority, info)

    def add_seeds(self, urls: Iterable[str]) -> list[Entry]:
        added = [self.add(u, 0, priority=SEED_PRIORITY, force=True) for u in urls]
        return [e for e in added if e is not None]

    def expand(self, url: str, depth: int) -> list[Entry]:
        """`url` and the pages that come with it (an author's feed, a publication's feed and about page),
        plus whatever moving them up brought in."""
        start = len(self._outbox)
        self.add(url, depth)
        info = self.classify(url)
        if info.kind is UrlKind.PROFILE and info.username:
            self.add(f"https://medium.com/feed/@{info.username}", depth)
        elif info.kind is UrlKind.PUBLICATION and info.publication:
            root = info.url.rstrip("/")
            if root.endswith("/" + info.publication):
                self.add(f"https://medium.com/feed/{info.publication}", depth)
            else:
                self.add(root + "/feed", depth)
            self.add(root + "/about", depth)  # where submission guidelines live
        elif info.kind is UrlKind.SUBDOMAIN_HOME:
            root = info.url.rstrip("/")
            self.add(root + "/feed", depth)
            self.add(root + "/about", depth)
        return self._outbox[start:]

    def read(self, url: str, links: Sequence[str], *, depth: int | None = None) -> list[Entry]:
        """`url` was fetched and parsed: queue its links one level below it (its depth may have moved up
        while it was in flight), remember them in case a shorter path to it turns up, and return every
        entry queued or moved up since the last `drain()`. `depth` places a URL never queued."""
        node = self._taken(url, depth)
        node.state, node.links = READ, tuple(links)
        self._offer_links(node)
        return self.drain()

    def done(self, url: str, *, depth: int | None = None) -> None:
        """`url` is finished without links (e.g. robots.txt forbids it): never queue it again."""
        self._taken(url, depth).state = DONE

    def alias(self, url: str, other: str) -> None:
        """`other` is another URL for the page `url` (a redirect target): it is never queued again."""
        node = self._taken(url, None)
        info = self.classify(other)
        if self._node(info) is None:
            self._index(info, node)

    def mark_seen(self, url: str, links: Sequence[str] | None = None) -> None:
        """A page an earlier run of this crawl finished: never fetched again. With its `links` it counts
        as read at an unknown depth, which the seeds and the stored frontier settle (see `restore`)."""
        info = self.classify(url)
        node = self._node(info)
        if node is None:
            node = _Node(info.url, UNREACHED, 0.0, DONE)
            self._index(info, node)
        elif node.state == QUEUED:
            del self._queued[node.url]
        node.state = DONE if links is None else READ
        node.links = tuple(links or ())

    def restore(self, entries: Iterable[Entry]) -> None:
        """Put back entries persisted by an interrupted crawl, with their stored priority and depth.
        Then `add_seeds` again: the pages already read get their depths back and pass them on."""
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
            node = self._nodes[("url", url)]
            node.state, node.priority = TAKEN, entry.priority
            return entry
        return None

    # --- learning and scoring -------------------------------------------------------------------
    def learn(self, result: PageResult, page_url: str | None = None) -> None:
        """Take in what a parsed page says about who writes niche posts and where."""
        learned = []
        for pub in result.publications:
            if pub.slug and pub.domain:
                host = pub.domain.lower()
                if host not in self.pub_hosts:
                    self.pub_hosts[host] = pub.slug.lower()
                    learned.append(host)
        touched = self.evidence.learn(result, self.classify(page_url) if page_url else None)
        if self.strategy is Strategy.BEST:
            self._rescore(touched)
        for host in learned:  # links left out as external may be this publication's pages
            for parent in sorted(self._waiting.pop(host, ())):
                self._offer_links(self._nodes[("url", parent)])

    def priority(self, info: UrlInfo, depth: int) -> float:
        if self.strategy is Strategy.BREADTH:
            return float(-depth)
        return self.evidence.score(info, depth)

    def _rescore(self, keys: set[Key]) -> None:
        for key in keys:
            for url in self._by_key.get(key, ()):
                entry = self._queued.get(url)
                if entry is None or entry.priority >= SEED_PRIORITY:
                    continue
                fresh = self.priority(self.classify(url), entry.depth)
                if fresh > entry.priority + 1e-9:
                    self._queued[url] = Entry(url, fresh, entry.depth)
                    heapq.heappush(self._heap, (-fresh, next(self._seq), url))

    # --- internals ------------------------------------------------------------------------------
    def _node(self, info: UrlInfo) -> _Node | None:
        return self._nodes.get(_identity(info)) or self._nodes.get(("url", info.url))

    def _index(self, info: UrlInfo, node: _Node) -> None:
        self._nodes.setdefault(_identity(info), node)
        self._nodes.setdefault(("url", info.url), node)

    def _taken(self, url: str, depth: int | None) -> _Node:
        """The node of a URL being finished; one never queued is placed at `depth` (or 0)."""
        info = self.classify(url)
        node = self._node(info)
        if node is None:
            node = _Node(info.url, 0 if depth is None else depth, 0.0, TAKEN)
            self._index(info, node)
        elif node.state == QUEUED:
            del self._queued[node.url]
            node.state = TAKEN
        return node

    def _enqueue(self, node: _Node, priority: float, info: UrlInfo) -> Entry:
        entry = Entry(node.url, priority, node.depth)
        node.state, node.priority = QUEUED, priority
        self._queued[node.url] = entry
        heapq.heappush(self._heap, (-priority, next(self._seq), node.url))
        if self.strategy is Strategy.BEST:
            for k in evidence_keys(info):
                self._by_key[k].add(node.url)
        self._outbox.append(entry)
        return entry

    def _move_up(self, node: _Node, depth: int) -> Entry | None:
        """A shorter path to a known URL: it takes the smaller depth, and a read page passes it on."""
        node.depth = depth
        if node.state == READ:
            self._offer_links(node)
            return None
        if node.state == DONE:
            return None
        info = self.classify(node.url)
        priority = node.priority
        if priority < SEED_PRIORITY:
            priority = max(priority, self.priority(info, depth))
        if node.state == QUEUED:
            return self._enqueue(node, priority, info)
        # TAKEN: in flight (its links will use the new depth) or failed (its stored row moves up).
        node.priority = priority
        entry = Entry(node.url, priority, depth)
        self._outbox.append(entry)
        return entry

    def _offer_links(self, node: _Node) -> None:
        if node.depth >= UNREACHED:
            return
        for link in node.links:
            info = self.classify(link)
            if info.kind is UrlKind.EXTERNAL or info.ambiguous_subdomain:
                host = (urlsplit(info.url).hostname or "").lower()
                if host and host not in self.pub_hosts:
                    self._waiting[host].add(node.url)
            self.expand(link, node.depth + 1)


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
