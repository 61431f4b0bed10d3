"""One polite request outside a crawl: `inspect URL`, and recording a live page as a test case.

Polite means: robots.txt of every host we touch is read first (with Protego) and obeyed; the
User-Agent says who we are; redirects are followed only within Medium (medium.com, *.medium.com)
and the host the user named; there is a timeout and a size cap. A robots.txt that answers 4xx
allows everything (RFC 9309 §2.3.1.3); one that cannot be reached (5xx, network error) is taken
as "disallow all", so we never fetch when we could not check.

`fetch(url, transport=...)` takes an httpx transport so tests can point it at a loopback server;
nothing here knows about parsing except `parse_fetched`, which hands the bytes to `parse_page` and
marks refusals (403/429 that no layer recognised) as `blocked`.
"""

from __future__ import annotations

import functools
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from linkscout.core.errors import FetchError
from linkscout.core.identity import user_agent
from linkscout.core.records import PageKind, PageResult
from linkscout.core.urls import is_medium_host

MAX_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 20.0
MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 512 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_BLOCK_STATUSES = frozenset({401, 403, 429})


USER_AGENT = user_agent()
ROBOTS_TOKEN = "linkscout"


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # what was asked for
    final_url: str  # after redirects
    status: int
    content_type: str | None
    body: bytes
    truncated: bool  # the body hit the size cap
    redirects: tuple[str, ...] = ()


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context per process, shared by every client: loading the CA bundle is most of the cost
    of making a client (monitor and watch make one per run, the tests dozens)."""
    return httpx.create_ssl_context()


class PoliteClient:
    """A session of polite GETs: robots.txt read once per host and obeyed, `delay` seconds between
    requests, redirects kept within Medium and the host asked for, a size cap.

    `origin` points the session at the loopback fixture server, which answers `https://host/path`
    as `<origin>/host/path`: the URLs, the robots.txt checks and the redirect rules stay Medium's.
    """

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        user_agent: str = USER_AGENT,
        timeout: float = TIMEOUT_SECONDS,
        max_bytes: int = MAX_BYTES,
        delay: float = 0.0,
        origin: str | None = None,
    ) -> None:
        headers = {
            "User-Agent": user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        }
        self._client = httpx.Client(
            transport=transport, timeout=timeout, headers=headers, follow_redirects=False, verify=_tls()
        )
        self._robots: dict[str, Protego] = {}
        self._user_agent = user_agent
        self._max_bytes = max_bytes
        self._delay = delay
        self._origin = origin.rstrip("/") if origin else None
        self._last = float("-inf")

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def _wire(self, url: str) -> str:
        if not self._origin:
            return url
        parts = urlsplit(url)
        return f"{self._origin}/{parts.hostname}{parts.path or '/'}" + (
            f"?{parts.query}" if parts.query else ""
        )

    def _stream(self, url: str, **kwargs: object) -> Any:
        wait = self._last + self._delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        return self._client.stream("GET", self._wire(url), **kwargs)  # type: ignore[arg-type]

    def get(self, url: str) -> Fetched:
        """GET one page. Raises FetchError when robots.txt forbids it, a redirect leaves Medium, or
        the network fails; an HTTP error status is returned, not raised (a 403 page is evidence of
        a block, a 410 page of a suspended account)."""
        allowed_host = _split(url).host.lower()
        redirects: list[str] = []
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            self._check_robots(current)
            try:
                with self._stream(current) as resp:
                    if resp.status_code in _REDIRECTS and resp.headers.get("location"):
                        try:
                            target = urljoin(current, resp.headers["location"])
                        except ValueError as exc:
                            raise FetchError(f"{current} redirects to an invalid URL") from exc
                        _check_redirect(target, allowed_host)
                        redirects.append(target)
                        current = target
                        continue
                    body, truncated = _read_capped(resp, self._max_bytes)
                    return Fetched(
                        url=url,
                        final_url=current,
                        status=resp.status_code,
                        content_type=resp.headers.get("content-type"),
                        body=body,
                        truncated=truncated,
                        redirects=tuple(redirects),
                    )
            except httpx.HTTPError as exc:
                raise FetchError(f"could not fetch {current}: {exc or type(exc).__name__}") from exc
        raise FetchError(f"more than {MAX_REDIRECTS} redirects from {url}")

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots.get(origin)
        if rules is None:
            rules = self._read_robots(origin)
            self._robots[origin] = rules
        if not rules.can_fetch(url, ROBOTS_TOKEN) or not rules.can_fetch(url, self._user_agent):
            raise FetchError(f"robots.txt of {parts.netloc} disallows {parts.path or '/'}; not fetched")

    def _read_robots(self, origin: str) -> Protego:
        robots_url = f"{origin}/robots.txt"
        try:
            with self._stream(robots_url, follow_redirects=True) as resp:
                status = resp.status_code
                body, _ = _read_capped(resp, ROBOTS_MAX_BYTES)
        except httpx.HTTPError as exc:
            raise FetchError(
                f"cannot read {robots_url} ({exc or type(exc).__name__}); not fetching without it"
            ) from exc
        if 400 <= status < 500:
            return Protego.parse("")  # no robots.txt: everything is allowed
        if status >= 500 or status < 200 or status >= 300:
            raise FetchError(f"{robots_url} answered HTTP {status}; not fetching without it")
        return Protego.parse(body.decode("utf-8", "replace"))


def fetch(
    url: str,
    *,
    transport: httpx.BaseTransport | None = None,
    user_agent: str = USER_AGENT,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_BYTES,
) -> Fetched:
    """One polite GET outside a session (`inspect URL`); see `PoliteClient.get`."""
    with PoliteClient(
        transport=transport, user_agent=user_agent, timeout=timeout, max_bytes=max_bytes
    ) as client:
        return client.get(url)


def parse_fetched(fetched: Fetched) -> PageResult:
    """`parse_page` on a fetched response, with what the response itself says about blocks and size."""
    from linkscout.crawler.parse import parse_page

    result = parse_page(
        fetched.body, fetched.final_url, status=fetched.status, content_type=fetched.content_type
    )
    if fetched.truncated:
        result.warnings.append(
            f"response larger than the size cap; only the first {len(fetched.body)} bytes read"
        )
    if fetched.status in _BLOCK_STATUSES and result.kind is not PageKind.BLOCKED and not result.posts:
        result.kind = PageKind.BLOCKED
        result.blocked_reason = result.blocked_reason or f"HTTP {fetched.status}"
        result.warnings.append(f"HTTP {fetched.status}: the server refused the request")
    elif fetched.status >= 400 and result.kind is not PageKind.BLOCKED:
        result.warnings.append(f"HTTP {fetched.status}")
    return result


def _split(url: str) -> httpx.URL:
    try:
        parts = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError(f"not a URL: {url}") from exc
    if parts.scheme not in ("http", "https") or not parts.host:
        raise FetchError(f"only http(s) URLs can be fetched: {url}")
    return parts


def _check_redirect(target: str, allowed_host: str) -> None:
    try:
        host = (urlsplit(target).hostname or "").lower()
        scheme = urlsplit(target).scheme
    except ValueError as exc:
        raise FetchError(f"redirect to an invalid URL {target[:120]!r}") from exc
    if scheme not in ("http", "https") or not (host == allowed_host or is_medium_host(host)):
        raise FetchError(f"redirect to {target} leaves Medium; not followed")


def _read_capped(resp: httpx.Response, max_bytes: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_bytes():
        if size + len(chunk) > max_bytes:
            chunks.append(chunk[: max_bytes - size])
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), False
