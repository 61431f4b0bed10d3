"""Outreach queues: the ranking, filtered by the niche's [quality] bar and the outreach log, each row
with one concrete next step a person can take today.

Left out: do-not-contact, won (or accepted), declined and no-response targets, and anyone contacted
in the last `recent_contact_days`. Link leads are authors whose niche posts link to a competitor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

import numpy as np
from sqlite_utils import Database

from linkscout.core.dates import resolve_now
from linkscout.core.niche import Niche
from linkscout.core.records import Guidelines
from linkscout.core.urls import site_domain
from linkscout.graph.explain import as_queued
from linkscout.graph.leads import clean_domains, host_matches, page_specificity
from linkscout.outreach import stages
from linkscout.outreach.posts import NichePost, NichePosts, comment_step, load_niche_posts
from linkscout.outreach.stages import TargetKind
from linkscout.outreach.tracker import TargetState, states_by_key, tracked
from linkscout.store import queue_read
from linkscout.store.guidelines import publication_guidelines

KINDS = ("authors", "publications", "links")
KEEP = ("queue", "tracked", "ranked")
EXCLUDED_STAGES = frozenset({"do_not_contact", "won", "declined", "no_response", "accepted", "cold"})
RankFn = Callable[..., Sequence[Any]]


@dataclass(frozen=True)
class QueueRow:
    rank: int  # the entry's rank in the ranking (gaps are entries the queue left out)
    kind: str  # author | publication | link
    handle: str  # username or slug
    name: str | None
    url: str | None  # profile or publication page
    score: float | None
    rationale: str  # the evidence sentences joined: one cell in CSV and JSON
    stage: str
    next_step: str
    due: date | None  # None: it waits on the author's next niche post (the 48-hour window has passed)
    suggested_post: str | None = None
    suggested_post_url: str | None = None
    last_contact: str | None = None
    links_site: bool = False  # the next step suggests linking the user's site
    components: dict[str, float] = field(default_factory=dict)
    competitor: str | None = None  # link leads: the competitor linked
    rel: str | None = None  # link leads: how (the raw rel)
    link_url: str | None = None  # link leads: the competitor URL linked
    reasons: tuple[str, ...] = ()  # the same evidence, one sentence each (for people's views)
    action: str | None = None  # the step as `next` names it (comment, thank) when `next` lists it too

    def as_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "kind": self.kind,
            "handle": self.handle,
            "name": self.name,
            "url": self.url,
            "score": self.score,
            "rationale": self.rationale,
            "stage": self.stage,
            "next_step": self.next_step,
            "due": self.due.isoformat() if self.due else None,
            "suggested_post": self.suggested_post,
            "suggested_post_url": self.suggested_post_url,
            "last_contact": self.last_contact,
        }


def default_rank_fn() -> RankFn:
    from linkscout.graph.rank import rank

    return rank


def as_of_datetime(niche: Niche, as_of: date | datetime | None) -> datetime:
    """The queue's "now", the same as every dated command's (core/dates.py): --as-of, else the
    niche's as_of, else the clock; a day other than the clock's stands for its last second."""
    if isinstance(as_of, datetime):
        return as_of.astimezone(UTC)
    return resolve_now(as_of, niche.niche.as_of)


def build_queue(
    db: Database,
    niche: Niche,
    *,
    kind: str = "authors",
    as_of: date | datetime | None = None,
    limit: int | None = None,
    rank_fn: RankFn | None = None,
    keep: str = "queue",
) -> list[QueueRow]:
    """The queue of `kind`. `keep`: "queue" (the quality bar, minus excluded and recently contacted
    targets), "tracked" (the queue plus every target with logged events, whatever its stage: a sheet
    that round-trips through `stage import`), "ranked" (every ranked entry: `rank`)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    if keep not in KEEP:
        raise ValueError(f"keep must be one of {KEEP}")
    rank_fn = rank_fn or default_rank_fn()
    now = as_of_datetime(niche, as_of)
    posts = load_niche_posts(db, niche)
    states = states_by_key(tracked(db, niche.outreach, now=now))
    ranked_kind = "publications" if kind == "publications" else "authors"
    target_kind = TargetKind.PUBLICATION if kind == "publications" else TargetKind.AUTHOR
    # Only usable entries are explained, and only as many as the queue shows (links filter further).
    wanted = None if kind == "links" else limit
    where = (
        None if keep == "ranked" else _usable(db, niche, target_kind, keep, states, posts, now).__getitem__
    )
    entries = rank_fn(db, niche, kind=ranked_kind, as_of=now.date(), limit=wanted, where=where)
    eligible = [(e, states.get((target_kind, e.key))) for e in entries]
    if kind == "links":
        rows = _link_rows(db, niche, eligible, posts, now)
    else:
        if kind == "authors":
            linkers = site_linkers_of(db, niche)
            rows = [
                _already_links(r, linkers, now.date())
                for r in (_author_row(e, st, niche, posts, now) for e, st in eligible)
            ]
        else:
            subs = queue_read.submission_urls(db)
            rows = [_publication_row(e, st, niche, posts, now, subs.get(e.key)) for e, st in eligible]
            rows = _closed_to_submissions(rows, publication_guidelines(db, [r.handle for r in rows]))
    return rows[:limit] if limit is not None else rows


def _usable(
    db: Database,
    niche: Niche,
    kind: str,
    keep: str,
    states: dict[tuple[str, str], TargetState],
    posts: NichePosts,
    now: datetime,
) -> _Verdicts:
    """Who may be in the queue, decided for every key at once (followers and niche posts in 90 days
    from the store cache's arrays; the outreach log is small): the ranking asks it of each of its
    candidates, 100,000 in a big store, as a dict lookup."""
    followers: dict[str, int | None] = {}  # read once, on the first key the cache does not know

    def undecided(key: str) -> bool:
        if not followers:
            followers.update(_followers(db, kind))
        return _passes_quality(niche, kind, key, followers, posts, now)

    usable = _Verdicts(_passing(db, niche, kind, posts, now), undecided)
    for (k, key), st in states.items():
        if k != kind:
            continue
        if keep == "tracked":
            usable[key] = True
        elif _excluded(st, niche, now):
            usable[key] = False
    return usable


class _Verdicts(dict[str, bool]):
    """key -> usable in the queue; a key the store cache does not know (a caller's own ranking) is
    decided by `undecided` when asked."""

    def __init__(self, known: dict[str, bool], undecided: Callable[[str], bool]) -> None:
        super().__init__(known)
        self._undecided = undecided

    def __missing__(self, key: str) -> bool:
        return self._undecided(key)


@dataclass(frozen=True)
class Excluded:
    """An entry of the ranking that is not in the queue, and why, in plain words."""

    rank: int
    kind: str
    handle: str
    name: str | None
    score: float | None
    status: str  # always "not in the queue"
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"rank": self.rank, "kind": self.kind, "handle": self.handle, "name": self.name,
                "score": self.score, "status": self.status, "reason": self.reason}  # fmt: skip


def exclusion_reason(
    st: TargetState | None,
    niche: Niche,
    kind: str,
    key: str,
    followers_by_key: dict[str, int | None],
    posts: NichePosts,
    now: datetime,
) -> str | None:
    """Why `key` is left out of the queue (None: it is in). The outreach log first, then quality."""
    rules, q = niche.outreach, niche.quality
    if st is not None:
        if st.stage == "cold":
            return (
                f"cold: {st.summary.unanswered_comments} comments with no reply "
                f"(max_unanswered_comments = {rules.max_unanswered_comments})"
            )
        if st.stage in EXCLUDED_STAGES:
            return {"do_not_contact": "do-not-contact", "won": "won: they link to you",
                    "accepted": "accepted your submission", "declined": "declined",
                    "no_response": "no response after the follow-ups"}.get(st.stage, st.stage)  # fmt: skip
        last = st.summary.last_contact
        if last is not None and last.date() > now.date() - timedelta(days=rules.recent_contact_days):
            back = last.date() + timedelta(days=rules.recent_contact_days)
            return f"contacted on {last.date()} (recent_contact_days = {rules.recent_contact_days}); back from {back}"
    followers = followers_by_key.get(key)
    if followers is not None and followers < q.min_followers:
        return f"below the quality bar: {followers} followers, min_followers = {q.min_followers}"
    n = posts.count_since(kind, key, now - timedelta(days=90), now)
    if n < q.min_niche_posts_90d:
        return (
            f"below the quality bar: {n} niche post{'s' if n != 1 else ''} in the last 90 days, "
            f"min_niche_posts_90d = {q.min_niche_posts_90d}"
        )
    return None


def excluded_entries(
    db: Database,
    niche: Niche,
    *,
    kind: str = "authors",
    as_of: date | datetime | None = None,
    rank_fn: RankFn | None = None,
) -> list[Excluded]:
    """Every ranked entry the queue leaves out, best rank first, each with the reason."""
    rank_fn = rank_fn or default_rank_fn()
    now = as_of_datetime(niche, as_of)
    posts = load_niche_posts(db, niche)
    states = states_by_key(tracked(db, niche.outreach, now=now))
    target_kind = TargetKind.PUBLICATION if kind == "publications" else TargetKind.AUTHOR
    followers = _followers(db, target_kind)
    reasons: dict[str, str] = {}

    def left_out(key: str) -> bool:
        why = exclusion_reason(states.get((target_kind, key)), niche, target_kind, key, followers, posts, now)
        if why is not None:
            reasons[key] = why
        return why is not None

    ranked_kind = "publications" if kind == "publications" else "authors"
    entries = rank_fn(db, niche, kind=ranked_kind, as_of=now.date(), limit=None, where=left_out)
    return [
        Excluded(e.rank, str(target_kind), e.key, e.name, e.score, "not in the queue", reasons[e.key])
        for e in entries
        if e.key in reasons
    ]


def _excluded(st: TargetState | None, niche: Niche, now: datetime) -> bool:
    if st is None:
        return False
    if st.stage in EXCLUDED_STAGES:
        return True
    last = st.summary.last_contact
    return last is not None and last.date() > now.date() - timedelta(days=niche.outreach.recent_contact_days)


def _followers(db: Database, kind: str) -> dict[str, int | None]:
    """username -> followers of every author, or slug -> followers of every publication: the store
    cache's columns (graph/cache.py), which hold every row of the table, in key order."""
    keys, values = _follower_columns(db, kind)
    return dict(zip(keys, values, strict=True))


def _follower_columns(db: Database, kind: str) -> tuple[list[str], list[int | None]]:
    from linkscout.graph.cache import store_data

    g = store_data(db).graph
    if kind == TargetKind.AUTHOR:
        return g.keys["author"], list(g.author_followers)
    return g.keys["publication"], list(g.pub_followers)


def _passing(db: Database, niche: Niche, kind: str, posts: NichePosts, now: datetime) -> dict[str, bool]:
    """`_passes_quality` of every stored author (or publication), decided on arrays."""
    q = niche.quality
    keys, followers = _follower_columns(db, kind)
    counts = posts.counts_since(kind, keys, now - timedelta(days=90), now)
    known = np.fromiter((v is not None for v in followers), dtype=bool, count=len(followers))
    enough = np.ones(len(keys), dtype=bool)  # unknown followers pass: None is not 0
    enough[known] = np.array([v for v in followers if v is not None], dtype=float) >= q.min_followers
    return dict(zip(keys, (enough & (counts >= q.min_niche_posts_90d)).tolist(), strict=True))


def _passes_quality(
    niche: Niche,
    kind: str,
    key: str,
    followers_by_key: dict[str, int | None],
    posts: NichePosts,
    now: datetime,
) -> bool:
    """[quality]: followers (unknown counts as passing: None is not 0) and niche posts in 90 days."""
    q = niche.quality
    followers = followers_by_key.get(key)
    if followers is not None and followers < q.min_followers:
        return False
    return posts.count_since(kind, key, now - timedelta(days=90), now) >= q.min_niche_posts_90d


def _common(e: Any, st: TargetState | None) -> dict[str, Any]:
    reasons = tuple(as_queued(r) for r in ((e.rationale,) if isinstance(e.rationale, str) else e.rationale))
    return {
        "rank": e.rank,
        "handle": e.key,
        "name": e.name,
        "url": e.url,
        "score": e.score,
        "rationale": " ".join(reasons),
        "reasons": reasons,
        "components": dict(e.components or {}),
        "stage": st.stage if st else "discovered",
        "last_contact": stages.iso(st.summary.last_contact) if st and st.summary.last_contact else None,
    }


def _author_row(e: Any, st: TargetState | None, niche: Niche, posts: NichePosts, now: datetime) -> QueueRow:
    rules = niche.outreach
    c = _common(e, st)
    today = now.date()
    s = st.summary if st else None
    if st and st.stage == "pitched" and s is not None and s.pitched_at is not None:
        due = stages.follow_up_day(s, rules) or today
        if s.responded_since_pitch:
            step, due = (
                f"@{e.key} answered the pitch of {s.pitched_at.date()}; carry on the conversation",
                today,
            )
        else:
            step = f"Follow up on the pitch of {s.pitched_at.date()} from {due} if there is no answer"
        return QueueRow(kind="author", next_step=step, due=due, **c)  # the day it fell due, as `next` shows
    if s is not None and s.spaced_comments >= rules.min_comments_before_pitch and s.responded:
        step = f"Pitch @{e.key}: {s.spaced_comments} spaced comments and a reply are logged"
        return QueueRow(kind="author", next_step=step, due=today, links_site=bool(niche.niche.site), **c)
    # The 48-hour rule and its words are `next`'s (outreach/posts.comment_step), and so is the due day.
    next_day = stages.next_comment_day(s, rules) if s else None
    if next_day is not None and next_day > today:
        step = (
            f"Next comment from {next_day} (min_days_between_comments = {rules.min_days_between_comments}), "
            f"on a niche post by @{e.key} published within 48 h before it"
        )
        return QueueRow(kind="author", next_step=step, due=next_day, **c)
    cs = comment_step(posts, e.key, now, skip=s.commented_urls if s else frozenset())
    follow = st is None  # not tracked: following comes first, so `linkscout watch` reads their feed
    if not cs.open:
        # A tracked author gets next's `wait` item on its day; an untracked one waits on their next post.
        waits = (next_day or today) if st is not None else None
        return QueueRow(kind="author", next_step=cs.text(follow=follow), due=waits, **c)
    post = cs.post
    assert post is not None
    return QueueRow(
        kind="author", next_step=cs.text(follow=follow), due=next_day or today, suggested_post=post.title,
        suggested_post_url=post.url, action="comment", **c,
    )  # fmt: skip


Linkers = dict[str, tuple[int, str | None, str | None]]  # author → (links, newest post URL, its date)
THANK_STAGES = frozenset({"discovered"})  # thanks are the first touch; once tracked, the log leads


def site_linkers_of(db: Database, niche: Niche) -> Linkers:
    """Authors whose posts link to the niche's `site` (none when no site is set)."""
    from linkscout.graph.cache import links_to_domains, store_data
    from linkscout.store.contacts import site_linkers

    domain = site_domain(niche.niche.site or "")
    if not domain:
        return {}
    # The hosts linked that are the site or its subdomains, as the ranking found them (kept in the
    # store cache): the query then reads just their links instead of walking every link's host.
    hosts = {x.host for x in links_to_domains(db, store_data(db), (domain,)) if x.host is not None}
    return site_linkers(db, domain, hosts)


def thank_step(found: tuple[int, str | None, str | None]) -> str:
    """The step for an author who already links to the site (`queue` and `next` say it alike)."""
    n, url, when = found
    return (
        f"Already links to you ({n} link{'s' if n != 1 else ''}, latest in {url}"
        + (f" on {when[:10]}" if when else "")
        + "): thank them and ask for an update"
    )


def _already_links(row: QueueRow, linkers: Linkers, today: date) -> QueueRow:
    """The warmest lead: an author who already links to the user's site gets thanked, not cold-commented,
    as the first touch (`next` lists it the same day); once tracked, the logged outreach leads, as in
    `next`, and the link stays first among the reasons."""
    found = linkers.get(row.handle)
    if found is None:
        return row
    n = found[0]
    why = f"Already links to your site {n} time{'s' if n != 1 else ''}."
    if row.stage not in THANK_STAGES:
        return replace(row, reasons=(why, *row.reasons), rationale=f"{why} {row.rationale}")
    step = thank_step(found)
    return replace(row, next_step=step, reasons=(why, *row.reasons), rationale=f"{why} {row.rationale}",
                   due=row.due or today, action="thank", suggested_post=None, suggested_post_url=None)  # fmt: skip


def _publication_row(
    e: Any, st: TargetState | None, niche: Niche, posts: NichePosts, now: datetime, sub: str | None
) -> QueueRow:
    c = _common(e, st)
    today = now.date()
    stage = c["stage"]
    links = False
    if stage == "submitted" and st is not None and st.summary.pitched_at is not None:
        due = stages.follow_up_day(st.summary, niche.outreach) or today
        step = f"Chase the submission of {st.summary.pitched_at.date()} from {due} if there is no answer"
        return QueueRow(kind="publication", next_step=step, due=max(due, today), **c)
    if stage in ("guidelines_read", "rejected"):
        step = f"Submit a draft that fits {e.name or e.key}" + (f", following {sub}" if sub else "")
        links = bool(niche.niche.site)
    elif sub:
        step = f"Read the submission guidelines at {sub}"
    else:
        step = (
            f"No submission page found: look for 'write for us' or the editors' contact on {e.url or e.key}"
        )
    recent = posts.freshest("publication", e.key, now)
    return QueueRow(
        kind="publication",
        next_step=step,
        due=today,
        suggested_post=recent.title if recent else None,
        suggested_post_url=recent.url if recent else None,
        links_site=links,
        **c,
    )


def _closed_to_submissions(rows: list[QueueRow], guidelines: dict[str, Guidelines]) -> list[QueueRow]:
    """A publication whose guidelines page says it takes no submissions: no draft is suggested."""
    out = []
    for r in rows:
        g = guidelines.get(r.handle)
        if g is not None and g.accepts_submissions is False and r.stage != "submitted":
            said = next((s for f, s in g.evidence if f == "accepts_submissions"), "")
            r = replace(r, next_step=f"Not taking submissions, its guidelines say (“{said}”, {g.url}): "
                                     "check again later before you submit", links_site=False)  # fmt: skip
        out.append(r)
    return out


def describe_rel(rel: str | None) -> str:
    tokens = [t for t in (rel or "").lower().split() if t in ("nofollow", "ugc", "sponsored")]
    return ", ".join(tokens) if tokens else "followed (no nofollow/ugc)"


def _link_rows(
    db: Database,
    niche: Niche,
    eligible: list[tuple[Any, TargetState | None]],
    posts: NichePosts,
    now: datetime,
) -> list[QueueRow]:
    """One row per eligible author whose posts link to a competitor: their most specific such link
    (a guide or template over a homepage; newest first among equals), leads worth most first."""
    competitors = clean_domains(niche.niche.competitors)
    if not competitors:
        return []
    leads: dict[str, tuple[str, str | None, str | None, str | None, str, str | None, str]] = {}
    for author, pid, title, url, published, link, host, rel in queue_read.external_links(db):
        comp = host_matches(host, competitors)
        if comp is None or (
            author in leads and page_specificity(link).weight <= page_specificity(leads[author][6]).weight
        ):
            continue
        if published and stages.parse_at(published) > now:
            continue
        leads[author] = (pid, title, url, published, comp, rel, link)
    site = (niche.niche.site or "").strip()
    rows = []
    for e, st in eligible:
        lead = leads.get(e.key)
        if lead is None:
            continue
        pid, title, url, published, comp, rel, link = lead
        how = describe_rel(rel)
        when = f", {published[:10]}" if published else ""
        post = f'"{title}"' if title else pid
        c = _common(e, st)
        why = f"Links to {comp} ({how}) in {post}{when}."
        c["rationale"] = f"{why} {c['rationale']}"
        c["reasons"] = (why, *c["reasons"])
        step = f"Comment on {post} ({url or pid}): it links to {comp} ({how})"
        step += f"; once engaged, offer {site} as a further resource" if site else ""
        rows.append(
            QueueRow(
                kind="link",
                next_step=step,
                due=now.date(),
                suggested_post=title,
                suggested_post_url=url,
                links_site=bool(site),
                competitor=comp,
                rel=rel,
                link_url=link,
                **c,
            )
        )
    # Lead worth (the ranking's backlinks component: own-site links, specific pages, rare domains) first.
    return sorted(rows, key=lambda r: -(r.components or {}).get("backlinks", 0.0))


def utm_url(niche: Niche) -> str | None:
    """The user's site tagged for this niche's campaign, or None when no site is configured."""
    site = (niche.niche.site or "").strip()
    if not site:
        return None
    base = site if "://" in site else f"https://{site}"
    base = base.rstrip("/") + "/"
    campaign = quote(niche.niche.name, safe="-_.~")
    return f"{base}?utm_source=medium&utm_medium=referral&utm_campaign={campaign}"


__all__ = ["KINDS", "NichePost", "QueueRow", "as_of_datetime", "build_queue", "describe_rel", "utm_url"]
