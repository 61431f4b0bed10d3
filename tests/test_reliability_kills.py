"""Kills: SIGKILL `linkscout crawl` after N pages are committed, `--resume` each time, and compare with a
clean crawl.

The kill points are page counts read from the database, not wall-clock delays, so the same kills land
mid-crawl however loaded the machine is. After every kill `PRAGMA integrity_check` must say ok; after the last resume the table contents
(time columns ignored: first_seen, last_seen, fetched_at, seen_at, ...) must equal those of one
uninterrupted crawl. Two kill points in the suite, ten in `make soak`.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from helpers_reliability import REPO, SITE, clean_crawl, contents, crawl, crawl_argv, diff, env, integrity

from linkscout.crawler.fixture_site import serve

pytestmark = pytest.mark.slow  # subprocess crawls: `make test` runs them, `make test-fast` does not


def pages_committed(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM pages").fetchone()[0])
    except sqlite3.Error:  # not created yet, or mid-migration
        return 0


def kill_after(p: subprocess.Popen[bytes], db: Path, pages: int, timeout: float = 240) -> bool:
    """SIGKILL the crawl once the database holds `pages` pages; False if it finished first."""
    deadline = time.monotonic() + timeout
    while p.poll() is None and time.monotonic() < deadline:
        if pages_committed(db) >= pages:
            os.kill(p.pid, signal.SIGKILL)
            p.wait(timeout=30)
            return True
        time.sleep(0.02)
    p.wait(timeout=30)
    return False


def killed_and_resumed(tmp: Path, clean: Path, *, kills: int, seed: int) -> dict:
    rng = random.Random(seed)
    total = pages_committed(clean)
    # Increasing page counts, spread over the crawl and short of its end, so every kill lands mid-crawl.
    points = sorted(rng.sample(range(5, total - 20), kills))
    db = tmp / f"killed-{seed}.db"
    checks = []
    with serve(SITE) as srv:
        for n, point in enumerate(points):
            extra = ("--resume",) if n else ()
            p = subprocess.Popen(crawl_argv(db, srv.url, *extra), cwd=REPO, env=env(),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
            killed = kill_after(p, db, point)
            ok = integrity(db) if db.exists() else "ok (no database yet)"
            checks.append({"after_pages": point, "killed": killed, "integrity": ok})
        r = crawl(db, srv.url, "--resume")
    assert r.returncode == 0, r.stderr[-2000:]
    differences = diff(contents(clean), contents(db))
    report = {"seed": seed, "kills": sum(c["killed"] for c in checks), "checks": checks,
              "final_integrity": integrity(db), "differences": differences}  # fmt: skip
    out = os.environ.get("LINKSCOUT_RELIABILITY_REPORT")
    if out:
        with open(out, "a", encoding="utf-8") as f:
            f.write(json.dumps({"suite": "kills", **report}) + "\n")
    return report


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return clean_crawl(tmp_path_factory.getbasetemp())


def _check(report: dict) -> None:
    assert all(c["integrity"].startswith("ok") for c in report["checks"]), report["checks"]
    assert report["final_integrity"] == "ok"
    assert report["differences"] == [], "\n".join(report["differences"])


def test_two_kills_then_resume_equals_a_clean_crawl(clean: Path, tmp_path: Path) -> None:
    report = killed_and_resumed(tmp_path, clean, kills=2, seed=1)
    assert report["kills"] == 2, report  # both kills landed mid-crawl
    _check(report)


@pytest.mark.soak
def test_soak_ten_kills(clean: Path, tmp_path: Path) -> None:
    report = killed_and_resumed(tmp_path, clean, kills=10, seed=7)
    assert report["kills"] == 10, report
    _check(report)
