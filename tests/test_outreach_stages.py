from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from linkscout.core.errors import RuleViolation
from linkscout.core.niche import OutreachSection
from linkscout.outreach.stages import (
    Event,
    InvalidDate,
    check,
    derive_stage,
    parse_at,
    summarize,
    violations,
)

RULES = OutreachSection(
    min_comments_before_pitch=3,
    min_days_between_comments=4,
    max_comments_per_day=5,
    follow_up_after_days=7,
    max_follow_ups=2,
)


def t(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def ev(event: str, day: str, kind: str = "author", target: str = "ann", **kw) -> Event:
    return Event(kind, target, event, t(day), **kw)


NOW = t("2026-12-31")


def test_comment_one_day_too_soon_is_refused_with_the_day_it_becomes_allowed():
    log = [ev("commented", "2026-05-01")]
    with pytest.raises(RuleViolation) as err:
        check("author", "ann", log, "commented", t("2026-05-04"), RULES, now=NOW)
    msg = str(err.value)
    assert "too soon" in msg and "allowed from 2026-05-05" in msg and "\n" not in msg
    # On that day, at any hour, it is accepted.
    assert check("author", "ann", log, "commented", t("2026-05-05", hour=0), RULES, now=NOW) == []


def test_daily_comment_cap_counts_comments_on_every_target():
    with pytest.raises(RuleViolation, match="max_comments_per_day = 5.*allowed from 2026-05-02"):
        check("author", "bob", [], "commented", t("2026-05-01"), RULES, now=NOW, comments_that_day=5)
    assert check("author", "bob", [], "commented", t("2026-05-01"), RULES, now=NOW, comments_that_day=4) == []


def test_pitch_needs_enough_spaced_comments():
    # Three comments, but the second is only 2 days after the first: two spaced comments.
    log = [
        ev("commented", "2026-05-01"),
        ev("commented", "2026-05-03", forced=True),
        ev("commented", "2026-05-05"),
    ]
    assert summarize("author", log, RULES).spaced_comments == 2
    with pytest.raises(RuleViolation) as err:
        check("author", "ann", log, "pitched", t("2026-05-06"), RULES, now=NOW)
    assert "2 logged; 1 more" in str(err.value) and "2026-05-09" in str(err.value)
    log.append(ev("commented", "2026-05-09"))
    assert check("author", "ann", log, "pitched", t("2026-05-09"), RULES, now=NOW) == []


def test_pitch_with_no_comment_is_refused():
    with pytest.raises(RuleViolation, match="needs 3 comments.*0 logged"):
        check("author", "ann", [], "pitched", t("2026-05-01"), RULES, now=NOW)


def _pitched_log() -> list[Event]:
    return [ev("commented", d) for d in ("2026-05-01", "2026-05-05", "2026-05-09")] + [
        ev("pitched", "2026-05-10")
    ]


def test_follow_up_before_due_is_refused_then_allowed_on_the_day():
    log = _pitched_log()
    with pytest.raises(RuleViolation, match="not due yet.*allowed from 2026-05-17"):
        check("author", "ann", log, "followed_up", t("2026-05-16"), RULES, now=NOW)
    assert check("author", "ann", log, "followed_up", t("2026-05-17"), RULES, now=NOW) == []


def test_follow_up_counts_from_the_last_follow_up_and_stops_at_the_max():
    log = _pitched_log() + [ev("followed_up", "2026-05-17")]
    with pytest.raises(RuleViolation, match="allowed from 2026-05-24"):
        check("author", "ann", log, "followed_up", t("2026-05-20"), RULES, now=NOW)
    log.append(ev("followed_up", "2026-05-24"))
    with pytest.raises(RuleViolation, match="max_follow_ups = 2"):
        check("author", "ann", log, "followed_up", t("2026-06-30"), RULES, now=NOW)


def test_follow_up_without_a_pitch_is_refused():
    with pytest.raises(RuleViolation, match="no pitch"):
        check(
            "author", "ann", [ev("commented", "2026-05-01")], "followed_up", t("2026-06-01"), RULES, now=NOW
        )


def test_force_overrides_and_reports_what_it_overrode():
    log = [ev("commented", "2026-05-01")]
    broken = check("author", "ann", log, "commented", t("2026-05-02"), RULES, now=NOW, force=True)
    assert len(broken) == 1 and "allowed from 2026-05-05" in broken[0]


def test_never_overridable_future_dates_and_wrong_kind():
    with pytest.raises(RuleViolation, match="future"):
        check("author", "ann", [], "followed", t("2027-01-02"), RULES, now=NOW, force=True)
    with pytest.raises(RuleViolation, match="publication event"):
        check("author", "ann", [], "submitted", t("2026-05-01"), RULES, now=NOW, force=True)
    with pytest.raises(RuleViolation, match="unknown author stage"):
        check("author", "ann", [], "stage_set", t("2026-05-01"), RULES, now=NOW, stage="accepted")


def test_author_stages_progress_forward_only():
    log = [ev("followed", "2026-05-01")]
    assert derive_stage("author", []) == "discovered"
    assert derive_stage("author", log) == "following"
    log.append(ev("commented", "2026-05-02"))
    assert derive_stage("author", log) == "engaging"
    log.append(ev("replied", "2026-05-03"))
    assert derive_stage("author", log) == "conversation"
    log.append(ev("commented", "2026-05-07"))
    assert derive_stage("author", log) == "conversation"  # a later comment does not move it back
    log.append(ev("pitched", "2026-05-12"))
    assert derive_stage("author", log) == "pitched"
    log.append(ev("linked", "2026-05-20"))
    assert derive_stage("author", log) == "won"
    log.append(ev("lost", "2026-06-20"))
    assert derive_stage("author", log) == "pitched"


def test_events_are_ordered_by_when_they_happened_not_when_logged():
    log = [ev("pitched", "2026-05-12"), ev("followed", "2026-05-01")]
    assert derive_stage("author", log) == "pitched"


def test_no_response_after_the_last_follow_up_goes_unanswered():
    log = _pitched_log() + [ev("followed_up", "2026-05-17"), ev("followed_up", "2026-05-24")]
    assert derive_stage("author", log, rules=RULES, now=t("2026-05-30")) == "pitched"
    assert derive_stage("author", log, rules=RULES, now=t("2026-05-31")) == "no_response"
    log.append(ev("replied", "2026-06-01"))
    assert derive_stage("author", log, rules=RULES, now=t("2026-06-30")) == "pitched"


def test_do_not_contact_sticks_until_a_stage_set_and_blocks_contact():
    log = [ev("commented", "2026-05-01"), ev("do_not_contact", "2026-05-02"), ev("replied", "2026-05-03")]
    assert derive_stage("author", log) == "do_not_contact"
    assert any(
        "do_not_contact" in v for v in violations("author", "ann", log, "commented", t("2026-06-01"), RULES)
    )
    log.append(ev("stage_set", "2026-05-04", note="engaging: talked it over"))
    assert derive_stage("author", log) == "engaging"
    assert violations("author", "ann", log, "commented", t("2026-06-01"), RULES) == []


def test_publication_stages():
    log = [ev("guidelines_read", "2026-05-01", kind="publication", target="growth")]
    assert derive_stage("publication", log) == "guidelines_read"
    log.append(ev("submitted", "2026-05-02", kind="publication", target="growth"))
    assert derive_stage("publication", log) == "submitted"
    with pytest.raises(RuleViolation, match="allowed from 2026-05-09"):
        check("publication", "growth", log, "followed_up", t("2026-05-08"), RULES, now=NOW)
    log.append(ev("accepted", "2026-05-20", kind="publication", target="growth"))
    assert derive_stage("publication", log) == "accepted"
    with pytest.raises(RuleViolation, match="author event"):
        check("publication", "growth", log, "pitched", t("2026-05-21"), RULES, now=NOW)


def test_parse_at_accepts_days_and_iso_and_refuses_junk():
    assert parse_at("2026-05-01") == datetime(2026, 5, 1, tzinfo=UTC)
    assert parse_at("2026-05-01T23:30:00-02:00").date() == date(2026, 5, 2)
    assert parse_at("2026-05-01T10:00:00Z").hour == 10
    with pytest.raises(InvalidDate, match="YYYY-MM-DD"):
        parse_at("yesterday")
    with pytest.raises(InvalidDate):
        parse_at("2026-02-30")
