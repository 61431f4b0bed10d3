"""`.warc`, `.warc.gz` and `.wacz`: web archives (ArchiveWeb.page, Webrecorder, Browsertrix,
`wget --warc-file`, Heritrix; Common Crawl's format), read with warcio, the Webrecorder project's
library.

`response` records give the HTTP status, headers and body (warcio undoes chunking and gzip); `resource`
records give a body and its `Content-Type`; `WARC-Target-URI` is the real URL and `WARC-Date` the
capture time. `revisit` records carry no body (the crawler saw the same bytes again): each is noted
and skipped. Requests, metadata and warcinfo are not pages. Records of assets (images, scripts,
styles) and of non-Medium hosts are left out, except HTML documents, which may be custom domains.
A WACZ is a zip whose `archive/` folder holds the WARCs.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO

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


def read_warc(stream: IO[bytes], form: str = "warc") -> Container:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    out = Container(form=form)
    revisits = 0
    try:
        for n, record in enumerate(ArchiveIterator(stream, arc2warc=True)):
            rtype = record.rec_type
            url = record.rec_headers.get_header("WARC-Target-URI")
            if rtype == "revisit":
                if is_medium_url(url):
                    revisits += 1
                continue
            if rtype not in ("response", "resource"):
                continue
            status: int | None = None
            if rtype == "response" and record.http_headers is not None:
                ctype = record.http_headers.get_header("Content-Type")
                try:
                    status = int(record.http_headers.get_statuscode() or 0) or None
                except ValueError:
                    status = None
            else:
                ctype = record.rec_headers.get_header("Content-Type")
            if ctype and any(t in ctype.lower() for t in _ASSET_TYPES) or not is_page_type(ctype):
                continue
            is_html = bool(ctype) and "html" in (ctype or "").lower()
            if not (is_medium_url(url) or is_html):
                continue
            if status is not None and 300 <= status < 400:
                continue
            body = record.content_stream().read(MAX_RECORD_BYTES + 1)
            if len(body) > MAX_RECORD_BYTES:
                out.skipped.append(f"record {n} {url}: larger than {MAX_RECORD_BYTES >> 20} MB")
                continue
            if not body:
                out.skipped.append(f"record {n} {url}: empty body")
                continue
            when = parse_iso(record.rec_headers.get_header("WARC-Date"))
            out.records.append(SavedRecord(url, when, body, ctype, status, form))
    except ArchiveLoadFailed as exc:
        if not out.records:
            raise ContainerError(f"not a WARC file ({str(exc).strip()[:80]})") from None
        out.skipped.append(f"archive truncated after {len(out.records)} records: {str(exc).strip()[:80]}")
    except (OSError, EOFError, ValueError) as exc:  # a cut-off gzip member
        if not out.records:
            raise ContainerError(f"WARC unreadable ({type(exc).__name__}: {str(exc)[:80]})") from None
        out.skipped.append(f"archive truncated after {len(out.records)} records")
    if revisits:
        out.skipped.append(
            f"{revisits} revisit record{'s' if revisits != 1 else ''} (no body; same as an earlier capture)"
        )
    return out


def read_wacz(data: bytes) -> Container:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ContainerError("not a WACZ file (not a zip)") from None
    out = Container(form="wacz")
    with zf:
        names = [n for n in zf.namelist() if n.startswith("archive/") and n.endswith((".warc", ".warc.gz"))]
        if not names:
            raise ContainerError("not a WACZ file (no archive/*.warc.gz inside)")
        for name in sorted(names):
            with zf.open(name) as fh:
                try:
                    part = read_warc(io.BytesIO(fh.read()), form="wacz")
                except ContainerError as exc:
                    out.skipped.append(f"{name}: {exc}")
                    continue
            out.extend(part, prefix=f"{name}: ")
    return out
