"""Synthetic niche stores of a given size for the rank and queue benchmarks (bulk SQL, seeded).

Shapes follow a real crawl: authors write a skewed number of posts (a few prolific, a long tail of
one-post writers), most posts sit in a publication (an author has a home publication), posts carry
1-5 tags from a skewed vocabulary (niche tags on niche authors' posts, off-niche tags elsewhere), titles
sometimes name a niche keyword, and bodies link to other Medium posts and profiles, to competitor
domains and to a long tail of other domains, many of them nofollow. Same seed, same store.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

AS_OF = "2026-11-15"
KEYWORDS = ("seo", "link building", "content marketing", "saas marketing", "keyword research")
NICHE_TAGS = ("seo", "content-marketing", "link-building", "saas-marketing", "saas-growth")
COMPETITORS = ("ahrefs.com", "semrush.com", "moz.com")
SEEN = "2026-11-15T00:00:00Z"
EDGES_PER_POST = 8.7  # wrote + published-in + tagged + links, as generated below (measured)

NICHE_TOML = f"""[niche]
name = "synthetic-seo"
as_of = "{AS_OF}"
keywords = {list(KEYWORDS)!r}
tags = {list(NICHE_TAGS)!r}
site = "trellisrank.com"
competitors = {list(COMPETITORS)!r}

[quality]
min_followers = 200
min_niche_posts_90d = 2
""".replace("'", '"')

_WORDS_TEXT = (
    "growth startup product team remote design data python guide lessons story year habits money career "
    "writing leadership marketing sales pricing onboarding churn funnel email social brand audience metrics "
    "launch founder hiring culture tools stack cloud api mobile web testing analytics strategy playbook"
)
_OFF_TAGS_TEXT = (
    "startup productivity programming python javascript design ux leadership self-improvement money "
    "writing life technology data-science machine-learning business entrepreneurship marketing ai"
)
_WORDS = _WORDS_TEXT.split()
_OFF_TAGS = _OFF_TAGS_TEXT.split()


@dataclass(frozen=True)
class SynthStats:
    posts: int
    authors: int
    publications: int
    tags: int
    links: int
    post_tags: int
    edges: int  # wrote + published-in + tagged + links-to rows: the graph's edges with one node per domain


def _hexid(i: np.ndarray) -> list[str]:
    # An odd multiplier mod 2^48 is a bijection: unique, scattered 12-hex ids.
    v = (i.astype(np.uint64) * np.uint64(0x9E3779B97F4B) + np.uint64(0x1F2E3D)) & np.uint64((1 << 48) - 1)
    return [f"{x:012x}" for x in v.tolist()]


def _skewed(rng: np.random.Generator, n: int, size: int, power: float) -> np.ndarray:
    """Indices in [0, n) with a heavy head: index 0 is the most popular."""
    return np.minimum((n * rng.random(size) ** power).astype(np.int64), n - 1)


def synth_store(
    path: Path,
    *,
    posts: int,
    authors: int | None = None,
    seed: int = 7,
    niche_author_share: float = 0.3,
    every_author_niche: bool = False,
) -> SynthStats:
    """Write a migrated linkscout store with `posts` posts (≈ EDGES_PER_POST edges each) to `path`.

    `every_author_niche`: each author's first post is a niche post (the queue benchmark's
    candidate pool is then every author)."""
    from linkscout.store.db import open_db

    rng = np.random.default_rng(seed)
    n_auth = authors or max(10, posts // 8)
    n_pub = max(20, n_auth // 40)
    n_tag = max(200, posts // 50)
    n_dom = max(200, posts // 20)
    open_db(path).conn.close()

    # Authors: a few prolific, a long tail; every author has at least one post.
    author_of = np.concatenate(
        [np.arange(min(n_auth, posts)), _skewed(rng, n_auth, max(posts - n_auth, 0), 1.7)]
    )
    rng.shuffle(author_of)
    niche_author = rng.random(n_auth) < niche_author_share
    is_niche = np.where(niche_author[author_of], rng.random(posts) < 0.7, rng.random(posts) < 0.03)
    if every_author_niche:
        first = np.full(n_auth, -1)
        first[author_of[::-1]] = np.arange(posts)[::-1]  # the earliest index wins
        is_niche[first[first >= 0]] = True
    home = rng.integers(0, n_pub, n_auth)
    in_pub = rng.random(posts) < 0.6
    pub_of = np.where(rng.random(posts) < 0.8, home[author_of], _skewed(rng, n_pub, posts, 2.0))
    pub_of = np.where(in_pub, pub_of, -1)
    days_back = np.where(niche_author[author_of], rng.exponential(120, posts), rng.exponential(400, posts))
    as_of = date.fromisoformat(AS_OF)
    day0 = as_of - timedelta(days=1500)
    pub_day = np.clip(1500 - days_back.astype(np.int64), 0, 1500 + 5)  # a few posts after as_of
    claps = np.floor(rng.lognormal(3.0, 1.8, posts)).astype(np.int64)
    resp = rng.poisson(np.maximum(claps / 40, 0.2))
    claps_known = rng.random(posts) < 0.95

    usernames = [f"writer{i:06d}" for i in range(n_auth)]
    slugs = [f"pub-{i:05d}" for i in range(n_pub)]
    off_tags = [f"{_OFF_TAGS[i % len(_OFF_TAGS)]}-{i // len(_OFF_TAGS)}" if i >= len(_OFF_TAGS)
                else _OFF_TAGS[i] for i in range(n_tag)]  # fmt: skip
    domains = [f"site{i:05d}.com" for i in range(n_dom)]
    ids = _hexid(np.arange(posts))
    words = rng.integers(0, len(_WORDS), (posts, 7))
    kw_in_title = is_niche & (rng.random(posts) < 0.5)
    kw_pick = rng.integers(0, len(KEYWORDS), posts)

    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO authors (username, name, followers, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)",
        [(u, f"Writer {i}", None if r < 0.1 else int(f), SEEN, SEEN)
         for i, (u, r, f) in enumerate(zip(usernames, rng.random(n_auth).tolist(),
                                           rng.lognormal(5.5, 1.6, n_auth).tolist(), strict=True))],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO publications (slug, name, followers, submission_url, first_seen, last_seen) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(s, f"Publication {i}", int(f), f"https://medium.com/{s}/write-for-us" if i % 3 == 0 else None, SEEN, SEEN)
         for i, (s, f) in enumerate(zip(slugs, rng.lognormal(8, 1.5, n_pub).tolist(), strict=True))],
    )  # fmt: skip
    all_tags = list(NICHE_TAGS) + off_tags
    conn.executemany(
        "INSERT INTO tags (slug, name) VALUES (?, ?)", [(t, t.replace("-", " ")) for t in all_tags]
    )

    post_rows = []
    urls = []
    for i in range(posts):
        title = " ".join(_WORDS[w] for w in words[i])
        if kw_in_title[i]:
            title = f"{KEYWORDS[kw_pick[i]]} {title}"
        a = usernames[author_of[i]]
        p = slugs[pub_of[i]] if pub_of[i] >= 0 else None
        slug = "-".join(title.split()[:5])
        url = f"https://medium.com/{p}/{slug}-{ids[i]}" if p else f"https://medium.com/@{a}/{slug}-{ids[i]}"
        urls.append(url)
        day = (day0 + timedelta(days=int(pub_day[i]))).isoformat()
        c = int(claps[i]) if claps_known[i] else None
        r = int(resp[i]) if claps_known[i] else None
        post_rows.append((ids[i], title.capitalize(), "A subtitle about " + _WORDS[words[i][0]], url, url, a, p,
                          f"{day}T09:00:00Z", c, r, SEEN, SEEN))  # fmt: skip
    conn.executemany(
        "INSERT INTO posts (id, title, subtitle, url, canonical_url, author, publication, published_at, claps, "
        "responses, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        post_rows,
    )
    del post_rows

    # Tags: 1-5 per post; niche posts take one or two niche tags, the rest from the skewed vocabulary.
    n_tags = rng.integers(1, 6, posts)
    pt: list[tuple[str, str]] = []
    for i in range(posts):
        chosen = set()
        if is_niche[i] and not kw_in_title[i] or (is_niche[i] and rng.random() < 0.5):
            chosen.add(NICHE_TAGS[int(rng.integers(0, len(NICHE_TAGS)))])
        for t in _skewed(rng, n_tag, int(n_tags[i]), 2.5).tolist():
            chosen.add(off_tags[t])
        pt.extend((ids[i], t) for t in sorted(chosen))
    conn.executemany("INSERT INTO post_tags (post_id, tag) VALUES (?, ?)", pt)

    # Links: Poisson(4) per post; 20% to other posts, 8% to profiles, 4% to competitors, the rest to
    # a long tail of domains; external links are nofollow 60% of the time.
    n_links = np.minimum(rng.poisson(4.0, posts), 12)
    total = int(n_links.sum())
    owner = np.repeat(np.arange(posts), n_links)
    kind = rng.random(total)
    target_post = _skewed(rng, posts, total, 2.0)
    target_author = _skewed(rng, n_auth, total, 2.0)
    target_dom = _skewed(rng, n_dom, total, 2.5)
    comp = rng.integers(0, len(COMPETITORS), total)
    weak = rng.random(total) < 0.6
    rows = []
    pos = 0
    prev = -1
    for j in range(total):
        o = int(owner[j])
        pos = pos + 1 if o == prev else 0
        prev = o
        k = kind[j]
        if k < 0.20:
            url, host, internal, rel = urls[target_post[j]], "medium.com", 1, None
        elif k < 0.28:
            url, host, internal, rel = (
                f"https://medium.com/@{usernames[target_author[j]]}",
                "medium.com",
                1,
                None,
            )
        elif k < 0.32:
            host = COMPETITORS[comp[j]]
            url, internal, rel = (
                f"https://{host}/blog/guide-{j % 97}",
                0,
                "nofollow noopener" if weak[j] else "noopener",
            )
        else:
            host = domains[target_dom[j]]
            url, internal, rel = (
                f"https://www.{host}/p/{j % 1013}",
                0,
                "nofollow noopener" if weak[j] else "noopener",
            )
            host = "www." + host
        nf = int(rel is not None and "nofollow" in rel)
        rows.append((ids[o], pos, url, host, rel, f"anchor {j % 50}", nf, 0, internal))
    conn.executemany(
        "INSERT INTO links (post_id, position, url, host, rel, anchor, nofollow, ugc, internal) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    edges = posts + int(in_pub.sum()) + len(pt) + total
    return SynthStats(posts, n_auth, n_pub, len(all_tags), total, len(pt), edges)


def write_niche(path: Path) -> Path:
    path.write_text(NICHE_TOML, encoding="utf-8")
    return path


if __name__ == "__main__":  # python -m benchmarks.synth OUT.db POSTS
    import sys
    import time

    t0 = time.perf_counter()
    print(synth_store(Path(sys.argv[1]), posts=int(sys.argv[2])), f"{time.perf_counter() - t0:.1f} s")


STORE_CACHE = Path(__file__).resolve().parents[1] / "build" / "bench-stores"


def cached_store(name: str, **kwargs: object) -> tuple[Path, SynthStats]:
    """A synthetic store generated once and kept in build/bench-stores/ (10M edges take minutes to
    write): keyed on this file's source, the schema and the arguments, so a change regenerates it.
    The store is used in place; its derived-data cache (`<db>.cache`) is the caller's to clear."""
    import hashlib
    import json

    from linkscout.store import schema

    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(repr(sorted(schema.KNOWN_MIGRATIONS)).encode())
    h.update(repr(sorted(kwargs.items())).encode())
    STORE_CACHE.mkdir(parents=True, exist_ok=True)
    db = STORE_CACHE / f"{name}-{h.hexdigest()[:12]}.db"
    meta = db.with_suffix(".json")
    if db.exists() and meta.exists():
        return db, SynthStats(**json.loads(meta.read_text()))
    for old in STORE_CACHE.glob(f"{name}-*"):  # an older generation of this store
        if old.is_dir():
            import shutil

            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)
    tmp = db.with_suffix(".tmp.db")
    tmp.unlink(missing_ok=True)
    stats = synth_store(tmp, **kwargs)  # type: ignore[arg-type]
    tmp.rename(db)
    meta.write_text(json.dumps(stats.__dict__))
    return db, stats
