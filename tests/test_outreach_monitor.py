from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from linkscout.core.niche import parse_niche
from linkscout.core.records import AuthorRecord, PageKind, PageResult, PostRecord, RecheckedPage
from linkscout.crawler.fixture_site import serve
from linkscout.crawler.recheck import http_pages
from linkscout.outreach.monitor import brand_pattern, monitor
from linkscout.outreach.tracker import events_of, log_event, state_of
from linkscout.store.db import transaction
from linkscout.store.write import write_results

NICHE = parse_niche({"niche": {"name": "n", "tags": ["seo"], "site": "trellisrank.com"}})
NOW = datetime(2026, 6, 10, 12, tzinfo=UTC)
OLD = "https://medium.com/@ann/old-post-0a0a0a0a0a0a"
NEW = "https://medium.com/@ann/new-post-1a2b3c4d5e6f"
FEED = "https://medium.com/feed/@ann"


def article(url: str, body: str, published: str = "2026-06-01T10:00:00Z") -> str:
    ld = {"@context": "http://schema.org", "@type": "NewsArticle", "headline": "A post", "url": url,
          "datePublished": published, "author": {"@type": "Person", "name": "Ann", "url": "https://medium.com/@ann"}}  # fmt: skip
    return (
        f'<html><head><title>A post</title><link rel="canonical" href="{url}"><meta property="og:type" content="article">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head>'
        f"<body><article><section>{body}</section></article></body></html>"
    )


def feed(*urls: str) -> str:
    items = "".join(
        f'<item><title>A post</title><link>{u}?source=rss</link><guid isPermaLink="false">https://medium.com/p/'
        f"{u.rsplit('-', 1)[1]}</guid><dc:creator>Ann</dc:creator><pubDate>Mon, 01 Jun 2026 10:00:00 GMT</pubDate></item>"
        for u in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>Stories by Ann on Medium</title><link>https://medium.com/@ann</link>{items}</channel></rss>"
    )


WITH_LINK = '<p>We use <a href="https://trellisrank.com/blog/x" rel="noopener ugc nofollow">this</a>.</p>'
WITHOUT = '<p>Nothing to see, <a href="https://ahrefs.com/">ahrefs</a>.</p>'


@pytest.fixture
def site(tmp_path: Path):
    d = tmp_path / "site"
    d.mkdir()
    (d / "index.json").write_text("{}", encoding="utf-8")
    server = serve(d)
    server.add_page(OLD, article(OLD, WITHOUT, "2026-05-25T10:00:00Z"))
    yield server
    server.close()


def seed_store(db: Database) -> None:
    """What this module's `db` (tests/conftest.py) holds."""
    old = PostRecord(
        id="0a0a0a0a0a0a", url=OLD, author="ann", published_at="2026-05-25T10:00:00Z", tags=("seo",)
    )
    with transaction(db):
        write_results(
            db,
            [PageResult(PageKind.ARTICLE, posts=[old], authors=[AuthorRecord("ann"), AuthorRecord("bob")])],
            "x",
        )
    log_event(
        db, NICHE.outreach, "author", "ann", "pitched", at=NOW - timedelta(days=12), now=NOW, force=True
    )
    log_event(db, NICHE.outreach, "author", "bob", "commented", at=NOW - timedelta(days=12), now=NOW)


def checks(db) -> list[tuple]:
    return db.execute("SELECT page_url, outcome, link_url, rel FROM monitor_checks ORDER BY id").fetchall()


def test_a_new_post_linking_the_site_is_a_win_with_evidence_and_losses_need_two_real_misses(site, db):
    with http_pages(site.url, user_agent="test") as fetch:
        _win_then_losses(site, db, fetch)


def _win_then_losses(site, db, fetch) -> None:
    first = monitor(db, NICHE, fetch, now=NOW)
    assert [(c.page_url, c.outcome, c.event) for c in first] == [(OLD, "missing", None)]  # bob is not pitched
    # The site gains a post that links to the user's site, listed in the author's feed.
    site.add_page(NEW, article(NEW, WITH_LINK))
    site.add_page(FEED, feed(NEW), content_type="application/rss+xml")
    second = monitor(db, NICHE, fetch, now=NOW)
    win = next(c for c in second if c.page_url == NEW)
    assert (win.outcome, win.event, win.link_url, win.rel) == ("found", "linked", "https://trellisrank.com/blog/x",
                                                               "noopener ugc nofollow")  # fmt: skip
    linked = [e for e in events_of(db, "author", "ann") if e.event == "linked"]
    assert (
        len(linked) == 1 and linked[0].url == NEW and "rel: noopener ugc nofollow" in (linked[0].note or "")
    )
    assert state_of(db, NICHE.outreach, "author", "ann", now=NOW).stage == "won"
    # Seen again: no second `linked` event. The new post is now in the store with its link.
    monitor(db, NICHE, fetch, now=NOW)
    assert sum(e.event == "linked" for e in events_of(db, "author", "ann")) == 1
    assert db.execute("SELECT host FROM links WHERE post_id = '1a2b3c4d5e6f'").fetchall() == [
        ("trellisrank.com",)
    ]
    # A single 5xx is not a miss.
    site.fail(NEW, status=503, times=1)
    third = monitor(db, NICHE, fetch, now=NOW)
    assert next(c for c in third if c.page_url == NEW).outcome == "failed"
    assert state_of(db, NICHE.outreach, "author", "ann", now=NOW).stage == "won"
    # The link disappears: one miss records no loss, a failure in between does not count, the second miss does.
    site.add_page(NEW, article(NEW, WITHOUT))
    monitor(db, NICHE, fetch, now=NOW)
    site.fail(NEW, status=500, times=1)
    monitor(db, NICHE, fetch, now=NOW)
    assert not any(e.event == "lost" for e in events_of(db, "author", "ann"))
    last = monitor(db, NICHE, fetch, now=NOW)
    assert next(c for c in last if c.page_url == NEW).event == "lost"
    assert [e.event for e in events_of(db, "author", "ann")] == ["pitched", "linked", "lost"]
    assert state_of(db, NICHE.outreach, "author", "ann", now=NOW).stage == "pitched"
    new_checks = [(o, link) for url, o, link, _ in checks(db) if url == NEW]
    assert [o for o, _ in new_checks] == ["found", "found", "failed", "missing", "failed", "missing"]
    # Every check is recorded, the old post's too.
    assert sum(1 for url, *_ in checks(db) if url == OLD) == 7  # one per run


def test_naming_the_product_without_a_link_is_a_mention(site, db):
    site.add_page(NEW, article(NEW, "<p>We moved our clusters to Trellis Rank last spring.</p>"))
    site.add_page(FEED, feed(NEW), content_type="application/rss+xml")
    with http_pages(site.url, user_agent="test") as fetch:
        got = monitor(db, NICHE, fetch, now=NOW)
        assert next(c for c in got if c.page_url == NEW).event == "mentioned"
        monitor(db, NICHE, fetch, now=NOW)
    assert [e.event for e in events_of(db, "author", "ann")] == ["pitched", "mentioned"]


def test_a_timeout_is_a_failed_check_not_a_miss(db):
    def fetch(url: str) -> RecheckedPage:
        return RecheckedPage(url, None, error="ReadTimeout")

    got = monitor(db, NICHE, fetch, now=NOW)
    assert [(c.outcome, c.detail) for c in got] == [("failed", "ReadTimeout")]


def test_brand_pattern_matches_the_domain_and_the_spaced_name_only():
    p = brand_pattern(NICHE)
    assert p is not None
    assert p.search("see trellisrank.com") and p.search("Trellis Rank rocks") and p.search("trellis-rank")
    assert not p.search("a trellis ranking") and not p.search("mytrellisrank")


def test_the_monitor_command_against_a_loopback_source(site, db, tmp_path: Path):
    from typer.testing import CliRunner

    from linkscout.cli.main import app

    niche = tmp_path / "niche.toml"
    niche.write_text('[niche]\nname = "n"\ntags = ["seo"]\nsite = "trellisrank.com"\n', encoding="utf-8")
    site.add_page(NEW, article(NEW, WITH_LINK))
    site.add_page(FEED, feed(NEW), content_type="application/rss+xml")
    db_file = db.execute("PRAGMA database_list").fetchone()[2]
    args = ["monitor", "--source", site.url, "--window-days", "30", "--niche", str(niche), "--db", db_file]
    r = CliRunner().invoke(app, [*args, "--format", "json"])
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)
    assert {(x["page_url"], x["outcome"], x["event"]) for x in rows} == {
        (OLD, "missing", None),
        (NEW, "found", "linked"),
    }
    assert "1 event logged (linked ann)" in r.stderr


def test_monitor_fetches_obey_robots_txt(site) -> None:
    site.add_page(
        "https://medium.com/robots.txt", b"User-agent: *\nDisallow: /m/\n", content_type="text/plain"
    )
    secret = "https://medium.com/m/signin?redirect=x"
    site.add_page(secret, b"<html>sign in</html>")
    with http_pages(site.url, user_agent="test") as fetch:
        refused = fetch(secret)
        allowed = fetch(OLD)
    assert refused.status is None and "robots.txt" in (refused.error or "")
    assert refused.failed  # a page we may not fetch is never counted as a miss
    assert allowed.status == 200
    assert not any("/m/signin" in path for _, _, path, _ in site.requests)
