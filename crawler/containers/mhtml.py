"""`.mhtml`/`.mht`: Chrome's "Save as: Webpage, Single File" and DevTools' `Page.captureSnapshot`.

A MIME `multipart/related` message: headers `Snapshot-Content-Location` (the page URL), `Subject`
(its title) and `Date` (when it was saved), then one part per resource, each with its own
`Content-Location`; the page itself is the first `text/html` part (quoted-printable, no scripts:
Chrome drops them when it serialises). Read with the standard library's email parser. Frames and
other HTML parts that are Medium pages become further records.
"""

from __future__ import annotations

import email
import email.policy
from email.message import Message

from linkscout.crawler.containers.base import (
    MAX_RECORD_BYTES,
    Container,
    ContainerError,
    SavedRecord,
    is_medium_url,
    parse_http_date,
)

_DOC_TYPES = ("text/html", "application/xhtml+xml")


def read_mhtml(data: bytes) -> Container:
    head = data[:4096].lower()
    if b"mime-version" not in head and b"content-type: multipart/" not in head:
        raise ContainerError("not an MHTML file (no MIME header)")
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    if not msg.is_multipart():
        raise ContainerError("not an MHTML file (not a multipart message)")
    page_url = (msg.get("Snapshot-Content-Location") or "").strip() or None
    captured_at = parse_http_date(msg.get("Date"))
    out = Container(form="mhtml")
    first = True
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        if ctype not in _DOC_TYPES:
            continue
        location = (part.get("Content-Location") or "").strip() or None
        if not first and not is_medium_url(location):
            continue  # an embedded ad or widget frame
        body = _payload(part)
        if body is None:
            out.skipped.append(f"part {location or ctype}: body unreadable")
            continue
        if len(body) > MAX_RECORD_BYTES:
            out.skipped.append(f"part {location or ctype}: larger than {MAX_RECORD_BYTES >> 20} MB")
            continue
        url = (page_url or location) if first else location
        charset = part.get_content_charset()
        content_type = f"{ctype}; charset={charset}" if charset else ctype
        out.records.append(SavedRecord(url, captured_at, body, content_type, None, "mhtml"))
        first = False
    if not out.records:
        out.skipped.append("no HTML part found")
    return out


def _payload(part: Message) -> bytes | None:
    try:
        body = part.get_payload(decode=True)
    except (ValueError, LookupError):
        return None
    return body if isinstance(body, bytes) else None
