"""`linkscout crawl`: fill the database from live Medium, a folder of saved pages, or the bundled fixture niche."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from linkscout.cli.common import DbOpt, NicheOpt, error, handles_errors, resolve
from linkscout.cli.layout import plural
from linkscout.cli.render import Format, render_one
from linkscout.core.niche import is_bundled

if TYPE_CHECKING:  # Scrapy, Twisted and rich load only when a crawl runs, not for every command's start-up
    from rich.console import Console

    from linkscout.crawler.run import Interrupt
    from linkscout.crawler.types import CrawlProgress, CrawlSummary


class Strategy(StrEnum):
    best = "best"
    breadth = "breadth"


PLAIN_EVERY = 30.0  # seconds between progress lines when stderr is not a terminal
EXIT_FOR = {signal.SIGINT: 130, signal.SIGTERM: 143}


@handles_errors
def crawl(
    niche: NicheOpt = None,
    db: DbOpt = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="live (https://medium.com, politely), a folder of pages saved from your browser, or "
            "fixtures (the bundled, invented niche over loopback). Required for your own niche.",
        ),
    ] = None,
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
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", help="table: a summary line on stderr; json: the summary on stdout."),
    ] = Format.table,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="Show Scrapy's log (-vv: debug).")
    ] = 0,
    via: Annotated[
        str | None, typer.Option("--via", hidden=True, help="Tests: live profile, loopback transport.")
    ] = None,
) -> None:
    """Crawl the niche's tags and publications into the database, best-first within a page budget.

    Obeys robots.txt (a host whose robots.txt cannot be read is not crawled), sends an honest
    User-Agent, and live waits at least 4 s between the starts of any two requests. The bundled
    fixture niche crawls its invented site by default; your own niche needs --source. Ctrl-C stops
    cleanly (exit 130) and `--resume` goes on. Progress goes to stderr; a summary follows.

    Example: linkscout crawl --source live --budget 300
    """
    from rich.console import Console

    from linkscout.crawler.run import Interrupt

    interrupt = Interrupt()
    previous = {s: signal.signal(s, interrupt.note) for s in EXIT_FOR}  # noted, never raised mid-write
    try:
        summary, db_path = _crawl(niche, db, source, budget, depth, strategy, resume, verbose, via, interrupt)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    console = Console(stderr=True)
    _print_summary(console, summary, db_path)
    if fmt is not Format.table:
        render_one(summary_json(summary, db_path), fmt)
    if summary.outcome == "interrupted":
        raise typer.Exit(EXIT_FOR.get(signal.Signals(interrupt.signum or signal.SIGINT), 130))
    if not summary.succeeded:
        raise typer.Exit(1)


def _crawl(niche: Path | None, db: Path | None, source: str | None, budget: int | None, depth: int | None,
           strategy: Strategy, resume: bool, verbose: int, via: str | None,
           interrupt: Interrupt) -> tuple[CrawlSummary, Path]:  # fmt: skip
    from rich.console import Console

    from linkscout.crawler.run import run_crawl
    from linkscout.crawler.types import CrawlOptions, CrawlProgress

    n, db_path = resolve(niche, db)
    if source is None:
        if not is_bundled(n):
            error(
                f"say where {n.path or 'your niche'}'s pages come from: --source live (medium.com, "
                "politely) or --source DIR (a folder of pages saved from your browser)"
            )
            raise typer.Exit(2)
        source = "fixtures"

    opts = CrawlOptions(
        niche=n, db_path=db_path, source=source, budget=budget, depth=depth, strategy=strategy.value,
        resume=resume, verbosity=verbose, transport=via,
    )  # fmt: skip
    progress = CrawlProgress()
    console = Console(stderr=True)
    stop = threading.Event()
    ticker = None
    if verbose == 0:
        target: Callable[..., None] = _bar if console.is_terminal else _plain
        ticker = threading.Thread(target=target, args=(console, progress, stop), daemon=True)
        ticker.start()
    try:
        return run_crawl(opts, progress, interrupt), db_path
    finally:
        stop.set()
        if ticker is not None:
            ticker.join(timeout=2)


def progress_line(p: CrawlProgress, now: float | None = None) -> str:
    """One plain progress line: pages done of the budget, outcomes, rate and time left."""
    elapsed = max((now if now is not None else time.monotonic()) - p.started, 1e-9)
    done_here = max(p.pages - p.already, 0)
    rate = done_here / elapsed * 60  # pages per minute in this process
    left = max(p.budget - p.pages, 0)
    eta = f", about {_duration(left / rate * 60)} left" if rate > 0 and left else ""
    return (
        f"pages {p.pages}/{p.budget} ({p.ok} ok, {p.failed} failed, {p.blocked} blocked), "
        f"{rate:.1f} pages/min{eta}"
    )


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 1:
        return f"{max(round(seconds), 1)} s"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _plain(console: Console, progress: CrawlProgress, stop: threading.Event,
           every: float = PLAIN_EVERY, write: Callable[[str], Any] | None = None) -> None:  # fmt: skip
    """Not a terminal (cron, nohup, a pipe): one plain line every `every` seconds."""
    out = write or (lambda line: print(line, file=sys.stderr, flush=True))
    while not stop.wait(every):
        out("linkscout crawl: " + progress_line(progress))


def _bar(console: Console, progress: CrawlProgress, stop: threading.Event) -> None:
    """A terminal: a rich progress bar with pages of the budget, outcomes, rate and ETA."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("crawl"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[counts]}"),
        TextColumn("{task.fields[rate]}"), TextColumn("ETA"), TimeRemainingColumn(),
    )  # fmt: skip
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("crawl", total=progress.budget or None, counts="", rate="")
        while not stop.wait(0.5):
            p = progress
            elapsed = max(time.monotonic() - p.started, 1e-9)
            bar.update(
                task, total=p.budget or None, completed=p.pages,
                counts=f"{p.ok} ok, {p.failed} failed, {p.blocked} blocked",
                rate=f"{max(p.pages - p.already, 0) / elapsed * 60:.1f} pages/min",
            )  # fmt: skip


def summary_json(s: CrawlSummary, db_path: Path) -> dict[str, Any]:
    return {
        "outcome": s.outcome, "succeeded": s.succeeded, "message": s.message, "source": s.source,
        "strategy": s.strategy, "resumed": s.resumed, "budget": s.budget, "pages": s.pages, "ok": s.ok,
        "failed": s.failed, "blocked": s.blocked, "skipped_robots": s.skipped_robots, "skipped": s.skipped,
        "posts": s.posts, "authors": s.authors, "publications": s.publications, "pending": s.pending,
        "elapsed_s": s.elapsed, "database": str(db_path),
    }  # fmt: skip


def _print_summary(console: Console, s: CrawlSummary, db_path: object) -> None:
    what = "Resumed crawl" if s.resumed else "Crawl"
    how = "saved pages" if s.strategy == "saved" else f"{s.strategy}-first"
    skipped = f", {s.skipped} skipped" if s.skipped else ""
    robots = "" if s.strategy == "saved" else f", {s.skipped_robots} skipped by robots.txt"
    console.print(
        f"{what} ({s.source}, {how}) {s.outcome}: {s.pages}/{s.budget} pages "
        f"({s.ok} ok, {s.failed} failed, {s.blocked} blocked{skipped}{robots}); "
        f"{plural(s.posts, 'post')}, {plural(s.authors, 'author')}, {plural(s.publications, 'publication')} "
        f"in the database from this crawl; {plural(s.pending, 'URL')} left; {s.elapsed:.1f} s. "
        f"Database: {db_path}",
        highlight=False,
        soft_wrap=True,
    )
    if s.message:
        label = "Note: " if s.succeeded else ("Stopped: " if s.outcome == "interrupted" else "Error: ")
        console.print(label + s.message, highlight=False, soft_wrap=True)
    sys.stderr.flush()
