"""The outreach state machine and its rules. Pure: events in, stage and verdicts out; the clock is passed in.

Author stages:      discovered → following → engaging → conversation → pitched → won | declined | no_response
Publication stages: discovered → guidelines_read → submitted → accepted | rejected
Either kind may also be `do_not_contact` (until a `stage_set` lifts it).

Every fact is an append-only event; the stage is derived from them. Progress events only move a
target forward (a comment after a pitch does not un-pitch anyone); outcome events (won, declined,
accepted, rejected) and `stage_set` (a manual override, whose note holds the stage) set it outright.

Rules from `[outreach]` compare UTC calendar days, so "4 days between comments" means a comment on
the 1st allows the next one on the 5th, whatever the hour.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from linkscout.core.errors import LinkscoutError, RuleViolation
from linkscout.core.niche import OutreachSection


class InvalidDate(LinkscoutError):
    """A date the user typed could not be read."""


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
    LINKED = "linked"
    MENTIONED = "mentioned"
    DECLINED = "declined"
    GUIDELINES_READ = "guidelines_read"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DO_NOT_CONTACT = "do_not_contact"
    LOST = "lost"
    STAGE_SET = "stage_set"


E = EventType

AUTHOR_STAGES = (
    "discovered",
    "following",
    "engaging",
    "conversation",
    "pitched",
    "won",
    "declined",
    "no_response",
)
PUBLICATION_STAGES = ("discovered", "guidelines_read", "submitted", "accepted", "rejected")
DO_NOT_CONTACT = "do_not_contact"

# Events that only make sense for one kind; the rest (linked, mentioned, lost, followed_up,
# do_not_contact, stage_set) fit both.
_AUTHOR_ONLY = {E.FOLLOWED, E.COMMENTED, E.REPLIED, E.CONVERSATION, E.PITCHED, E.DECLINED}
_PUBLICATION_ONLY = {E.GUIDELINES_READ, E.SUBMITTED, E.ACCEPTED, E.REJECTED}

# Progress: event → the stage it advances to (never backwards).
_AUTHOR_PROGRESS = {
    E.FOLLOWED: "following",
    E.COMMENTED: "engaging",
    E.REPLIED: "conversation",
    E.CONVERSATION: "conversation",
    E.PITCHED: "pitched",
    E.FOLLOWED_UP: "pitched",
}
_AUTHOR_OUTCOME = {E.LINKED: "won", E.MENTIONED: "won", E.DECLINED: "declined"}
_PUB_PROGRESS = {E.GUIDELINES_READ: "guidelines_read", E.SUBMITTED: "submitted", E.FOLLOWED_UP: "submitted"}
_PUB_OUTCOME = {E.ACCEPTED: "accepted", E.REJECTED: "rejected"}

# What the user sends: the clock for follow-ups and for "recently contacted" runs from these.
CONTACT_EVENTS = frozenset({E.COMMENTED, E.PITCHED, E.FOLLOWED_UP, E.SUBMITTED})
# What the other side sends after a pitch: any of these stops follow-up reminders.
RESPONSE_EVENTS = frozenset(
    {E.REPLIED, E.CONVERSATION, E.LINKED, E.MENTIONED, E.DECLINED, E.ACCEPTED, E.REJECTED}
)


@dataclass(frozen=True, slots=True)
class Event:
    target_kind: str
    target: str
    event: str
    at: datetime
    url: str | None = None
    note: str | None = None
    forced: bool = False
    id: int | None = None
    logged_at: str | None = None

    @property
    def day(self) -> date:
        return self.at.date()


def stages_for(kind: str) -> tuple[str, ...]:
    return (AUTHOR_STAGES if kind == TargetKind.AUTHOR else PUBLICATION_STAGES) + (DO_NOT_CONTACT,)


def chronological(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (e.at, e.id if e.id is not None else 0))


def parse_at(text: str) -> datetime:
    """`2024-05-01`, `2024-05-01T09:30`, or full ISO 8601 (a `Z` or offset is honoured) → aware UTC."""
    raw = text.strip()
    try:
        dt = datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw)
    except ValueError:
        raise InvalidDate(f"cannot read the date {text!r}; use YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidDate(f"cannot read the date {text!r}; use YYYY-MM-DD") from None


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def stage_set_note(stage: str, note: str | None) -> str:
    return stage if not note else f"{stage}: {note}"


def stage_from_note(note: str | None) -> str | None:
    return (note or "").split(":", 1)[0].strip() or None


def check_event_kind(kind: str, event: str, stage: str | None = None) -> None:
    """Refuse events that belong to the other kind, and manual stages that do not exist."""
    ev = EventType(event)
    if kind == TargetKind.AUTHOR and ev in _PUBLICATION_ONLY:
        raise RuleViolation(f"`{ev}` is a publication event; pass --publication with the publication's slug")
    if kind == TargetKind.PUBLICATION and ev in _AUTHOR_ONLY:
        raise RuleViolation(f"`{ev}` is an author event; log it on an author, not on a publication")
    if ev is E.STAGE_SET and stage not in stages_for(kind):
        raise RuleViolation(f"unknown {kind} stage {stage!r}; expected one of: {', '.join(stages_for(kind))}")


def derive_stage(
    kind: str, events: Iterable[Event], *, rules: OutreachSection | None = None, now: datetime | None = None
) -> str:
    """The stage the event log implies. With `rules` and `now`, a pitch whose follow-ups are spent and
    whose last one has gone unanswered for `follow_up_after_days` reads as `no_response`."""
    order = AUTHOR_STAGES if kind == TargetKind.AUTHOR else PUBLICATION_STAGES
    progress = _AUTHOR_PROGRESS if kind == TargetKind.AUTHOR else _PUB_PROGRESS
    outcome = _AUTHOR_OUTCOME if kind == TargetKind.AUTHOR else _PUB_OUTCOME
    evs = chronological(events)
    stage = "discovered"
    for ev in evs:
        name = ev.event
        if name == E.STAGE_SET:
            stage = stage_from_note(ev.note) or stage
        elif name == E.DO_NOT_CONTACT:
            stage = DO_NOT_CONTACT
        elif stage == DO_NOT_CONTACT:
            continue  # only a stage_set lifts it
        elif name in outcome:
            stage = outcome[EventType(name)]
        elif name == E.LOST:
            if stage == "won":
                stage = "pitched"  # the win no longer stands; monitoring goes on
        elif name in progress:
            target = progress[EventType(name)]
            chain = order[:5] if kind == TargetKind.AUTHOR else order[:3]  # up to pitched / submitted
            if stage in chain and chain.index(target) > chain.index(stage):
                stage = target
    if kind == TargetKind.AUTHOR and stage == "pitched" and rules is not None and now is not None:
        s = summarize(kind, evs, rules)
        if (
            not s.responded_since_pitch
            and s.follow_ups >= rules.max_follow_ups
            and s.last_contact is not None
            and now.date() >= s.last_contact.date() + timedelta(days=rules.follow_up_after_days)
        ):
            stage = "no_response"
    return stage


@dataclass(frozen=True, slots=True)
class Summary:
    """Facts about one target's log that the rules, the agenda and the queue all need."""

    comments: tuple[date, ...]  # days of every comment, oldest first
    spaced_comments: int  # comments at least min_days_between_comments apart, counted greedily
    last_spaced_comment: date | None
    last_comment: datetime | None
    last_contact: datetime | None
    pitched_at: datetime | None  # the (last) pitch, or for a publication the (last) submission
    follow_ups: int  # since that pitch / submission
    responded_since_pitch: bool
    responded: bool  # a reply or conversation at any time
    commented_urls: frozenset[str]


def spaced(days: Sequence[date], min_days: int) -> tuple[int, date | None]:
    count, last = 0, None
    for d in sorted(days):
        if last is None or (d - last).days >= min_days:
            count, last = count + 1, d
    return count, last


def summarize(kind: str, events: Iterable[Event], rules: OutreachSection) -> Summary:
    evs = chronological(events)
    comments = [e for e in evs if e.event == E.COMMENTED]
    n_spaced, last_spaced = spaced([e.day for e in comments], rules.min_days_between_comments)
    contacts = [e for e in evs if e.event in CONTACT_EVENTS]
    pitch_event = E.PITCHED if kind == TargetKind.AUTHOR else E.SUBMITTED
    pitches = [e for e in evs if e.event == pitch_event]
    pitched_at = pitches[-1].at if pitches else None
    after = [e for e in evs if pitched_at is not None and e.at >= pitched_at]
    return Summary(
        comments=tuple(e.day for e in comments),
        spaced_comments=n_spaced,
        last_spaced_comment=last_spaced,
        last_comment=comments[-1].at if comments else None,
        last_contact=contacts[-1].at if contacts else None,
        pitched_at=pitched_at,
        follow_ups=sum(1 for e in after if e.event == E.FOLLOWED_UP),
        responded_since_pitch=any(e.event in RESPONSE_EVENTS for e in after),
        responded=any(e.event in (E.REPLIED, E.CONVERSATION) for e in evs),
        commented_urls=frozenset(e.url for e in comments if e.url),
    )


def next_comment_day(s: Summary, rules: OutreachSection) -> date | None:
    """The first day a new comment on this target respects the spacing (None: any day)."""
    if s.last_comment is None:
        return None
    return s.last_comment.date() + timedelta(days=rules.min_days_between_comments)


def pitch_day(s: Summary, rules: OutreachSection) -> date | None:
    """The first day a pitch is allowed, assuming the missing comments are made as early as the
    spacing allows (None when enough spaced comments are already logged)."""
    missing = rules.min_comments_before_pitch - s.spaced_comments
    if missing <= 0:
        return None
    if s.last_spaced_comment is None:
        return None  # nothing to count from; the refusal says how many comments are needed
    return s.last_spaced_comment + timedelta(days=rules.min_days_between_comments * missing)


def follow_up_day(s: Summary, rules: OutreachSection) -> date | None:
    if s.last_contact is None:
        return None
    return s.last_contact.date() + timedelta(days=rules.follow_up_after_days)


def violations(
    kind: str,
    target: str,
    events: Iterable[Event],
    event: str,
    at: datetime,
    rules: OutreachSection,
    *,
    comments_that_day: int = 0,
) -> list[str]:
    """Every rule `event` at `at` would break, one line each saying why and when it becomes allowed.

    `events` is this target's log; `comments_that_day` counts comments on any target on `at`'s day
    (the daily cap is across everyone).
    """
    ev = EventType(event)
    evs = chronological(events)
    s = summarize(kind, evs, rules)
    stage = derive_stage(kind, evs)
    who = f"@{target}" if kind == TargetKind.AUTHOR else target
    day = at.date()
    out: list[str] = []
    if stage == DO_NOT_CONTACT and ev in CONTACT_EVENTS | {E.FOLLOWED}:
        out.append(f"{who} is marked do_not_contact; not allowed until `stage set` lifts it")
    if ev is E.COMMENTED:
        before = [d for d in s.comments if d <= day]
        if before:
            allowed = before[-1] + timedelta(days=rules.min_days_between_comments)
            if day < allowed:
                out.append(
                    f"a comment on {who} on {day} is too soon after the one on {before[-1]} "
                    f"(min_days_between_comments = {rules.min_days_between_comments}); allowed from {allowed}"
                )
        if comments_that_day >= rules.max_comments_per_day:
            out.append(
                f"{comments_that_day} comments are already logged on {day} "
                f"(max_comments_per_day = {rules.max_comments_per_day}); allowed from {day + timedelta(days=1)}"
            )
    elif ev is E.PITCHED:
        prior = [d for d in s.comments if d <= day]
        n, last = spaced(prior, rules.min_days_between_comments)
        missing = rules.min_comments_before_pitch - n
        if s.pitched_at is not None:
            out.append(
                f"{who} was already pitched on {s.pitched_at.date()}; log `followed_up` instead "
                f"(allowed from {follow_up_day(s, rules)})"
            )
        elif missing > 0:
            when = (
                f"allowed from {last + timedelta(days=rules.min_days_between_comments * missing)} at the earliest"
                if last is not None
                else f"allowed {rules.min_days_between_comments * (missing - 1)} days after a first comment at the earliest"
            )
            out.append(
                f"a pitch to {who} needs {rules.min_comments_before_pitch} comments at least "
                f"{rules.min_days_between_comments} days apart first, {n} logged; {missing} more, {when}"
            )
    elif ev is E.FOLLOWED_UP:
        first = "pitch" if kind == TargetKind.AUTHOR else "submission"
        if s.pitched_at is None:
            out.append(f"nothing to follow up: no {first} to {who} is logged; log the {first} first")
        elif s.follow_ups >= rules.max_follow_ups:
            out.append(
                f"{who} already has {s.follow_ups} follow-ups since the {first} on {s.pitched_at.date()} "
                f"(max_follow_ups = {rules.max_follow_ups}); never allowed again for this {first}"
            )
        else:
            due = follow_up_day(s, rules)
            if due is not None and day < due:
                out.append(
                    f"a follow-up to {who} on {day} is not due yet: last contact {s.last_contact.date()} "  # type: ignore[union-attr]
                    f"(follow_up_after_days = {rules.follow_up_after_days}); allowed from {due}"
                )
    return out


def check(
    kind: str,
    target: str,
    events: Iterable[Event],
    event: str,
    at: datetime,
    rules: OutreachSection,
    *,
    now: datetime,
    comments_that_day: int = 0,
    force: bool = False,
    stage: str | None = None,
) -> list[str]:
    """Raise RuleViolation with the first refusal unless `force`; return what `force` overrode.

    Never overridable: an event for the other kind, an unknown stage, and a date in the future.
    """
    check_event_kind(kind, event, stage)
    if at.date() > now.date():
        raise RuleViolation(
            f"{at.date()} is in the future (today is {now.date()}); log events once they happen"
        )
    broken = violations(kind, target, events, event, at, rules, comments_that_day=comments_that_day)
    if broken and not force:
        raise RuleViolation(broken[0] + " (or pass --force to override; the override is logged)")
    return broken
