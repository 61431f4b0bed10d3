"""Depth in the frontier: a crawl reaches the same pages whatever order responses arrive in, and a
crawl killed after any page and resumed reaches the same pages as one that ran in one go.

The sites here are small link graphs (URL -> outlinks; a URL missing from the site answers 404),
crawled the way `NicheSpider` drives the frontier: pop a window of entries, then learn from and read
each page, in an order the test picks.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkscout.core.records import PageKind, PageResult, PublicationRecord
from linkscout.crawler.pipelines import PageItem, write_batch
from linkscout.crawler.run import restore_frontier
from linkscout.crawler.spiders.frontier import Entry, Frontier
from linkscout.store.crawl_state import LinksLog
from linkscout.store.db import open_db

T = "2026-11-15T10:00:00Z"
SEED = "https://medium.com/tag/seo/recommended"
BEA = "https://medium.com/@bea"
COOKING = "https://medium.com/tag/cooking"  # off-niche: best-first reads it last
DETOUR = "https://medium.com/@bea/the-long-way-round-b1b1b1b1b1"
MIDDLE = "https://medium.com/@xan/the-page-in-the-middle-0a0a0a0a0a"
LEAF = "https://medium.com/@yul/only-reached-through-the-middle-1c1c1c1c1c"
# Two paths to MIDDLE: seed -> @bea -> DETOUR -> MIDDLE (depth 3) and seed -> cooking -> MIDDLE (depth 2).
# With max_depth 3, LEAF (one below MIDDLE) is in reach only through the short path, which best-first
# finds last: MIDDLE is read at depth 3 first, its link to LEAF left out as too deep.
SITE = {
    SEED: (BEA, COOKING),
    BEA: (DETOUR,),
    DETOUR: (MIDDLE,),
    COOKING: (MIDDLE,),
    MIDDLE: (LEAF,),
    LEAF: (),
}


def _frontier(strategy: str = "best", max_depth: int = 3) -> Frontier:
    return Frontier(tags=["seo"], strategy=strategy, max_depth=max_depth)


def _crawl(site: dict[str, tuple[str, ...]], f: Frontier, *, window: int = 1, rng: random.Random | None = None,
           pages: int | None = None, on_page=None) -> list[str]:  # type: ignore[no-untyped-def]  # fmt: skip
    """Crawl `site` with `f` (seeded by the caller); returns the URLs fetched, in order."""
    fetched: list[str] = []
    while pages is None or len(fetched) < pages:
        batch = []
        while len(batch) < window and (e := f.pop()) is not None:
            batch.append(e)
        if not batch:
            break
        if rng is not None:
            rng.shuffle(batch)
        for e in batch[: None if pages is None else pages - len(fetched)]:
            fetched.append(e.url)
            links = site.get(e.url)
            if links is None:
                if on_page:
                    on_page(
                        PageItem(
                            url=e.url,
                            status="failed",
                            fetched_at=T,
                            http_status=404,
                            discovered=tuple(f.drain()),
                        )
                    )
                continue
            result = _result(e.url, links)
            f.learn(result, e.url)
            discovered = f.read(e.url, links)
            if on_page:
                on_page(PageItem(url=e.url, status="ok", fetched_at=T, kind="article", http_status=200,
                                 result=result, discovered=tuple(discovered), links=tuple(links)))  # fmt: skip
    return fetched


def _result(url: str, links: tuple[str, ...]) -> PageResult:
    pubs = [PublicationRecord(slug="upward", domain="upward.example")] if url.endswith("upward") else []
    return PageResult(kind=PageKind.ARTICLE, outlinks=list(links), publications=pubs)


def test_a_page_read_too_deep_passes_its_links_on_when_a_shorter_path_turns_up() -> None:
    f = _frontier()
    f.add_seeds([SEED])
    fetched = _crawl(SITE, f)
    assert fetched.index(MIDDLE) < fetched.index(COOKING)  # best-first read MIDDLE through the detour
    assert LEAF in fetched and f.depth_of(MIDDLE) == 2 and f.depth_of(LEAF) == 3
    b = _frontier("breadth")
    b.add_seeds([SEED])
    assert sorted(_crawl(SITE, b)) == sorted(fetched)


def test_a_queued_url_moves_up_and_a_url_in_flight_reads_its_links_at_its_new_depth() -> None:
    f = _frontier(max_depth=2)
    deep = f.add(MIDDLE, 2)
    assert deep == Entry(MIDDLE, deep.priority, 2) and f.drain() == [deep]
    assert f.add(MIDDLE, 2) is None and f.add(MIDDLE, 3) is None
    up = f.add(MIDDLE, 1)
    assert up is not None and up.depth == 1 and f.drain() == [up]  # stored again: the frontier row moves up
    taken = f.pop()
    assert taken is not None and taken.depth == 1
    f.add(MIDDLE, 0, force=True)  # a shorter path while in flight
    assert [e.depth for e in f.drain()] == [0]
    assert [(e.url, e.depth) for e in f.read(MIDDLE, (LEAF,))] == [(LEAF, 1)]


def test_links_to_a_host_later_known_as_a_publication_domain_are_offered_again() -> None:
    f = _frontier()
    assert [e.url for e in f.add_seeds([SEED])] == [e.url for e in f.drain()] == [SEED]
    assert f.pop() is not None
    post = "https://upward.example/why-it-works-2d2d2d2d2d"
    assert f.read(SEED, (post,)) == []  # unknown host: external, for now
    f.learn(_result("https://medium.com/upward", ()), "https://medium.com/upward")
    assert [(e.url, e.depth) for e in f.drain()] == [(post, 1)]


def _random_site(seed: int) -> dict[str, tuple[str, ...]]:
    rng = random.Random(seed)
    users = [f"u{i}" for i in range(8)]
    urls = [f"https://medium.com/@{u}" for u in users]
    urls += [
        f"https://medium.com/@{rng.choice(users)}/post-{i:02d}{rng.getrandbits(32):08x}" for i in range(24)
    ]
    urls += [f"https://medium.com/tag/topic-{i}" for i in range(4)] + ["https://medium.com/upward"]
    urls += [f"https://upward.example/story-{i:02d}{rng.getrandbits(32):08x}" for i in range(4)]
    site = {u: tuple(rng.sample(urls, rng.randint(0, 4))) for u in urls if rng.random() < 0.9}
    site[SEED] = tuple(rng.sample(urls, 3))
    return site


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32), st.integers(0, 2**32), st.sampled_from([1, 3, 8]), st.sampled_from([2, 3, 4]))
def test_the_pages_reached_do_not_depend_on_the_order_responses_arrive_in(
    site_seed: int, order_seed: int, window: int, max_depth: int
) -> None:
    site = _random_site(site_seed)
    reference = _frontier("breadth", max_depth)
    reference.add_seeds([SEED])
    want = sorted(_crawl(site, reference))  # breadth-first, one at a time: every depth is the shortest
    f = _frontier("best", max_depth)
    f.add_seeds([SEED])
    assert sorted(_crawl(site, f, window=window, rng=random.Random(order_seed))) == want


def _store(tmp_path: Path, name: str):  # type: ignore[no-untyped-def]
    db = open_db(tmp_path / f"{name}.db")
    run_id = db.conn.execute(
        "INSERT INTO crawl_runs (started_at, source, strategy, budget, max_depth) VALUES (?, 'x', 'best', 99, 3)",
        (T,),
    ).lastrowid
    db.conn.execute("INSERT INTO frontier VALUES (?, ?, 0, ?)", (SEED, 1000.0, T))
    db.conn.commit()
    return db, LinksLog(db, run_id)


def _crawl_stored(site, tmp_path: Path, name: str, kills: list[int], *, torn: bool = False) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Crawl, committing every page; after each of `kills` pages (fetched by that process) drop
    everything in memory and resume from the database. `torn`: the last page before each kill was
    fetched and read but its batch never committed (its links go with it: one transaction)."""
    db, log = _store(tmp_path, name)
    f = _frontier()
    f.add_seeds([SEED])
    f.drain()
    for n in kills:
        items: list[PageItem] = []
        _crawl(site, f, pages=n, on_page=items.append)
        for item in items[:-1] if torn else items:
            write_batch(db, [item], links_log=log)
        f = _frontier()
        restore_frontier(db, f, [SEED], log, started_at=T)
    _crawl(site, f, on_page=lambda item: write_batch(db, [item], links_log=log))
    rows = db.execute("SELECT url, status FROM pages ORDER BY url").fetchall()
    assert db.execute("SELECT url FROM frontier ORDER BY url").fetchall() == [
        (u,) for u, s in rows if s == "failed"
    ]
    return rows


def test_killed_after_any_page_and_resumed_reaches_what_one_run_reaches(tmp_path: Path) -> None:
    clean = _crawl_stored(SITE, tmp_path, "clean", [])
    assert (LEAF, "ok") in clean
    for at in range(1, len(clean)):
        assert _crawl_stored(SITE, tmp_path, f"k{at}", [at]) == clean, at
        assert _crawl_stored(SITE, tmp_path, f"t{at}", [at], torn=True) == clean, at


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32), st.lists(st.integers(1, 6), min_size=1, max_size=4))
@pytest.mark.slow
def test_any_kills_on_a_random_site_resume_to_what_one_run_reaches(site_seed: int, kills: list[int]) -> None:
    import tempfile

    site = _random_site(site_seed)
    with tempfile.TemporaryDirectory() as tmp:
        assert _crawl_stored(site, Path(tmp), "k", kills) == _crawl_stored(site, Path(tmp), "clean", [])
