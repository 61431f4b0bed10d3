"""Body links to given domains (competitors: backlink leads; the user's site: wins), from the store,
and what a lead is worth.

A lead's worth, per post (its best link), counted in the ranking's backlinks component (3 = full):

    a link to the user's own site                     3     ("already links to you": the warmest lead)
    a link to a competitor    specificity(page) × rarity(domain) × (½ if nofollow/ugc)

specificity: a specific page (a template, a guide, a deep path) 1, a section ("/blog", "/pricing") ½,
the bare homepage ¼; someone who cites a competitor's guide may cite yours, a homepage mention says
little. rarity weighs a domain by the inverse of its share of the niche's authors, in the spirit of
IDF: 1 − n/N, N the authors with a niche post, n those among them citing the domain. In SEO everyone
cites the big tool vendors, so a vendor most niche authors cite counts close to nothing and a rarely
cited one close to 1. (The log form, log(N/n), was tried: it discounts a domain cited by one author in
seven by half, and lowered the large fixture niche's nDCG over its whole author ranking.)
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import numpy as np
from sqlite_utils import Database

from linkscout.core.heap import paused_gc
from linkscout.core.urls import site_domain
from linkscout.graph.build import StoreGraph
from linkscout.store.evidence import LinkCitation, links_to_hosts_like


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
        v = site_domain(v)
        if v:
            out.append(v)
    return tuple(dict.fromkeys(out))


def host_matches(host: str | None, domains: tuple[str, ...]) -> str | None:
    """Which of `domains` (as clean_domains gives them) `host` is, or is a subdomain of; None if none."""
    host = (host or "").lower().removeprefix("www.")
    for d in domains:
        if host == d or host.endswith("." + d):
            return d
    return None


def links_to(
    db: Database,
    g: StoreGraph,
    valid: np.ndarray,
    domains: tuple[str, ...],
    rows: Sequence[LinkCitation] | None = None,
) -> tuple[FoundLink, ...]:
    """Links from ranked posts (dated by as_of: `valid`) to `domains` or their subdomains. `rows`:
    those links as already read (graph/cache.py); else they are read now."""
    if not domains:
        return ()
    if rows is None:
        rows = links_to_hosts_like(db, domains)
    keys = g.keys["post"]  # sorted by id: a binary search finds a post, no index of every post
    out = []
    matched: dict[str, str | None] = {}  # a few hosts, each linked many times
    lo, last = 0, ""
    with paused_gc():  # one FoundLink per matching link: up to hundreds of thousands
        for pid, pos, url, host, rel, nofollow, ugc in rows:
            if pid < last:  # rows come by post id; search from the last one found while they do
                lo = 0
            last = pid
            i = lo = bisect_left(keys, pid, lo)
            if i == len(keys) or keys[i] != pid:
                continue
            h = host or ""
            d = matched[h] if h in matched else matched.setdefault(h, host_matches(h, domains))
            if d is None or not valid[i]:
                continue
            out.append(
                FoundLink(pid, i, int(g.post_author[i]), int(g.post_pub[i]), pos, url, host or "", d, rel,
                          bool(nofollow), bool(ugc))
            )  # fmt: skip
    return tuple(out)


SITE_LINK_VALUE = 3.0  # one post linking to the user's site fills the backlinks component
# Top-level paths that name a section of a site, not a page on it.
_SECTIONS = frozenset(
    [
        "blog",
        "blogs",
        "news",
        "pricing",
        "price",
        "plans",
        "features",
        "feature",
        "product",
        "products",
        "tools",
        "tool",
        "solutions",
        "about",
        "resources",
        "resource",
        "docs",
        "documentation",
        "help",
        "support",
        "learn",
        "academy",
        "guides",
        "templates",
        "en",
        "us",
        "uk",
        "de",
        "fr",
        "home",
        "index",
        "login",
        "signin",
        "signup",
        "register",
        "contact",
        "customers",
        "integrations",
        "free-tools",
    ]
)
_KINDS = (("template", "a template"), ("checklist", "a checklist"), ("guide", "a guide"),
          ("tutorial", "a tutorial"), ("study", "a study"), ("tool", "a tool"), ("calculator", "a tool"),
          ("generator", "a tool"), ("checker", "a tool"))  # fmt: skip


@dataclass(frozen=True)
class PageSpecificity:
    level: str  # "specific page" | "section" | "homepage"
    weight: float  # 1, ½, ¼
    what: str | None  # "a guide", "a template", ... when the path says so


@lru_cache(maxsize=65536)  # a few pages of each competitor are linked over and over
def page_specificity(url: str) -> PageSpecificity:
    """How specific a linked page is, from its path alone (query and fragment ignored)."""
    try:
        path = urlsplit(url).path
    except ValueError:
        path = ""
    parts = [p for p in path.lower().split("/") if p and p not in ("index.html", "index.php")]
    last = parts[-1] if parts else ""
    what = next((label for word, label in _KINDS if word in last), None) if parts else None
    if not parts:
        return PageSpecificity("homepage", 0.25, None)
    if len(parts) == 1 and parts[0] in _SECTIONS:
        return PageSpecificity("section", 0.5, None)
    return PageSpecificity("specific page", 1.0, what)


@dataclass(frozen=True)
class DomainShare:
    """How many of the niche's authors cite a domain: a domain everyone cites tells little."""

    domain: str
    authors: int  # niche authors citing it
    of: int  # niche authors

    @property
    def rarity(self) -> float:
        """1 − the share of niche authors citing the domain: 0 when all of them do."""
        if self.of <= 0:
            return 1.0
        return max(0.0, 1.0 - self.authors / self.of)

    @property
    def common(self) -> bool:
        """Cited by at least a quarter of the niche's authors (and by more than two of them)."""
        return self.authors > 2 and self.authors * 4 >= self.of


def domain_shares(leads: Iterable[FoundLink], niche_authors: Iterable[int]) -> dict[str, DomainShare]:
    """Per competitor domain: how many of `niche_authors` (author indices) link to it."""
    pool = set(niche_authors)
    citing: dict[str, set[int]] = {}
    for link in leads:
        citing.setdefault(link.domain, set())
        if link.author_idx in pool:
            citing[link.domain].add(link.author_idx)
    return {d: DomainShare(d, len(a), len(pool)) for d, a in citing.items()}


def link_value(link: FoundLink, shares: dict[str, DomainShare]) -> float:
    """One competitor link's worth (see the module docstring)."""
    share = shares.get(link.domain)
    return _worth(link, share.rarity if share is not None else 1.0)


def _worth(link: FoundLink, rarity: float) -> float:
    return page_specificity(link.url).weight * rarity * (0.5 if (link.nofollow or link.ugc) else 1.0)


def lead_values(
    leads: Iterable[FoundLink], site_links: Iterable[FoundLink], shares: dict[str, DomainShare], n: int
) -> list[float]:
    """Per author (n of them): Σ over their posts of the post's best link, site links first."""
    best: dict[tuple[int, int], float] = {}
    for link in site_links:
        best[(link.author_idx, link.post_idx)] = SITE_LINK_VALUE
    rarity = {d: s.rarity for d, s in shares.items()}
    with paused_gc():  # a key tuple per linking post
        for link in leads:  # link_value, with each domain's rarity looked up once
            key = (link.author_idx, link.post_idx)
            best[key] = max(best.get(key, 0.0), _worth(link, rarity.get(link.domain, 1.0)))
    out = [0.0] * n
    for (a, _), v in best.items():
        if 0 <= a < n:
            out[a] += v
    return out
