"""The README's month of outreach, for real: the scripted month of tests/test_outreach_month.py on
the fixture niche, printing what a user would see on the days that matter.

    python -m tools.month_demo
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import tomllib
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from linkscout.cli.next_cmd import print_agenda
from linkscout.cli.render import Format, render
from linkscout.core.errors import RuleViolation
from linkscout.core.niche import BUNDLED_NICHE, parse_niche
from linkscout.crawler.fixture_site import serve
from linkscout.crawler.parse import parse_page
from linkscout.crawler.recheck import dir_pages
from linkscout.crawler.run import FIXTURE_SITE
from linkscout.crawler.watch import feed_fetcher, watch_feeds
from linkscout.outreach.agenda import agenda, todays_agenda
from linkscout.outreach.monitor import monitor
from linkscout.outreach.tracker import log_event, tracked
from linkscout.store.db import open_db, transaction
from linkscout.store.write import write_results
from tools.fixture_gen import build_world
from tools.fixture_gen.schedule import planned, publish, save

START = datetime(2026, 11, 16, tzinfo=UTC)
A, B, C = "hannathorne", "priya_bra", "malik.bergstrom"
ARTICLE = "https://trellisrank.com/drafts/topic-clusters-for-small-teams"
GUIDE = "https://trellisrank.com/guides/topic-clusters"
SCHEDULE = {A: (1, 6, 11, 16), B: (2, 7, 12, 20), C: (1, 5, 9, 13, 17, 21)}
SHOW = {1, 4, 5, 12, 13, 15, 20}


def day(n: int, hour: int = 9) -> datetime:
    return datetime.combine((START + timedelta(days=n)).date(), time(hour), tzinfo=UTC)


def main() -> int:
    data = tomllib.loads(BUNDLED_NICHE.read_text(encoding="utf-8"))
    data["niche"].pop("as_of", None)
    data["assets"] = {
        "topic-clusters": {"url": GUIDE, "title": "Topic cluster planner guide",
                           "keywords": ["topic cluster", "editorial calendar", "guest post"]},
    }  # fmt: skip
    niche = parse_niche(data)
    rules = niche.outreach
    world = build_world()
    tmp = Path(tempfile.mkdtemp(prefix="linkscout-month-"))
    db = open_db(tmp / "month.db")
    index = json.loads((FIXTURE_SITE / "index.json").read_text(encoding="utf-8"))
    results = [
        parse_page((FIXTURE_SITE / index[p.url]["file"]).read_bytes(), p.url, status=200)
        for p in world.posts
        if p.author in (A, B, C) and index.get(p.url, {}).get("file")
    ]
    with transaction(db):
        write_results(db, results, "2026-11-15T00:00:00Z")
    posts = {
        (who, n): planned(world, who, f"{who} notes for week {n}", day(n, 7),
                          links=[(GUIDE, "noopener ugc nofollow", "topic cluster guide")] if (who, n) == (A, 16) else ())
        for who, days in SCHEDULE.items() for n in days
    }  # fmt: skip

    def log(who: str, event: str, n: int, kind: str = "author", **kw: object) -> None:
        out = log_event(
            db, rules, kind, who, event, at=day(n), now=day(n), create=kind == "publication", **kw
        )  # type: ignore[arg-type]
        who_s = f"@{who}" if kind == "author" else who
        print(f"$ linkscout stage log {who_s} {event}" + (" -p --article DRAFT" if kind != "author" else ""))
        print(f"Logged {event} for {who_s}; stage: {out.stage}")
        for w in out.warnings:
            print(f"Warning: {w}")

    server = serve(FIXTURE_SITE)
    published: list = []
    for who in (A, B, C):
        log_event(db, rules, "author", who, "followed", at=day(0), now=day(0))
    for n in range(30):
        now = day(n)
        published += [p for (_w, d), p in posts.items() if d == n]
        publish(server, world, published)
        with feed_fetcher(server.url, niche) as fetch:
            targets = [(s.target_kind, s.target) for s in tracked(db, rules, now=now)]
            new = watch_feeds(db, targets, fetch).new
        if n in SHOW:
            print(f"\n### Day {n}: {now.date()}\n")
            mine = [p for p in new if p.kind == "author"]
            if mine:
                print("$ linkscout watch --source live")
                print("\n".join(f"new: @{p.handle} {p.title!r} {p.url}" for p in mine))
        if n == 3:
            log_event(
                db,
                rules,
                "publication",
                "searchdesk",
                "submitted",
                at=now,
                now=now,
                create=True,
                article=ARTICLE,
            )
        if n == 4:
            try:
                log_event(db, rules, "publication", "saas-growth-notes", "submitted", at=now, now=now, create=True,
                          article=ARTICLE)  # fmt: skip
            except RuleViolation as e:
                print(f"$ linkscout stage log saas-growth-notes submitted -p --article {ARTICLE}")
                print(f"Error: {e}")
        if n == 8:
            log_event(db, rules, "author", B, "replied", at=now, now=now, url=posts[(B, 7)].url)
        if n == 10:
            log_event(db, rules, "publication", "searchdesk", "accepted", at=now, now=now)
        if n == 12:
            log_event(db, rules, "author", A, "replied", at=now, now=now, url=posts[(A, 11)].url)
        if n == 14:
            log_event(db, rules, "author", A, "promised", at=now, now=now, note="will add your guide")
        items = agenda(db, niche, now=now)
        if n in SHOW:
            print(f"$ linkscout next --as-of {now.date()}")
            shown = todays_agenda(db, niche, on=now.date(), now=now)  # what `next` prints: the queue too
            if shown:
                sys.stdout.flush()
                print_agenda(shown, now.date())
            else:
                print(f"Nothing due on {now.date()}. `linkscout queue` lists whom to start with.")
            for i in items:
                if i.action == "pitch":
                    print(f"Pitch card for @{i.handle}:")
                    print(json.dumps(i.card, indent=2))
        for i in items:
            if i.action == "comment":
                log_event(db, rules, "author", i.handle, "commented", at=now, now=now, url=i.post_url)
            elif i.action == "pitch":
                log_event(db, rules, "author", i.handle, "pitched", at=now, now=now)
            elif i.action == "follow_up":
                log_event(db, rules, "author", i.handle, "followed_up", at=now, now=now)
    server.close()
    folder = tmp / "saved"
    folder.mkdir()
    for p in world.posts:
        if p.author == A and index.get(p.url, {}).get("file"):
            shutil.copy(FIXTURE_SITE / index[p.url]["file"], folder / f"{p.pid}.html")
    save(folder, world, [p for (w, _d), p in posts.items() if w == A])
    print(f"\n### Day 29: {day(29).date()}\n\n$ linkscout monitor --source ~/saved-pages --handle {A}")
    checks = [
        c
        for c in monitor(db, niche, dir_pages(folder), now=day(29), window_days=120, only=A)
        if c.outcome == "found"
    ]
    render([{"page_url": c.page_url, "event": c.event, "detail": c.detail} for c in checks], Format.table,
           columns=["page_url", "event", "detail"], wrap=["detail"])  # fmt: skip
    print("$ linkscout stage list")
    render([{"handle": s.target, "kind": s.target_kind, "stage": s.stage} for s in tracked(db, rules, now=day(29))],
           Format.table, columns=["kind", "handle", "stage"])  # fmt: skip
    shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
