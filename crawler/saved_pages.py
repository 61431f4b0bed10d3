"""`--source DIR`: import pages saved from a browser, through the same parser and store helpers.

Medium often refuses non-browser clients; a person can still save pages (HTML, feeds, `?format=json`,
GraphQL JSON) and hand linkscout the folder. File names rarely tell the URL, so each page is known by
what it says it is (`PageResult.url`: canonical link, og:url, embedded ids). Records are written in
batches of `BATCH` files, one transaction each; a page the parser calls blocked is counted, never
stored as content. No Scrapy here: nothing is fetched.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from linkscout.core.errors import ConfigError
from linkscout.core.records import PageKind, PageResult
from linkscout.core.urls import canonicalize
from linkscout.crawler.parse import parse_page
from linkscout.crawler.pipelines import CrawlProgress, PageItem, write_batch
from linkscout.store.db import open_db, utcnow

BATCH = 200
SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".xml", ".rss", ".atom", ".json", ".txt"})
MAX_FILE_BYTES = 20 * 1024 * 1024


def saved_files(folder: Path) -> Iterator[Path]:
    """Readable page files under `folder`, in a stable order; hidden files and folders skipped."""
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file() and path.suffix.lower() in SUFFIXES and path.name.lower() != "catalog.md":
            yield path


def page_url(result: PageResult) -> str | None:
    """The page's own absolute http(s) URL, canonical, or None when it does not say."""
    url = result.url
    if url and url.startswith(("http://", "https://")):
        return canonicalize(url)
    return None


def import_dir(folder: Path, db_path: Path, *, progress: CrawlProgress | None = None):  # type: ignore[no-untyped-def]
    """Parse every saved page under `folder` into the store; returns a `CrawlSummary`."""
    from linkscout.crawler.run import CrawlSummary

    if not folder.exists():
        raise ConfigError(
            f"--source {folder}: no such folder (use fixtures, live, or a folder of saved pages)"
        )
    if not folder.is_dir():
        raise ConfigError(f"--source {folder} is a file; pass the folder that holds your saved pages")
    progress = progress or CrawlProgress()
    db = open_db(db_path)
    files = list(saved_files(folder))
    progress.budget = len(files)
    unknown = 0
    batch: list[PageItem] = []
    try:
        for path in files:
            try:
                if path.stat().st_size > MAX_FILE_BYTES:
                    progress.failed += 1
                    continue
                data = path.read_bytes()
            except OSError:
                progress.failed += 1
                continue
            result = parse_page(data, None)
            url = page_url(result)
            status = "blocked" if result.kind is PageKind.BLOCKED else "ok"
            item = PageItem(
                url=url or path.as_uri(), status=status, fetched_at=utcnow(), kind=str(result.kind),
                error=result.blocked_reason if status == "blocked" else None, result=result,
            )  # fmt: skip
            if url is None:
                unknown += 1
                progress.count(item)
                # No URL to key a ledger row on: write the records alone.
                _write_records_only(db, result, status)
                continue
            batch.append(item)
            if len(batch) >= BATCH:
                _flush(db, batch, progress)
        _flush(db, batch, progress)
    finally:
        db.conn.close()
    summary = CrawlSummary(source=str(folder), strategy="saved", budget=len(files))
    summary.pages = progress.pages
    summary.ok, summary.failed, summary.blocked = progress.ok, progress.failed, progress.blocked
    summary.posts, summary.authors = len(progress.posts), len(progress.authors)
    summary.publications = len(progress.publications)
    summary.elapsed = round(time.monotonic() - progress.started, 2)
    summary.extra = {"files": len(files), "without_url": unknown}
    if not files:
        summary.outcome, summary.message = "failed", f"no saved pages (.html, .xml, .json) under {folder}"
    elif progress.ok == 0:
        summary.outcome, summary.message = "failed", f"none of the {len(files)} files held Medium content"
    return summary


def _flush(db, batch: list[PageItem], progress: CrawlProgress) -> None:  # type: ignore[no-untyped-def]
    if not batch:
        return
    # Ledger rows only for the pages that were read; blocked ones are recorded but carry no records.
    write_batch(db, batch)
    for item in batch:
        progress.count(item)
    batch.clear()


def _write_records_only(db, result: PageResult, status: str) -> None:  # type: ignore[no-untyped-def]
    if status != "ok":
        return
    from linkscout.store.db import transaction
    from linkscout.store.write import write_results

    with transaction(db):
        write_results(db, [result], utcnow())
