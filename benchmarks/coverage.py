"""Coverage per request: truth authors (grade >= 2 in fixtures/truth.json) found per 100 pages fetched.

The bundled fixture niche is crawled twice over loopback with the same page budget (30% of the site's
pages), best-first and breadth-first, each as the real CLI in a subprocess. An author counts as found
when the crawl stored them (a row in `authors`). Live crawling is politeness-bound (one page per
4 s), so this is the speed that matters to a live user: the ratio is best-first's yield over
breadth-first's.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
from pathlib import Path

from benchmarks.common import PY, REPO, Row, Section, run_measured

FIXTURES = REPO / "fixtures"
_SUMMARY = re.compile(r"(\d+)/(\d+) pages")


def crawl_yield(strategy: str, budget: int, work: Path) -> tuple[int, int, int]:
    """(pages fetched, truth grade>=2 authors found, truth grade>=2 authors in all)."""
    from linkscout.crawler.fixture_site import serve

    truth = json.loads((FIXTURES / "truth.json").read_text())
    wanted = {u for u, a in truth["authors"].items() if a["grade"] >= 2}
    db = work / f"{strategy}.db"
    with serve(FIXTURES / "site") as srv:
        r = run_measured([PY, "-m", "linkscout.cli.main", "crawl", "--niche", str(FIXTURES / "niche.toml"), "--db", str(db),
                          "--source", srv.url, "--budget", str(budget), "--strategy", strategy], cwd=REPO)  # fmt: skip
    m = _SUMMARY.search(r.stderr + r.stdout)
    if r.returncode != 0 or not m:
        raise RuntimeError(f"crawl failed ({r.returncode}): {(r.stderr + r.stdout)[-600:]}")
    conn = sqlite3.connect(db)
    found = {u for (u,) in conn.execute("SELECT username FROM authors")} & wanted
    conn.close()
    return int(m.group(1)), len(found), len(wanted)


def run() -> Section:
    sec = Section("coverage")
    index = json.loads((FIXTURES / "site" / "index.json").read_text())
    budget = max(1, round(0.30 * len(index)))
    with tempfile.TemporaryDirectory(prefix="lsbench-cov-") as tmp:
        best = crawl_yield("best", budget, Path(tmp))
        breadth = crawl_yield("breadth", budget, Path(tmp))
    per100 = {k: v[1] / v[0] * 100 for k, v in (("best", best), ("breadth", breadth))}
    share = {k: v[1] / v[2] for k, v in (("best", best), ("breadth", breadth))}
    sec.rows.append(Row("coverage", f"truth grade≥2 authors per 100 pages, budget {budget} (30% of {len(index)} pages)",
                        f"best-first {per100['best']:.1f} ({best[1]}/{best[2]} found)",
                        f"breadth-first {per100['breadth']:.1f} ({breadth[1]}/{breadth[2]} found)",
                        f"{per100['best'] / per100['breadth']:.2f}×" if per100["breadth"] else "n/a",
                        "best-first ≥ breadth-first; ≥90% of truth at 30% budget",
                        per100["best"] >= per100["breadth"] and share["best"] >= 0.9))  # fmt: skip
    return sec
