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
   prospects not tracked yet (the top of `linkscout queue`, passed in) with a post inside the window
   come after them, under the same cap, and one who already links to the site is to be thanked
   (`thank`): every queue row due by today is on the agenda, with the same day. The 48-hour rule and
   its wording live in outreach/posts.py (`comment_step`), shared with `queue`;
5. a relationship that just went cold (`max_unanswered_comments` comments, no reply) is said once,
   on the day the next comment would have been due; after that it gets no comment suggestions.
Within a priority, the oldest due date comes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from linkscout.core.dates import day_moment
from linkscout.core.niche import Niche
from linkscout.outreach import stages
from linkscout.outreach.pitch import pitch_card
from linkscout.outreach.posts import NichePosts, age_text, comment_step, load_niche_posts
from linkscout.outreach.queue import QueueRow, build_queue
from linkscout.outreach.stages import E, TargetKind
from linkscout.outreach.tracker import TargetState, tracked
from linkscout.store.events import comments_on_day

PRIORITY = {
    "pitch": 1,
    "follow_up": 2,
    "check_link": 3,
    "chase_submission": 3,
    "thank": 3,
    "comment": 4,
    "wait": 5,
    "cold": 5,
}
_DONE = frozenset({"do_not_contact", "won", "declined", "no_response", "accepted", "rejected"})


@dataclass(frozen=True)
class AgendaItem:
    priority: int
    due: date
    action: str  # pitch | follow_up | check_link | chase_submission | thank | comment | wait | cold
    target_kind: str
    handle: str
    name: str | None
    stage: str
    detail: str
    post_title: str | None = None
    post_url: str | None = None
    published_hours_ago: float | None = None  # the suggested post's age, when there is one
    card: dict[str, Any] = field(default_factory=dict)  # pitch items: the pitch card
    published_age: str | None = None  # "20 h ago", "3 days ago" (outreach/posts.age_text)

    @property
    def published_ago(self) -> str | None:
        return None if self.published_age is None else f"published {self.published_age}"

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
    prospects: Sequence[QueueRow] = (),
) -> list[AgendaItem]:
    """Everything due on or before `on` (default: today, UTC). `now` is the exact clock (for post
    ages); with only `on`, core.dates.day_moment of it. `prospects`: queue rows of authors to start
    with; those not tracked yet whose step is a comment due by `on` join the comments."""
    if now is None:
        now = day_moment(on) if on is not None else datetime.now(UTC).replace(microsecond=0)
    day = now.date()
    posts = posts if posts is not None else load_niche_posts(db, niche)
    states = tracked(db, niche.outreach, now=now)
    accepted = _accepted_articles(states, niche)
    items: list[AgendaItem] = []
    comments: list[AgendaItem] = []
    starts: list[AgendaItem] = []
    for st in states:
        if st.stage in _DONE:
            continue
        if st.target_kind == TargetKind.PUBLICATION:
            items.extend(_publication_items(st, niche, day, accepted))
        else:
            item = _author_item(db, st, niche, posts, now)
            if item is not None:
                (comments if item.action == "comment" else items).append(item)
    known = {(st.target_kind, st.target) for st in states}

    for r in prospects:
        start = _start_item(r, posts, now) if (TargetKind.AUTHOR, r.handle) not in known else None
        if start is not None:
            (starts if start.action == "comment" else items).append(start)
    left = max(niche.outreach.max_comments_per_day - comments_on_day(db, day), 0)
    comments.sort(key=_order)
    comments.extend(starts)  # after tracked relationships, in the queue's rank order
    items.extend(comments[:left])
    items.sort(key=_order)
    return items


QUEUE_LENGTH = 20  # `linkscout queue`'s default --limit: the prospects `next` considers


def todays_agenda(
    db: Database, niche: Niche, *, on: date, posts: NichePosts | None = None, now: datetime | None = None
) -> list[AgendaItem]:
    """`next`'s agenda for the day `on`: the log's items and the top of the author queue where its
    step is due (what `linkscout next` and the report's board show). `now`: the exact instant (a
    scripted clock); default core.dates.day_moment(on)."""
    now = now or day_moment(on)
    posts = posts if posts is not None else load_niche_posts(db, niche)
    prospects = build_queue(db, niche, kind="authors", as_of=now, limit=QUEUE_LENGTH)
    return agenda(db, niche, now=now, posts=posts, prospects=prospects)


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
    step = comment_step(posts, st.target, now, skip=s.commented_urls)
    post, age = step.post, step.hours_ago
    ago = age_text(post.published_at, now) if post is not None and post.published_at is not None else None
    if not step.open:
        return AgendaItem(
            PRIORITY["wait"], next_day or day, "wait", detail=step.text(), published_hours_ago=age,
            published_age=ago, **common,
        )  # fmt: skip
    assert post is not None
    need = max(rules.min_comments_before_pitch - s.spaced_comments, 0)
    detail = step.text(url=False) + (
        f"; {need} more spaced comment{'s' if need != 1 else ''} before a pitch"
        if need
        else "; then wait for a reply"
    )
    return AgendaItem(
        PRIORITY["comment"], next_day or day, "comment", detail=detail, post_title=post.title, post_url=post.url,
        published_hours_ago=age, published_age=ago, **common,
    )  # fmt: skip


def _start_item(row: QueueRow, posts: NichePosts, now: datetime) -> AgendaItem | None:
    """A prospect from the queue, not tracked yet, whose step is due by `now`: a comment inside the
    48-hour window (the same `comment_step` the queue used) or thanks for linking to the site."""
    if row.kind != "author" or row.due is None or row.due > now.date() or row.action is None:
        return None
    if row.action == "thank":
        return AgendaItem(
            PRIORITY["thank"], row.due, "thank", "author", row.handle, row.name, row.stage,
            detail=f"{row.next_step} (#{row.rank} in `linkscout queue`)",
        )  # fmt: skip
    step = comment_step(posts, row.handle, now)
    post = step.post
    if not step.open or post is None or post.published_at is None:
        return None
    ago = age_text(post.published_at, now)
    return AgendaItem(
        PRIORITY["comment"], row.due, "comment", "author", row.handle, row.name, row.stage,
        detail=f"{step.text(follow=True, url=False)} (#{row.rank} in `linkscout queue`)",
        post_title=post.title, post_url=post.url, published_hours_ago=step.hours_ago, published_age=ago,
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
