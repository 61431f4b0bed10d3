"""Which world a database holds, so the invented fixture niche never mixes with real Medium data.

The bundled fixture niche (and any loopback server, which tests point at it) is a made-up world with
real-looking `medium.com/@...` URLs; a live crawl or an import of saved pages is the real one. The
first crawl into a database claims its world; a crawl from the other world is refused in one line.

    world_for(source_kind) -> "fixtures" | "medium"
    claim_world(db, world, db_path)  raises StoreError when the database holds the other world
    stored_world(db) -> str | None
"""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from linkscout.core.errors import StoreError
from linkscout.store.db import transaction, utcnow

FIXTURES = "fixtures"
MEDIUM = "medium"

_WHAT = {
    FIXTURES: "the bundled fixture niche (invented authors and posts)",
    MEDIUM: "real Medium data (live crawls or saved pages)",
}


def world_for(source_kind: str) -> str:
    """`fixtures` and loopback servers are the fixture world; `live` and saved-page folders are Medium."""
    return FIXTURES if source_kind in ("fixtures", "loopback") else MEDIUM


def stored_world(db: Database) -> str | None:
    row = db.execute("SELECT world FROM store_world WHERE id = 1").fetchone()
    return None if row is None else str(row[0])


def claim_world(db: Database, world: str, db_path: Path) -> None:
    """Record `world` as this database's (one short transaction), or refuse when it holds the other."""
    with transaction(db):
        held = stored_world(db)
        if held is None:
            db.conn.execute(
                "INSERT INTO store_world (id, world, created_at) VALUES (1, ?, ?)", (world, utcnow())
            )
            return
    if held != world:
        raise StoreError(
            f"{db_path} holds {_WHAT[held]}; it cannot take {_WHAT[world]} as well. "
            "Use another --db for this crawl"
        )
