"""The loopback fixture server: host routing in three request shapes, 404, 304, 429, runtime hooks."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from linkscout.crawler.fixture_site import FixtureServer, serve

SITE = Path(__file__).resolve().parents[1] / "fixtures" / "site"


@pytest.fixture()
def server() -> Iterator[FixtureServer]:
    srv = serve(SITE)
    try:
        yield srv
    finally:
        srv.close()


def _raw_get(srv: FixtureServer, target: str, host: str | None = None) -> tuple[int, bytes]:
    """One request with an arbitrary request-target (proxy-style absolute URIs included)."""
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
        head = f"GET {target} HTTP/1.1\r\nHost: {host or '127.0.0.1'}\r\nConnection: close\r\n\r\n"
        s.sendall(head.encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[1]


def test_answers_by_host_in_all_three_request_shapes(server: FixtureServer) -> None:
    proxy_status, proxy_body = _raw_get(server, "https://medium.com/tag/seo")
    path_status, path_body = _raw_get(server, "/medium.com/tag/seo")
    host_status, host_body = _raw_get(server, "/tag/seo", host="medium.com")
    assert proxy_status == path_status == host_status == 200
    assert proxy_body == path_body == host_body and b"__APOLLO_STATE__" in proxy_body
    # Same path, other host: the publication on its subdomain has its own robots.txt and home.
    status, body = _raw_get(server, "https://searchdesk.medium.com/robots.txt")
    assert status == 200 and b"Sitemap: https://searchdesk.medium.com/" in body
    assert [r[1:] for r in server.requests[:3]] == [("medium.com", "/tag/seo", 200)] * 3


def test_tracking_query_is_ignored_and_unknown_paths_404(server: FixtureServer) -> None:
    r = httpx.get(f"{server.url}/medium.com/tag/seo?source=tag_page------seo---0", timeout=5)
    assert r.status_code == 200
    assert httpx.get(f"{server.url}/medium.com/tag/no-such-tag", timeout=5).status_code == 404
    assert httpx.get(f"{server.url}/elsewhere.example/tag/seo", timeout=5).status_code == 404
    assert httpx.get(f"{server.url}/medium.com/tag/seo?page=2", timeout=5).status_code == 404
    assert server.requests[-1] == ("GET", "medium.com", "/tag/seo?page=2", 404)


def test_etag_and_if_none_match_give_304(server: FixtureServer) -> None:
    r = httpx.get(f"{server.url}/medium.com/feed/tag/seo", timeout=5)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/rss+xml")
    etag = r.headers["etag"]
    assert r.headers["last-modified"].endswith("GMT")
    again = httpx.get(f"{server.url}/medium.com/feed/tag/seo", headers={"If-None-Match": etag}, timeout=5)
    assert again.status_code == 304 and again.content == b""
    other = httpx.get(f"{server.url}/medium.com/feed/tag/seo", headers={"If-None-Match": '"x"'}, timeout=5)
    assert other.status_code == 200


def test_rate_limited_url_gives_429_with_retry_after_then_200(server: FixtureServer) -> None:
    url = next(k for k, e in server.index.items() if e.get("rate_limit"))
    times = server.index[url]["rate_limit"]["times"]
    with httpx.Client(proxy=server.url, timeout=5) as client:
        plain = url.replace(
            "https://", "http://"
        )  # httpx tunnels https through proxies; plain http is forwarded
        for _ in range(times):
            r = client.get(plain)
            assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        assert client.get(plain).status_code == 200


def test_configured_statuses_challenge_suspended_redirect(server: FixtureServer) -> None:
    by_status = {}
    for key, entry in sorted(server.index.items()):
        by_status.setdefault(entry["status"], key)
    r403 = httpx.get(server.url + "/" + by_status[403].removeprefix("https://"), timeout=5)
    assert r403.status_code == 403 and b"Just a moment..." in r403.content
    r410 = httpx.get(server.url + "/" + by_status[410].removeprefix("https://"), timeout=5)
    assert r410.status_code == 410 and b"under investigation" in r410.content
    r301 = httpx.get(server.url + "/" + by_status[301].removeprefix("https://"), timeout=5)
    assert r301.status_code == 301 and r301.headers["location"].startswith("https://")


def test_runtime_add_page_and_fail(server: FixtureServer) -> None:
    url = "https://medium.com/@newwriter/links-to-you-0123456789ab"
    assert _raw_get(server, url)[0] == 404
    server.add_page(url, "<html><body>hello</body></html>")
    status, body = _raw_get(server, url)
    assert status == 200 and body == b"<html><body>hello</body></html>"
    server.fail(url, status=503, times=1)
    assert _raw_get(server, url)[0] == 503
    assert _raw_get(server, url)[0] == 200
    assert [r[3] for r in server.requests if r[2] == "/@newwriter/links-to-you-0123456789ab"] == [
        404,
        200,
        503,
        200,
    ]


def test_concurrent_requests_are_all_logged(server: FixtureServer) -> None:
    import concurrent.futures as cf

    urls = [f"{server.url}/medium.com/robots.txt"] * 40
    # One client (thread-safe, its pool holds up to 8 connections at once): a client per request
    # spent most of the test building TLS contexts.
    limits = httpx.Limits(max_connections=8)
    with httpx.Client(timeout=60, limits=limits) as client, cf.ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda u: client.get(u).status_code, urls))
    assert codes == [200] * 40 and len(server.requests) == 40
