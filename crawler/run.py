"""Run one crawl in this process and return what it did.

    run_crawl(CrawlOptions(...), progress=CrawlProgress()) -> CrawlSummary

Sources: `fixtures` (the bundled niche, served by a loopback server started here), `live`
(https://medium.com with live politeness), `http://127.0.0.1:<port>` (an already running loopback
server answering for Medium's hosts: tests and benchmarks), or a folder of saved pages (imported
without Scrapy, see `crawler.saved_pages`). The Twisted reactor starts once per process, so call this
at most once per process (the CLI does; tests run the CLI in a subprocess).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from linkscout.core.errors import ConfigError, CrawlError
from linkscout.core.niche import BUNDLED_NICHE, require_seeds
from linkscout.crawler.pipelines import FRONTIER_UPSERT
from linkscout.crawler.settings import LOOPBACK_HANDLER, live_settings, loopback_settings
from linkscout.crawler.spiders.frontier import Frontier, Strategy, seed_urls
from linkscout.crawler.types import DONE_STATUSES, CrawlOptions, CrawlProgress, CrawlSummary, Entry
from linkscout.store.crawl_lock import crawl_lock
from linkscout.store.crawl_state import LinksLog
from linkscout.store.crawl_summary import held_since
from linkscout.store.db import open_db, transaction, utcnow
from linkscout.store.world import claim_world, world_for

FIXTURE_SITE = BUNDLED_NICHE.parent / "site"


class Interrupt:
    """Signals received during a crawl (set from signal handlers: only notes, never raises)."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.count = 0

    def note(self, signum: int, _frame: object = None) -> None:
        if self.signum is None:
            self.signum = signum
        self.count += 1

    def __bool__(self) -> bool:
        return self.signum is not None

    @property
    def name(self) -> str:
        import signal

        return signal.Signals(self.signum).name if self.signum is not None else ""


def source_kind(source: str) -> str:
    if source in ("fixtures", "live"):
        return source
    if source.startswith(("http://127.0.0.1", "http://localhost", "http://[::1]")):
        return "loopback"
    if source.startswith(("http://", "https://")):
        raise ConfigError(
            f"--source {source}: only loopback servers (http://127.0.0.1:PORT) can be given as URLs"
        )
    return "dir"


def run_crawl(
    opts: CrawlOptions, progress: CrawlProgress | None = None, interrupt: Interrupt | None = None
) -> CrawlSummary:
    """Run the crawl. `interrupt` is what the caller's SIGINT/SIGTERM handlers note: once set, the
    crawl stops issuing requests, finishes what is in flight and is recorded as interrupted."""
    interrupt = interrupt if interrupt is not None else Interrupt()
    kind = source_kind(opts.source)
    if kind != "dir":
        require_seeds(opts.niche)
    open_db(opts.db_path).conn.close()  # a usable database (and its folder) before taking the lock
    with crawl_lock(opts.db_path, source=opts.source):
        return _run_locked(opts, kind, progress, interrupt)


def _run_locked(
    opts: CrawlOptions, kind: str, progress: CrawlProgress | None, interrupt: Interrupt
) -> CrawlSummary:
    db = open_db(opts.db_path)
    try:
        claim_world(db, world_for(kind), opts.db_path)
    finally:
        db.conn.close()
    if kind == "dir":
        from linkscout.crawler.saved_pages import import_dir

        summary: CrawlSummary = import_dir(
            Path(opts.source), opts.db_path, progress=progress, should_stop=lambda: bool(interrupt)
        )
        return summary
    budget = opts.budget if opts.budget is not None else opts.niche.crawl.max_pages
    depth = opts.depth if opts.depth is not None else opts.niche.crawl.max_depth
    if budget < 1:
        raise ConfigError("--budget must be at least 1 page")
    server = None
    if kind == "fixtures":
        from linkscout.crawler.fixture_site import serve

        if not (FIXTURE_SITE / "index.json").exists():
            raise ConfigError(
                f"the bundled fixture site is missing ({FIXTURE_SITE}); run `python -m tools.fixture_gen`"
            )
        server = serve(FIXTURE_SITE)
        origin = server.url
    else:
        origin = opts.source.rstrip("/")
    try:
        if kind == "live":
            settings = live_settings(opts.niche, db_path=opts.db_path, verbosity=opts.verbosity)
            if opts.transport:
                if source_kind(opts.transport) != "loopback":
                    raise ConfigError("the live transport can only be redirected to a loopback server")
                settings.update(
                    DOWNLOAD_HANDLERS={"http": LOOPBACK_HANDLER, "https": LOOPBACK_HANDLER},
                    LINKSCOUT_LOOPBACK_ORIGIN=opts.transport.rstrip("/"),
                )
        else:
            settings = loopback_settings(opts.niche, origin=origin, verbosity=opts.verbosity)
        return _crawl(
            opts,
            settings,
            budget=budget,
            depth=depth,
            progress=progress or CrawlProgress(),
            interrupt=interrupt,
        )
    finally:
        if server is not None:
            server.close()


def _crawl(opts: CrawlOptions, settings: dict[str, Any], *, budget: int, depth: int,
           progress: CrawlProgress, interrupt: Interrupt) -> CrawlSummary:  # fmt: skip
    import signal

    from scrapy.crawler import AsyncCrawlerProcess

    class Process(AsyncCrawlerProcess):
        """Scrapy's process, whose own SIGINT/SIGTERM handlers (graceful stop, then kill) also note
        the signal, so the run is recorded as interrupted however the reactor ends."""

        def _signal_shutdown(self, signum: int, frame: Any) -> None:
            interrupt.note(signum)
            super()._signal_shutdown(signum, frame)

        def _signal_kill(self, signum: int, frame: Any) -> None:
            interrupt.note(signum)
            super()._signal_kill(signum, frame)

    from linkscout.crawler.spiders.niche_spider import NicheSpider
    from linkscout.crawler.types import CrawlPlan

    db = open_db(opts.db_path)
    frontier = Frontier(
        tags=opts.niche.niche.tags,
        keywords=opts.niche.niche.keywords,
        strategy=opts.strategy,
        max_depth=depth,
    )
    run = _latest_open_run(db) if opts.resume else None
    resumed = run is not None
    if opts.resume and run is None and db.execute("SELECT COUNT(*) FROM crawl_runs").fetchone()[0]:
        db.conn.close()
        summary = CrawlSummary(source=opts.source, strategy=opts.strategy, budget=budget, outcome="nothing")
        summary.message = "the last crawl finished: nothing to resume (run without --resume for a new crawl)"
        return summary
    seeds = seed_urls(opts.niche.niche.tags, opts.niche.niche.publications)
    if run is not None:
        run_id, started_at, budget, already = run["id"], run["started_at"], run["budget"], run["fetched"]
        frontier.max_depth = run["max_depth"]
        frontier.strategy = Strategy(run["strategy"])
        restore_frontier(db, frontier, seeds, LinksLog(db, run_id), started_at=started_at)
    else:
        already = 0
        started_at = utcnow()
        with transaction(db):
            db.conn.execute("UPDATE crawl_runs SET outcome = 'interrupted' WHERE finished_at IS NULL")
            run_id = db.conn.execute(
                "INSERT INTO crawl_runs (started_at, source, strategy, budget, max_depth) VALUES (?, ?, ?, ?, ?)",
                (started_at, opts.source, str(frontier.strategy), budget, depth),
            ).lastrowid
            db.conn.execute("DELETE FROM frontier")
            frontier.add_seeds(seeds)
            rows = [(e.url, e.priority, e.depth, started_at) for e in frontier.drain()]
            db.conn.executemany(FRONTIER_UPSERT, rows)
            assert run_id is not None
            LinksLog(db, run_id).remove()  # an abandoned crawl's links
    db.conn.close()
    progress.budget = budget
    progress.pages = progress.already = already
    plan = CrawlPlan(
        frontier=frontier, db_path=opts.db_path, budget=budget, run_id=run_id, already_fetched=already,
        interrupted=lambda: bool(interrupt),
    )  # fmt: skip
    summary = CrawlSummary(
        source=opts.source, strategy=str(frontier.strategy), budget=budget, resumed=resumed
    )
    if already >= budget or len(frontier) == 0:
        summary.outcome = "nothing"
        summary.message = "nothing left to crawl: the budget is spent or the frontier is empty"
    elif not interrupt:
        process = Process(settings)
        if opts.verbosity == 0:
            logging.getLogger("scrapy").setLevel(logging.CRITICAL)
            logging.getLogger("twisted").setLevel(logging.CRITICAL)
        crawler = process.create_crawler(NicheSpider)
        process.crawl(crawler, plan=plan, progress=progress)
        process.start()
        for signum in (signal.SIGINT, signal.SIGTERM):  # Scrapy's handlers are gone with the reactor
            signal.signal(signum, interrupt.note)
        stats = crawler.stats.get_stats() if crawler.stats else {}
        summary.extra = {
            k: v for k, v in stats.items() if k.startswith(("linkscout/", "retry/", "robotstxt/"))
        }
        summary.extra["finish_reason"] = stats.get("finish_reason")
    _finish(summary, plan, progress, run_id, interrupt, stats_reason=summary.extra.get("finish_reason"))
    return summary


def restore_frontier(
    db: Any, frontier: Frontier, seeds: list[str], links_log: LinksLog, *, started_at: str
) -> None:
    """Rebuild the frontier of an interrupted crawl from the database and its `LinksLog`.

    The pages it finished are never fetched again; the ones it read come back with their links, and
    the seeds and stored entries settle every depth again, so a page that the interrupted run read
    too deep to follow its links passes them on if a shorter path to it exists. Whatever that queues
    or moves up is stored at once.
    """
    # Custom domains learned before the interruption: without them their URLs look external.
    frontier.pub_hosts.update(dict(db.execute("SELECT host, slug FROM publication_aliases").fetchall()))
    links = links_log.load()
    marks = ",".join("?" * len(DONE_STATUSES))
    for url, status in db.execute(
        f"SELECT url, status FROM pages WHERE fetched_at >= ? AND status IN ({marks}) ORDER BY url",
        [started_at, *DONE_STATUSES],
    ).fetchall():
        frontier.mark_seen(url, links.get(url) if status == "ok" else None)
    rows = db.execute("SELECT url, priority, depth FROM frontier ORDER BY priority DESC, rowid").fetchall()
    frontier.restore(Entry(u, p, d) for u, p, d in rows)
    frontier.add_seeds(seeds)
    now = utcnow()
    with transaction(db):
        db.conn.executemany(FRONTIER_UPSERT, [(e.url, e.priority, e.depth, now) for e in frontier.drain()])


def _latest_open_run(db: Any) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT id, started_at, budget, fetched, max_depth, strategy FROM crawl_runs "
        "WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return dict(zip(("id", "started_at", "budget", "fetched", "max_depth", "strategy"), row, strict=True))


def _finish(summary: CrawlSummary, plan: Any, progress: CrawlProgress, run_id: int,
            interrupt: Interrupt, *, stats_reason: str | None) -> None:  # fmt: skip
    """Count what the database holds and record how the run ended. A signal arriving while this
    runs is held until the outcome is written, then the outcome is corrected to interrupted."""
    import signal

    db = open_db(plan.db_path)
    try:
        run_fetched, started_at = db.execute(
            "SELECT fetched, started_at FROM crawl_runs WHERE id = ?", (run_id,)
        ).fetchone()
        summary.pending = db.execute("SELECT COUNT(*) FROM frontier").fetchone()[0]
        summary.pages = run_fetched
        # Outcomes over the whole crawl, resumed parts included.
        by_status = dict(
            db.execute(
                "SELECT status, COUNT(*) FROM pages WHERE fetched_at >= ? GROUP BY status", (started_at,)
            )
        )
        summary.ok, summary.failed = by_status.get("ok", 0), by_status.get("failed", 0)
        summary.blocked, summary.skipped_robots = (
            by_status.get("blocked", 0),
            by_status.get("skipped_robots", 0),
        )
        held = held_since(db, started_at)
        summary.posts, summary.authors, summary.publications = held.posts, held.authors, held.publications
        if plan.stop_message:
            summary.outcome, summary.message = plan.stop_outcome, plan.stop_message
        elif summary.outcome == "nothing":
            pass
        elif summary.ok == 0 and run_fetched > 0:
            summary.outcome = "failed"
            summary.message = (
                f"none of the {run_fetched} pages fetched could be read "
                f"({summary.failed} failed, {summary.blocked} blocked)"
            )
        elif stats_reason not in (None, "finished"):
            summary.outcome = "failed"
            summary.message = (
                f"the crawl stopped early ({stats_reason}); run `linkscout crawl --resume` to go on"
            )
        elif run_fetched >= plan.budget and summary.pending:
            summary.outcome = "budget"
        else:
            summary.outcome = "done"
        if plan.notes and not plan.stop_message:
            left = "; ".join(sorted(plan.notes))
            summary.message = f"{left}: that host's pages were left for `linkscout crawl --resume`"
        resumable = bool(plan.stop_message) or (stats_reason not in (None, "finished"))
        held_signals = {signal.SIGINT, signal.SIGTERM}
        signal.pthread_sigmask(signal.SIG_BLOCK, held_signals)
        try:
            _record_outcome(db, summary, run_id, interrupt, resumable=resumable)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, held_signals)  # a held signal is noted now
        if interrupt and summary.outcome != "interrupted":
            _record_outcome(db, summary, run_id, interrupt, resumable=True)
    finally:
        db.conn.close()
    summary.elapsed = progress_elapsed(progress)


def _record_outcome(db: Any, summary: CrawlSummary, run_id: int, interrupt: Interrupt, *,
                    resumable: bool) -> None:  # fmt: skip
    if interrupt:
        summary.outcome = "interrupted"
        summary.message = f"interrupted ({interrupt.name}); run `linkscout crawl --resume` to go on"
        resumable = True
    with transaction(db):
        db.conn.execute(
            "UPDATE crawl_runs SET finished_at = ?, outcome = ? WHERE id = ?",
            (None if resumable else utcnow(), summary.outcome, run_id),
        )
        if not resumable:
            LinksLog(db, run_id).remove()  # only a resume reads it


def progress_elapsed(progress: CrawlProgress) -> float:
    import time

    return round(time.monotonic() - progress.started, 2)


__all__ = ["CrawlError", "CrawlOptions", "CrawlSummary", "restore_frontier", "run_crawl", "source_kind"]
