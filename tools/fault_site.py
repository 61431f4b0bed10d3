"""A fault-injecting loopback server: the fixture site, with seeded failures of every kind a crawl meets.

It is `crawler.fixture_site.FixtureServer` with its request handler wrapped: before a request is
answered normally, `decide()` may replace the answer by a fault. Decisions are seeded per
(seed, URL, attempt), so a run is reproducible, and every decision is logged in `.log`.

Transient faults hit at most `max_transient` attempts of a URL, so Scrapy's retries reach the page:
- `500`, `503`, `429` (no Retry-After), `503_retry_after`, `429_retry_after` (Retry-After: 1);
  their HTML bodies carry a decoy post and author ("poison") that must never be stored;
- `timeout`: the server holds the connection past the client's timeout, then closes it;
- `reset`: the connection is closed with a TCP RST before any byte of the answer;
- `truncated`: a 200 whose body stops at half its announced Content-Length.
Permanent faults stick to a URL (chosen with `permanent_rate`), the page is never served whole:
- `redirect_loop`: 301 to `?loop=1`, which 301s back; `wrong_type`: the body as `image/png`;
- `huge`: a 200 of more than 20 MB (over DOWNLOAD_MAXSIZE), streamed; `challenge`: a Cloudflare-style
  "Just a moment..." page (status 200 or 403) with the decoy records inside.
robots.txt is never faulted (a failed robots.txt would make Scrapy allow everything).

    serve_faults(site_dir, seed=1, rate=0.25, permanent_rate=0.04, kinds=ALL, timeout_seconds=12)
      -> FaultServer (.log, .injected(), .served_whole(), .counts(); plus everything FixtureServer has)
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from linkscout.crawler.fixture_site import FixtureServer, _make_handler, url_key


class Fault(StrEnum):
    S500 = "500"
    S503 = "503"
    S429 = "429"
    S503_RA = "503_retry_after"
    S429_RA = "429_retry_after"
    TIMEOUT = "timeout"
    RESET = "reset"
    TRUNCATED = "truncated"
    REDIRECT_LOOP = "redirect_loop"
    WRONG_TYPE = "wrong_type"
    HUGE = "huge"
    CHALLENGE = "challenge"


TRANSIENT = (Fault.S500, Fault.S503, Fault.S429, Fault.S503_RA, Fault.S429_RA, Fault.TIMEOUT, Fault.RESET,
             Fault.TRUNCATED)  # fmt: skip
PERMANENT = (Fault.REDIRECT_LOOP, Fault.WRONG_TYPE, Fault.HUGE, Fault.CHALLENGE)
ALL = TRANSIENT + PERMANENT
HUGE_BYTES = 20 * 1024 * 1024 + 4096

POISON_POST = "badc0ffee123"
POISON_AUTHOR = "poisoned-decoy"
POISON_TAG = "poison-decoy-tag"


def poison_html(title: str) -> bytes:
    """An error or challenge body that *looks* like content: JSON-LD naming a decoy post and author."""
    ld = (
        '{"@context":"https://schema.org","@type":"NewsArticle","identifier":"' + POISON_POST + '",'
        '"url":"https://medium.com/@' + POISON_AUTHOR + "/decoy-" + POISON_POST + '","headline":"Decoy",'
        '"keywords":["Tag:' + POISON_TAG + '"],'
        '"author":{"@type":"Person","identifier":"'
        + POISON_AUTHOR
        + '","name":"Decoy","url":"https://medium.com/@'
        + POISON_AUTHOR
        + '"}}'
    )
    return (
        f'<!DOCTYPE html><html><head><title>{title}</title><script type="application/ld+json">{ld}</script>'
        "</head><body><h1>" + title + '</h1><div id="challenge-running">Verify you are human</div>'
        '<script>window._cf_chl_opt={cType:"managed"};</script>'
        f'<a href="https://medium.com/@{POISON_AUTHOR}">decoy</a></body></html>'
    ).encode()


@dataclass(frozen=True, slots=True)
class Injection:
    key: str  # https://host/path?query
    attempt: int  # 0-based request number for this key
    fault: Fault | None  # None: answered normally
    status: int | None  # HTTP status sent (None: no response)


class FaultServer(FixtureServer):
    def __init__(self, site_dir: Path, *, seed: int = 1, rate: float = 0.25, permanent_rate: float = 0.04,
                 kinds: tuple[Fault, ...] = ALL, max_transient: int = 2, timeout_seconds: float = 12.0,
                 port: int = 0) -> None:  # fmt: skip
        self.seed = seed
        self.rate = rate
        self.permanent_rate = permanent_rate
        self.transient = tuple(k for k in kinds if k in TRANSIENT)
        self.permanent = tuple(k for k in kinds if k in PERMANENT)
        self.max_transient = max_transient
        self.timeout_seconds = timeout_seconds
        self.log: list[Injection] = []
        self._attempts: Counter[str] = Counter()
        self._flock = threading.Lock()
        super().__init__(site_dir, port)
        self.httpd.RequestHandlerClass = _fault_handler(self, _make_handler(self))

    # -- decisions --

    def decide(self, key: str) -> tuple[int, Fault | None]:
        base = key.split("?loop=", 1)[0]
        with self._flock:
            n = self._attempts[key]
            self._attempts[key] += 1
        if base.endswith("/robots.txt") or base not in self.index:
            return n, None
        if self.permanent and random.Random(f"{self.seed}|{base}|perm").random() < self.permanent_rate:
            return n, random.Random(f"{self.seed}|{base}|permkind").choice(self.permanent)
        if n < self.max_transient and self.transient:
            rng = random.Random(f"{self.seed}|{key}|{n}")
            if rng.random() < self.rate:
                return n, rng.choice(self.transient)
        return n, None

    def record(self, key: str, attempt: int, fault: Fault | None, status: int | None) -> None:
        with self._flock:
            self.log.append(Injection(key, attempt, fault, status))

    # -- reports --

    def injected(self) -> Counter[str]:
        return Counter(str(i.fault) for i in self.log if i.fault is not None)

    def served_whole(self) -> set[str]:
        """Keys answered at least once with the real page, whole, 200."""
        return {i.key for i in self.log if i.fault is None and i.status == 200}

    def faulted_keys(self) -> set[str]:
        return {i.key for i in self.log if i.fault is not None}


def _fault_handler(server: FaultServer, base: type) -> type:
    class FaultHandler(base):  # type: ignore[misc, valid-type]
        def _answer(self, send_body: bool) -> None:
            host, path_qs = self._target()
            key = url_key(host, path_qs)
            attempt, fault = server.decide(key)
            if fault is None:
                if "?loop=" in key:  # the far end of a redirect loop
                    return self._redirect(key, key.split("?loop=", 1)[0], attempt, Fault.REDIRECT_LOOP)
                status_box: list[int] = []
                orig = self.send_response

                def spy(code: int, message: str | None = None) -> None:
                    status_box.append(code)
                    orig(code, message)

                self.send_response = spy  # type: ignore[method-assign]
                try:
                    super()._answer(send_body)
                finally:
                    server.record(key, attempt, None, status_box[0] if status_box else None)
                return None
            return self._fault(key, attempt, fault, send_body)

        def _send(
            self, status: int, headers: dict[str, str], body: bytes, *, length: int | None = None
        ) -> None:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            self.end_headers()
            self.wfile.write(body)

        def _redirect(self, key: str, target: str, attempt: int, fault: Fault) -> None:
            server.record(key, attempt, fault, 301)
            self._send(301, {"Location": target, "Content-Type": "text/plain"}, b"moved\n")

        def _fault(self, key: str, attempt: int, fault: Fault, send_body: bool) -> None:
            if fault in (Fault.S500, Fault.S503, Fault.S429, Fault.S503_RA, Fault.S429_RA):
                status = int(str(fault)[:3])
                hdrs = {"Content-Type": "text/html; charset=utf-8"}
                if fault in (Fault.S503_RA, Fault.S429_RA):
                    hdrs["Retry-After"] = "1"
                server.record(key, attempt, fault, status)
                return self._send(status, hdrs, poison_html(f"{status} error"))
            if fault is Fault.TIMEOUT:
                server.record(key, attempt, fault, None)
                time.sleep(server.timeout_seconds)
                self.close_connection = True
                return None
            if fault is Fault.RESET:
                server.record(key, attempt, fault, None)
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
                return None
            if fault is Fault.REDIRECT_LOOP:
                return self._redirect(key, key.split("?", 1)[0] + "?loop=1", attempt, fault)
            if fault is Fault.CHALLENGE:
                status = 403 if attempt % 2 else 200
                server.record(key, attempt, fault, status)
                return self._send(
                    status, {"Content-Type": "text/html; charset=utf-8"}, poison_html("Just a moment...")
                )
            body, ctype = self._real(key)
            if fault is Fault.TRUNCATED:
                server.record(key, attempt, fault, 200)
                self._send(200, {"Content-Type": ctype}, body[: len(body) // 2], length=len(body))
                self.close_connection = True
                return None
            if fault is Fault.WRONG_TYPE:
                server.record(key, attempt, fault, 200)
                return self._send(200, {"Content-Type": "image/png"}, body)
            # HUGE: stream more than DOWNLOAD_MAXSIZE; the client is expected to hang up early.
            server.record(key, attempt, fault, 200)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(HUGE_BYTES))
            self.end_headers()
            chunk = b"<p>" + b"x" * 65_530 + b"</p>"
            sent = 0
            try:
                while sent < HUGE_BYTES:
                    part = chunk[: HUGE_BYTES - sent]
                    self.wfile.write(part)
                    sent += len(part)
            except OSError:
                pass
            self.close_connection = True
            return None

        def _real(self, key: str) -> tuple[bytes, str]:
            entry = server.index.get(key) or {}
            data = (server.site_dir / entry["file"]).read_bytes() if entry.get("file") else b""
            return data, entry.get("content_type") or "text/html; charset=utf-8"

    return FaultHandler


def serve_faults(site_dir: Path, **kw: object) -> FaultServer:
    """Start a fault-injecting server in a background thread (see the module docstring)."""
    return FaultServer(site_dir, **kw)  # type: ignore[arg-type]
