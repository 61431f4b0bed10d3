"""Open the one SQLite store: WAL, NORMAL sync, busy timeout, foreign keys, migrations applied."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from linkscout.core.errors import StoreError
from linkscout.store.schema import KNOWN_MIGRATIONS, migrations

BUSY_TIMEOUT_MS = 30_000
_SQLITE_MAGIC = b"SQLite format 3\x00"


def utcnow() -> str:
    """Now as ISO 8601 UTC with seconds, the one time format in the store."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def open_db(path: str | Path, *, migrate: bool = True, must_exist: bool = False) -> Database:
    """Open (creating if needed) the store at `path` and bring its schema up to date.

    Raises StoreError with a one-line reason for a file that is not SQLite, is corrupt, or was
    written by a newer linkscout; the file is never modified in those cases.
    """
    p = Path(path)
    if p.exists():
        if p.is_dir():
            raise StoreError(f"{p} is a folder, not a database file; pass --db FILE")
        _check_header(p)
    elif must_exist:
        raise StoreError(f"no database at {p}; run `linkscout crawl` first or pass --db")
    else:
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create the folder for {p}: {e.strerror}") from e
    sidecars = [p.with_name(p.name + suffix) for suffix in ("-wal", "-shm")]
    existed = {s for s in sidecars if s.exists()}
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(str(p), timeout=BUSY_TIMEOUT_MS / 1000)
        db = Database(conn)
        _check_version(db, p)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        if migrate and migrations.pending(db):
            migrations.apply(db)
    except (sqlite3.DatabaseError, OSError, StoreError) as e:
        if conn is not None:
            conn.close()
        for extra in sidecars:  # a refused database is left exactly as it was found
            if extra not in existed and extra.exists() and extra.stat().st_size == 0:
                extra.unlink()
        if isinstance(e, StoreError):
            raise
        if isinstance(e, sqlite3.DatabaseError):
            raise StoreError(f"{p} is not a usable linkscout database ({e}); pass another --db") from e
        raise StoreError(f"cannot open {p}: {e}") from e
    return db


def _check_header(p: Path) -> None:
    try:
        with p.open("rb") as f:
            head = f.read(16)
    except OSError as e:
        raise StoreError(f"cannot read {p}: {e.strerror}") from e
    if head and head != _SQLITE_MAGIC:
        raise StoreError(f"{p} is not a SQLite database; pass another --db")


def _check_version(db: Database, p: Path) -> None:
    if not db["_sqlite_migrations"].exists():
        return
    applied = {m.name for m in migrations.applied(db)}
    newer = applied - KNOWN_MIGRATIONS
    if newer:
        raise StoreError(
            f"{p} was written by a newer linkscout (migration {sorted(newer)[0]}); upgrade linkscout"
        )


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One write transaction, taken up front (BEGIN IMMEDIATE) so concurrent writers queue on the
    busy timeout instead of failing with "database is locked" when a reader upgrades."""
    conn = db.conn
    if conn.in_transaction:
        conn.commit()
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        conn.rollback()
        raise
    else:
        conn.commit()
