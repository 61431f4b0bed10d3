"""`?format=json`, GraphQL and robots.txt through `parse_page`.

Capture values were read off the raw files with grep (ids, counts, rels, epoch ms converted with
`date -u -d @<seconds>`), not produced by the parser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from linkscout.core.records import PageKind
from linkscout.crawler.parse import parse_page
from linkscout.crawler.parse.contract import contract_errors


@dataclass(frozen=True)
class PostCase:
    path: str
    kind: PageKind
    id: str
    title: str
    url: str
    author: str
    author_name: str
    publication: str | None
    claps: int
    responses: int
    followers: int | None
    tags: tuple[str, ...]
    published_at: str
    nofollow_links: int
    outbound: str
    locked: bool | None
    reading_time: float
    publication_followers: int | None = None


CASES = [
    PostCase(
        path="json/json-post-freecodecamp-seo-secrets-92fad4f5a39_2021-04_format-json.json",
        kind=PageKind.LEGACY_JSON,
        id="92fad4f5a39",
        title="SEO Secrets: Reverse-Engineering Google’s Algorithm",
        url="https://medium.com/free-code-camp/seo-secrets-reverse-engineering-googles-algorithm-92fad4f5a39",
        author="benjaminbannister",
        author_name="benjamin bannister",
        publication="free-code-camp",
        claps=3973,  # virtuals.totalClapCount (recommends is 1941)
        responses=122,
        followers=2173,  # SocialStats.usersFollowedByCount
        tags=("seo", "google", "tech", "marketing", "startup"),
        published_at="2017-04-26T04:01:57Z",
        nofollow_links=1,  # one "nofollow noopener" markup
        outbound="http://www.benjaminbannister.com/",
        locked=False,
        reading_time=15.355974842767296,
        publication_followers=619350,
    ),
    PostCase(
        path="json/json-post-howto-import-markdown-c06dc981bd96_2015-07_format-json.json",
        kind=PageKind.LEGACY_JSON,
        id="c06dc981bd96",
        title="How to import Markdown into Medium",
        url="https://medium.com/@andymcfee/how-to-import-markdown-into-medium-c06dc981bd96",
        author="andymcfee",
        author_name="Andy McFee",
        publication=None,
        claps=8,  # 2015: recommends, before claps existed
        responses=3,
        followers=None,  # no SocialStats in this payload
        tags=(),
        published_at="2015-02-05T08:03:00Z",
        nofollow_links=0,
        outbound="https://gist.github.com/",
        locked=None,
        reading_time=1.5993710691823901,
    ),
    PostCase(
        path="json/json-post-vipassana-retreat_2015-07_format-json-xssi-stripped.json",
        kind=PageKind.LEGACY_JSON,
        id="71abda54940e",
        title="My 10-day meditation retreat in silence",
        url="https://medium.com/@xdamman/my-10-day-meditation-retreat-in-silence-71abda54940e",
        author="xdamman",
        author_name="Xavier Damman",
        publication=None,
        claps=15,
        responses=2,
        followers=None,
        tags=("meditation", "vipassana"),
        published_at="2015-05-04T08:26:13Z",
        nofollow_links=2,
        outbound="http://www.globalpagoda.org/",
        locked=None,
        reading_time=10.450943396226414,
    ),
    PostCase(
        path="graphql/graphql-post-6-apps-productivity_2023-08_freedium-indented.json",
        kind=PageKind.GRAPHQL,
        id="e582a814d8ef",
        title="6 Apps that Will Skyrocket Your Productivity and Creativity",
        url="https://curiouse.co/6-apps-that-will-skyrocket-your-productivity-and-creativity-e582a814d8ef",
        author="curiousee",
        author_name="Clayton Miller",
        publication=None,
        claps=130,
        responses=2,
        followers=465,
        tags=("mac", "productivity", "technology", "knowledge-management", "apps"),
        published_at="2023-03-03T23:21:49Z",
        nofollow_links=1,
        outbound="https://curiouse.co/subscribe",
        locked=True,
        reading_time=4.439622641509434,
    ),
    PostCase(
        path="graphql/graphql-post-benchmarking-prophet_2023-08_freedium-indented.json",
        kind=PageKind.GRAPHQL,
        id="53273c3ee9c6",
        title="Benchmarking Facebook Prophet",
        url="https://valeman.medium.com/benchmarking-facebook-prophet-53273c3ee9c6",
        author="valeman",
        author_name="Valeriy Manokhin, PhD, MBA, CQF",
        publication=None,
        claps=100,
        responses=1,
        followers=1255,
        tags=("time-series-forecasting", "facebook-prophet", "time-series-analysis", "time-series-model"),
        published_at="2021-11-28T16:54:11Z",
        nofollow_links=0,
        outbound="https://towardsdatascience.com/predicting-the-future-with-facebook-s-prophet-bdfe11af10ff",
        locked=True,
        reading_time=2.142452830188679,
    ),
    PostCase(
        path="graphql/graphql-post-kpi-dashboard-streamlit_2023-08_freedium-indented.json",
        kind=PageKind.GRAPHQL,
        id="c88ac63903f5",
        title="Building a KPI dashboard in Streamlit using Python",
        url="https://medium.com/@cameronjosephjones/building-a-kpi-dashboard-in-streamlit-using-python-c88ac63903f5",
        author="cameronjosephjones",
        author_name="Cameron Jones",
        publication=None,
        claps=107,
        responses=0,  # a real zero: postResponses.count is 0
        followers=46,
        tags=("python", "streamlit", "portfolio", "data-science", "data-analysis"),
        published_at="2023-05-06T13:22:32Z",
        nofollow_links=4,  # 2 "nofollow" + 2 "noopener ugc nofollow"
        outbound="https://www.kaggle.com/datasets/kyanyoga/sample-sales-data",
        locked=False,
        reading_time=3.618867924528302,
    ),
    PostCase(
        path="graphql/graphql-post-linkedin-premium_2023-10_freedium-indented.json",
        kind=PageKind.GRAPHQL,
        id="d4222bd1a0b3",
        title="How I Got Free LinkedIn Premium Membership\U0001f923",
        url="https://anudeep-vysyaraju.medium.com/how-any-gitamite-can-get-free-linkedin-premium-membership-d4222bd1a0b3",
        author="anudeep-vysyaraju",
        author_name="Anudeep Vysyaraju",
        publication=None,
        claps=398,
        responses=6,
        followers=181,
        tags=("cybersecurity", "hacking", "bug-bounty", "pentesting", "penetration-testing"),
        published_at="2023-09-04T16:47:42Z",
        nofollow_links=5,
        outbound="https://www.linkedin.com/in/hemantsolo/",
        locked=False,
        reading_time=2.628301886792453,
    ),
    PostCase(
        path="graphql/graphql-post-midjourney-consistent-characters_2023-11_freedium-indented.json",
        kind=PageKind.GRAPHQL,
        id="4723173f4e2d",
        title="Creating Consistent Characters using Midjourney’s new In-Painting Tool",
        url="https://medium.com/@davidcomfort/creating-consistent-characters-using-midjourneys-new-in-painting-tool-4723173f4e2d",
        author="davidcomfort",
        author_name="David Comfort",
        publication=None,
        claps=114,
        responses=2,
        followers=988,
        tags=("midjourney", "ai-art", "inpainting", "graphic-novels"),
        published_at="2023-08-23T01:26:20Z",
        nofollow_links=1,
        outbound="https://twitter.com/javilopen/status/1693730802670981166",
        locked=True,
        reading_time=3.7896226415094336,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[Path(c.path).stem[:48] for c in CASES])
def test_post_payload_capture(captures_dir: Path, case: PostCase) -> None:
    result = parse_page((captures_dir / case.path).read_bytes())
    assert result.kind is case.kind
    post = next(p for p in result.posts if p.id == case.id)
    assert post.title == case.title
    assert post.url == case.url
    assert (post.author, post.author_name, post.publication) == (
        case.author,
        case.author_name,
        case.publication,
    )
    assert (post.claps, post.responses) == (case.claps, case.responses)
    assert post.tags == case.tags
    assert post.published_at == case.published_at
    assert post.locked is case.locked
    assert post.reading_time == pytest.approx(case.reading_time)
    assert post.links is not None
    assert sum(1 for link in post.links if link.nofollow) == case.nofollow_links
    assert case.outbound in [link.url for link in post.links]
    author = next(a for a in result.authors if a.username == case.author)
    assert author.followers == case.followers
    assert author.name == case.author_name
    if case.publication:
        pub = next(p for p in result.publications if p.slug == case.publication)
        assert pub.followers == case.publication_followers
    if case.locked:
        assert post.links_partial is True
    assert contract_errors(result.to_contract()) == []


def test_graphql_rel_empty_string_is_null(captures_dir: Path) -> None:
    """GraphQL stores a missing rel as "": the contract wants null, not a stand-in."""
    path = "graphql/graphql-post-linkedin-premium_2023-10_freedium-indented.json"
    post = parse_page((captures_dir / path).read_bytes()).posts[0]
    linkedin = [
        link
        for link in post.links or ()
        if link.url == "https://www.linkedin.com/in/anudeep-vysyaraju-577b7a1a3/"
    ]
    assert [link.rel for link in linkedin] == [None, "noopener ugc nofollow"]
    assert linkedin[0].anchor == "Anudeep Vysyaraju"


def test_graphql_null_post(captures_dir: Path) -> None:
    result = parse_page(
        (captures_dir / "graphql/graphql-post-null-meterpost_2023-09_freedium-indented.json").read_bytes()
    )
    assert result.kind is PageKind.GRAPHQL
    assert result.posts == [] and result.authors == []
    assert any("data.post is null" in w for w in result.warnings)


def test_xssi_prefix_is_optional(captures_dir: Path) -> None:
    raw = (
        captures_dir / "json/json-post-howto-import-markdown-c06dc981bd96_2015-07_format-json.json"
    ).read_bytes()
    assert raw.startswith(b"])}while(1);</x>")
    with_prefix = parse_page(raw)
    without = parse_page(raw[len(b"])}while(1);</x>") :])
    assert with_prefix.kind is without.kind is PageKind.LEGACY_JSON
    assert with_prefix.to_contract() == without.to_contract()


def test_robots_capture(captures_dir: Path) -> None:
    result = parse_page((captures_dir / "robots/robots-medium.com-circa2020_cinoize-mirror.txt").read_bytes())
    assert result.kind is PageKind.ROBOTS
    assert result.posts == [] and result.authors == [] and result.publications == []
    assert result.outlinks == ["https://medium.com/sitemap/sitemap.xml"]
    assert contract_errors(result.to_contract()) == []


# --- inline payloads -------------------------------------------------------------------------------

_GQL_POST = {
    "__typename": "Post",
    "id": "aaaa1111bbbb",
    "title": "T",
    "mediumUrl": "https://medium.com/better-marketing/t-aaaa1111bbbb?source=collection_home",
    "canonicalUrl": "https://example.com/original",
    "clapCount": 5,
    "postResponses": {"count": 1},
    "isLocked": False,
    "firstPublishedAt": 1700000000000,
    "creator": {"__typename": "User", "id": "u1", "username": "Ann", "name": "Ann", "socialStats": {"followerCount": 9}},
    "collection": {"__typename": "Collection", "id": "c1", "slug": "better-marketing", "name": "BM", "subscriberCount": 77},
    "tags": [{"id": "seo"}, {"displayTitle": "Content Marketing"}],
    "content": {"bodyModel": {"paragraphs": [{"text": "see here", "markups": [
        {"type": "A", "start": 4, "end": 8, "href": "https://ahrefs.com", "rel": "noopener ugc nofollow"},
        {"type": "STRONG", "start": 0, "end": 3},
    ]}]}},
}  # fmt: skip


@pytest.mark.parametrize("wrap", ["object", "array"])
def test_graphql_post_payload(wrap: str) -> None:
    payload = {"data": {"post": _GQL_POST}}
    doc = json.dumps([payload] if wrap == "array" else payload)
    result = parse_page(doc)
    assert result.kind is PageKind.GRAPHQL
    post = result.posts[0]
    assert post.url == "https://medium.com/better-marketing/t-aaaa1111bbbb"
    assert post.canonical_url == "https://example.com/original"
    assert (post.author, post.publication, post.tags) == (
        "ann",
        "better-marketing",
        ("seo", "content-marketing"),
    )
    assert post.published_at == "2023-11-14T22:13:20Z"
    assert [(link.url, link.rel, link.anchor) for link in post.links or ()] == [
        ("https://ahrefs.com", "noopener ugc nofollow", "here")
    ]
    assert [(p.slug, p.followers) for p in result.publications] == [("better-marketing", 77)]
    assert [(a.username, a.followers) for a in result.authors] == [("ann", 9)]


def test_graphql_user_payload_with_nested_posts() -> None:
    doc = {
        "data": {
            "user": {
                "__typename": "User",
                "id": "u1",
                "username": "ann",
                "bio": "Writes",
                "socialStats": {"followerCount": 3},
                "homepagePostsConnection": {
                    "posts": [{"__typename": "Post", "id": "cccc2222dddd", "title": "P"}]
                },
            }
        }
    }
    result = parse_page(json.dumps(doc))
    assert [(a.username, a.bio, a.followers) for a in result.authors] == [("ann", "Writes", 3)]
    assert [p.id for p in result.posts] == ["cccc2222dddd"]
    assert result.posts[0].links is None  # no body in a listing: unknown, not empty


def test_graphql_errors_and_hostile_types() -> None:
    doc = {
        "errors": [{"message": "rate limited"}],
        "data": {"post": {"__typename": "Post", "id": "xyz", "clapCount": -4}},
    }
    result = parse_page(json.dumps(doc))
    assert result.kind is PageKind.GRAPHQL
    assert result.posts == []
    assert any("rate limited" in w for w in result.warnings)
    hostile = {"data": {"post": {"__typename": "Post", "id": "aaaa1111bbbb", "clapCount": "many", "tags": 5,
                                 "creator": [], "content": {"bodyModel": {"paragraphs": [{"markups": [{"type": "A"}]}]}}}}}  # fmt: skip
    result = parse_page(json.dumps(hostile))
    assert result.posts[0].claps is None and result.posts[0].tags == () and result.posts[0].links == ()
    assert contract_errors(result.to_contract()) == []


def test_truncated_legacy_json_is_a_warning() -> None:
    result = parse_page(
        '])}while(1);</x>{"success":true,"payload":{"value":{"id":"aaaa1111bbbb","title":"Cut'
    )
    assert result.kind is PageKind.LEGACY_JSON
    assert result.posts == []
    assert any("not valid JSON" in w for w in result.warnings)


def test_legacy_profile_payload_uses_user_object() -> None:
    doc = {
        "success": True,
        "payload": {
            "user": {"userId": "u1", "username": "ann", "name": "Ann"},
            "references": {"SocialStats": {"u1": {"usersFollowedByCount": 12}}},
        },
    }
    result = parse_page("])}while(1);</x>" + json.dumps(doc))
    assert [(a.username, a.followers) for a in result.authors] == [("ann", 12)]


def test_robots_is_recognised_without_a_url() -> None:
    result = parse_page(
        b"# hi\nUser-agent: *\nDisallow: /m/\nSitemap: https://medium.com/sitemap/sitemap.xml\n"
    )
    assert result.kind is PageKind.ROBOTS
    assert result.outlinks == ["https://medium.com/sitemap/sitemap.xml"]
