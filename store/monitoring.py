"""What `monitor` reads and writes: the `monitor_checks` log and the posts worth reading again."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from linkscout.store.db import transaction


@dataclass(frozen=True, slots=True)
class RecentPost:
    id: str
    url: str
    published_at: str | None


@dataclass(frozen=True, slots=True)
class CheckRow:
    target_kind: str
    target: str
    post_id: str | None
    page_url: str
    checked_at: str
    outcome: str  # found | missing | failed
    link_url: str | None = None
    rel: str | None = None


def pages_found_before(db: Database, target_kind: str, target: str) -> list[tuple[str, str | None]]:
    """(page URL, post id) of every page a check of this target ever found the link on."""
    return [
        (url, pid)
        for url, pid in db.execute(
            "SELECT DISTINCT page_url, post_id FROM monitor_checks WHERE target_kind = ? AND target = ? "
            "AND outcome = 'found'",
            (target_kind, target),
        )
    ]


def publication_domain(db: Database, slug: str) -> str | None:
    row = db.execute("SELECT domain FROM publications WHERE slug = ?", (slug,)).fetchone()
    return row[0] if row and row[0] else None


def posts_since(db: Database, target_kind: str, target: str, since: str) -> list[RecentPost]:
    """The target's stored posts (not responses) with a URL, published since `since` or undated."""
    col = "author" if target_kind == "author" else "publication"
    return [
        RecentPost(pid, url, pub)
        for pid, url, pub in db.execute(
            f"SELECT id, url, published_at FROM posts WHERE {col} = ? AND url IS NOT NULL "
            "AND COALESCE(is_response, 0) = 0 AND (published_at IS NULL OR published_at >= ?)",
            (target, since),
        )
    ]


def append_check(db: Database, c: CheckRow) -> list[str]:
    """Write one check; returns the earlier non-failed outcomes of the same page, newest first (read in
    the same transaction)."""
    with transaction(db):
        prior = [
            o
            for (o,) in db.execute(
                "SELECT outcome FROM monitor_checks WHERE page_url = ? AND target_kind = ? AND target = ? "
                "AND outcome != 'failed' ORDER BY id DESC",
                (c.page_url, c.target_kind, c.target),
            )
        ]
        db.execute(
            "INSERT INTO monitor_checks (target_kind, target, post_id, page_url, checked_at, outcome, link_url, rel) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (c.target_kind, c.target, c.post_id, c.page_url, c.checked_at, c.outcome, c.link_url, c.rel),
        )
    return prior
