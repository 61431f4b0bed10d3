"""A loopback HTTP server that answers for Medium's hosts from a generated fixture site.

The site is `site_dir/index.json` (URL -> {"file", "status", "content_type", "headers", ...}) plus
the files it names (see `tools.fixture_gen`). Three request shapes map to the same lookup key
`https://<host><path>[?query]`:

1. proxy style, absolute URI in the request line: `GET https://medium.com/tag/seo HTTP/1.1`
   (also `http://...`), which is what Scrapy sends with `request.meta["proxy"]`;
2. path style: `GET http://127.0.0.1:<port>/<host>/<path>?<query>` (the first path segment is a
   host when it contains a dot);
3. Host-header style: `GET /tag/seo` with `Host: medium.com`.

Lookup tries the exact key, then the key with tracking parameters (`source`, `utm_*`, ...) removed,
as Medium serves the same page whatever `?source=` says. Unknown URLs answer 404. Entries can carry
`"rate_limit": {"times": N, "retry_after": S}`: the first N requests get 429 with `Retry-After`.
Every 200 sends `ETag`/`Last-Modified` and answers a matching `If-None-Match` with 304.

    serve(site_dir, port=0) -> FixtureServer  (.port, .url, .requests, .add_page(), .fail(), .close())
    python -m linkscout.crawler.fixture_site --site fixtures/site --port 8765
"""

from __future__ import annotations

import argparse
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

_TRACKING = {"source", "sk", "_branch_match_id", "_branch_referrer", "gi", "fbclid", "gclid", "ref"}


def url_key(host: str, path_qs: str) -> str:
    parts = urlsplit(path_qs)
    path = parts.path or "/"
    return f"https://{host.lower()}{path}" + (f"?{parts.query}" if parts.query else "")


def _strip_tracking(key: str) -> str:
    parts = urlsplit(key)
    q = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
         if k.lower() not in _TRACKING and not k.lower().startswith("utm_")]  # fmt: skip
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{urlencode(q)}" if q else "")


class FixtureServer:
    def __init__(self, site_dir: Path, port: int = 0) -> None:
        self.site_dir = Path(site_dir)
        self.index: dict[str, dict[str, Any]] = json.loads(
            (self.site_dir / "index.json").read_text(encoding="utf-8")
        )
        self.requests: list[tuple[str, str, str, int]] = []
        self.arrivals: list[float] = []  # time.monotonic() at which each of `requests` came in
        self._lock = threading.Lock()
        self._hits: dict[str, int] = {}
        self._faults: dict[str, list[int]] = {}  # key -> [status, remaining]
        self._runtime: dict[str, bytes] = {}
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _make_handler(self))
        self.httpd.daemon_threads = True
        # A short poll: close() waits for the serving loop to notice, 0.5 s by default.
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fixture-site", daemon=True
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FixtureServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add_page(
        self,
        url: str,
        body: str | bytes,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Serve `body` at `url` from now on (replacing any page there)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        parts = urlsplit(url)
        key = url_key(parts.hostname or "", parts.path + (f"?{parts.query}" if parts.query else ""))
        hdrs = {"ETag": '"' + hashlib.blake2b(data, digest_size=8).hexdigest() + '"', **(headers or {})}
        with self._lock:
            self._runtime[key] = data
            self.index[key] = {"file": None, "status": status, "content_type": content_type, "headers": hdrs}

    def fail(self, url: str, status: int = 503, times: int = 1) -> None:
        """Answer the next `times` requests for `url` with `status` (an empty error body)."""
        parts = urlsplit(url)
        key = url_key(parts.hostname or "", parts.path + (f"?{parts.query}" if parts.query else ""))
        with self._lock:
            self._faults[key] = [status, times]

    def fetched(self, host: str | None = None) -> list[str]:
        """Fetched `host+path_qs` strings (for assertions)."""
        with self._lock:
            return [h + p for _m, h, p, _s in self.requests if host is None or h == host]

    # -- request handling (called from handler threads) --

    def respond(
        self, method: str, host: str, path_qs: str, inm: str | None
    ) -> tuple[int, dict[str, str], bytes]:
        key = url_key(host, path_qs)
        arrived = time.monotonic()
        with self._lock:
            fault = self._faults.get(key)
            if fault and fault[1] > 0:
                fault[1] -= 1
                return self._log(
                    arrived, method, host, path_qs, fault[0], {"Content-Type": "text/plain"}, b"fault\n"
                )
            if key not in self.index:
                key = _strip_tracking(key)
            entry = self.index.get(key)
            if entry is None:
                return self._log(
                    arrived, method, host, path_qs, 404, {"Content-Type": "text/plain"}, b"not found\n"
                )
            limit = entry.get("rate_limit")
            if limit:
                n = self._hits.get(key, 0)
                self._hits[key] = n + 1
                if n < int(limit["times"]):
                    hdrs = {"Retry-After": str(limit["retry_after"]), "Content-Type": "text/plain"}
                    return self._log(arrived, method, host, path_qs, 429, hdrs, b"Too Many Requests\n")
            body = self._runtime.get(key)
        if body is None:
            body = (self.site_dir / entry["file"]).read_bytes() if entry.get("file") else b""
        headers = dict(entry.get("headers") or {})
        headers["Content-Type"] = entry.get("content_type") or "text/html; charset=utf-8"
        status = int(entry.get("status", 200))
        etag = headers.get("ETag")
        if status == 200 and etag and inm and etag in [t.strip() for t in inm.split(",")]:
            with self._lock:
                return self._log(arrived, method, host, path_qs, 304, {"ETag": etag}, b"")
        with self._lock:
            return self._log(arrived, method, host, path_qs, status, headers, body)

    def _log(
        self,
        arrived: float,
        method: str,
        host: str,
        path_qs: str,
        status: int,
        headers: dict[str, str],
        body: bytes,
    ) -> tuple[int, dict[str, str], bytes]:
        self.requests.append((method, host, path_qs, status))
        self.arrivals.append(arrived)
        return status, headers, body


def _make_handler(server: FixtureServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "linkscout-fixture/1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            return

        def _target(self) -> tuple[str, str]:
            raw = self.path
            if raw.startswith(("http://", "https://")):
                parts = urlsplit(raw)
                return (parts.hostname or ""), (parts.path or "/") + (
                    f"?{parts.query}" if parts.query else ""
                )
            first, _, rest = raw.lstrip("/").partition("/")
            head = first.split("?", 1)[0]
            if "." in head and not head.endswith((".txt", ".xml", ".html", ".json")):
                return head.lower(), "/" + rest if rest or "?" not in first else "/?" + first.split("?", 1)[1]
            host = (self.headers.get("Host") or "").split(":", 1)[0].lower()
            return host, raw

        def _answer(self, send_body: bool) -> None:
            host, path_qs = self._target()
            status, headers, body = server.respond(
                self.command, host, path_qs, self.headers.get("If-None-Match")
            )
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body and body:
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - stdlib naming
            self._answer(True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(False)

    return Handler


def serve(site_dir: Path, port: int = 0) -> FixtureServer:
    """Start the server in a background thread; `port=0` picks a free port."""
    return FixtureServer(site_dir, port)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m linkscout.crawler.fixture_site", description="Serve a fixture site on loopback."
    )
    ap.add_argument("--site", type=Path, default=Path("fixtures/site"))
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args(argv)
    srv = serve(args.site, args.port)
    print(f"serving {args.site} on {srv.url} (proxy-style, /<host>/<path> or Host header); Ctrl-C stops")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        srv.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
