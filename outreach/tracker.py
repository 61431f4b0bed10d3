"""Keeping the outreach log: append events under the rules (`stages.validate_event`), take one back
(`undo`), read timelines and derived stages. The SQL is store/events.py's.

Logging reads the events its rules check inside the same write transaction (BEGIN IMMEDIATE), so two
processes logging at once queue on the busy timeout and can never both pass a rule that only one of
them should have.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from linkscout.core.errors import NotFoundError, RuleViolation
from linkscout.core.niche import OutreachSection
from linkscout.outreach import stages
from linkscout.outreach.stages import E, Event, Summary, TargetKind, Verdict
from linkscout.store import events as store
from linkscout.store.db import transaction, utcnow

events_of = store.events_of
all_events = store.all_events


@dataclass(frozen=True, slots=True)
class Logged:
    event: Event
    stage: str  # the stage after this event
    overridden: tuple[str, ...]  # the refusals --force overrode (empty when no rule was in the way)
    verdict: Verdict = Verdict()

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.verdict.warnings


@dataclass(frozen=True, slots=True)
class TargetState:
    target_kind: str
    target: str
    name: str | None
    stage: str
    summary: Summary
    events: tuple[Event, ...]  # the whole log, retractions included
    created_at: str

    @property
    def last_event(self) -> Event | None:
        live = stages.effective(self.events)
        return live[-1] if live else None


def normalise(kind: str, handle: str) -> str:
    """The store key for a handle; refuses what cannot be a Medium username or publication slug."""
    return stages.validate_handle(kind, handle)


def comments_on_day(db: Database, day: datetime) -> int:
    return store.comments_on_day(db, day.date())


def _not_found(db: Database, kind: str, key: str, *, logging: bool = True) -> NotFoundError:
    hint = "pass --create to track it anyway" if logging else "`stage log HANDLE EVENT --create` tracks it"
    if kind == TargetKind.AUTHOR and store.entity_exists(db, TargetKind.PUBLICATION, key):
        hint = "it is a publication: pass --publication"
    elif kind == TargetKind.PUBLICATION and store.entity_exists(db, TargetKind.AUTHOR, key):
        hint = "it is an author: drop --publication"
    who = f"author @{key}" if kind == TargetKind.AUTHOR else f"publication {key}"
    return NotFoundError(f"no {who} in the store; {hint}")


def _article_elsewhere(db: Database, key: str, article: str | None) -> dict[str, list[Event]]:
    if not article:
        return {}
    out: dict[str, list[Event]] = {}
    for e in store.events_for_article(db, article):
        if e.target != key:
            out.setdefault(e.target, []).append(e)
    return out


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
    article: str | None = None,
) -> Logged:
    """Append one event after `stages.validate_event`; RuleViolation says why not and when.

    `stage` is the target stage of a `stage_set`. `at` defaults to `now`; an `at` on an earlier day is
    a backfill: a rule it broke is recorded with it (and warned about) instead of refused. The
    relationship row is created with the first event.
    """
    kind = TargetKind(kind)
    key = normalise(kind, handle)
    ev_name = stages.EventType(event)
    when = at or now
    if ev_name is E.STAGE_SET:
        note = stages.stage_set_note(stage or "", note)
    with transaction(db):
        if store.relationship_created(db, kind, key) is None:
            if not create and not store.entity_exists(db, kind, key):
                raise _not_found(db, kind, key)
            store.add_relationship(db, kind, key, utcnow())
        history = store.events_of(db, kind, key)
        per_day = store.comments_on_day(db, when.date()) if ev_name is E.COMMENTED else 0
        verdict = stages.validate_event(
            kind, key, history, ev_name, when, rules, now=now, url=url, article=article,
            comments_that_day=per_day, force=force, stage=stage,
            article_elsewhere=_article_elsewhere(db, key, article),
        )  # fmt: skip
        broken = verdict.rule_breaks[0] if verdict.rule_breaks else None
        if verdict.forced:
            note = f"{note} | forced past: {broken}" if note else f"forced past: {broken}"
        if verdict.unprompted:
            note = f"{note} | unprompted" if note else "unprompted"
        new = Event(
            kind, key, str(ev_name), when, url, note, verdict.forced, None, None, broken, None, article
        )
        new_id = store.insert_event(db, new, utcnow())
        new = Event(
            kind, key, str(ev_name), when, url, note, verdict.forced, new_id, None, broken, None, article
        )
    overridden = verdict.rule_breaks if verdict.forced else ()
    return Logged(new, stages.derive_stage(kind, [*history, new], rules=rules, now=now), overridden, verdict)


def undo(db: Database, rules: OutreachSection, kind: str, handle: str, *, now: datetime) -> Logged:
    """Append a retraction of the target's last logged event (by logging order); the log stays
    append-only and the stage is derived again without it."""
    kind = TargetKind(kind)
    key = normalise(kind, handle)
    with transaction(db):
        if store.relationship_created(db, kind, key) is None:
            raise _not_found(db, kind, key, logging=False)
        history = store.events_of(db, kind, key)
        live = {e.id for e in stages.effective(history)}
        candidates = [e for e in history if e.id in live]
        if not candidates:
            who = f"@{key}" if kind == TargetKind.AUTHOR else key
            raise RuleViolation(f"nothing to undo: {who} has no event left in the log")
        last = max(candidates, key=lambda e: e.id or 0)
        note = f"retracts {last.event} of {stages.iso(last.at)}"
        ev = Event(kind, key, str(E.RETRACTED), now, None, note, False, None, None, None, last.id, None)
        new_id = store.insert_event(db, ev, utcnow())
    new = Event(kind, key, str(E.RETRACTED), now, None, note, False, new_id, None, None, last.id, None)
    return Logged(new, stages.derive_stage(kind, [*history, new], rules=rules, now=now), ())


def state_of(db: Database, rules: OutreachSection, kind: str, handle: str, *, now: datetime) -> TargetState:
    """One target's timeline and derived stage; NotFoundError when neither tracked nor in the store."""
    kind = TargetKind(kind)
    key = normalise(kind, handle)
    created = store.relationship_created(db, kind, key)
    if created is None and not store.entity_exists(db, kind, key):
        raise _not_found(db, kind, key, logging=False)
    evs = store.events_of(db, kind, key)
    return TargetState(
        kind,
        key,
        store.names(db, kind, [key]).get(key),
        stages.derive_stage(kind, evs, rules=rules, now=now),
        stages.summarize(kind, evs, rules),
        tuple(evs),
        created or "",
    )


def tracked(
    db: Database, rules: OutreachSection, *, now: datetime, stage: str | None = None, kind: str | None = None
) -> list[TargetState]:
    """Every relationship with its derived stage, most recently active first."""
    evs = store.all_events(db)
    rels = store.relationships(db)
    names = {k: store.names(db, k, {t for tk, t, _ in rels if tk == k}) for k in TargetKind}
    out = []
    for k, target, created in rels:
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
