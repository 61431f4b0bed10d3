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


_opened: list[Path] = []  # databases this process opened, newest last: names the file in late errors


def open_db(
    path: str | Path,
    *,
    migrate: bool = True,
    must_exist: bool = False,
    write: bool = False,
    check: bool = False,
) -> Database:
    """Open the store at `path` and bring its schema up to date.

    `must_exist=True` (commands that read or log): a missing path or an empty file is refused, never
    created or initialised; otherwise (crawl) a new or empty file becomes a linkscout database.
    `write=True`: a read-only file is refused up front. `check=True`: `PRAGMA quick_check` first and
    a damaged file is refused (crawl, before it fetches anything).

    A file that is not a linkscout database (text, another application's SQLite file), a damaged,
    read-only or locked one, or one written by a newer linkscout is a StoreError: one line naming the
    file and what to do. The file is never modified in those cases.
    """
    p = Path(path)
    if p.exists():
        if p.is_dir():
            raise StoreError(f"{p} is a folder, not a database file; pass --db FILE")
        _check_header(p)
    elif must_exist:
        raise StoreError(
            f"no database at {p}; run `linkscout crawl --db {p}` first, or check --db / LINKSCOUT_DB"
        )
    else:
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create the folder for {p}: {e.strerror}") from e
    sidecars = [p.with_name(p.name + suffix) for suffix in ("-wal", "-shm")]
    existed = {s for s in sidecars if s.exists()}
    conn: sqlite3.Connection | None = None
    try:
        if p.exists() and _inspect(p, check=check) == "empty" and must_exist:
            raise StoreError(f"{p} holds no linkscout data yet; run `linkscout crawl --db {p}` first")
        conn = sqlite3.connect(str(p), timeout=BUSY_TIMEOUT_MS / 1000)
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if write:
            _probe_write(conn)
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        if migrate and migrations.pending(db):
            migrations.apply(db)
    except (sqlite3.Error, OSError, StoreError) as e:
        if conn is not None:
            conn.close()
        for extra in sidecars:  # a refused database is left exactly as it was found
            if (
                extra not in existed
                and extra.exists()
                and (extra.name.endswith("-shm") or not extra.stat().st_size)
            ):
                extra.unlink()  # our own index or an empty log: nothing of anyone else's
        if isinstance(e, StoreError):
            raise
        if isinstance(e, sqlite3.Error):
            raise sqlite_problem(p, e) from e
        raise StoreError(f"cannot open {p}: {e}") from e
    _opened.append(p)
    return db


def _inspect(p: Path, *, check: bool) -> str:
    """ "empty" or "linkscout", read through a read-only connection; StoreError for anything else."""
    ro = sqlite3.connect(p.resolve().as_uri() + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        tables = sorted(r[0] for r in ro.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
        if not tables:
            return "empty"
        sets: set[str] = set()
        if "_sqlite_migrations" in tables:
            sets = {r[0] for r in ro.execute("SELECT DISTINCT migration_set FROM _sqlite_migrations")}
        if migrations.name not in sets:
            shown = ", ".join(t for t in tables if not t.startswith("sqlite_"))[:120]
            raise StoreError(
                f"{p} is not a linkscout database (it holds other tables: {shown}); "
                "linkscout leaves it alone: pass another --db"
            )
        applied = {
            r[0]
            for r in ro.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [migrations.name]
            )
        }
        newer = applied - KNOWN_MIGRATIONS
        if newer:
            raise StoreError(
                f"{p} was written by a newer linkscout (migration {sorted(newer)[0]}); upgrade linkscout"
            )
        if check:
            problems = [r[0] for r in ro.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise sqlite_problem(p, sqlite3.DatabaseError(f"quick_check: {problems[0]}"))
        return "linkscout"
    finally:
        ro.close()


def _probe_write(conn: sqlite3.Connection) -> None:
    """Fail now, not halfway through a command, when the file cannot be written (read-only, immutable):
    a write that changes nothing, inside a transaction that is rolled back."""
    has_log = conn.execute("SELECT 1 FROM sqlite_master WHERE name = '_sqlite_migrations'").fetchone()
    conn.execute("BEGIN IMMEDIATE")
    try:
        if has_log:
            conn.execute("DELETE FROM _sqlite_migrations WHERE 0")
        else:
            conn.execute("CREATE TABLE _linkscout_write_probe (x)")
    finally:
        conn.execute("ROLLBACK")


def integrity_problems(db: Database) -> list[str]:
    """`PRAGMA integrity_check`: [] when the file is sound, else SQLite's findings."""
    rows = [r[0] for r in db.execute("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows


def applied_migrations(db: Database) -> list[str]:
    """The names of the linkscout migrations this database has, oldest first."""
    return [m.name for m in migrations.applied(db)]


def sqlite_problem(p: Path, e: sqlite3.Error) -> StoreError:
    """One line naming the database file and what to do about an SQLite error."""
    msg = str(e)
    low = msg.lower()
    if "readonly" in low or "read-only" in low:
        return StoreError(
            f"{p} is read-only ({msg}); make it writable (chmod u+w, or chattr -i if it is immutable) "
            "or copy it and pass --db COPY"
        )
    if "locked" in low or "busy" in low:
        return StoreError(
            f"{p} is locked by another process ({msg}); wait for the other linkscout command to finish, "
            "then try again"
        )
    if "malformed" in low or "corrupt" in low or "not a database" in low or "quick_check" in low:
        return StoreError(
            f"{p} is damaged ({msg}); restore a backup (`linkscout db backup` makes one) or salvage it "
            f'with: sqlite3 {p} ".recover" | sqlite3 recovered.db'
        )
    if "unable to open" in low:
        return StoreError(f"cannot open {p} ({msg}); check that its folder exists and is writable")
    if "disk i/o" in low or "full" in low:
        return StoreError(f"cannot use {p} ({msg}); check the disk (space, permissions) and try again")
    return StoreError(f"{p} is not a usable linkscout database ({msg}); run `linkscout db check --db {p}`")


def last_opened() -> Path | None:
    """The database this process opened last (to name it in an error raised after opening)."""
    return _opened[-1] if _opened else None


def backup(db: Database, target: Path) -> None:
    """SQLite's online backup API: a consistent copy of `db` into the new file `target`."""
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()


def _check_header(p: Path) -> None:
    try:
        with p.open("rb") as f:
            head = f.read(16)
    except OSError as e:
        raise StoreError(f"cannot read {p}: {e.strerror}") from e
    if head and head != _SQLITE_MAGIC:
        raise StoreError(f"{p} is not a SQLite database; pass another --db")


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
