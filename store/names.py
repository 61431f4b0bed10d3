"""Names the shell may complete (`linkscout stage log <TAB>`): read through a read-only connection
that never creates a database, and empty on any problem (completion must never fail loudly)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

LIMIT = 200


def handles_starting_with(path: Path, prefix: str) -> list[str]:
    """Author usernames and publication slugs in the database at `path` that start with `prefix`."""
    if not path.is_file():
        return []
    like = prefix.lstrip("@").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return []
    try:
        rows = conn.execute(
            "SELECT username FROM authors WHERE username LIKE ? ESCAPE '\\' "
            "UNION SELECT slug FROM publications WHERE slug LIKE ? ESCAPE '\\' ORDER BY 1 LIMIT ?",
            [like, like, LIMIT],
        ).fetchall()
    except sqlite3.Error:
        return []
    finally:
        conn.close()
    return [r[0] for r in rows]
