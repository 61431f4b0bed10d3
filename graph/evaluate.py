"""How good is the ranking? nDCG@10 and precision@10 against graded truth, next to the baselines a
user would otherwise reach for (sort by total claps, by followers, plain PageRank), and Kendall τ
between two rankings of the same niche (stability across crawl budgets).

Truth files map keys to grades: {"authors": {"username": {"grade": 3, ...} | 3, ...},
"publications": {...}}; 0 = not a pick, 3 = a marketer's first choice. Keys missing from the
truth count as grade 0.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
from sqlite_utils import Database

from linkscout.core.errors import ConfigError
from linkscout.core.niche import Niche
from linkscout.graph.rank import Context, plain_pagerank, prepare, ranked_keys

K = 10
RELEVANT_GRADE = 2  # precision counts picks of grade ≥ 2
STABILITY_TOP = 20  # τ compares the full-budget top 20 with their places in the other ranking
BASELINES = ("claps", "followers", "pagerank")
KIND_NODES = {"authors": "author", "publications": "publication"}


def load_truth(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"no truth file at {p}; pass --truth FILE") from None
    except (OSError, ValueError) as e:
        raise ConfigError(f"cannot read truth file {p}: {e}") from e
    if not isinstance(data, dict) or not any(k in data for k in KIND_NODES):
        raise ConfigError(f"{p}: a truth file needs an 'authors' or 'publications' object of grades")
    return data


def grades(truth: dict[str, Any], kind: str) -> dict[str, float]:
    out = {}
    for key, v in (truth.get(kind) or {}).items():
        g = v.get("grade") if isinstance(v, dict) else v
        if isinstance(g, int | float) and not isinstance(g, bool):
            out[str(key).lower()] = float(g)
    return out


def ndcg_at(ranking: list[str], truth: dict[str, float], k: int = K) -> float:
    """Normalised DCG with gain 2^grade − 1 and log2 discount; 0 when the truth has no positive grade."""

    def dcg(gs: list[float]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gs[:k]))

    ideal = dcg(sorted(truth.values(), reverse=True))
    return dcg([truth.get(x, 0.0) for x in ranking]) / ideal if ideal > 0 else 0.0


def precision_at(
    ranking: list[str], truth: dict[str, float], k: int = K, relevant: float = RELEVANT_GRADE
) -> float:
    """Share of the top k that are relevant, out of min(k, number of relevant items): a perfect
    ranking scores 1 even when the truth has fewer than k relevant items."""
    n_rel = sum(1 for g in truth.values() if g >= relevant)
    if n_rel == 0:
        return 0.0
    hits = sum(1 for x in ranking[:k] if truth.get(x, 0.0) >= relevant)
    return hits / min(k, n_rel)


def kendall_tau(a: list[str], b: list[str], top: int | None = STABILITY_TOP) -> float | None:
    """τ-b between the places of a's top items in a and in b (items b lacks are tied last in b).
    None when fewer than two items are compared."""
    items = a[:top] if top else a
    if len(items) < 2:
        return None
    pos_b = {x: i for i, x in enumerate(b)}
    ra = list(range(len(items)))
    rb = [pos_b.get(x, len(b)) for x in items]
    if len(set(rb)) < 2:
        return 0.0
    return _tau_b(ra, rb)


def _tau_b(x: list[int], y: list[int]) -> float:
    """Kendall's τ-b, pair by pair (the lists are a top-N, a few dozen items): what
    `scipy.stats.kendalltau` returns, without importing scipy.stats (about 2 s of start-up)."""
    concordant = discordant = tied_x = tied_y = 0
    n = len(x)
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                tied_x += 1
            elif dy == 0:
                tied_y += 1
            elif (dx > 0) == (dy > 0):
                concordant += 1
            else:
                discordant += 1
    denom = math.sqrt((concordant + discordant + tied_x) * (concordant + discordant + tied_y))
    return (concordant - discordant) / denom if denom else 0.0


def baseline_rankings(ctx: Context, kind: str) -> dict[str, list[str]]:
    """What a user would otherwise do, over everyone with a post by as_of: total claps, followers,
    plain (unpersonalised) PageRank. Unknowns sort last; ties break on the key."""
    node = KIND_NODES[kind]
    g = ctx.graph
    keys = g.keys[node]
    facts = ctx.authors if kind == "authors" else ctx.publications
    present = np.nonzero(facts.posts > 0)[0].tolist()
    followers = dict(zip(keys, g.author_followers if kind == "authors" else g.pub_followers, strict=True))

    def mass_of(pr: np.ndarray) -> np.ndarray:
        return pr[g.offset[node] : g.offset[node] + len(keys)] if len(pr) else np.zeros(len(keys))

    mass, walk = mass_of(plain_pagerank(ctx)), mass_of(plain_pagerank(ctx, directed=False))

    def order(value: Any) -> list[str]:
        return [keys[i] for i in sorted(present, key=lambda i: (value(i) is None, -(value(i) or 0), keys[i]))]

    return {
        "claps": order(lambda i: float(facts.total_claps[i])),
        "followers": order(lambda i: followers.get(keys[i])),
        "pagerank": order(lambda i: float(mass[i])),
        "unpersonalised_walk": order(lambda i: float(walk[i])),  # ablation: our walk, no niche teleport
    }


def scores_of(ranking: list[str], truth: dict[str, float]) -> dict[str, float]:
    return {
        f"ndcg@{K}": round(ndcg_at(ranking, truth), 4),
        f"precision@{K}": round(precision_at(ranking, truth), 4),
    }


def evaluate(db: Database, niche: Niche, truth: dict[str, Any], *, as_of: Any = None) -> dict[str, Any]:
    """{"authors": {"ndcg@10", "precision@10", "baselines": {...}, "top": [...]}, "publications": {...}}."""
    ctx = prepare(db, niche, as_of or niche.niche.as_of or truth.get("as_of"), domains=True)
    out: dict[str, Any] = {"as_of": ctx.as_of.isoformat()}
    for kind in KIND_NODES:
        t = grades(truth, kind)
        ours = ranked_keys(ctx, kind)
        base = baseline_rankings(ctx, kind)
        block: dict[str, Any] = scores_of(ours, t)
        block["baselines"] = {name: scores_of(base[name], t) for name in BASELINES}
        block["ablations"] = {"unpersonalised_walk": scores_of(base["unpersonalised_walk"], t)}
        best = max(block["baselines"], key=lambda name: block["baselines"][name][f"ndcg@{K}"])
        block["best_baseline"] = best
        block["margin_over_best_baseline"] = round(
            block[f"ndcg@{K}"] - block["baselines"][best][f"ndcg@{K}"], 4
        )
        block["top"] = [{"key": x, "grade": t.get(x, 0.0)} for x in ours[:K]]
        block["grade0_in_top"] = [x for x in ours[:K] if t.get(x, 0.0) <= 0]
        block["ranked"] = len(ours)
        out[kind] = block
    out["rankings"] = {kind: ranked_keys(ctx, kind) for kind in KIND_NODES}
    return out


def stability(full: dict[str, Any], half: dict[str, Any]) -> dict[str, Any]:
    """Kendall τ (authors and publications together: mean over kinds that have ≥2 items) and overlap@10."""
    per = {}
    for kind in KIND_NODES:
        a, b = full["rankings"][kind], half["rankings"][kind]
        tau = kendall_tau(a, b)
        per[kind] = {"kendall_tau": None if tau is None else round(tau, 4),
                     f"overlap@{K}": round(len(set(a[:K]) & set(b[:K])) / max(min(K, len(a)), 1), 4)}  # fmt: skip
    taus = [v["kendall_tau"] for v in per.values() if v["kendall_tau"] is not None]
    return {"kendall_tau": round(sum(taus) / len(taus), 4) if taus else None, **per}
