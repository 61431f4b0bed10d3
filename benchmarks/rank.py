"""Rank: `linkscout rank` end to end on synthetic niches of ~10k, ~100k and ~1M edges.

Stores come from `benchmarks.synth` (seeded, bulk SQL): authors with a skewed number of posts, most in
a publication, 1-5 tags each (niche and off-niche), ~4 body links each to posts, profiles, competitors
and a long tail of domains. Edges = wrote + published-in + tagged + links-to rows.

Three child processes per size, interleaved run by run, each timed wall-clock with its own peak RSS:
- ours: `linkscout rank --kind authors --format json --db … --niche …` (start-up, reading the store,
  keyword matching, the personalised PageRank, scoring and the rationale of the top 20);
- floor: the least any ranking must do: read the post, tag and link edges from the same SQLite file,
  map keys to integer ids, one scipy.sparse personalised PageRank (teleport: niche tags), nothing else;
- networkx: the same edges into a `networkx.MultiDiGraph` (parallel edges summed, like the other two)
  and `networkx.pagerank` with the same teleport and tolerance (once at 1M edges: ~25 s, ~1.3 GB).
Figures are medians (3 runs at 10k and 100k, 2 at 1M). Linear growth is shown as µs per edge at each
size and as the marginal cost per edge from one size to the next (start-up cost excluded).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.common import PY, REPO, Row, Section, run_measured

SIZES = (("10k", 10_000, 3), ("100k", 100_000, 3), ("1M", 1_000_000, 2))
NX_ONCE_ABOVE = 200_000  # networkx runs once above this many edges (it takes ~25 s at 1M)
TARGET_S, TARGET_MB = 3.0, 500.0
ALPHA, TOL = 0.85, 1e-10


def _read_edges(db: str) -> tuple[list[str], list[str], list[str]]:
    """(sources, targets, teleport nodes) as string node names, straight from SQLite."""
    import sqlite3

    from benchmarks.synth import NICHE_TAGS

    conn = sqlite3.connect(db)
    src: list[str] = []
    dst: list[str] = []
    for pid, author, pub in conn.execute("SELECT id, 'a:' || author, 'b:' || publication FROM posts"):
        if author:
            src.append(author)
            dst.append(pid)
        if pub:
            src.append(pid)
            dst.append(pub)
    for pid, tag in conn.execute("SELECT post_id, 't:' || tag FROM post_tags"):
        src.append(pid)
        dst.append(tag)
    for pid, host in conn.execute("SELECT post_id, 'd:' || host FROM links WHERE host IS NOT NULL"):
        src.append(pid)
        dst.append(host)
    conn.close()
    return src, dst, [f"t:{t}" for t in NICHE_TAGS]


def floor(db: str) -> None:
    """Read the edges, integer ids, one personalised PageRank on scipy.sparse (both directions but links)."""
    import numpy as np
    from scipy import sparse

    src, dst, tele = _read_edges(db)
    pos: dict[str, int] = {}
    s = np.fromiter((pos.setdefault(k, len(pos)) for k in src), dtype=np.int64, count=len(src))
    d = np.fromiter((pos.setdefault(k, len(pos)) for k in dst), dtype=np.int64, count=len(dst))
    n, m = len(pos), len(src)
    a = sparse.coo_array(
        (np.ones(2 * m), (np.concatenate([s, d]), np.concatenate([d, s]))), shape=(n, n)
    ).tocsr()
    out = np.asarray(a.sum(axis=1)).ravel()
    p_mat = (
        sparse.dia_array((np.where(out > 0, 1 / np.maximum(out, 1e-300), 0), 0), shape=(n, n)) @ a
    ).T.tocsr()
    p = np.zeros(n)
    p[[pos[t] for t in tele if t in pos]] = 1.0
    p /= p.sum()
    x = np.full(n, 1 / n)
    dangling = out == 0
    for _ in range(300):
        x_new = ALPHA * (p_mat @ x + x[dangling].sum() * p) + (1 - ALPHA) * p
        err = np.abs(x_new - x).sum()
        x = x_new
        if err < TOL:
            break
    print(n, m, float(x.max()))


def nx_pagerank(db: str) -> None:
    import networkx as nx

    src, dst, tele = _read_edges(db)
    g = nx.MultiDiGraph()  # parallel edges kept: pagerank sums them, like the floor and ours
    g.add_edges_from(zip(src, dst, strict=True))
    g.add_edges_from(zip(dst, src, strict=True))
    pr = nx.pagerank(
        g, alpha=ALPHA, personalization={t: 1.0 for t in tele if t in g}, tol=TOL / len(g), max_iter=300
    )
    print(len(g), g.number_of_edges(), max(pr.values()))


def _ours(db: Path, niche: Path) -> list[str]:
    exe = str(Path(PY).with_name("linkscout"))
    return [exe, "rank", "--kind", "authors", "--format", "json", "--db", str(db), "--niche", str(niche)]


def _child(kind: str, db: Path) -> list[str]:
    return [PY, "-m", "benchmarks.rank", kind, str(db)]


def _measure(argv: list[str]) -> tuple[float, float]:
    r = run_measured(argv, cwd=REPO)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:3])} failed ({r.returncode}): {r.stderr[-600:]}")
    return r.seconds, r.peak_mb


def run() -> Section:
    from benchmarks.synth import EDGES_PER_POST, synth_store, write_niche

    sec = Section("rank")
    work = Path(tempfile.mkdtemp(prefix="lsbench-rank-"))
    per_size: list[tuple[str, int, float, float, float]] = []  # label, edges, s, MB, floor s
    try:
        niche = write_niche(work / "niche.toml")
        for label, edges, runs in SIZES:
            db = work / f"rank-{label}.db"
            stats = synth_store(db, posts=round(edges / EDGES_PER_POST), seed=7)
            nx_runs = runs if stats.edges <= NX_ONCE_ABOVE else 1
            samples: dict[str, list[tuple[float, float]]] = {"ours": [], "floor": [], "nx": []}
            _measure(_ours(db, niche))  # warm the page cache and .pyc files
            for i in range(runs):
                samples["ours"].append(_measure(_ours(db, niche)))
                samples["floor"].append(_measure(_child("floor", db)))
                if i < nx_runs:
                    samples["nx"].append(_measure(_child("networkx", db)))
            med = {k: (statistics.median(s for s, _ in v), statistics.median(m for _, m in v))
                   for k, v in samples.items() if v}  # fmt: skip
            (t, mb), (ft, fmb) = med["ours"], med["floor"]
            per_size.append((label, stats.edges, t, mb, ft))
            nt, nmb = med["nx"]
            anchor = f"floor {ft:.2f} s, {fmb:.0f} MB; networkx {nt:.2f} s, {nmb:.0f} MB"
            ratio = f"{t / ft:.2f}× the floor's time; networkx takes {nt / t:.2f}× ours"
            is_1m = label == "1M"
            note = "" if nx_runs == runs else "networkx run once"
            sec.rows.append(Row(
                "rank", f"{label}: {stats.edges:,} edges ({stats.posts:,} posts, {stats.authors:,} authors), "
                f"median of {runs}", f"{t:.2f} s, {mb:.0f} MB ({t / stats.edges * 1e6:.2f} µs/edge)",
                anchor, ratio, f"≤{TARGET_S:.0f} s, ≤{TARGET_MB:.0f} MB" if is_1m else "-",
                (t <= TARGET_S and mb <= TARGET_MB) if is_1m else None, note,
            ))  # fmt: skip
            db.unlink(missing_ok=True)
        margins = []
        for (la, ea, ta, *_), (lb, eb, tb, *_) in zip(per_size, per_size[1:], strict=False):
            margins.append(f"{la}→{lb} {(tb - ta) / (eb - ea) * 1e6:.2f} µs/edge")
        if len(margins) == 2:
            m1, m2 = ((b[2] - a[2]) / (b[1] - a[1]) for a, b in zip(per_size, per_size[1:], strict=False))
            sec.rows.append(Row("rank", "growth: marginal cost per added edge", "; ".join(margins), "-",
                                f"{m2 / m1:.2f}× (1.00 = linear)", "about linear", None))  # fmt: skip
        last = per_size[-1] if per_size else None
        if last and last[0] == "1M" and not (last[2] <= TARGET_S and last[3] <= TARGET_MB):
            small = per_size[0]
            sec.limits.append(
                f"- rank at 1M edges: {last[2]:.2f} s, {last[3]:.0f} MB against ≤{TARGET_S:.0f} s, ≤{TARGET_MB:.0f} MB "
                f"(memory is within target). On this machine the bare floor alone (read the edges from SQLite, "
                f"one scipy PageRank, nothing else) takes {last[4]:.2f} s at 1M edges. On top of the floor's "
                f"work, `linkscout rank` starts the CLI ({small[2]:.2f} s end to end at {small[1]:,} edges), "
                f"keyword-matches every post's title, subtitle and tags (~0.8 s at 1M), reads the posts' dates, "
                f"engagement and internal link targets, and computes per-author facts and evidence. The "
                f"store read (`graph.build.load_graph`, ~2 s at 1M when profiled, half of it inside SQLite "
                f"stepping rows) is the largest part."
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return sec


if __name__ == "__main__":  # the two anchors, each measured in its own process by run()
    if len(sys.argv) == 3 and sys.argv[1] == "floor":
        floor(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "networkx":
        nx_pagerank(sys.argv[2])
    else:
        raise SystemExit(
            "usage: python -m benchmarks.rank floor|networkx DB (the table: python -m benchmarks rank)"
        )
