"""The record every container reader yields, and the small helpers they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from linkscout.core.errors import LinkscoutError
from linkscout.core.urls import is_medium_host

# One member or record larger than this is skipped (a saved Medium page is well under 5 MB).
MAX_RECORD_BYTES = 25 * 1024 * 1024

_PAGE_TYPES = re.compile(r"html|xml|json|rss|atom|javascript|text/plain", re.I)


class ContainerError(LinkscoutError):
    """The file is not the container its name or first bytes say it is."""


@dataclass(frozen=True, slots=True)
class SavedRecord:
    """One captured document: real URL (None when the container does not say), capture time
    (ISO 8601 UTC, None when unknown), body bytes and content type (None when unknown)."""

    url: str | None
    captured_at: str | None
    body: bytes
    content_type: str | None = None
    status: int | None = None
    form: str = "html"  # which container it came from: html, singlefile, mhtml, har, warc, wacz


@dataclass(slots=True)
class Container:
    """What one file holds: its records, in file order, and a note for every entry left out."""

    form: str
    records: list[SavedRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def extend(self, other: Container, prefix: str = "") -> None:
        self.records.extend(other.records)
        self.skipped.extend(f"{prefix}{s}" for s in other.skipped)


def iso_utc(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str | None) -> str | None:
    """ISO 8601 (HAR, WARC) to `YYYY-MM-DDTHH:MM:SSZ`; None when unreadable."""
    if not text:
        return None
    t = text.strip()
    if t.endswith("Z"):
        t = t[:-1] + "+00:00"
    try:
        return iso_utc(datetime.fromisoformat(t))
    except ValueError:
        return None


def parse_http_date(text: str | None) -> str | None:
    """RFC 2822 dates (MHTML `Date:`, HTTP headers) to ISO 8601 UTC; None when unreadable."""
    if not text:
        return None
    try:
        return iso_utc(parsedate_to_datetime(text.strip()))
    except (TypeError, ValueError, IndexError):
        return None


def is_page_type(content_type: str | None) -> bool:
    """A content type a Medium page, feed or API response comes with (unknown counts as yes)."""
    return content_type is None or not content_type.strip() or bool(_PAGE_TYPES.search(content_type))


def is_medium_url(url: str | None) -> bool:
    if not url:
        return False
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    return is_medium_host(host)


def charset_of(content_type: str | None) -> str | None:
    m = re.search(r"charset\s*=\s*\"?([\w.:-]+)", content_type or "", re.I)
    return m.group(1) if m else None
