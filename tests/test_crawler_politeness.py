"""Politeness on the wire and robots.txt per RFC 9309 (issue 11, points 2 and 3).

The live profile (its real delay) crawls a loopback server through the same transport redirect the
fixture mode uses (`--via`, hidden): requests keep their https Medium URLs, robots.txt included, and
the server's own log says when each one arrived.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest

from linkscout.core.niche import parse_niche
from linkscout.crawler.fixture_site import serve
from linkscout.crawler.middlewares import PoliteSlot
from linkscout.crawler.settings import LIVE_DELAY_EXTRA, live_settings

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "fixtures" / "site"


def crawl(tmp: Path, *args: str, niche: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    path = tmp / "niche.toml"
    path.write_text(niche)
    return subprocess.run(
        [sys.executable, "-m", "linkscout.cli.main", "crawl", "--niche", str(path), "--db", str(tmp / "c.db"), *args],
        cwd=tmp, capture_output=True, text=True, timeout=timeout, env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip


def test_jitter_only_adds_to_the_floor() -> None:
    slot = PoliteSlot(1, 4.0, floor=4.0, extra=LIVE_DELAY_EXTRA)
    draws = []
    for i in range(10_000):
        slot.lastseen = float(i)  # a new request start: a new draw
        slot.delay = 0.5 if i % 2 else 4.0  # whatever AutoThrottle makes of it, the floor holds
        draws.append(slot.download_delay())
    assert min(draws) >= 4.0 + LIVE_DELAY_EXTRA[0] and max(draws) <= 4.0 + LIVE_DELAY_EXTRA[1]
    assert len({round(d, 3) for d in draws}) > 100  # it does vary
    settings = live_settings(parse_niche({"niche": {"tags": ["seo"]}, "crawl": {"delay_seconds": 1.0}}),
                             db_path=Path("x.db"))  # fmt: skip
    assert settings["DOWNLOAD_DELAY"] == 4.0 and settings["LINKSCOUT_MIN_DELAY"] == 4.0
    assert settings["DOWNLOAD_DELAY_JITTER"] == 0.0 and "RANDOMIZE_DOWNLOAD_DELAY" not in settings
    slow = live_settings(
        parse_niche({"niche": {"tags": ["seo"]}, "crawl": {"delay_seconds": 6.5}}), db_path=Path("x")
    )
    assert slow["LINKSCOUT_MIN_DELAY"] == 6.5


@pytest.mark.slow
def test_live_profile_spaces_every_request_start_on_the_wire(tmp_path: Path) -> None:
    """>= 10 requests over two hosts (robots.txt included); gaps from the server's own arrival log."""
    niche = '[niche]\ntags = ["seo"]\npublications = ["contentloop.pub"]\n[crawl]\ndelay_seconds = 4\n'
    with serve(SITE) as srv:
        proc = crawl(tmp_path, "--source", "live", "--via", srv.url, "--budget", "8", niche=niche)
        requests, arrivals = list(srv.requests), list(srv.arrivals)
    assert proc.returncode == 0, proc.stderr[-2000:]
    hosts = {host for _m, host, _p, _s in requests}
    robots = [(h, p) for _m, h, p, _s in requests if p == "/robots.txt"]
    assert len(requests) >= 10 and {"medium.com", "contentloop.pub"} <= hosts, requests
    assert ("medium.com", "/robots.txt") in robots and ("contentloop.pub", "/robots.txt") in robots
    gaps = [b - a for a, b in pairwise(arrivals)]
    print(f"politeness on the wire: {len(requests)} requests, min gap {min(gaps):.3f} s, "
          f"mean {sum(gaps) / len(gaps):.3f} s")  # fmt: skip
    assert min(gaps) >= 4.0, gaps


NICHE = '[niche]\ntags = ["seo"]\n[crawl]\ndelay_seconds = 4\n'


@pytest.mark.slow
@pytest.mark.parametrize(("status", "why"), [(None, "connection refused"), (503, "HTTP 503")])
def test_unreadable_robots_txt_disallows_everything_and_stops_in_one_line(
    tmp_path: Path, status: int | None, why: str
) -> None:
    if status is None:  # nothing listens there
        with serve(SITE) as srv:
            origin = srv.url
        requests: list[tuple[str, str, str, int]] = []
    else:
        srv = serve(SITE)
        srv.fail("https://medium.com/robots.txt", status=status, times=10)
        origin = srv.url
    try:
        proc = crawl(tmp_path, "--source", "live", "--via", origin, niche=NICHE)
    finally:
        if status is not None:
            requests = list(srv.requests)
            srv.close()
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) <= 3 and "Traceback" not in proc.stderr, proc.stderr
    assert lines[-1] == f"Error: cannot read https://medium.com/robots.txt ({why}); nothing was fetched"
    assert all(p == "/robots.txt" for _m, _h, p, _s in requests) and len(requests) == (2 if status else 0)
    with sqlite3.connect(tmp_path / "c.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM pages").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM frontier").fetchone()[0] == 2  # kept for --resume
        assert conn.execute("SELECT finished_at FROM crawl_runs").fetchone() == (None,)


@pytest.mark.slow
def test_robots_txt_4xx_allows_everything_and_is_read_once_per_host(tmp_path: Path) -> None:
    with serve(SITE) as srv:
        srv.add_page("https://medium.com/robots.txt", "gone", status=404, content_type="text/plain")
        proc = crawl(tmp_path, "--source", srv.url, "--budget", "30", niche=NICHE)
        requests = list(srv.requests)
    assert proc.returncode == 0, proc.stderr[-2000:]
    robots = [h for _m, h, p, _s in requests if p == "/robots.txt"]
    assert robots.count("medium.com") == 1 and len(robots) == len(set(robots))
    assert any(h == "medium.com" and p.startswith("/feed/@") for _m, h, p, _s in requests)  # 404: allowed
