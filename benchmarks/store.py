"""Store: rows per second through our write path against a bare `sqlite3.executemany` of the same rows.

Input: every page of a generated fixture site (~3,000 posts), parsed once up front (not timed).
Ours: the crawl pipeline's batch writer `crawler.pipelines.write_batch` (records through
`store.write.write_results`, the `pages` ledger row per page, the frontier; one transaction per batch).
Bare: the same rows, flattened in advance per batch, inserted with `executemany` (INSERT OR IGNORE) into
the same schema, one transaction per batch of the same pages. Both start from an empty migrated database copied from one
template, with the same PRAGMAs (WAL, synchronous=NORMAL, foreign keys on).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.common import Row, Section, median_times

BATCH = 200  # pages per transaction: the crawl pipeline's LINKSCOUT_BATCH_SIZE default
SEEN = "2026-11-15T00:00:00Z"


def parsed_site(posts: int = 3000) -> list[tuple[str, int, object]]:
    """(url, http status, PageResult) for every page of a generated site."""
    import json

    from linkscout.crawler.parse import parse_page
    from tools.fixture_gen import generate

    out = Path(tempfile.mkdtemp(prefix="lsbench-store-"))
    try:
        generate(out, seed=7, posts=posts)
        index = json.loads((out / "site" / "index.json").read_text())
        res = []
        for url, e in sorted(index.items()):
            if not e.get("file"):
                continue
            data = (out / "site" / e["file"]).read_bytes()
            res.append(
                (
                    url,
                    int(e["status"]),
                    parse_page(data, url, status=e["status"], content_type=e["content_type"]),
                )
            )
        return res
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _bare_rows(pages: list[tuple[str, int, object]]) -> dict[str, list[tuple]]:
    from linkscout.core.urls import is_medium_host

    authors: dict[str, tuple] = {}
    pubs: dict[str, tuple] = {}
    posts: dict[str, tuple] = {}
    tags: set[tuple] = set()
    post_tags: set[tuple] = set()
    links: dict[tuple, tuple] = {}
    snaps: dict[str, tuple] = {}
    ledger = []
    for url, status, r in pages:
        ledger.append((url, str(r.kind), "ok", status, SEEN, None, None, None))  # type: ignore[attr-defined]
        for a in r.authors:  # type: ignore[attr-defined]
            if a.username:
                u = a.username.lower().lstrip("@")
                authors[u] = (u, a.id, a.name, a.bio, a.followers, a.following, a.twitter, SEEN, SEEN)
        for p in r.publications:  # type: ignore[attr-defined]
            if p.slug:
                pubs[p.slug] = (
                    p.slug,
                    p.id,
                    p.name,
                    p.domain,
                    p.description,
                    p.followers,
                    p.submission_url,
                    SEEN,
                    SEEN,
                )
        for p in r.posts:  # type: ignore[attr-defined]
            au = (p.author or "").lower().lstrip("@") or None
            if au and au not in authors:
                authors[au] = (au, None, None, None, None, None, None, SEEN, SEEN)
            if p.publication and p.publication not in pubs:
                pubs[p.publication] = (p.publication, None, None, None, None, None, None, SEEN, SEEN)
            posts[p.id] = (p.id, p.title, p.subtitle, p.url, p.canonical_url, au, p.publication, p.published_at,
                           p.updated_at, p.claps, p.voters, p.responses, p.reading_time, p.locked, p.is_response,
                           p.in_response_to, p.links_partial, SEEN, SEEN)  # fmt: skip
            for t in p.tags:
                tags.add((t.lower(),))
                post_tags.add((p.id, t.lower()))
            for i, link in enumerate(p.links or ()):
                host = (urlsplit(link.url).hostname or "").lower() or None
                links[(p.id, i)] = (p.id, i, link.url, host, link.rel, link.anchor, int(link.nofollow),
                                    int(link.ugc), int(is_medium_host(host)))  # fmt: skip
            if p.claps is not None or p.responses is not None:
                snaps[p.id] = (p.id, SEEN, p.claps, p.responses)
    return {
        "authors": list(authors.values()), "publications": list(pubs.values()), "posts": list(posts.values()),
        "tags": sorted(tags), "post_tags": sorted(post_tags), "links": list(links.values()),
        "engagement_snapshots": list(snaps.values()), "pages": ledger,
    }  # fmt: skip


_COLS = {
    "authors": 9, "publications": 9, "posts": 19, "tags": 1, "post_tags": 2, "links": 9,
    "engagement_snapshots": 4, "pages": 8,
}  # fmt: skip


def _bare_insert(path: Path, batches: list[dict[str, list[tuple]]]) -> None:
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    tag_cols = {"tags": "(slug)", "post_tags": "(post_id, tag)", "engagement_snapshots": "(post_id, seen_at, claps, responses)",
                "pages": "(url, kind, status, http_status, fetched_at, etag, last_modified, error)"}  # fmt: skip
    for rows in batches:
        conn.execute("BEGIN IMMEDIATE")
        for table, n in _COLS.items():
            # Later migrations append columns (posts has 21 now): name the first n the rows fill.
            names = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")][:n]
            cols = tag_cols.get(table, f"({', '.join(names)})")
            conn.executemany(
                f"INSERT OR IGNORE INTO {table} {cols} VALUES ({','.join('?' * n)})", rows[table]
            )
        conn.commit()
    conn.close()


def _ours_insert(path: Path, pages: list[tuple[str, int, object]]) -> None:
    """The crawl pipeline's own batch writer (`crawler.pipelines.write_batch`), one transaction per batch."""
    from linkscout.crawler.pipelines import PageItem, write_batch
    from linkscout.store.db import open_db

    db = open_db(path)
    items = [PageItem(url=u, status="ok", fetched_at=SEEN, kind=str(r.kind), http_status=s, result=r)  # type: ignore[attr-defined,arg-type]
             for u, s, r in pages]  # fmt: skip
    for i in range(0, len(items), BATCH):
        write_batch(db, items[i : i + BATCH])
    db.conn.close()


def _count(path: Path) -> int:
    conn = sqlite3.connect(str(path))
    try:
        return sum(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in _COLS)
    finally:
        conn.close()


def run(runs: int = 5) -> Section:
    from linkscout.store.db import open_db

    sec = Section("store")
    pages = parsed_site()
    bare_batches = [_bare_rows(pages[i : i + BATCH]) for i in range(0, len(pages), BATCH)]
    work = Path(tempfile.mkdtemp(prefix="lsbench-db-"))
    try:
        template = work / "template.db"
        open_db(template).conn.close()
        n = {"i": 0}

        def fresh(tag: str) -> Path:
            n["i"] += 1
            p = work / f"{tag}-{n['i']}.db"
            shutil.copy(template, p)
            return p

        times = median_times(
            {
                "ours": lambda: _ours_insert(fresh("ours"), pages),
                "bare": lambda: _bare_insert(fresh("bare"), bare_batches),
            },
            runs,
        )
        ours_rows = _count(work / f"ours-{n['i'] - 1}.db")
        bare_rows = _count(work / f"bare-{n['i']}.db")
        r_ours, r_bare = ours_rows / times["ours"], bare_rows / times["bare"]
        share = r_ours / r_bare
        sec.rows.append(Row("store", f"rows/s, {len(pages):,} pages, {ours_rows:,} rows, {BATCH} pages/txn",
                            f"{r_ours:,.0f} rows/s", f"executemany {r_bare:,.0f} rows/s", f"{share:.0%}",
                            "≥40% of bare", share >= 0.40))  # fmt: skip
        if ours_rows != bare_rows:
            sec.notes.append(
                f"store: ours wrote {ours_rows} rows, the bare insert {bare_rows} (dedup differs)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return sec
