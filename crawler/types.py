"""The crawl's plain data types, free of Scrapy: what the CLI, the pipeline and the spider share.

    CrawlOptions -> run_crawl -> CrawlSummary      (the CLI's view of one crawl)
    CrawlProgress                                  (live counters the progress line reads)
    CrawlPlan                                      (what the spider gets: frontier, budget, the store)
    PageItem, Entry                                (one fetched URL; one frontier entry, the store's)

Importing this module pulls in neither Scrapy nor Twisted, so `cli/` can name these types cheaply.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from linkscout.core.niche import Niche
from linkscout.core.records import PageResult
from linkscout.store.crawl_state import FrontierEntry
from linkscout.store.write import normalise_slug, normalise_username

if TYPE_CHECKING:
    from linkscout.crawler.spiders.frontier import Frontier

PAGE_STATUSES = ("ok", "failed", "blocked", "skipped_robots")
# Pages that are finished for this crawl: the others stay in the frontier and `--resume` retries them.
DONE_STATUSES = ("ok", "skipped_robots")
Entry = FrontierEntry  # one frontier entry: (url, priority, depth), as the store keeps it


@dataclass(frozen=True)
class CrawlOptions:
    niche: Niche
    db_path: Path
    source: str = "fixtures"
    budget: int | None = None  # default: [crawl] max_pages
    depth: int | None = None  # default: [crawl] max_depth
    strategy: str = "best"
    resume: bool = False
    verbosity: int = 0
    # Live profile, loopback transport: requests keep their https Medium URLs but go to this
    # http://127.0.0.1:PORT server (the politeness test measures the live spacing on the wire).
    transport: str | None = None


@dataclass
class CrawlSummary:
    source: str
    strategy: str
    budget: int
    pages: int = 0
    ok: int = 0
    failed: int = 0
    blocked: int = 0
    skipped_robots: int = 0
    skipped: int = 0  # saved pages: files that are not pages (see extra['skipped'] for why)
    posts: int = 0
    authors: int = 0
    publications: int = 0
    pending: int = 0  # URLs left in the frontier (budget reached, or blocked/failed to retry)
    outcome: str = "done"  # done / budget / blocked / failed / nothing / interrupted
    message: str | None = None
    resumed: bool = False
    elapsed: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        """False when the crawl could not do its job: stopped by blocks, or nothing usable fetched."""
        return self.outcome not in ("blocked", "failed", "interrupted")


@dataclass(slots=True)
class PageItem:
    url: str  # the URL the crawl scheduled (canonical), the ledger's key
    status: str  # one of PAGE_STATUSES
    fetched_at: str
    kind: str | None = None
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    result: PageResult | None = None
    discovered: tuple[Entry, ...] = ()  # frontier entries queued or moved up while reading the page
    links: tuple[str, ...] = ()  # an ok page's outlinks, as the frontier read them
    # When the page was captured (a saved page or web archive that says so): its records are seen then.
    captured_at: str | None = None


@dataclass(slots=True)
class CrawlProgress:
    """Live counters for the progress line; the pipeline updates them after every committed batch."""

    budget: int = 0
    pages: int = 0  # fetched (any outcome but skipped_robots), earlier runs of a resumed crawl included
    already: int = 0  # of those, fetched before this process started (a resume): not in the rate
    ok: int = 0
    failed: int = 0
    blocked: int = 0
    skipped_robots: int = 0
    posts: set[str] = field(default_factory=set)
    authors: set[str] = field(default_factory=set)
    publications: set[str] = field(default_factory=set)
    started: float = field(default_factory=time.monotonic)

    def count(self, item: PageItem) -> None:
        if item.status == "skipped_robots":
            self.skipped_robots += 1
            return
        self.pages += 1
        if item.status == "ok":
            self.ok += 1
        elif item.status == "blocked":
            self.blocked += 1
        else:
            self.failed += 1
        if item.result is not None and item.status == "ok":
            r = item.result
            self.posts.update(p.id for p in r.posts if not p.is_response)
            self.authors.update(u for u in (normalise_username(a.username) for a in r.authors) if u)
            self.authors.update(u for u in (normalise_username(p.author) for p in r.posts) if u)
            self.publications.update(s for s in (normalise_slug(p.slug) for p in r.publications) if s)


@dataclass
class CrawlPlan:
    frontier: Frontier
    db: Database  # the crawl's one connection: the pipeline writes through it, the run reads it back
    budget: int
    run_id: int | None = None
    already_fetched: int = 0  # pages an interrupted run of this crawl already recorded
    stop_message: str | None = field(default=None)
    stop_outcome: str = "blocked"  # what a stop means: blocked (challenge pages) / failed (robots.txt)
    notes: set[str] = field(default_factory=set)  # hosts left out (robots.txt unreachable), for the summary
    interrupted: Callable[[], bool] = field(default=lambda: False)  # a signal arrived: issue nothing more
