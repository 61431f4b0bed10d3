"""Concurrency: a crawl writes while `stage log`, `queue` and `next` run from other processes.

No logged event may be lost and no "database is locked" may reach the user. The fast case logs a
few dozen events during one crawl; `make soak` logs hundreds from two writers at once.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers_reliability import NICHE, REPO, SITE, crawl_argv, env, integrity

from linkscout.crawler.fixture_site import serve

pytestmark = pytest.mark.slow  # subprocess crawls: `make test` runs them, `make test-fast` does not


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*_base(), *args, "--niche", str(NICHE), "--db", str(db)], cwd=REPO, env=env(),
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def _base() -> list[str]:
    return [crawl_argv(Path("x"), "x")[0], "-m", "linkscout.cli.main"]


def run_concurrently(tmp: Path, *, events: int, writers: int) -> dict:
    db = tmp / "busy.db"
    outcomes: list[subprocess.CompletedProcess[str]] = []
    with serve(SITE) as srv:
        crawl = subprocess.Popen(crawl_argv(db, srv.url), cwd=REPO, env=env(), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)  # fmt: skip
        try:
            while not db.exists() and crawl.poll() is None:
                pass

            def writer(w: int) -> list[subprocess.CompletedProcess[str]]:
                res = []
                for i in range(events // writers):
                    res.append(
                        _cli(
                            db,
                            "stage",
                            "log",
                            f"busy_author_{w}_{i}",
                            "followed",
                            "--at",
                            "2026-11-01",
                            "--create",
                        )
                    )
                    if i % 5 == 0:
                        res.append(_cli(db, "queue", "--as-of", "2026-11-15", "--format", "json"))
                        res.append(_cli(db, "next", "--as-of", "2026-11-15"))
                return res

            with ThreadPoolExecutor(writers) as pool:
                for batch in pool.map(writer, range(writers)):
                    outcomes.extend(batch)
            crawl_out, crawl_err = crawl.communicate(timeout=300)
        finally:
            if crawl.poll() is None:
                crawl.kill()
    locked = [o for o in [*outcomes] if "database is locked" in (o.stderr + o.stdout).lower()]
    failed = [o for o in outcomes if o.returncode != 0]
    conn = sqlite3.connect(db)
    logged = {t for (t,) in conn.execute("SELECT target FROM events WHERE event = 'followed'")}
    conn.close()
    expected = {f"busy_author_{w}_{i}" for w in range(writers) for i in range(events // writers)}
    report = {"events_logged": len(expected), "events_found": len(logged & expected),
              "other_commands": len(outcomes) - len(expected), "failed_commands": len(failed),
              "database_is_locked_seen": len(locked) + ("database is locked" in crawl_err.lower()),
              "crawl_exit": crawl.returncode, "integrity": integrity(db)}  # fmt: skip
    out = os.environ.get("LINKSCOUT_RELIABILITY_REPORT")
    if out:
        with open(out, "a", encoding="utf-8") as f:
            f.write(json.dumps({"suite": "concurrency", **report}) + "\n")
    assert not failed, [(o.args[3:6], o.stderr[-300:]) for o in failed][:3]
    assert report["database_is_locked_seen"] == 0
    assert crawl.returncode == 0, crawl_err[-1500:]
    assert logged >= expected, sorted(expected - logged)[:5]
    assert report["integrity"] == "ok"
    return report


def test_commands_while_crawling_lose_nothing(tmp_path: Path) -> None:
    run_concurrently(tmp_path, events=12, writers=2)


@pytest.mark.soak
def test_soak_hundreds_of_events_while_crawling(tmp_path: Path) -> None:
    run_concurrently(tmp_path, events=200, writers=2)
