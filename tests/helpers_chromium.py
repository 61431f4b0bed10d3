"""Debian's Chromium in headless mode as the test-data maker for rendered DOM and MHTML.

One browser per test session, driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`:
JSON messages, each ended by a NUL byte, commands on fd 3 and replies on fd 4), so no websocket
package is needed. For each page it navigates once and takes both:
- the rendered DOM: `document.documentElement.outerHTML` after the load event, exactly what
  `chromium --headless --dump-dom URL` prints (one test compares the two on a capture);
- the MHTML: `Page.captureSnapshot` (the "Save as: Webpage, single file" serialiser, which drops
  scripts).
The page is requested at its real https URL and answered through the protocol's `Fetch` domain
with the bytes the loopback fixture site serves for it (Medium's hosts are HSTS-preloaded, so a
plain-http proxy cannot stand in for them); every other request (scripts, images, fonts) is failed
on the spot. As a second guard the browser's proxy is the loopback site and its host resolver maps
every name but 127.0.0.1 to nothing: it never reaches the internet.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-extensions", "--mute-audio",
    "--disable-default-apps", "--disable-sync", "--metrics-recording-only", "--no-default-browser-check",
)  # fmt: skip


# What `--dump-dom` prints: the doctype, a newline, then the document element's outer HTML.
_DUMP_DOM = (
    "(document.doctype ? new XMLSerializer().serializeToString(document.doctype) + '\\n' : '')"
    " + document.documentElement.outerHTML"
)


def available() -> bool:
    return Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)


def offline_flags(proxy_port: int) -> list[str]:
    return [
        f"--proxy-server=http://127.0.0.1:{proxy_port}",
        "--proxy-bypass-list=<-loopback>",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ]


def dump_dom(url: str, proxy_port: int, user_data_dir: Path, timeout: float = 60) -> str:
    """`chromium --headless --dump-dom URL`, the command itself."""
    # The URL is the loopback site itself (path style): no proxy, every other host resolves to nothing.
    offline = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--no-proxy-server"]
    proc = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={user_data_dir}", *offline, "--dump-dom", url],
        capture_output=True, timeout=timeout, check=False,
    )  # fmt: skip
    return proc.stdout.decode("utf-8", "replace")


class Browser:
    """A headless Chromium with one tab, driven over the DevTools pipe."""

    def __init__(self, proxy_port: int, user_data_dir: Path) -> None:
        cmd_r, self._cmd_w = os.pipe()
        self._res_r, res_w = os.pipe()

        def wire() -> None:  # in the child: fd 3 reads our commands, fd 4 carries the replies
            os.dup2(cmd_r, 3)
            os.dup2(res_w, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={user_data_dir}", *offline_flags(proxy_port),
             "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire, close_fds=False,
        )  # fmt: skip
        os.close(cmd_r)
        os.close(res_w)
        self._buf = b""
        self._next = 0
        self._events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session=True)
        self.serve: Callable[[str], tuple[int, str, bytes] | None] = lambda url: None

    # -- the protocol -------------------------------------------------------------------------

    def _send(self, method: str, params: dict[str, Any] | None, session: bool) -> int:
        self._next += 1
        msg: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        os.write(self._cmd_w, json.dumps(msg).encode() + b"\0")
        return self._next

    def _read(self, deadline: float) -> dict[str, Any] | None:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self._res_r], [], [], left)
            if not ready:
                return None
            chunk = os.read(self._res_r, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buf += chunk
        raw, _, self._buf = self._buf.partition(b"\0")
        return json.loads(raw)  # type: ignore[no-any-return]

    def call(self, method: str, params: dict[str, Any] | None = None, *, session: bool = False,
             timeout: float = 60) -> dict[str, Any]:  # fmt: skip
        want = self._send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            msg = self._read(deadline)
            if msg is None:
                raise TimeoutError(f"{method}: no reply in {timeout} s")
            if msg.get("id") == want:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result") or {}
            self._event(msg)

    def _event(self, msg: dict[str, Any]) -> None:
        if msg.get("method") != "Fetch.requestPaused":
            if "method" in msg:
                self._events.append(msg)
            return
        params = msg["params"]
        answer = self.serve(params["request"]["url"]) if params.get("resourceType") == "Document" else None
        if answer is None:
            self._send(
                "Fetch.failRequest",
                {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                True,
            )
            return
        status, content_type, body = answer
        self._send(
            "Fetch.fulfillRequest",
            {"requestId": params["requestId"], "responseCode": status,
             "responseHeaders": [{"name": "Content-Type", "value": content_type}],
             "body": base64.b64encode(body).decode("ascii")},
            True,
        )  # fmt: skip

    def _wait_event(self, name: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            for i, ev in enumerate(self._events):
                if ev.get("method") == name:
                    del self._events[: i + 1]
                    return True
            self._events.clear()
            msg = self._read(deadline)
            if msg is None:
                return False
            self._event(msg)

    # -- what the tests need ------------------------------------------------------------------

    def render(self, url: str, serve: Callable[[str], tuple[int, str, bytes] | None],
               timeout: float = 20) -> tuple[str, bytes]:  # fmt: skip
        """(rendered DOM as --dump-dom prints it, MHTML snapshot) of `url` after its load event;
        `serve(url)` answers the page's document requests: (status, content type, body) or None."""
        self.serve = serve
        self._events.clear()
        self.call("Page.navigate", {"url": url}, session=True)
        self._wait_event("Page.loadEventFired", timeout)
        dom = self.call(
            "Runtime.evaluate", {"expression": _DUMP_DOM, "returnByValue": True},
            session=True,
        )["result"]["value"]  # fmt: skip
        mhtml = self.call("Page.captureSnapshot", {"format": "mhtml"}, session=True)["data"]
        return str(dom), str(mhtml).encode("utf-8")

    def close(self) -> None:
        try:
            self._send("Browser.close", None, False)
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait(timeout=10)
        finally:
            for fd in (self._cmd_w, self._res_r):
                with contextlib.suppress(OSError):
                    os.close(fd)
