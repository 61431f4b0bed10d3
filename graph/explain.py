"""Rationale sentences for a ranked entry, built only from stored evidence.

`gather_evidence` collects what an entry's sentences may cite: posts (id, title, URL, date, claps),
tags, body links (post, position, URL, rel), publications and authors, all read from the store, plus
the numbers (`facts`) the sentences quote. The `explain_*` functions turn those into sentences and
never mention anything that is not in the evidence, so every claim can be checked against the store
(tests do exactly that). What held an entry back is said as plainly as what lifted it.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from linkscout.graph.rank import Context

MAX_POSTS = 3


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


PREFETCH_MIN = 200  # explaining this many entries or more: read the rows they cite in one go


def _members(ctx: Context, kind: str, i: int) -> np.ndarray:
    """Posts of author/publication i, ascending (an index built once per context, not a scan per entry)."""
    key = f"members:{kind}"
    if key not in ctx.cache:
        groups = ctx.graph.post_author if kind == "author" else ctx.graph.post_pub
        known = np.nonzero(groups >= 0)[0]
        order = known[np.argsort(groups[known], kind="stable")]
        counts = np.bincount(groups[known], minlength=len(ctx.graph.keys[kind]))
        ctx.cache[key] = (order, np.concatenate([[0], np.cumsum(counts)]))
    order, starts = ctx.cache[key]
    return order[starts[i] : starts[i + 1]]


_FACT_FIELDS = ("posts", "niche_posts", "niche_30", "niche_90", "active_weeks", "last_niche_age", "last_post_age",
                "median_claps", "median_responses", "best_share", "authors_30")  # fmt: skip


def _fact_lists(ctx: Context, kind: str) -> dict[str, list[Any]]:
    """The group facts as Python lists (one conversion per context, not a numpy scalar per value)."""
    key = f"facts:{kind}"
    if key not in ctx.cache:
        f = ctx.authors if kind == "author" else ctx.publications
        ctx.cache[key] = {name: getattr(f, name).tolist() for name in _FACT_FIELDS}
    return ctx.cache[key]


def _by_owner(ctx: Context, which: str, attr: str) -> dict[int, list[Any]]:
    """ctx.leads or ctx.site_links grouped by author_idx or pub_idx, order kept."""
    key = f"{which}:{attr}"
    if key not in ctx.cache:
        grouped: dict[int, list[Any]] = {}
        for x in getattr(ctx, which):
            grouped.setdefault(getattr(x, attr), []).append(x)
        ctx.cache[key] = grouped
    return ctx.cache[key]


def prefetch(ctx: Context, kind: str) -> None:
    """Read every post's citation fields and every author's or publication's row once, for explaining
    many entries (the queue and export explain every candidate); per-entry queries otherwise."""
    conn = ctx.db.conn
    ctx.cache["posts"] = {r[0]: r for r in conn.execute(
        "SELECT id, title, url, published_at, claps, responses FROM posts")}  # fmt: skip
    ctx.cache["publications"] = {r[0]: r[1:] for r in conn.execute(
        "SELECT slug, name, followers, submission_url, domain FROM publications")}  # fmt: skip
    if kind == "author":
        ctx.cache["authors"] = {
            r[0]: r[1:] for r in conn.execute("SELECT username, name, followers FROM authors")
        }


def _post_refs(ctx: Context, idx: list[int]) -> dict[int, PostRef]:
    if not idx:
        return {}
    keys = ctx.graph.keys["post"]
    cached = ctx.cache.get("posts")
    if cached is not None:
        return {i: PostRef(*cached[keys[i]]) for i in idx if keys[i] in cached}
    ids = [keys[i] for i in idx]
    rows = ctx.db.conn.execute(
        f"SELECT id, title, url, published_at, claps, responses FROM posts WHERE id IN ({','.join('?' * len(ids))})",
        ids,
    ).fetchall()
    by_id = {r[0]: PostRef(*r) for r in rows}
    return {i: by_id[keys[i]] for i in idx if keys[i] in by_id}


def _pub_names(ctx: Context, slugs: list[str]) -> dict[str, str | None]:
    """slug → name for these publications, in slug order (as the indexed IN query returns them)."""
    cached = ctx.cache.get("publications")
    if cached is not None:
        return {s: cached[s][0] for s in sorted(set(slugs)) if s in cached}
    return dict(ctx.db.conn.execute(
        f"SELECT slug, name FROM publications WHERE slug IN ({','.join('?' * len(slugs))})", slugs
    ).fetchall())  # fmt: skip


def _recent(ctx: Context, posts: np.ndarray, k: int = MAX_POSTS) -> list[int]:
    """Niche posts among `posts`, newest first (undated last), then most claps, then id."""
    pf, g = ctx.posts, ctx.graph
    sel = posts[pf.niche[posts]]
    age, claps = pf.age[sel], g.post_claps[sel]  # finite or NaN (never ±inf)
    age = np.where(np.isnan(age), np.inf, age)
    claps = np.where(np.isnan(claps), -1.0, claps)
    order = np.lexsort((sel, -claps, age))
    return sel[order][:k].tolist()


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


def _link_refs(links: list[Any], target: str) -> tuple[LinkRef, ...]:
    return tuple(LinkRef(x.post_id, x.position, x.url, x.rel, x.how, target) for x in links)


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
        cached = ctx.cache.get("authors")
        row = cached[key] if cached is not None else ctx.db.conn.execute(
            "SELECT name, followers FROM authors WHERE username = ?", (key,)).fetchone()  # fmt: skip
        name, followers, submission, url = row[0], row[1], None, f"https://medium.com/@{key}"
        other = Counter(
            g.keys["publication"][p] for p in g.post_pub[posts[ctx.posts.niche[posts]]].tolist() if p >= 0
        )
        leads = _by_owner(ctx, "leads", "author_idx").get(i, [])
        site = _by_owner(ctx, "site_links", "author_idx").get(i, [])
    else:
        cached = ctx.cache.get("publications")
        row = cached[key] if cached is not None else ctx.db.conn.execute(
            "SELECT name, followers, submission_url, domain FROM publications WHERE slug = ?", (key,)
        ).fetchone()  # fmt: skip
        name, followers, submission = row[0], row[1], row[2]
        url = f"https://{row[3]}" if row[3] else f"https://medium.com/{key}"
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
        "as_of": ctx.as_of.isoformat(), "site": ctx.niche.niche.site,
    }  # fmt: skip
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
    name = ctx.db.conn.execute("SELECT name FROM tags WHERE slug = ?", (key,)).fetchone()[0]
    cited = [refs[p] for p in recent if p in refs]
    facts: dict[str, Any] = {"posts": len(posts), "niche_posts": int(pf.niche[posts].sum()),
             "co_tags": {t: co[t] for t in top_co}, "authors": {a: authors[a] for a in top_authors},
             "recent_posts": cited, "as_of": ctx.as_of.isoformat()}  # fmt: skip
    ev = Evidence(posts=tuple(cited), tags=(key, *top_co), authors=tuple(top_authors))
    return ev, facts, name or key, f"https://medium.com/tag/{key}"


# --- sentences -------------------------------------------------------------------------------


def _post_phrase(p: PostRef, *, with_numbers: bool = True) -> str:
    bits = [b for b in ((p.published_at or "")[:10], _claps(p.claps) if with_numbers else "") if b]
    extra = f", {', '.join(bits)}" if bits else ""
    return f"“{p.title or p.id}” ({p.url or 'post ' + p.id}{extra})"


def _n(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _q(n: float, noun: str) -> str:
    """A counted or median quantity: '1 response', '0 responses', '2.5 claps'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _claps(n: int | None) -> str:
    return "" if n is None else f"{n} clap{'s' if n != 1 else ''}"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _tags_phrase(counts: dict[str, int]) -> str:
    return ", ".join(f"{t} ({n})" for t, n in counts.items())


def _activity(f: dict[str, Any], what: str) -> list[str]:
    out = []
    if f["niche_90"]:
        weeks = f", in {f['active_weeks']} of the last 13 weeks" if what == "author" else ""
        out.append(f"{f['niche_90']} niche post{'s' if f['niche_90'] != 1 else ''} in the 90 days to {f['as_of']} "
                   f"({f['niche_30']} in the last 30){weeks}.")  # fmt: skip
    elif f["days_since_niche_post"] is not None:
        out.append(
            f"Held back: no niche post in {_q(f['days_since_niche_post'], 'day')} (as of {f['as_of']})."
        )
    else:
        out.append("Held back: none of the niche posts has a known publication date.")
    return out


def _engagement(f: dict[str, Any]) -> list[str]:
    if f["median_claps"] is None:
        return ["Clap counts of the niche posts are unknown."]
    resp = "" if f["median_responses"] is None else f" and {_q(f['median_responses'], 'response')}"
    return [f"Median {_q(f['median_claps'], 'clap')}{resp} per niche post."]


def _links(f: dict[str, Any]) -> list[str]:
    out = []
    for key, verb in (("leads", "Backlink lead: links to"), ("site_links", "Already links to")):
        by_domain: dict[str, list[Any]] = {}
        for x in f[key]:
            by_domain.setdefault(x.domain, []).append(x)
        for d, xs in sorted(by_domain.items()):
            hows = Counter(x.how for x in xs)
            how = ", ".join(f"{n} {h}" for h, n in sorted(hows.items()))
            example = xs[0]
            out.append(f"{verb} {d} {_times(len(xs))} ({how}), e.g. {example.url} in post {example.post_id}.")
    return out


def explain_author(f: dict[str, Any], ev: Evidence, comps: dict[str, float]) -> list[str]:
    out = _activity(f, "author")
    tags = f" tagged {_tags_phrase(f['tag_counts'])}" if f["tag_counts"] else ""
    held = "Held back: only " if comps.get("off_niche_penalty", 0) > 0 else ""
    verb = "is" if f["niche_posts"] == 1 else "are"
    out.append(f"{held}{f['niche_posts']} of {f['posts']} stored posts {verb} on the niche{tags}.")
    if f["recent_posts"]:
        out.append("Latest niche posts: " + "; ".join(_post_phrase(p) for p in f["recent_posts"]) + ".")
    out += _engagement(f)
    out.append(
        f"{_q(f['followers'], 'follower')}." if f["followers"] is not None else "Follower count unknown."
    )
    out += _links(f)
    if f["counterparts"]:
        names = f["counterpart_names"]
        out.append("Writes for " + ", ".join(f"{names.get(s) or s} ({n} niche post{'s' if n != 1 else ''})"
                                            for s, n in f["counterparts"].items()) + ".")  # fmt: skip
    if comps.get("one_hit_penalty", 0) > 0 and f["best_post"] is not None:
        b = f["best_post"]
        year = f" {b.published_at[:4]}" if b.published_at else ""
        out.append(f"Held back: {math.floor(100 * f['best_share'])}% of their claps and responses come from one{year} "
                   f"post, {_post_phrase(b)}.")  # fmt: skip
    return out


def explain_publication(f: dict[str, Any], ev: Evidence, comps: dict[str, float]) -> list[str]:
    share = round(100 * f["niche_posts"] / f["posts"]) if f["posts"] else 0
    tags = f", tagged {_tags_phrase(f['tag_counts'])}" if f["tag_counts"] else ""
    out = [f"{f['niche_posts']} of {f['posts']} stored posts ({share}%) are on the niche{tags}."]
    d = f["days_since_post"]
    if d is None:
        out.append("Held back: no post has a known publication date.")
    elif d <= 10 and f["authors_30"] >= 3:
        out.append(
            f"Active: latest post {_q(d, 'day')} before {f['as_of']}, {f['authors_30']} distinct authors in 30 days."
        )
    else:
        out.append(f"Held back: latest post {_q(d, 'day')} before {f['as_of']}, "
                   f"{f['authors_30']} distinct author{'s' if f['authors_30'] != 1 else ''} in 30 days.")  # fmt: skip
    if f["recent_posts"]:
        out.append("Latest niche posts: " + "; ".join(_post_phrase(p) for p in f["recent_posts"]) + ".")
    if f["counterparts"]:
        out.append("Niche writers: " + ", ".join(f"@{a} ({n})" for a, n in f["counterparts"].items()) + ".")
    out += _engagement(f)
    if comps.get("reach_penalty", 0) > 0 and f["median_claps"] is not None:
        out.append(f"Held back: few readers, a median of {_q(f['median_claps'], 'clap')} per niche post.")
    out.append(
        f"{_q(f['followers'], 'follower')}." if f["followers"] is not None else "Follower count unknown."
    )
    if f["submission_url"]:
        out.append(f"Submission page: {f['submission_url']}.")
    else:
        out.append("No submission page found.")
    out += _links(f)
    return out


def explain_tag(f: dict[str, Any], ev: Evidence, comps: dict[str, float]) -> list[str]:
    share = round(100 * f["niche_posts"] / f["posts"]) if f["posts"] else 0
    out = [f"On {_n(f['niche_posts'], 'niche post')} ({share}% of its {f['posts']} stored posts)."]
    if f["co_tags"]:
        out.append(f"Appears with niche tags {_tags_phrase(f['co_tags'])}.")
    if f["authors"]:
        out.append("Used by " + ", ".join(f"@{a} ({n})" for a, n in f["authors"].items()) + ".")
    if f["recent_posts"]:
        out.append("For example " + "; ".join(_post_phrase(p) for p in f["recent_posts"]) + ".")
    return out
