"""A publication's guidelines page read into fields (issue 18, point 4): each field from the sentence
that states it (kept as evidence), None where the page does not say. Wording here is the project's
own; the real captures are read from ../shared (skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

from linkscout.core.records import Guidelines, LinkRecord
from linkscout.crawler.parse.guidelines import read_guidelines, sentences
from linkscout.crawler.parse.page import parse_html

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "fixtures" / "site"


def said(g: Guidelines) -> dict[str, object]:
    return {f: getattr(g, f) for f in Guidelines.FIELDS if getattr(g, f) is not None}


def evidence(g: Guidelines, field: str) -> list[str]:
    return [s for f, s in g.evidence if f == field]


def test_an_open_publication_by_email_with_every_rule_stated() -> None:
    g = read_guidelines(
        [
            "Roast Notes publishes practical stories about home espresso.",
            "We are always looking for new writers who pull shots at home.",
            "To be added as a writer, email your Medium handle and a short pitch to editors@roastnotes.example.",
            "We only accept unpublished drafts. Stories already on your profile will not be considered.",
            "No affiliate links, please, and include no more than two links to your own site.",
            "We reply within 10 days. If you have not heard from us after 14 days, consider it declined.",
        ],
        url="https://medium.com/roast-notes/write-for-us-0123456789ab",
    )
    assert said(g) == {
        "accepts_submissions": True,
        "how_to_submit": "email",
        "submit_to": "editors@roastnotes.example",
        "exclusivity": "unpublished only",
        "link_policy": "no affiliate links; max 2 links to your own site",
        "response_time": "within 10 days; no reply within 14 days means declined",
    }
    assert g.reprints is None  # the page says nothing about reprints: unknown, not "allowed"
    assert evidence(g, "accepts_submissions") == [
        "We are always looking for new writers who pull shots at home."
    ]
    assert evidence(g, "exclusivity") == ["We only accept unpublished drafts."]
    assert evidence(g, "response_time") == [
        "We reply within 10 days.", "If you have not heard from us after 14 days, consider it declined."
    ]  # fmt: skip
    assert g.url == "https://medium.com/roast-notes/write-for-us-0123456789ab"


def test_closed_wins_over_older_instructions_and_a_form_link_gives_the_address() -> None:
    g = read_guidelines(
        [
            "Submissions are currently closed while we clear the backlog.",
            "When we reopen, pitch us through the submission form linked here.",
            "Stories first published on your own blog are welcome with a canonical link to the original.",
            "Self-promotional pieces will be rejected.",
        ],
        [LinkRecord("https://forms.gle/abc123XYZ", None, "submission form")],
    )
    assert g.accepts_submissions is False
    assert evidence(g, "accepts_submissions") == [
        "Submissions are currently closed while we clear the backlog."
    ]
    assert (g.how_to_submit, g.submit_to) == ("form", "https://forms.gle/abc123XYZ")
    assert g.reprints == "reprints need a canonical link to the original"
    assert g.link_policy == "no self-promotion"
    assert g.exclusivity is None and g.response_time is None


def test_twitter_route_with_handle_then_medium_submission_and_disclosed_affiliates() -> None:
    g = read_guidelines(
        [
            "Want to write for us?",
            "Tweet your Medium username to @grindclub and we will add you as a writer.",
            "Then use Submit to publication from your draft's menu.",
            "Affiliate links are fine if you disclose them at the top of the story.",
            "Previously published stories are welcome too.",
            "We do not accept reprints from other sites.",
            "Expect an answer in 3-5 days.",
        ]
    )
    assert said(g) == {
        "accepts_submissions": True,
        "how_to_submit": "Twitter/DM; Medium's Submit to publication",
        "submit_to": "@grindclub",
        "exclusivity": "previously published accepted",
        "reprints": "no reprints",
        "link_policy": "affiliate links must be disclosed",
        "response_time": "within 3-5 days",
    }


def test_a_mailto_link_supplies_the_address_a_sentence_only_names() -> None:
    g = read_guidelines(
        ["Send your draft link to our editors by email."],
        [LinkRecord("mailto:desk@brew.example?subject=Pitch", None, "email")],
    )
    assert (g.how_to_submit, g.submit_to) == ("email", "desk@brew.example")


def test_nothing_is_guessed_from_sentences_that_state_no_rule() -> None:
    g = read_guidelines(
        [
            "I also earn a little from some affiliate marketing articles.",  # not a rule about links
            "We do not accept gifts, and we return the products we review.",  # not about submissions
            "Reviewing article submissions from many writers takes most of my week.",
            "Check your inbox: we sent you an email to confirm your subscription.",
            "A 3 minute read is about 650 words.",
            "Who we publish, how to submit a draft, and what happens next.",  # a topic, not an invitation
        ]
    )
    assert not g.said() and said(g) == {} and g.evidence == ()


def test_sentences_split_blocks_and_drop_nested_duplicates() -> None:
    blocks = ["Rules. Send drafts to a@b.example. Thanks!", "Send drafts to a@b.example."]
    assert sentences(blocks) == ["Send drafts to a@b.example."]  # "Rules." and "Thanks!" are too short


def test_real_support_post_and_about_page_are_read_but_state_nothing(captures_dir: Path) -> None:
    """Two real pages: a 'support this publication' post (detected as its guidelines post) and an
    about page about editorial standards. Neither says how to submit: every field stays None."""
    post = parse_html((captures_dir / "publication" /
                       "publication-personal-growth-support-post-submissions_2021-03_httrack.html").read_text())  # fmt: skip
    pg = {p.slug: p for p in post.publications}["personal-growth"].guidelines
    assert pg is not None and pg.url is not None and pg.url.endswith("-b0abd33f75b3")
    assert not pg.said()  # "affiliate marketing articles" and "reviewing article submissions" state no rule
    about = parse_html(
        (
            captures_dir / "publication" / "publication-onezero-about-customsubdomain_2021-03_httrack.html"
        ).read_text()
    )
    oz = {p.slug: p for p in about.publications}["one-zero"].guidelines
    assert oz is not None and oz.url == "https://onezero.medium.com/about"
    assert not oz.said()  # "We do not accept gifts" is not "no submissions"
    home = parse_html(
        (captures_dir / "publication" / "publication-swlh-the-startup-home_2021-03_httrack.html").read_text()
    )
    assert all(p.guidelines is None for p in home.publications)  # a home page is not a guidelines page
    contract = about.to_contract()["publications"][0]
    assert contract["guidelines"]["accepts_submissions"] is None


def test_fixture_guidelines_pages_differ_across_publications() -> None:
    index = json.loads((SITE / "index.json").read_text())
    read: dict[str, Guidelines] = {}
    for url, entry in index.items():
        path = entry.get("file") or ""
        if not any(w in path for w in ("write-for", "submission-guidelines")) or not path.endswith(".html"):
            continue
        for p in parse_html((SITE / path).read_text(), url=url).publications:
            if p.guidelines is not None:
                read[p.slug or ""] = p.guidelines
    assert len(read) >= 8
    assert read["link-building-weekly"].accepts_submissions is False  # on hiatus: says it is closed
    assert read["saas-growth-notes"].accepts_submissions is True
    assert len({g.how_to_submit for g in read.values()}) >= 3
    assert len({g.link_policy for g in read.values()}) >= 3
    assert any(g.response_time is None for g in read.values())  # some pages leave it unsaid
    assert any(g.exclusivity == "unpublished only" for g in read.values())
    assert any(g.exclusivity == "previously published accepted" for g in read.values())
    for g in read.values():  # every stated field has the sentence it came from
        assert {f for f, _ in g.evidence} >= set(said(g)) - {"submit_to"}


def test_fixture_guidelines_text_is_deterministic() -> None:
    from tools.fixture_gen.guidelines import guideline_blocks
    from tools.fixture_gen.world import build_world

    a, b = build_world(), build_world()
    for slug, pub in a.pubs.items():
        assert guideline_blocks(a, pub) == guideline_blocks(b, b.pubs[slug])
