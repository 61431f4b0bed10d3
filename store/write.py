"""Batched, idempotent writes of parser records into the store.

Rules every helper here keeps:
- writing the same records twice leaves identical rows; only `last_seen` moves;
- a NULL in a later record never erases a known value (COALESCE on conflict);
- a changed clap or response count adds one `engagement_snapshots` row (every archived capture adds
  one at its capture time), and the post keeps the counts of its newest snapshot: a capture read
  later but taken earlier never overwrites newer counts; `first_seen`/`last_seen` span all captures;
- one transaction per batch (callers wrap a batch in `store.db.transaction`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from sqlite_utils import Database

from linkscout.core.records import (
    AuthorRecord,
    Guidelines,
    LinkRecord,
    PageResult,
    PostRecord,
    PublicationRecord,
)
from linkscout.core.urls import is_medium_host
from linkscout.store.guidelines import rename_publication, write_guidelines


def _b(v: bool | None) -> int | None:
    return None if v is None else int(v)


def _upsert_sql(table: str, key: str, cols: Sequence[str]) -> str:
    placeholders = ", ".join("?" for _ in (key, *cols, "first_seen", "last_seen"))
    updates = ", ".join(f"{c} = COALESCE(excluded.{c}, {table}.{c})" for c in cols)
    return (
        f"INSERT INTO {table} ({key}, {', '.join(cols)}, first_seen, last_seen) VALUES ({placeholders}) "
        f"ON CONFLICT({key}) DO UPDATE SET {updates}, first_seen = MIN({table}.first_seen, excluded.first_seen), "
        f"last_seen = MAX({table}.last_seen, excluded.last_seen)"
    )


_AUTHOR_COLS = ("user_id", "name", "bio", "followers", "following", "twitter")
_PUB_COLS = ("pub_id", "name", "domain", "description", "followers", "submission_url")
_POST_COLS = (
    "title", "subtitle", "url", "canonical_url", "author", "publication", "published_at", "updated_at",
    "claps", "voters", "responses", "reading_time", "locked", "is_response", "in_response_to", "links_partial",
)  # fmt: skip
_AUTHOR_SQL = _upsert_sql("authors", "username", _AUTHOR_COLS)
_PUB_SQL = _upsert_sql("publications", "slug", _PUB_COLS)
_POST_SQL = _upsert_sql("posts", "id", _POST_COLS)


@dataclass(slots=True)
class WriteCounts:
    posts: int = 0
    authors: int = 0
    publications: int = 0
    snapshots: int = 0
    links: int = 0

    def add(self, other: WriteCounts) -> None:
        self.posts += other.posts
        self.authors += other.authors
        self.publications += other.publications
        self.snapshots += other.snapshots
        self.links += other.links


def normalise_username(u: str | None) -> str | None:
    u = (u or "").strip().lstrip("@").lower()
    return u or None


def normalise_slug(s: str | None) -> str | None:
    s = (s or "").strip().strip("/").lower()
    return s or None


def write_results(
    db: Database, results: Iterable[PageResult], seen_at: str, *, every_snapshot: bool = False
) -> WriteCounts:
    """Write the records of many parsed pages in one go (the caller holds the transaction).
    `every_snapshot`: the pages are dated captures (web archives, saved pages): each one's counts
    become a snapshot at `seen_at` even when they equal the previous ones."""
    posts: dict[str, PostRecord] = {}
    authors: dict[str, AuthorRecord] = {}
    pubs: dict[str, PublicationRecord] = {}
    warnings: list[tuple[str, str, str]] = []
    read: dict[tuple[str, str | None], Guidelines] = {}
    for r in results:
        for a in r.authors:
            key = normalise_username(a.username)
            if key:
                authors[key] = _merge(authors.get(key), a)
        for p in r.publications:
            key = normalise_slug(p.slug)
            if key:
                pubs[key] = _merge(pubs.get(key), p)
                if p.guidelines is not None:  # each page read is kept (not merged away in the batch)
                    read[(key, p.guidelines.url)] = p.guidelines
        for post in r.posts:
            posts[post.id] = _merge(posts.get(post.id), post)
        if r.url:
            warnings.extend((r.url, w, seen_at) for w in r.warnings)
    counts = WriteCounts()
    counts.authors = upsert_authors(db, authors.values(), seen_at)
    counts.publications = upsert_publications(db, pubs.values(), seen_at)
    if read:
        write_guidelines(db, read.items(), seen_at)
    sub = upsert_posts(db, posts.values(), seen_at, every_snapshot=every_snapshot)
    counts.posts, counts.snapshots, counts.links = sub.posts, sub.snapshots, sub.links
    if warnings:
        db.conn.executemany(
            "INSERT INTO parse_warnings (url, warning, seen_at) VALUES (?, ?, ?) "
            "ON CONFLICT(url, warning) DO UPDATE SET seen_at = excluded.seen_at",
            warnings,
        )
    if pubs or posts:
        reconcile_publication_subdomains(db)
    return counts


def _merge(old: Any, new: Any) -> Any:
    """Field-wise merge of two records of one entity seen twice in a batch: later non-None wins,
    except that body links only give way to links at least as rich (see `_links_worse`)."""
    if old is None:
        return new
    changes = {}
    for name in new.__slots__:
        v = getattr(new, name)
        if v is not None and v != () and v != getattr(old, name):
            changes[name] = v
    if "links" in changes and _links_worse(new, old.links, bool(old.links_partial)):
        del changes["links"]
        changes.pop("links_partial", None)
    return old if not changes else type(old)(**{n: changes.get(n, getattr(old, n)) for n in old.__slots__})


def _links_worse(new: PostRecord, old_links: tuple[LinkRecord, ...] | None, old_partial: bool) -> bool:
    """True when `new`'s body links would lose what is known: a member-only preview after the full
    body, or a feed body (Medium strips rel there) after the rendered page's links with their rel.
    Which page was fetched first must not decide what is stored."""
    if not old_links or new.links is None:
        return False
    if new.links_partial and not old_partial:
        return True
    return not any(link.rel for link in new.links) and any(link.rel for link in old_links)


def upsert_authors(db: Database, authors: Iterable[AuthorRecord], seen_at: str) -> int:
    rows = []
    for a in authors:
        username = normalise_username(a.username)
        if username:
            rows.append(
                (username, a.id, a.name, a.bio, a.followers, a.following, a.twitter, seen_at, seen_at)
            )
    db.conn.executemany(_AUTHOR_SQL, rows)
    return len(rows)


def upsert_publications(db: Database, pubs: Iterable[PublicationRecord], seen_at: str) -> int:
    rows = []
    aliases = []
    for p in pubs:
        slug = normalise_slug(p.slug)
        if not slug:
            continue
        domain = (p.domain or "").lower() or None
        rows.append(
            (slug, p.id, p.name, domain, p.description, p.followers, p.submission_url, seen_at, seen_at)
        )
        if domain:
            aliases.append((domain, slug))
    db.conn.executemany(_PUB_SQL, rows)
    if aliases:
        add_publication_aliases(db, aliases)
    return len(rows)


def add_publication_aliases(db: Database, aliases: Iterable[tuple[str, str]]) -> None:
    """Map hosts (custom domains, x.medium.com) to a publication slug; the first mapping stays."""
    db.conn.executemany(
        "INSERT INTO publication_aliases (host, slug) SELECT ?, ? WHERE EXISTS "
        "(SELECT 1 FROM publications WHERE slug = ?) ON CONFLICT(host) DO NOTHING",
        [(h.lower(), s, s) for h, s in aliases],
    )


def upsert_posts(
    db: Database, posts: Iterable[PostRecord], seen_at: str, *, every_snapshot: bool = False
) -> WriteCounts:
    posts = list(posts)
    counts = WriteCounts(posts=len(posts))
    if not posts:
        return counts
    conn = db.conn
    # Stubs first, so foreign keys hold whichever page named the author or publication.
    stub_authors = {normalise_username(p.author) for p in posts} - {None}
    stub_pubs = {normalise_slug(p.publication) for p in posts} - {None}
    conn.executemany(
        "INSERT INTO authors (username, first_seen, last_seen) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [(u, seen_at, seen_at) for u in sorted(stub_authors)],  # type: ignore[type-var]
    )
    conn.executemany(
        "INSERT INTO publications (slug, first_seen, last_seen) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [(s, seen_at, seen_at) for s in sorted(stub_pubs)],  # type: ignore[type-var]
    )
    posts, layer_json = _state_wins(db, posts)
    ids = [p.id for p in posts]
    before = _latest_engagement(db, ids, seen_at)
    keep_stored = _keep_stored_links(db, [p for p in posts if p.links])
    conn.executemany(
        _POST_SQL,
        [
            (
                p.id, p.title, p.subtitle, p.url, p.canonical_url, normalise_username(p.author),
                normalise_slug(p.publication), p.published_at, p.updated_at, p.claps, p.voters, p.responses,
                p.reading_time, _b(p.locked), _b(p.is_response), p.in_response_to, _b(p.links_partial),
                seen_at, seen_at,
            )
            for p in posts
        ],
    )  # fmt: skip
    conn.executemany(
        "UPDATE posts SET field_layers = ? WHERE id = ?", [(j, i) for i, j in layer_json.items()]
    )
    tags = sorted({(p.id, t.lower()) for p in posts for t in p.tags if t})
    if tags:
        conn.executemany(
            "INSERT INTO tags (slug) VALUES (?) ON CONFLICT DO NOTHING", sorted({(t,) for _, t in tags})
        )
        conn.executemany("INSERT INTO post_tags (post_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING", tags)
    # links_partial describes the stored links: a page whose links were not taken changes nothing.
    conn.executemany(
        "UPDATE posts SET links_partial = ? WHERE id = ?",
        [(part, i) for i, part in sorted(keep_stored.items())],
    )
    counts.links = _replace_links(db, [p for p in posts if p.id not in keep_stored])
    snaps = []
    for p in posts:
        if p.claps is None and p.responses is None:
            continue
        prev = before.get(p.id)
        claps = p.claps if p.claps is not None else (prev[0] if prev else None)
        responses = p.responses if p.responses is not None else (prev[1] if prev else None)
        if every_snapshot or prev is None or (claps, responses) != prev:
            snaps.append((p.id, seen_at, claps, responses, _b(p.counts_approx)))
    conn.executemany(
        "INSERT INTO engagement_snapshots (post_id, seen_at, claps, responses, approx) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(post_id, seen_at) DO UPDATE SET claps = excluded.claps, responses = excluded.responses, "
        "approx = excluded.approx",
        snaps,
    )
    counts.snapshots = len(snaps)
    _counts_from_newest(db, sorted({s[0] for s in snaps}))
    return counts


_LAYERED = ("title", "author", "publication", "published_at", "reading_time")


def _state_wins(db: Database, posts: list[PostRecord]) -> tuple[list[PostRecord], dict[str, str | None]]:
    """A value read from the rendered markup (`layers`) only fills what the store does not know: it
    never replaces one from embedded state, whichever page was read first; a structured value
    replaces a markup one. Returns the posts to write and each post's new `field_layers` (JSON of
    the stored fields that came from markup). Counts are exempt: the newest capture wins those."""
    stored: dict[str, tuple[Any, ...]] = {}
    ids = sorted({p.id for p in posts})
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.conn.execute(
            "SELECT id, title, author, publication, published_at, reading_time, field_layers FROM posts "
            f"WHERE id IN ({marks})",
            chunk,
        ):
            stored[row[0]] = row[1:]
    out: list[PostRecord] = []
    layer_json: dict[str, str | None] = {}
    for p in posts:
        row = stored.get(p.id)
        old = json.loads(row[-1]) if row and row[-1] else {}
        if not p.layers and not old:
            out.append(p)
            continue
        new = dict(p.layers)
        changes: dict[str, Any] = {}
        for name, known in zip(_LAYERED, row[:-1] if row else (None,) * len(_LAYERED), strict=True):
            if new.get(name, "state") != "state" and known is not None and name not in old:
                changes[name] = None  # keep the stored value, which came from a structured layer
                new.pop(name)
        # A stored markup value stays marked unless this record brings a structured one for it.
        kept = {k: v for k, v in old.items() if k in new or getattr(p, k, None) is None}
        merged = {**kept, **new}
        layer_json[p.id] = json.dumps(merged, sort_keys=True) if merged else None
        out.append(replace(p, **changes) if changes else p)
    return out, layer_json


def _counts_from_newest(db: Database, ids: list[str]) -> None:
    """The newest capture wins: a post's counts (and their approximate flag) are its latest snapshot's."""
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        db.conn.execute(
            f"UPDATE posts SET claps = s.claps, responses = s.responses, counts_approx = s.approx "
            f"FROM (SELECT e.post_id, e.claps, e.responses, e.approx FROM engagement_snapshots e "
            f"JOIN (SELECT post_id, MAX(seen_at) m FROM engagement_snapshots WHERE post_id IN ({marks}) "
            f"GROUP BY post_id) l ON l.post_id = e.post_id AND l.m = e.seen_at) s WHERE posts.id = s.post_id",
            chunk,
        )


def _latest_engagement(
    db: Database, ids: list[str], seen_at: str
) -> dict[str, tuple[int | None, int | None]]:
    """Each post's counts as of `seen_at` (its latest snapshot at or before then)."""
    out: dict[str, tuple[int | None, int | None]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for pid, claps, responses in db.conn.execute(
            f"SELECT s.post_id, s.claps, s.responses FROM engagement_snapshots s "
            f"JOIN (SELECT post_id, MAX(seen_at) m FROM engagement_snapshots WHERE post_id IN ({marks}) "
            f"AND seen_at <= ? GROUP BY post_id) l ON l.post_id = s.post_id AND l.m = s.seen_at",
            [*chunk, seen_at],
        ):
            out[pid] = (claps, responses)
    return out


def _keep_stored_links(db: Database, posts: list[PostRecord]) -> dict[str, int | None]:
    """Posts whose stored links are richer than the new ones, with their stored links_partial
    exactly as it was (NULL stays NULL: unknown is never turned into 0)."""
    out: dict[str, int | None] = {}
    by_id = {p.id: p for p in posts}
    ids = sorted(by_id)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        stored: dict[str, list[LinkRecord]] = {}
        partial: dict[str, int | None] = {}
        for pid, url, rel, anchor, part in db.conn.execute(
            f"SELECT l.post_id, l.url, l.rel, l.anchor, p.links_partial FROM links l "
            f"JOIN posts p ON p.id = l.post_id WHERE l.post_id IN ({marks}) ORDER BY l.post_id, l.position",
            chunk,
        ):
            stored.setdefault(pid, []).append(LinkRecord(url, rel, anchor or ""))
            partial[pid] = part
        for pid, links in stored.items():
            if _links_worse(by_id[pid], tuple(links), bool(partial[pid])):
                out[pid] = partial[pid]
    return out


def _replace_links(db: Database, posts: list[PostRecord]) -> int:
    """Body links replace the stored ones (links=None means the page had no body: keep them)."""
    rows = []
    replace = []
    for p in posts:
        if p.links is None:
            continue
        replace.append((p.id,))
        for i, link in enumerate(p.links):
            host = (urlsplit(link.url).hostname or "").lower() or None
            rows.append(
                (p.id, i, link.url, host, link.rel, link.anchor, int(link.nofollow), int(link.ugc),
                 int(is_medium_host(host)))
            )  # fmt: skip
    db.conn.executemany("DELETE FROM links WHERE post_id = ?", replace)
    db.conn.executemany(
        "INSERT INTO links (post_id, position, url, host, rel, anchor, nofollow, ugc, internal) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)


def record_page(
    db: Database,
    url: str,
    *,
    status: str,
    fetched_at: str,
    kind: str | None = None,
    http_status: int | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    error: str | None = None,
) -> None:
    """The crawl's ledger: one row per URL with its latest outcome."""
    db.conn.execute(
        "INSERT INTO pages (url, kind, status, http_status, fetched_at, etag, last_modified, error) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET kind = COALESCE(excluded.kind, pages.kind), "
        "status = excluded.status, http_status = excluded.http_status, "
        "fetched_at = MAX(pages.fetched_at, excluded.fetched_at), "
        "etag = COALESCE(excluded.etag, pages.etag), last_modified = COALESCE(excluded.last_modified, "
        "pages.last_modified), error = excluded.error",
        (url, kind, status, http_status, fetched_at, etag, last_modified, error),
    )


def reconcile_publication_subdomains(db: Database) -> int:
    """Fold a publication known only by its subdomain label (`founderscorner`, as a feed names it) into
    the slug its own pages give (`founders-corner`), once an alias `founderscorner.medium.com` ties them.
    Without this the stored slug would depend on which page was fetched first."""
    merged = 0
    rows = db.execute("SELECT host, slug FROM publication_aliases WHERE host LIKE '%.medium.com'").fetchall()
    for host, slug in rows:
        label = host[: -len(".medium.com")]
        if label == slug:
            continue
        stub = db.execute(
            "SELECT pub_id, name, description, followers, submission_url FROM publications "
            "WHERE slug = ? AND domain IS NULL",
            (label,),
        ).fetchone()
        if stub is None:
            continue
        db.conn.execute(
            "UPDATE publications SET pub_id = COALESCE(pub_id, ?), name = COALESCE(name, ?), "
            "description = COALESCE(description, ?), followers = COALESCE(followers, ?), "
            "submission_url = COALESCE(submission_url, ?) WHERE slug = ?",
            (*stub, slug),
        )
        db.conn.execute("UPDATE posts SET publication = ? WHERE publication = ?", (slug, label))
        db.conn.execute("UPDATE publication_aliases SET slug = ? WHERE slug = ?", (slug, label))
        rename_publication(db, label, slug)
        db.conn.execute("DELETE FROM publications WHERE slug = ?", (label,))
        merged += 1
    return merged


def write_page(
    db: Database, url: str, result: PageResult, fetched_at: str, *, http_status: int = 200
) -> None:
    """One page read outside a crawl (`monitor`): its records and its ledger row, one transaction."""
    from linkscout.store.db import transaction

    with transaction(db):
        write_results(db, [result], fetched_at)
        record_page(
            db, url, status="ok", fetched_at=fetched_at, kind=str(result.kind), http_status=http_status
        )
