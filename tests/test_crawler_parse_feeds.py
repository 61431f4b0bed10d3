"""RSS feeds through `parse_page`: real captures (values read off the raw XML) and small inline feeds."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from linkscout.core.records import PageKind, PageResult
from linkscout.crawler.parse import parse_page
from linkscout.crawler.parse.contract import contract_errors


@dataclass(frozen=True)
class FeedCase:
    path: str
    ids: tuple[str, ...]
    first: dict[str, Any]
    authors: tuple[dict[str, Any], ...]
    publications: tuple[dict[str, Any], ...]
    outbound: tuple[str, str] | None  # (post id, a URL in its content:encoded body)
    full_text: bool
    responses: tuple[str, ...] = ()
    item_owner: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # id -> (author, pub)


FEEDS = [
    FeedCase(
        path="feed/feed-publication-customdomain-tech.masters3d.com_2017-07-22.xml",
        ids=("135b6538ee08", "6c69b03d838b", "ce26018c3f2", "bf2fb939da0"),
        first={
            "title": "How to run SwiftPM Tests",
            "url": "https://tech.masters3d.com/how-to-run-swiftpm-tests-135b6538ee08",
            "author": None,
            "author_name": "J Cheyo Jimenez",
            "publication": None,  # a custom-domain feed never names the Medium slug
            "published_at": "2016-12-17T02:18:45Z",
            "tags": ("swift", "swift-package-manager", "programming"),
        },
        authors=(),
        publications=(
            {"slug": None, "id": "3dd52373a16", "name": "Tech Masters3d", "domain": "tech.masters3d.com"},
        ),
        outbound=("135b6538ee08", "http://swift.org/"),
        full_text=True,
    ),
    FeedCase(
        path="feed/feed-publication-usrsocntpu-zh_2024-06.xml",
        ids=(
            "34900882162e",
            "444783fb9d31",
            "4c395c9061bf",
            "4a778973fe28",
            "63bf3c59b854",
            "3be668164c09",
            "ce20181b2187",
            "223857ad43db",
            "52f8542a9e19",
            "5f0d6e125dd2",
        ),  # fmt: skip
        first={
            "title": "【USR】林茂廷與E.Major團隊開創數位服務新典範",
            "author": None,
            "author_name": "台灣鳶山社會實踐協會",
            "publication": "usrsocntpu",
            "published_at": "2024-06-20T10:50:37Z",
            "tags": ("usr-ntpu", "在地實踐", "活躍老化"),
        },
        authors=(),
        publications=(
            {"slug": "usrsocntpu", "id": "5c0c94d8afed", "name": "NTPUSOC社會實踐", "domain": None},
        ),
        outbound=("34900882162e", "https://usrsoc.ntpu.edu.tw/"),
        full_text=True,
    ),
    FeedCase(
        path="feed/feed-tag-cryptocurrency_2026-02.xml",
        ids=(
            "15b98c86ddca",
            "99a61d3692e2",
            "a4b5679f165c",
            "73e94ef3fc81",
            "6dab8f2a07d5",
            "4e04b41e2f9f",
            "f78ef347e881",
            "e790c3f65771",
            "ef3db3bf9e27",
            "7283142dd959",
        ),  # fmt: skip
        first={
            "title": "Before the 2026 Surge: Real-World Use Case Gems to Watch.",
            "url": "https://medium.com/@j.razo7869/before-the-2026-surge-real-world-use-case-gems-to-watch-15b98c86ddca",
            "author": "j.razo7869",
            "author_name": "Joseph Razo",
            "publication": None,
            "published_at": "2026-02-18T17:01:01Z",
            "tags": (
                "medium-partner-program",
                "economics",
                "cryptocurrency",
                "technology",
                "decentralized-finance",
            ),
        },
        authors=(
            {"username": "j.razo7869", "name": "Joseph Razo"},
            {"username": "shosaski", "name": "Shogun Saski"},
        ),
        publications=({"slug": "coinmonks", "name": "Coinmonks"}, {"slug": "pharus", "name": "Pharus"}),
        outbound=None,
        full_text=False,
        item_owner={
            "4e04b41e2f9f": (None, "coinmonks"),  # medium.com/coinmonks/...
            "99a61d3692e2": ("cryptotaxaudit", None),  # cryptotaxaudit.medium.com, dc:creator CryptoTaxAudit
        },
    ),
    FeedCase(
        path="feed/feed-user-at-emarley_2016-08-28.xml",
        ids=(
            "c44a41af38d1",
            "3a4dab489f45",
            "b959ded1a1a4",
            "e9aa43486521",
            "7b33fe989f6e",
            "ab916601f2ad",
            "20a90bf5ebf",
            "d8ed0b43f0f9",
            "e0ef45fcd284",
            "6ab141a1c5b5",
        ),  # fmt: skip
        first={
            "title": "UI Automation & screenshots",
            "url": "https://medium.com/@emarley/ui-automation-screenshots-c44a41af38d1",
            "author": "emarley",
            "author_name": "Liz Marley",
            "publication": None,
            "published_at": "2016-05-07T23:53:30Z",
            "tags": (),
        },
        authors=({"username": "emarley", "id": "b4981c59ffa5", "name": "Liz Marley"},),
        publications=(),
        outbound=None,
        full_text=False,
        # One-sentence items with no snippet and no image: the whole response was its title.
        responses=("e9aa43486521", "7b33fe989f6e", "ab916601f2ad"),
    ),
    FeedCase(
        path="feed/feed-user-at-jinnabaalu_2024-08-06.xml",
        ids=(
            "8506953ac4a5",
            "7321bdce0aa8",
            "991d904461b3",
            "37409486fc4c",
            "cd43ab039367",
            "913427f52315",
            "2b7049a13272",
            "e13212bb104",
            "a4fc7bf4aa39",
        ),  # fmt: skip
        first={
            "title": "Running Verdaccio a Self Hosted Private NPM with Docker",
            "url": "https://jinnabaalu.medium.com/running-verdaccio-a-self-hosted-private-npm-with-docker-8506953ac4a5",
            "author": "jinnabaalu",
            "author_name": "Jinna Baalu",
            "publication": None,  # the author's own subdomain, not a publication
            "published_at": "2023-12-13T21:18:40Z",
            "tags": ("verdaccio", "npm", "docker", "private-npm-packages"),
        },
        authors=({"username": "jinnabaalu", "id": "5c894fbb59cd", "name": "Jinna Baalu"},),
        publications=(),
        outbound=("8506953ac4a5", "https://github.com/ContainerTalks/verdaccio-docker-compose"),
        full_text=True,
    ),
    FeedCase(
        path="feed/feed-user-at-linukaarambawela_2026-02-27.xml",
        ids=(
            "2b9c66972c6c",
            "76b2d9f5cee9",
            "097b0d3a7f1a",
            "549f5c679451",
            "432f8a0ce891",
            "6cf9f4579155",
            "262d17d56604",
            "58be800ae16b",
            "b66ef21d32d5",
            "05e5c4661faa",
        ),  # fmt: skip
        first={
            "title": "The 30-Second Secret: How Your Phone Generates Unbreakable Codes",
            "author": "linukaarambawela",
            "author_name": "Linuka Arambawela",
            "publication": None,
            "published_at": "2026-02-27T18:11:41Z",
            "tags": ("identity-management", "mfa", "authentication", "two-factor-authentication"),
        },
        authors=({"username": "linukaarambawela", "id": "1e74636a6ac6", "name": "Linuka Arambawela"},),
        publications=({"slug": "ballerina-techblog", "name": "Ballerina Swan Lake Tech Blog"},),
        outbound=("76b2d9f5cee9", "https://console.anthropic.com"),
        full_text=True,
        item_owner={"6cf9f4579155": ("linukaarambawela", "ballerina-techblog")},
    ),
    FeedCase(
        path="other/other-feed-user-at-gabriel_avila_2025-07-21_chrome-xmlviewer-copy-NOT-RAW.xml",
        ids=(
            "bd492f82fda5",
            "12a312a9a411",
            "c247f00b7350",
            "35007cbcd57a",
            "945ce1e18415",
            "36b11c3af36f",
            "603b30a94a7a",
        ),  # fmt: skip
        first={
            "title": "The right mindset for Software Engineers and a BIG invite",
            "author": "gabriel_avila",
            "author_name": "Gabriel Ávila",
            "published_at": "2023-07-28T04:02:54Z",
            "tags": ("coding", "software-development", "programming", "mentorship", "software-engineering"),
        },
        authors=({"username": "gabriel_avila", "id": "e2a7c82d399b", "name": "Gabriel Ávila"},),
        publications=({"slug": "thecapital", "name": "The Capital"},),
        outbound=("bd492f82fda5", "https://www.linkedin.com/in/gabriel-avila/"),
        full_text=True,
        item_owner={"603b30a94a7a": ("gabriel_avila", "thecapital")},
    ),
]


def _load(captures_dir: Path, rel: str) -> PageResult:
    return parse_page((captures_dir / rel).read_bytes())


@pytest.mark.parametrize("case", FEEDS, ids=[Path(c.path).stem[:48] for c in FEEDS])
def test_feed_capture(captures_dir: Path, case: FeedCase) -> None:
    result = _load(captures_dir, case.path)
    assert result.kind is PageKind.FEED
    assert tuple(p.id for p in result.posts) == case.ids
    first = result.posts[0]
    for key, value in case.first.items():
        assert getattr(first, key) == value, key
    # Feeds carry no counts: unknown stays None, never 0.
    assert all(p.claps is None and p.responses is None and p.reading_time is None for p in result.posts)
    assert all(a.followers is None for a in result.authors)
    for expected in case.authors:
        match = [a for a in result.authors if a.username == expected["username"]]
        assert match, expected
        for key, value in expected.items():
            assert getattr(match[0], key) == value, (expected["username"], key)
    for expected in case.publications:
        match = [p for p in result.publications if p.slug == expected["slug"]]
        assert match, expected
        for key, value in expected.items():
            assert getattr(match[0], key) == value, (expected["slug"], key)
    if case.full_text:
        assert all(p.links is not None for p in result.posts)
    else:
        assert all(p.links is None for p in result.posts)  # snippet only: links unknown, not empty
        assert any("snippet" in w for w in result.warnings)
    # Medium's feed bodies carry no rel attribute at all (grep finds no "nofollow" in these files).
    assert sum(1 for p in result.posts for link in p.links or () if link.nofollow) == 0
    assert all(link.rel is None for p in result.posts for link in p.links or ())
    assert not any("medium.com/_/stat" in link.url for p in result.posts for link in p.links or ())
    if case.outbound:
        post = next(p for p in result.posts if p.id == case.outbound[0])
        assert case.outbound[1] in [link.url for link in post.links or ()]
    assert sorted(p.id for p in result.posts if p.is_response) == sorted(case.responses)
    for pid, (author, pub) in case.item_owner.items():
        post = next(p for p in result.posts if p.id == pid)
        assert (post.author, post.publication) == (author, pub)
    assert contract_errors(result.to_contract()) == []


def test_chrome_xml_viewer_copy_is_flagged(captures_dir: Path) -> None:
    path = "other/other-feed-user-at-gabriel_avila_2025-07-21_chrome-xmlviewer-copy-NOT-RAW.xml"
    result = _load(captures_dir, path)
    assert any("XML viewer" in w for w in result.warnings)
    assert result.url == "https://medium.com/@gabriel_avila/feed"


def test_footer_links_are_not_body_links(captures_dir: Path) -> None:
    """The "originally published in <pub>" footer after the stat pixel is Medium's, not the author's."""
    result = _load(captures_dir, "feed/feed-user-at-linukaarambawela_2026-02-27.xml")
    post = next(p for p in result.posts if p.id == "6cf9f4579155")
    assert "https://medium.com/ballerina-techblog" not in [link.url for link in post.links or ()]


# --- inline feeds: the template's variations and the response heuristic ---------------------------

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><rss xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" '
    'version="2.0"><channel><title><![CDATA[{title}]]></title>'
    '<atom:link href="{self}" rel="self" type="application/rss+xml"/>'
)
_TAIL = "</channel></rss>"


def _item(
    pid: str,
    title: str,
    link: str,
    *,
    cats: tuple[str, ...] = (),
    content: str | None = None,
    description: str | None = None,
) -> str:
    parts = [
        f"<item><title><![CDATA[{title}]]></title><link>{link}</link>",
        f'<guid isPermaLink="false">https://medium.com/p/{pid}</guid>',
        *(f"<category><![CDATA[{c}]]></category>" for c in cats),
        "<dc:creator><![CDATA[Ann Example]]></dc:creator><pubDate>Tue, 02 Jan 2024 03:04:05 GMT</pubDate>",
    ]
    if content is not None:
        parts.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
    if description is not None:
        parts.append(f"<description><![CDATA[{description}]]></description>")
    parts.append("</item>")
    return "".join(parts)


def _feed(
    items: list[str], *, self_link: str = "https://medium.com/@ann/feed", title: str = "Stories by Ann"
) -> str:
    return _HEAD.format(title=title, self=self_link) + "".join(items) + _TAIL


PIXEL = (
    '<img src="https://medium.com/_/stat?event=post.clientViewed&referrerSource=full_rss&postId=x" width="1">'
)


def test_response_with_bare_id_link_and_title_prefix() -> None:
    post_body = "<h3>Setup</h3><p>Long text</p>" + PIXEL
    response_body = "<p>Great point about caching, thanks for sharing this.</p>" + PIXEL
    xml = _feed(
        [
            _item("aaaa1111bbbb", "A real post", "https://medium.com/@ann/a-real-post-aaaa1111bbbb", cats=("seo",), content=post_body),
            _item("cccc2222dddd", "Great point about caching, thanks for…", "https://medium.com/@ann/cccc2222dddd", content=response_body),
            _item("eeee3333ffff", "Great point about caching, thanks for…", "https://medium.com/@ann/great-point-eeee3333ffff", content=response_body),
            _item("1234abcd5678", "Untagged post", "https://medium.com/@ann/untagged-post-1234abcd5678", content="<figure><img src='x'></figure><p>Body</p>"),
        ]
    )  # fmt: skip
    result = parse_page(xml)
    verdicts = {p.id: p.is_response for p in result.posts}
    assert verdicts == {
        "aaaa1111bbbb": False,
        "cccc2222dddd": True,
        "eeee3333ffff": True,
        "1234abcd5678": False,
    }
    contract = result.to_contract()
    assert [p.get("is_response") for p in contract["posts"]] == [None, True, True, None]
    assert contract_errors(contract) == []


def test_snippet_feed_untagged_item_is_response_when_others_are_tagged() -> None:
    snippet = '<div class="medium-feed-item"><p class="medium-feed-snippet">text</p></div>'
    xml = _feed(
        [
            _item("aaaa1111bbbb", "Tagged", "https://medium.com/@ann/tagged-aaaa1111bbbb", cats=("seo",), description=snippet),
            _item("cccc2222dddd", "Nice one", "https://medium.com/@ann/nice-one-cccc2222dddd", description=snippet),
        ]
    )  # fmt: skip
    result = parse_page(xml)
    assert [p.is_response for p in result.posts] == [False, True]
    assert all(p.links is None for p in result.posts)


def test_body_links_keep_raw_rel_and_drop_the_stat_pixel_link() -> None:
    body = (
        '<p>See <a href="https://ahrefs.com/blog" rel="noopener ugc nofollow">Ahrefs</a> and '
        '<a href="https://medium.com/@bob/x-1234abcd5678">Bob</a>.</p>'
        '<a href="https://medium.com/_/stat?event=x"><img src="y"></a>' + PIXEL
    )
    xml = _feed([_item("aaaa1111bbbb", "Links", "https://medium.com/@ann/links-aaaa1111bbbb?source=rss-0123456789ab------2", cats=("seo",), content=body)])  # fmt: skip
    post = parse_page(xml).posts[0]
    assert [(link.url, link.rel, link.anchor) for link in post.links or ()] == [
        ("https://ahrefs.com/blog", "noopener ugc nofollow", "Ahrefs"),
        ("https://medium.com/@bob/x-1234abcd5678", None, "Bob"),
    ]
    assert post.url == "https://medium.com/@ann/links-aaaa1111bbbb"
    assert post.author_id == "0123456789ab"


@pytest.mark.parametrize(
    ("self_link", "title", "expect"),
    [
        ("https://medium.com/feed/@ann", "Stories by Ann on Medium", ("author", "ann")),
        ("https://medium.com/@ann/feed", "Stories by Ann on Medium", ("author", "ann")),
        ("https://medium.com/feed/better-marketing", "Better Marketing - Medium", ("publication", "better-marketing")),
        ("https://medium.com/feed/better-marketing/tagged/seo", "Better Marketing - Medium", ("publication", "better-marketing")),
        ("https://ann.medium.com/feed", "Stories by Ann on Medium", ("author", "ann")),
        ("https://onezero.medium.com/feed", "OneZero - Medium", ("publication", "onezero")),
    ],
)  # fmt: skip
def test_feed_owner_from_self_link(self_link: str, title: str, expect: tuple[str, str]) -> None:
    xml = _feed([_item("aaaa1111bbbb", "T", "https://medium.com/p/aaaa1111bbbb", cats=("x",), content="<p>b</p>")], self_link=self_link, title=title)  # fmt: skip
    result = parse_page(xml)
    post = result.posts[0]
    if expect[0] == "author":
        assert post.author == expect[1]
        assert [a.username for a in result.authors] == [expect[1]]
    else:
        assert post.publication == expect[1]
        assert [p.slug for p in result.publications] == [expect[1]]


def test_tag_feed_self_link_and_unowned_items() -> None:
    xml = _feed(
        [
            _item(
                "aaaa1111bbbb",
                "T",
                "https://medium.com/@zed/t-aaaa1111bbbb",
                cats=("seo",),
                description="<p>s</p>",
            )
        ],
        self_link="https://medium.com/feed/tag/seo",
        title="SEO on Medium",
    )
    result = parse_page(xml)
    assert result.kind is PageKind.FEED
    assert result.posts[0].author == "zed"
    assert [a.username for a in result.authors] == ["zed"]


def test_truncated_feed_keeps_complete_items() -> None:
    xml = _feed(
        [
            _item(
                "aaaa1111bbbb",
                "One",
                "https://medium.com/@ann/one-aaaa1111bbbb",
                cats=("a",),
                content="<p>x</p>",
            ),
            _item(
                "cccc2222dddd",
                "Two",
                "https://medium.com/@ann/two-cccc2222dddd",
                cats=("b",),
                content="<p>y</p>",
            ),
        ]
    )
    cut = xml[: xml.index("Two") + 20]
    result = parse_page(cut)
    assert result.kind is PageKind.FEED
    assert result.posts[0].id == "aaaa1111bbbb"
    assert any("malformed" in w for w in result.warnings)
    assert contract_errors(result.to_contract()) == []


def test_item_without_id_is_skipped_with_warning() -> None:
    bad = "<item><title>No id</title><link>https://example.com/x</link></item>"
    result = parse_page(_feed([bad]))
    assert result.posts == []
    assert any("without a post id" in w for w in result.warnings)


def test_atom_feed_is_read() -> None:
    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>'
        "<entry><id>https://medium.com/p/aaaa1111bbbb</id><title>Atom post</title>"
        '<link href="https://medium.com/@ann/atom-post-aaaa1111bbbb"/><updated>2024-01-02T03:04:05Z</updated>'
        '<category term="SEO"/></entry></feed>'
    )
    result = parse_page(atom)
    assert result.kind is PageKind.FEED
    post = result.posts[0]
    assert (post.id, post.title, post.author, post.tags, post.published_at) == (
        "aaaa1111bbbb",
        "Atom post",
        "ann",
        ("seo",),
        "2024-01-02T03:04:05Z",
    )


def test_an_unsplittable_link_costs_only_that_item() -> None:
    """urllib raises ValueError on a damaged IPv6 bracket; one bad item must not sink the feed."""
    xml = _feed(
        [
            _item(
                "aaaa1111bbbb",
                "Good",
                "https://medium.com/@ann/good-aaaa1111bbbb",
                cats=("a",),
                content="<p>x</p>",
            ),
            "<item><title>Bad</title><link>http://[]/x-cccc2222dddd</link></item>",
        ]
    )
    result = parse_page(xml)
    assert result.kind is PageKind.FEED
    assert [p.id for p in result.posts] == ["aaaa1111bbbb"]
