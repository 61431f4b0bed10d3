"""What a pitch card needs from the store: an author's public contact facts and the links they make."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class AuthorContact:
    username: str
    name: str | None
    twitter: str | None
    bio: str | None


@dataclass(frozen=True, slots=True)
class AuthoredLink:
    post_id: str
    post_url: str | None
    published_at: str | None
    url: str
    host: str | None
    anchor: str | None
    rel: str | None


def author_contact(db: Database, username: str) -> AuthorContact | None:
    row = db.execute(
        "SELECT username, name, twitter, bio FROM authors WHERE username = ?", (username,)
    ).fetchone()
    return AuthorContact(*row) if row else None


def author_links(db: Database, username: str) -> list[AuthoredLink]:
    """Every external body link in the author's posts, newest post first."""
    rows = db.execute(
        "SELECT p.id, p.url, p.published_at, l.url, l.host, l.anchor, l.rel FROM links l "
        "JOIN posts p ON p.id = l.post_id WHERE p.author = ? AND l.internal = 0 "
        "ORDER BY p.published_at DESC, l.position",
        (username,),
    ).fetchall()
    return [AuthoredLink(*r) for r in rows]


def editors_of(db: Database, username: str) -> list[tuple[str, str | None]]:
    """Publications (slug, name) the author writes for: where an editor's public profile may be found."""
    rows = db.execute(
        "SELECT DISTINCT p.publication, b.name FROM posts p LEFT JOIN publications b ON b.slug = p.publication "
        "WHERE p.author = ? AND p.publication IS NOT NULL ORDER BY p.publication",
        (username,),
    ).fetchall()
    return [(s, n) for s, n in rows]


def site_linkers(
    db: Database, domain: str, hosts: Collection[str] | None = None
) -> dict[str, tuple[int, str | None, str | None]]:
    """Authors whose posts link to `domain` (or a subdomain): author → (links, newest post URL, its date).
    `hosts`: the link hosts that are `domain` or its subdomains, when the caller knows them (the
    store cache does): the host index is then searched for those alone, not walked whole."""
    d = domain.strip().lower().removeprefix("www.")
    if not d or (hosts is not None and not hosts):
        return {}
    out: dict[str, tuple[int, str | None, str | None]] = {}
    if hosts is None:
        where, params = "(l.host = ? OR l.host = ? OR l.host LIKE ?)", [d, "www." + d, "%." + d]
    else:
        where, params = "l.host IN (SELECT value FROM json_each(?))", [json.dumps(sorted(hosts))]
    rows = db.execute(
        "SELECT p.author, p.url, p.published_at FROM links l JOIN posts p ON p.id = l.post_id "
        f"WHERE p.author IS NOT NULL AND {where} ORDER BY p.published_at DESC",
        params,
    ).fetchall()
    for author, url, published in rows:
        n, first_url, first_at = out.get(author, (0, url, published))
        out[author] = (n + 1, first_url, first_at)
    return out
