from __future__ import annotations

import multiprocessing as mp
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from linkscout.core.errors import NotFoundError, RuleViolation
from linkscout.core.niche import OutreachSection
from linkscout.core.records import AuthorRecord, PublicationRecord
from linkscout.outreach.tracker import events_of, log_event, state_of, tracked, undo
from linkscout.store.db import open_db, transaction
from linkscout.store.write import upsert_authors, upsert_publications

RULES = OutreachSection(min_comments_before_pitch=2, min_days_between_comments=4, max_comments_per_day=2)
NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)


def d(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=9, tzinfo=UTC)


def seed_store(db: Database) -> None:
    """What this module's `db` (tests/conftest.py) holds."""
    with transaction(db):
        upsert_authors(
            db, [AuthorRecord("ann", name="Ann"), AuthorRecord("bob"), AuthorRecord("cy")], "2026-01-01"
        )
        upsert_publications(db, [PublicationRecord("growth", name="Growth")], "2026-01-01")


def test_first_event_creates_the_relationship_and_the_stage_follows(db):
    out = log_event(db, RULES, "author", "@Ann", "commented", at=d("2026-05-01"), url="https://m/p", now=NOW)
    assert out.stage == "engaging" and out.event.target == "ann" and not out.event.forced
    assert db.execute("SELECT target_kind, target FROM relationships").fetchall() == [("author", "ann")]
    st = state_of(db, RULES, "author", "ann", now=NOW)
    assert st.stage == "engaging" and st.name == "Ann" and [e.url for e in st.events] == ["https://m/p"]


def test_unknown_handles_are_refused_unless_created(db):
    with pytest.raises(NotFoundError, match="--create"):
        log_event(db, RULES, "author", "nobody", "followed", now=NOW)
    with pytest.raises(NotFoundError, match="--publication"):
        log_event(db, RULES, "author", "growth", "followed", now=NOW)
    log_event(db, RULES, "author", "nobody", "followed", now=NOW, create=True)
    assert state_of(db, RULES, "author", "nobody", now=NOW).stage == "following"
    with pytest.raises(NotFoundError):
        state_of(db, RULES, "author", "ghost", now=NOW)


def test_refused_events_are_not_written_and_forced_ones_are_marked(db):
    log_event(db, RULES, "author", "ann", "commented", at=d("2026-05-01"), now=NOW)
    today = d("2026-05-04")  # logged on the day it happens: a rule break is refused
    with pytest.raises(RuleViolation, match="allowed from 2026-05-05"):
        log_event(db, RULES, "author", "ann", "commented", now=today)
    assert len(events_of(db, "author", "ann")) == 1
    out = log_event(db, RULES, "author", "ann", "commented", now=today, force=True, note="hi")
    assert out.event.forced and out.overridden
    row = db.execute("SELECT forced, note, rule_break FROM events WHERE id = ?", (out.event.id,)).fetchone()
    assert row[0] == 1 and row[1].startswith("hi | forced past: a comment on @ann")
    assert row[2].startswith("a comment on @ann on 2026-05-04 is too soon")
    # On the allowed day, no force needed and nothing is marked.
    ok = log_event(db, RULES, "author", "ann", "commented", at=d("2026-05-08"), now=NOW)
    assert not ok.event.forced


def test_daily_cap_spans_targets_in_the_store(db):
    today = d("2026-05-01")
    log_event(db, RULES, "author", "ann", "commented", now=today)
    log_event(db, RULES, "author", "bob", "commented", now=today)
    with pytest.raises(RuleViolation, match="allowed from 2026-05-02"):
        log_event(db, RULES, "author", "cy", "commented", now=today)
    log_event(db, RULES, "author", "cy", "commented", at=d("2026-05-02"), now=NOW)


def test_stage_set_is_an_event_and_lists_filter_by_stage(db):
    log_event(db, RULES, "author", "ann", "followed", at=d("2026-05-01"), now=NOW)
    log_event(db, RULES, "author", "bob", "stage_set", stage="won", note="linked in a newsletter", now=NOW)
    log_event(db, RULES, "publication", "growth", "submitted", at=d("2026-05-02"), now=NOW)
    assert [s.target for s in tracked(db, RULES, now=NOW, stage="won")] == ["bob"]
    assert {(s.target_kind, s.stage) for s in tracked(db, RULES, now=NOW)} == {
        ("author", "following"),
        ("author", "won"),
        ("publication", "submitted"),
    }
    assert events_of(db, "author", "bob")[0].note == "won: linked in a newsletter"


def _writer(path: str, who: str, n: int, out: mp.Queue) -> None:
    db = open_db(path)
    errors = []
    for i in range(n):
        try:
            log_event(db, RULES, "author", who, "followed", note=f"{who}-{i}", now=NOW, create=True)
        except Exception as e:  # noqa: BLE001 - the test reports every failure
            errors.append(repr(e))
    out.put(errors)


@pytest.mark.slow
def test_two_processes_logging_hundreds_of_events_lose_none(tmp_path: Path):
    path = str(tmp_path / "c.db")
    open_db(path).conn.close()
    ctx = mp.get_context("spawn")
    q: mp.Queue = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(path, who, 300, q)) for who in ("ann", "bob")]
    for p in procs:
        p.start()
    results = [q.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert results == [[], []]  # never "database is locked", never anything else
    db = open_db(path)
    counts = dict(db.execute("SELECT target, COUNT(*) FROM events GROUP BY target").fetchall())
    assert counts == {"ann": 300, "bob": 300}
    notes = {r[0] for r in db.execute("SELECT note FROM events")}
    assert len(notes) == 600


def _commenter(path: str, who: str, out: mp.Queue) -> None:
    db = open_db(path)
    rules = OutreachSection(max_comments_per_day=50, min_days_between_comments=0)
    ok = 0
    for _ in range(40):
        try:
            log_event(db, rules, "author", who, "commented", now=d("2026-05-01"), create=True)
            ok += 1
        except RuleViolation:
            pass
    out.put(ok)


@pytest.mark.slow
def test_two_processes_cannot_both_pass_the_daily_cap(tmp_path: Path):
    path = str(tmp_path / "cap.db")
    open_db(path).conn.close()
    ctx = mp.get_context("spawn")
    q: mp.Queue = ctx.Queue()
    procs = [ctx.Process(target=_commenter, args=(path, who, q)) for who in ("ann", "bob")]
    for p in procs:
        p.start()
    accepted = sum(q.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    assert accepted == 50
    assert open_db(path).execute("SELECT COUNT(*) FROM events").fetchone()[0] == 50


def test_a_backfilled_rule_break_is_recorded_flagged_and_counted_nowhere_as_spaced(db):
    log_event(db, RULES, "author", "ann", "commented", at=d("2026-05-01"), now=NOW)
    out = log_event(db, RULES, "author", "ann", "commented", at=d("2026-05-02"), now=NOW)
    assert out.event.rule_break and "too soon" in out.event.rule_break and not out.event.forced
    assert out.warnings[0].startswith("recorded as a rule break (it already happened)")
    st = state_of(db, RULES, "author", "ann", now=NOW)
    assert [e.rule_break is not None for e in st.events] == [False, True]
    assert st.summary.spaced_comments == 1 and len(st.summary.rule_breaks) == 1


def test_undo_appends_a_retraction_and_the_stage_is_derived_again(db):
    log_event(db, RULES, "author", "ann", "commented", at=d("2026-05-01"), now=NOW)
    log_event(db, RULES, "author", "ann", "declined", now=NOW)
    assert state_of(db, RULES, "author", "ann", now=NOW).stage == "declined"
    out = undo(db, RULES, "author", "ann", now=NOW)
    assert out.stage == "engaging" and out.event.note.startswith("retracts declined of 2026-06-30")
    assert [e.event for e in events_of(db, "author", "ann")] == ["commented", "declined", "retracted"]
    undo(db, RULES, "author", "ann", now=NOW)
    assert state_of(db, RULES, "author", "ann", now=NOW).stage == "discovered"
    with pytest.raises(RuleViolation, match="nothing to undo"):
        undo(db, RULES, "author", "ann", now=NOW)
    # A retracted comment no longer counts toward the daily cap either.
    assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 4


def test_create_refuses_what_cannot_be_a_medium_handle(db):
    for bad in ("x'; DROP TABLE events; --", "a" * 10_000, "ann\nlee"):
        with pytest.raises(RuleViolation, match="not a Medium username"):
            log_event(db, RULES, "author", bad, "followed", now=NOW, create=True)
    assert db.execute("SELECT COUNT(*) FROM relationships").fetchone()[0] == 0
