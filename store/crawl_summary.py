"""What a crawl's summary reports, read from the database (never from in-memory counters, which a
resumed or interrupted crawl gets wrong)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class HeldCounts:
    posts: int  # posts (not responses) this crawl stored or saw again
    authors: int
    publications: int


def held_since(db: Database, since: str) -> HeldCounts:
    """Posts, authors and publications last seen at or after `since` (the crawl's start)."""
    posts = db.execute(
        "SELECT COUNT(*) FROM posts WHERE last_seen >= ? AND COALESCE(is_response, 0) = 0", (since,)
    ).fetchone()[0]
    authors = db.execute("SELECT COUNT(*) FROM authors WHERE last_seen >= ?", (since,)).fetchone()[0]
    pubs = db.execute("SELECT COUNT(*) FROM publications WHERE last_seen >= ?", (since,)).fetchone()[0]
    return HeldCounts(int(posts), int(authors), int(pubs))
