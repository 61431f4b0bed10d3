"""The fixture niche generator: deterministic, planted archetypes graded as intended, Medium-shaped pages."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from linkscout.core.urls import UrlKind, classify, post_id_from_url
from tools.fixture_gen import build_world, generate

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
_STATE = re.compile(r"<script>window\.__APOLLO_STATE__ = (\{.*?\})</script>", re.S)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fx")
    generate(out, seed=7)
    return out


def _index(out: Path) -> dict:
    return json.loads((out / "site" / "index.json").read_text(encoding="utf-8"))


def _state(html: str) -> dict:
    m = _STATE.search(html)
    assert m, "no __APOLLO_STATE__ script"
    return json.loads(m.group(1).replace("<\\/", "</"))


@pytest.mark.slow
def test_same_seed_is_byte_identical_and_other_seed_differs(site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(again, seed=7)
    for rel in ("truth.json", "niche.toml", "site/index.json"):
        assert (site / rel).read_bytes() == (again / rel).read_bytes(), rel
    files = sorted(p.relative_to(site) for p in (site / "site").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in (again / "site").rglob("*") if p.is_file())
    for rel in files[::7]:
        assert (site / rel).read_bytes() == (again / rel).read_bytes(), rel
    other = tmp_path / "other"
    generate(other, seed=8)
    assert (other / "truth.json").read_bytes() != (site / "truth.json").read_bytes()


def test_committed_fixtures_match_the_generator(site: Path) -> None:
    for rel in ("truth.json", "site/index.json", "niche.toml"):
        assert (FIXTURES / rel).read_bytes() == (site / rel).read_bytes(), (
            f"regenerate fixtures/ ({rel} differs)"
        )


def test_truth_grades_the_planted_archetypes() -> None:
    truth = json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))
    authors = truth["authors"]
    world = build_world(7)
    assert set(authors) == set(world.authors)
    assert set(truth["publications"]) == set(world.pubs)
    by_arch: dict[str, set[int]] = {}
    for entry in authors.values():
        by_arch.setdefault(entry["archetype"], set()).add(entry["grade"])
        assert entry["reason"]
    for arch in (
        "celebrity",
        "one_hit",
        "inactive",
        "off_niche",
        "suspended",
        "megapub_off",
        "dormant",
        "mill_writer",
    ):
        assert by_arch[arch] == {0}, arch
    for arch in ("steady_large", "steady_mid", "steady_small_engaged"):
        assert by_arch[arch] == {3}, arch
    assert by_arch["megapub_near"] == {1}
    assert sum(e["grade"] == 3 for e in authors.values()) >= 8
    pubs = truth["publications"]
    assert sum(e["grade"] == 3 for e in pubs.values()) >= 2
    assert pubs["link-building-weekly"]["grade"] == 0
    # The planted numbers back the grades.
    now = world.as_of_ms
    for name, a in world.authors.items():
        posts = [p for p in world.posts if p.author == name]
        recent_niche = [p for p in posts if p.kind == "niche" and now - p.published_ms <= 90 * 86_400_000]
        if authors[name]["grade"] == 3:
            assert len(recent_niche) >= 5, name
        if a.archetype == "celebrity":
            assert a.followers >= 100_000 and any("seo" in p.tags for p in posts)
        if a.archetype == "inactive":
            assert min(now - p.published_ms for p in posts) >= 180 * 86_400_000
        if a.archetype == "one_hit":
            best = max(p.claps for p in posts)
            assert best >= 3000 and best / sum(p.claps for p in posts) > 0.8


def test_urls_have_medium_shapes_and_statuses(site: Path) -> None:
    index = _index(site)
    world = build_world(7)
    shapes = set()
    custom = {p.domain: p.slug for p in world.pubs.values() if p.host == "custom"}
    for post in world.posts:
        assert re.fullmatch(r"[0-9a-f]{12}", post.pid)
        assert post.url in index
        info = classify(post.url, publication_hosts=custom)
        assert info.kind is UrlKind.POST and info.post_id == post.pid
        if post.url.split("/")[2] not in custom:
            assert post_id_from_url(post.url) == post.pid
        shapes.add(post.url.split("/")[2] if "/@" not in post.url else "@user")
    assert {"@user", "medium.com", "contentloop.pub", "searchdesk.medium.com"} <= shapes
    statuses = {e["status"] for e in index.values()}
    assert {200, 301, 403, 410} <= statuses
    assert any(e.get("rate_limit") for e in index.values())
    challenge_200 = [k for k, e in index.items() if e["status"] == 200 and e["file"] and
                     b"Just a moment..." in (site / "site" / e["file"]).read_bytes()]  # fmt: skip
    assert len(challenge_200) == 1
    robots = (site / "site" / index["https://medium.com/robots.txt"]["file"]).read_text()
    assert "Disallow: /m/" in robots and "Disallow: /*/*/edit" in robots
    tag_html = (site / "site" / index["https://medium.com/tag/seo"]["file"]).read_text()
    assert 'href="/m/signin?' in tag_html and "?source=tag_page------seo" in tag_html


def test_article_apollo_state_has_medium_entity_shapes(site: Path) -> None:
    index = _index(site)
    world = build_world(7)
    pubs = {p.cid for p in world.pubs.values()}
    checked = 0
    for post in world.posts:
        entry = index[post.url]
        if post.special in ("challenge403", "challenge200"):
            continue
        html = (site / "site" / entry["file"]).read_text(encoding="utf-8")
        state = _state(html)
        ent = state[f"Post:{post.pid}"]
        assert ent["__typename"] == "Post" and ent["clapCount"] == post.claps
        assert ent["postResponses"]["count"] == post.responses
        creator = ent["creator"]["__ref"]
        assert creator.startswith("User:") and state[creator]["username"] == post.author
        assert [t["__ref"] for t in ent["tags"]] == [f"Tag:{t}" for t in post.tags]
        if post.pub:
            assert ent["collection"]["__ref"].split(":")[1] in pubs
        else:
            assert ent["collection"] is None
        assert f'<link data-rh="true" rel="canonical" href="{post.url}"/>' in html
        assert '"@type":"NewsArticle"' in html and 'name="twitter:data1" value="' in html
        for url, rel, _anchor in post.links:
            if not post.locked:
                assert f'href="{url}" rel="{rel}"' in html.replace("&amp;", "&")
        checked += 1
    assert checked > 300


def test_body_links_plant_competitors_site_and_internal_rels() -> None:
    world = build_world(7)
    links = [link for p in world.posts for link in p.links]
    assert any("ahrefs.com" in u and r == "noopener ugc nofollow" for u, r, _ in links)
    assert any("trellisrank.com" in u for u, _, _ in links)
    assert any(u.startswith("https://medium.com/") and r == "noopener follow" for u, r, _ in links)


@pytest.mark.slow
def test_large_site_streams_in_reasonable_time(tmp_path: Path) -> None:
    s = generate(tmp_path / "big", seed=7, posts=1500)
    assert s.posts >= 1500
    assert len(_index(tmp_path / "big")) == s.pages


_HAS_PARSER = importlib.util.find_spec("linkscout.crawler.parse.page") is not None


@pytest.mark.skipif(not _HAS_PARSER, reason="linkscout.crawler.parse.page (P1's parser) has not landed yet")
def test_parser_reads_planted_values(site: Path) -> None:
    from linkscout.crawler.parse.page import parse_html  # type: ignore[import-not-found]

    index = _index(site)
    world = build_world(7)
    post = next(p for p in world.posts if p.pub and p.links and not p.special and not p.locked)
    html = (site / "site" / index[post.url]["file"]).read_text(encoding="utf-8")
    res = parse_html(html, url=post.url)
    got = next(p for p in res.posts if p.id == post.pid)
    assert str(res.kind) == "article"
    assert (got.title, got.author, got.claps, got.responses) == (
        post.title,
        post.author,
        post.claps,
        post.responses,
    )
    assert got.publication == post.pub and tuple(got.tags) == post.tags
    assert {(lk.url, lk.rel) for lk in got.links or ()} >= {(u, r) for u, r, _ in post.links}
    author = world.authors[post.author]
    prof = parse_html((site / "site" / index[f"https://medium.com/@{author.username}"]["file"]).read_text(),
                      url=f"https://medium.com/@{author.username}") if not author.subdomain else None  # fmt: skip
    if prof is not None:
        assert str(prof.kind) == "profile"
        assert any(a.username == author.username and a.followers == author.followers for a in prof.authors)
    tag = parse_html((site / "site" / index["https://medium.com/tag/seo"]["file"]).read_text(),
                     url="https://medium.com/tag/seo")  # fmt: skip
    assert str(tag.kind) == "tag" and len(tag.posts) == 10
    pub = world.pubs["saas-growth-notes"]
    pres = parse_html((site / "site" / index[pub.home]["file"]).read_text(), url=pub.home)
    assert str(pres.kind) == "publication"
    rec = next(p for p in pres.publications if p.slug == pub.slug)
    assert rec.followers == pub.subscribers and rec.submission_url


def test_publication_landscape_is_planted_and_graded() -> None:
    """Megapubs with niche cross-posts, dead megapubs, a content mill and a tiny new niche publication."""
    from statistics import median

    from tools.fixture_gen.landscape import LANDSCAPE_PUBS

    world = build_world(7)
    pubs = json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))["publications"]
    now, day = world.as_of_ms, 86_400_000
    core = {u for u, a in world.authors.items() if a.archetype in ("steady_large", "steady_mid", "steady_small",
                                                                    "backlink_lead", "occasional", "rising")}  # fmt: skip
    seen = set()
    for slug, *_rest in LANDSCAPE_PUBS:
        pub = world.pubs[slug]
        posts = [p for p in world.posts if p.pub == slug and p.kind != "guidelines"]
        share = sum(p.kind == "niche" for p in posts) / len(posts)
        ages = [(now - p.published_ms) / day for p in posts]
        writers = {p.author for p in posts}
        grade = pubs[slug]["grade"]
        assert pubs[slug]["archetype"] == pub.archetype and f"{len(posts)} posts" in pubs[slug]["reason"]
        seen.add(pub.archetype)
        if pub.archetype == "mega_generic":
            assert grade == 1 and pub.subscribers >= 150_000 and len(writers) >= 10 and 0 < share <= 0.1
            niche_writers = {p.author for p in posts if p.kind == "niche"}
            assert (
                niche_writers
                and niche_writers <= core
                and all(slug in world.authors[u].pubs for u in niche_writers)
            )
            assert min(ages) <= 14
        elif pub.archetype == "dead_mega":
            assert grade == 0 and pub.subscribers >= 150_000 and 365 <= min(ages) <= 730
            assert max(p.claps for p in posts) >= 20_000
        elif pub.archetype == "content_mill":
            assert (
                grade == 0 and len(posts) >= 30 and len(writers) >= 5 and median(p.claps for p in posts) <= 10
            )
            assert 0.2 <= share <= 0.5 and len({p.topic for p in posts}) >= 3 and min(ages) <= 7
        else:
            assert pub.archetype == "new_small" and grade == 2 and share == 1.0
            assert 1 <= len(writers) <= 2 and max(ages) <= 60 and pub.subscribers < 500 and pub.guidelines
    assert seen == {"mega_generic", "dead_mega", "content_mill", "new_small"}
    assert sum(p.archetype == "mega_generic" for p in world.pubs.values()) == 2


def test_landscape_publications_are_reachable_from_the_rest_of_the_site(site: Path) -> None:
    """Each new publication's Collection appears on a niche tag page or on the profile of a writer who is
    reached through other publications (not only through it), so a crawl finds it the way it finds the others."""
    from tools.fixture_gen.landscape import LANDSCAPE_PUBS
    from tools.fixture_gen.model import NICHE_TAGS, profile_url

    index = _index(site)
    world = build_world(7)
    for slug, *_rest in LANDSCAPE_PUBS:
        others = [
            a for a in world.authors.values() if a.username not in world.suspended and set(a.pubs) - {slug}
        ]
        pages = [profile_url(a) for a in others] + [f"https://medium.com/tag/{t}" for t in NICHE_TAGS]
        cid = world.pubs[slug].cid
        assert any(
            f"Collection:{cid}" in _state((site / "site" / index[u]["file"]).read_text()) for u in pages
        ), slug
