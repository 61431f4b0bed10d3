"""`--source DIR`: import pages saved from a browser, through the same parser and store helpers.

Medium often refuses non-browser clients; a person can still save pages (HTML, feeds, `?format=json`,
GraphQL JSON) and hand linkscout the folder. File names rarely tell the URL, so each page is known by
what it says it is (`PageResult.url`: canonical link, og:url, embedded ids). Records are written in
batches of `BATCH` files, one transaction each; a page the parser calls blocked is counted, never
stored as content. No Scrapy here: nothing is fetched.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlite_utils import Database

from linkscout.core.errors import ConfigError
from linkscout.core.records import PageKind, PageResult
from linkscout.core.urls import canonicalize
from linkscout.crawler.containers import SUFFIXES as CONTAINER_SUFFIXES
from linkscout.crawler.containers import ContainerError, SavedRecord, is_container, read_bytes
from linkscout.crawler.parse import parse_page
from linkscout.crawler.pipelines import write_batch
from linkscout.crawler.types import CrawlProgress, CrawlSummary, PageItem
from linkscout.store.crawl_summary import held_since
from linkscout.store.db import open_db, utcnow

BATCH = 200
SUFFIXES = frozenset(CONTAINER_SUFFIXES)  # documents, web archives, HAR, MHTML, zip/tar bundles
MAX_FILE_BYTES = 500 * 1024 * 1024  # web archives are large; each record inside is capped on its own


def saved_files(folder: Path) -> Iterator[Path]:
    """Readable page files under `folder`, in a stable order; hidden files and folders skipped."""
    for path in _walk(folder):
        if path.suffix.lower() in SUFFIXES and path.name.lower() != "catalog.md":
            yield path


def _walk(folder: Path) -> Iterator[Path]:
    """Every file under `folder` (hidden ones left out), in a stable order."""
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file():
            yield path


def _is_database_file(path: Path, db_path: Path) -> bool:
    """The database being written (and its -wal, -shm, lock files) when it sits in the folder."""
    return path.parent.resolve() == db_path.parent and path.name.startswith(db_path.name)


def not_a_page(path: Path) -> str | None:
    """Why a file is not a saved page by its name alone (an image, a PDF, ...), or None."""
    if path.name.lower() == "catalog.md":
        return "not a page (notes)"
    if not is_container(path):
        return f"not a page type linkscout reads ({path.suffix.lower() or 'no extension'})"
    return None


def skip_reason(data: bytes, result: PageResult) -> str | None:
    """Why a file that was read is not a page after all: binary data, or nothing Medium-shaped in it."""
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary data, not a page"
    if result.kind is PageKind.BLOCKED:
        return None
    if not (result.posts or result.authors or result.publications or page_url(result)):
        return "no Medium content found"
    return None


def page_url(result: PageResult) -> str | None:
    """The page's own absolute http(s) URL, canonical, or None when it does not say."""
    url = result.url
    if url and url.startswith(("http://", "https://")):
        return canonicalize(url)
    return None


def saved_page_index(folder: Path) -> dict[str, Path]:
    """Canonical URL → file, for every saved page under `folder` that says what URL it is (articles
    by their own URL; feeds by theirs). Refuses a missing folder in one line."""
    if not folder.is_dir():
        raise ConfigError(f"--source {folder}: no such folder of saved pages")
    out: dict[str, Path] = {}
    for path in saved_files(folder):
        try:
            result = parse_page(path.read_bytes(), path.resolve().as_uri(), status=200)
        except OSError:
            continue
        url = page_url(result)
        if url:
            out.setdefault(url, path)
        if result.kind == PageKind.ARTICLE:
            for post in result.posts:
                if post.url and post.url.startswith(("http://", "https://")):
                    out.setdefault(canonicalize(post.url), path)
    return out


def record_item(record: SavedRecord, path: Path) -> PageItem:
    """One captured document as a ledger item: its real URL and capture time when the container kept
    them (else the URL the page declares, and now)."""
    result = parse_page(record.body, record.url, status=record.status, content_type=record.content_type)
    url = page_url(result)
    if url is None and record.url and record.url.startswith(("http://", "https://")):
        url = canonicalize(record.url)
    status = "blocked" if result.kind is PageKind.BLOCKED else "ok"
    return PageItem(
        url=url or path.resolve().as_uri(), status=status, fetched_at=record.captured_at or utcnow(),
        kind=str(result.kind), http_status=record.status,
        error=result.blocked_reason if status == "blocked" else None, result=result,
        captured_at=record.captured_at,
    )  # fmt: skip


def import_dir(folder: Path, db_path: Path, *, db: Database | None = None,
               progress: CrawlProgress | None = None,
               should_stop: Callable[[], bool] = lambda: False) -> CrawlSummary:  # fmt: skip
    """Parse every saved page under `folder` into the store at `db_path`: through `db` when the
    caller has it open (a crawl), else through a connection opened and closed here."""
    if not folder.exists():
        raise ConfigError(
            f"--source {folder}: no such folder (use fixtures, live, or a folder of saved pages)"
        )
    if not folder.is_dir():
        raise ConfigError(f"--source {folder} is a file; pass the folder that holds your saved pages")
    progress = progress or CrawlProgress()
    folder = folder.resolve()  # a relative folder works like an absolute one (file:// URLs need it)
    own_db = db is None
    db = open_db(db_path) if db is None else db
    since = utcnow()
    stopped = False
    own = db_path.resolve()
    files = [p for p in _walk(folder) if not _is_database_file(p, own)]
    progress.budget = len(files)
    unknown = 0
    skipped: Counter[str] = Counter()
    unreadable: list[str] = []
    batch: list[PageItem] = []
    try:
        for path in files:
            if should_stop():  # a signal: what is read so far is written, the rest left
                stopped = True
                break
            reason = not_a_page(path)
            if reason is None:
                try:
                    if path.stat().st_size > MAX_FILE_BYTES:
                        reason = f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"
                    else:
                        data = path.read_bytes()
                except OSError as e:
                    progress.failed += 1
                    unreadable.append(f"{path.relative_to(folder)} ({e.strerror or e})")
                    continue
            if reason is not None:
                skipped[reason] += 1
                progress.budget -= 1
                continue
            try:
                container = read_bytes(path.name, data)
            except ContainerError as e:
                progress.failed += 1
                unreadable.append(f"{path.relative_to(folder)} ({e})")
                continue
            for record in container.records:
                item = record_item(record, path)
                if container.form in ("html", "singlefile", "httrack"):
                    why = skip_reason(record.body, item.result)  # type: ignore[arg-type]
                    if why is not None:
                        skipped[why] += 1
                        progress.budget -= 1
                        continue
                if item.url.startswith("file:"):
                    unknown += 1
                    progress.count(item)
                    # No URL to key a ledger row on: write the records alone.
                    _write_records_only(db, item.result, item.status)
                    continue
                batch.append(item)
                if len(batch) >= BATCH:
                    _flush(db, batch, progress)
        _flush(db, batch, progress)
        held = held_since(db, since)
    finally:
        if own_db:
            db.conn.close()
    pages = len(files) - sum(skipped.values())
    summary = CrawlSummary(source=str(folder), strategy="saved", budget=pages)
    summary.pages = progress.pages
    summary.ok, summary.failed, summary.blocked = progress.ok, progress.failed, progress.blocked
    summary.skipped = sum(skipped.values())
    summary.posts, summary.authors, summary.publications = held.posts, held.authors, held.publications
    summary.elapsed = round(time.monotonic() - progress.started, 2)
    summary.extra = {"files": len(files), "without_url": unknown, "skipped": dict(skipped),
                     "unreadable": unreadable}  # fmt: skip
    notes = []
    if skipped:
        notes.append(f"skipped {summary.skipped} files that are not pages: " + skipped_text(skipped))
    if unreadable:
        notes.append(f"could not read {len(unreadable)} files: " + named(unreadable))
    if stopped:
        summary.outcome = "interrupted"
        summary.message = (
            "interrupted; the pages read so far are saved: run the same command again for the rest"
        )
    elif not files or not pages:
        what = f"no saved pages (.html, .xml, .json) under {folder}"
        summary.outcome, summary.message = "failed", "; ".join([what, *notes])
    elif progress.ok == 0:
        what = f"none of the {len(files)} files held Medium content"
        summary.outcome, summary.message = "failed", "; ".join([what, *notes])
    elif notes:
        summary.message = "; ".join(notes)
    return summary


def skipped_text(skipped: Counter[str]) -> str:
    return ", ".join(f"{n} {reason}" for reason, n in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])))


def named(paths: list[str], first: int = 3) -> str:
    """The first few names, then how many more."""
    shown = ", ".join(paths[:first])
    return shown + (f" and {len(paths) - first} more" if len(paths) > first else "")


def _flush(db: Database, batch: list[PageItem], progress: CrawlProgress) -> None:
    if not batch:
        return
    # Ledger rows only for the pages that were read; blocked ones are recorded but carry no records.
    write_batch(db, batch)
    for item in batch:
        progress.count(item)
    batch.clear()


def _write_records_only(db: Database, result: PageResult | None, status: str) -> None:
    if status != "ok" or result is None:
        return
    from linkscout.store.db import transaction
    from linkscout.store.write import write_results

    with transaction(db):
        write_results(db, [result], utcnow())
