"""The HTML layers on small hand-written inputs: refs, responses, meta quirks, hostile input, blocks."""

from __future__ import annotations

import json
import time

import pytest

from linkscout.core.records import PageKind
from linkscout.crawler.parse import apollo, legacy
from linkscout.crawler.parse.detect import detect
from linkscout.crawler.parse.page import parse_html


def _apollo_page(state: object, head: str = "", body: str = "") -> str:
    blob = json.dumps(state) if not isinstance(state, str) else state
    return f"<html><head>{head}</head><body>{body}<script>window.__APOLLO_STATE__ = {blob}</script></body></html>"


PROFILE_STATE = {
    "ROOT_QUERY": {'user({"username":"Jane"})': {"__ref": "User:u1"}},
    "User:u1": {"__typename": "User", "id": "u1", "username": "Jane", "name": "Jane D",
                "socialStats": {"__typename": "SocialStats", "followerCount": 42, "followingCount": 7}},
    "Post:aaaa1111bbbb": {"__typename": "Post", "id": "aaaa1111bbbb", "title": "A post", "clapCount": 5,
                          "creator": {"__ref": "User:u1"}, "firstPublishedAt": 1615981811701,
                          "mediumUrl": "https://medium.com/@jane/a-post-aaaa1111bbbb?source=rss----",
                          "inResponseToPostResult": None},
    "Post:cccc2222dddd": {"__typename": "Post", "id": "cccc2222dddd", "title": "", "clapCount": 0,
                          "creator": {"__ref": "User:u1"},
                          "inResponseToPostResult": {"__ref": "Post:eeee3333ffff"}},
    "Post:eeee3333ffff": {"__typename": "Post", "id": "eeee3333ffff"},
}  # fmt: skip


def test_profile_responses_are_marked_and_refs_resolved() -> None:
    res = parse_html(_apollo_page(PROFILE_STATE))
    assert res.kind is PageKind.PROFILE
    assert res.url == "https://medium.com/@jane"
    posts = {p.id: p for p in res.posts}
    assert posts["aaaa1111bbbb"].is_response is None
    assert posts["aaaa1111bbbb"].url == "https://medium.com/@jane/a-post-aaaa1111bbbb"  # tracking dropped
    assert posts["aaaa1111bbbb"].published_at == "2021-03-17T11:50:11Z"
    reply = posts["cccc2222dddd"]
    assert reply.is_response is True and reply.in_response_to == "eeee3333ffff"
    assert reply.title is None and reply.claps == 0  # "" is absence, 0 claps is a real count
    assert res.to_contract()["posts"][1]["is_response"] is True
    (author,) = res.authors
    assert (author.username, author.followers, author.following) == ("jane", 42, 7)
    assert "https://medium.com/@jane" not in res.outlinks  # the page itself
    assert "https://medium.com/@jane/a-post-aaaa1111bbbb" in res.outlinks


def test_2019_id_refs_and_collection_publication_alias() -> None:
    state = {
        "Post:1234abcd5678": {"__typename": "Post", "id": "1234abcd5678",
                              "creator": {"type": "id", "generated": False, "id": "User:u2", "typename": "User"},
                              "collection": {"type": "id", "id": "Publication:p1"},
                              "tags": [{"type": "id", "id": "Tag:Machine Learning"}]},
        "User:u2": {"__typename": "User", "username": "@Bob"},
        "Publication:p1": {"__typename": "Publication", "id": "p1", "slug": "Better-Marketing", "name": "BM",
                           "followGraph": {"followerCount": 900}, "customDomain": "Better.Example.com",
                           "navigationItems": [{"title": "Write for us", "href": "https://x.example/submit"}]},
    }  # fmt: skip
    data = apollo.parse_state(state)
    (post,) = data.posts
    assert (post.author, post.publication, post.tags) == ("bob", "better-marketing", ("machine-learning",))
    (pub,) = data.publications
    assert (pub.followers, pub.domain, pub.submission_url) == (
        900,
        "better.example.com",
        "https://x.example/submit",
    )


@pytest.mark.parametrize(
    "state",
    [
        {"Post:abcd1234ef56": {"__typename": "Post", "id": "abcd1234ef56", "creator": {"__ref": "User:missing"},
                               "collection": {"__ref": 5}, "tags": "nope", "clapCount": "lots",
                               "postResponses": {"__ref": "Post:abcd1234ef56"}, "readingTime": -3}},
        {"Post:abcd1234ef56": {"__typename": "Post", "id": "abcd1234ef56", "creator": {"__ref": "Post:abcd1234ef56"},
                               "inResponseToPostResult": {"__ref": "Post:abcd1234ef56"}}},
        {"ROOT_QUERY": [], "User:x": [1, 2], "Post:zz": None, "Collection:c": {"slug": {"a": 1}}},
        {"Post:abcd1234ef56": {"__typename": ["Post"], "id": 12}},
    ],
)  # fmt: skip
def test_hostile_apollo_state_never_raises(state: dict) -> None:
    res = parse_html(_apollo_page(state))
    res.to_contract()
    for p in res.posts:
        assert p.claps is None or isinstance(p.claps, int)
        assert p.reading_time is None or p.reading_time >= 0


def test_truncated_and_junk_inputs_give_warnings_not_exceptions() -> None:
    page = _apollo_page(PROFILE_STATE)
    cut = page[: page.index('"title"') + 12]
    res = parse_html(cut)
    assert any("__APOLLO_STATE__ unreadable" in w for w in res.warnings)
    for junk in (
        "",
        "\x00\xff" * 100,
        "<html><body>" + "<div>" * 10_000,
        "<<<>>>",
        "window.__APOLLO_STATE__ = ",
    ):
        parse_html(junk).to_contract()


def test_deeply_nested_json_and_tags_stay_fast() -> None:
    nested = "[" * 5000 + "]" * 5000
    t0 = time.perf_counter()
    res = parse_html(
        _apollo_page(nested, body="<article><section><p>" + "<span>" * 10_000 + "x</p></section></article>")
    )
    assert time.perf_counter() - t0 < 2.0
    res.to_contract()


def test_legacy_format_json_payload_and_xhex_escapes() -> None:
    payload = {
        "payload": {
            "value": {"id": "92fad4f5a39", "type": "Post", "title": "SEO", "creatorId": "u9", "homeCollectionId": "c1",
                      "firstPublishedAt": 1506633287123, "isSubscriptionLocked": False, "inResponseToPostId": "",
                      "virtuals": {"totalClapCount": 0, "recommends": 12, "responsesCreatedCount": 3,
                                   "readingTime": 9.5, "tags": [{"slug": "seo"}]},
                      "content": {"bodyModel": {"paragraphs": [{"text": "see this link", "markups": [
                          {"type": 3, "start": 4, "end": 8, "href": "https://ex.com/", "rel": "nofollow noopener"},
                          {"type": 1, "start": 0, "end": 3}]}]}}},
            "references": {"User": {"u9": {"userId": "u9", "username": "Ben", "name": "Ben B"}},
                           "Collection": {"c1": {"id": "c1", "slug": "free-code-camp", "metadata": {"followerCount": 77}}},
                           "SocialStats": {"u9": {"usersFollowedByCount": 55}}},
        }
    }  # fmt: skip
    data = legacy.parse_references(payload, None)
    (post,) = data.posts
    assert (post.id, post.author, post.publication, post.claps, post.responses) == (
        "92fad4f5a39", "ben", "free-code-camp", 12, 3)  # fmt: skip
    assert post.published_at == "2017-09-28T21:14:47Z"
    assert [(link.url, link.rel, link.anchor) for link in post.links or ()] == [
        ("https://ex.com/", "nofollow noopener", "this")
    ]
    assert data.authors[0].followers == 55 and data.publications[0].followers == 77
    assert legacy.parse_references({"payload": "junk"}, None).posts == []
    # obvInit with JavaScript-only \x3c escapes, as Medium shipped it
    html = (
        '<script>// <![CDATA[\nwindow["obvInit"]({"value":{"id":"abc123def456","type":"Post","title":"a \\x3cb\\x3e",'
        '"creatorId":"u1","inResponseToPostId":"0123abcd4567"},"references":{"User":{"u1":{"username":"Al"}}}})\n'
        "// ]]></script>"
    )
    res = parse_html(html)
    assert res.kind is PageKind.ARTICLE
    assert res.posts[0].title == "a <b>" and res.posts[0].is_response is True
    assert res.posts[0].in_response_to == "0123abcd4567"


def test_meta_layer_reads_value_attributes_and_keywords() -> None:
    head = (
        '<link rel="canonical" href="https://blog.example.com/my-post-0123abcd4567">'
        '<meta name="twitter:data1" value="6 min read"><meta property="al:android:url" content="medium://p/0123abcd4567">'
        '<script type="application/ld+json">{"@type":"NewsArticle","identifier":"0123abcd4567","headline":"Hi - Pub - Medium","publisher":{"name":"Pub"},'
        '"author":{"url":"https://medium.com/@Ann"},"datePublished":"2020-01-02T03:04:05.678Z","isAccessibleForFree":false,'
        '"keywords":["Lite:true","Tag:Content Marketing","Publication:pub-slug","Elevated:false"]}</script>'
    )
    body = '<article><section><p id="ab12">x <a href="https://out.example/" rel="noopener ugc nofollow">out</a></p></section></article>'
    res = parse_html(f"<html><head>{head}</head><body>{body}</body></html>")
    post = res.posts[0]
    assert (res.kind, post.id, post.title, post.author, post.publication) == (
        PageKind.ARTICLE, "0123abcd4567", "Hi", "ann", "pub-slug")  # fmt: skip
    assert post.tags == ("content-marketing",) and post.reading_time == 6.0 and post.locked is True
    assert post.canonical_url == "https://blog.example.com/my-post-0123abcd4567"
    assert post.published_at == "2020-01-02T03:04:05Z"
    assert post.links_partial is True and post.links[0].rel == "noopener ugc nofollow"
    assert any("no embedded state" in w for w in res.warnings)


def test_dom_drops_byline_signin_and_keeps_raw_rel() -> None:
    body = (
        '<article><section><div><a href="/@ann?source=post_page" rel="noopener follow">Ann</a></div>'
        '<p id="a1b2"><a href="https://x.example/" rel="nofollow">x</a> <a href="/m/signin?x=1">s</a>'
        '<a href="#frag">f</a><a href="/some-post-0123abcd4567" rel=" noopener  follow ">in</a></p></section></article>'
    )
    res = parse_html(f'<html><head><meta property="al:android:url" content="medium://p/99aa88bb77cc"></head><body>{body}</body></html>',
                     url="https://medium.com/@ann/t-99aa88bb77cc")  # fmt: skip
    links = res.posts[0].links
    assert [(link.url, link.rel) for link in links] == [
        ("https://x.example/", "nofollow"),
        ("https://medium.com/some-post-0123abcd4567", " noopener  follow "),
    ]


@pytest.mark.parametrize(
    ("html", "status", "kind", "frag"),
    [
        (
            "<html><head><title>Just a moment...</title></head><body>cf</body></html>",
            503,
            PageKind.BLOCKED,
            "challenge",
        ),
        (
            '<html><body><div id="challenge-form">Verify you are human</div></body></html>',
            None,
            PageKind.BLOCKED,
            "challenge",
        ),
        ("<html><body>Access denied</body></html>", None, PageKind.BLOCKED, "block"),
        ("<html><body>x</body></html>", 429, PageKind.BLOCKED, "429"),
        ("<html><body>x</body></html>", 403, PageKind.BLOCKED, "403"),
        (
            "<html><head><title>410 account suspended — Medium</title></head></html>",
            410,
            PageKind.OTHER,
            "410",
        ),
    ],
)
def test_block_and_error_pages(html: str, status: int | None, kind: PageKind, frag: str) -> None:
    res = parse_html(html, status=status)
    assert res.kind is kind and res.posts == []
    assert res.blocked_reason is not None and frag in res.blocked_reason


def test_article_mentioning_just_a_moment_is_not_a_challenge() -> None:
    html = _apollo_page(PROFILE_STATE, body="<p>Just a moment... verify you are human, they said.</p>")
    assert detect(html) is None


def test_dates_are_zero_padded_iso_utc_and_impossible_years_unknown() -> None:
    from linkscout.crawler.parse.norm import iso_from_ms, iso_from_text

    assert iso_from_text("2021-03-18T13:29:13.123+01:00") == "2021-03-18T12:29:13Z"
    assert iso_from_ms(1616074153000) == "2021-03-18T13:29:13Z"
    assert iso_from_text("0206-05-07T10:00:00Z") is None  # strftime would print "206-05-07..."
    assert iso_from_ms(0) is None


def test_pathologically_deep_markup_is_flattened_not_parsed_quadratically() -> None:
    import time

    from linkscout.crawler.parse import parse_page

    n = 16_000
    html = ("<html><head><title>x</title></head><body>" + "<div>" * n
            + '<a href="https://example.com/x" rel="nofollow">x</a>' + "</div>" * n + "</body></html>")  # fmt: skip
    started = time.perf_counter()
    result = parse_page(html)
    assert time.perf_counter() - started < 1.0  # unguarded, lexbor alone needs ~0.4 s for this
    assert any("nests about 16" in w for w in result.warnings)


def test_real_pages_are_never_flattened() -> None:
    from linkscout.crawler.parse.dom import MAX_NESTING, nesting_depth

    page = (
        "<html><body>" + "<section><div><p>text <a href='/x'>a</a><br><img src='i'></p></div></section>" * 500
    )
    assert nesting_depth(page) < 10 < MAX_NESTING
