"""Small normalisers shared by the layer parsers: identities, counts and timestamps.

Medium's own conventions decide the forms: usernames lower-case without `@`, publication and tag
slugs lower-case, timestamps `YYYY-MM-DDTHH:MM:SSZ` (UTC). Every function accepts any JSON value
and returns None for what it cannot read, so hostile input never raises and unknown stays None.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

_HEX_ID = re.compile(r"^[0-9a-f]{8,12}$")
_SLUG_BAD = re.compile(r"[^\w]+|_+")


def as_str(value: Any) -> str | None:
    """A non-empty stripped string, else None ("" is not a value on Medium, it is absence)."""
    if isinstance(value, str):
        s = value.strip()
        return s or None
    return None


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value == value and 0 <= value < 1e18:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def as_float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    f = float(value)
    if f != f or f < 0 or f > 1e9:
        return None
    return f


def as_bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def iso_utc(dt: datetime) -> str | None:
    """`YYYY-MM-DDTHH:MM:SSZ`, the store's one time format; years no Medium page can carry are None
    (strftime's %Y would not even pad a three-digit year)."""
    dt = dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)
    if not 1990 <= dt.year <= 2200:
        return None
    return f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}Z"


# Epoch ms of 1990-01-01 and 2201-01-01: inside, iso_utc's year check always passes.
_MS_FIRST, _MS_END = 631_152_000_000, 7_289_654_400_000
_EPOCH_DAY = date(1970, 1, 1)
_TWO_DIGITS = tuple(f"{i:02d}" for i in range(60))


@lru_cache(maxsize=8192)
def _day_prefix(days: int) -> str:
    """`YYYY-MM-DDT` of a day counted from 1970-01-01."""
    return (_EPOCH_DAY + timedelta(days=days)).isoformat() + "T"


def iso_from_ms(value: Any) -> str | None:
    """Epoch milliseconds (Medium's JSON) to ISO 8601 UTC; 0 and junk are None."""
    ms = as_int(value)
    if not ms:
        return None
    if _MS_FIRST <= ms < _MS_END:
        # Whole seconds in integer arithmetic: what the datetime path below yields, at a fraction of
        # its cost (every listed post carries two of these; their days repeat across a crawl).
        days, secs = divmod(ms // 1000, 86_400)
        hours, secs = divmod(secs, 3600)
        minutes, secs = divmod(secs, 60)
        return (
            _day_prefix(days)
            + _TWO_DIGITS[hours]
            + ":"
            + _TWO_DIGITS[minutes]
            + ":"
            + _TWO_DIGITS[secs]
            + "Z"
        )
    try:
        return iso_utc(datetime.fromtimestamp(ms / 1000, tz=UTC))
    except (OverflowError, OSError, ValueError):
        return None


def iso_from_text(value: Any) -> str | None:
    """An ISO-ish date string (JSON-LD `datePublished`) normalised to UTC `...Z`."""
    s = as_str(value)
    if s is None:
        return None
    try:
        dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return None
    return iso_utc(dt)


def username(value: Any) -> str | None:
    s = as_str(value)
    if s is None:
        return None
    s = s.lstrip("@").strip().lower()
    return s or None


def slug(value: Any) -> str | None:
    """Lower-case slug; names such as "Software Development" become "software-development"."""
    return _slug_of_str(value) if isinstance(value, str) else None


@lru_cache(maxsize=8192)
def _slug_of_str(value: str) -> str | None:
    # Tags and publication slugs repeat on every card of a page and across a crawl's pages:
    # each distinct string is normalised once.
    s = value.strip()
    if not s:
        return None
    out = _SLUG_BAD.sub("-", s.lower()).strip("-")
    return out or None


def post_id(value: Any) -> str | None:
    s = as_str(value)
    if s is None:
        return None
    s = s.lower()
    return s if _HEX_ID.match(s) else None


_SUBMISSION = re.compile(
    r"submi|write[- ]for|writers?[- ]guide|guideline|contribut|pitch|become[- ]a[- ]writer", re.I
)


def submission_link(nav: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str | None:
    """The navigation link that leads to submission rules ("Submit", "Write for us", guidelines)."""
    for title, url in nav:
        if _SUBMISSION.search(title) or _SUBMISSION.search(url):
            return url
    return None
