"""Body links to given domains (competitors: backlink leads; the user's site: wins), from the store."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from linkscout.graph.build import StoreGraph


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
    where = " OR ".join("host = ? OR host LIKE ?" for _ in domains)
    params = [x for d in domains for x in (d, f"%.{d}")]
    # The LIKE runs over the distinct hosts (a walk of the host index), then the index fetches
    # just the matching links: no scan of every link's row.
    hosts = [h for (h,) in db.conn.execute(
        "WITH h AS MATERIALIZED (SELECT DISTINCT host FROM links WHERE host IS NOT NULL) "
        f"SELECT host FROM h WHERE {where}", params
    )]  # fmt: skip
    if not hosts:
        return ()
    rows = db.conn.execute(
        "SELECT post_id, position, url, host, rel, nofollow, ugc FROM links "
        "WHERE host IN (SELECT value FROM json_each(?)) ORDER BY post_id, position",
        (json.dumps(hosts),),
    ).fetchall()
    post_pos = {p: i for i, p in enumerate(g.keys["post"])} if rows else {}
    out = []
    for pid, pos, url, host, rel, nofollow, ugc in rows:
        i = post_pos.get(pid)
        d = host_matches(host or "", domains)
        if i is None or d is None or not valid[i]:
            continue
        out.append(
            FoundLink(pid, i, int(g.post_author[i]), int(g.post_pub[i]), pos, url, host, d, rel,
                      bool(nofollow), bool(ugc))
        )  # fmt: skip
    return tuple(out)
