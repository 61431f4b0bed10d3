"""What a ranked entry's sentences may cite, gathered from the graph and the store.

`gather_evidence` collects posts (id, title, URL, date, claps), tags, body links (post, position,
URL, rel), publications and authors, plus the numbers (`facts`) the sentences quote. The rows come
from `store/evidence.py`; the wording is `graph/explain.py`'s, which never mentions anything that is
not in the evidence, so every claim can be checked against the store (tests do exactly that).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from linkscout.core.records import Guidelines
from linkscout.graph.leads import DomainShare, FoundLink, domain_shares
from linkscout.store import evidence as store_evidence
from linkscout.store import guidelines as store_guidelines
from linkscout.store.evidence import AuthorCitation, PostCitation, PublicationCitation

if TYPE_CHECKING:
    from linkscout.graph.cache import StoreData
    from linkscout.graph.rank import Context

MAX_POSTS = 3
PREFETCH_MIN = 200  # without a store cache, explaining this many entries or more reads every post in one scan
R = TypeVar("R")


@dataclass(frozen=True)
class PostRef:
    id: str
    title: str | None
    url: str | None
    published_at: str | None
    claps: int | None
    responses: int | None


@dataclass(frozen=True)
class LinkRef:
    post_id: str
    position: int
    url: str
    rel: str | None
    how: str  # followed | nofollow | ugc | nofollow ugc
    target: str  # "competitor" | "site"


@dataclass(frozen=True)
class Evidence:
    posts: tuple[PostRef, ...] = ()
    tags: tuple[str, ...] = ()
    links: tuple[LinkRef, ...] = ()
    publications: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    submission_url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class EvidenceIndex:
    """Lookups built once per `Context` the first time explaining needs them (explaining every
    candidate of a big store would otherwise scan or query per entry). `posts`, `publications` and
    `authors` are filled by `prefetch` with the rows of the entries about to be explained; an entry
    they do not cover reads its own rows."""

    members: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # kind -> (order, starts)
    facts: dict[str, dict[str, list[Any]]] = field(default_factory=dict)  # kind -> fact name -> values
    owners: dict[tuple[str, str], dict[int, list[FoundLink]]] = field(default_factory=dict)
    posts: Mapping[str, PostCitation] | None = None
    publications: dict[str, PublicationCitation] | None = None
    authors: dict[str, AuthorCitation] | None = None
    shares: dict[str, DomainShare] | None = None  # competitor domain -> niche authors citing it
    guidelines: dict[str, Guidelines] | None = None  # publication slug -> what its guidelines say


def _members(ctx: Context, kind: str, i: int) -> np.ndarray:
    """Posts of author/publication i, ascending (an index built once per context, not a scan per entry)."""
    index = ctx.index.members
    if kind not in index:
        groups = ctx.graph.post_author if kind == "author" else ctx.graph.post_pub
        known = np.nonzero(groups >= 0)[0]
        order = known[np.argsort(groups[known], kind="stable")]
        counts = np.bincount(groups[known], minlength=len(ctx.graph.keys[kind]))
        index[kind] = (order, np.concatenate([[0], np.cumsum(counts)]))
    order, starts = index[kind]
    return order[starts[i] : starts[i + 1]]


_FACT_FIELDS = ("posts", "niche_posts", "niche_30", "niche_90", "active_weeks", "last_niche_age", "last_post_age",
                "median_claps", "median_responses", "best_share", "authors_30")  # fmt: skip


def _fact_lists(ctx: Context, kind: str) -> dict[str, list[Any]]:
    """The group facts as Python lists (one conversion per context, not a numpy scalar per value)."""
    if kind not in ctx.index.facts:
        f = ctx.authors if kind == "author" else ctx.publications
        ctx.index.facts[kind] = {name: getattr(f, name).tolist() for name in _FACT_FIELDS}
    return ctx.index.facts[kind]


def lead_shares(ctx: Context) -> dict[str, DomainShare]:
    """How many of the niche's authors (a niche post by as_of) cite each competitor domain."""
    if ctx.index.shares is None:
        authors = np.nonzero(ctx.authors.niche_posts > 0)[0].tolist()
        ctx.index.shares = domain_shares(ctx.leads, authors)
    return ctx.index.shares


def publication_guidelines(ctx: Context, key: str) -> Guidelines | None:
    """What the publication's guidelines pages say (read once per context for all publications)."""
    if ctx.index.guidelines is None:
        ctx.index.guidelines = store_guidelines.publication_guidelines(ctx.db)
    return ctx.index.guidelines.get(key)


def _by_owner(ctx: Context, which: str, attr: str) -> dict[int, list[FoundLink]]:
    """ctx.leads or ctx.site_links grouped by author_idx or pub_idx, order kept."""
    key = (which, attr)
    if key not in ctx.index.owners:
        grouped: dict[int, list[FoundLink]] = {}
        for x in getattr(ctx, which):
            grouped.setdefault(getattr(x, attr), []).append(x)
        ctx.index.owners[key] = grouped
    return ctx.index.owners[key]


def prefetch(ctx: Context, kind: str, idx: list[int]) -> None:
    """Read the rows entries `idx` (of `kind`) cite in a few batched queries, for explaining many
    entries: their authors' or publications' rows, the publications their niche posts appeared in,
    and the posts (the store cache's arrays, or one scan without a cache). Entries explained later
    that these rows do not cover read their own."""
    g, index = ctx.graph, ctx.index
    if index.posts is None and (ctx.data is not None or len(idx) >= PREFETCH_MIN):
        index.posts = store_evidence.all_posts(ctx.db) if ctx.data is None else CachedPosts(ctx.data)
    if kind == "author":
        keys = g.keys["author"]
        index.authors = _fill(index.authors, [keys[i] for i in idx], partial(store_evidence.authors, ctx.db))
        posts = np.concatenate([_members(ctx, kind, i) for i in idx]) if idx else np.zeros(0, dtype=np.int64)
        pubs = np.unique(g.post_pub[posts])
        slugs = [g.keys["publication"][p] for p in pubs[pubs >= 0].tolist()]
    else:
        slugs = [g.keys["publication"][i] for i in idx]
    index.publications = _fill(index.publications, slugs, partial(store_evidence.publications, ctx.db))


def _fill(
    have: dict[str, R] | None, keys: list[str], read: Callable[[list[str]], dict[str, R]]
) -> dict[str, R]:
    """`have` plus the rows of `keys` it lacks, read in one go."""
    have = {} if have is None else have
    missing = [k for k in keys if k not in have]
    if missing:
        have.update(read(missing))
    return have


class CachedPosts(Mapping[str, PostCitation]):
    """Every ranked post's citation fields, read off the store cache's arrays (graph/cache.py)
    instead of a scan of the posts table; a key is found by binary search over the sorted ids."""

    def __init__(self, data: StoreData) -> None:
        self._d = data
        self._keys = data.graph.keys["post"]

    def _index(self, key: str) -> int:
        i = bisect_left(self._keys, key)
        if i == len(self._keys) or self._keys[i] != key:
            raise KeyError(key)
        return i

    def __getitem__(self, key: str) -> PostCitation:
        i, d = self._index(key), self._d
        g = d.graph
        claps, resp = float(g.post_claps[i]), float(g.post_responses[i])
        return PostCitation(key, g.post_title[i], d.post_url[i], d.post_published[i],
                            None if claps != claps else int(claps), None if resp != resp else int(resp))  # fmt: skip

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        i = bisect_left(self._keys, key)
        return i < len(self._keys) and self._keys[i] == key

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def _post_refs(ctx: Context, idx: list[int]) -> dict[int, PostRef]:
    if not idx:
        return {}
    keys = ctx.graph.keys["post"]
    rows = ctx.index.posts
    if rows is None:
        rows = store_evidence.posts(ctx.db, [keys[i] for i in idx])
    return {i: PostRef(*rows[keys[i]]) for i in idx if keys[i] in rows}


def _pub_names(ctx: Context, slugs: list[str]) -> dict[str, str | None]:
    """slug → name for these publications, in slug order (as the indexed IN query returns them)."""
    cached = ctx.index.publications
    if cached is not None and all(s in cached for s in slugs):
        return {s: cached[s].name for s in sorted(set(slugs))}
    return store_evidence.publication_names(ctx.db, slugs)


def _recent(ctx: Context, posts: np.ndarray, k: int = MAX_POSTS) -> list[int]:
    """Niche posts among `posts`, newest first (undated last), then most claps, then id."""
    pf, g = ctx.posts, ctx.graph
    sel = posts[pf.niche[posts]]
    age, claps = pf.age[sel], g.post_claps[sel]  # finite or NaN (never ±inf)
    age = np.where(np.isnan(age), np.inf, age)
    claps = np.where(np.isnan(claps), -1.0, claps)
    order = np.lexsort((sel, -claps, age))
    return sel[order][:k].tolist()  # type: ignore[no-any-return]


def _tag_counts(ctx: Context, posts: np.ndarray, only_niche: bool) -> Counter[str]:
    g = ctx.graph
    c: Counter[str] = Counter()
    for p in posts[ctx.posts.niche[posts]].tolist():
        for t in g.post_tag_idx[g.post_tag_ptr[p] : g.post_tag_ptr[p + 1]].tolist():
            slug = g.keys["tag"][t]
            if not only_niche or slug in ctx.posts.niche_tags:
                c[slug] += 1
    return c


def _num(v: float) -> float | int | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return int(v) if float(v).is_integer() else round(float(v), 1)


def _age(v: float) -> int | None:
    return None if math.isnan(v) else int(v)


def _link_refs(links: list[FoundLink], target: str) -> tuple[LinkRef, ...]:
    return tuple(LinkRef(x.post_id, x.position, x.url, x.rel, x.how, target) for x in links)


def _author_row(ctx: Context, key: str) -> AuthorCitation:
    cached = ctx.index.authors
    row = cached.get(key) if cached is not None else None
    row = row or store_evidence.author(ctx.db, key)
    assert row is not None  # the graph's authors are the store's
    return row


def _publication_row(ctx: Context, key: str) -> PublicationCitation:
    cached = ctx.index.publications
    row = cached.get(key) if cached is not None else None
    row = row or store_evidence.publication(ctx.db, key)
    assert row is not None  # the graph's publications are the store's
    return row


def gather_evidence(
    ctx: Context, kind: str, i: int
) -> tuple[Evidence, dict[str, Any], str | None, str | None]:
    """(evidence, facts, display name, URL) of one author, publication or tag (by local index)."""
    if kind == "tag":
        return _tag_evidence(ctx, i)
    g = ctx.graph
    facts_src = ctx.authors if kind == "author" else ctx.publications
    key = g.keys[kind][i]
    posts = _members(ctx, kind, i)
    posts = posts[ctx.posts.valid[posts]]
    recent = _recent(ctx, posts)
    best = int(facts_src.best_post[i])
    refs = _post_refs(ctx, recent + ([best] if best >= 0 else []))
    tags = _tag_counts(ctx, posts, only_niche=True)
    if kind == "author":
        a = _author_row(ctx, key)
        name, followers, submission, url = a.name, a.followers, None, f"https://medium.com/@{key}"
        other = Counter(
            g.keys["publication"][p] for p in g.post_pub[posts[ctx.posts.niche[posts]]].tolist() if p >= 0
        )
        leads = _by_owner(ctx, "leads", "author_idx").get(i, [])
        site = _by_owner(ctx, "site_links", "author_idx").get(i, [])
    else:
        b = _publication_row(ctx, key)
        name, followers, submission = b.name, b.followers, b.submission_url
        url = f"https://{b.domain}" if b.domain else f"https://medium.com/{key}"
        other = Counter(
            g.keys["author"][a] for a in g.post_author[posts[ctx.posts.niche[posts]]].tolist() if a >= 0
        )
        leads = _by_owner(ctx, "leads", "pub_idx").get(i, [])
        site = _by_owner(ctx, "site_links", "pub_idx").get(i, [])
    others = [k for k, _ in sorted(other.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
    pub_names = _pub_names(ctx, others) if kind == "author" and others else {}
    top_tags = [t for t, _ in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
    f = _fact_lists(ctx, kind)
    facts: dict[str, Any] = {
        "posts": int(f["posts"][i]), "niche_posts": int(f["niche_posts"][i]), "niche_30": int(f["niche_30"][i]),
        "niche_90": int(f["niche_90"][i]), "active_weeks": int(f["active_weeks"][i]),
        "days_since_niche_post": _age(f["last_niche_age"][i]), "days_since_post": _age(f["last_post_age"][i]),
        "median_claps": _num(f["median_claps"][i]), "median_responses": _num(f["median_responses"][i]),
        "followers": followers,
        "best_share": None if math.isnan(f["best_share"][i]) else round(float(f["best_share"][i]), 3),
        "best_post": refs.get(best), "recent_posts": [refs[p] for p in recent if p in refs],
        "tag_counts": {t: tags[t] for t in top_tags},
        "counterparts": {k: other[k] for k in others}, "counterpart_names": pub_names,
        "authors_30": int(f["authors_30"][i]), "leads": leads, "site_links": site, "submission_url": submission,
        "lead_shares": {x.domain: lead_shares(ctx)[x.domain] for x in leads},
        "as_of": ctx.as_of.isoformat(), "site": ctx.niche.niche.site,
    }  # fmt: skip
    if kind == "publication":
        facts["guidelines"] = publication_guidelines(ctx, key)
    cited = list(
        dict.fromkeys([refs[p] for p in recent if p in refs] + ([refs[best]] if best in refs else []))
    )
    ev = Evidence(
        posts=tuple(cited), tags=tuple(top_tags),
        links=_link_refs(leads, "competitor") + _link_refs(site, "site"),
        publications=tuple(others) if kind == "author" else (key,),
        authors=(key,) if kind == "author" else tuple(others), submission_url=submission,
    )  # fmt: skip
    return ev, facts, name, url


def _tag_evidence(ctx: Context, i: int) -> tuple[Evidence, dict[str, Any], str | None, str | None]:
    g, pf = ctx.graph, ctx.posts
    key = g.keys["tag"][i]
    posts = np.repeat(np.arange(len(g.keys["post"])), np.diff(g.post_tag_ptr))[g.post_tag_idx == i]
    posts = posts[pf.valid[posts]]
    recent = _recent(ctx, posts)
    refs = _post_refs(ctx, recent)
    co = _tag_counts(ctx, posts, only_niche=True)
    authors = Counter(g.keys["author"][a] for a in g.post_author[posts[pf.niche[posts]]].tolist() if a >= 0)
    top_authors = [a for a, _ in sorted(authors.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
    top_co = [t for t, _ in sorted(co.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
    name = store_evidence.tag_name(ctx.db, key)
    cited = [refs[p] for p in recent if p in refs]
    facts: dict[str, Any] = {"posts": len(posts), "niche_posts": int(pf.niche[posts].sum()),
             "co_tags": {t: co[t] for t in top_co}, "authors": {a: authors[a] for a in top_authors},
             "recent_posts": cited, "as_of": ctx.as_of.isoformat()}  # fmt: skip
    ev = Evidence(posts=tuple(cited), tags=(key, *top_co), authors=tuple(top_authors))
    return ev, facts, name or key, f"https://medium.com/tag/{key}"
