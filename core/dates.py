"""The one date policy: how a day the user gives is read, and which day is "today".

A day is written `YYYY-MM-DD` (an ISO calendar date, nothing before or after it); in niche.toml
`as_of` may also be a native TOML date (`as_of = 2026-11-15`). Anything else is a `DateError`, one
line naming where the value came from.

"Today", for every dated command (rank, eval, queue, export, next, ...), is the first of:
`--as-of`, the niche file's `as_of`, the clock (UTC). So after the demo, whose niche fixes
`as_of`, every command agrees on what is due.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from linkscout.core.errors import ConfigError

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class DateError(ConfigError):
    """A date the user gave (an option or niche.toml's `as_of`) is not a calendar day."""


def parse_day(value: object, *, where: str = "the date") -> date:
    """`value` as a calendar day: a `YYYY-MM-DD` string or a `date` (not a date-time)."""
    if isinstance(value, datetime):
        raise DateError(f"{where} must be a day like 2024-06-30, not a date and time ({value.isoformat()})")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _DAY.fullmatch(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                raise DateError(f"{where} is not a real day: {value!r} (use YYYY-MM-DD)") from None
        raise DateError(f"{where} must be a day like 2024-06-30, got {value!r}"[:200])
    raise DateError(f"{where} must be a day like 2024-06-30, got {type(value).__name__} {value!r}"[:200])


def clock_today() -> date:
    return datetime.now(UTC).date()


def resolve_today(as_of: date | None, niche_as_of: date | None) -> date:
    """`--as-of`, else the niche file's `as_of`, else the clock's UTC day."""
    if as_of is not None:
        return as_of
    if niche_as_of is not None:
        return niche_as_of
    return clock_today()


def day_moment(day: date) -> datetime:
    """The instant "today" stands for when ages are measured (a post's hours since publishing): the
    clock's time when `day` is the clock's UTC day, else the last second of `day`."""
    now = datetime.now(UTC).replace(microsecond=0)
    return now if day == now.date() else datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


def resolve_now(as_of: date | None, niche_as_of: date | None) -> datetime:
    """The one "now" of every dated command: `day_moment` of `resolve_today`."""
    return day_moment(resolve_today(as_of, niche_as_of))


__all__ = ["DateError", "clock_today", "day_moment", "parse_day", "resolve_now", "resolve_today"]
