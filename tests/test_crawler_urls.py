from __future__ import annotations

import pytest

from linkscout.core.urls import (
    UrlKind,
    canonicalize,
    classify,
    is_medium_host,
    post_id_from_url,
    username_from_url,
)

# Real URLs as they occur in ../shared/medium-captures (hrefs, canonicals, feed self-links).
REAL = [
    (
        "https://medium.com/@JakobUlbrich/flag-attributes-in-android-how-to-use-them-ac4ec8aee7d1",
        UrlKind.POST,
        {"post_id": "ac4ec8aee7d1", "username": "jakobulbrich"},
    ),
    (
        "https://medium.com/free-code-camp/seo-secrets-reverse-engineering-googles-algorithm-92fad4f5a39"
        "?source=search_post---------1",
        UrlKind.POST,
        {"post_id": "92fad4f5a39", "publication": "free-code-camp"},
    ),
    ("https://medium.com/@benjaminbannister/92fad4f5a39", UrlKind.POST, {"post_id": "92fad4f5a39"}),
    (
        "https://medium.com/@RisingSkylar/if-only-that-was-at-the-heart-of-all-our-endeavors-6caa236bacc5"
        "?source=post_page---post_responses--9e53ca408c48----2-----------------------------------",
        UrlKind.RESPONSE,
        {"post_id": "6caa236bacc5", "in_response_to": "9e53ca408c48"},
    ),
    ("https://medium.com/p/05e5c4661faa", UrlKind.POST, {"post_id": "05e5c4661faa"}),
    ("https://medium.com/@NateRubenRDM/about", UrlKind.PROFILE_ABOUT, {"username": "naterubenrdm"}),
    (
        "https://blog.medium.com/followers?source=collection_home-------------------------------------",
        UrlKind.SUBDOMAIN_FOLLOWERS,
        {"ambiguous_subdomain": "blog"},
    ),
    ("https://medium.com/discourse/about", UrlKind.PUBLICATION_ABOUT, {"publication": "discourse"}),
    ("https://medium.com/swlh/archive", UrlKind.PUBLICATION_ARCHIVE, {"publication": "swlh"}),
    (
        "https://blog.medium.com/tagged/company?source=collection_home-------------------------------------",
        UrlKind.PUBLICATION_TAGGED,
        {"publication": "blog", "tag": "company"},
    ),
    ("https://medium.com/tag/android?source=post", UrlKind.TAG, {"tag": "android"}),
    (
        "https://medium.com/tag/paella/archive/2021",
        UrlKind.TAG_ARCHIVE,
        {"tag": "paella", "archive_date": (2021,)},
    ),
    ("https://medium.com/feed/tag/cryptocurrency", UrlKind.FEED_TAG, {"tag": "cryptocurrency"}),
    ("https://medium.com/feed/@NateRubenRDM", UrlKind.FEED_USER, {"username": "naterubenrdm"}),
    ("https://medium.com/@jinnabaalu/feed", UrlKind.FEED_USER, {"username": "jinnabaalu"}),
    ("https://medium.com/feed/usrsocntpu", UrlKind.FEED_PUBLICATION, {"publication": "usrsocntpu"}),
    ("https://onezero.medium.com/feed", UrlKind.FEED_SUBDOMAIN, {"ambiguous_subdomain": "onezero"}),
    ("https://medium.com/sitemap/sitemap.xml", UrlKind.SITEMAP, {}),
    ("https://medium.com/search", UrlKind.SEARCH, {}),
    ("https://medium.com/topic/accessibility", UrlKind.TOPIC, {"tag": "accessibility"}),
    ("https://medium.com/about/about-medium-9eac453da935", UrlKind.POST, {"post_id": "9eac453da935"}),
    (
        "http://debugger.medium.com/heres-a-doorbell-camera-you-don-t-have-to-feel-guilty-about-7e428590341c",
        UrlKind.POST,
        {"post_id": "7e428590341c", "ambiguous_subdomain": "debugger"},
    ),
]


@pytest.mark.parametrize(("url", "kind", "fields"), REAL, ids=[u[0][8:60] for u in REAL])
def test_real_urls_from_captures(captures_text: str, url: str, kind: UrlKind, fields: dict) -> None:
    assert url in captures_text, "the URL must really occur in a capture"
    info = classify(url)
    assert info.kind is kind
    for name, value in fields.items():
        assert getattr(info, name) == value, name


@pytest.mark.parametrize(
    ("url", "kind", "post_id"),
    [
        ("https://medium.com/p/92fad4f5a39", UrlKind.POST, "92fad4f5a39"),  # 11 chars
        ("https://medium.com/@u/short-title-1a2b3c4d5e", UrlKind.POST, "1a2b3c4d5e"),  # 10
        ("https://medium.com/@u/short-title-1a2b3c4d5e6f", UrlKind.POST, "1a2b3c4d5e6f"),  # 12
        ("https://medium.com/@u/short-title-1a2b3c4d", UrlKind.POST, "1a2b3c4d"),  # 8
        ("https://medium.com/@u/short-title-1a2b3c4", UrlKind.OTHER, None),  # 7: too short
        ("https://medium.com/swlh/about-var-run-docker-sock-3bfd276e12fd", UrlKind.POST, "3bfd276e12fd"),
        ("https://medium.com/swlh/about", UrlKind.PUBLICATION_ABOUT, None),
        ("https://medium.com/swlh/deadbeef", UrlKind.OTHER, None),  # a word, not an id
        ("https://medium.com/p/3bfd276e12fd/responses", UrlKind.RESPONSES, "3bfd276e12fd"),
        ("https://link.medium.com/AbCdEf123", UrlKind.SHORT_LINK, None),
        ("https://medium.com/", UrlKind.HOME, None),
        ("https://medium.com/m/signin?redirect=x", UrlKind.OTHER, None),
        ("https://medium.com/tag/seo/recommended", UrlKind.TAG_RECOMMENDED, None),
        ("https://medium.com/tag/seo/latest", UrlKind.TAG_LATEST, None),
        ("https://medium.com/feed/better-marketing/tagged/seo", UrlKind.FEED_PUBLICATION_TAGGED, None),
        ("https://rushkoff.medium.com/", UrlKind.SUBDOMAIN_HOME, None),
        ("https://rushkoff.medium.com/about", UrlKind.SUBDOMAIN_ABOUT, None),
        ("https://example.com/some-post-3bfd276e12fd", UrlKind.EXTERNAL, None),
        ("https://medium.com/robots.txt", UrlKind.ROBOTS, None),
    ],
)
def test_hand_written_edge_cases(url: str, kind: UrlKind, post_id: str | None) -> None:
    info = classify(url)
    assert info.kind is kind
    assert info.post_id == post_id


def test_tag_archive_by_day() -> None:
    info = classify("https://medium.com/tag/seo/archive/2021/04/28")
    assert info.kind is UrlKind.TAG_ARCHIVE
    assert (info.tag, info.archive_date) == ("seo", (2021, 4, 28))


def test_subdomain_is_reported_ambiguous_not_guessed() -> None:
    pub = classify("https://onezero.medium.com/survival-of-the-richest-9ef6cddd0cc1")
    user = classify("https://rushkoff.medium.com/team-human-ep-178-tyson-yunkaporta-82fd25ebc75f")
    assert pub.ambiguous_subdomain == "onezero" and user.ambiguous_subdomain == "rushkoff"
    # A publication-only path settles it.
    assert classify("https://onezero.medium.com/archive").kind is UrlKind.PUBLICATION_ARCHIVE
    # And so does what the store knows.
    known = classify("https://onezero.medium.com/", publication_hosts={"onezero.medium.com": "onezero"})
    assert (known.kind, known.publication, known.ambiguous_subdomain) == (
        UrlKind.PUBLICATION,
        "onezero",
        None,
    )


def test_custom_domain_known_as_publication() -> None:
    hosts = {"hackernoon.com": "hacker-daily"}
    info = classify(
        "https://hackernoon.com/series-a-1234abcd99?source=rss----3a8144eabfe3---4", publication_hosts=hosts
    )
    assert (info.kind, info.post_id, info.publication) == (UrlKind.POST, "1234abcd99", "hacker-daily")
    assert classify("https://hackernoon.com/feed", publication_hosts=hosts).kind is UrlKind.FEED_PUBLICATION
    assert classify("https://hackernoon.com/tagged/seo", publication_hosts=hosts).tag == "seo"


@pytest.mark.parametrize(
    ("raw", "canon"),
    [
        (
            "http://www.Medium.com/%40User/Post-Title-3bfd276e12fd?source=rss-abc------2#frag",
            "https://medium.com/@user/Post-Title-3bfd276e12fd",
        ),
        (
            "https://medium.com/tag/seo?utm_source=x&utm_medium=y&page=2&sk=abc&_branch_match_id=1",
            "https://medium.com/tag/seo?page=2",
        ),
        ("https://medium.com/tag/seo/?limit=10&from=5", "https://medium.com/tag/seo?from=5&limit=10"),
        ("https://medium.com/p/abc123def4?format=json", "https://medium.com/p/abc123def4?format=json"),
    ],
)
def test_canonicalize(raw: str, canon: str) -> None:
    assert canonicalize(raw) == canon
    assert canonicalize(canon) == canon  # idempotent


def test_relative_urls_join_the_base() -> None:
    assert canonicalize("/@u/p-1a2b3c4d5e6f?source=x", base="https://medium.com/tag/seo") == (
        "https://medium.com/@u/p-1a2b3c4d5e6f"
    )


def test_helpers() -> None:
    assert post_id_from_url("https://medium.com/@u/x-1a2b3c4d5e6f") == "1a2b3c4d5e6f"
    assert post_id_from_url("https://medium.com/@u") is None
    assert username_from_url("https://medium.com/@Some.One") == "some.one"
    assert is_medium_host("gen.medium.com") and is_medium_host("medium.com")
    assert not is_medium_host("notmedium.com") and not is_medium_host(None)


@pytest.mark.parametrize(
    "junk",
    ["http://[]/x", "http://a:99999/x", "https://[::1/x", "http://medium.com:abc/", "", "//", "mailto:a@b"],
)
def test_damaged_urls_never_raise(junk: str) -> None:
    assert canonicalize(junk) == junk.strip()
    assert classify(junk).kind is UrlKind.EXTERNAL
    assert post_id_from_url(junk) is None


def test_fast_path_agrees_with_the_full_canonical_form(monkeypatch: pytest.MonkeyPatch) -> None:
    import random
    import re

    import linkscout.core.urls as urls_module

    rng = random.Random(5)
    hosts = ["medium.com", "www.medium.com", "gen.medium.com", "Medium.com", "x-y.medium.com"]
    parts = ["@ann", "@Ann", "tag", "seo", "Post-Title-3bfd276e12fd", "", "a%20b", "x.y", "~z", "(q)", "p"]
    cases = []
    for _ in range(3000):
        path = "/".join(rng.choice(parts) for _ in range(rng.randint(0, 4)))
        tail = rng.choice(["", "", "/", "?source=x", "?page=2", "#f"])
        cases.append(f"{rng.choice(['https', 'http'])}://{rng.choice(hosts)}/{path}{tail}")
    fast = [canonicalize(c) for c in cases]
    monkeypatch.setattr(urls_module, "_CANONICAL", re.compile(r"(?!)"))  # force the full path
    assert fast == [canonicalize(c) for c in cases]
