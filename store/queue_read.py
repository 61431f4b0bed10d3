"""What the outreach queue and agenda read: posts with their text and tags, follower counts,
submission pages, and posts that link off Medium."""

from __future__ import annotations

from typing import NamedTuple

from sqlite_utils import Database


class PostText(NamedTuple):
    id: str
    title: str | None
    subtitle: str | None
    url: str | None
    author: str | None
    publication: str | None
    published_at: str | None


class ExternalLink(NamedTuple):
    author: str
    post_id: str
    title: str | None
    url: str | None
    published_at: str | None
    link_url: str
    host: str | None
    rel: str | None


def posts(db: Database) -> list[PostText]:
    """Every post that is not a response."""
    return [
        PostText(*r)
        for r in db.execute(
            "SELECT id, title, subtitle, url, author, publication, published_at FROM posts "
            "WHERE COALESCE(is_response, 0) = 0"
        )
    ]


def post_tags(db: Database) -> list[tuple[str, str]]:
    """(post id, tag) of every tagging."""
    return [(p, t) for p, t in db.execute("SELECT post_id, tag FROM post_tags")]


def tags(db: Database) -> list[str]:
    return [t for (t,) in db.execute("SELECT slug FROM tags")]


def submission_urls(db: Database) -> dict[str, str | None]:
    return dict(db.execute("SELECT slug, submission_url FROM publications").fetchall())


def external_links(db: Database) -> list[ExternalLink]:
    """Links off Medium from posts with a known author, newest post first, in body order."""
    return [
        ExternalLink(*r)
        for r in db.execute(
            "SELECT p.author, p.id, p.title, p.url, p.published_at, l.url, l.host, l.rel FROM links l "
            "JOIN posts p ON p.id = l.post_id WHERE p.author IS NOT NULL AND l.internal = 0 "
            "ORDER BY p.published_at DESC, l.position"
        )
    ]
