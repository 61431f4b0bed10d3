"""Cross-posted copies, so each article counts once: the same text under two accounts or in two places.

A post is a copy when its canonical link names another stored post (Medium's cross-post), or when an
earlier stored post has the same title, subtitle and reading time (a re-publication keeps the text,
and Medium computes the reading time from it). The earliest copy stays; the rest are left out of
every count, median and walk, exactly as if they had not been crawled.
"""

from __future__ import annotations

import numpy as np

from linkscout.core.urls import post_id_from_url
from linkscout.graph.build import StoreGraph
from linkscout.store.duplicates import PostFingerprint


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def duplicate_mask(g: StoreGraph, prints: list[PostFingerprint]) -> np.ndarray:
    """Per post (aligned with g.keys["post"]): True for a copy of another stored post."""
    idx = {k: i for i, k in enumerate(g.keys["post"])}
    dup = np.zeros(len(idx), dtype=bool)
    groups: dict[tuple[str, str, float], list[tuple[str, str]]] = {}
    for fp in prints:
        i = idx.get(fp.id)
        if i is None:
            continue
        target = post_id_from_url(fp.canonical_url) if fp.canonical_url else None
        if target and target != fp.id and target in idx:
            dup[i] = True
        if fp.title and fp.reading_time is not None:
            key = (_norm(fp.title), _norm(fp.subtitle), round(float(fp.reading_time), 4))
            groups.setdefault(key, []).append((fp.published_at or "9999", fp.id))
    for members in groups.values():
        if len(members) > 1:
            members.sort()
            for _, pid in members[1:]:
                dup[idx[pid]] = True
    return dup
