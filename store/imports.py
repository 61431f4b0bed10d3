"""Store reads and copies behind `stage import`: which events are logged already, a scratch copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database


def logged_event_keys(db: Database) -> set[tuple[str, str, str, str, str]]:
    """(target_kind, target, event, at, url or '') of every logged event: what makes a row a repeat."""
    sql = "SELECT target_kind, target, event, at, coalesce(url, '') FROM events"
    return {(k, t, e, a, u) for k, t, e, a, u in db.execute(sql)}


def known_handles(db: Database) -> tuple[set[str], set[str]]:
    """(author usernames, publication slugs) in the store."""
    authors = {r[0] for r in db.execute("SELECT username FROM authors")}
    pubs = {r[0] for r in db.execute("SELECT slug FROM publications")}
    return authors, pubs


def copy_database(db: Database, target: Path) -> None:
    """A consistent copy of the whole store at `target` (SQLite's online backup), for a dry run."""
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
