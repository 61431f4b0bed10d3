"""A scripted month of outreach on the fixture niche, with an injected clock.

The loopback fixture site publishes new posts on given days (tools.fixture_gen.schedule, on top of
the committed site, which is not changed). Every morning at 09:00 UTC the script runs `watch`
against the site, reads the agenda, and does what it says (plus the replies, promises and answers
the other side sends on scripted days). It asserts the properties of issue 18's "Done when".

Cast (planted in the fixture world): @hannathorne (already links to trellisrank.com in five
posts, replies, is pitched, promises, links again: a win), @priya_bra (replies, pitched, never
answers: follow-up), @malik.bergstrom (never replies: cold after three comments); the Search Desk
and SaaS Growth Notes for one article's submission.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from linkscout.core.errors import RuleViolation
from linkscout.core.niche import BUNDLED_NICHE, parse_niche
from linkscout.crawler.fixture_site import serve
from linkscout.crawler.parse import parse_page
from linkscout.crawler.recheck import dir_pages
from linkscout.crawler.run import FIXTURE_SITE
from linkscout.crawler.watch import feed_fetcher, watch_dir, watch_feeds
from linkscout.outreach.agenda import agenda
from linkscout.outreach.monitor import monitor
from linkscout.outreach.tracker import log_event, state_of, tracked
from linkscout.store.db import open_db, transaction
from linkscout.store.write import write_results
from tools.fixture_gen import build_world
from tools.fixture_gen.schedule import planned, publish, save

START = datetime(2026, 11, 16, tzinfo=UTC)  # the day after the fixture world's as_of
A, B, C = "hannathorne", "priya_bra", "malik.bergstrom"
ARTICLE = "https://trellisrank.com/drafts/topic-clusters-for-small-teams"
GUIDE = "https://trellisrank.com/guides/topic-clusters"


def day(n: int, hour: int = 9) -> datetime:
    return datetime.combine((START + timedelta(days=n)).date(), time(hour), tzinfo=UTC)


def niche_with_assets():
    data = tomllib.loads(BUNDLED_NICHE.read_text(encoding="utf-8"))
    data.pop("as_of", None)
    data["niche"].pop("as_of", None)
    data["assets"] = {
        "topic-clusters": {"url": GUIDE, "title": "Topic cluster planner guide",
                           "keywords": ["topic cluster", "editorial calendar", "guest post"]},
        "pricing": {"url": "https://trellisrank.com/", "title": "Trellis Rank", "keywords": ["pricing"]},
    }  # fmt: skip
    return parse_niche(data)


SCHEDULE = {  # author -> days a new niche post appears (07:00 UTC)
    A: (1, 6, 11, 16),
    B: (2, 7, 12, 20),
    C: (1, 5, 9, 13, 17, 21),
}


@pytest.fixture(scope="module")
def world():
    return build_world()


@pytest.fixture
def env(tmp_path: Path, world):
    db = open_db(tmp_path / "month.db")
    index = json.loads((FIXTURE_SITE / "index.json").read_text(encoding="utf-8"))
    results = []
    for post in world.posts:  # the cast's existing articles, as a crawl would have stored them
        entry = index.get(post.url)
        if post.author in (A, B, C) and entry and entry.get("file"):
            results.append(parse_page((FIXTURE_SITE / entry["file"]).read_bytes(), post.url, status=200))
    with transaction(db):
        write_results(db, results, "2026-11-15T00:00:00Z")
    posts = {
        (who, n): planned(world, who, f"{who} notes for week {n}", day(n, 7),
                          links=[(GUIDE, "noopener ugc nofollow", "topic cluster guide")] if (who, n) == (A, 16) else ())
        for who, days in SCHEDULE.items() for n in days
    }  # fmt: skip
    server = serve(FIXTURE_SITE)
    yield db, server, posts, index
    server.close()


@pytest.mark.slow  # 30 simulated days against the loopback site: about 10 s
def test_a_month_of_outreach(env, world, tmp_path: Path):
    db, server, posts, index = env
    niche = niche_with_assets()
    rules = niche.outreach
    published: list = []
    seen_cold, pitch_cards, promised_days = [], {}, []

    def log(who, event, n, kind="author", **kw):
        return log_event(
            db, rules, kind, who, event, at=day(n), now=day(n), create=kind == "publication", **kw
        )

    for who in (A, B, C):
        log(who, "followed", 0)
    for n in range(30):
        now = day(n)
        published += [p for (who, d), p in posts.items() if d == n]
        publish(server, world, published)
        with feed_fetcher(server.url, niche) as fetch:
            targets = [(s.target_kind, s.target) for s in tracked(db, rules, now=now)]
            new = watch_feeds(db, targets, fetch).new
        # The cast's posts of the day are new (a newly tracked publication's feed brings its own too).
        cast_new = {p.post_id for p in new if p.kind == "author"}
        assert cast_new == {p.pid for (_who, d), p in posts.items() if d == n}

        # Scripted: what the other side does, and the submissions.
        if n == 3:
            log("searchdesk", "submitted", n, kind="publication", article=ARTICLE)
        if n == 4:
            with pytest.raises(RuleViolation, match="already submitted to searchdesk and pending"):
                log("saas-growth-notes", "submitted", n, kind="publication", article=ARTICLE)
            log("saas-growth-notes", "submitted", n, kind="publication", article=ARTICLE, force=True)
        if n == 8:
            log(B, "replied", n, url=posts[(B, 7)].url)
        if n == 10:
            log("searchdesk", "accepted", n, kind="publication")
        if n == 12:
            log(A, "replied", n, url=posts[(A, 11)].url, note="Glad you liked it, happy to talk")
        if n == 14:
            log(A, "promised", n, note="will add your guide to the next post")

        items = agenda(db, niche, now=now)
        for item in items:
            if item.action == "comment":  # every suggested comment is inside the 48-hour window
                assert item.published_hours_ago is not None and item.published_hours_ago <= 48, item
                assert item.detail.startswith(f"Published {item.published_hours_ago:.0f} h ago")
            if item.action == "wait":
                assert "48-hour window has passed" in item.detail or "No niche post by" in item.detail
            if item.action == "chase_submission":  # the acceptance closed the other chase
                assert n < 10
            if item.action == "cold":
                seen_cold.append((n, item.handle))
            if item.action == "check_link":
                promised_days.append(n)
        for item in items:
            if item.action == "comment":
                log(item.handle, "commented", n, url=item.post_url)
            elif item.action == "pitch":
                pitch_cards[item.handle] = item.card
                log(item.handle, "pitched", n, url=item.post_url)
            elif item.action == "follow_up":
                log(item.handle, "followed_up", n)

    comments = {w: [e.day for e in state_of(db, rules, "author", w, now=day(29)).events if e.event == "commented"]
                for w in (A, B, C)}  # fmt: skip
    # Never a fourth unanswered comment: the cold exit after three, said once.
    assert len(comments[C]) == 3 and seen_cold == [(13, C)]
    assert state_of(db, rules, "author", C, now=day(29)).stage == "cold"
    # Each comment was on a post published that day or the day before.
    assert comments[A] == [day(n).date() for n in (1, 6, 11)]
    # Pitch cards: routes from the store, the reply that opened the door, a matched asset with UTM.
    card = pitch_cards[A]
    assert card["opened_by"]["event"] == "replied" and card["opened_by"]["at"].startswith("2026-11-28")
    assert card["contact"].startswith("publication editor https://medium.com/searchdesk/about")
    assert (
        card["assets"][0]["key"] == "topic-clusters"
        and "utm_content=hannathorne" in card["assets"][0]["utm_url"]
    )
    assert "utm_term=topic-clusters" in card["assets"][0]["utm_url"] and card["warnings"] == []
    assert pitch_cards[B]["contact"].startswith("twitter https://x.com/priyabran")
    # A promised author stays on the agenda until the link appears.
    assert promised_days and min(promised_days) == 14

    # Monitor on a saved-pages folder: the links A made before any outreach are "already links to
    # you"; the new one after the pitch is the win, dated by its post.
    folder = tmp_path / "saved"
    folder.mkdir()
    for post in world.posts:
        entry = index.get(post.url)
        if post.author == A and entry and entry.get("file"):
            shutil.copy(FIXTURE_SITE / entry["file"], folder / f"{post.pid}.html")
    save(folder, world, [p for (who, d), p in posts.items() if who == A])
    checks = monitor(db, niche, dir_pages(folder), now=day(29), window_days=120)
    events = [c.event for c in checks if c.event]
    assert "linked" in events and events.count("already_links") >= 1
    st = state_of(db, rules, "author", A, now=day(29))
    assert st.stage == "won"
    assert [e.url for e in st.summary.wins] == [posts[(A, 16)].url]
    assert st.summary.wins[0].at == day(16, 7)
    assert all(e.at < st.summary.first_contact for e in st.summary.unprompted)

    # Watch on a saved-pages folder: a post saved from a browser is recorded as new.
    later = planned(world, B, "priya_bra saved from the browser", day(29, 6))
    saved = tmp_path / "saved-feeds"
    save(saved, world, [later])
    result = watch_dir(db, [("author", B)], saved)
    assert [p.post_id for p in result.new] == [later.pid]
