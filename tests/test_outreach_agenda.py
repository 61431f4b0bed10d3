from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlite_utils import Database

from linkscout.core.errors import RuleViolation
from linkscout.core.niche import parse_niche
from linkscout.core.records import AuthorRecord, PageKind, PageResult, PostRecord, PublicationRecord
from linkscout.outreach.agenda import agenda
from linkscout.outreach.tracker import log_event
from linkscout.store.db import transaction
from linkscout.store.write import write_results

NICHE = parse_niche(
    {
        "niche": {"name": "n", "tags": ["seo"]},
        "outreach": {"min_comments_before_pitch": 2, "min_days_between_comments": 4, "max_comments_per_day": 2,
                     "follow_up_after_days": 7, "max_follow_ups": 2},
    }
)  # fmt: skip
RULES = NICHE.outreach
T0 = datetime(2031, 3, 1, 10, tzinfo=UTC)
CLOCK = datetime(2031, 12, 31, tzinfo=UTC)  # "now" for logging: everything below is in the past


def at(days: int) -> datetime:
    return T0 + timedelta(days=days)


def on(days: int) -> date:
    return at(days).date()


def log(db, who, event, days, kind="author", **kw):
    return log_event(db, RULES, kind, who, event, at=at(days), now=CLOCK, **kw)


def seed_store(db: Database) -> None:
    """What this module's `db` (tests/conftest.py) holds."""
    posts = [
        PostRecord(id=f"{i:012x}", title=f"{who} post {i}", url=f"https://medium.com/@{who}/p-{i:012x}", author=who,
                   tags=("seo",), published_at=at(day).strftime("%Y-%m-%dT%H:%M:%SZ"))
        for i, (who, day) in enumerate([("ann", -1), ("ann", 5), ("ann", 20), ("bob", 0), ("cy", 1), ("dan", 1)])
    ]  # fmt: skip
    authors = [AuthorRecord(u, name=u.title()) for u in ("ann", "bob", "cy", "dan")]
    with transaction(db):
        write_results(
            db,
            [
                PageResult(
                    PageKind.ARTICLE, posts=posts, authors=authors, publications=[PublicationRecord("pub")]
                )
            ],
            "x",
        )


def test_comment_due_names_the_freshest_uncommented_post_and_respects_spacing(db):
    log(db, "ann", "commented", 0, url="https://medium.com/@ann/p-000000000000")
    assert [i.handle for i in agenda(db, NICHE, on=on(3))] == []  # spacing: not before day 4
    items = agenda(db, NICHE, on=on(6))
    assert [(i.action, i.handle, i.due) for i in items] == [("comment", "ann", on(4))]
    assert items[0].post_title == "ann post 1" and "inside the 48-hour window" in items[0].detail
    assert "1 more spaced comment before a pitch" in items[0].detail


def test_pitch_due_needs_spaced_comments_and_a_reply(db):
    log(db, "ann", "commented", 0)
    log(db, "ann", "commented", 4)
    # No reply yet: keep engaging, but her newest post (day 5) is past the 48-hour window: wait.
    assert [i.action for i in agenda(db, NICHE, on=on(8))] == ["wait"]
    log(db, "ann", "replied", 5)
    items = agenda(db, NICHE, on=on(8))
    assert [(i.action, i.handle, i.due) for i in items] == [("pitch", "ann", on(5))]


def test_follow_up_reminders_count_from_the_last_contact_and_stop_on_a_reply(db):
    log(db, "ann", "commented", 0)
    log(db, "ann", "commented", 4)
    log(db, "ann", "pitched", 5, force=True)
    assert agenda(db, NICHE, on=on(11)) == []
    items = agenda(db, NICHE, on=on(12))
    assert [(i.action, i.due) for i in items] == [("follow_up", on(12))] and "1 of 2" in items[0].detail
    log(db, "ann", "followed_up", 12)
    assert agenda(db, NICHE, on=on(18)) == []
    assert [i.due for i in agenda(db, NICHE, on=on(19))] == [on(19)]
    log(db, "ann", "replied", 19)
    assert agenda(db, NICHE, on=on(40)) == []


def test_follow_ups_stop_at_the_max(db):
    log(db, "bob", "pitched", 0, force=True)
    log(db, "bob", "followed_up", 7)
    log(db, "bob", "followed_up", 14)
    assert agenda(db, NICHE, on=on(60)) == []


def test_submissions_to_chase_and_the_order_of_priorities(db):
    log(db, "pub", "submitted", 0, kind="publication")
    log(db, "bob", "pitched", 0, force=True)
    log(db, "cy", "commented", 0)
    log(db, "cy", "commented", 4)
    log(db, "cy", "replied", 4)
    log(db, "dan", "commented", 0)
    items = agenda(db, NICHE, on=on(10))
    assert [(i.action, i.handle) for i in items] == [
        ("pitch", "cy"),
        ("follow_up", "bob"),
        ("chase_submission", "pub"),
        ("wait", "dan"),  # dan's post is 9 days old: the window has passed
    ]


def add_post(db, who: str, day: int, n: int) -> None:
    post = PostRecord(id=f"f{n:011x}", title=f"{who} fresh {n}", url=f"https://medium.com/@{who}/f-f{n:011x}",
                      author=who, tags=("seo",), published_at=at(day).strftime("%Y-%m-%dT%H:%M:%SZ"))  # fmt: skip
    with transaction(db):
        write_results(db, [PageResult(PageKind.ARTICLE, posts=[post], authors=[AuthorRecord(who)])], "x")


def test_comments_are_capped_by_what_is_left_of_the_daily_limit(db):
    for n, who in enumerate(("ann", "bob", "cy")):
        add_post(db, who, 7, n)
    log(db, "cy", "commented", 0)
    log(db, "bob", "commented", 0)
    log(db, "ann", "commented", 1)
    now = at(8)  # 10:00, a day after the three fresh posts
    assert [i.handle for i in agenda(db, NICHE, now=now)] == ["bob", "cy"]  # cap 2: oldest due first
    log(db, "dan", "commented", 8)
    assert [i.handle for i in agenda(db, NICHE, now=now)] == ["bob"]


def test_do_not_contact_and_finished_targets_drop_out(db):
    log(db, "ann", "commented", 0)
    log(db, "ann", "do_not_contact", 1)
    log(db, "bob", "pitched", 0, force=True)
    log(db, "bob", "linked", 3, url="https://medium.com/@bob/p")
    assert agenda(db, NICHE, on=on(30)) == []


def test_a_comment_is_suggested_only_inside_the_48_hour_window(db):
    log(db, "ann", "commented", 0, url="https://medium.com/@ann/p-000000000000")
    add_post(db, "ann", 10, 9)
    fresh = agenda(db, NICHE, now=at(11))  # published 24 h before
    assert [(i.action, i.published_ago) for i in fresh] == [("comment", "published 24 h ago")]
    assert fresh[0].detail.startswith(
        'Published 24 h ago (2031-03-11), inside the 48-hour window: comment on "ann'
    )
    assert list(fresh[0].as_dict(on(11)))[0] == "published"  # the age comes first
    late = agenda(db, NICHE, now=at(12) + timedelta(hours=1))  # 49 h
    assert [i.action for i in late] == ["wait"] and "48-hour window" in late[0].detail
    assert late[0].post_url is None and late[0].published_ago == "published 2 days ago"
    assert late[0].detail.startswith("Latest niche post 2 days ago")
    assert "the 48-hour window has passed. Comment on their next niche post" in late[0].detail


def test_cold_after_three_unanswered_comments_is_said_once_then_silent(db):
    rules = parse_niche({"niche": {"name": "n", "tags": ["seo"]}, "outreach": {"max_comments_per_day": 5}})
    for d in (0, 4, 8):
        log_event(db, rules.outreach, "author", "bob", "commented", at=at(d), now=CLOCK)
    add_post(db, "bob", 11, 1)
    assert [i.action for i in agenda(db, rules, now=at(11))] == []
    said = agenda(db, rules, now=at(12))
    assert [i.action for i in said] == ["cold"] and "not answered 3 comments" in said[0].detail
    assert agenda(db, rules, now=at(13)) == []
    out = log_event(db, rules.outreach, "author", "bob", "commented", at=at(13), now=CLOCK)
    assert any("cold" in w for w in out.warnings)


def test_acceptance_closes_the_other_chase_and_promised_stays_on_the_agenda(db):
    log(db, "pub", "submitted", 0, kind="publication", article="draft-a")
    with pytest.raises(RuleViolation, match="already submitted to pub and pending"):
        log(db, "other", "submitted", 1, kind="publication", article="draft-a", create=True)
    log(db, "other", "submitted", 1, kind="publication", article="draft-a", create=True, force=True)
    assert {i.handle for i in agenda(db, NICHE, on=on(9))} == {"pub", "other"}
    log(db, "pub", "accepted", 9, kind="publication")  # closes the chase of draft-a at "other"
    log(db, "bob", "pitched", 0, force=True)
    log(db, "bob", "promised", 2)
    items = agenda(db, NICHE, on=on(9))
    assert [(i.action, i.handle) for i in items] == [("follow_up", "bob")]
    assert "promised a link on" in items[0].detail
    assert [i.action for i in agenda(db, NICHE, on=on(5))] == ["check_link"]
