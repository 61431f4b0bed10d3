"""Kills: SIGKILL `linkscout crawl` at random moments, `--resume` each time, and compare with a clean crawl.

After every kill `PRAGMA integrity_check` must say ok; after the last resume the table contents
(time columns ignored: first_seen, last_seen, fetched_at, seen_at, ...) must equal those of one
uninterrupted crawl. Two kill points in the suite, ten in `make soak`.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from helpers_reliability import REPO, SITE, clean_crawl, contents, crawl, crawl_argv, diff, env, integrity

from linkscout.crawler.fixture_site import serve


def killed_and_resumed(tmp: Path, clean: Path, *, kills: int, seed: int) -> dict:
    rng = random.Random(seed)
    db = tmp / f"killed-{seed}.db"
    checks = []
    with serve(SITE) as srv:
        for n in range(kills):
            extra = ("--resume",) if n else ()
            p = subprocess.Popen(crawl_argv(db, srv.url, *extra), cwd=REPO, env=env(),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
            delay = rng.uniform(1.2, 4.5)  # the CLI needs ~1 s to import before it writes anything
            time.sleep(delay)
            finished_first = p.poll() is not None
            if not finished_first:
                os.kill(p.pid, signal.SIGKILL)
            p.wait(timeout=30)
            ok = integrity(db) if db.exists() else "ok (no database yet)"
            checks.append({"after_s": round(delay, 2), "killed": not finished_first, "integrity": ok})
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
    assert report["kills"] >= 1, report  # at least one kill landed mid-crawl
    _check(report)


@pytest.mark.soak
def test_soak_ten_kills(clean: Path, tmp_path: Path) -> None:
    report = killed_and_resumed(tmp_path, clean, kills=10, seed=7)
    _check(report)
