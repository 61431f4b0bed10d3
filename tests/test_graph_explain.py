"""Every rationale sentence is backed by the store: cited posts, tags, links, publications and
authors exist, and every URL or quoted title a sentence mentions is among the cited evidence."""

from __future__ import annotations

import re

import pytest
from helpers_graph import NICHE, world_db

from linkscout.graph.rank import rank

_URL = re.compile(r"https?://[^\s,;)]+")
_TITLE = re.compile(r"“([^”]+)”")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    return world_db(tmp_path_factory.mktemp("explain") / "w.db")


def all_entries(world):
    return [e for kind in ("authors", "publications", "tags") for e in rank(world, NICHE, kind=kind)]


def test_every_cited_item_resolves_against_the_store(world) -> None:
    conn = world.conn
    entries = all_entries(world)
    assert {e.kind for e in entries} == {"author", "publication"}  # the world has no tag worth suggesting
    for e in entries:
        ev = e.evidence
        assert ev.posts, e.key
        for p in ev.posts:
            row = conn.execute(
                "SELECT title, url, published_at, claps, responses FROM posts WHERE id = ?", (p.id,)
            ).fetchone()
            assert row == (p.title, p.url, p.published_at, p.claps, p.responses), (e.key, p.id)
        for t in ev.tags:
            assert conn.execute("SELECT 1 FROM tags WHERE slug = ?", (t,)).fetchone(), t
        for link in ev.links:
            row = conn.execute("SELECT url, rel FROM links WHERE post_id = ? AND position = ?",
                               (link.post_id, link.position)).fetchone()  # fmt: skip
            assert row == (link.url, link.rel)
        for slug in ev.publications:
            assert conn.execute("SELECT 1 FROM publications WHERE slug = ?", (slug,)).fetchone(), slug
        for user in ev.authors:
            assert conn.execute("SELECT 1 FROM authors WHERE username = ?", (user,)).fetchone(), user
        if ev.submission_url:
            assert conn.execute(
                "SELECT 1 FROM publications WHERE submission_url = ?", (ev.submission_url,)
            ).fetchone()


def test_sentences_only_mention_cited_evidence(world) -> None:
    for e in all_entries(world):
        ev = e.evidence
        urls = {p.url for p in ev.posts} | {x.url for x in ev.links} | {ev.submission_url}
        titles = {p.title for p in ev.posts}
        text = " ".join(e.rationale)
        for url in _URL.findall(text):
            assert url.rstrip(".") in urls, (e.key, url)
        for title in _TITLE.findall(text):
            assert title in titles, (e.key, title)
        for tag in re.findall(r"([a-z][a-z-]+) \(\d+\)", text):
            assert tag in ev.tags or tag in ev.publications or tag in ev.authors, (e.key, tag)
        for user in re.findall(r"@([a-z0-9_-]+) \(", text):
            assert user in ev.authors, (e.key, user)


def test_what_held_them_back_is_said_plainly(world) -> None:
    by_key = {e.key: e for e in rank(world, NICHE, kind="authors")}
    inactive = " ".join(by_key["inactive"].rationale)
    assert "Ranked lower: no niche post in 827 days (as of 2024-06-30)." in inactive
    onehit = " ".join(by_key["onehit"].rationale)
    assert re.search(
        r"Ranked lower: 99% of their claps and responses come from one 2019 post, “The SEO trick", onehit
    )
    celeb = " ".join(by_key["celeb"].rationale)
    assert "Ranked lower: only 1 of 31 stored posts is on the niche tagged seo (1)." in celeb
    # dead-pub (latest post 426 days before as_of) is no venue at all: not listed, so nothing to explain
    assert "dead-pub" not in {e.key for e in rank(world, NICHE, kind="publications")}


def test_lifts_are_quoted_with_their_numbers(world) -> None:
    steady1 = rank(world, NICHE, kind="authors")[0]
    assert steady1.key == "steady1"
    text = steady1.rationale
    assert (
        text[0] == "8 niche posts in the 90 days to 2024-06-30 (3 in the last 30), in 8 of the last 13 weeks."
    )
    assert "Median 125 claps and 5 responses per niche post." in text
    assert "800 followers." in text
    assert any(s.startswith("Backlink lead: links to ahrefs.com once (1 nofollow)") for s in text)
    assert any(s.startswith("Already links to example.com once (1 followed)") for s in text)
    assert "Writes for Growth Pub (8 niche posts)." in text
    assert {x.target for x in steady1.evidence.links} == {"competitor", "site"}
