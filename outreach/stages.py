"""The outreach state machine and its rules. Pure: events in, stage and verdicts out; the clock is passed in.

Author stages:      discovered → following → engaging → conversation → pitched → promised → won
                    | declined | no_response, and `cold` (engaging, but too many comments unanswered)
Publication stages: discovered → guidelines_read → submitted → accepted | rejected
Either kind may also be `do_not_contact` (until a `stage_set` lifts it).

Every fact is an append-only event; the stage is derived from them. Progress events only move a
target forward (a comment after a pitch does not un-pitch anyone); outcome events (won, declined,
accepted, rejected) and `stage_set` (a manual override, whose note holds the stage) set it outright.
`stage undo` appends a `retracted` event naming the event it takes back; both then drop out of every
derivation (`effective`). A `linked` or `mentioned` with no pitch before it is *unprompted*: it says
the author already links to the user (a lane of its own), and it is never a win.

`validate_event` is the one check every way of logging goes through (`stage log`, `stage import`,
monitor): it evaluates the rules over the whole timeline with the new event in its place, so a
backfilled event is judged where it happened, not at the end. Two kinds of "no":

- a refusal (RuleViolation): the event cannot be true as stated — a reply with no contact before
  it, a link without the URL carrying it, a date in the future or before Medium existed (August
  2012), an event of the other kind, a second pending submission of one article;
- a rule break: the event is possible but breaks an `[outreach]` rule (spacing, daily cap, a pitch
  before its comments, an early follow-up). Today, that is refused unless `--force`; in the past
  (`--at` an earlier day) it already happened, so it is recorded, flagged, and warned about.

Rules from `[outreach]` compare UTC calendar days, so "4 days between comments" means a comment on
the 1st allows the next one on the 5th, whatever the hour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from linkscout.core.errors import LinkscoutError, RuleViolation
from linkscout.core.events import SLUG_RE, USERNAME_RE, Event, EventType, TargetKind
from linkscout.core.niche import OutreachSection

__all__ = ["Event", "EventType", "TargetKind", "Verdict", "validate_event", "validate_handle"]


class InvalidDate(LinkscoutError):
    """A date the user typed could not be read."""


E = EventType

MEDIUM_LAUNCH = date(2012, 8, 1)  # no Medium event can be older

AUTHOR_STAGES = (
    "discovered",
    "following",
    "engaging",
    "cold",
    "conversation",
    "pitched",
    "promised",
    "won",
    "declined",
    "no_response",
)
PUBLICATION_STAGES = ("discovered", "guidelines_read", "submitted", "accepted", "rejected")
DO_NOT_CONTACT = "do_not_contact"

# Events that only make sense for one kind; the rest (linked, mentioned, lost, followed_up,
# do_not_contact, stage_set, retracted) fit both.
_AUTHOR_ONLY = {E.FOLLOWED, E.COMMENTED, E.REPLIED, E.CONVERSATION, E.PITCHED, E.PROMISED, E.DECLINED}
_PUBLICATION_ONLY = {E.GUIDELINES_READ, E.SUBMITTED, E.ACCEPTED, E.REJECTED, E.WITHDRAWN}

# Progress: event → the stage it advances to (never backwards), along each kind's chain.
_AUTHOR_CHAIN = ("discovered", "following", "engaging", "conversation", "pitched", "promised")
_PUB_CHAIN = ("discovered", "guidelines_read", "submitted")
_AUTHOR_PROGRESS = {
    E.FOLLOWED: "following",
    E.COMMENTED: "engaging",
    E.REPLIED: "conversation",
    E.CONVERSATION: "conversation",
    E.PITCHED: "pitched",
    E.FOLLOWED_UP: "pitched",
    E.PROMISED: "promised",
}
_AUTHOR_OUTCOME = {E.LINKED: "won", E.MENTIONED: "won", E.DECLINED: "declined"}
_PUB_PROGRESS = {E.GUIDELINES_READ: "guidelines_read", E.SUBMITTED: "submitted", E.FOLLOWED_UP: "submitted"}
_PUB_OUTCOME = {E.ACCEPTED: "accepted", E.REJECTED: "rejected", E.WITHDRAWN: "guidelines_read"}

# What the user sends: the clock for follow-ups and for "recently contacted" runs from these.
CONTACT_EVENTS = frozenset({E.COMMENTED, E.PITCHED, E.FOLLOWED_UP, E.SUBMITTED})
# What the other side sends after a pitch: any of these stops follow-up reminders.
RESPONSE_EVENTS = frozenset(
    {E.REPLIED, E.CONVERSATION, E.PROMISED, E.LINKED, E.MENTIONED, E.DECLINED, E.ACCEPTED, E.REJECTED}
)
REPLY_EVENTS = frozenset({E.REPLIED, E.CONVERSATION})
# Answers to a submission that end it (the article is free to go elsewhere after a rejection or withdrawal).
SUBMISSION_ENDS = frozenset({E.ACCEPTED, E.REJECTED, E.WITHDRAWN})


def stages_for(kind: str) -> tuple[str, ...]:
    return (AUTHOR_STAGES if kind == TargetKind.AUTHOR else PUBLICATION_STAGES) + (DO_NOT_CONTACT,)


def chronological(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (e.at, e.id if e.id is not None else 0))


def effective(events: Iterable[Event]) -> list[Event]:
    """The timeline without retracted events and without the retractions themselves, oldest first."""
    evs = list(events)
    gone = {e.retracts for e in evs if e.event == E.RETRACTED and e.retracts is not None}
    return chronological(e for e in evs if e.event != E.RETRACTED and (e.id is None or e.id not in gone))


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


def validate_handle(kind: str, handle: str) -> str:
    """The store key for a handle the user typed ('@Ann' → 'ann'), or a refusal saying what Medium allows."""
    raw = handle.strip()
    if kind == TargetKind.AUTHOR:
        key = raw.removeprefix("@").lower()
        if not USERNAME_RE.fullmatch(key):
            raise RuleViolation(
                f"{_shown(raw)} is not a Medium username: 1 to 30 letters, digits, underscores or dots"
            )
        return key
    key = raw.strip("/").lower()
    if not SLUG_RE.fullmatch(key):
        raise RuleViolation(
            f"{_shown(raw)} is not a Medium publication slug: lower-case letters and digits in "
            "hyphen-separated words, at most 100 characters"
        )
    return key


def _shown(raw: str) -> str:
    text = raw.encode("unicode_escape").decode("ascii")
    return repr(text if len(text) <= 40 else text[:40] + "...")


def check_event_kind(kind: str, event: str, stage: str | None = None) -> None:
    """Refuse events that belong to the other kind, and manual stages that do not exist."""
    ev = EventType(event)
    if kind == TargetKind.AUTHOR and ev in _PUBLICATION_ONLY:
        raise RuleViolation(f"`{ev}` is a publication event; pass --publication with the publication's slug")
    if kind == TargetKind.PUBLICATION and ev in _AUTHOR_ONLY:
        raise RuleViolation(f"`{ev}` is an author event; log it on an author, not on a publication")
    if ev is E.STAGE_SET and stage not in stages_for(kind):
        raise RuleViolation(f"unknown {kind} stage {stage!r}; expected one of: {', '.join(stages_for(kind))}")


def _pitch_event(kind: str) -> EventType:
    return E.PITCHED if kind == TargetKind.AUTHOR else E.SUBMITTED


def derive_stage(
    kind: str, events: Iterable[Event], *, rules: OutreachSection | None = None, now: datetime | None = None
) -> str:
    """The stage the event log implies. With `rules`: an engaged author with `max_unanswered_comments`
    comments and no reply reads as `cold`; with `rules` and `now`, a pitch whose follow-ups are spent
    and whose last one has gone unanswered for `follow_up_after_days` reads as `no_response`."""
    is_author = kind == TargetKind.AUTHOR
    chain = _AUTHOR_CHAIN if is_author else _PUB_CHAIN
    progress = _AUTHOR_PROGRESS if is_author else _PUB_PROGRESS
    outcome = _AUTHOR_OUTCOME if is_author else _PUB_OUTCOME
    evs = effective(events)
    stage = "discovered"
    pitched = False
    for ev in evs:
        name = ev.event
        if name == E.STAGE_SET:
            stage = stage_from_note(ev.note) or stage
        elif name == E.DO_NOT_CONTACT:
            stage = DO_NOT_CONTACT
        elif stage == DO_NOT_CONTACT:
            continue  # only a stage_set lifts it
        elif name in (E.LINKED, E.MENTIONED) and not pitched:
            continue  # unprompted: "already links to you", not the end of an outreach that never started
        elif name in outcome:
            stage = outcome[EventType(name)]
        elif name == E.LOST:
            if stage == "won":
                stage = "pitched"  # the win no longer stands; monitoring goes on
        elif name in progress:
            target = progress[EventType(name)]
            if stage in chain and chain.index(target) > chain.index(stage):
                stage = target
        if name == _pitch_event(kind):
            pitched = True
    if rules is None or not is_author:
        return stage
    s = summarize(kind, evs, rules)
    if stage in ("following", "engaging") and s.unanswered_comments >= rules.max_unanswered_comments:
        return "cold"
    if (
        stage == "pitched"
        and now is not None
        and not s.responded_since_pitch
        and s.follow_ups >= rules.max_follow_ups
        and s.last_contact is not None
        and now.date() >= s.last_contact.date() + timedelta(days=rules.follow_up_after_days)
    ):
        return "no_response"
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
    unanswered_comments: int = 0  # comments since the last reply (all of them when there was none)
    first_contact: datetime | None = None  # the first outbound contact: links older than it were not won
    promised_at: datetime | None = None  # the (last) promise since the pitch
    unprompted: tuple[Event, ...] = ()  # links and mentions with no pitch before them
    wins: tuple[Event, ...] = ()  # links and mentions after a pitch
    rule_breaks: tuple[Event, ...] = ()  # events recorded although they broke a rule
    opened_by: Event | None = None  # the latest reply or conversation: what opened the door to a pitch
    article: str | None = None  # publications: the article of the (last) submission


def spaced(days: Sequence[date], min_days: int) -> tuple[int, date | None]:
    count, last = 0, None
    for d in sorted(days):
        if last is None or (d - last).days >= min_days:
            count, last = count + 1, d
    return count, last


def summarize(kind: str, events: Iterable[Event], rules: OutreachSection) -> Summary:
    evs = effective(events)
    comments = [e for e in evs if e.event == E.COMMENTED]
    n_spaced, last_spaced = spaced([e.day for e in comments], rules.min_days_between_comments)
    contacts = [e for e in evs if e.event in CONTACT_EVENTS]
    pitches = [e for e in evs if e.event == _pitch_event(kind)]
    pitched_at = pitches[-1].at if pitches else None
    after = [e for e in evs if pitched_at is not None and e.at >= pitched_at]
    replies = [e for e in evs if e.event in REPLY_EVENTS]
    last_reply = replies[-1].at if replies else None
    first_pitch = pitches[0].at if pitches else None
    links = [e for e in evs if e.event in (E.LINKED, E.MENTIONED)]
    promises = [e for e in after if e.event == E.PROMISED]
    return Summary(
        comments=tuple(e.day for e in comments),
        spaced_comments=n_spaced,
        last_spaced_comment=last_spaced,
        last_comment=comments[-1].at if comments else None,
        last_contact=contacts[-1].at if contacts else None,
        pitched_at=pitched_at,
        follow_ups=sum(1 for e in after if e.event == E.FOLLOWED_UP),
        responded_since_pitch=any(e.event in RESPONSE_EVENTS for e in after),
        responded=bool(replies),
        commented_urls=frozenset(e.url for e in comments if e.url),
        unanswered_comments=sum(1 for e in comments if last_reply is None or e.at > last_reply),
        first_contact=contacts[0].at if contacts else None,
        promised_at=promises[-1].at if promises else None,
        unprompted=tuple(e for e in links if first_pitch is None or e.at < first_pitch),
        wins=tuple(e for e in links if first_pitch is not None and e.at >= first_pitch),
        rule_breaks=tuple(e for e in evs if e.rule_break),
        opened_by=replies[-1] if replies else None,
        article=pitches[-1].article if pitches else None,
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
    """Every `[outreach]` rule `event` at `at` would break, judged over the whole timeline with the
    event in its place: one line each saying why and when it becomes allowed.

    `events` is this target's log; `comments_that_day` counts comments on any target on `at`'s day
    (the daily cap is across everyone).
    """
    ev = EventType(event)
    evs = effective(events)
    before = [e for e in evs if e.at <= at]
    s = summarize(kind, before, rules)
    stage = derive_stage(kind, before)
    who = f"@{target}" if kind == TargetKind.AUTHOR else target
    day = at.date()
    out: list[str] = []
    if stage == DO_NOT_CONTACT and ev in CONTACT_EVENTS | {E.FOLLOWED}:
        out.append(f"{who} is marked do_not_contact; not allowed until `stage set` lifts it")
    if ev is E.COMMENTED:
        gap = rules.min_days_between_comments
        if s.comments:
            allowed = s.comments[-1] + timedelta(days=gap)
            if day < allowed:
                out.append(
                    f"a comment on {who} on {day} is too soon after the one on {s.comments[-1]} "
                    f"(min_days_between_comments = {gap}); allowed from {allowed}"
                )
        later = [e.day for e in evs if e.event == E.COMMENTED and e.at > at]
        if later and (later[0] - day).days < gap:
            out.append(
                f"a comment on {who} on {day} is too close before the one on {later[0]} "
                f"(min_days_between_comments = {gap}); allowed up to {later[0] - timedelta(days=gap)}"
            )
        if comments_that_day >= rules.max_comments_per_day:
            out.append(
                f"{comments_that_day} comments are already logged on {day} "
                f"(max_comments_per_day = {rules.max_comments_per_day}); allowed from {day + timedelta(days=1)}"
            )
    elif ev is E.PITCHED:
        n, last = s.spaced_comments, s.last_spaced_comment
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


@dataclass(frozen=True, slots=True)
class Verdict:
    """What `validate_event` found: the rule breaks an event is recorded with (a backfilled event, or
    one forced today), and warnings said but not refused (cold, never replied, unprompted link)."""

    rule_breaks: tuple[str, ...] = ()
    forced: bool = False  # a present-time rule break let through by --force
    warnings: tuple[str, ...] = ()
    unprompted: bool = False  # a link or mention with no pitch before it


def _refusals(
    kind: str,
    who: str,
    evs: list[Event],
    ev: EventType,
    at: datetime,
    *,
    url: str | None,
) -> None:
    """Facts that cannot be true as stated: never recorded, --force or not."""
    before = [e for e in evs if e.at < at or (e.at == at and e.id is not None)]
    if ev in (E.LINKED, E.MENTIONED) and not (url or "").strip():
        what = "link" if ev is E.LINKED else "mention"
        raise RuleViolation(f"`{ev}` needs --url: the post that carries the {what}")
    if ev in REPLY_EVENTS and not any(e.event in CONTACT_EVENTS for e in before):
        raise RuleViolation(
            f"`{ev}` needs an earlier outbound contact with {who} (a comment or a pitch) and none is logged "
            f"before {at.date()}; log that first"
        )
    if ev is E.PROMISED and not any(e.event == E.PITCHED for e in before):
        raise RuleViolation(f"`promised` answers a pitch and no pitch to {who} is logged before {at.date()}")
    if ev in SUBMISSION_ENDS and not any(e.event == E.SUBMITTED for e in before):
        raise RuleViolation(f"`{ev}` answers a submission and none to {who} is logged before {at.date()}")


def _article_conflict(article: str | None, article_elsewhere: Mapping[str, Sequence[Event]]) -> str | None:
    """One publication at a time per article: why a submission of `article` is not allowed, if it is not."""
    if not article:
        return None
    for pub, other in sorted(article_elsewhere.items()):
        status = article_status(other, article)
        if status == "pending":
            return (
                f"{article} is already submitted to {pub} and pending; one publication at a time: "
                f"log `withdrawn` or `rejected` on {pub} first"
            )
        if status == "accepted":
            return f"{article} was accepted by {pub}; it is no longer free to submit"
    return None


def article_status(events: Sequence[Event], article: str) -> str | None:
    """One publication's state for one article: pending | accepted | rejected | withdrawn | None."""
    status: str | None = None
    for e in effective(events):
        if e.event == E.SUBMITTED:
            status = "pending" if e.article == article else (None if status == "pending" else status)
        elif e.event in SUBMISSION_ENDS and status == "pending" and (e.article in (None, article)):
            status = str(e.event)
    return status


def validate_event(
    kind: str,
    target: str,
    history: Sequence[Event],
    event: str,
    at: datetime,
    rules: OutreachSection,
    *,
    now: datetime,
    backfilled: bool | None = None,
    url: str | None = None,
    article: str | None = None,
    comments_that_day: int = 0,
    force: bool = False,
    stage: str | None = None,
    article_elsewhere: Mapping[str, Sequence[Event]] | None = None,
) -> Verdict:
    """The one check for appending `event` at `at` to `history` (this target's log).

    Raises RuleViolation (one line: why, and when it becomes allowed where such a day exists) for
    an event that cannot be logged. Returns a Verdict: the rule breaks it is recorded with and the
    warnings to show. `backfilled` defaults to "`at` is on an earlier day than `now`".
    `article_elsewhere` maps other publications to their logs, for one-submission-per-article.
    """
    check_event_kind(kind, event, stage)
    ev = EventType(event)
    who = f"@{target}" if kind == TargetKind.AUTHOR else target
    if at.date() > now.date():
        raise RuleViolation(
            f"{at.date()} is in the future (today is {now.date()}); log it once it happens, from {at.date()}"
        )
    if at.date() < MEDIUM_LAUNCH:
        raise RuleViolation(f"{at.date()} is before Medium existed (August 2012); check the --at date")
    if ev is E.RETRACTED:
        raise RuleViolation("a retraction is logged with `stage undo`, not `stage log`")
    evs = effective(history)
    _refusals(kind, who, evs, ev, at, url=url)
    broken = tuple(violations(kind, target, evs, ev, at, rules, comments_that_day=comments_that_day))
    conflict = _article_conflict(article, article_elsewhere or {}) if ev is E.SUBMITTED else None
    if conflict is not None:
        if not force:
            raise RuleViolation(conflict + " (or pass --force to submit anyway; the override is logged)")
        return Verdict((conflict,), True, ())
    past = backfilled if backfilled is not None else at.date() < now.date()
    if broken and not past and not force:
        raise RuleViolation(broken[0] + " (or pass --force to override; the override is logged)")
    warnings: list[str] = []
    if broken and past:
        warnings.append(f"recorded as a rule break (it already happened): {broken[0]}")
    before = [e for e in evs if e.at <= at]
    s = summarize(kind, before, rules)
    unprompted = False
    if kind == TargetKind.AUTHOR:
        stage_then = derive_stage(kind, before, rules=rules, now=at)
        if ev is E.COMMENTED and stage_then == "cold":
            warnings.append(
                f"@{target} has not answered {s.unanswered_comments} comments "
                f"(max_unanswered_comments = {rules.max_unanswered_comments}): the relationship is cold; "
                "wait for a reply before commenting again"
            )
        if ev is E.PITCHED and not s.responded:
            warnings.append(f"@{target} has never replied: this pitch is cold")
    if ev in (E.LINKED, E.MENTIONED) and s.pitched_at is None:
        unprompted = True
        warnings.append(
            f"no pitch to {who} is logged before {at.date()}: recorded as unprompted "
            "(already links to you), not as a win"
        )
    return Verdict(broken, bool(broken) and not past, tuple(warnings), unprompted)
