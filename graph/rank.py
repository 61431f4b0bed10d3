"""Rank authors, publications or tags for the niche, as named score components with evidence.

    score(author) = Σ weight·component / Σ weight  × (1 − one-hit penalty) × (1 − inactivity penalty)

Components, each in [0, 1] (weights from niche.toml [weights]):
- relevance: personalised PageRank whose teleport set is the niche (its tags and the posts that match
  its keywords), square-rooted share of the best candidate's mass;
- engagement: median claps + response_weight × median responses over niche posts, on a log scale
  against the 90th percentile of the candidates (medians, not totals: one viral post cannot carry it);
- consistency: niche posts in the last 30 days (2 = full), 90 days (6 = full), share of active weeks;
- followers: log-scaled and capped at 10,000 (early Medium auto-followed Twitter contacts);
- backlinks: posts linking to a competitor domain (3 = full; nofollow/ugc count half).
Penalties: one-hit (share of all engagement from the single best post above 50%), off-niche (fewer
than half of the author's posts on the niche: a celebrity with one niche-tagged post) and inactivity
(no niche post for longer than stale_after_days halves the score every 90 days).

Publications mix relevance, niche share of their posts, activity (a post in the last 10 days, ≥3
distinct authors in the last 30), engagement, followers and a found submission page, with the same
inactivity penalty counted from their latest post. Tags (`kind="tags"`) are suggestions: tags that
are not niche tags yet, carry personalised-PageRank mass and sit on niche posts.

Ties break on more niche posts, then the key, so output is stable for a fixed `as_of`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import date
from typing import Any, Literal

import numpy as np
from sqlite_utils import Database

from linkscout.core.dates import parse_day, resolve_today
from linkscout.core.niche import Niche
from linkscout.core.records import Guidelines
from linkscout.graph.build import WALK_WEIGHTS, Edge, StoreGraph, load_graph
from linkscout.graph.cache import StoreData, links_to_domains, niche_matches, store_data
from linkscout.graph.duplicates import duplicate_mask
from linkscout.graph.evidence import (
    Evidence,
    EvidenceIndex,
    gather_evidence,
    lead_shares,
    prefetch,
)
from linkscout.graph.explain import explain_author, explain_publication, explain_tag
from linkscout.graph.features import GroupFacts, PostFacts, group_facts, post_facts
from linkscout.graph.leads import FoundLink, clean_domains, lead_values, links_to
from linkscout.graph.pagerank import pagerank
from linkscout.graph.topics import NicheMatcher
from linkscout.store.duplicates import post_fingerprints

Kind = Literal["authors", "publications", "tags"]
KINDS: tuple[str, ...] = ("authors", "publications", "tags")
FOLLOWER_CAP = 10_000
PUB_FOLLOWER_CAP = 100_000  # publications: 2,600 followers is a small one, not 85% of the way to big
REACH_FLOOR = 0.5  # engagement below half the niche's 90th percentile (log scale) means few readers
MIN_TAG_NICHE_POSTS = 2
STALE_HALF_LIFE_DAYS = 90.0
FOCUSED_SHARE = 0.5  # authors with at least this share of niche posts carry no off-niche penalty
PUB_FRESH_DAYS = 10  # "active": a post in the last 10 days ...
PUB_MIN_AUTHORS = 3  # ... and at least 3 distinct authors in the last 30
FOCUSED_PUB_SHARE = 0.3
PUB_DEAD_DAYS = 365  # publications with no post for longer are not listed
PUB_UNREAD = 0.2  # ... nor those whose niche posts' readership is under a fifth of the niche's best  # publications with less of their posts and readers on the niche are penalised


@dataclass(frozen=True)
class RankedEntry:
    rank: int
    kind: str  # "author" | "publication" | "tag"
    key: str  # username | slug | tag slug
    name: str | None
    url: str | None
    score: float
    components: dict[str, float]
    rationale: tuple[str, ...]
    evidence: Evidence
    facts: dict[str, Any] = field(default_factory=dict)  # the raw numbers the rationale quotes

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank, "kind": self.kind, "key": self.key, "name": self.name, "url": self.url,
            "score": round(self.score, 6), "components": {k: round(v, 6) for k, v in self.components.items()},
            "rationale": list(self.rationale), "evidence": self.evidence.to_dict(), "facts": _plain(self.facts),
        }  # fmt: skip


def _plain(v: Any) -> Any:
    """Facts as JSON-ready values (dataclasses become dicts)."""
    if isinstance(v, Guidelines):
        return v.to_dict()
    if is_dataclass(v) and not isinstance(v, type):
        return asdict(v)
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    return v


def resolve_as_of(as_of: date | str | None, niche: Niche) -> date:
    """--as-of, else the niche's as_of, else today."""
    day = parse_day(as_of, where="as_of") if as_of is not None else None
    return resolve_today(day, niche.niche.as_of)


def day_number(d: date) -> int:
    return (d - date(1970, 1, 1)).days


@dataclass(frozen=True)
class Context:
    """Everything ranking derives from one read of the store."""

    db: Database
    niche: Niche
    as_of: date
    graph: StoreGraph
    posts: PostFacts
    authors: GroupFacts
    publications: GroupFacts
    ppr: np.ndarray  # personalised PageRank per global node id
    leads: tuple[FoundLink, ...]  # links to competitors
    site_links: tuple[FoundLink, ...]  # links to the user's own site
    # What explaining looks up, built on first use (typed; see graph/evidence.py).
    index: EvidenceIndex = field(default_factory=EvidenceIndex, compare=False, repr=False)
    data: StoreData | None = field(default=None, compare=False, repr=False)  # the store cache it came from


def prepare(db: Database, niche: Niche, as_of: date | str | None = None, *, domains: bool = False) -> Context:
    """Read the store once. `domains=True` keeps one node per external domain (evaluation's plain
    PageRank baselines need them; personalised scores are the same either way)."""
    when = resolve_as_of(as_of, niche)
    matcher = NicheMatcher(niche.niche.keywords, niche.niche.tags)
    data = None
    if domains:
        g = load_graph(db, domains=True)
        pf = post_facts(g, matcher, day_number(when), niche.weights.response_weight,
                        duplicate_mask(g, post_fingerprints(db)))  # fmt: skip
    else:  # what depends only on the store comes from the cache while the store is unchanged
        data = store_data(db)
        g = data.graph
        pf = post_facts(g, matcher, day_number(when), niche.weights.response_weight, data.duplicate,
                        niche_matches(db, niche, data))  # fmt: skip
    af = group_facts(g.post_author, len(g.keys["author"]), pf, g, count_authors=False)
    bf = group_facts(g.post_pub, len(g.keys["publication"]), pf, g, count_authors=True)
    rivals = clean_domains(niche.niche.competitors)
    mine = clean_domains([niche.niche.site] if niche.niche.site else [])
    if data is None:
        leads, site = links_to(db, g, pf.valid, rivals), links_to(db, g, pf.valid, mine)
    else:
        leads = links_to(db, g, pf.valid, rivals, links_to_domains(db, data, rivals))
        site = links_to(db, g, pf.valid, mine, links_to_domains(db, data, mine))
    return Context(db, niche, when, g, pf, af, bf, personalised_pagerank(g, pf), leads, site, data=data)


def _walk(
    g: StoreGraph,
    pf: PostFacts,
    weights: dict[Edge, tuple[float, float]] = WALK_WEIGHTS,
    *,
    by_quality: bool = False,
) -> Any:
    """The walk matrix without posts dated after as_of or copies of other posts. `by_quality`: the
    walk enters a post in proportion to its readership against the niche's median (PostFacts.quality),
    so a tag page leads mostly to the posts people read, not to whoever posted most."""
    if pf.valid.all() and not by_quality:  # nothing to drop: the product would return the same matrix
        return g.walk_matrix(weights)
    keep = np.ones(g.n, dtype=bool)
    posts = slice(g.offset["post"], g.offset["post"] + len(pf.valid))
    keep[posts] = pf.valid
    enter = None
    if by_quality:
        enter = np.ones(g.n)
        enter[posts] = pf.quality
    return _scaled(g.walk_matrix(weights), keep, enter)


def _scaled(w: Any, keep: np.ndarray, enter: np.ndarray | None) -> Any:
    """D·W·D (D = diag(keep)), then · diag(enter) when given, without sparse matrix products (which
    cost seconds at 10M edges): each kept entry is multiplied once, as the products did, and entries
    that come out zero are dropped, as they did. Within a row the products left entries in
    ascending column order, or descending after the third product; that order is kept, because it
    is the order pagerank sums a row's weights in, so the scores stay the same to the last bit."""
    from scipy import sparse

    n = w.shape[0]
    counts = np.diff(w.indptr)
    vals, cols, indptr = (w.data if enter is None else w.data * enter[w.indices]), w.indices, w.indptr
    drop = ~keep
    if drop.any() or not vals.all():
        rows = np.repeat(np.arange(n), counts)
        ok = ~(drop[rows] | drop[cols]) & (vals != 0)
        vals, cols, rows = vals[ok], cols[ok], rows[ok]
        counts = np.bincount(rows, minlength=n)
        indptr = np.zeros(n + 1, dtype=w.indptr.dtype)
        np.cumsum(counts, out=indptr[1:])
    if enter is not None:  # descending within each row: position k of a row of c entries takes c-1-k
        flip = np.repeat(indptr[:-1] + indptr[1:] - 1, counts) - np.arange(len(vals), dtype=indptr.dtype)
        vals, cols = vals[flip], cols[flip]
    return sparse.csr_array((vals, cols, indptr), shape=(n, n))


def personalised_pagerank(g: StoreGraph, pf: PostFacts) -> np.ndarray:
    """Teleport uniformly to niche tags and niche posts; zeros when the store has no niche node."""
    tele = np.zeros(g.n)
    niche = np.nonzero(pf.niche)[0]
    tele[g.offset["post"] + niche] = pf.quality[niche]
    tidx = {t: i for i, t in enumerate(g.keys["tag"])}
    for t in pf.niche_tags:
        if t in tidx:
            tele[g.offset["tag"] + tidx[t]] = 1.0
    if tele.sum() == 0:
        return np.zeros(g.n)
    return pagerank(_walk(g, pf, by_quality=True), personalization=tele).scores


def plain_pagerank(ctx: Context, *, directed: bool = True) -> np.ndarray:
    """Unpersonalised PageRank. `directed`: on the graph as built (edges in their natural direction,
    writes-for included), i.e. what `networkx.pagerank(build_graph(db))` or Gephi on the export gives:
    the baseline. Otherwise on our own walk without the niche teleport: an ablation."""
    if ctx.graph.n == 0:
        return np.zeros(0)
    weights = {e: (1.0, 0.0) for e in Edge} if directed else WALK_WEIGHTS
    return pagerank(_walk(ctx.graph, ctx.posts, weights)).scores


def _rel(mass: np.ndarray, cands: np.ndarray) -> np.ndarray:
    top = mass[cands].max() if len(cands) else 0.0
    return np.sqrt(mass / top) if top > 0 else np.zeros_like(mass)


def _engagement(f: GroupFacts, pf: PostFacts) -> np.ndarray:
    """Median readership of the niche posts (PostFacts.reach) against the niche's own 90th percentile."""
    ref = pf.reach_ref
    return np.clip(np.nan_to_num(f.median_reach / ref, nan=0.0), 0, 1) if ref > 0 else np.zeros(len(f.posts))


def _followers(values: list[int | None], cap: int = FOLLOWER_CAP) -> np.ndarray:
    f = np.array([np.nan if v is None else v for v in values], dtype=float)
    out: np.ndarray = np.clip(np.nan_to_num(np.log1p(f) / np.log1p(cap), nan=0.0), 0, 1)
    return out


def _reach(engagement: np.ndarray, median_claps: np.ndarray, weight: float) -> np.ndarray:
    """Penalty for niche posts nobody reads (a content mill): a submission there reaches no one,
    however many niche-tagged posts lift its PageRank mass. Unknown claps are not taken as none."""
    short = np.clip((REACH_FLOOR - engagement) / REACH_FLOOR, 0, 1)
    out: np.ndarray = np.where(np.isnan(median_claps), 0.0, weight * short)
    return out


def _inactivity(age: np.ndarray, after: float) -> np.ndarray:
    over = np.clip(np.nan_to_num(age, nan=0.0) - after, 0, None)
    out: np.ndarray = 1.0 - 0.5 ** (over / STALE_HALF_LIFE_DAYS)
    return out


def _mix(parts: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    total = sum(weights.values()) or 1.0
    return sum((weights[k] * parts[k] for k in weights), np.zeros_like(next(iter(parts.values())))) / total


def _order(scores: np.ndarray, tiebreak: np.ndarray, keys: list[str], cands: np.ndarray) -> list[int]:
    """Best score first (rounded to 12 places), then the tiebreak, then the key. Keys are stored
    sorted (graph_read), so a candidate's index orders like its key: lexsorts, no Python sort."""
    c = np.asarray(cands, dtype=np.int64)
    if len(c) > 1 and _ascending(keys, c):
        s = np.asarray(scores, dtype=float)[c]
        tb = -np.asarray(tiebreak, dtype=np.int64)[c]
        if np.isnan(s).any():
            rounded = np.array([round(float(x), 12) for x in s.tolist()], dtype=float)
            order = np.lexsort((c, tb, -rounded))
        else:
            order = _rounded_order(s, tb, c)
        return [int(x) for x in c[order].tolist()]
    return sorted(c.tolist(), key=lambda i: (-round(float(scores[i]), 12), -int(tiebreak[i]), keys[i]))


def _ascending(keys: list[str], c: np.ndarray) -> bool:
    """keys[c] strictly ascending: true of the whole list (one C-level pass), else checked on c."""
    if all(map(operator.lt, keys[:-1], keys[1:])):
        return True
    ks = [keys[i] for i in c.tolist()]
    return all(map(operator.lt, ks[:-1], ks[1:]))


def _rounded_order(s: np.ndarray, tb: np.ndarray, c: np.ndarray) -> np.ndarray:
    """What np.lexsort((c, tb, -[round(x, 12) for x in s])) returns, rounding only near-ties.

    Rounding is monotone, so in descending order of the exact scores equal rounded values form runs.
    Two neighbours more than 2e-12 apart cannot round to the same 12-place value (a rounding bucket
    is 1e-12 wide), equal neighbours always do, and the pairs in between are rounded as before; the
    runs number the rounded values in descending order, and within a run the tiebreak, then the
    index, order entries, as the rounded lexsort does."""
    by_score = np.argsort(-s, kind="stable")
    v = s[by_score]
    gap = v[:-1] - v[1:]
    new_run = gap != 0
    near = np.nonzero(new_run & (gap <= 2e-12))[0]
    if len(near):
        a, b = v[near].tolist(), v[near + 1].tolist()
        new_run[near] = [round(x, 12) != round(y, 12) for x, y in zip(a, b, strict=True)]
    run = np.concatenate([[0], np.cumsum(new_run)])
    within = np.lexsort((c[by_score], tb[by_score], run))
    return by_score[within]


def author_scores(ctx: Context) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """(score, components, candidates) for every author; candidates have ≥1 niche post."""
    g, f, w = ctx.graph, ctx.authors, ctx.niche.weights
    n = len(g.keys["author"])
    cands = np.nonzero(f.niche_posts > 0)[0]
    mass = ctx.ppr[g.offset["author"] : g.offset["author"] + n]
    followers = g.author_followers  # loaded with the graph's authors, in their order
    leads = backlink_weights(ctx)
    cons = (np.minimum(f.read_30 / 2, 1) + np.minimum(f.read_90 / 6, 1) + f.read_weeks / 13) / 3
    parts = {
        "relevance": _rel(mass, cands),
        "engagement": _engagement(f, ctx.posts),
        "consistency": cons,
        "followers": _followers(followers),
        "backlinks": np.minimum(leads / 3, 1),
    }
    base = _mix(parts, {k: getattr(w, k) for k in parts})
    one_hit = w.one_hit_penalty * np.clip((np.nan_to_num(f.best_share, nan=0.0) - 0.5) / 0.5, 0, 1)
    focus = np.where(f.posts > 0, f.niche_posts / np.maximum(f.posts, 1), 0.0)
    off_niche = w.off_niche_penalty * np.clip(1 - focus / FOCUSED_SHARE, 0, 1)
    stale = _inactivity(f.last_niche_age, w.stale_after_days)
    # Niche posts nobody reads (spam volume): however many, they do not make a writer worth a pitch.
    unread = _reach(parts["engagement"], f.median_claps, w.reach_penalty)
    parts["one_hit_penalty"] = one_hit
    parts["off_niche_penalty"] = off_niche
    parts["inactivity_penalty"] = stale
    parts["reach_penalty"] = unread
    return base * (1 - one_hit) * (1 - off_niche) * (1 - stale) * (1 - unread), parts, cands


def publication_scores(ctx: Context) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    g, f, w = ctx.graph, ctx.publications, ctx.niche.weights
    n = len(g.keys["publication"])
    cands = np.nonzero(f.niche_posts > 0)[0]
    mass = ctx.ppr[g.offset["publication"] : g.offset["publication"] + n]
    age = f.last_post_age
    fresh = np.where(np.isnan(age), 0.0, 0.5 ** (np.clip(np.nan_to_num(age) - PUB_FRESH_DAYS, 0, None) / 30))
    post_share = np.where(f.posts > 0, f.niche_posts / np.maximum(f.posts, 1), 0.0)
    claps = np.nan_to_num(f.total_claps, nan=0.0)
    read_share = np.where(claps > 0, np.nan_to_num(f.niche_claps, nan=0.0) / np.maximum(claps, 1), post_share)
    share = 0.5 * (post_share + read_share)  # of its posts, and of its readers, on the niche
    parts = {
        "relevance": _rel(mass, cands),
        "niche_share": share,
        "activity": 0.5 * fresh + 0.5 * np.minimum(f.authors_30 / PUB_MIN_AUTHORS, 1),
        "engagement": _engagement(f, ctx.posts),
        "followers": _followers(g.pub_followers, PUB_FOLLOWER_CAP),
        "submission": np.array([1.0 if url else 0.0 for url in g.pub_submission_url]),
    }
    weights = {"relevance": w.relevance, "niche_share": w.niche_share, "activity": w.consistency,
               "engagement": w.engagement, "followers": w.followers, "submission": w.submission}  # fmt: skip
    stale = _inactivity(age, w.stale_after_days)
    reach = _reach(parts["engagement"], f.median_claps, w.reach_penalty)
    # A giant that tags the niche now and then: its size and readers are elsewhere.
    unfocused = w.focus_penalty * np.clip(1 - share / FOCUSED_PUB_SHARE, 0, 1)
    parts["reach_penalty"] = reach
    parts["inactivity_penalty"] = stale
    parts["focus_penalty"] = unfocused
    score = _mix(parts, weights) * (1 - reach) * (1 - stale) * (1 - unfocused)
    # Not a venue at all: nothing published for a year (dead), or niche posts almost nobody reads.
    dead = np.nan_to_num(age, nan=0.0) > PUB_DEAD_DAYS
    unread = ~np.isnan(f.median_claps) & (parts["engagement"] < PUB_UNREAD)
    cands = cands[~(dead | unread)[cands]]
    return score, parts, cands


def tag_scores(ctx: Context) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """Tags not yet in the niche, on ≥2 niche posts: PageRank mass × √(share of their posts on the niche)."""
    g, pf = ctx.graph, ctx.posts
    n = len(g.keys["tag"])
    post_of = np.repeat(np.arange(len(g.keys["post"])), np.diff(g.post_tag_ptr))
    on_niche = np.bincount(g.post_tag_idx, weights=pf.niche[post_of].astype(float), minlength=n)
    on_valid = np.bincount(g.post_tag_idx, weights=pf.valid[post_of].astype(float), minlength=n)
    own = np.array([t in pf.niche_tags for t in g.keys["tag"]], dtype=bool)
    cands = np.nonzero((on_niche >= MIN_TAG_NICHE_POSTS) & ~own)[0]
    mass = ctx.ppr[g.offset["tag"] : g.offset["tag"] + n]
    share = np.where(on_valid > 0, on_niche / np.maximum(on_valid, 1), 0.0)
    parts = {"relevance": _rel(mass, cands), "niche_share": share}
    return parts["relevance"] * np.sqrt(share), parts, cands


def backlink_weights(ctx: Context) -> np.ndarray:
    """Per author, by as_of: posts linking to the user's site (3 each), then posts linking to a
    competitor, each worth its best link's specificity × the domain's rarity among niche authors
    (× ½ for nofollow/ugc); see graph/leads.py."""
    n = len(ctx.graph.keys["author"])
    return np.array(lead_values(ctx.leads, ctx.site_links, lead_shares(ctx), n), dtype=float)


_SCORERS = {"authors": author_scores, "publications": publication_scores, "tags": tag_scores}
_SINGULAR = {"authors": "author", "publications": "publication", "tags": "tag"}
_TIEBREAK = {"authors": "niche_posts", "publications": "niche_posts", "tags": None}


def ranked_keys(ctx: Context, kind: str) -> list[str]:
    """Every candidate's key in rank order (no rationale): for evaluation and stability checks."""
    scores, _, cands = _SCORERS[kind](ctx)
    keys = ctx.graph.keys[_SINGULAR[kind]]
    return [keys[i] for i in _order(scores, _tiebreak(ctx, kind), keys, cands)]


def _tiebreak(ctx: Context, kind: str) -> np.ndarray:
    if kind == "authors":
        return ctx.authors.niche_posts
    if kind == "publications":
        return ctx.publications.niche_posts
    return np.zeros(len(ctx.graph.keys["tag"]), dtype=np.int64)


def rank(
    db: Database,
    niche: Niche,
    *,
    kind: Kind | str = "authors",
    as_of: date | str | None = None,
    limit: int | None = None,
    context: Context | None = None,
    where: Callable[[str], bool] | None = None,
) -> list[RankedEntry]:
    """The ranked, explained answer for `kind`. `context` reuses an earlier `prepare` (same db/as_of).
    `where(key)` keeps only the entries a caller can use (the queue's quality bar), before `limit` and
    before any explaining, which is most of the cost when there are many candidates."""
    if kind not in _SCORERS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    ctx = context or prepare(db, niche, as_of)
    scores, parts, cands = _SCORERS[kind](ctx)
    singular = _SINGULAR[kind]
    keys = ctx.graph.keys[singular]
    # (rank, index): an entry keeps its place in the full ranking even when `where` drops others.
    order = list(enumerate(_order(scores, _tiebreak(ctx, kind), keys, cands), start=1))
    if where is not None:
        order = [(r, i) for r, i in order if where(keys[i])]
    if limit is not None:
        order = order[: max(limit, 0)]
    explain = {"author": explain_author, "publication": explain_publication, "tag": explain_tag}[singular]
    if singular != "tag":  # the rows the shown entries cite, in a few queries (not one per entry)
        prefetch(ctx, singular, [i for _, i in order])
    out = []
    # The shown entries' components and scores as Python floats, taken out of the arrays at once.
    shown = np.array([i for _, i in order], dtype=np.int64)
    plain = {k: np.asarray(v, dtype=float)[shown].tolist() for k, v in parts.items()}
    score_of = np.asarray(scores, dtype=float)[shown].tolist()
    for n, (r, i) in enumerate(order):
        comps = {k: v[n] for k, v in plain.items()}
        ev, facts, name, url = gather_evidence(ctx, singular, i)
        out.append(RankedEntry(r, singular, keys[i], name, url, score_of[n], comps,
                               tuple(explain(facts, ev, comps)), ev, facts))  # fmt: skip
    return out
