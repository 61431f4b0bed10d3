from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from linkscout.core.errors import RuleViolation
from linkscout.core.niche import OutreachSection
from linkscout.outreach.stages import (
    Event,
    InvalidDate,
    derive_stage,
    parse_at,
    summarize,
    validate_event,
    validate_handle,
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


def check(kind, target, log, event, at, rules, *, now, force=False, **kw) -> list[str]:
    """The rules as judged today (not a backfill): refusals raise, --force returns what it overrode."""
    return list(
        validate_event(
            kind, target, log, event, at, rules, now=now, force=force, backfilled=False, **kw
        ).rule_breaks
    )


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
    log.append(ev("linked", "2026-05-20", url="https://medium.com/@ann/p-1a2b3c4d5e6f"))
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


# -- the checked state machine (issue 12 point 4) -------------------------------------------------

POST = "https://medium.com/@ann/a-post-1a2b3c4d5e6f"


def test_linked_and_mentioned_need_the_url_and_without_a_pitch_are_unprompted():
    for event in ("linked", "mentioned"):
        with pytest.raises(RuleViolation, match=f"`{event}` needs --url"):
            validate_event("author", "ann", [], event, t("2026-05-01"), RULES, now=NOW, force=True)
    v = validate_event("author", "ann", [], "linked", t("2026-05-01"), RULES, now=NOW, url=POST)
    assert v.unprompted and "unprompted" in v.warnings[0]
    # An unprompted link does not end an outreach that never started ...
    log = [ev("commented", "2026-04-01"), ev("linked", "2026-05-01", url=POST)]
    assert derive_stage("author", log) == "engaging"
    s = summarize("author", log, RULES)
    assert [e.event for e in s.unprompted] == ["linked"] and s.wins == ()
    # ... while a link after a pitch is a win.
    log = _pitched_log() + [ev("linked", "2026-05-20", url=POST)]
    assert derive_stage("author", log) == "won"
    assert len(summarize("author", log, RULES).wins) == 1


def test_replies_need_an_earlier_outbound_contact():
    with pytest.raises(RuleViolation, match="needs an earlier outbound contact"):
        validate_event("author", "ann", [], "replied", t("2026-05-01"), RULES, now=NOW, force=True)
    # A comment after the reply does not count: the reply must answer something.
    with pytest.raises(RuleViolation, match="before 2026-05-01"):
        validate_event(
            "author", "ann", [ev("commented", "2026-05-03")], "conversation", t("2026-05-01"), RULES, now=NOW
        )
    assert validate_event(
        "author", "ann", [ev("commented", "2026-04-28")], "replied", t("2026-05-01"), RULES, now=NOW
    )


def test_events_may_not_lie_in_the_future_or_before_medium():
    with pytest.raises(RuleViolation, match="future.*from 2027-01-01"):
        validate_event("author", "ann", [], "followed", t("2027-01-01"), RULES, now=NOW, force=True)
    with pytest.raises(RuleViolation, match="before Medium existed"):
        validate_event("author", "ann", [], "commented", t("1900-01-01"), RULES, now=NOW, force=True)
    assert validate_event("author", "ann", [], "followed", t("2012-08-01"), RULES, now=NOW).rule_breaks == ()


def test_a_backfilled_event_is_judged_in_its_place_in_the_timeline():
    log = [ev("commented", "2026-05-01"), ev("commented", "2026-05-09")]
    # A comment on 05-05 fits between the two; on 05-07 it is too close before the one on 05-09.
    assert (
        validate_event("author", "ann", log, "commented", t("2026-05-05"), RULES, now=NOW).rule_breaks == ()
    )
    v = validate_event("author", "ann", log, "commented", t("2026-05-07"), RULES, now=NOW)
    assert "too close before the one on 2026-05-09" in v.rule_breaks[0]
    # A backfilled pitch still needs its spaced comments before it, not after.
    log = [ev("commented", d) for d in ("2026-05-01", "2026-05-05", "2026-05-09")]
    v = validate_event("author", "ann", log, "pitched", t("2026-05-06"), RULES, now=NOW)
    assert "2 logged; 1 more" in v.rule_breaks[0]


def test_a_past_rule_break_is_recorded_with_a_warning_a_present_one_is_refused():
    log = [ev("commented", "2026-12-29")]
    past = validate_event("author", "ann", log, "commented", t("2026-12-30"), RULES, now=NOW)
    assert past.rule_breaks and not past.forced
    assert past.warnings[0].startswith("recorded as a rule break (it already happened): a comment on @ann")
    with pytest.raises(RuleViolation, match="too soon.*allowed from 2027-01-02.*--force"):
        validate_event("author", "ann", log, "commented", t("2026-12-31", hour=18), RULES, now=NOW)
    forced = validate_event("author", "ann", log, "commented", NOW, RULES, now=NOW, force=True)
    assert forced.forced and forced.rule_breaks


@pytest.mark.parametrize(
    ("kind", "handle", "key"),
    [("author", "@Ann.Lee_2", "ann.lee_2"), ("publication", "Better-Marketing/", "better-marketing")],
)
def test_handles_are_medium_usernames_or_publication_slugs(kind, handle, key):
    assert validate_handle(kind, handle) == key


@pytest.mark.parametrize(
    ("kind", "handle"),
    [
        ("author", "x'; DROP TABLE events; --"),
        ("author", "a" * 31),
        ("author", "ann\nlee"),
        ("author", ""),
        ("publication", "better marketing"),
        ("publication", "-edge-"),
        ("publication", "p" * 101),
    ],
)
def test_anything_else_is_refused_in_one_line(kind, handle):
    with pytest.raises(RuleViolation) as err:
        validate_handle(kind, handle)
    assert "\n" not in str(err.value) and len(str(err.value)) < 200


def test_retracted_events_drop_out_of_the_stage():
    log = [
        Event("author", "ann", "commented", t("2026-05-01"), id=1),
        Event("author", "ann", "declined", t("2026-05-02"), id=2),
        Event("author", "ann", "retracted", t("2026-05-03"), id=3, retracts=2),
    ]
    assert derive_stage("author", log[:2]) == "declined"
    assert derive_stage("author", log) == "engaging"


def test_cold_after_max_unanswered_comments_and_a_reply_warms_it_again():
    log = [ev("commented", d) for d in ("2026-05-01", "2026-05-05")]
    assert derive_stage("author", log, rules=RULES) == "engaging"
    log.append(ev("commented", "2026-05-09"))
    assert derive_stage("author", log, rules=RULES) == "cold"
    v = validate_event("author", "ann", log, "commented", t("2026-05-13"), RULES, now=NOW)
    assert v.rule_breaks == () and "has not answered 3 comments" in v.warnings[0]
    log.append(ev("replied", "2026-05-10"))
    assert derive_stage("author", log, rules=RULES) == "conversation"


def test_pitching_someone_who_never_replied_warns():
    log = [ev("commented", d) for d in ("2026-05-01", "2026-05-05", "2026-05-09")]
    v = validate_event("author", "ann", log, "pitched", t("2026-05-10"), RULES, now=NOW)
    assert v.warnings == ("@ann has never replied: this pitch is cold",)


def test_promised_sits_between_pitched_and_won_and_needs_a_pitch():
    with pytest.raises(RuleViolation, match="answers a pitch"):
        validate_event(
            "author", "ann", [ev("commented", "2026-05-01")], "promised", t("2026-05-02"), RULES, now=NOW
        )
    log = _pitched_log() + [ev("promised", "2026-05-12")]
    assert derive_stage("author", log) == "promised"
    assert summarize("author", log, RULES).promised_at == t("2026-05-12")
    log.append(ev("linked", "2026-05-20", url=POST))
    assert derive_stage("author", log) == "won"


def _pub(event: str, day: str, target: str, article: str | None = "draft-1") -> Event:
    return Event("publication", target, event, t(day), article=article)


def test_one_pending_submission_per_article():
    elsewhere = {"growth": [_pub("submitted", "2026-05-01", "growth")]}
    with pytest.raises(RuleViolation, match="already submitted to growth and pending"):
        validate_event(
            "publication", "searchdesk", [], "submitted", t("2026-05-03"), RULES, now=NOW, article="draft-1",
            article_elsewhere=elsewhere,
        )  # fmt: skip
    # Another article is free; so is this one once the first publication rejected it.
    assert validate_event(
        "publication", "searchdesk", [], "submitted", t("2026-05-03"), RULES, now=NOW, article="draft-2",
        article_elsewhere=elsewhere,
    ).rule_breaks == ()  # fmt: skip
    elsewhere["growth"].append(_pub("rejected", "2026-05-02", "growth", None))
    assert validate_event(
        "publication", "searchdesk", [], "submitted", t("2026-05-03"), RULES, now=NOW, article="draft-1",
        article_elsewhere=elsewhere,
    ).rule_breaks == ()  # fmt: skip
