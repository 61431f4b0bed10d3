"""Crawl state: runs (`crawl_runs`), the persisted frontier, the links log (`crawl_links`) and the
page ledger's counts. Everything `crawler/` needs to start, resume and finish a crawl.

The links log keeps the links of every page a crawl has read until the crawl finishes: `--resume`
needs them (a page read at depth d left out its links deeper than `max_depth`; when a shorter path to
it turns up after a restart, the frontier must offer them again). The pipeline writes each batch's
links in the batch's own transaction, so a kill never leaves a page counted as read without its links.
Rows carry the run's id, so another run's links never mix in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import orjson
from sqlite_utils import Database

from linkscout.store.db import transaction

_FRONTIER_UPSERT = (
    "INSERT INTO frontier (url, priority, depth, discovered_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT(url) DO UPDATE SET priority = MAX(frontier.priority, excluded.priority), "
    "depth = MIN(frontier.depth, excluded.depth)"
)


@dataclass(frozen=True, slots=True)
class CrawlRun:
    id: int
    started_at: str
    budget: int
    fetched: int
    max_depth: int
    strategy: str


@dataclass(frozen=True, slots=True)
class FrontierEntry:
    """One URL waiting in the frontier (the crawler calls it `Entry`)."""

    url: str
    priority: float
    depth: int


@dataclass(frozen=True, slots=True)
class RunProgress:
    """What the ledger holds for one run: pages fetched (resumed parts included) since `started_at`."""

    fetched: int
    started_at: str


@dataclass(frozen=True, slots=True)
class PageDone:
    url: str
    status: str


@dataclass(frozen=True, slots=True)
class PageCounts:
    """Ledger rows by status (since a crawl's start)."""

    ok: int = 0
    failed: int = 0
    blocked: int = 0
    skipped_robots: int = 0


# -- runs ---------------------------------------------------------------------------------------


def latest_open_run(db: Database) -> CrawlRun | None:
    """The newest run that has not finished (interrupted, or stopped early): what `--resume` continues."""
    row = db.execute(
        "SELECT id, started_at, budget, fetched, max_depth, strategy FROM crawl_runs "
        "WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    run_id, started_at, budget, fetched, max_depth, strategy = row
    return CrawlRun(int(run_id), str(started_at), int(budget), int(fetched), int(max_depth), str(strategy))


def has_runs(db: Database) -> bool:
    return db.execute("SELECT 1 FROM crawl_runs LIMIT 1").fetchone() is not None


def begin_run(
    db: Database,
    *,
    started_at: str,
    source: str,
    strategy: str,
    budget: int,
    max_depth: int,
    seeds: Iterable[FrontierEntry],
) -> int:
    """A new run, in one transaction: any unfinished run is marked interrupted, the frontier restarts
    from `seeds` and abandoned runs' links go. Returns the run's id."""
    with transaction(db):
        db.conn.execute("UPDATE crawl_runs SET outcome = 'interrupted' WHERE finished_at IS NULL")
        run_id = db.conn.execute(
            "INSERT INTO crawl_runs (started_at, source, strategy, budget, max_depth) VALUES (?, ?, ?, ?, ?)",
            (started_at, source, strategy, budget, max_depth),
        ).lastrowid
        assert run_id is not None
        db.conn.execute("DELETE FROM frontier")
        queue_urls(db, seeds, started_at)
        LinksLog(db, run_id).remove()  # an abandoned crawl's links
    return run_id


def add_fetched(db: Database, run_id: int, pages: int) -> None:
    """Count `pages` more fetched pages for the run (inside the batch's transaction)."""
    db.conn.execute("UPDATE crawl_runs SET fetched = fetched + ? WHERE id = ?", (pages, run_id))


def run_progress(db: Database, run_id: int) -> RunProgress:
    fetched, started_at = db.execute(
        "SELECT fetched, started_at FROM crawl_runs WHERE id = ?", (run_id,)
    ).fetchone()
    return RunProgress(int(fetched), str(started_at))


def finish_run(db: Database, run_id: int, *, outcome: str, finished_at: str | None) -> None:
    """Record how the run ended, in one transaction. `finished_at=None` leaves it open for `--resume`
    (its links are kept); a finished run's links log is dropped, since only a resume reads it."""
    with transaction(db):
        db.conn.execute(
            "UPDATE crawl_runs SET finished_at = ?, outcome = ? WHERE id = ?", (finished_at, outcome, run_id)
        )
        if finished_at is not None:
            LinksLog(db, run_id).remove()


# -- frontier -----------------------------------------------------------------------------------


def queue_urls(db: Database, entries: Iterable[FrontierEntry], discovered_at: str) -> None:
    """Add entries (inside the caller's transaction); a known URL keeps its highest priority and
    lowest depth."""
    db.conn.executemany(_FRONTIER_UPSERT, [(e.url, e.priority, e.depth, discovered_at) for e in entries])


def save_frontier(db: Database, entries: Iterable[FrontierEntry], discovered_at: str) -> None:
    """`queue_urls` in a transaction of its own."""
    with transaction(db):
        queue_urls(db, entries, discovered_at)


def drop_urls(db: Database, urls: Iterable[str]) -> None:
    """Take finished URLs out of the frontier (inside the caller's transaction)."""
    db.conn.executemany("DELETE FROM frontier WHERE url = ?", [(u,) for u in urls])


def frontier_entries(db: Database) -> list[FrontierEntry]:
    """Best first, in insertion order among equals."""
    return [
        FrontierEntry(str(u), float(p), int(d))
        for u, p, d in db.execute("SELECT url, priority, depth FROM frontier ORDER BY priority DESC, rowid")
    ]


def frontier_size(db: Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM frontier").fetchone()[0])


# -- the page ledger, as a crawl sees it ----------------------------------------------------------


def pages_done_since(db: Database, since: str, statuses: Sequence[str]) -> list[PageDone]:
    """The pages recorded since `since` with one of `statuses`, by URL."""
    marks = ",".join("?" * len(statuses))
    return [
        PageDone(str(u), str(s))
        for u, s in db.execute(
            f"SELECT url, status FROM pages WHERE fetched_at >= ? AND status IN ({marks}) ORDER BY url",
            [since, *statuses],
        )
    ]


def page_counts_since(db: Database, since: str) -> PageCounts:
    counts = {
        str(s): int(n)
        for s, n in db.execute(
            "SELECT status, COUNT(*) FROM pages WHERE fetched_at >= ? GROUP BY status", (since,)
        )
    }
    return PageCounts(
        ok=counts.get("ok", 0),
        failed=counts.get("failed", 0),
        blocked=counts.get("blocked", 0),
        skipped_robots=counts.get("skipped_robots", 0),
    )


def publication_hosts(db: Database) -> dict[str, str]:
    """Custom domains and subdomains learned so far: host -> publication slug."""
    return {str(h): str(s) for h, s in db.execute("SELECT host, slug FROM publication_aliases")}


# -- links log ----------------------------------------------------------------------------------


class LinksLog:
    """The links of every page a crawl has read, kept until it finishes (table `crawl_links`).

    `--resume` needs them: a page read at depth d left out its links deeper than `max_depth`, and when
    a shorter path to it turns up after a restart, the frontier must offer them again. The pipeline
    appends each batch's links in the batch's own transaction, so a kill never leaves a page counted
    as read without its links. Rows carry the run's id, so another run's links never mix in.

    LinksLog(db, run_id): .append(pages) inside the caller's transaction, .load() -> {url: links},
    .remove() inside the caller's transaction."""

    def __init__(self, db: Database, run_id: int) -> None:
        self.db = db
        self.run_id = run_id

    def append(self, pages: Iterable[tuple[str, Sequence[str]]]) -> None:
        self.db.conn.executemany(
            "INSERT INTO crawl_links (run_id, url, links) VALUES (?, ?, ?) "
            "ON CONFLICT(run_id, url) DO UPDATE SET links = excluded.links",
            [(self.run_id, url, orjson.dumps(list(links)).decode()) for url, links in pages],
        )

    def load(self) -> dict[str, tuple[str, ...]]:
        """url -> links of this run's pages (a page read twice: its last links)."""
        rows = self.db.conn.execute("SELECT url, links FROM crawl_links WHERE run_id = ?", (self.run_id,))
        return {url: tuple(str(u) for u in orjson.loads(links)) for url, links in rows}

    def remove(self) -> None:
        """This run's links and any abandoned run's: only a resume of this run reads them."""
        self.db.conn.execute("DELETE FROM crawl_links WHERE run_id <= ?", (self.run_id,))


def page_count(db: Database) -> int:
    """Rows in the page ledger: every URL a crawl recorded, whatever its outcome."""
    return int(db.execute("SELECT COUNT(*) FROM pages").fetchone()[0])
