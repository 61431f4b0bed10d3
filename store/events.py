"""The outreach log in the store: relationships and the append-only `events` table, as typed reads and
writes. The rules that decide what may be appended live in outreach/stages.py."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection
from datetime import UTC, date, datetime

from sqlite_utils import Database

from linkscout.core.events import Event, TargetKind

_COLS = "id, target_kind, target, event, at, url, note, forced, logged_at, rule_break, retracts, article"
_NOT_RETRACTED = "id NOT IN (SELECT retracts FROM events WHERE retracts IS NOT NULL)"


def _parse(text: str) -> datetime:
    raw = text[:-1] + "+00:00" if text.endswith("Z") else text
    dt = datetime.fromisoformat(raw)
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).astimezone(UTC)


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _row(row: tuple) -> Event:  # type: ignore[type-arg]
    id_, kind, target, event, at, url, note, forced, logged_at, rule_break, retracts, article = row
    return Event(
        kind,
        target,
        event,
        _parse(at),
        url,
        note,
        bool(forced),
        id_,
        logged_at,
        rule_break,
        retracts,
        article,
    )


def events_of(db: Database, kind: str, target: str) -> list[Event]:
    """One target's log, oldest first (retractions included: outreach/stages.effective drops them)."""
    rows = db.execute(
        f"SELECT {_COLS} FROM events WHERE target_kind = ? AND target = ? ORDER BY at, id", (kind, target)
    ).fetchall()
    return [_row(r) for r in rows]


def all_events(db: Database) -> dict[tuple[str, str], list[Event]]:
    out: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for r in db.execute(f"SELECT {_COLS} FROM events ORDER BY at, id"):
        ev = _row(r)
        out[(ev.target_kind, ev.target)].append(ev)
    return dict(out)


def events_for_article(db: Database, article: str) -> list[Event]:
    """Every publication event about one article (submissions, chases, answers), oldest first."""
    rows = db.execute(
        f"SELECT {_COLS} FROM events WHERE target_kind = 'publication' AND target IN "
        "(SELECT target FROM events WHERE article = ? AND target_kind = 'publication') ORDER BY at, id",
        (article,),
    ).fetchall()
    return [_row(r) for r in rows]


def comments_on_day(db: Database, day: date) -> int:
    """Comments (on any target, retracted ones excepted) logged as made on `day`."""
    start = day.isoformat()
    end = date.fromordinal(day.toordinal() + 1).isoformat()
    return int(
        db.execute(
            f"SELECT COUNT(*) FROM events WHERE event = 'commented' AND at >= ? AND at < ? AND {_NOT_RETRACTED}",
            (start, end),
        ).fetchone()[0]
    )


def entity_exists(db: Database, kind: str, key: str) -> bool:
    sql = (
        "SELECT 1 FROM authors WHERE username = ?"
        if kind == TargetKind.AUTHOR
        else "SELECT 1 FROM publications WHERE slug = ?"
    )
    return db.execute(sql, (key,)).fetchone() is not None


def relationship_created(db: Database, kind: str, key: str) -> str | None:
    row = db.execute(
        "SELECT created_at FROM relationships WHERE target_kind = ? AND target = ?", (kind, key)
    ).fetchone()
    return str(row[0]) if row else None


def add_relationship(db: Database, kind: str, key: str, created_at: str) -> None:
    db.execute(
        "INSERT INTO relationships (target_kind, target, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        (kind, key, created_at),
    )


def relationships(db: Database) -> list[tuple[str, str, str]]:
    """(kind, handle, created_at) of every tracked relationship."""
    return [(k, t, c) for k, t, c in db.execute("SELECT target_kind, target, created_at FROM relationships")]


def names(db: Database, kind: str, keys: Collection[str] | None = None) -> dict[str, str | None]:
    """Display names of every author (or publication), or only of `keys` (one indexed query: the
    outreach log names its few targets, not a 100,000-author table)."""
    table, key = ("authors", "username") if kind == TargetKind.AUTHOR else ("publications", "slug")
    if keys is None:
        return {k: n for k, n in db.execute(f"SELECT {key}, name FROM {table}")}
    rows = db.execute(
        f"SELECT {key}, name FROM {table} WHERE {key} IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(keys)),),
    )
    return {k: n for k, n in rows}


def insert_event(db: Database, ev: Event, logged_at: str) -> int:
    """Append one event (the caller holds the transaction); returns its id."""
    cur = db.execute(
        "INSERT INTO events (target_kind, target, event, at, url, note, forced, logged_at, rule_break, "
        "retracts, article) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (ev.target_kind, ev.target, ev.event, iso(ev.at), ev.url, ev.note, int(ev.forced), logged_at,
         ev.rule_break, ev.retracts, ev.article),
    )  # fmt: skip
    return int(cur.lastrowid or 0)
