"""`linkscout next`: today's outreach agenda from the log, in priority order.

1. pitches due: enough spaced comments and a reply or conversation, not pitched yet;
2. follow-ups due: `follow_up_after_days` after the last logged contact, fewer than `max_follow_ups`,
   and no answer since the pitch (a reply, a link, a decline all stop the reminders);
3. submissions to chase: the same clock for publications after a submission;
4. comments due: engaged authors whose spacing allows a comment, with the post to comment on (their
   freshest niche post not yet commented, ideally within 48 h of publishing), capped by what is left
   of `max_comments_per_day`.
Within a priority, the oldest due date comes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlite_utils import Database

from linkscout.core.niche import Niche
from linkscout.outreach import stages
from linkscout.outreach.posts import NichePosts, describe_post, load_niche_posts
from linkscout.outreach.stages import TargetKind
from linkscout.outreach.tracker import TargetState, tracked

PRIORITY = {"pitch": 1, "follow_up": 2, "chase_submission": 3, "comment": 4}
_DONE = frozenset({"do_not_contact", "won", "declined", "no_response", "accepted", "rejected"})


@dataclass(frozen=True)
class AgendaItem:
    priority: int
    due: date
    action: str  # pitch | follow_up | chase_submission | comment
    target_kind: str
    handle: str
    name: str | None
    stage: str
    detail: str
    post_title: str | None = None
    post_url: str | None = None

    def as_dict(self, on: date) -> dict[str, Any]:
        return {
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
        }


def agenda(
    db: Database, niche: Niche, *, on: date | None = None, posts: NichePosts | None = None
) -> list[AgendaItem]:
    """Everything due on or before `on` (default: today, UTC)."""
    now = datetime.now(UTC).replace(microsecond=0)
    if on is not None and on != now.date():
        now = datetime.combine(on, time(23, 59, 59), tzinfo=UTC)
    day = now.date()
    posts = posts if posts is not None else load_niche_posts(db, niche)
    items: list[AgendaItem] = []
    comments: list[AgendaItem] = []
    for st in tracked(db, niche.outreach, now=now):
        if st.stage in _DONE:
            continue
        if st.target_kind == TargetKind.PUBLICATION:
            items.extend(_publication_items(st, niche, day))
        else:
            item = _author_item(st, niche, posts, now)
            if item is not None:
                (comments if item.action == "comment" else items).append(item)
    left = max(niche.outreach.max_comments_per_day - _comments_on(db, day), 0)
    comments.sort(key=_order)
    items.extend(comments[:left])
    items.sort(key=_order)
    return items


def _order(i: AgendaItem) -> tuple[int, date, str]:
    return (i.priority, i.due, i.handle)


def _comments_on(db: Database, day: date) -> int:
    from linkscout.outreach.tracker import comments_on_day

    return comments_on_day(db, datetime.combine(day, time(12), tzinfo=UTC))


def _author_item(st: TargetState, niche: Niche, posts: NichePosts, now: datetime) -> AgendaItem | None:
    rules, s, day = niche.outreach, st.summary, now.date()
    common: dict[str, Any] = {
        "target_kind": st.target_kind,
        "handle": st.target,
        "name": st.name,
        "stage": st.stage,
    }
    if st.stage == "pitched":
        if s.responded_since_pitch or s.follow_ups >= rules.max_follow_ups or s.pitched_at is None:
            return None
        due = stages.follow_up_day(s, rules)
        if due is None or due > day:
            return None
        n = s.follow_ups + 1
        detail = (
            f"Follow up on the pitch of {s.pitched_at.date()} (follow-up {n} of {rules.max_follow_ups}; "
            f"last contact {s.last_contact.date() if s.last_contact else s.pitched_at.date()})"
        )
        return AgendaItem(PRIORITY["follow_up"], due, "follow_up", detail=detail, **common)
    if s.spaced_comments >= rules.min_comments_before_pitch and s.responded:
        replies = [e.day for e in st.events if e.event in (stages.E.REPLIED, stages.E.CONVERSATION)]
        due = max(s.last_spaced_comment or day, min(replies) if replies else day)
        detail = f"Pitch @{st.target}: {s.spaced_comments} spaced comments logged and they have replied"
        return AgendaItem(PRIORITY["pitch"], min(due, day), "pitch", detail=detail, **common)
    next_day = stages.next_comment_day(s, rules)
    if next_day is not None and next_day > day:
        return None
    post = posts.freshest("author", st.target, now, skip=s.commented_urls)
    if post is None:
        detail = f"No new niche post by @{st.target} to comment on yet; check their profile"
        return AgendaItem(PRIORITY["comment"], next_day or day, "comment", detail=detail, **common)
    need = max(rules.min_comments_before_pitch - s.spaced_comments, 0)
    detail = f"Comment on {describe_post(post, now)}" + (
        f"; {need} more spaced comment{'s' if need != 1 else ''} before a pitch"
        if need
        else "; then wait for a reply"
    )
    return AgendaItem(
        PRIORITY["comment"], next_day or day, "comment", detail=detail, post_title=post.title, post_url=post.url,
        **common,
    )  # fmt: skip


def _publication_items(st: TargetState, niche: Niche, day: date) -> list[AgendaItem]:
    rules, s = niche.outreach, st.summary
    if st.stage != "submitted" or s.pitched_at is None or s.responded_since_pitch:
        return []
    if s.follow_ups >= rules.max_follow_ups:
        return []
    due = stages.follow_up_day(s, rules)
    if due is None or due > day:
        return []
    detail = (
        f"Chase the submission of {s.pitched_at.date()} (chase {s.follow_ups + 1} of {rules.max_follow_ups})"
    )
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
