"""The outreach log's vocabulary: event names and one logged event. Shared by store/ (which reads and
writes the `events` table) and outreach/ (whose state machine derives stages from them)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class TargetKind(StrEnum):
    AUTHOR = "author"
    PUBLICATION = "publication"


class EventType(StrEnum):
    FOLLOWED = "followed"
    COMMENTED = "commented"
    REPLIED = "replied"
    CONVERSATION = "conversation"
    PITCHED = "pitched"
    FOLLOWED_UP = "followed_up"
    PROMISED = "promised"
    LINKED = "linked"
    MENTIONED = "mentioned"
    DECLINED = "declined"
    GUIDELINES_READ = "guidelines_read"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    DO_NOT_CONTACT = "do_not_contact"
    LOST = "lost"
    STAGE_SET = "stage_set"
    RETRACTED = "retracted"


@dataclass(frozen=True, slots=True)
class Event:
    """One row of the append-only log. `rule_break` says which `[outreach]` rule a backfilled (or
    forced) event broke; `retracts` is the id of the event a `retracted` row takes back; `article`
    is the draft a submission concerns (publications)."""

    target_kind: str
    target: str
    event: str
    at: datetime
    url: str | None = None
    note: str | None = None
    forced: bool = False
    id: int | None = None
    logged_at: str | None = None
    rule_break: str | None = None
    retracts: int | None = None
    article: str | None = None

    @property
    def day(self) -> date:
        return self.at.date()


# Medium usernames: letters, digits, underscores and dots, at most 30 characters (lower-cased, no @).
USERNAME_RE = re.compile(r"[a-z0-9_.]{1,30}")
# Publication slugs: lower-case letters and digits in hyphen-separated words, at most 100 characters.
SLUG_RE = re.compile(r"(?=.{1,100}$)[a-z0-9]+(?:-[a-z0-9]+)*")
