"""What `watch` needs from the store: which posts it already knows and where a publication's feed is."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlite_utils import Database


def known_post_ids(db: Database, ids: Iterable[str]) -> set[str]:
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    rows = db.execute(
        "SELECT id FROM posts WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(wanted),)
    )
    return {r[0] for r in rows}


def publication_domain(db: Database, slug: str) -> str | None:
    row = db.execute("SELECT domain FROM publications WHERE slug = ?", (slug,)).fetchone()
    return str(row[0]) if row and row[0] else None
