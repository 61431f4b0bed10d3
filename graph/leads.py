"""Body links to given domains (competitors: backlink leads; the user's site: wins), from the store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from linkscout.graph.build import StoreGraph
from linkscout.store.evidence import links_to_hosts_like


@dataclass(frozen=True)
class FoundLink:
    post_id: str
    post_idx: int
    author_idx: int  # -1 when the post's author is unknown
    pub_idx: int
    position: int
    url: str
    host: str
    domain: str  # which of the asked-for domains it matched
    rel: str | None  # raw, as the page had it
    nofollow: bool
    ugc: bool

    @property
    def how(self) -> str:
        """'nofollow', 'ugc', 'nofollow ugc' or 'followed'."""
        flags = [f for f, on in (("nofollow", self.nofollow), ("ugc", self.ugc)) if on]
        return " ".join(flags) or "followed"


def clean_domains(values: Iterable[str]) -> tuple[str, ...]:
    """'https://www.Ahrefs.com/blog' → 'ahrefs.com'; duplicates and blanks dropped, order kept."""
    out = []
    for v in values:
        v = v.strip().lower().split("://")[-1].split("/")[0].removeprefix("www.")
        if v:
            out.append(v)
    return tuple(dict.fromkeys(out))


def host_matches(host: str, domains: tuple[str, ...]) -> str | None:
    host = host.lower().removeprefix("www.")
    for d in domains:
        if host == d or host.endswith("." + d):
            return d
    return None


def links_to(
    db: Database, g: StoreGraph, valid: np.ndarray, domains: tuple[str, ...]
) -> tuple[FoundLink, ...]:
    """Links from ranked posts (dated by as_of: `valid`) to `domains` or their subdomains."""
    if not domains:
        return ()
    rows = links_to_hosts_like(db, domains)
    post_pos = {p: i for i, p in enumerate(g.keys["post"])} if rows else {}
    out = []
    for pid, pos, url, host, rel, nofollow, ugc in rows:
        i = post_pos.get(pid)
        d = host_matches(host or "", domains)
        if i is None or d is None or not valid[i]:
            continue
        out.append(
            FoundLink(pid, i, int(g.post_author[i]), int(g.post_pub[i]), pos, url, host or "", d, rel,
                      bool(nofollow), bool(ugc))
        )  # fmt: skip
    return tuple(out)
