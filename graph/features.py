"""Per-author and per-publication facts as numpy arrays over integer ids (no Python loops per node).

Everything is measured against `as_of` (a day number); posts dated after it do not exist yet and
are left out everywhere. NaN means unknown and is never counted as 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linkscout.graph.build import StoreGraph
from linkscout.graph.topics import NicheMatcher, PostMatches

ACTIVE_WEEKS = 13  # "share of active weeks" looks at the last 13 weeks (~90 days)
QUALITY_POWER = 2.0  # how sharply a post below the niche's median readership stops counting
QUALITY_FLOOR = 0.02  # ...never quite zero, so the walk still reaches it


def group_count(groups: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    g = groups[mask & (groups >= 0)]
    return np.bincount(g, minlength=n).astype(np.int64)


def group_sum(groups: np.ndarray, values: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    ok = mask & (groups >= 0) & ~np.isnan(values)
    return np.bincount(groups[ok], weights=values[ok], minlength=n)


def group_max(groups: np.ndarray, values: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    """Max per group; NaN for groups with no known value."""
    ok = mask & (groups >= 0) & ~np.isnan(values)
    out = np.full(n, -np.inf)
    np.maximum.at(out, groups[ok], values[ok])
    out[np.isneginf(out)] = np.nan
    return out


def group_argmax(groups: np.ndarray, values: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    """Index (into values) of each group's largest known value, ties to the lowest index; -1 if none."""
    ok = np.nonzero(mask & (groups >= 0) & ~np.isnan(values))[0]
    out = np.full(n, -1, dtype=np.int64)
    if len(ok) == 0:
        return out
    g, v = groups[ok], values[ok]
    best = np.full(n, -np.inf)
    np.maximum.at(best, g, v)
    top = v == best[g]  # each group's largest value, then its lowest index: no sort of every post
    low = np.full(n, len(values), dtype=np.int64)
    np.minimum.at(low, g[top], ok[top])
    has = low < len(values)
    out[has] = low[has]
    return out


def group_median(groups: np.ndarray, values: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    """Median per group over known values; NaN for groups with none."""
    ok = mask & (groups >= 0) & ~np.isnan(values)
    g, v = groups[ok], values[ok]
    order = np.lexsort((v, g))
    g, v = g[order], v[order]
    counts = np.bincount(g, minlength=n)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    out = np.full(n, np.nan)
    has = counts > 0
    lo = starts + (counts - 1) // 2
    hi = starts + counts // 2
    out[has] = (v[lo[has]] + v[hi[has]]) / 2
    return out


@dataclass(frozen=True)
class PostFacts:
    """Per post: exists by as_of, is a niche post, age in days (NaN unknown), engagement."""

    valid: np.ndarray
    niche: np.ndarray
    by_tag: np.ndarray
    matches: PostMatches  # which keywords each post matched
    age: np.ndarray
    niche_tags: frozenset[str]
    engagement: (
        np.ndarray
    )  # claps + response_weight × responses (responses unknown → 0); NaN if claps unknown
    # Readership on a log scale, half claps and half responses: ½·ln(1+claps) + ½·ln(1+rw·responses).
    # Many claps nobody answers score like a modest post; NaN if claps are unknown.
    reach: np.ndarray
    reach_ref: float  # 90th percentile over the niche's writers of their median niche-post `reach`
    quality: np.ndarray  # (reach / the niche writers' median reach)², clipped to [floor, 1]; 1 if unknown
    duplicate: np.ndarray  # a copy of another stored post: left out everywhere (valid is False)


def post_facts(
    g: StoreGraph,
    matcher: NicheMatcher,
    as_of_day: int,
    response_weight: float,
    duplicate: np.ndarray | None = None,
    matched: tuple[frozenset[str], PostMatches] | None = None,
) -> PostFacts:
    """`matched`: the niche's tags and post matches already computed for `g` (graph/cache.py)."""
    if matched is None:
        tags = g.keys["tag"]
        niche_tags = matcher.niche_tags(tags)
        m = matcher.match_arrays(
            g.post_title, g.post_subtitle, tags, g.post_tag_ptr, g.post_tag_idx, niche_tags
        )
    else:
        niche_tags, m = matched
    age = as_of_day - g.post_day
    dup = np.zeros(len(age), dtype=bool) if duplicate is None else duplicate
    valid = ~(age < 0) & ~dup  # NaN (unknown date) stays valid; a copy counts through its original
    eng = g.post_claps + response_weight * np.nan_to_num(g.post_responses, nan=0.0)
    reach = 0.5 * np.log1p(g.post_claps) + 0.5 * np.log1p(response_weight * np.nan_to_num(g.post_responses))
    niche = m.is_niche & valid
    # The niche's own scale, one voice per author: each writer's median niche post, so forty posts
    # from one account weigh no more than one writer's typical post.
    per_author = group_median(g.post_author, reach, niche, max(len(g.keys["author"]), 1))
    known = per_author[~np.isnan(per_author)]
    median = float(np.median(known)) if len(known) else 0.0
    ref = float(np.percentile(known, 90)) if len(known) else 0.0
    if median > 0:
        quality = np.clip(np.nan_to_num(reach / median, nan=1.0), 0, 1) ** QUALITY_POWER
    else:
        quality = np.ones(len(age))
    quality = np.maximum(quality, QUALITY_FLOOR)
    return PostFacts(valid, niche, m.by_tag & valid, m, age, niche_tags, eng, reach, ref, quality, dup)


@dataclass(frozen=True)
class GroupFacts:
    """Facts per author or per publication (indexed by local id)."""

    posts: np.ndarray
    niche_posts: np.ndarray
    niche_30: np.ndarray
    niche_90: np.ndarray
    active_weeks: np.ndarray
    last_niche_age: np.ndarray  # days since the latest niche post (NaN: none dated)
    last_post_age: np.ndarray
    median_claps: np.ndarray  # over niche posts
    median_responses: np.ndarray
    total_claps: np.ndarray  # over all posts (the "sort by claps" baseline)
    best_post: np.ndarray  # index of the post with the most engagement (-1 none)
    best_share: np.ndarray  # its share of the group's total engagement (NaN unknown)
    authors_30: np.ndarray  # distinct authors with a post in the last 30 days (publications)
    # The same counts with each niche post weighted by its readership against the niche's median
    # (PostFacts.quality): forty posts nobody reads add up to about one.
    read_30: np.ndarray
    read_90: np.ndarray
    read_weeks: np.ndarray  # of the last 13 weeks, those whose niche posts add up to half a read post
    median_reach: np.ndarray  # median `reach` over niche posts (NaN unknown)
    niche_claps: np.ndarray  # claps on niche posts (publications: their niche readership)


def group_facts(
    groups: np.ndarray, n: int, pf: PostFacts, g: StoreGraph, *, count_authors: bool
) -> GroupFacts:
    valid, niche, age = pf.valid, pf.niche, pf.age
    dated = ~np.isnan(age)
    within = {d: niche & dated & (age <= d) for d in (30, 90)}
    week = np.where(dated, np.floor(np.nan_to_num(age) / 7), -1).astype(np.int64)
    in_weeks = niche & (week >= 0) & (week < ACTIVE_WEEKS) & (groups >= 0)
    pairs = np.unique(groups[in_weeks] * ACTIVE_WEEKS + week[in_weeks])
    active_weeks = (
        np.bincount(pairs // ACTIVE_WEEKS, minlength=n) if len(pairs) else np.zeros(n, dtype=np.int64)
    )
    q = pf.quality
    read_weeks = np.zeros(n)
    if in_weeks.any():
        wk = np.bincount(groups[in_weeks] * ACTIVE_WEEKS + week[in_weeks], weights=q[in_weeks],
                         minlength=n * ACTIVE_WEEKS).reshape(n, ACTIVE_WEEKS)  # fmt: skip
        read_weeks = (wk >= 0.5).sum(axis=1).astype(float)
    min_age = -group_max(groups, -age, niche & dated, n)
    last_post = -group_max(groups, -age, valid & dated, n)
    eng = pf.engagement
    total_eng = group_sum(groups, eng, valid, n)
    best = group_argmax(groups, eng, valid, n)
    share = np.full(n, np.nan)
    has = (best >= 0) & (total_eng > 0)
    share[has] = eng[best[has]] / total_eng[has]
    authors_30 = np.zeros(n, dtype=np.int64)
    if count_authors:
        recent = valid & dated & (age <= 30) & (groups >= 0) & (g.post_author >= 0)
        na = max(len(g.keys["author"]), 1)
        ap = np.unique(groups[recent] * na + g.post_author[recent])
        authors_30 = np.bincount(ap // na, minlength=n) if len(ap) else authors_30
    return GroupFacts(
        posts=group_count(groups, valid, n),
        niche_posts=group_count(groups, niche, n),
        niche_30=group_count(groups, within[30], n),
        niche_90=group_count(groups, within[90], n),
        active_weeks=active_weeks,
        last_niche_age=min_age,
        last_post_age=last_post,
        median_claps=group_median(groups, g.post_claps, niche, n),
        median_responses=group_median(groups, g.post_responses, niche, n),
        total_claps=group_sum(groups, g.post_claps, valid, n),
        best_post=best,
        best_share=share,
        authors_30=authors_30,
        read_30=group_sum(groups, q, within[30], n),
        read_90=group_sum(groups, q, within[90], n),
        read_weeks=read_weeks,
        median_reach=group_median(groups, pf.reach, niche, n),
        niche_claps=group_sum(groups, g.post_claps, niche, n),
    )
