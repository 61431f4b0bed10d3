"""`linkscout next`: today's outreach agenda from the log, in priority order.

1. pitches due: enough spaced comments and a reply or conversation, not pitched yet; each with its
   pitch card (contact routes, the reply that opened the door, assets to offer with UTM links);
2. follow-ups due: `follow_up_after_days` after the last logged contact, fewer than `max_follow_ups`,
   and no answer since the pitch (a reply, a link, a decline all stop the reminders); a `promised`
   author whose link has not appeared is followed up the same way, and stays on the agenda
   (`check_link`) until then;
3. submissions to chase: the same clock for publications after a submission, unless the article was
   accepted elsewhere (an acceptance closes the other chases);
4. comments due: engaged authors whose spacing allows a comment, on their newest niche post *inside
   the 48-hour window* ("published N h ago" first), capped by what is left of `max_comments_per_day`;
   when the window has passed, a `wait` item says so and waits for the next post (`linkscout watch`);
5. a relationship that just went cold (`max_unanswered_comments` comments, no reply) is said once,
   on the day the next comment would have been due; after that it gets no comment suggestions.
Within a priority, the oldest due date comes first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlite_utils import Database

from linkscout.core.niche import Niche
from linkscout.outreach import stages
from linkscout.outreach.pitch import pitch_card
from linkscout.outreach.posts import FRESH_HOURS, NichePosts, describe_post, load_niche_posts
from linkscout.outreach.stages import E, TargetKind
from linkscout.outreach.tracker import TargetState, tracked
from linkscout.store.events import comments_on_day

PRIORITY = {
    "pitch": 1,
    "follow_up": 2,
    "check_link": 3,
    "chase_submission": 3,
    "comment": 4,
    "wait": 5,
    "cold": 5,
}
_DONE = frozenset({"do_not_contact", "won", "declined", "no_response", "accepted", "rejected"})


@dataclass(frozen=True)
class AgendaItem:
    priority: int
    due: date
    action: str  # pitch | follow_up | check_link | chase_submission | comment | wait | cold
    target_kind: str
    handle: str
    name: str | None
    stage: str
    detail: str
    post_title: str | None = None
    post_url: str | None = None
    published_hours_ago: float | None = None  # the suggested post's age, when there is one
    card: dict[str, Any] = field(default_factory=dict)  # pitch items: the pitch card

    @property
    def published_ago(self) -> str | None:
        h = self.published_hours_ago
        if h is None:
            return None
        return f"published {h:.0f} h ago" if h <= FRESH_HOURS else f"published {h / 24:.0f} days ago"

    def as_dict(self, on: date) -> dict[str, Any]:
        return {
            "published": self.published_ago,
            "priority": self.priority,
            "due": self.due.isoformat(),
            "overdue_days": max((on - self.due).days, 0),
            "action": self.action,
            "kind": self.target_kind,
            "handle": self.handle,
            "name": self.name,
            "stage": self.stage,
            "detail": self.detail,
            "post_title": self.post_title,
            "post_url": self.post_url,
            "card": self.card or None,
        }


def agenda(
    db: Database,
    niche: Niche,
    *,
    on: date | None = None,
    now: datetime | None = None,
    posts: NichePosts | None = None,
) -> list[AgendaItem]:
    """Everything due on or before `on` (default: today, UTC). `now` is the exact clock (for post
    ages); with only `on`, the end of that day."""
    if now is None:
        now = datetime.now(UTC).replace(microsecond=0)
        if on is not None and on != now.date():
            now = datetime.combine(on, time(23, 59, 59), tzinfo=UTC)
    day = now.date()
    posts = posts if posts is not None else load_niche_posts(db, niche)
    states = tracked(db, niche.outreach, now=now)
    accepted = _accepted_articles(states, niche)
    items: list[AgendaItem] = []
    comments: list[AgendaItem] = []
    for st in states:
        if st.stage in _DONE:
            continue
        if st.target_kind == TargetKind.PUBLICATION:
            items.extend(_publication_items(st, niche, day, accepted))
        else:
            item = _author_item(db, st, niche, posts, now)
            if item is not None:
                (comments if item.action == "comment" else items).append(item)
    left = max(niche.outreach.max_comments_per_day - comments_on_day(db, day), 0)
    comments.sort(key=_order)
    items.extend(comments[:left])
    items.sort(key=_order)
    return items


def _order(i: AgendaItem) -> tuple[int, date, str]:
    return (i.priority, i.due, i.handle)


def _accepted_articles(states: list[TargetState], niche: Niche) -> dict[str, str]:
    """article → the publication that accepted it (an acceptance without --article concerns the
    publication's latest submission before it)."""
    out: dict[str, str] = {}
    for st in states:
        if st.target_kind != TargetKind.PUBLICATION:
            continue
        for e in stages.effective(st.events):
            if e.event == E.ACCEPTED:
                earlier = [x for x in st.events if x.at <= e.at]
                article = e.article or stages.summarize(st.target_kind, earlier, niche.outreach).article
                if article:
                    out[article] = st.target
    return out


def _follow_up(st: TargetState, niche: Niche, day: date, common: dict[str, Any]) -> AgendaItem | None:
    rules, s = niche.outreach, st.summary
    if s.pitched_at is None or s.follow_ups >= rules.max_follow_ups:
        return None
    if s.responded_since_pitch and st.stage != "promised":
        return None
    due = stages.follow_up_day(s, rules)
    if s.promised_at is not None:
        due = max(due or day, s.promised_at.date() + timedelta(days=rules.follow_up_after_days))
    if due is None or due > day:
        return None
    n = s.follow_ups + 1
    what = (
        f"They promised a link on {s.promised_at.date()} and it has not appeared: follow up"
        if s.promised_at is not None
        else f"Follow up on the pitch of {s.pitched_at.date()}"
    )
    detail = f"{what} (follow-up {n} of {rules.max_follow_ups}; last contact " + (
        f"{s.last_contact.date() if s.last_contact else s.pitched_at.date()})"
    )
    return AgendaItem(PRIORITY["follow_up"], due, "follow_up", detail=detail, **common)


def _author_item(
    db: Database, st: TargetState, niche: Niche, posts: NichePosts, now: datetime
) -> AgendaItem | None:
    rules, s, day = niche.outreach, st.summary, now.date()
    common: dict[str, Any] = {
        "target_kind": st.target_kind,
        "handle": st.target,
        "name": st.name,
        "stage": st.stage,
    }
    if st.stage in ("pitched", "promised"):
        item = _follow_up(st, niche, day, common)
        if item is not None or st.stage == "pitched" or s.promised_at is None:
            return item
        detail = (
            f"@{st.target} promised a link on {s.promised_at.date()}: run `linkscout monitor` to look for it"
        )
        return AgendaItem(PRIORITY["check_link"], s.promised_at.date(), "check_link", detail=detail, **common)
    if st.stage == "cold":
        due = stages.next_comment_day(s, rules)
        if due != day:
            return None
        detail = (
            f"@{st.target} has not answered {s.unanswered_comments} comments "
            f"(max_unanswered_comments = {rules.max_unanswered_comments}): the relationship is cold; "
            "no more comment suggestions until they reply"
        )
        return AgendaItem(PRIORITY["cold"], day, "cold", detail=detail, **common)
    if s.spaced_comments >= rules.min_comments_before_pitch and s.responded:
        replies = [e.day for e in stages.effective(st.events) if e.event in stages.REPLY_EVENTS]
        due = max(s.last_spaced_comment or day, min(replies) if replies else day)
        card = pitch_card(db, niche, st.target, s)
        opened = s.opened_by
        door = f"; they {opened.event} on {opened.at.date()}" if opened is not None else ""
        detail = f"Pitch @{st.target}: {s.spaced_comments} spaced comments logged{door}; reach them via {card['contact']}"
        return AgendaItem(PRIORITY["pitch"], min(due, day), "pitch", detail=detail, card=card, **common)
    next_day = stages.next_comment_day(s, rules)
    if next_day is not None and next_day > day:
        return None
    post = posts.freshest("author", st.target, now, skip=s.commented_urls)
    if post is None:
        detail = f"No new niche post by @{st.target} to comment on; wait for the next one (`linkscout watch`)"
        return AgendaItem(PRIORITY["wait"], next_day or day, "wait", detail=detail, **common)
    age = post.age_hours(now)
    if not post.is_fresh(now):
        detail = (
            f"The {FRESH_HOURS}-hour window on {describe_post(post, now)} has passed; wait for "
            f"@{st.target}'s next post (`linkscout watch` picks it up)"
        )
        return AgendaItem(
            PRIORITY["wait"], next_day or day, "wait", detail=detail, published_hours_ago=age, **common
        )
    need = max(rules.min_comments_before_pitch - s.spaced_comments, 0)
    detail = f"Published {age:.0f} h ago: comment on {describe_post(post, now)}" + (
        f"; {need} more spaced comment{'s' if need != 1 else ''} before a pitch"
        if need
        else "; then wait for a reply"
    )
    return AgendaItem(
        PRIORITY["comment"], next_day or day, "comment", detail=detail, post_title=post.title, post_url=post.url,
        published_hours_ago=age, **common,
    )  # fmt: skip


def _publication_items(
    st: TargetState, niche: Niche, day: date, accepted: dict[str, str]
) -> list[AgendaItem]:
    rules, s = niche.outreach, st.summary
    if st.stage != "submitted" or s.pitched_at is None or s.responded_since_pitch:
        return []
    if s.article and accepted.get(s.article) not in (None, st.target):
        return []  # accepted elsewhere: this chase is closed
    if s.follow_ups >= rules.max_follow_ups:
        return []
    due = stages.follow_up_day(s, rules)
    if due is None or due > day:
        return []
    what = f" of {s.article}" if s.article else ""
    detail = f"Chase the submission{what} of {s.pitched_at.date()} (chase {s.follow_ups + 1} of {rules.max_follow_ups})"
    return [
        AgendaItem(
            PRIORITY["chase_submission"],
            due,
            "chase_submission",
            st.target_kind,
            st.target,
            st.name,
            st.stage,
            detail,
        )
    ]
