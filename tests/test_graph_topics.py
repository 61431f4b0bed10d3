"""Niche matching: tags and keyword n-grams, fuzzy where it helps and exact where it must be."""

from __future__ import annotations

from linkscout.graph.topics import NicheMatcher, tag_slug

M = NicheMatcher(["SEO", "link building", "content marketing"], ["seo", "Link Building", "content-marketing"])


def test_tag_slugs_normalise() -> None:
    assert tag_slug("Link Building") == "link-building"
    assert M.tags == {"seo", "link-building", "content-marketing"}


def test_niche_tags_include_keyword_tags_but_not_neighbours() -> None:
    found = M.niche_tags(
        ["seo", "link-building", "linkbuilding", "content-marketer", "seoul", "marketing", "seo-tips"]
    )
    assert found == {"seo", "link-building", "content-marketing", "linkbuilding", "content-marketer"}


def test_posts_match_by_tag_title_subtitle_and_tag_words() -> None:
    m = M.match_posts(
        ["Ten content marketers to follow", "A weekend in Seoul", "Notes", "Notes", "Our SEO stack", None],
        [None, None, "Why link-building still works", None, None, "nothing here"],
        [[], ["travel"], [], ["seo-tips"], [], ["seo"]],
    )
    assert m.is_niche.tolist() == [True, False, True, True, True, True]
    assert m.by_tag.tolist() == [False, False, False, False, False, True]
    assert m.keywords(0) == ("content marketing",)
    assert m.keywords(2) == ("link building",)
    assert m.keywords(3) == ("seo",)  # the words of a tag count, even when the tag is not a niche tag
    assert m.keywords(5) == ("seo",)


def test_short_keywords_need_an_exact_word() -> None:
    m = NicheMatcher(["seo"], []).match_posts(
        ["Seo-ul nights", "SEOs and sea", "geo tips"], [None] * 3, [[]] * 3
    )
    assert m.is_niche.tolist() == [
        True,
        False,
        False,
    ]  # "seo" is a word in "Seo-ul"; "seos" and "geo" are not


def test_no_keywords_means_tags_only() -> None:
    m = NicheMatcher([], ["seo"]).match_posts(["SEO everything"], [None], [["seo"]])
    assert m.is_niche.tolist() == [True] and m.keywords(0) == ()
