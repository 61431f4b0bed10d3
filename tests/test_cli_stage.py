from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from linkscout.cli.main import app
from linkscout.core.records import AuthorRecord, PageKind, PageResult, PostRecord, PublicationRecord
from linkscout.store.db import open_db, transaction
from linkscout.store.write import write_results

NICHE = """
[niche]
name = "seo-for-saas"
tags = ["seo"]
site = "example.com"
competitors = ["ahrefs.com"]
as_of = "2024-06-30"

[quality]
min_followers = 10
min_niche_posts_90d = 1

[outreach]
min_comments_before_pitch = 2
min_days_between_comments = 4
max_comments_per_day = 5
follow_up_after_days = 7
max_follow_ups = 2
"""


@pytest.fixture
def env(tmp_path: Path):
    niche = tmp_path / "niche.toml"
    niche.write_text(NICHE, encoding="utf-8")
    db_path = tmp_path / "l.db"
    db = open_db(db_path)
    posts = [
        PostRecord(id="1a2b3c4d5e6f", title="SEO tips", url="https://medium.com/@ann/seo-tips-1a2b3c4d5e6f",
                   author="ann", tags=("seo",), published_at="2024-06-29T08:00:00Z", claps=100, responses=3),
        PostRecord(id="2b3c4d5e6f7a", title="=cmd|' /C calc'!A0", url="https://medium.com/@evil/x-2b3c4d5e6f7a",
                   author="evil", tags=("seo",), published_at="2024-06-29T20:00:00Z", claps=50, responses=1),
    ]  # fmt: skip
    authors = [AuthorRecord("ann", name="Ann", followers=500), AuthorRecord("evil", name='=HYPERLINK("http://x","y")',
               followers=500)]  # fmt: skip
    with transaction(db):
        write_results(
            db,
            [
                PageResult(
                    PageKind.ARTICLE, posts=posts, authors=authors, publications=[PublicationRecord("growth")]
                )
            ],
            "2024-06-30T00:00:00Z",
        )
    db.conn.close()
    return ["--niche", str(niche), "--db", str(db_path)]


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def _day(offset: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=offset)).isoformat()


def test_a_comment_too_soon_today_is_refused_with_its_date_then_forced_and_recorded(env):
    assert run("stage", "log", "@ann", "commented", "--at", _day(-10), *env).exit_code == 0
    assert run("stage", "log", "ann", "commented", *env).exit_code == 0
    r = run("stage", "log", "ann", "commented", *env)
    assert r.exit_code == 1
    err = r.stderr.strip()
    assert err.startswith("Error: ") and f"allowed from {_day(4)}" in err and "\n" not in err
    r = run("stage", "log", "ann", "commented", "--force", "--note", "eager", *env)
    assert r.exit_code == 0 and "Forced past" in r.stderr and f"allowed from {_day(4)}" in r.stderr
    shown = json.loads(run("stage", "show", "ann", "--format", "json", *env).stdout)
    assert [(e["event"], e["forced"], e["rule_break"] is not None) for e in shown["events"]] == [
        ("commented", False, False),
        ("commented", False, False),
        ("commented", True, True),
    ]
    assert shown["events"][2]["note"].startswith("eager | forced past")


def test_a_past_comment_that_broke_the_spacing_is_recorded_flagged_and_warned(env):
    assert run("stage", "log", "ann", "commented", "--at", _day(-10), *env).exit_code == 0
    r = run("stage", "log", "ann", "commented", "--at", _day(-8), *env)
    assert r.exit_code == 0, r.stderr
    assert (
        f"Warning: recorded as a rule break (it already happened): a comment on @ann on {_day(-8)} is too soon"
        in r.stderr
    )
    shown = json.loads(run("stage", "show", "ann", "--format", "json", *env).stdout)
    assert [e["rule_break"] is not None for e in shown["events"]] == [False, True]


def test_pitch_before_the_comments_is_refused(env):
    run("stage", "log", "ann", "commented", *env)
    r = run("stage", "log", "ann", "pitched", *env)
    assert r.exit_code == 1 and "needs 2 comments" in r.stderr


def test_stage_rules_refuse_nonsense_in_one_line(env):
    cases = [
        (("ann", "linked"), "`linked` needs --url"),
        (("ann", "replied"), "needs an earlier outbound contact"),
        (("ann", "followed", "--at", "1900-01-01"), "before Medium existed"),
        (("ann", "followed", "--at", _day(2)), f"from {_day(2)}"),
        (("bad handle!", "followed", "--create"), "not a Medium username"),
        (("x" * 10_000, "followed", "--create"), "not a Medium username"),
    ]
    for args, why in cases:
        r = run("stage", "log", *args, *env)
        assert r.exit_code == 1 and why in r.stderr and r.stderr.count("\n") == 1, (args, r.stderr)
    assert json.loads(run("stage", "list", "--format", "json", *env).stdout) == []


def test_undo_retracts_the_last_event(env):
    run("stage", "log", "ann", "commented", "--at", _day(-3), *env)
    run("stage", "log", "ann", "declined", *env)
    r = run("stage", "undo", "ann", *env)
    assert r.exit_code == 0 and "retracts declined" in r.stderr and "stage: engaging" in r.stderr
    shown = json.loads(run("stage", "show", "ann", "--format", "json", *env).stdout)
    assert [(e["event"], e["retracted"]) for e in shown["events"]] == [
        ("commented", False),
        ("declined", True),
        ("retracted", False),
    ]
    assert shown["stage"] == "engaging"


def test_bad_input_exits_1_for_dates_and_unknown_handles_2_for_usage(env):
    r = run("stage", "log", "ann", "followed", "--at", "last tuesday", *env)
    assert r.exit_code == 1 and r.stderr.startswith("Error: cannot read the date")
    r = run("stage", "log", "nobody", "followed", *env)
    assert r.exit_code == 1 and "--create" in r.stderr
    assert run("stage", "log", "ann", "waved", *env).exit_code == 2
    assert run("next", "--as-of", "2024-02-30", *env).exit_code == 2  # a usage error
    assert run("queue", "--as-of", "soon", *env).exit_code == 2


def test_set_and_list(env):
    run("stage", "log", "ann", "followed", "--at", "2024-06-01", *env)
    run("stage", "log", "growth", "submitted", "--publication", "--at", "2024-06-02", *env)
    assert run("stage", "set", "ann", "won", "--note", "newsletter", *env).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(run("stage", "list", "--format", "csv", *env).stdout)))
    assert {(r["kind"], r["handle"], r["stage"]) for r in rows} == {("author", "ann", "won"),
                                                                     ("publication", "growth", "submitted")}  # fmt: skip
    only = run("stage", "list", "--stage", "won", "--format", "jsonl", *env).stdout.splitlines()
    assert [json.loads(x)["handle"] for x in only] == ["ann"]


def test_next_shows_a_follow_up_due_and_a_reply_stops_it(env):
    run("stage", "log", "ann", "pitched", "--at", "2024-06-01", "--force", *env)
    due = json.loads(run("next", "--as-of", "2024-06-08", "--format", "json", *env).stdout)
    assert [(i["action"], i["handle"], i["due"]) for i in due] == [("follow_up", "ann", "2024-06-08")]
    assert json.loads(run("next", "--as-of", "2024-06-07", "--format", "json", *env).stdout) == []
    run("stage", "log", "ann", "replied", "--at", "2024-06-08", *env)
    later = json.loads(run("next", "--as-of", "2024-06-20", "--format", "json", *env).stdout)
    assert [i for i in later if i["handle"] == "ann"] == []


def test_queue_and_export_with_the_real_ranker(env, tmp_path: Path):
    r = run("queue", "--format", "json", *env)
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)
    assert {x["handle"] for x in rows} == {"ann", "evil"}
    ann = next(x for x in rows if x["handle"] == "ann")
    assert ann["next_action"].startswith("Published 40 h ago") and ann["stage"] == "discovered"
    assert 'follow @ann, then comment on "SEO tips"' in ann["next_action"]
    out = tmp_path / "out" / "o.csv"
    r = run("export", "--out", str(out), "--kind", "authors", *env)
    assert r.exit_code == 0 and "Wrote 2 authors" in r.stderr
    with out.open(encoding="utf-8", newline="") as f:
        back = list(csv.DictReader(f))
    evil = next(x for x in back if x["handle"] == "evil")
    assert evil["name"] == '\'=HYPERLINK("http://x","y")' and evil["post_title"] == "'=cmd|' /C calc'!A0"
    r = run("export", "--out", str(tmp_path / "l.db" / "x.csv"), *env)
    assert r.exit_code == 1 and r.stderr.count("\n") == 1


def test_queue_and_next_agree_on_today_and_due_dates(env):
    """One "today" (the niche's as_of here, 2024-06-30) for every command: what queue says is due,
    next says is due, on the same day (issue 12 point 3; after `make demo` the niche fixes as_of too)."""
    assert run("stage", "log", "ann", "pitched", "--at", "2024-06-10", "--force", *env).exit_code == 0
    queue = {r["handle"]: r for r in json.loads(run("queue", "--format", "json", *env).stdout)}
    agenda = {i["handle"]: i for i in json.loads(run("next", "--format", "json", *env).stdout)}
    assert agenda["ann"]["action"] == "follow_up"
    assert queue["ann"]["due_date"] == agenda["ann"]["due"] == "2024-06-17"
    assert agenda["ann"]["overdue_days"] == 13  # next counted from 2024-06-30, not from the clock
    # Nothing logged, a post 28 h old: a comment due today in both, on the same post.
    assert queue["evil"]["due_date"] == agenda["evil"]["due"] == "2024-06-30"
    assert queue["evil"]["post_to_comment_on"] == agenda["evil"]["post_url"]
    assert agenda["evil"]["action"] == "comment" and agenda["evil"]["published"] == "published 28 h ago"
    same = json.loads(run("next", "--as-of", "2024-06-30", "--format", "json", *env).stdout)
    assert same == list(agenda.values())


def test_stage_show_and_list_derive_the_stage_on_the_one_today(env, tmp_path: Path):
    """`stage show` and `stage list` read the stage on --as-of, else the niche's as_of, else the clock,
    like every dated command: spent follow-ups read as no_response only from their day."""
    run("stage", "log", "ann", "pitched", "--at", "2024-06-01", "--force", *env)
    for d in ("2024-06-08", "2024-06-15"):
        assert run("stage", "log", "ann", "followed_up", "--at", d, *env).exit_code == 0

    def stage_on(*as_of: str, niche: list[str] = env) -> tuple[str, str]:
        shown = json.loads(run("stage", "show", "ann", *as_of, "--format", "json", *niche).stdout)["stage"]
        listed = json.loads(run("stage", "list", *as_of, "--format", "json", *niche).stdout)
        return shown, next(r["stage"] for r in listed if r["handle"] == "ann")

    assert stage_on() == ("no_response", "no_response")  # the niche's as_of, 2024-06-30
    assert stage_on("--as-of", "2024-06-20") == (
        "pitched",
        "pitched",
    )  # 7 days after the last follow-up: 06-22
    earlier = tmp_path / "earlier.toml"  # the niche's as_of wins over the clock (2026 and later)
    earlier.write_text(NICHE.replace('as_of = "2024-06-30"', 'as_of = "2024-06-21"'), encoding="utf-8")
    assert stage_on(niche=["--niche", str(earlier), env[2], env[3]]) == ("pitched", "pitched")
