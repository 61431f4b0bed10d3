"""Interruptions never lie (issue 11, point 4), and one crawl per database (point 5).

A crawl of the bundled fixture niche is interrupted at a sweep of moments — before its first page,
after N committed pages with SIGINT, with SIGINT twice, with SIGTERM — each time resumed, and the
last resume finishes it. Signals are sent when the database says how far the crawl is (committed
pages), not after a wall-clock delay. Every interrupted run must exit 130 (143 for SIGTERM), be
recorded as interrupted, print a summary that counts what the database holds, and the finished
crawl must equal one that was never interrupted.
"""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers_reliability import (
    NICHE,
    REPO,
    SITE,
    clean_crawl,
    contents,
    crawl,
    crawl_argv,
    diff,
    env,
    integrity,
)

from linkscout.crawler.fixture_site import serve

pytestmark = pytest.mark.slow


def _state(db: Path) -> tuple[int, int] | None:
    """(crawl runs, pages the latest run committed), or None before the first run row exists."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            row = conn.execute("SELECT COUNT(*), MAX(id) FROM crawl_runs").fetchone()
            if not row or not row[0]:
                return None
            fetched = conn.execute("SELECT fetched FROM crawl_runs WHERE id = ?", (row[1],)).fetchone()[0]
            return row[0], fetched
    except sqlite3.Error:
        return None


def _interrupt(argv: list[str], db: Path, ready: Callable[[tuple[int, int] | None], bool],
               signals: list[signal.Signals]) -> subprocess.CompletedProcess[str]:  # fmt: skip
    p = subprocess.Popen(argv, cwd=REPO, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while p.poll() is None and time.monotonic() < deadline and not ready(_state(db)):
        time.sleep(0.01)
    for s in signals:
        if p.poll() is None:
            p.send_signal(s)
            time.sleep(0.05)
    out, err = p.communicate(timeout=120)
    return subprocess.CompletedProcess(argv, p.returncode, out, err)


def _held(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        started, fetched = conn.execute("SELECT started_at, fetched FROM crawl_runs").fetchone()
        posts = conn.execute(
            "SELECT COUNT(*) FROM posts WHERE last_seen >= ? AND COALESCE(is_response, 0) = 0", (started,)
        ).fetchone()[0]
    return fetched, posts


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return clean_crawl(tmp_path_factory.getbasetemp())


def test_signal_sweep_then_resume_equals_an_uninterrupted_crawl(clean: Path, tmp_path: Path) -> None:
    db = tmp_path / "sweep.db"
    sweep: list[tuple[str, Callable[[tuple[int, int] | None], bool], list[signal.Signals], int]] = []
    sweep.append(("before the first page", lambda s: s is not None, [signal.SIGINT], 130))
    marks: list[int] = []

    def after_more(extra: int) -> Callable[[tuple[int, int] | None], bool]:
        return lambda s: s is not None and s[1] >= marks[-1] + extra

    sweep.append(("SIGINT after committed pages", after_more(1), [signal.SIGINT], 130))
    sweep.append(("SIGINT twice", after_more(1), [signal.SIGINT, signal.SIGINT], 130))
    sweep.append(("SIGTERM", after_more(1), [signal.SIGTERM], 143))
    with serve(SITE) as srv:
        for i, (what, ready, sigs, code) in enumerate(sweep):
            marks.append((_state(db) or (0, 0))[1])
            r = _interrupt(crawl_argv(db, srv.url, *(["--resume"] if i else [])), db, ready, sigs)
            assert r.returncode == code, (what, r.returncode, r.stderr[-1500:])
            assert "Traceback" not in r.stderr, (what, r.stderr[-1500:])
            assert integrity(db) == "ok"
            with sqlite3.connect(db) as conn:
                runs = conn.execute(
                    "SELECT COUNT(*), MAX(outcome), MAX(finished_at) FROM crawl_runs"
                ).fetchone()
            assert runs == (1, "interrupted", None), (what, runs)
            # The summary counts what the database holds.
            fetched, posts = _held(db)
            m = re.search(r"interrupted: (\d+)/\d+ pages .*?; (\d+) posts?", r.stderr)
            assert m and (int(m.group(1)), int(m.group(2))) == (fetched, posts), (
                what,
                r.stderr,
                fetched,
                posts,
            )
            assert "crawl --resume" in r.stderr
        assert (_state(db) or (0, 0))[1] > 0  # the sweep did get past the first pages
        final = crawl(db, srv.url, "--resume")
    assert final.returncode == 0, final.stderr[-2000:]
    assert "Resumed crawl" in final.stderr
    assert diff(contents(clean), contents(db)) == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*), MAX(outcome) FROM crawl_runs").fetchone() == (1, "done")


def test_a_second_crawl_on_the_same_database_refuses_naming_the_first(tmp_path: Path) -> None:
    db = tmp_path / "one.db"
    with serve(SITE) as srv:
        slow = serve(SITE)  # the first crawl's server answers slowly, so it is surely still running
        respond = slow.respond

        def slowly(*a: object) -> tuple[int, dict[str, str], bytes]:
            time.sleep(0.2)
            return respond(*a)  # type: ignore[arg-type]

        slow.respond = slowly  # type: ignore[method-assign]
        first = subprocess.Popen(crawl_argv(db, slow.url), cwd=REPO, env=env(), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while _state(db) is None and time.monotonic() < deadline:
                time.sleep(0.02)
            second = crawl(db, srv.url)
            reader = subprocess.run(
                [*crawl_argv(db, "x")[:3], "stage", "log", "someone", "followed", "--create", "--niche", str(NICHE),
                 "--db", str(db)], cwd=REPO, env=env(), capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            queue = subprocess.run([*crawl_argv(db, "x")[:3], "queue", "--niche", str(NICHE), "--db", str(db)],
                                   cwd=REPO, env=env(), capture_output=True, text=True, timeout=60)  # fmt: skip
            assert first.poll() is None  # still crawling all along
        finally:
            first.send_signal(signal.SIGINT)
            first.communicate(timeout=60)
            slow.close()
    assert second.returncode == 1
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"Error: another crawl is running on {db} (pid {first.pid}"
    ), lines
    assert srv.requests == []  # the refused crawl fetched nothing, robots.txt included
    assert reader.returncode == 0, reader.stderr
    assert queue.returncode == 0, queue.stderr
    assert first.returncode == 130


PROBE = REPO / "tests" / "helpers_crawl_probe.py"


def _probed(report: Path, db: Path, source: str, *extra: str,
            signal_on: str | None = None) -> tuple[subprocess.CompletedProcess[str], dict[str, list[str]]]:  # fmt: skip
    """The CLI's crawl in a subprocess with the probe: its SQLite connections, and a signal sent from
    inside a Scrapy signal handler when `signal_on` ("spider_closed:SIGINT") says so."""
    argv = [crawl_argv(db, source)[0], str(PROBE), str(report), *(["--signal-on", signal_on] if signal_on else []),
            "--", *crawl_argv(db, source, *extra)[3:]]  # fmt: skip
    r = subprocess.run(argv, cwd=REPO, env=env(), capture_output=True, text=True, timeout=300)
    return r, json.loads(report.read_text())


def _ledger(db: Path) -> list[tuple[object, ...]]:
    """The finished pages' ledger rows, with when they were fetched."""
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT url, fetched_at FROM pages WHERE status = 'ok' ORDER BY url").fetchall()


def _pending(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM frontier").fetchone()[0])


@pytest.mark.parametrize(
    ("phase", "sig", "code", "budget"),
    [("spider_closed", "SIGINT", 130, None), ("engine_stopped", "SIGTERM", 143, 20)],
)
def test_a_signal_during_scrapy_shutdown_is_an_interruption_and_resume_finishes(
    clean: Path, tmp_path: Path, phase: str, sig: str, code: int, budget: int | None
) -> None:
    """Issue 11 point 4, the shutdown phase: the signal is sent from Scrapy's own `spider_closed`
    (pages all committed, engine closing) or `engine_stopped` (reactor stopping) handler, so it lands
    there every time. The run is interrupted (130/143, resumable), and `--resume` fetches no finished
    page again (only what an uninterrupted crawl also leaves to retry: failed and blocked pages, within
    the budget) and records the run as an uninterrupted crawl would have. Each crawl opens the
    database once."""
    db = tmp_path / f"{phase}.db"
    extra = ["--budget", str(budget)] if budget else []
    with serve(SITE) as srv:
        r, probe = _probed(tmp_path / "1.json", db, srv.url, *extra, signal_on=f"{phase}:{sig}")
        assert probe["fired"] == [phase]
        assert r.returncode == code, r.stderr[-1500:]
        assert "Traceback" not in r.stderr, r.stderr[-1500:]
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT COUNT(*), MAX(outcome), MAX(finished_at) FROM crawl_runs").fetchone() == (
                1, "interrupted", None,
            )  # fmt: skip
        fetched, posts = _held(db)
        assert f"interrupted: {fetched}/" in r.stderr and f"; {posts} posts" in r.stderr, r.stderr
        assert f"interrupted ({sig})" in r.stderr and "crawl --resume" in r.stderr
        ledger, pending, seen = _ledger(db), _pending(db), len(srv.requests)
        resumed, probe2 = _probed(tmp_path / "2.json", db, srv.url, *extra, "--resume")
        again = [r for r in srv.requests[seen:] if r[2] != "/robots.txt"]
    assert resumed.returncode == 0, resumed.stderr[-1500:]
    assert "Resumed crawl" in resumed.stderr
    assert _ledger(db) == ledger
    with sqlite3.connect(db) as conn:
        outcome, finished = conn.execute("SELECT outcome, finished_at FROM crawl_runs").fetchone()
        links_kept = conn.execute("SELECT COUNT(*) FROM crawl_links").fetchone()[0]
    assert finished is not None and links_kept == 0
    if budget is None:  # the whole niche: the failed and blocked pages left pending are retried
        assert outcome == "done" and 0 < len(again) <= pending
        assert diff(contents(clean), contents(db)) == []
    else:  # the budget was spent before the signal: not one request more
        assert outcome == "budget" and fetched == budget and again == []
    # One connection per crawl: the interrupted crawl and its resume each opened the database once.
    for p in (probe, probe2):
        assert p["open_db"] == [str(db)] and p["connects"] == [str(db)], p
