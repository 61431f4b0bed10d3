"""The store side of the outreach log: append events under the rules, read timelines and stages.

Logging reads the events its rules check inside the same write transaction (BEGIN IMMEDIATE), so two
processes logging at once queue on the busy timeout and can never both pass a rule that only one of
them should have.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from linkscout.core.errors import NotFoundError
from linkscout.core.niche import OutreachSection
from linkscout.outreach import stages
from linkscout.outreach.stages import E, Event, Summary, TargetKind
from linkscout.store.db import transaction, utcnow
from linkscout.store.write import normalise_slug, normalise_username

_EVENT_COLS = "id, target_kind, target, event, at, url, note, forced, logged_at"


@dataclass(frozen=True, slots=True)
class Logged:
    event: Event
    stage: str  # the stage after this event
    overridden: tuple[str, ...]  # the refusals --force overrode (empty when no rule was in the way)


@dataclass(frozen=True, slots=True)
class TargetState:
    target_kind: str
    target: str
    name: str | None
    stage: str
    summary: Summary
    events: tuple[Event, ...]
    created_at: str

    @property
    def last_event(self) -> Event | None:
        return self.events[-1] if self.events else None


def normalise(kind: str, handle: str) -> str:
    key = normalise_username(handle) if kind == TargetKind.AUTHOR else normalise_slug(handle)
    if not key:
        raise NotFoundError(f"an empty {kind} handle; pass a username or a publication slug")
    return key


def _row_event(row: tuple) -> Event:  # type: ignore[type-arg]
    id_, kind, target, event, at, url, note, forced, logged_at = row
    return Event(kind, target, event, stages.parse_at(at), url, note, bool(forced), id_, logged_at)


def events_of(db: Database, kind: str, target: str) -> list[Event]:
    rows = db.execute(
        f"SELECT {_EVENT_COLS} FROM events WHERE target_kind = ? AND target = ? ORDER BY at, id",
        (kind, target),
    ).fetchall()
    return [_row_event(r) for r in rows]


def all_events(db: Database) -> dict[tuple[str, str], list[Event]]:
    out: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for r in db.execute(f"SELECT {_EVENT_COLS} FROM events ORDER BY at, id"):
        ev = _row_event(r)
        out[(ev.target_kind, ev.target)].append(ev)
    return dict(out)


def comments_on_day(db: Database, day: datetime) -> int:
    start = day.date().isoformat()
    end = (day.date() + timedelta(days=1)).isoformat()
    return int(
        db.execute(
            "SELECT COUNT(*) FROM events WHERE event = 'commented' AND at >= ? AND at < ?", (start, end)
        ).fetchone()[0]
    )


def _entity_exists(db: Database, kind: str, key: str) -> bool:
    sql = (
        "SELECT 1 FROM authors WHERE username = ?"
        if kind == TargetKind.AUTHOR
        else "SELECT 1 FROM publications WHERE slug = ?"
    )
    return db.execute(sql, (key,)).fetchone() is not None


def _relationship_exists(db: Database, kind: str, key: str) -> bool:
    return (
        db.execute("SELECT 1 FROM relationships WHERE target_kind = ? AND target = ?", (kind, key)).fetchone()
        is not None
    )


def _not_found(db: Database, kind: str, key: str) -> NotFoundError:
    hint = "pass --create to track it anyway"
    if kind == TargetKind.AUTHOR and _entity_exists(db, TargetKind.PUBLICATION, key):
        hint = "it is a publication: pass --publication"
    elif kind == TargetKind.PUBLICATION and _entity_exists(db, TargetKind.AUTHOR, key):
        hint = "it is an author: drop --publication"
    who = f"author @{key}" if kind == TargetKind.AUTHOR else f"publication {key}"
    return NotFoundError(f"no {who} in the store; {hint}")


def log_event(
    db: Database,
    rules: OutreachSection,
    kind: str,
    handle: str,
    event: str,
    *,
    at: datetime | None = None,
    url: str | None = None,
    note: str | None = None,
    force: bool = False,
    create: bool = False,
    now: datetime,
    stage: str | None = None,
) -> Logged:
    """Append one event after checking the `[outreach]` rules; RuleViolation says why not and when.

    `stage` is the target stage of a `stage_set`. `at` defaults to `now`. The relationship row is
    created with the first event.
    """
    kind = TargetKind(kind)
    key = normalise(kind, handle)
    ev_name = stages.EventType(event)
    when = at or now
    if ev_name is E.STAGE_SET:
        note = stages.stage_set_note(stage or "", note)
    with transaction(db):
        if not _relationship_exists(db, kind, key):
            if not create and not _entity_exists(db, kind, key):
                raise _not_found(db, kind, key)
            db.execute(
                "INSERT INTO relationships (target_kind, target, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                (kind, key, utcnow()),
            )
        history = events_of(db, kind, key)
        per_day = comments_on_day(db, when) if ev_name is E.COMMENTED else 0
        overridden = stages.check(
            kind,
            key,
            history,
            ev_name,
            when,
            rules,
            now=now,
            comments_that_day=per_day,
            force=force,
            stage=stage,
        )
        if overridden:
            note = f"{note} | forced past: {overridden[0]}" if note else f"forced past: {overridden[0]}"
        cur = db.execute(
            "INSERT INTO events (target_kind, target, event, at, url, note, forced, logged_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (kind, key, str(ev_name), stages.iso(when), url, note, int(bool(overridden)), utcnow()),
        )
        new = Event(kind, key, str(ev_name), when, url, note, bool(overridden), cur.lastrowid, None)
    return Logged(new, stages.derive_stage(kind, [*history, new], rules=rules, now=now), tuple(overridden))


def _names(db: Database, kind: str) -> dict[str, str | None]:
    sql = (
        "SELECT username, name FROM authors"
        if kind == TargetKind.AUTHOR
        else "SELECT slug, name FROM publications"
    )
    return {k: n for k, n in db.execute(sql)}


def state_of(db: Database, rules: OutreachSection, kind: str, handle: str, *, now: datetime) -> TargetState:
    """One target's timeline and derived stage; NotFoundError when neither tracked nor in the store."""
    kind = TargetKind(kind)
    key = normalise(kind, handle)
    row = db.execute(
        "SELECT created_at FROM relationships WHERE target_kind = ? AND target = ?", (kind, key)
    ).fetchone()
    if row is None and not _entity_exists(db, kind, key):
        raise _not_found(db, kind, key)
    evs = events_of(db, kind, key)
    name = _names(db, kind).get(key)
    return TargetState(
        kind,
        key,
        name,
        stages.derive_stage(kind, evs, rules=rules, now=now),
        stages.summarize(kind, evs, rules),
        tuple(evs),
        row[0] if row else "",
    )


def tracked(
    db: Database, rules: OutreachSection, *, now: datetime, stage: str | None = None, kind: str | None = None
) -> list[TargetState]:
    """Every relationship with its derived stage, most recently active first."""
    evs = all_events(db)
    names = {k: _names(db, k) for k in TargetKind}
    out = []
    for k, target, created in db.execute("SELECT target_kind, target, created_at FROM relationships"):
        if kind is not None and k != kind:
            continue
        mine = evs.get((k, target), [])
        st = stages.derive_stage(k, mine, rules=rules, now=now)
        if stage is not None and st != stage:
            continue
        out.append(
            TargetState(
                k,
                target,
                names[TargetKind(k)].get(target),
                st,
                stages.summarize(k, mine, rules),
                tuple(mine),
                created,
            )
        )
    out.sort(key=lambda s: s.last_event.at if s.last_event else stages.parse_at(s.created_at), reverse=True)
    return out


def states_by_key(states: Iterable[TargetState]) -> dict[tuple[str, str], TargetState]:
    return {(s.target_kind, s.target): s for s in states}
