"""Builders of saved-page test data, each to its tool's published format.

- `warc_from_site`: fetches pages from the loopback fixture site (proxy-style requests, as a crawler
  behind a recording proxy sends them) and writes them with warcio, request and response records,
  `WARC-Date` set to the capture time;
- `har_of`: HAR 1.2 (`log.version` "1.2", `creator`, `pages`, `entries` with `startedDateTime`,
  `request`, `response.content` {size, mimeType, text, encoding}), the shape DevTools'
  "Save all as HAR with content" writes; `base64=True` encodes the body as Chrome does for some;
- `singlefile_of`: SingleFile's output: the DOM with scripts removed and its header comment
  (`Page saved with SingleFile`, `url:`, `saved date:` in JavaScript's Date.toString() form);
- `wacz_of`: a WACZ 1.1 zip (`archive/data.warc.gz`, `pages/pages.jsonl`, `datapackage.json`).
Chromium-made data (rendered DOM, MHTML) comes from `helpers_chromium`.
"""

from __future__ import annotations

import base64
import io
import json
import re
import urllib.request
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def fetch_via(proxy: str, url: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """One GET through the fixture site acting as an HTTP proxy (absolute URI in the request line)."""
    target = url.replace("https://", "http://", 1)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy}))
    try:
        with opener.open(target, timeout=10) as resp:
            return resp.status, list(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, list(err.headers.items()), err.read()


def warc_record_pair(writer: WARCWriter, url: str, status: int, headers: list[tuple[str, str]],
                     body: bytes, when: datetime) -> None:  # fmt: skip
    date = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    host = re.sub(r"^https?://([^/]+).*$", r"\1", url)
    req_headers = StatusAndHeaders(f"GET {url.split(host, 1)[1] or '/'} HTTP/1.1",
                                   [("Host", host), ("User-Agent", "linkscout-tests")], is_http_request=True)  # fmt: skip
    reason = {200: "OK", 404: "Not Found", 403: "Forbidden", 429: "Too Many Requests"}.get(status, "OK")
    keep = [(k, v) for k, v in headers if k.lower() not in ("content-length", "transfer-encoding")]
    http_headers = StatusAndHeaders(f"{status} {reason}", keep, protocol="HTTP/1.1")
    resp = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Date": date},
    )
    req = writer.create_warc_record(
        url,
        "request",
        payload=io.BytesIO(b""),
        http_headers=req_headers,
        warc_headers_dict={"WARC-Date": date},
    )
    _write(writer, resp)
    _write(writer, req)


def _write(writer: WARCWriter, record: Any) -> None:
    """Write one record and close the buffer warcio spooled it into (it leaves that to the caller)."""
    writer.write_record(record)
    record.raw_stream.close()


def warc_from_site(proxy: str, urls: list[str], out: Path, when: datetime, *, gzip: bool = True) -> Path:
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        _write(writer, writer.create_warcinfo_record(out.name, {"software": "warcio (linkscout tests)"}))
        for url in urls:
            status, headers, body = fetch_via(proxy, url)
            warc_record_pair(writer, url, status, headers, body, when)
    return out


def revisit(out: Path, url: str, when: datetime) -> None:
    """Append a revisit record (same payload seen again) to a gzipped WARC."""
    with out.open("ab") as fh:
        writer = WARCWriter(fh, gzip=True)
        rec = writer.create_revisit_record(
            url, digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", refers_to_uri=url,
            refers_to_date=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )  # fmt: skip
        _write(writer, rec)


def har_entry(url: str, body: bytes | None, mime: str, when: datetime, *, status: int = 200,
              base64_body: bool = False, resource: str = "document", method: str = "GET") -> dict[str, Any]:  # fmt: skip
    content: dict[str, Any] = {"size": len(body or b""), "mimeType": mime}
    if body is not None:
        if base64_body:
            content["text"] = base64.b64encode(body).decode("ascii")
            content["encoding"] = "base64"
        else:
            content["text"] = body.decode("utf-8")
    return {
        "pageref": "page_1",
        "startedDateTime": when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "time": 120.5,
        "request": {"method": method, "url": url, "httpVersion": "http/2.0", "cookies": [],
                    "headers": [{"name": ":authority", "value": "medium.com"}], "queryString": [],
                    "headersSize": -1, "bodySize": 0},
        "response": {"status": status, "statusText": "", "httpVersion": "http/2.0", "cookies": [],
                     "headers": [{"name": "content-type", "value": mime}], "content": content,
                     "redirectURL": "", "headersSize": -1, "bodySize": len(body or b""), "_transferSize": 0},
        "cache": {}, "timings": {"blocked": 1, "dns": -1, "ssl": -1, "connect": -1, "send": 0, "wait": 100,
                                 "receive": 19.5},
        "_resourceType": resource,
    }  # fmt: skip


def har_of(page_url: str, entries: list[dict[str, Any]], when: datetime) -> bytes:
    doc = {"log": {
        "version": "1.2",
        "creator": {"name": "WebInspector", "version": "537.36"},
        "pages": [{"startedDateTime": when.astimezone(UTC).isoformat().replace("+00:00", "Z"), "id": "page_1",
                   "title": page_url, "pageTimings": {"onContentLoad": 800, "onLoad": 1500}}],
        "entries": entries,
    }}  # fmt: skip
    return json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8")


_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.S | re.I)
_JS_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_JS_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def js_date_string(when: datetime) -> str:
    w = when.astimezone(UTC)
    return (f"{_JS_DAYS[w.weekday()]} {_JS_MONTHS[w.month - 1]} {w.day:02d} {w.year} "
            f"{w:%H:%M:%S} GMT+0000 (Coordinated Universal Time)")  # fmt: skip


def singlefile_of(dom: str, url: str, when: datetime) -> bytes:
    """SingleFile's default save: scripts removed, the header comment right after <html ...>."""
    text = _SCRIPT.sub("", dom)
    text = re.sub(r"<noscript\b[^>]*>.*?</noscript\s*>", "", text, flags=re.S | re.I)
    header = f"<!--\n Page saved with SingleFile \n url: {url} \n saved date: {js_date_string(when)}\n-->"
    m = re.search(r"<html\b[^>]*>", text, re.I)
    text = f"<html>{header}{text}</html>" if m is None else text[: m.end()] + header + text[m.end() :]
    if not text.lstrip().lower().startswith("<!doctype"):
        text = "<!DOCTYPE html> " + text
    return text.encode("utf-8")


def wacz_of(warc_gz: Path, out: Path, page_urls: list[str], when: datetime) -> Path:
    data = warc_gz.read_bytes()
    pages = "\n".join(
        [json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})]
        + [json.dumps({"id": f"p{i}", "url": u, "ts": when.strftime("%Y-%m-%dT%H:%M:%SZ")}) for i, u in enumerate(page_urls)]
    )  # fmt: skip
    package = {"profile": "data-package", "wacz_version": "1.1.1", "software": "linkscout tests",
               "resources": [{"name": "data.warc.gz", "path": "archive/data.warc.gz", "bytes": len(data)},
                             {"name": "pages.jsonl", "path": "pages/pages.jsonl", "bytes": len(pages)}]}  # fmt: skip
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("archive/data.warc.gz", data, compress_type=zipfile.ZIP_STORED)
        zf.writestr("pages/pages.jsonl", pages)
        zf.writestr("datapackage.json", json.dumps(package, indent=2))
    return out
