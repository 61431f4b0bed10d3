"""Crawl throughput: `linkscout crawl` of a generated 10k-post fixture site over loopback against `scrapy bench`.

The site (`python -m tools.fixture_gen --posts 10000`) is served by `crawler.fixture_site` on
127.0.0.1 from this process; the crawl runs as the real CLI in a subprocess with
`--source http://127.0.0.1:PORT` (loopback profile: politeness off, 16 concurrent requests) and a
page budget, so it fetches, parses and stores every page. `scrapy bench` (its own loopback server of
link-only pages, no parsing, no storing) runs in the same run, interleaved. pages/min: ours = pages
fetched / the crawl's own elapsed time (from its summary line); scrapy = response_received_count /
the median of its per-second log lines ("Crawled N pages (at X pages/min)") after its first two
seconds of start-up, i.e. its steady rate, the figure it is usually quoted by.
"""

from __future__ import annotations

import re
import shutil
import statistics
import tempfile
from pathlib import Path

from benchmarks.common import PY, REPO, Row, Section, run_measured

BUDGET = 2500
_SUMMARY = re.compile(r"(\d+)/(\d+) pages .*?; ([\d.]+) s\. Database")
_RATE = re.compile(r"Crawled \d+ pages \(at (\d+) pages/min\)")
_RESP = re.compile(r"'response_received_count': (\d+)")
_ELAPSED = re.compile(r"'elapsed_time_seconds': ([\d.]+)")


def scrapy_bench(seconds: int = 10) -> float:
    """pages/min of `scrapy bench` on this machine now."""
    scrapy = str(Path(PY).with_name("scrapy"))
    with tempfile.TemporaryDirectory() as tmp:  # outside any Scrapy project
        r = run_measured(
            [scrapy, "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}", "-s", "LOG_LEVEL=INFO"], cwd=Path(tmp)
        )
    steady = [int(x) for x in _RATE.findall(r.stderr)][2:]  # skip the start-up seconds
    if len(steady) >= 3:
        return statistics.median(steady)
    n, el = _RESP.search(r.stderr), _ELAPSED.search(r.stderr)
    if not (n and el):
        raise RuntimeError(f"could not read scrapy bench stats: {r.stderr[-400:]}")
    return int(n.group(1)) / float(el.group(1)) * 60


def our_crawl(site: Path, work: Path, i: int, budget: int = BUDGET) -> tuple[float, int, float]:
    """(pages/min, pages, peak MB) of one `linkscout crawl` of the served site."""
    from linkscout.crawler.fixture_site import serve

    db = work / f"crawl-{i}.db"
    with serve(site / "site") as srv:
        r = run_measured([PY, "-m", "linkscout.cli.main", "crawl", "--niche", str(site / "niche.toml"), "--db", str(db),
                          "--source", srv.url, "--budget", str(budget), "--strategy", "breadth"], cwd=REPO)  # fmt: skip
    m = _SUMMARY.search(r.stderr + r.stdout)
    if r.returncode != 0 or not m:
        raise RuntimeError(f"crawl failed ({r.returncode}): {(r.stderr + r.stdout)[-600:]}")
    pages, secs = int(m.group(1)), float(m.group(3))
    return pages / secs * 60, pages, r.peak_mb


def run(runs: int = 2) -> Section:
    from tools.fixture_gen import generate

    sec = Section("crawl")
    work = Path(tempfile.mkdtemp(prefix="lsbench-crawl-"))
    try:
        summary = generate(work / "site10k", seed=7, posts=10_000)
        ours, theirs, peaks, pages = [], [], [], 0
        for i in range(runs):
            theirs.append(scrapy_bench())
            rate, pages, peak = our_crawl(work / "site10k", work, i)
            ours.append(rate)
            peaks.append(peak)
        o, t = statistics.median(ours), statistics.median(theirs)
        share = o / t
        sec.rows.append(Row("crawl", f"pages/min, {summary.posts:,}-post site ({summary.pages:,} pages), "
                                     f"budget {BUDGET:,}, fetch+parse+store",
                            f"{o:,.0f}/min", f"scrapy bench {t:,.0f}/min", f"{share:.0%}", "≥70% of scrapy bench",
                            share >= 0.70, f"peak RSS {max(peaks):.0f} MB"))  # fmt: skip
        sec.notes.append(
            f"crawl: ours {[round(x) for x in ours]} pages/min, scrapy bench {[round(x) for x in theirs]}"
        )
        if share < 0.70:
            sec.limits.append(
                f"**crawl**: {o:,.0f} pages/min, {share:.0%} of scrapy bench ({t:,.0f}). scrapy bench fetches "
                "tiny link-only pages and neither parses nor stores; our pages average "
                f"{summary.bytes / max(summary.pages, 1) / 1024:.0f} KB and each is parsed (see the parse rows: "
                "the parser's cost per page is the largest share) and written in batches. On a machine with one "
                "effective core the parser, the writer and the Twisted loop share it with the fixture server."
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return sec
