"""parse_html on every real HTML capture in ../shared/medium-captures (article, tag, publication,
profile, other). Expected values were read from the raw files (grep of the embedded JSON, meta tags
and anchors), cross-checked with CATALOG.md, never pasted from parser output.

Keys of an expectation: kind, url, post (main/first post id), title, author, publication, claps,
responses, locked, tags (a subset), nofollow (count of nofollow body links of the main post),
outbound (a body link URL prefix), author_followers {username: n}, pub_followers {slug: n},
n_posts, has_post (ids), warn (substrings that must appear in some warning), reading_time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from linkscout.core.records import PageKind
from linkscout.crawler.parse.page import parse_html

A, T, PUB, PRO, OTH = "article", "tag", "publication", "profile", "other"

CASES: dict[str, dict[str, Any]] = {
    # ---- articles, legacy obvInit / GLOBALS era ----------------------------------------------
    f"{A}/article-2015-backchannel-deep-web-drug-lab_readability-prettyprinted.html": dict(
        kind="article",
        post="9718cd0fe504",
        author="josephfcox",
        publication="backchannel",
        claps=None,
        nofollow=11,
        outbound="http://en.wikipedia.org/wiki/MDMA",
        warn=["clap count not found"],
    ),
    f"{A}/article-2015-pippinlee-open-journalism-project_readability-prettyprinted.html": dict(
        kind="article",
        post="fb39f4f701bb",
        title="The Open Journalism Project: Better Student Journalism",
        author="pippinlee",
        nofollow=11,
        outbound="http://pippinlee.github.io/open-journalism-project",
    ),
    f"{A}/article-2016-03-ndaidong-setup-rocket-chat_legacy-obv.html": dict(
        kind="article",
        post="2b00f3366c6",
        title="Setup Rocket Chat within 10 minutes",
        author="ndaidong",
        claps=10,
        responses=0,
        tags=["meteor", "rocket-chat", "nodejs"],
        nofollow=14,
        outbound="https://www.meteor.com/",
        author_followers={"ndaidong": 205},
    ),
    f"{A}/article-2016-salesforce-net-dollar-churn_metascraper.html": dict(
        kind="article",
        post="52184f9c2625",
        author="salesforce",
        claps=5,
        responses=0,
        tags=["saas", "startup"],
        nofollow=4,
        outbound="http://www.scalevp.com/team/alex-niehenke",
        author_followers={"salesforce": 26046},
    ),
    f"{A}/article-2017-04-erikdkennedy-gorgeous-ui_browser-saveas_legacy-obv.html": dict(
        kind="article",
        post="559d4e805cda",
        title="7 Rules for Creating Gorgeous UI (Part 1)",
        author="erikdkennedy",
        claps=7065,
        responses=76,
        tags=["design", "ui"],
        nofollow=24,
        outbound="http://calnewport.com/blog/2010/01/06/",
        author_followers={"erikdkennedy": 8801},
        published_at="2014-11-13T21:59:07Z",
    ),
    f"{A}/article-2017-04-hackernoon.com-customdomain-series-a_legacy-obv.html": dict(
        kind="article",
        post="8b630d2a4cef",
        author="adamhealey",
        publication="hacker-daily",
        claps=111,
        responses=8,
        tags=["startup", "venture-capital"],
        nofollow=0,
        reading_time=13.865094339622642,
        url="https://hackernoon.com/how-we-raised-a-7-million-series-a-from-foundry-group-our-top-choice-vc-8b630d2a4cef",
        author_followers={"adamhealey": 379},
    ),
    f"{A}/article-2017-medium.freecodecamp.com-dns_legacy-obv.html": dict(
        kind="article",
        post="5706d0afa0fa",
        author="nikodonnell",
        publication="free-code-camp",
        claps=323,
        responses=3,
        tags=["web-development", "tech"],
        nofollow=0,
        author_followers={"nikodonnell": 65},
    ),
    f"{A}/article-2018-01-beyondtherobot-real-life-superpower_legacy-obv.html": dict(
        kind="article",
        post="c2a9b309cf7",
        title="My Real Life Superpower",
        author="beyondtherobot",
        claps=1266,
        responses=29,
        locked=True,
        tags=["books", "reading"],
        nofollow=4,
        outbound="http://www.dictionary.com/browse/immersive",
        author_followers={"beyondtherobot": 10019},
        warn=["member-only"],
    ),
    f"{A}/article-2018-07-rdsubhas-over-engineering_legacy-obv.html": dict(
        kind="article",
        post="bc67fbef4fc8",
        title="Modern Software Over-Engineering Mistakes",
        author="rdsubhas",
        claps=4018,
        responses=63,
        locked=False,
        tags=["software-development", "coding", "programming", "software", "java"],
        nofollow=18,
        outbound="http://jamesbond.wikia.com/wiki/Casino_Royale",
        author_followers={"rdsubhas": 2366},
        published_at="2016-07-20T23:13:57Z",
    ),
    # ---- articles whose publisher stripped the scripts: warnings, plus what meta/DOM still carry --
    f"{A}/article-2017-jakobulbrich-flag-attributes-android_postlight-scriptsstripped.html": dict(
        kind="article",
        post="ac4ec8aee7d1",
        author="jakobulbrich",
        claps=63,  # shown in its markup: data-action="show-recommends" ...>63</button> (the DOM layer)
        responses=None,
        reading_time=7.0,
        nofollow=2,
        outbound="https://developer.android.com/training/custom-views",
        warn=["no embedded state (scripts stripped?)"],
    ),
    f"{A}/article-2019-wtfeconomy-customdomain-wtf-whats-the-future_postlight-scriptsstripped.html": dict(
        kind="article",
        post="e52ab9515573",
        author="timoreilly",
        claps=None,
        reading_time=10.0,
        url="https://wtfeconomy.com/wtf-whats-the-future-e52ab9515573",
        nofollow=0,
        warn=["no embedded state (scripts stripped?)"],
    ),
    f"{A}/article-2022-09-jakobulbrich-flag-attributes-android_postlight-scriptsstripped.html": dict(
        kind="article",
        post="ac4ec8aee7d1",
        author="jakobulbrich",
        nofollow=2,
        ugc=2,
        reading_time=7.0,
        outbound="https://developer.android.com/training/custom-views",
        warn=["no embedded state (scripts stripped?)"],
    ),
    # ---- articles, Apollo era ------------------------------------------------------------------
    f"{A}/article-2019-11-to-2020-05-swlh-golden-rule-of-freelancing_apollo.html": dict(
        kind="article",
        post="d02a35c73baa",
        title="The Golden Rule of Freelancing",
        author="chadrwyatt",
        publication="swlh",
        claps=63,
        responses=None,
        locked=True,
        tags=["freelancing", "digital-nomads", "work", "communication"],
        warn=["response count not found"],
    ),
    f"{A}/article-2020-10-pimterry-dokku_apollo.html": dict(
        kind="article",
        post="1cb97e3ab041",
        title="Host your Node app on Dokku & DigitalOcean",
        author="pimterry",
        publication=None,
        claps=65,
        responses=1,
        locked=False,
        tags=["nodejs", "web-hosting", "docker"],
        nofollow=10,
        author_followers={"pimterry": 889},
    ),
    f"{A}/article-2020-ransu-massol-recherche-fr_apollo.html": dict(
        kind="article",
        post="be507f7cf761",
        author="ransu.massol",
        claps=200,
        locked=False,
        tags=["recherche-scientifique", "compétition", "darwinism", "inégalités"],
        nofollow=9,
        outbound="https://www.petitions.fr/recherche__non_a_une_loi_inegalitaire",
    ),
    f"{A}/article-2021-02-walmartglobaltech-ddd-microservices_omnivore-reserialized.html": dict(
        kind="article",
        post="af688aa1b1b8",
        title="Building Domain Driven Microservices",
        author="chandrarramalingam",
        publication="walmartglobaltech",
        claps=641,
        responses=5,
        locked=True,
        tags=["microservices", "distributed-systems", "domain-driven-design", "bounded-context"],
        pub_followers={"walmartglobaltech": 12679},
        warn=["member-only"],
    ),
    f"{A}/article-2021-03-cryptorand-komodo-interview-usersubdomain_httrack.html": dict(
        kind="article",
        post="938cb053763b",
        title="Interview with Komodo team ($KMD)",
        author="cryptorand",
        claps=359,
        responses=0,
        tags=["blockchain", "bitcoin", "cryptocurrency", "crypto", "ico"],
        url="https://cryptorand.medium.com/interview-with-komodo-team-kmd-938cb053763b",
        nofollow=2,
        outbound="http://blocktivity.info/",
        author_followers={"cryptorand": 7500},
        warn=["HTTrack rewrote it"],
    ),
    f"{A}/article-2021-03-invisible-illness-thinking-about-death_httrack.html": dict(
        kind="article",
        post="aba282200d38",
        title="Thinking About Death Enriches Life",
        author="ryanfan",
        publication="invisible-illness",
        claps=453,
        responses=4,
        locked=True,
        partial=True,
        tags=["life", "philosophy", "mental-health", "spirituality", "self"],
        nofollow=2,
        author_followers={"ryanfan": 9419},
        pub_followers={"invisible-illness": 55827},
        published_at="2019-10-14T02:21:21Z",
    ),
    f"{A}/article-2021-03-onezero-survival-of-the-richest-customsubdomain_httrack.html": dict(
        kind="article",
        post="9ef6cddd0cc1",
        title="Survival of the Richest",
        author="rushkoff",
        publication="one-zero",
        claps=92046,
        responses=228,
        locked=True,
        partial=True,
        tags=["future", "future-human", "wealth"],
        nofollow=15,
        outbound="http://www.matthuynh.com/",
        url="https://onezero.medium.com/survival-of-the-richest-9ef6cddd0cc1",
        author_followers={"rushkoff": 40328},
        pub_followers={"one-zero": 246417},
    ),
    f"{A}/article-2021-03-rushkoff-team-human-178-usersubdomain_httrack.html": dict(
        kind="article",
        post="82fd25ebc75f",
        author="rushkoff",
        claps=2,
        responses=0,
        locked=True,
        tags=["tyson-yunkaporta", "sand-talk"],
        nofollow=1,
        outbound="https://bookshop.org/books/sand-talk",
    ),
    f"{A}/article-2021-04-airbnb-engineering-seo-experimentation_apollo.html": dict(
        kind="article",
        post="b64136629760",
        author="bdeluna",
        publication="airbnb-engineering",
        claps=1979,
        responses=11,
        locked=False,
        tags=["seo", "causal-inference", "experimentation"],
        nofollow=5,
        outbound="https://en.wikipedia.org/wiki/Power_(statistics)",
        pub_followers={"airbnb-engineering": 123675},
    ),
    f"{A}/article-2021-webpack-3-official-release_metascraper.html": dict(
        kind="article",
        post="15fd2dd8f07b",
        author="thelarkinn",
        publication="webpack",
        claps=4034,
        responses=51,
        locked=False,
        tags=["javascript", "webpack", "tech", "technology", "web-development"],
        nofollow=5,
        outbound="https://webpack.js.org/vote",
        author_followers={"thelarkinn": 8583},
        url="https://medium.com/webpack/webpack-3-official-release-15fd2dd8f07b",
        published_at="2017-06-19T17:23:28Z",
        reading_time=2.909433962264151,
    ),
    f"{A}/article-2025-12-ev-welcome-to-medium_playwright-rendered-loggedin.html": dict(
        kind="article",
        post="9e53ca408c48",
        title="Welcome to Medium",
        author="ev",
        claps=33159,
        responses=80,
        locked=False,
        tags=["medium", "writing"],
        nofollow=4,
        ugc=4,
        outbound="https://twitter.com/anildash/status/269185787080347648",
        author_followers={"ev": 213548},
        canonical="https://ev.medium.com/welcome-to-medium-9e53ca408c48",
    ),
    # ---- tag pages -----------------------------------------------------------------------------
    f"{T}/tag-archive-paella-2021_2021-04_legacy-obv_rendered-dom.html": dict(
        kind="tag",
        n_posts=4,
        has_post=["50c75c731b47"],
        url="https://medium.com/tag/paella/archive/2021",
        first=dict(
            id="50c75c731b47", title="Kitchen Improvisation & a Birthday Dinner", author="karen-shasha"
        ),
    ),
    f"{T}/tag-recommended-ai_2025-02_requests-raw.html": dict(
        kind="tag",
        n_posts=10,
        first=dict(
            id="75eb46976123",
            title="AI makes you smarter, not lazier",
            author="dariusforoux",
            publication="darius-foroux",
            claps=292,
            responses=7,
        ),
        pub_followers={"darius-foroux": 59488},
    ),
    f"{T}/tag-recommended-data-science_2025-02_requests-raw_earlier-fetch.html": dict(
        kind="tag",
        n_posts=10,
        first=dict(id="2ca9f7deb86c", author="austin-starks", claps=27, responses=1),
    ),
    f"{T}/tag-recommended-financial-performance_2025-02_requests-raw.html": dict(
        kind="tag",
        n_posts=10,
        first=dict(id="5e6f71d0be8a", author="gianetan", claps=0, responses=0, locked=True),
        pub_followers={"insiderfinance": 9398},
    ),
    f"{T}/tag-recommended-multi-sensory-design_2025-02_requests-raw.html": dict(
        kind="tag",
        n_posts=10,
        first=dict(id="2ba4cf379643", author="shriyasub101", claps=50, responses=0),
        pub_followers={"design-bootcamp": 73675},
    ),
    f"{T}/tag-recommended-smart-sensors_2025-02_requests-raw.html": dict(
        kind="tag",
        n_posts=10,
        first=dict(id="0168b2ed1d59", author="smarthome_", claps=0),
    ),
    # ---- publication pages ---------------------------------------------------------------------
    f"{PUB}/publication-blog.medium.com-home_2021-03_httrack.html": dict(
        kind="publication",
        n_posts=10,
        url="https://blog.medium.com/",
        first=dict(
            id="2dee29560d59", title="Custom domains are back!", author="dsa", claps=3680, responses=44
        ),
        pub_followers={"blog": 104154},
    ),
    f"{PUB}/publication-debugger-home-customsubdomain_2021-03_httrack.html": dict(
        kind="publication",
        n_posts=10,
        first=dict(id="59eb5b55414b", author="lanceulanoff", claps=51, responses=0),
        pub_followers={"debugger-by-medium": 10439},
        author_followers={"lanceulanoff": 26979},
    ),
    f"{PUB}/publication-discourse-home_2021-03_httrack.html": dict(
        kind="publication",
        n_posts=10,
        url="https://medium.com/discourse",
        first=dict(author="kevingosztola", publication="discourse"),
        pub_followers={"discourse": 12658},
    ),
    f"{PUB}/publication-gen-home-customsubdomain_2021-03_httrack.html": dict(
        kind="publication",
        n_posts=10,
        first=dict(id="22a972793e4", author="alexanderchee", claps=959, responses=1, locked=True),
        pub_followers={"gen": 102155},
        pub_domain={"gen": "gen.medium.com"},
    ),
    f"{PUB}/publication-onezero-about-customsubdomain_2021-03_httrack.html": dict(
        kind="publication",
        n_posts=0,
        pub_followers={"one-zero": 246417},
        pub_domain={"one-zero": "onezero.medium.com"},
    ),
    f"{PUB}/publication-personal-growth-support-post-submissions_2021-03_httrack.html": dict(
        kind="publication",
        post="b0abd33f75b3",
        author="danpedersen",
        publication="personal-growth",
        pub_followers={"personal-growth": 512856},
        submission={"personal-growth": "b0abd33f75b3"},
    ),
    f"{PUB}/publication-swlh-the-startup-home_2021-03_httrack.html": dict(
        kind="publication",
        n_posts=11,
        url="https://medium.com/swlh",
        first=dict(id="43e7c75506f4", author="timdenning", publication="swlh"),
        pub_followers={"swlh": 779710},
    ),
    # ---- profiles ------------------------------------------------------------------------------
    f"{PRO}/profile-at-AleksandarSvetski-410-suspended_2021-03_httrack.html": dict(
        kind="other",
        n_posts=0,
        blocked_reason="410",
        warn=["account suspended"],
    ),
    f"{PRO}/profile-at-NateRubenRDM-fewposts_2021-03_httrack.html": dict(
        kind="profile",
        n_posts=0,
        url="https://medium.com/@naterubenrdm",
        author_followers={"naterubenrdm": 209},
        warn=["HTTrack rewrote it", "profile: no posts listed"],
    ),
    f"{PRO}/profile-at-ThisIsKlinger_2021-03_httrack.html": dict(
        kind="profile",
        n_posts=10,
        url="https://medium.com/@thisisklinger",
        author_followers={"thisisklinger": 1430},
        first=dict(
            id="562e1ed21fc7", author="thisisklinger", publication="lioness-health", claps=22, responses=1
        ),
    ),
    f"{PRO}/profile-at-oliverwaters_76079_2021-03_httrack.html": dict(
        kind="profile",
        n_posts=10,
        url="https://medium.com/@oliverwaters_76079",
        author_followers={"oliverwaters_76079": 243},
        first=dict(id="e5742a4e5864", publication="curious", claps=99, responses=1, locked=True),
    ),
    f"{PRO}/profile-cryptorand-about_2021-03_httrack.html": dict(
        kind="profile",
        n_posts=0,
        url="https://medium.com/@cryptorand/about",
        author_followers={"cryptorand": 7500},
    ),
    f"{PRO}/profile-cryptorand.medium.com-subdomain_2021-03_httrack.html": dict(
        kind="profile",
        n_posts=10,
        author_followers={"cryptorand": 7500},
        first=dict(id="784165c1f83c", title="Interview with the CEO of COTI", author="cryptorand", claps=13),
    ),
    # ---- other ---------------------------------------------------------------------------------
    f"{OTH}/other-about-what-is-medium_2021-03_httrack.html": dict(kind="other", n_posts=0),
    f"{OTH}/other-homepage-loggedout_2021-03_httrack.html": dict(
        kind="other", n_posts=0, url="https://medium.com/"
    ),
    f"{OTH}/other-search-seo-2021-04-23_legacy-obv.html": dict(
        kind="other",
        n_posts=10,
        url="https://medium.com/search",
        has_post=["1b903b3ab6bb", "92fad4f5a39"],
        first=dict(id="1b903b3ab6bb", author="austenallred"),
    ),
    f"{OTH}/other-topics-page_2021-03_httrack.html": dict(
        kind="other", n_posts=0, url="https://medium.com/topics"
    ),
    f"{OTH}/other-topic-popular-on-medium_2019-10_console-dump-wrapped.txt": dict(
        kind="other",
        n_posts=11,
        first=dict(
            id="155278b7daaa",
            title="The Cure for Toxic Positivity",
            author="rebeccarennerfl",
            publication="forge",
            locked=True,
            claps=None,
        ),
        warn=["clap counts missing"],
    ),
}

_POST_FIELDS = (
    "title",
    "author",
    "publication",
    "claps",
    "responses",
    "locked",
    "published_at",
    "reading_time",
)


@pytest.mark.parametrize("rel", sorted(CASES), ids=lambda r: r.split("/")[-1][:60])
def test_capture(captures_dir: Path, rel: str) -> None:
    exp = CASES[rel]
    path = captures_dir / rel
    text = path.read_bytes().decode("utf-8", errors="replace")
    res = parse_html(text)
    assert res.kind == PageKind(exp["kind"]), res.warnings
    res.to_contract()  # renders without error

    if "url" in exp:
        assert res.url == exp["url"]
    if "n_posts" in exp:
        assert len(res.posts) == exp["n_posts"]
    ids = {p.id for p in res.posts}
    for pid in exp.get("has_post", []):
        assert pid in ids
    if "post" in exp:
        main = res.posts[0]
        assert main.id == exp["post"]
        for name in _POST_FIELDS:
            if name in exp:
                assert getattr(main, name) == exp[name], name
        for tag in exp.get("tags", []):
            assert tag in main.tags
        if "nofollow" in exp:
            assert main.links is not None
            assert sum(link.nofollow for link in main.links) == exp["nofollow"]
        if "ugc" in exp:
            assert sum(link.ugc for link in main.links or ()) == exp["ugc"]
        if "outbound" in exp:
            assert any(link.url.startswith(exp["outbound"]) for link in main.links or ())
        if "partial" in exp:
            assert main.links_partial is exp["partial"]
        if "canonical" in exp:
            assert main.canonical_url == exp["canonical"]
        assert main.url is None or "source=" not in main.url
    if "first" in exp:
        first = res.posts[0]
        for name, value in exp["first"].items():
            assert getattr(first, name) == value, name
    authors = {a.username: a for a in res.authors}
    for user, n in exp.get("author_followers", {}).items():
        assert authors[user].followers == n
    pubs = {p.slug: p for p in res.publications}
    for slug, n in exp.get("pub_followers", {}).items():
        assert pubs[slug].followers == n
    for slug, domain in exp.get("pub_domain", {}).items():
        assert pubs[slug].domain == domain
    for slug, frag in exp.get("submission", {}).items():
        assert pubs[slug].submission_url is not None and frag in pubs[slug].submission_url
    if "blocked_reason" in exp:
        assert res.blocked_reason is not None and exp["blocked_reason"] in res.blocked_reason
    joined = " | ".join(res.warnings)
    for frag in exp.get("warn", []):
        assert frag in joined
    # Never 0 for unknown: a listed post without a count has None, and usernames are normalised.
    for p in res.posts:
        assert p.author is None or (p.author == p.author.lower() and not p.author.startswith("@"))
        assert p.published_at is None or (p.published_at.endswith("Z") and len(p.published_at) == 20)


def test_every_html_capture_has_a_case(captures_dir: Path) -> None:
    found = {
        str(p.relative_to(captures_dir))
        for folder in (A, T, PUB, PRO, OTH)
        for p in (captures_dir / folder).iterdir()
        if p.suffix in (".html", ".txt")
    }
    assert found == set(CASES)
