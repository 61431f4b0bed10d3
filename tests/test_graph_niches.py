"""The two other fixture niches (small: home espresso; large: indie game development): generated as
committed, carrying every archetype the ranking must handle, crawlable end to end, and stored directly
(the large niche) the way a crawl would store them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from linkscout.core.niche import load_niche
from linkscout.graph.rank import prepare, ranked_keys
from linkscout.store.db import open_db
from tools.fixture_gen import generate
from tools.fixture_gen.niches import build_niche_world
from tools.fixture_gen.records import write_world

REPO = Path(__file__).resolve().parents[1]
NICHES = REPO / "niches"
PLANTED = {  # every niche carries these (issue 17)
    "spam_volume", "reposter", "left_niche", "rising", "pub_insider", "steady_untagged", "clap_heavy",
    "celebrity", "inactive", "one_hit",
}  # fmt: skip


@pytest.mark.parametrize("name", ["small", pytest.param("large", marks=pytest.mark.slow)])
def test_committed_niche_files_match_the_generator(name: str, tmp_path: Path) -> None:
    generate(tmp_path, niche=name, site=False)
    for rel in ("niche.toml", "truth.json"):
        assert (NICHES / name / rel).read_bytes() == (tmp_path / rel).read_bytes(), (
            f"regenerate niches/{name} ({rel} differs): python -m tools.fixture_gen --niche {name} "
            f"--out niches/{name} --no-site"
        )


@pytest.mark.parametrize("name", ["small", "large"])
def test_niches_plant_every_archetype(name: str) -> None:
    truth = json.loads((NICHES / name / "truth.json").read_text(encoding="utf-8"))
    authors = {v["archetype"] for v in truth["authors"].values()}
    pubs = {v["archetype"] for v in truth["publications"].values()}
    assert authors >= PLANTED, PLANTED - authors
    assert {"mega_offniche", "closed", "content_mill"} <= pubs
    if name == "large":
        assert {"dead", "new_small", "single_author"} <= pubs
        assert 1800 <= len(truth["authors"]) <= 2200 and len(truth["publications"]) == 60
    else:
        assert 15 <= len(truth["authors"]) <= 25 and len(truth["publications"]) <= 5


def test_planted_seams_are_in_the_small_world() -> None:
    world = build_niche_world("small")
    by_arch: dict[str, list[str]] = {}
    for a in world.authors.values():
        by_arch.setdefault(a.archetype, []).append(a.username)
    spam = [p for p in world.posts if p.author in by_arch["spam_volume"] and p.kind != "guidelines"]
    assert len(spam) >= 70 and max(p.claps for p in spam) <= 6  # 2 accounts, ~40 posts each, few claps
    copies = [p for p in world.posts if p.copy_of]
    originals = {p.pid: p for p in world.posts}
    assert copies and all(originals[c.copy_of].title == c.title for c in copies)
    assert any(c.canonical for c in copies) and any(not c.canonical for c in copies)
    untagged = [p for p in world.posts if p.author in by_arch["steady_untagged"] and p.kind == "niche"]
    assert untagged and not any(set(p.tags) & set(world.domain.tags) for p in untagged)
    left = [p for p in world.posts if p.author in by_arch["left_niche"] and p.kind == "niche"]
    assert left and all(world.as_of_ms - p.published_ms > 200 * 86_400_000 for p in left)
    assert all(world.as_of_ms - p.updated_ms < 30 * 86_400_000 for p in left)  # edited lately
    heavy = [p for p in world.posts if p.author in by_arch["clap_heavy"] and p.kind != "guidelines"]
    assert heavy and all(p.responses == 0 for p in heavy) and max(p.claps for p in heavy) > 500


@pytest.mark.slow
def test_small_niche_crawled_end_to_end(tmp_path: Path) -> None:
    """A crawl over loopback of the small niche's pages finds every publication and every writer worth
    a pitch that the direct writer stores, and most of the posts (profiles and feeds list only the newest)."""
    from linkscout.crawler.fixture_site import serve

    generate(tmp_path / "gen", niche="small")
    crawled, direct = tmp_path / "crawled.db", tmp_path / "direct.db"
    with serve(tmp_path / "gen" / "site") as srv:
        proc = subprocess.run(
            [sys.executable, "-m", "linkscout.cli.main", "crawl", "--source", srv.url,
             "--niche", str(NICHES / "small" / "niche.toml"), "--db", str(crawled)],
            capture_output=True, text=True, timeout=240, cwd=REPO,
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-800:]
    write_world(build_niche_world("small"), direct)
    a, b = (
        prepare(open_db(crawled), load_niche(NICHES / "small" / "niche.toml")),
        prepare(open_db(direct), load_niche(NICHES / "small" / "niche.toml")),
    )
    truth = json.loads((NICHES / "small" / "truth.json").read_text(encoding="utf-8"))["authors"]
    found = set(a.graph.keys["author"])
    assert found <= set(b.graph.keys["author"])
    assert {k for k, v in truth.items() if v["grade"] >= 1} <= found  # every writer worth a pitch
    assert len(found) >= 0.9 * len(truth)  # a writer nothing links to may stay unfound
    assert a.graph.keys["publication"] == b.graph.keys["publication"]
    assert set(a.graph.keys["post"]) <= set(b.graph.keys["post"])
    assert len(a.graph.keys["post"]) >= 0.6 * len(b.graph.keys["post"])  # a giant lists its newest only
    assert ranked_keys(a, "publications")[0] == ranked_keys(b, "publications")[0]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tools.rank_cv import store_for

    cache = tmp_path_factory.mktemp("niches")
    for name in ("seo", "small", "large"):
        store_for(name, cache)
    return cache


@pytest.mark.slow
def test_one_default_weight_set_holds_on_all_three_niches(stores: Path) -> None:
    """Issue 17's bar, with the default weights: nDCG@10 >= 0.95 for authors and publications, no
    grade-0 entry in either top 10, at least +0.3 over the best baseline, on every niche."""
    from tools.rank_cv import baselines, contexts, score

    for name, (ctx, truth) in contexts(stores).items():
        ours, base = score(ctx, truth), baselines(ctx, truth)
        for kind in ("authors", "publications"):
            got = ours[kind]
            assert got["ndcg@10"] >= 0.95, (name, kind, got)
            assert got["grade0"] == [], (name, kind, got)
            assert got["ndcg@10"] - base[kind]["ndcg@10"] >= 0.3, (name, kind, got, base[kind])


def test_copies_count_once_and_edit_dates_do_not_make_anyone_recent(tmp_path: Path) -> None:
    """A copier's re-published articles are not its posts; touching up old posts (updated_at) does
    not make a writer who left the niche look active: recency is measured on publish dates."""
    db = write_world(build_niche_world("small"), tmp_path / "s.db")
    niche = load_niche(NICHES / "small" / "niche.toml")
    truth = json.loads((NICHES / "small" / "truth.json").read_text(encoding="utf-8"))["authors"]
    ctx = prepare(open_db(db), niche)
    copier = [a for a, v in truth.items() if v["archetype"] == "reposter"]
    ranked = ranked_keys(ctx, "authors")
    assert copier and not set(copier) & set(ranked)  # every post of theirs is a copy
    assert int(ctx.posts.duplicate.sum()) >= 12
    before = ranked_keys(ctx, "authors")
    conn = open_db(db).conn
    with conn:
        conn.execute("UPDATE posts SET updated_at = '2026-11-14T00:00:00.000Z'")
    assert ranked_keys(prepare(open_db(db), niche), "authors") == before
