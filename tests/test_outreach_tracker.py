from __future__ import annotations

import multiprocessing as mp
from datetime import UTC, datetime
from pathlib import Path

import pytest

from linkscout.core.errors import NotFoundError, RuleViolation
from linkscout.core.niche import OutreachSection
from linkscout.core.records import AuthorRecord, PublicationRecord
from linkscout.outreach.tracker import events_of, log_event, state_of, tracked
from linkscout.store.db import open_db, transaction
from linkscout.store.write import upsert_authors, upsert_publications

RULES = OutreachSection(min_comments_before_pitch=2, min_days_between_comments=4, max_comments_per_day=2)
NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)


def d(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=9, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path):
    db = open_db(tmp_path / "t.db")
    with transaction(db):
        upsert_authors(
            db, [AuthorRecord("ann", name="Ann"), AuthorRecord("bob"), AuthorRecord("cy")], "2026-01-01"
        )
        upsert_publications(db, [PublicationRecord("growth", name="Growth")], "2026-01-01")
    return db


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
    with pytest.raises(RuleViolation, match="allowed from 2026-05-05"):
        log_event(db, RULES, "author", "ann", "commented", at=d("2026-05-04"), now=NOW)
    assert len(events_of(db, "author", "ann")) == 1
    out = log_event(
        db, RULES, "author", "ann", "commented", at=d("2026-05-04"), now=NOW, force=True, note="hi"
    )
    assert out.event.forced and out.overridden
    row = db.execute("SELECT forced, note FROM events WHERE id = ?", (out.event.id,)).fetchone()
    assert row[0] == 1 and row[1].startswith("hi | forced past: a comment on @ann")
    # On the allowed day, no force needed and nothing is marked.
    ok = log_event(db, RULES, "author", "ann", "commented", at=d("2026-05-08"), now=NOW)
    assert not ok.event.forced


def test_daily_cap_spans_targets_in_the_store(db):
    log_event(db, RULES, "author", "ann", "commented", at=d("2026-05-01"), now=NOW)
    log_event(db, RULES, "author", "bob", "commented", at=d("2026-05-01"), now=NOW)
    with pytest.raises(RuleViolation, match="allowed from 2026-05-02"):
        log_event(db, RULES, "author", "cy", "commented", at=d("2026-05-01"), now=NOW)
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
            log_event(db, rules, "author", who, "commented", at=d("2026-05-01"), now=NOW, create=True)
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
