"""`.har`: HTTP Archive 1.2, DevTools' "Save all as HAR with content" (Chrome, Firefox, Safari).

`log.entries[]` each hold `startedDateTime` (ISO 8601), `request.url`, `response.status` and
`response.content` {`mimeType`, `text`, `encoding`: "base64" when the text is base64}. Every entry
with a Medium URL and a page-like body (HTML, feeds, `?format=json`, GraphQL JSON) becomes a record;
the page's own document is kept even on a custom domain. Entries without a body (DevTools leaves
`text` out for evicted or binary responses) are counted as skipped; images, scripts and styles are
left out silently.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

import orjson

from linkscout.crawler.containers.base import (
    MAX_RECORD_BYTES,
    Container,
    ContainerError,
    SavedRecord,
    is_medium_url,
    is_page_type,
    parse_iso,
)

_ASSET_TYPES = ("image/", "font/", "video/", "audio/", "text/css", "javascript", "wasm", "octet-stream")


def read_har(data: bytes) -> Container:
    try:
        doc: Any = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise ContainerError(f"not a HAR file (JSON unreadable: {str(exc)[:80]})") from None
    log = _obj(doc.get("log") if isinstance(doc, dict) else None)
    entries = log.get("entries")
    if not isinstance(entries, list):
        raise ContainerError("not a HAR file (no log.entries)")
    page_urls = {
        p.get("title")
        for p in log.get("pages") or []
        if isinstance(p, dict) and isinstance(p.get("title"), str)
    }
    out = Container(form="har")
    no_body = 0
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        request = _obj(entry.get("request"))
        response = _obj(entry.get("response"))
        content = _obj(response.get("content"))
        url = request.get("url") if isinstance(request.get("url"), str) else None
        mime = content.get("mimeType") if isinstance(content.get("mimeType"), str) else None
        is_document = entry.get("_resourceType") == "document" or url in page_urls
        if not (is_medium_url(url) or (is_document and url)):
            continue
        if mime and any(t in mime.lower() for t in _ASSET_TYPES) or not is_page_type(mime):
            continue
        status = response.get("status") if isinstance(response.get("status"), int) else None
        if status is not None and 300 <= status < 400:
            continue  # a redirect: the entry it led to carries the page
        text = content.get("text")
        if not isinstance(text, str) or not text:
            no_body += 1
            continue
        if content.get("encoding") == "base64":
            try:
                body = base64.b64decode(text, validate=False)
            except (binascii.Error, ValueError):
                out.skipped.append(f"entry {i} {url}: base64 body unreadable")
                continue
        else:
            body = text.encode("utf-8", "surrogatepass")
            if mime:  # HAR text is already decoded: whatever charset the server named, it is UTF-8 now
                mime = re.sub(r";\s*charset=[^;]*", "", mime, flags=re.I) + "; charset=utf-8"
        if len(body) > MAX_RECORD_BYTES:
            out.skipped.append(f"entry {i} {url}: larger than {MAX_RECORD_BYTES >> 20} MB")
            continue
        when = parse_iso(
            entry.get("startedDateTime") if isinstance(entry.get("startedDateTime"), str) else None
        )
        out.records.append(SavedRecord(url, when, body, mime, status, "har"))
    if no_body:
        out.skipped.append(f"{no_body} Medium entr{'y' if no_body == 1 else 'ies'} without a saved body")
    return out


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
