"""What `graph/` loads: posts, authors, publications, tags, post tags and links, as typed rows.

One function per table the graph is built from; the graph turns the rows into integer-id arrays
(`graph/build.py`). Rows come as plain tuples because a large store has millions of them; each
row type below names its columns. Keys come sorted (Python's str order is SQLite's BINARY order
for UTF-8 text), and what the ranking needs of an author or a publication (followers, submission
page) comes in the same row as its key, so it always lines up with the graph's node order.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter
from typing import NamedTuple

from sqlite_utils import Database

# (id, author, publication, day number of publication, claps, responses, title, subtitle)
PostRow = tuple[str, str | None, str | None, float | None, int | None, int | None, str | None, str | None]
LinkRow = tuple[str, str, float]  # (post id, url or domain, weak flag 0/1 or summed weight)
TAG_SEP = "\x01"  # joins a post's tags in one row (post_tags_grouped)


class AuthorRow(NamedTuple):
    username: str
    followers: int | None


class PublicationRow(NamedTuple):
    slug: str
    followers: int | None
    submission_url: str | None


def post_rows(db: Database) -> list[PostRow]:
    """Every post that is not a response, sorted by id."""
    # Read in table order and sort here: ORDER BY id would walk the primary-key index and fetch
    # each row out of order.
    rows: list[PostRow] = db.conn.execute(
        "SELECT id, author, publication, julianday(substr(published_at, 1, 10)) - 2440587.5, "
        "claps, responses, title, subtitle FROM posts WHERE COALESCE(is_response, 0) = 0"
    ).fetchall()
    rows.sort(key=itemgetter(0))
    return rows


def author_rows(db: Database) -> list[AuthorRow]:
    return [
        AuthorRow(*r) for r in db.conn.execute("SELECT username, followers FROM authors ORDER BY username")
    ]


def publication_rows(db: Database) -> list[PublicationRow]:
    return [
        PublicationRow(*r)
        for r in db.conn.execute("SELECT slug, followers, submission_url FROM publications ORDER BY slug")
    ]


def tag_slugs(db: Database) -> list[str]:
    return [r[0] for r in db.conn.execute("SELECT slug FROM tags ORDER BY slug")]


def post_tags_grouped(db: Database) -> list[tuple[str, str, int]]:
    """(post id, its tags joined by TAG_SEP, how many), one row per post, in primary-key order."""
    return db.conn.execute(
        f"SELECT post_id, group_concat(tag, '{TAG_SEP}'), count(*) FROM post_tags GROUP BY post_id"
    ).fetchall()


def post_tag_pairs(db: Database) -> list[tuple[str, str]]:
    return db.conn.execute("SELECT post_id, tag FROM post_tags").fetchall()


_WEAK = "CASE WHEN nofollow OR ugc THEN 1 ELSE 0 END"
_INTERNAL = "(internal = 1 OR host IN (SELECT host FROM publication_aliases))"


def internal_links(db: Database) -> Iterable[tuple[str, str, int]]:
    """(post id, url, weak) of links to Medium (or a publication's own domain)."""
    return db.conn.execute(f"SELECT post_id, url, {_WEAK} FROM links WHERE {_INTERNAL}")


def domain_links(db: Database) -> list[LinkRow]:
    """(post id, host without www., weak) of every link off Medium."""
    return db.conn.execute(
        f"""SELECT post_id, CASE WHEN host LIKE 'www.%' THEN substr(host, 5) ELSE host END, {_WEAK}
        FROM links WHERE NOT {_INTERNAL} AND host IS NOT NULL AND host != ''"""
    ).fetchall()


def external_links(db: Database, sink: str, weak_weight: float) -> list[LinkRow]:
    """(post id, `sink`, summed weight) per post: every link off Medium folded into one node, a
    nofollow/ugc link weighing `weak_weight`."""
    return db.conn.execute(
        f"""SELECT post_id, ?, SUM(CASE WHEN nofollow OR ugc THEN ? ELSE 1.0 END)
        FROM links WHERE NOT {_INTERNAL} AND host IS NOT NULL AND host != '' GROUP BY post_id""",
        (sink, weak_weight),
    ).fetchall()


def post_places(db: Database) -> list[tuple[str, int, str | None, str | None]]:
    """(id, rowid, url, published_at) of every post that is not a response, sorted by id (post_rows'
    order); the rowid is the table order the outreach queue breaks ties by."""
    rows: list[tuple[str, int, str | None, str | None]] = db.conn.execute(
        "SELECT id, rowid, url, published_at FROM posts WHERE COALESCE(is_response, 0) = 0"
    ).fetchall()
    rows.sort(key=itemgetter(0))
    return rows
