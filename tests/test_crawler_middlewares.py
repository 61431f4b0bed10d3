"""Downloader middlewares: Retry-After, challenge detection and the stop after N blocks, loopback URLs."""

from __future__ import annotations

import asyncio
from email.utils import formatdate

import pytest
from scrapy import Spider
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.utils.test import get_crawler

from linkscout.core.niche import Niche
from linkscout.crawler.middlewares import (
    META_BLOCKED,
    META_ERROR,
    META_STOP,
    ChallengeMiddleware,
    MediumSlotMiddleware,
    RetryAfterMiddleware,
    loopback_url,
    retry_after_seconds,
)
from linkscout.crawler.settings import base_settings, live_settings, loopback_settings, user_agent

CHALLENGE = b"""<!DOCTYPE html><html><head><title>Just a moment...</title></head>
<body><div id="challenge-form"></div><script src="/cdn-cgi/challenge-platform/x.js"></script></body></html>"""
ARTICLE = b"""<!DOCTYPE html><html><head><title>Why SEO matters</title></head><body>
<script>window.__APOLLO_STATE__ = {"Post:1a2b3c4d5e6f": {"__typename": "Post"}}</script>
<p>Just a moment... let me explain.</p></body></html>"""


def _crawler(**settings):  # type: ignore[no-untyped-def]
    s = {
        **base_settings(Niche()),
        "LINKSCOUT_MAX_CONSECUTIVE_BLOCKS": 3,
        "LINKSCOUT_BLOCK_BACKOFF": 0.0,
        **settings,
    }
    crawler = get_crawler(Spider, s)
    crawler.spider = Spider.from_crawler(crawler, "t")
    return crawler


def _html(url: str, body: bytes, status: int = 200, **headers: str) -> HtmlResponse:
    req = Request(url)
    return HtmlResponse(url, status=status, body=body, request=req,
                        headers={"Content-Type": "text/html; charset=utf-8", **headers})  # fmt: skip


def test_retry_after_seconds_reads_delta_and_http_date() -> None:
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds(" 1 ") == 1.0
    assert retry_after_seconds(formatdate(1_000_030, usegmt=True), now=1_000_000) == pytest.approx(30.0)
    assert retry_after_seconds(formatdate(999_000, usegmt=True), now=1_000_000) == 0.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds(b"soon") is None


def test_loopback_url_keeps_host_path_and_query() -> None:
    assert (
        loopback_url("http://127.0.0.1:8765", "https://searchdesk.medium.com/feed?x=1")
        == "http://127.0.0.1:8765/searchdesk.medium.com/feed?x=1"
    )
    assert (
        loopback_url("http://127.0.0.1:1/", "https://contentloop.pub")
        == "http://127.0.0.1:1/contentloop.pub/"
    )


def test_every_request_joins_the_one_medium_slot() -> None:
    req = Request("https://contentloop.pub/robots.txt")
    MediumSlotMiddleware().process_request(req)
    assert req.meta["download_slot"] == "medium"


def test_challenge_by_body_is_blocked_even_with_200_but_an_article_mentioning_it_is_not() -> None:
    mw = ChallengeMiddleware(_crawler())
    blocked = _html("https://medium.com/tag/seo", CHALLENGE)
    assert mw.process_response(blocked.request, blocked) is blocked
    assert "challenge" in blocked.request.meta[META_BLOCKED].lower()
    assert blocked.request.meta["dont_retry"] is True
    fine = _html("https://medium.com/@a/why-seo-1a2b3c4d5e6f", ARTICLE)
    mw.process_response(fine.request, fine)
    assert META_BLOCKED not in fine.request.meta and mw.consecutive == 0


def test_status_403_and_exhausted_429_are_blocks_a_plain_404_is_not() -> None:
    mw = ChallengeMiddleware(_crawler())
    r403 = TextResponse(
        "https://medium.com/@a", status=403, body=b"", request=Request("https://medium.com/@a")
    )
    mw.process_response(r403.request, r403)
    assert r403.request.meta[META_BLOCKED] == "HTTP 403 Forbidden"
    r404 = TextResponse(
        "https://medium.com/@b", status=404, body=b"nope", request=Request("https://medium.com/@b")
    )
    mw.process_response(r404.request, r404)
    assert META_BLOCKED not in r404.request.meta


def test_n_consecutive_blocks_ask_the_spider_to_stop_with_advice() -> None:
    mw = ChallengeMiddleware(_crawler())
    metas = []
    for i in range(3):
        resp = _html(f"https://medium.com/tag/t{i}", CHALLENGE, status=503)
        mw.process_response(resp.request, resp)
        metas.append(resp.request.meta)
    assert META_STOP not in metas[0] and META_STOP not in metas[1]
    message = metas[2][META_STOP]
    assert "Medium is blocking automated requests" in message
    assert "--source DIR" in message and "--resume" in message
    assert mw.crawler.stats.get_value("linkscout/blocked") == 3


def test_a_good_page_between_blocks_resets_the_count() -> None:
    mw = ChallengeMiddleware(_crawler())
    for body in (CHALLENGE, CHALLENGE, ARTICLE, CHALLENGE, CHALLENGE):
        resp = _html("https://medium.com/x", body)
        mw.process_response(resp.request, resp)
    assert mw.consecutive == 2


def test_retry_after_beyond_the_cap_gives_up_with_a_reason() -> None:
    mw = RetryAfterMiddleware.from_crawler(_crawler(LINKSCOUT_RETRY_AFTER_MAX=60.0))
    req = Request("https://medium.com/tag/seo")
    resp = TextResponse(req.url, status=429, body=b"slow down", headers={"Retry-After": "3600"}, request=req)
    assert asyncio.run(mw.process_response(req, resp)) is resp
    assert "3600 s" in req.meta[META_ERROR] and "--resume" in req.meta[META_ERROR]


def test_a_challenge_served_as_503_is_not_retried() -> None:
    mw = RetryAfterMiddleware.from_crawler(_crawler())
    resp = _html("https://medium.com/tag/seo", CHALLENGE, status=503, **{"Retry-After": "1"})
    assert asyncio.run(mw.process_response(resp.request, resp)) is resp


def test_a_503_without_retry_after_is_retried_at_once_like_scrapy_does() -> None:
    mw = RetryAfterMiddleware.from_crawler(_crawler())
    req = Request("https://medium.com/tag/seo")
    resp = TextResponse(req.url, status=503, body=b"", request=req)
    retry = asyncio.run(mw.process_response(req, resp))
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1


def test_settings_are_polite_live_and_safe_everywhere(tmp_path) -> None:  # type: ignore[no-untyped-def]
    niche = Niche()
    live = live_settings(niche, db_path=tmp_path / "x.db")
    assert live["ROBOTSTXT_OBEY"] is True and live["ROBOTSTXT_PARSER"].endswith("ProtegoRobotParser")
    assert (
        live["DOWNLOAD_DELAY"] >= 4
        and live["AUTOTHROTTLE_ENABLED"]
        and live["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1
    )
    assert live["HTTPCACHE_POLICY"].endswith("RFC2616Policy") and 429 in live["HTTPCACHE_IGNORE_HTTP_CODES"]
    assert live["USER_AGENT"].startswith("linkscout/") and "(+https://" in live["USER_AGENT"]
    for s in (live, loopback_settings(niche, origin="http://127.0.0.1:9")):
        assert s["TELNETCONSOLE_ENABLED"] is False and s["REMOTE_CONTROL_ENABLED"] is False
        assert s["COOKIES_ENABLED"] is False and s["DOWNLOAD_MAXSIZE"] == 20 * 1024 * 1024
    from dataclasses import replace

    slow = replace(
        niche, crawl=replace(niche.crawl, delay_seconds=1.0, user_agent="linkscout-test/1 (+mailto:a@b.c)")
    )
    assert live_settings(slow, db_path=tmp_path / "x.db")["DOWNLOAD_DELAY"] == 4.0  # never below 4 s live
    assert user_agent(slow) == "linkscout-test/1 (+mailto:a@b.c)"
