"""`linkscout crawl`: fill the database from the bundled fixture niche, live Medium, or saved pages."""

from __future__ import annotations

import sys
import threading
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from linkscout.cli.common import DbOpt, NicheOpt, handles_errors, resolve
from linkscout.cli.layout import plural

if TYPE_CHECKING:  # Scrapy and Twisted load only when a crawl runs, not for every command's start-up
    from linkscout.crawler.pipelines import CrawlProgress
    from linkscout.crawler.run import CrawlSummary


class Strategy(StrEnum):
    best = "best"
    breadth = "breadth"


@handles_errors
def crawl(
    niche: NicheOpt = None,
    db: DbOpt = None,
    source: Annotated[
        str,
        typer.Option(
            "--source",
            help="fixtures (the bundled niche over loopback), live (https://medium.com, politely), "
            "or a folder of pages saved from your browser.",
        ),
    ] = "fixtures",
    budget: Annotated[
        int | None, typer.Option("--budget", help="Most pages to fetch (default: [crawl] max_pages).")
    ] = None,
    depth: Annotated[
        int | None,
        typer.Option("--depth", help="Most links away from the seeds (default: [crawl] max_depth)."),
    ] = None,
    strategy: Annotated[
        Strategy,
        typer.Option("--strategy", help="best: likeliest niche pages first; breadth: nearest first."),
    ] = Strategy.best,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the last interrupted crawl.")] = False,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="Show Scrapy's log (-vv: debug).")
    ] = 0,
) -> None:
    """Crawl the niche's tags and publications into the database, best-first within a page budget.

    Obeys robots.txt, sends an honest User-Agent, and live waits at least 4 s between requests.
    Progress goes to stderr; a summary follows. Exit 1 when the crawl could not do its job.

    Example: linkscout crawl --source live --budget 300
    """
    from linkscout.crawler.pipelines import CrawlProgress
    from linkscout.crawler.run import CrawlOptions, run_crawl

    n, db_path = resolve(niche, db)
    from linkscout.store.db import open_db

    open_db(db_path, write=True, check=True).conn.close()  # refuse a foreign, damaged or read-only file first
    opts = CrawlOptions(
        niche=n, db_path=db_path, source=source, budget=budget, depth=depth, strategy=strategy.value,
        resume=resume, verbosity=verbose,
    )  # fmt: skip
    progress = CrawlProgress()
    console = Console(stderr=True)
    stop = threading.Event()
    ticker = None
    if console.is_terminal and verbose == 0:
        ticker = threading.Thread(target=_tick, args=(console, progress, stop), daemon=True)
        ticker.start()
    try:
        summary = run_crawl(opts, progress)
    finally:
        stop.set()
        if ticker is not None:
            ticker.join(timeout=2)
    _print_summary(console, summary, db_path)
    if not summary.succeeded:
        raise typer.Exit(1)


def progress_line(p: CrawlProgress) -> str:
    return (
        f"pages {p.pages}/{p.budget}  posts {len(p.posts)}  authors {len(p.authors)}  "
        f"publications {len(p.publications)}  blocked {p.blocked}  errors {p.failed}"
    )


def _tick(console: Console, progress: CrawlProgress, stop: threading.Event) -> None:
    with console.status(progress_line(progress)) as status:
        while not stop.wait(0.25):
            status.update(progress_line(progress))


def _print_summary(console: Console, s: CrawlSummary, db_path: object) -> None:
    what = "Resumed crawl" if s.resumed else "Crawl"
    how = "saved pages" if s.strategy == "saved" else f"{s.strategy}-first"
    console.print(
        f"{what} ({s.source}, {how}) {s.outcome}: {s.pages}/{s.budget} pages "
        f"({s.ok} ok, {s.failed} failed, {s.blocked} blocked, {s.skipped_robots} skipped by robots.txt); "
        f"{plural(s.posts, 'post')}, {plural(s.authors, 'author')}, {plural(s.publications, 'publication')}; "
        f"{plural(s.pending, 'URL')} left; {s.elapsed:.1f} s. Database: {db_path}",
        highlight=False,
        soft_wrap=True,
    )
    if s.message:
        stream = console if s.succeeded else Console(stderr=True)
        stream.print(("Note: " if s.succeeded else "Error: ") + s.message, highlight=False, soft_wrap=True)
    sys.stderr.flush()
