"""A single saved document: HTML (server source or rendered DOM, any encoding), XML feed, JSON.

The bytes are handed on untouched (`parse_page` decodes BOMs, charsets and UTF-16); this module only
reads what the saving tool wrote about the page in the first few kilobytes:

- SingleFile: `<!--\\n Page saved with SingleFile \\n url: https://... \\n saved date: Thu Dec 03 2026
  09:26:00 GMT+0000 (Coordinated Universal Time)\\n-->` right after `<html>`;
- Chrome/IE "Save as": `<!-- saved from url=(0047)https://medium.com/... -->`;
- HTTrack: `<!-- Mirrored from medium.com/@ann by HTTrack Website Copier/3.x [XR&CO'2014],
  Thu, 18 Mar 2021 13:29:13 GMT -->`.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from linkscout.crawler.containers.base import Container, SavedRecord, iso_utc, parse_http_date, parse_iso

HEAD_BYTES = 16_384

_SINGLEFILE = re.compile(
    r"<!--\s*(?:Page saved with SingleFile|Archive processed by SingleFile)\b(?P<body>.*?)-->", re.S
)
_SF_URL = re.compile(r"^\s*url:\s*(\S+)", re.M)
_SF_DATE = re.compile(r"^\s*saved date:\s*(.+?)\s*$", re.M)
_JS_DATE = re.compile(
    r"(?:\w{3}\s+)?(?P<mon>\w{3})\s+(?P<day>\d{1,2})\s+(?P<year>\d{4})\s+"
    r"(?P<h>\d{1,2}):(?P<m>\d{2}):(?P<s>\d{2})\s*(?:GMT|UTC)?(?P<off>[+-]\d{4})?"
)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)
_HTTRACK = re.compile(
    r"<!--\s*Mirrored from (?P<url>\S+) by HTTrack Website Copier/[^,]*,\s*(?P<date>[^>]*?)\s*-->"
)
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
)}  # fmt: skip


def js_date(text: str) -> str | None:
    """JavaScript's `Date.toString()` ("Thu Dec 03 2026 09:26:00 GMT+0100 (...)") or ISO, in UTC."""
    m = _JS_DATE.search(text)
    if m is None:
        return parse_iso(text) or parse_http_date(text)
    month = _MONTHS.get(str(m["mon"]).lower()[:3])
    if month is None:
        return None
    off = str(m["off"] or "+0000")
    tz = timezone(timedelta(hours=int(off[1:3]), minutes=int(off[3:5])) * (-1 if off[0] == "-" else 1))
    try:
        when = datetime(
            int(m["year"]), month, int(m["day"]), int(m["h"]), int(m["m"]), int(m["s"]), tzinfo=tz
        )
    except ValueError:
        return None
    return iso_utc(when)


def header_facts(data: bytes) -> tuple[str, str | None, str | None]:
    """(form, url, captured_at) from the saving tool's comment near the top, if any."""
    head = data[:HEAD_BYTES].decode("utf-8", "replace").replace("\x00", "")
    m = _SINGLEFILE.search(head)
    if m is not None:
        body = m["body"]
        url = _SF_URL.search(body)
        date = _SF_DATE.search(body)
        return "singlefile", url.group(1) if url else None, js_date(date.group(1)) if date else None
    mirrored = _HTTRACK.search(head)
    if mirrored is not None:
        where = str(mirrored["url"])
        if not where.startswith(("http://", "https://")):
            where = "https://" + where
        return "httrack", where, parse_http_date(str(mirrored["date"]))
    m = _SAVED_FROM.search(head)
    if m is not None and m.group(1).startswith(("http://", "https://")):
        return "html", m.group(1), None
    return "html", None, None


def read_document(data: bytes, content_type: str | None = None) -> Container:
    """One document file as one record, with the URL and date its saving tool wrote, if any."""
    form, url, captured_at = header_facts(data)
    return Container(form=form, records=[SavedRecord(url, captured_at, data, content_type, None, form)])
