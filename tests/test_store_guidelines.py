"""Guidelines fields in the store (migration m012), merged per publication, and shown where a
publication's facts appear: the rationale (rank, queue cards, report), the queue's next step and the
export's columns."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from linkscout.core.niche import parse_niche
from linkscout.core.records import Guidelines, PageKind, PageResult, PostRecord, PublicationRecord
from linkscout.graph.explain import describe_guidelines
from linkscout.outreach.prospect import ProspectContext, column_names, prospect_rows
from linkscout.outreach.queue import build_queue
from linkscout.store.db import open_db, transaction
from linkscout.store.guidelines import publication_guidelines
from linkscout.store.write import write_results

POST = "https://medium.com/brew/write-for-brew-0123456789ab"
ABOUT = "https://medium.com/brew/about"
NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)
NICHE = parse_niche({"niche": {"name": "espresso", "tags": ["espresso"], "keywords": ["espresso"]},
                     "quality": {"min_followers": 0, "min_niche_posts_90d": 0}})  # fmt: skip


def write(db, slug: str, g: Guidelines, seen: str, submission: str | None = POST) -> None:
    pub = PublicationRecord(slug, name=slug.title(), followers=900, submission_url=submission, guidelines=g)
    with transaction(db):
        write_results(db, [PageResult(PageKind.PUBLICATION, publications=[pub])], seen)


def test_submission_page_first_then_about_page_fills_what_it_left_unsaid(tmp_path: Path) -> None:
    db = open_db(tmp_path / "g.db")
    post = Guidelines(POST, accepts_submissions=True, how_to_submit="email", submit_to="ed@brew.example",
                      evidence=(("accepts_submissions", "We welcome new writers."),
                                ("how_to_submit", "Email ed@brew.example.")))  # fmt: skip
    about = Guidelines(ABOUT, accepts_submissions=False, response_time="within 7 days",
                       evidence=(("accepts_submissions", "Submissions are closed."),
                                 ("response_time", "We reply within 7 days.")))  # fmt: skip
    write(db, "brew", about, "2026-06-02T00:00:00Z")
    write(db, "brew", post, "2026-06-01T00:00:00Z")
    g = publication_guidelines(db)["brew"]
    assert g.url == POST  # the submission page leads
    assert (g.accepts_submissions, g.how_to_submit, g.submit_to, g.response_time) == (
        True, "email", "ed@brew.example", "within 7 days"
    )  # fmt: skip
    assert g.exclusivity is None and g.link_policy is None  # no page says: unknown
    assert g.evidence == (
        ("accepts_submissions", "We welcome new writers."),
        ("how_to_submit", "Email ed@brew.example."),
        ("response_time", "We reply within 7 days."),
    )


def test_a_page_read_again_replaces_what_it_said_unless_the_copy_is_older(tmp_path: Path) -> None:
    db = open_db(tmp_path / "g.db")
    write(
        db, "brew", Guidelines(POST, accepts_submissions=True, link_policy="no affiliate links"), "2026-06-01"
    )
    write(db, "brew", Guidelines(POST, accepts_submissions=False), "2026-06-10")
    g = publication_guidelines(db)["brew"]
    assert g.accepts_submissions is False and g.link_policy is None  # the page no longer says it
    write(db, "brew", Guidelines(POST, accepts_submissions=True), "2026-05-01")  # an older archived copy
    assert publication_guidelines(db)["brew"].accepts_submissions is False


def test_wording_states_what_the_page_says_and_what_it_leaves_unsaid() -> None:
    g = Guidelines(POST, accepts_submissions=True, how_to_submit="email; Twitter/DM",
                   submit_to="ed@brew.example; @brew", link_policy="no affiliate links; max 2 links")  # fmt: skip
    assert describe_guidelines(g) == [
        f"Guidelines ({POST}): takes submissions; submit by email / Twitter/DM (ed@brew.example, @brew); "
        "links: no affiliate links, max 2 links; not stated: exclusivity, reprints/canonical, response time."
    ]
    assert describe_guidelines(Guidelines(ABOUT)) == [
        f"Guidelines page {ABOUT} says nothing about taking submissions."
    ]
    assert describe_guidelines(None) == []


def test_queue_card_next_step_and_export_carry_the_guidelines(tmp_path: Path) -> None:
    db = open_db(tmp_path / "q.db")
    posts = [PostRecord(f"{i:012x}", f"Espresso {i}", f"https://medium.com/{s}/p-{i:012x}", author=f"w{i}",
                        publication=s, tags=("espresso",), published_at=f"2026-06-{20 + i}T00:00:00Z", claps=50)
             for i, s in enumerate(("brew", "brew", "shut", "shut"), 1)]  # fmt: skip
    with transaction(db):
        write_results(db, [PageResult(PageKind.ARTICLE, posts=posts)], "2026-06-29")
    write(db, "brew", Guidelines(POST, accepts_submissions=True, exclusivity="unpublished only",
                                 evidence=(("accepts_submissions", "We welcome new writers."),)), "2026-06-29")  # fmt: skip
    shut = "https://medium.com/shut/submission-guidelines-abcdef012345"
    write(db, "shut", Guidelines(shut, accepts_submissions=False,
                                 evidence=(("accepts_submissions", "Submissions are closed for now."),)),
          "2026-06-29", submission=shut)  # fmt: skip
    rows = {r.handle: r for r in build_queue(db, NICHE, kind="publications", as_of=NOW)}
    assert any(
        s.startswith(f"Guidelines ({POST}): takes submissions; unpublished only;")
        for s in rows["brew"].reasons
    )
    assert rows["brew"].next_step == f"Read the submission guidelines at {POST}"
    assert rows["shut"].next_step.startswith(
        "Not taking submissions, its guidelines say (“Submissions are closed for now.”"
    )
    out = {
        d["slug"]: d
        for d in prospect_rows("publications", list(rows.values()), ProspectContext.load(db, NICHE, NOW))
    }
    assert {"accepts_submissions", "how_to_submit", "exclusivity", "link_policy", "response_time"} <= set(
        column_names("publications")
    )
    assert (out["brew"]["accepts_submissions"], out["brew"]["exclusivity"], out["brew"]["response_time"]) == (
        True, "unpublished only", None
    )  # fmt: skip
    assert out["shut"]["accepts_submissions"] is False
