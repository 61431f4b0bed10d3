"""Which state of the store a derived result was computed from, so it can be kept until the next write.

`store_changes` (migration m011) holds a counter that triggers bump on every insert, update and delete
of the tables the ranking reads (schema.STORE_CHANGE_TABLES), whoever writes them. `StoreState` is that
counter with the store's random id, its migrations and the largest rowids of the big tables: two
reads that see the same state saw the same rows. `snapshot()` reads the state and the data in one read
transaction, so a write in between cannot slip into data labelled with the older state.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class StoreState:
    uid: str
    changes: int
    migrations: tuple[str, ...]
    max_rowids: tuple[int, ...]  # posts, authors (rowid tables): a belt to the counter's braces

    def token(self) -> str:
        return f"{self.uid}:{self.changes}:{','.join(self.migrations)}:{self.max_rowids}"


def store_state(db: Database) -> StoreState | None:
    """The store's state now; None for a store without the change counter (nothing can be cached)."""
    try:
        row = db.conn.execute("SELECT uid, n FROM store_changes WHERE id = 1").fetchone()
        if row is None:
            return None
        names = tuple(
            r[0]
            for r in db.conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'linkscout' ORDER BY name"
            )
        )
        rowids = tuple(
            int(db.conn.execute(f"SELECT COALESCE(max(rowid), 0) FROM {t}").fetchone()[0])
            for t in ("posts", "authors")
        )
    except sqlite3.Error:
        return None
    return StoreState(str(row[0]), int(row[1]), names, rowids)


@contextmanager
def snapshot(db: Database) -> Iterator[None]:
    """Every read inside sees one state of the store (a read transaction; no-op if one is open)."""
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def database_file(db: Database) -> Path | None:
    """The main database's file, or None (in memory, temporary)."""
    for _, name, file in db.conn.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return Path(file) if file else None
    return None
