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


# -- runs ---------------------------------------------------------------------------------------


def latest_open_run(db: Database) -> CrawlRun | None:
    row = db.execute(
        "SELECT id, started_at, budget, fetched, max_depth, strategy FROM crawl_runs "
        "WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return None if row is None else CrawlRun(*row)


def has_runs(db: Database) -> bool:
    return bool(db.execute("SELECT COUNT(*) FROM crawl_runs").fetchone()[0])


def start_run(
    db: Database, *, started_at: str, source: str, strategy: str, budget: int, max_depth: int
) -> int:
    """A new run (any unfinished one is marked interrupted); the caller holds the transaction."""
    db.conn.execute("UPDATE crawl_runs SET outcome = 'interrupted' WHERE finished_at IS NULL")
    run_id = db.conn.execute(
        "INSERT INTO crawl_runs (started_at, source, strategy, budget, max_depth) VALUES (?, ?, ?, ?, ?)",
        (started_at, source, strategy, budget, max_depth),
    ).lastrowid
    assert run_id is not None
    return run_id


def add_fetched(db: Database, run_id: int, pages: int) -> None:
    db.conn.execute("UPDATE crawl_runs SET fetched = fetched + ? WHERE id = ?", (pages, run_id))


def run_fetched(db: Database, run_id: int) -> tuple[int, str]:
    """(pages fetched, started_at) of a run."""
    fetched, started_at = db.execute(
        "SELECT fetched, started_at FROM crawl_runs WHERE id = ?", (run_id,)
    ).fetchone()
    return int(fetched), str(started_at)


def finish_run(db: Database, run_id: int, *, finished_at: str | None, outcome: str) -> None:
    db.conn.execute(
        "UPDATE crawl_runs SET finished_at = ?, outcome = ? WHERE id = ?", (finished_at, outcome, run_id)
    )


# -- frontier -----------------------------------------------------------------------------------


def queue_urls(db: Database, entries: Iterable[tuple[str, float, int]], discovered_at: str) -> None:
    """Add (url, priority, depth) entries; a known URL keeps its highest priority and lowest depth."""
    db.conn.executemany(_FRONTIER_UPSERT, [(u, p, d, discovered_at) for u, p, d in entries])


def drop_urls(db: Database, urls: Iterable[str]) -> None:
    db.conn.executemany("DELETE FROM frontier WHERE url = ?", [(u,) for u in urls])


def clear_frontier(db: Database) -> None:
    db.conn.execute("DELETE FROM frontier")


def frontier_entries(db: Database) -> list[tuple[str, float, int]]:
    """(url, priority, depth), best first, in insertion order among equals."""
    return [
        (u, p, d)
        for u, p, d in db.execute("SELECT url, priority, depth FROM frontier ORDER BY priority DESC, rowid")
    ]


def frontier_size(db: Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM frontier").fetchone()[0])


# -- the page ledger, as a crawl sees it ----------------------------------------------------------


def pages_done_since(db: Database, since: str, statuses: Sequence[str]) -> list[tuple[str, str]]:
    """(url, status) of the pages recorded since `since` with one of `statuses`, by URL."""
    marks = ",".join("?" * len(statuses))
    return [
        (u, s)
        for u, s in db.execute(
            f"SELECT url, status FROM pages WHERE fetched_at >= ? AND status IN ({marks}) ORDER BY url",
            [since, *statuses],
        )
    ]


def page_status_counts(db: Database, since: str) -> dict[str, int]:
    return {
        s: int(n)
        for s, n in db.execute(
            "SELECT status, COUNT(*) FROM pages WHERE fetched_at >= ? GROUP BY status", (since,)
        )
    }


def publication_hosts(db: Database) -> dict[str, str]:
    """Custom domains and subdomains learned so far: host -> publication slug."""
    return {h: s for h, s in db.execute("SELECT host, slug FROM publication_aliases")}


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
