"""What a ranked entry's rationale may cite, read from the store: posts, authors, publications, tags
and body links to given domains. `graph/evidence.py` decides what to cite; this only reads."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import NamedTuple

from sqlite_utils import Database


class PostCitation(NamedTuple):
    id: str
    title: str | None
    url: str | None
    published_at: str | None
    claps: int | None
    responses: int | None


class AuthorCitation(NamedTuple):
    username: str
    name: str | None
    followers: int | None


class PublicationCitation(NamedTuple):
    slug: str
    name: str | None
    followers: int | None
    submission_url: str | None
    domain: str | None


class LinkCitation(NamedTuple):
    post_id: str
    position: int
    url: str
    host: str | None
    rel: str | None
    nofollow: int
    ugc: int


_POST = "SELECT id, title, url, published_at, claps, responses FROM posts"
_PUB = "SELECT slug, name, followers, submission_url, domain FROM publications"
_AUTHOR = "SELECT username, name, followers FROM authors"


_EACH = "(SELECT value FROM json_each(?))"


def _marks(n: int) -> str:
    return ",".join("?" * n)


def all_posts(db: Database) -> dict[str, PostCitation]:
    return {r[0]: PostCitation(*r) for r in db.conn.execute(_POST)}


def posts(db: Database, ids: list[str]) -> dict[str, PostCitation]:
    rows = db.conn.execute(f"{_POST} WHERE id IN ({_marks(len(ids))})", ids).fetchall()
    return {r[0]: PostCitation(*r) for r in rows}


def publication(db: Database, slug: str) -> PublicationCitation | None:
    row = db.conn.execute(f"{_PUB} WHERE slug = ?", (slug,)).fetchone()
    return None if row is None else PublicationCitation(*row)


def publication_names(db: Database, slugs: list[str]) -> dict[str, str | None]:
    """slug -> name of these publications, in slug order (as the indexed IN query returns them)."""
    return dict(
        db.conn.execute(f"SELECT slug, name FROM publications WHERE slug IN ({_marks(len(slugs))})", slugs)
    )


def authors(db: Database, usernames: Collection[str]) -> dict[str, AuthorCitation]:
    """The rows of these authors, in one indexed query however many (the ones a queue explains)."""
    rows = db.conn.execute(f"{_AUTHOR} WHERE username IN {_EACH}", (json.dumps(sorted(usernames)),))
    return {r[0]: AuthorCitation(*r) for r in rows}


def publications(db: Database, slugs: Collection[str]) -> dict[str, PublicationCitation]:
    """The rows of these publications, in one indexed query."""
    rows = db.conn.execute(f"{_PUB} WHERE slug IN {_EACH}", (json.dumps(sorted(slugs)),))
    return {r[0]: PublicationCitation(*r) for r in rows}


def author(db: Database, username: str) -> AuthorCitation | None:
    row = db.conn.execute(f"{_AUTHOR} WHERE username = ?", (username,)).fetchone()
    return None if row is None else AuthorCitation(*row)


def tag_name(db: Database, slug: str) -> str | None:
    row = db.conn.execute("SELECT name FROM tags WHERE slug = ?", (slug,)).fetchone()
    return None if row is None else row[0]


def links_to_hosts_like(db: Database, domains: tuple[str, ...]) -> list[LinkCitation]:
    """Body links to `domains` or their subdomains, by post id and position."""
    where = " OR ".join("host = ? OR host LIKE ?" for _ in domains)
    params = [x for d in domains for x in (d, f"%.{d}")]
    # The LIKE runs over the distinct hosts (a walk of the host index), then the index fetches
    # just the matching links: no scan of every link's row.
    hosts = [h for (h,) in db.conn.execute(
        "WITH h AS MATERIALIZED (SELECT DISTINCT host FROM links WHERE host IS NOT NULL) "
        f"SELECT host FROM h WHERE {where}", params
    )]  # fmt: skip
    if not hosts:
        return []
    return [
        LinkCitation(*r)
        for r in db.conn.execute(
            "SELECT post_id, position, url, host, rel, nofollow, ugc FROM links "
            "WHERE host IN (SELECT value FROM json_each(?)) ORDER BY post_id, position",
            (json.dumps(hosts),),
        )
    ]
