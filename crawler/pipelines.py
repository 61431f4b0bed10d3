"""The one item pipeline: fetched pages into the store, in batches, one transaction per batch.

Each `PageItem` is one fetched (or refused) URL: its ledger row in `pages`, the parser's records when
the page was good, and the URLs it led to. A batch writes all of that *and* the frontier changes in
the same transaction, so a crawl killed at any moment leaves a database where every recorded page's
discoveries are in the frontier and every pending URL is still there: `--resume` picks up from it.
Records are only written for `ok` pages: nothing from a blocked or broken page becomes content.
The links of the `ok` pages go to the crawl's `LinksLog` in the same transaction, for `--resume`.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from linkscout.crawler.types import DONE_STATUSES, CrawlProgress, PageItem
from linkscout.store.crawl_state import LinksLog, add_fetched, drop_urls, queue_urls
from linkscout.store.db import open_db, transaction, utcnow
from linkscout.store.write import record_page, write_results

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


def write_batch(
    db: Database, items: list[PageItem], *, run_id: int | None = None, links_log: LinksLog | None = None
) -> None:
    """One transaction: records of the ok pages, every page's ledger row, frontier in and out."""
    if not items:
        return
    now = utcnow()
    with transaction(db):
        if links_log is not None:  # same transaction: a page the ledger counts as read has its links kept
            links_log.append((i.url, i.links) for i in items if i.status == "ok")
        results = [i.result for i in items if i.status == "ok" and i.result is not None and not i.captured_at]
        write_results(db, results, now)
        # Archived captures are seen when they were captured, and each one is an engagement snapshot.
        for i in sorted((i for i in items if i.captured_at), key=lambda i: i.captured_at or ""):
            if i.status == "ok" and i.result is not None:
                write_results(db, [i.result], i.captured_at or now, every_snapshot=True)
        for i in items:
            record_page(
                db, i.url, status=i.status, fetched_at=i.fetched_at, kind=i.kind, http_status=i.http_status,
                etag=i.etag, last_modified=i.last_modified, error=i.error,
            )  # fmt: skip
        queue_urls(db, (e for i in items for e in i.discovered), now)
        drop_urls(db, (i.url for i in items if i.status in DONE_STATUSES))
        if run_id is not None:
            add_fetched(db, run_id, sum(1 for i in items if i.status != "skipped_robots"))


class StorePipeline:
    """Buffers PageItems and writes them with `write_batch` every N items or T seconds.

    In a crawl it writes through the crawl's own connection (`CrawlPlan.db`), which the run opened
    and closes; given only `db_path` (tests), it opens and closes a connection of its own."""

    def __init__(self, crawler: Crawler | None = None, *, db_path: str | Path | None = None,
                 run_id: int | None = None, progress: CrawlProgress | None = None,
                 batch_size: int = 200, flush_seconds: float = 2.0) -> None:  # fmt: skip
        self.crawler = crawler
        self.db_path = db_path
        self.run_id = run_id
        self.progress = progress
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self.db: Database | None = None
        self._owns_db = False
        self.links_log: LinksLog | None = None
        self._buffer: list[PageItem] = []
        self._last_flush = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        s = crawler.settings
        return cls(
            crawler,
            batch_size=s.getint("LINKSCOUT_BATCH_SIZE", 200),
            flush_seconds=s.getfloat("LINKSCOUT_FLUSH_SECONDS", 2.0),
        )

    def open_spider(self) -> None:
        spider: Any = self.crawler.spider if self.crawler else None
        plan = getattr(spider, "plan", None)
        if plan is not None:
            self.db = plan.db
            self.run_id = plan.run_id
            self.progress = getattr(spider, "progress", None)
        elif self.db_path is not None:
            self.db = open_db(self.db_path)
            self._owns_db = True
        else:
            raise RuntimeError("StorePipeline needs the crawl's plan or a database path")
        if self.run_id is not None:
            self.links_log = LinksLog(self.db, self.run_id)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        self._buffer.append(item)
        now = time.monotonic()
        if len(self._buffer) >= self.batch_size or now - self._last_flush >= self.flush_seconds:
            self.flush()
        return item

    def flush(self) -> None:
        if self.db is None:
            raise RuntimeError("StorePipeline.flush before open_spider")
        batch, self._buffer = self._buffer, []
        self._last_flush = time.monotonic()
        write_batch(self.db, batch, run_id=self.run_id, links_log=self.links_log)
        if self.progress is not None:
            for item in batch:
                self.progress.count(item)

    def close_spider(self) -> None:
        if self.db is None:
            return
        try:
            self.flush()
        finally:
            if self._owns_db:
                self.db.conn.close()
            self.db = None
