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

from sqlite_utils import Database

from linkscout.core.errors import ConfigError, CrawlError
from linkscout.core.niche import BUNDLED_NICHE, require_seeds
from linkscout.crawler.settings import LOOPBACK_HANDLER, live_settings, loopback_settings
from linkscout.crawler.spiders.frontier import Frontier, Strategy, seed_urls
from linkscout.crawler.types import DONE_STATUSES, CrawlOptions, CrawlPlan, CrawlProgress, CrawlSummary
from linkscout.store import crawl_state
from linkscout.store.crawl_lock import crawl_lock
from linkscout.store.crawl_state import LinksLog
from linkscout.store.crawl_summary import held_since
from linkscout.store.db import open_db, utcnow
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
    crawl stops issuing requests, finishes what is in flight and is recorded as interrupted.

    The database is opened once, here (a foreign, damaged or read-only file is refused before anything
    is fetched), and that one connection serves the whole crawl: world claim, run state, the
    pipeline's batches, the summary. It also makes the database's folder before the lock is taken."""
    interrupt = interrupt if interrupt is not None else Interrupt()
    db = open_db(opts.db_path, write=True, check=True)
    try:
        kind = source_kind(opts.source)
        if kind != "dir":
            require_seeds(opts.niche)
        with crawl_lock(opts.db_path, source=opts.source):
            return _run_locked(db, opts, kind, progress, interrupt)
    finally:
        db.conn.close()


def _run_locked(
    db: Database, opts: CrawlOptions, kind: str, progress: CrawlProgress | None, interrupt: Interrupt
) -> CrawlSummary:
    claim_world(db, world_for(kind), opts.db_path)
    if kind == "dir":
        from linkscout.crawler.saved_pages import import_dir

        return import_dir(
            Path(opts.source), opts.db_path, db=db, progress=progress, should_stop=lambda: bool(interrupt)
        )
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
            db,
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


def _crawl(db: Database, opts: CrawlOptions, settings: dict[str, Any], *, budget: int, depth: int,
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

    frontier = Frontier(
        tags=opts.niche.niche.tags,
        keywords=opts.niche.niche.keywords,
        strategy=opts.strategy,
        max_depth=depth,
    )
    run = crawl_state.latest_open_run(db) if opts.resume else None
    resumed = run is not None
    if opts.resume and run is None and crawl_state.has_runs(db):
        summary = CrawlSummary(source=opts.source, strategy=opts.strategy, budget=budget, outcome="nothing")
        summary.message = "the last crawl finished: nothing to resume (run without --resume for a new crawl)"
        return summary
    seeds = seed_urls(opts.niche.niche.tags, opts.niche.niche.publications)
    if run is not None:
        run_id, budget, already = run.id, run.budget, run.fetched
        frontier.max_depth = run.max_depth
        frontier.strategy = Strategy(run.strategy)
        restore_frontier(db, frontier, seeds, LinksLog(db, run_id), started_at=run.started_at)
    else:
        already = 0
        frontier.add_seeds(seeds)
        run_id = crawl_state.begin_run(
            db, started_at=utcnow(), source=opts.source, strategy=str(frontier.strategy), budget=budget,
            max_depth=depth, seeds=frontier.drain(),
        )  # fmt: skip
    progress.budget = budget
    progress.pages = progress.already = already
    plan = CrawlPlan(
        frontier=frontier, db=db, budget=budget, run_id=run_id, already_fetched=already,
        interrupted=lambda: bool(interrupt),
    )  # fmt: skip
    summary = CrawlSummary(
        source=opts.source, strategy=str(frontier.strategy), budget=budget, resumed=resumed
    )
    if resumed and (already >= budget or len(frontier) == 0):
        # Interrupted after its last page (while Scrapy was shutting down): nothing to fetch, and the
        # run ends as an uninterrupted one would have (done, or budget with URLs left).
        summary.message = "the interrupted run had fetched all its pages; it is recorded as finished"
    elif already >= budget or len(frontier) == 0:
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
    db: Database, frontier: Frontier, seeds: list[str], links_log: LinksLog, *, started_at: str
) -> None:
    """Rebuild the frontier of an interrupted crawl from the database and its `LinksLog`.

    The pages it finished are never fetched again; the ones it read come back with their links, and
    the seeds and stored entries settle every depth again, so a page that the interrupted run read
    too deep to follow its links passes them on if a shorter path to it exists. Whatever that queues
    or moves up is stored at once.
    """
    # Custom domains learned before the interruption: without them their URLs look external.
    frontier.pub_hosts.update(crawl_state.publication_hosts(db))
    links = links_log.load()
    for page in crawl_state.pages_done_since(db, started_at, DONE_STATUSES):
        frontier.mark_seen(page.url, links.get(page.url) if page.status == "ok" else None)
    frontier.restore(crawl_state.frontier_entries(db))
    frontier.add_seeds(seeds)
    crawl_state.save_frontier(db, frontier.drain(), utcnow())


def _finish(summary: CrawlSummary, plan: CrawlPlan, progress: CrawlProgress, run_id: int,
            interrupt: Interrupt, *, stats_reason: str | None) -> None:  # fmt: skip
    """Count what the database holds and record how the run ended. A signal arriving while this
    runs is held until the outcome is written, then the outcome is corrected to interrupted."""
    import signal

    db = plan.db
    run = crawl_state.run_progress(db, run_id)
    run_fetched, started_at = run.fetched, run.started_at
    summary.pending = crawl_state.frontier_size(db)
    summary.pages = run_fetched
    # Outcomes over the whole crawl, resumed parts included.
    counts = crawl_state.page_counts_since(db, started_at)
    summary.ok, summary.failed = counts.ok, counts.failed
    summary.blocked, summary.skipped_robots = counts.blocked, counts.skipped_robots
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
        summary.message = f"the crawl stopped early ({stats_reason}); run `linkscout crawl --resume` to go on"
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
    summary.elapsed = progress_elapsed(progress)


def _record_outcome(db: Database, summary: CrawlSummary, run_id: int, interrupt: Interrupt, *,
                    resumable: bool) -> None:  # fmt: skip
    if interrupt:
        summary.outcome = "interrupted"
        summary.message = f"interrupted ({interrupt.name}); run `linkscout crawl --resume` to go on"
        resumable = True
    crawl_state.finish_run(db, run_id, outcome=summary.outcome, finished_at=None if resumable else utcnow())


def progress_elapsed(progress: CrawlProgress) -> float:
    import time

    return round(time.monotonic() - progress.started, 2)


__all__ = ["CrawlError", "CrawlOptions", "CrawlSummary", "restore_frontier", "run_crawl", "source_kind"]
