"""`linkscout eval`: measure ranking quality against a truth file, next to the naive baselines."""

from __future__ import annotations

import math
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from linkscout.cli.common import AsOfOpt, DbOpt, FormatOpt, NicheOpt, handles_errors
from linkscout.cli.render import Format, render, render_one
from linkscout.core.errors import ConfigError, CrawlError
from linkscout.core.niche import Niche, load_niche


def _crawl(niche: Niche, db: Path, budget: int | None) -> int:
    """One crawl in a child process (Twisted's reactor starts once per process); pages fetched."""
    from linkscout.store.crawl_state import page_count
    from linkscout.store.db import open_db

    cmd = [sys.executable, "-m", "linkscout.cli.main", "crawl", "--db", str(db)]
    if niche.path:
        cmd += ["--niche", str(niche.path)]
    if budget is not None:
        cmd += ["--budget", str(budget)]
    typer.echo(f"Crawling into {db.name} (budget {budget or niche.crawl.max_pages})...", err=True)
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise CrawlError(f"the evaluation crawl failed: {(done.stderr or done.stdout).strip()[-400:]}")
    return page_count(open_db(db, must_exist=True))


def _truth_path(truth: Path | None, niche: Niche) -> Path:
    """--truth, else truth.json beside the niche file; never another niche's truth."""
    if truth:
        return truth
    if niche.path and (niche.path.parent / "truth.json").is_file():
        return niche.path.parent / "truth.json"
    where = niche.path.parent if niche.path else Path.cwd()
    raise ConfigError(
        f"no truth file for niche '{niche.niche.name}': pass --truth FILE or put a truth.json in {where}"
    )


@handles_errors
def eval_(
    truth: Annotated[
        Path | None,
        typer.Option(
            "--truth",
            help="Graded truth (default: truth.json beside the niche file; required otherwise).",
        ),
    ] = None,  # fmt: skip
    half_db: Annotated[
        Path | None,
        typer.Option("--half-db", help="With --db: a second crawl of the niche for the stability τ."),
    ] = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """Score the ranking against a truth file: nDCG@10 and precision@10 for authors and publications,
    next to sorting by total claps, by followers and plain PageRank, plus Kendall τ between a crawl at
    the full page budget and one at half of the pages the full crawl fetched.

    Without --db it crawls the niche twice into temporary databases (the fixture niche by default).

    Example: linkscout eval --format json
    """
    from linkscout.graph.evaluate import evaluate, load_truth, stability
    from linkscout.store.db import open_db

    niche = load_niche(niche_path)
    data = load_truth(_truth_path(truth, niche))
    when = as_of
    budgets: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="linkscout-eval-") as tmp:
        if db_path is not None:
            full = evaluate(open_db(db_path, must_exist=True), niche, data, as_of=when)
            half = evaluate(open_db(half_db, must_exist=True), niche, data, as_of=when) if half_db else None
        else:
            pages = _crawl(niche, Path(tmp) / "full.db", None)
            budgets = {"full_pages": pages, "half_budget": max(1, math.ceil(pages / 2))}
            _crawl(niche, Path(tmp) / "half.db", budgets["half_budget"])
            full = evaluate(open_db(Path(tmp) / "full.db"), niche, data, as_of=when)
            half = evaluate(open_db(Path(tmp) / "half.db"), niche, data, as_of=when)
    report: dict[str, Any] = {k: v for k, v in full.items() if k != "rankings"}
    report["stability"] = {**(stability(full, half) if half else {"kendall_tau": None}), **budgets}
    if fmt in (Format.json, Format.jsonl):
        render_one(report, fmt)
        return
    rows = []
    for kind in ("authors", "publications"):
        b = report[kind]
        rows.append(
            {"kind": kind, "ranking": "linkscout", "ndcg@10": b["ndcg@10"], "precision@10": b["precision@10"]}
        )
        for name, s in {**b["baselines"], **b["ablations"]}.items():
            rows.append({"kind": kind, "ranking": name, **s})
    render(
        rows, fmt, columns=["kind", "ranking", "ndcg@10", "precision@10"], title=f"as of {report['as_of']}"
    )
    tau = report["stability"]["kendall_tau"]
    if fmt is Format.csv:
        return
    for kind in ("authors", "publications"):
        b = report[kind]
        zero = ", ".join(b["grade0_in_top"]) or "none"
        typer.echo(f"{kind}: {b['margin_over_best_baseline']:+.3f} nDCG@10 over the best baseline "
                   f"({b['best_baseline']}); grade-0 in the top 10: {zero}")  # fmt: skip
    typer.echo(f"Stability: Kendall τ {tau if tau is not None else '— (needs two crawls)'}"
               + (f" between {budgets['half_budget']} and {budgets['full_pages']} pages" if budgets else ""))  # fmt: skip
