from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from linkscout.core.errors import StoreError
from linkscout.store.db import open_db, transaction
from linkscout.store.schema import KNOWN_MIGRATIONS, migrations


def _schema(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    finally:
        conn.close()


def test_open_sets_pragmas_and_applies_migrations(tmp_path: Path) -> None:
    db = open_db(tmp_path / "a.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert {"posts", "authors", "publications", "frontier", "events"} <= set(db.table_names())
    applied = [m.name for m in migrations.applied(db)]
    assert applied[:4] == ["m001_initial", "m002_crawl_frontier", "m003_crawl_runs", "m004_crawl_links"]
    assert {"m005_rankings_views", "m006_events_relationship_key", "m007_posts_fts"} <= set(applied)
    assert set(applied) == KNOWN_MIGRATIONS


def test_migrations_twice_are_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    open_db(path).conn.close()
    before = _schema(path)
    db = open_db(path)
    assert _schema(path) == before
    assert len(migrations.applied(db)) == len(KNOWN_MIGRATIONS) >= 7


def test_database_from_an_earlier_migration_upgrades(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    from sqlite_utils import Database

    old = Database(path)
    migrations.apply(old, stop_before="m002_crawl_frontier")
    old.execute("INSERT INTO authors (username, first_seen, last_seen) VALUES ('kept', 't', 't')")
    old.conn.commit()
    assert "frontier" not in old.table_names()
    old.conn.close()
    db = open_db(path)
    assert "frontier" in db.table_names()
    assert db.execute("SELECT username FROM authors").fetchall() == [("kept",)]


def test_not_sqlite_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not a database at all" * 10)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StoreError, match="not a SQLite database"):
        open_db(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_newer_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    db = open_db(path)
    db["_sqlite_migrations"].insert(
        {"migration_set": "linkscout", "name": "m999_from_the_future", "applied_at": "2030-01-01"}
    )
    db.conn.commit()
    db.conn.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StoreError, match="newer linkscout"):
        open_db(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert sorted(f.name for f in tmp_path.iterdir()) == ["new.db"]


def test_corrupt_database_gives_store_error(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    open_db(path).conn.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # header magic intact, schema page destroyed
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError):
        open_db(path)
    assert sorted(f.name for f in tmp_path.iterdir()) == ["c.db"]  # no stray -wal/-shm left behind


def test_must_exist(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database"):
        open_db(tmp_path / "missing.db", must_exist=True)
    assert not (tmp_path / "missing.db").exists()


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    db = open_db(tmp_path / "t.db")
    with pytest.raises(RuntimeError), transaction(db):
        db.execute("INSERT INTO tags (slug) VALUES ('seo')")
        raise RuntimeError("boom")
    assert db.execute("SELECT COUNT(*) FROM tags").fetchone()[0] == 0
    with transaction(db):
        db.execute("INSERT INTO tags (slug) VALUES ('seo')")
    assert db.execute("SELECT COUNT(*) FROM tags").fetchone()[0] == 1
