"""What tells a cross-posted copy from an article: canonical links and the text's fingerprint.

Medium keeps a cross-post's canonical link pointing at the original, and a copy re-published under
another account or in a second publication keeps the title, subtitle and reading time (the reading
time is computed from the text). Ranking counts each article once (graph/features.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class PostFingerprint:
    id: str
    canonical_url: str | None
    url: str | None
    title: str | None
    subtitle: str | None
    reading_time: float | None
    published_at: str | None


def post_fingerprints(db: Database) -> list[PostFingerprint]:
    """Every stored post that is not a response, with what identifies its text."""
    rows = db.conn.execute(
        "SELECT id, canonical_url, url, title, subtitle, reading_time, published_at FROM posts "
        "WHERE COALESCE(is_response, 0) = 0"
    ).fetchall()
    return [PostFingerprint(*r) for r in rows]
