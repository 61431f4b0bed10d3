"""The crawl frontier: canonical URLs before scheduling, best-first vs breadth-first, dedupe, depth."""

from __future__ import annotations

from linkscout.core.records import PageKind, PageResult, PostRecord, PublicationRecord
from linkscout.crawler.spiders.frontier import SEED_PRIORITY, Entry, Frontier, seed_urls


def _drain(f: Frontier) -> list[str]:
    out = []
    while (e := f.pop()) is not None:
        out.append(e.url)
    return out


def test_seeds_are_tag_pages_feeds_and_publications() -> None:
    assert seed_urls(["SEO", "link building"], ["better-marketing", "contentloop.pub"]) == [
        "https://medium.com/tag/seo/recommended",
        "https://medium.com/feed/tag/seo",
        "https://medium.com/tag/link-building/recommended",
        "https://medium.com/feed/tag/link-building",
        "https://medium.com/better-marketing",
        "https://medium.com/feed/better-marketing",
        "https://contentloop.pub/",
        "https://contentloop.pub/feed",
    ]


def test_source_and_tracking_are_stripped_before_scheduling() -> None:
    f = Frontier(tags=["seo"])
    e = f.add(
        "http://www.medium.com/@Ann/my-post-1a2b3c4d5e6f?source=tag_page---seo----0&utm_campaign=x#frag", 1
    )
    assert e is not None and e.url == "https://medium.com/@ann/my-post-1a2b3c4d5e6f"
    # The same post under another form (another source, /p/<id>) is not queued twice.
    assert f.add("https://medium.com/@ann/my-post-1a2b3c4d5e6f?source=rss----5", 1) is None
    assert f.add("https://medium.com/p/1a2b3c4d5e6f", 1) is None
    assert len(f) == 1


def test_pages_we_do_not_read_and_too_deep_urls_are_refused() -> None:
    f = Frontier(tags=["seo"], max_depth=2)
    assert f.add("https://medium.com/m/signin?operation=login", 1) is None
    assert f.add("https://medium.com/@ann/followers", 1) is None
    assert f.add("https://example.com/a", 1) is None
    assert f.add("https://medium.com/@ann", 3) is None
    assert f.add("https://medium.com/@ann", 2) is not None


def test_profile_expands_to_its_feed_and_publication_to_feed_and_about() -> None:
    f = Frontier(tags=["seo"])
    assert [e.url for e in f.expand("https://medium.com/@ann", 1)] == [
        "https://medium.com/@ann",
        "https://medium.com/feed/@ann",
    ]
    assert [e.url for e in f.expand("https://medium.com/better-marketing", 1)] == [
        "https://medium.com/better-marketing",
        "https://medium.com/feed/better-marketing",
        "https://medium.com/better-marketing/about",
    ]


def _tag_page(tag: str, posts: list[tuple[str, str, tuple[str, ...]]]) -> PageResult:
    return PageResult(
        kind=PageKind.TAG,
        posts=[PostRecord(id=pid, author=author, tags=tags, title="x") for pid, author, tags in posts],
    )


def test_best_first_prefers_authors_seen_in_several_niche_tags() -> None:
    f = Frontier(tags=["seo", "link-building"], strategy="best")
    # Discovered in this order: a one-off author first, the steady niche writer last.
    for u in ("oneoff", "offniche", "steady"):
        f.add(f"https://medium.com/@{u}", 1)
    f.learn(
        _tag_page("seo", [("aaaa1111", "steady", ("seo",)), ("bbbb2222", "oneoff", ())]),
        "https://medium.com/tag/seo",
    )
    f.learn(
        _tag_page("link-building", [("cccc3333", "steady", ("link-building",))]),
        "https://medium.com/tag/link-building",
    )
    f.learn(_tag_page("cooking", [("dddd4444", "offniche", ("cooking",))]), "https://medium.com/tag/cooking")
    assert _drain(f) == [
        "https://medium.com/@steady",
        "https://medium.com/@oneoff",
        "https://medium.com/@offniche",
    ]


def test_priorities_follow_evidence_that_arrives_after_queueing() -> None:
    f = Frontier(tags=["seo"], strategy="best")
    f.add("https://medium.com/@late", 1)
    f.add("https://medium.com/@early", 1)
    f.learn(_tag_page("seo", [("aaaa1111", "early", ("seo",))]), "https://medium.com/tag/seo")
    first = f.pop()
    assert first is not None and first.url == "https://medium.com/@early"
    f.learn(_tag_page("seo", [("bbbb2222", "late", ("seo",)), ("cccc3333", "late", ("seo",))]), None)
    f.add("https://medium.com/@other", 1)
    assert _drain(f) == ["https://medium.com/@late", "https://medium.com/@other"]


def test_breadth_first_is_nearest_then_discovery_order() -> None:
    f = Frontier(tags=["seo"], strategy="breadth")
    f.add("https://medium.com/@deep", 3)
    f.add("https://medium.com/@b", 1)
    f.add("https://medium.com/@a", 1)
    f.learn(_tag_page("seo", [("aaaa1111", "deep", ("seo",))]), "https://medium.com/tag/seo")
    assert _drain(f) == ["https://medium.com/@b", "https://medium.com/@a", "https://medium.com/@deep"]


def test_seeds_come_first_and_restore_keeps_stored_priorities() -> None:
    f = Frontier(tags=["seo"])
    f.add("https://medium.com/@ann", 1)
    f.add_seeds(seed_urls(["seo"], []))
    assert f.pop() == Entry("https://medium.com/tag/seo/recommended", SEED_PRIORITY, 0)
    g = Frontier(tags=["seo"])
    g.mark_seen("https://medium.com/@done")
    g.restore([Entry("https://medium.com/@x", 3.0, 2), Entry("https://medium.com/@done", 9.0, 1)])
    assert g.pending() == [Entry("https://medium.com/@x", 3.0, 2)]


def test_custom_domains_learned_from_publications_are_crawlable() -> None:
    f = Frontier(tags=["seo"])
    assert f.add("https://contentloop.pub/some-post-1a2b3c4d5e6f", 1) is None  # unknown host: external
    f.learn(
        PageResult(
            kind=PageKind.PUBLICATION,
            publications=[PublicationRecord(slug="content-loop", domain="contentloop.pub")],
        )
    )
    e = f.add("https://contentloop.pub/another-post-2b3c4d5e6f70", 1)
    assert e is not None and e.url == "https://contentloop.pub/another-post-2b3c4d5e6f70"
