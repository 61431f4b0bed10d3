from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from linkscout.core.niche import parse_niche
from linkscout.core.records import (
    AuthorRecord,
    LinkRecord,
    PageKind,
    PageResult,
    PostRecord,
    PublicationRecord,
)
from linkscout.outreach.queue import build_queue, describe_rel, utm_url
from linkscout.outreach.tracker import log_event
from linkscout.store.db import transaction
from linkscout.store.write import write_results

NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)
NICHE = parse_niche(
    {
        "niche": {"name": "seo for saas", "tags": ["seo"], "keywords": ["link building"], "site": "example.com",
                  "competitors": ["ahrefs.com"]},
        "quality": {"min_followers": 200, "min_niche_posts_90d": 2},
        "outreach": {"recent_contact_days": 14},
    }
)  # fmt: skip


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


_n = 0


def post(author: str, hours_ago: float, *, tags=("seo",), title=None, links=None, pub=None) -> PostRecord:
    global _n
    _n += 1
    pid = f"{_n:012x}"
    return PostRecord(
        id=pid, title=title or f"Post {_n} by {author}", url=f"https://medium.com/@{author}/p-{pid}", author=author,
        publication=pub, tags=tuple(tags), published_at=iso(NOW - timedelta(hours=hours_ago)), links=links,
    )  # fmt: skip


def seed_store(db: Database) -> None:
    """What this module's `db` (tests/conftest.py) holds."""
    authors = [
        AuthorRecord("ann", name="Ann", followers=900),
        AuthorRecord("bob", name="Bob", followers=50),  # below min_followers
        AuthorRecord("cy", name="Cy"),  # followers unknown: not a failure
        AuthorRecord("dee", name="Dee", followers=5000),  # do not contact
        AuthorRecord("eve", name="Eve", followers=5000),  # won
        AuthorRecord("fay", name="Fay", followers=5000),  # contacted 3 days ago
        AuthorRecord("gus", name="Gus", followers=5000),  # one niche post in 90 days
    ]
    posts = [
        post("ann", 20, title="Fresh SEO"), post("ann", 24 * 10, title="Older SEO"), post("ann", 2, tags=("cooking",)),
        post("bob", 10), post("bob", 30),
        post("cy", 24 * 5, title="Links that work",
             links=(LinkRecord("https://ahrefs.com/blog/x", "noopener ugc nofollow", "ahrefs"),)),
        post("cy", 24 * 40),
        post("dee", 5), post("dee", 50), post("eve", 5), post("eve", 50), post("fay", 5), post("fay", 50),
        post("gus", 5), post("gus", 24 * 100),
        post("ann", 24 * 3, pub="growth", title="Growth piece"), post("bob", 24 * 4, pub="growth"), post("cy", 24 * 6, pub="nosub"),
        post("dee", 24 * 7, pub="nosub"),
    ]  # fmt: skip
    pubs = [
        PublicationRecord(
            "growth", name="Growth", followers=4000, submission_url="https://medium.com/growth/write"
        ),
        PublicationRecord("nosub", name="No Sub", followers=4000),
    ]
    with transaction(db):
        write_results(
            db, [PageResult(PageKind.ARTICLE, posts=posts, authors=authors, publications=pubs)], "x"
        )
    rules = NICHE.outreach
    log_event(db, rules, "author", "dee", "do_not_contact", at=NOW - timedelta(days=60), now=NOW)
    log_event(db, rules, "author", "eve", "stage_set", stage="won", at=NOW - timedelta(days=60), now=NOW)
    log_event(db, rules, "author", "fay", "commented", at=NOW - timedelta(days=3), now=NOW)


@dataclass(frozen=True)
class FakeEntry:
    rank: int
    kind: str
    key: str
    name: str | None
    url: str | None
    score: float
    components: dict[str, float] = field(default_factory=dict)
    rationale: tuple[str, ...] = ()
    evidence: Any = None


def fake_rank(order: dict[str, list[str]]):
    calls = []

    def rank_fn(db, niche, *, kind, as_of=None, limit=None, where=None):
        calls.append((kind, as_of))
        ranked = [(i, k) for i, k in enumerate(order[kind], start=1) if where is None or where(k)]
        return [
            FakeEntry(i, kind[:-1], k, k.title(), f"https://medium.com/@{k}", 1 - i / 10, {"relevance": 0.5},
                      (f"{k} is on topic.", "Posts weekly."))
            for i, k in ranked[:limit]
        ]  # fmt: skip

    rank_fn.calls = calls  # type: ignore[attr-defined]
    return rank_fn


RANKS = {
    "authors": ["dee", "ann", "bob", "eve", "cy", "fay", "gus"],
    "publications": ["nosub", "growth"],
}


def test_author_queue_applies_quality_and_the_outreach_log(db):
    rank_fn = fake_rank(RANKS)
    rows = build_queue(db, NICHE, kind="authors", as_of=NOW, rank_fn=rank_fn)
    assert [(r.rank, r.handle) for r in rows] == [(2, "ann"), (5, "cy")]
    assert rank_fn.calls == [("authors", NOW.date())]
    ann = rows[0]
    assert ann.stage == "discovered" and ann.rationale == "ann is on topic. Posts weekly."
    assert ann.suggested_post == "Fresh SEO" and ann.next_step.startswith("Published 20 h ago (2026-06-29)")
    assert 'inside the 48-hour window: follow @ann, then comment on "Fresh SEO"' in ann.next_step
    assert ann.due == NOW.date() and ann.action == "comment"
    cy = rows[1]  # freshest niche post is 5 days old: the window has passed, the next post is the moment
    assert cy.suggested_post is None and cy.suggested_post_url is None and cy.due is None
    assert cy.next_step == (
        'Latest niche post 5 days ago ("Links that work", 2026-06-25) — the 48-hour window has passed. '
        "Follow @cy, then comment on their next niche post within 48 h of publishing (`linkscout watch` finds it)"
    )


def test_a_commented_post_is_not_suggested_again_and_the_next_comment_waits(db):
    first = build_queue(db, NICHE, kind="authors", as_of=NOW, rank_fn=fake_rank(RANKS))[0]
    log_event(db, NICHE.outreach, "author", "ann", "commented", url=first.suggested_post_url,
              at=NOW - timedelta(days=15), now=NOW)  # fmt: skip
    again = build_queue(db, NICHE, kind="authors", as_of=NOW, rank_fn=fake_rank(RANKS))[0]
    assert (
        again.handle == "ann" and again.stage == "engaging" and again.last_contact == "2026-06-15T12:00:00Z"
    )
    # Her other niche post ("Growth piece") is past the 48-hour window: not suggested; due as `next`'s
    # wait item is, on the day spacing allows a comment (min_days_between_comments after hers).
    assert again.suggested_post is None and again.due == (NOW - timedelta(days=11)).date()
    assert again.next_step.startswith("Latest niche post") and '("Growth piece"' in again.next_step
    assert "Comment on their next niche post within 48 h" in again.next_step


def test_recent_contact_expires_after_recent_contact_days(db):
    later = NOW + timedelta(days=12)  # fay's comment is now 15 days old
    keys = [r.handle for r in build_queue(db, NICHE, kind="authors", as_of=later, rank_fn=fake_rank(RANKS))]
    assert "fay" in keys and "dee" not in keys and "eve" not in keys


def test_publication_queue_points_at_the_submission_guidelines(db):
    rows = build_queue(db, NICHE, kind="publications", as_of=NOW, rank_fn=fake_rank(RANKS))
    by = {r.handle: r for r in rows}
    assert by["growth"].next_step == "Read the submission guidelines at https://medium.com/growth/write"
    assert by["nosub"].next_step.startswith("No submission page found")
    log_event(db, NICHE.outreach, "publication", "growth", "guidelines_read", at=NOW, now=NOW)
    row = build_queue(db, NICHE, kind="publications", as_of=NOW, rank_fn=fake_rank(RANKS))
    growth = next(r for r in row if r.handle == "growth")
    assert (
        growth.stage == "guidelines_read"
        and growth.next_step.startswith("Submit a draft")
        and growth.links_site
    )


def test_link_queue_says_which_post_links_to_which_competitor_and_how(db):
    rows = build_queue(db, NICHE, kind="links", as_of=NOW, rank_fn=fake_rank(RANKS))
    assert [r.handle for r in rows] == ["cy"]
    cy = rows[0]
    assert cy.competitor == "ahrefs.com" and cy.rel == "noopener ugc nofollow"
    assert "links to ahrefs.com (ugc, nofollow)" in cy.next_step and '"Links that work"' in cy.next_step
    assert cy.rationale.startswith("Links to ahrefs.com (ugc, nofollow)") and cy.links_site


def test_limit_applies_after_filtering(db):
    rows = build_queue(db, NICHE, kind="authors", as_of=NOW, limit=1, rank_fn=fake_rank(RANKS))
    assert [r.handle for r in rows] == ["ann"]


def test_utm_url_and_rel_wording():
    assert (
        utm_url(NICHE)
        == "https://example.com/?utm_source=medium&utm_medium=referral&utm_campaign=seo%20for%20saas"
    )
    assert describe_rel(None) == "followed (no nofollow/ugc)"
    assert describe_rel("noopener nofollow") == "nofollow"


def test_the_real_ranker_feeds_the_same_filters(db):
    rows = build_queue(db, NICHE, kind="authors", as_of=NOW)  # graph.rank.rank
    assert {r.handle for r in rows} == {"ann", "cy"}
    assert all(r.rationale and r.score is not None and r.components for r in rows)
    assert [r.handle for r in build_queue(db, NICHE, kind="links", as_of=NOW)] == ["cy"]


def test_show_excluded_lists_everyone_left_out_with_a_plain_reason(db):
    from linkscout.outreach.queue import excluded_entries

    out = excluded_entries(db, NICHE, kind="authors", as_of=NOW, rank_fn=fake_rank(RANKS))
    assert [(x.rank, x.handle, x.status) for x in out] == [
        (1, "dee", "not in the queue"), (3, "bob", "not in the queue"), (4, "eve", "not in the queue"),
        (6, "fay", "not in the queue"), (7, "gus", "not in the queue"),
    ]  # fmt: skip
    reasons = {x.handle: x.reason for x in out}
    assert reasons == {
        "dee": "do-not-contact",
        "bob": "below the quality bar: 50 followers, min_followers = 200",
        "eve": "won: they link to you",
        "fay": "contacted on 2026-06-27 (recent_contact_days = 14); back from 2026-07-11",
        "gus": "below the quality bar: 1 niche post in the last 90 days, min_niche_posts_90d = 2",
    }
    # The queue and the excluded list split the ranking between them.
    kept = {r.handle for r in build_queue(db, NICHE, kind="authors", as_of=NOW, rank_fn=fake_rank(RANKS))}
    assert kept | set(reasons) == set(RANKS["authors"]) and not kept & set(reasons)


def test_an_author_who_already_links_to_the_site_is_thanked_not_cold_commented(db):
    mine = post(
        "ann", 24 * 2, title="Our stack", links=(LinkRecord("https://www.example.com/guide", None, "guide"),)
    )
    with transaction(db):
        write_results(db, [PageResult(PageKind.ARTICLE, posts=[mine], authors=[AuthorRecord("ann")])], "y")
    rows = build_queue(db, NICHE, kind="authors", as_of=NOW, rank_fn=fake_rank(RANKS))
    ann = next(r for r in rows if r.handle == "ann")
    assert ann.next_step.startswith(f"Already links to you (1 link, latest in {mine.url} on ")
    assert ann.reasons[0] == "Already links to your site 1 time."
    assert not next(r for r in rows if r.handle == "cy").next_step.startswith("Already")


def test_a_penalised_entry_still_queued_says_it_is_in_the_queue(db):
    """Issue 18 point 7: a queued entry's penalty must not read as an exclusion."""
    from linkscout.graph.explain import as_queued

    def rank_fn(db, niche, *, kind, as_of=None, limit=None, where=None):
        keys = [k for k in RANKS[kind] if where is None or where(k)]
        why = ("On topic.", "Ranked lower: few readers, a median of 3 claps per niche post.")
        return [FakeEntry(i, kind[:-1], k, k, None, 0.5, {}, why) for i, k in enumerate(keys, 1)][:limit]

    ann = next(
        r for r in build_queue(db, NICHE, kind="authors", as_of=NOW, rank_fn=rank_fn) if r.handle == "ann"
    )
    assert "In the queue, ranked lower: few readers, a median of 3 claps per niche post." in ann.reasons
    assert not any(r.startswith("Ranked lower") or "Held back" in r for r in ann.reasons)
    assert "In the queue, ranked lower: few readers" in ann.rationale
    assert as_queued("On topic.") == "On topic."


def test_link_queue_names_the_most_specific_link_and_puts_the_worthiest_lead_first(db):
    """Issue 18 point 8: a competitor's guide over its homepage; leads ordered by the backlinks component."""
    home = post(
        "ann", 24, title="Newer, homepage", links=(LinkRecord("https://ahrefs.com/", None, "Ahrefs"),)
    )
    guide = post("ann", 48, title="Older, guide",
                 links=(LinkRecord("https://ahrefs.com/blog/link-building-guide", None, "guide"),))  # fmt: skip
    with transaction(db):
        write_results(
            db, [PageResult(PageKind.ARTICLE, posts=[home, guide], authors=[AuthorRecord("ann")])], "y"
        )
    worth = {"ann": 0.2, "cy": 0.6}

    def rank_fn(db, niche, *, kind, as_of=None, limit=None, where=None):
        keys = [k for k in RANKS[kind] if where is None or where(k)]
        return [FakeEntry(i, "author", k, k, None, 1 - i / 10, {"backlinks": worth.get(k, 0.0)}, ("x",))
                for i, k in enumerate(keys, 1)][:limit]  # fmt: skip

    rows = build_queue(db, NICHE, kind="links", as_of=NOW, rank_fn=rank_fn)
    assert [r.handle for r in rows] == ["cy", "ann"]  # ann ranks higher overall, cy is the better lead
    ann = rows[1]
    assert (
        ann.link_url == "https://ahrefs.com/blog/link-building-guide" and ann.suggested_post == "Older, guide"
    )
