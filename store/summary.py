"""What is in the store, in numbers: the crawl's ledger and entity counts (the report's summary)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class CrawlRun:
    started_at: str
    finished_at: str | None
    source: str
    strategy: str
    fetched: int
    outcome: str | None


@dataclass(frozen=True)
class StoreSummary:
    posts: int  # stories, responses excluded
    responses: int
    authors: int
    publications: int
    tags: int
    links: int
    pages_by_status: dict[str, int]
    first_fetch: str | None
    last_fetch: str | None
    runs: tuple[CrawlRun, ...]  # newest first

    @property
    def pages(self) -> int:
        return sum(self.pages_by_status.values())


def _count(db: Database, sql: str) -> int:
    row = db.execute(sql).fetchone()
    return int(row[0] or 0) if row else 0


def store_summary(db: Database, *, runs: int = 5) -> StoreSummary:
    """Counts of everything stored, the pages ledger by status, and the latest crawl runs."""
    by_status = {str(s): int(n) for s, n in db.execute("SELECT status, COUNT(*) FROM pages GROUP BY status")}
    first, last = db.execute("SELECT MIN(fetched_at), MAX(fetched_at) FROM pages").fetchone() or (None, None)
    run_rows = db.execute(
        "SELECT started_at, finished_at, source, strategy, fetched, outcome FROM crawl_runs "
        "ORDER BY started_at DESC, id DESC LIMIT ?",
        [runs],
    ).fetchall()
    return StoreSummary(
        posts=_count(db, "SELECT COUNT(*) FROM posts WHERE COALESCE(is_response, 0) = 0"),
        responses=_count(db, "SELECT COUNT(*) FROM posts WHERE is_response = 1"),
        authors=_count(db, "SELECT COUNT(*) FROM authors"),
        publications=_count(db, "SELECT COUNT(*) FROM publications"),
        tags=_count(db, "SELECT COUNT(*) FROM tags"),
        links=_count(db, "SELECT COUNT(*) FROM links"),
        pages_by_status=by_status,
        first_fetch=first,
        last_fetch=last,
        runs=tuple(CrawlRun(*r) for r in run_rows),
    )
