"""`crawler.fetch` against a loopback HTTP server (and an httpx MockTransport): nothing leaves 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from linkscout.core.errors import FetchError
from linkscout.core.records import PageKind
from linkscout.crawler.fetch import USER_AGENT, fetch, parse_fetched

ARTICLE = (
    b"<!DOCTYPE html><html><head><title>Hello</title>"
    b'<link rel="canonical" href="https://medium.com/@ann/hello-1234abcd5678"></head>'
    b"<body><article><p>Hi</p></article></body></html>"
)
CHALLENGE = b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Verify you are human</body></html>"


class Site:
    """Routes: path -> (status, headers, body). `log` keeps (path, user-agent) of every request."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.log: list[tuple[str, str]] = []
        self.robots: tuple[int, bytes] = (200, b"User-agent: *\nDisallow: /private\n")
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's API
                site.log.append((self.path, self.headers.get("User-Agent", "")))
                if self.path == "/robots.txt":
                    status, headers, body = site.robots[0], {"Content-Type": "text/plain"}, site.robots[1]
                else:
                    status, headers, body = site.routes.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def paths(self) -> list[str]:
        return [p for p, _ in self.log]


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    s.routes["/hello"] = (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE)
    s.routes["/private/page"] = (200, {}, ARTICLE)
    s.routes["/moved"] = (301, {"Location": "/hello"}, b"")
    s.routes["/away"] = (302, {"Location": "https://example.com/elsewhere"}, b"")
    s.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    s.routes["/challenge"] = (403, {"Content-Type": "text/html"}, CHALLENGE)
    s.routes["/big"] = (200, {"Content-Type": "text/html"}, b"<html>" + b"x" * 50_000 + b"</html>")
    s.thread.start()
    yield s
    s.server.shutdown()
    s.server.server_close()


def test_fetch_checks_robots_first_and_sends_an_honest_user_agent(site: Site) -> None:
    got = fetch(site.base + "/hello")
    assert (got.status, got.body, got.truncated) == (200, ARTICLE, False)
    assert got.content_type == "text/html; charset=utf-8"
    assert site.paths() == ["/robots.txt", "/hello"]
    assert all(ua == USER_AGENT for _, ua in site.log)
    assert USER_AGENT.startswith("linkscout/") and "(+https://github.com/linkscout/linkscout)" in USER_AGENT


def test_robots_disallow_refuses_without_touching_the_page(site: Site) -> None:
    with pytest.raises(FetchError, match="robots.txt"):
        fetch(site.base + "/private/page")
    assert site.paths() == ["/robots.txt"]


def test_missing_robots_allows_and_broken_robots_refuses(site: Site) -> None:
    site.robots = (404, b"")
    assert fetch(site.base + "/private/page").status == 200
    site.robots = (503, b"")
    with pytest.raises(FetchError, match="503"):
        fetch(site.base + "/hello")


def test_redirects_within_the_host_are_followed(site: Site) -> None:
    got = fetch(site.base + "/moved")
    assert got.final_url == site.base + "/hello"
    assert got.redirects == (site.base + "/hello",)
    assert got.body == ARTICLE


def test_redirect_off_medium_is_refused(site: Site) -> None:
    with pytest.raises(FetchError, match="leaves Medium"):
        fetch(site.base + "/away")


def test_redirect_loop_stops(site: Site) -> None:
    with pytest.raises(FetchError, match="redirects"):
        fetch(site.base + "/loop")


def test_size_cap_truncates(site: Site) -> None:
    got = fetch(site.base + "/big", max_bytes=1000)
    assert got.truncated is True and len(got.body) == 1000
    result = parse_fetched(got)
    assert any("size cap" in w for w in result.warnings)


def test_challenge_page_is_blocked(site: Site) -> None:
    got = fetch(site.base + "/challenge")
    assert got.status == 403
    result = parse_fetched(got)
    assert result.kind is PageKind.BLOCKED
    assert result.posts == []


def test_plain_403_without_challenge_text_is_blocked_too(site: Site) -> None:
    site.routes["/denied"] = (403, {"Content-Type": "text/plain"}, b"nope")
    result = parse_fetched(fetch(site.base + "/denied"))
    assert result.kind is PageKind.BLOCKED
    assert result.blocked_reason


def test_only_http_urls() -> None:
    with pytest.raises(FetchError):
        fetch("ftp://medium.com/x")
    with pytest.raises(FetchError):
        fetch("not a url")


def test_network_failure_is_a_fetch_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(FetchError, match="cannot read"):
        fetch("https://medium.com/@ann", transport=httpx.MockTransport(refuse))


def test_redirect_from_user_subdomain_to_medium_checks_robots_of_each_host() -> None:
    """Through a transport: ann.medium.com -> medium.com is inside Medium; both robots.txt are read."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nDisallow: /m/\n")
        if request.url.host == "ann.medium.com":
            return httpx.Response(301, headers={"Location": "https://medium.com/@ann/hello-1234abcd5678"})
        return httpx.Response(200, content=ARTICLE, headers={"Content-Type": "text/html"})

    got = fetch("https://ann.medium.com/hello-1234abcd5678", transport=httpx.MockTransport(handler))
    assert got.final_url == "https://medium.com/@ann/hello-1234abcd5678"
    assert seen == [
        "https://ann.medium.com/robots.txt",
        "https://ann.medium.com/hello-1234abcd5678",
        "https://medium.com/robots.txt",
        "https://medium.com/@ann/hello-1234abcd5678",
    ]
    result = parse_fetched(got)
    assert result.kind is not PageKind.BLOCKED
