"""`linkscout monitor`: re-read the recent posts of pitched and won targets and record wins and losses.

For every author at `pitched` or `won` (and publication at `submitted` or `accepted`) it asks for the
target's feed and its recent posts in the store, reads each post page again and writes the fresh
records to the store. Then, per page:

- a body link to the user's `site` → a `monitor_checks` row `found` (with the link and its raw rel);
  the first time (or again after a loss) a `linked` event with the page as evidence;
- no link, but the text names the product (the site's domain, or its name: "trellisrank.com" →
  "Trellis Rank") → a `mentioned` event, once per page;
- a page that answered but has no link → `missing`; a 404/410 is missing too (the post is gone);
- a failed fetch (5xx, 429, timeout, a page without a readable body) → `failed`: not a miss;
- two consecutive misses (failed checks skipped) after a `found` → a `lost` event.
Every check is a `monitor_checks` row.

The seam: this module decides which pages to read and judges them; it never fetches or parses. It
takes `read: Callable[[str], RecheckedPage]` (`core.records.RecheckedPage`: status, parsed result,
article text). `crawler/recheck.py` provides that callable for fixtures, live and loopback sources
(`pages_for`), and `cli/monitor_cmd.py` wires the two; another source (a folder of saved pages) is a
new `read` in `crawler/`, nothing here changes. The store reads and writes are `store/monitoring.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlite_utils import Database

from linkscout.core.errors import ConfigError
from linkscout.core.niche import Niche
from linkscout.core.records import RecheckedPage
from linkscout.core.urls import post_id_from_url, site_domain
from linkscout.graph.leads import clean_domains, host_matches
from linkscout.outreach import stages
from linkscout.outreach.stages import TargetKind
from linkscout.outreach.tracker import events_of, log_event, tracked
from linkscout.store.db import utcnow
from linkscout.store.monitoring import (
    CheckRow,
    append_check,
    pages_found_before,
    posts_since,
    publication_domain,
)
from linkscout.store.write import write_page

MONITORED = {
    TargetKind.AUTHOR: ("pitched", "promised", "won"),
    TargetKind.PUBLICATION: ("submitted", "accepted"),
}
LOST_AFTER_MISSES = 2

ReadPage = Callable[[str], RecheckedPage]


@dataclass(frozen=True)
class Check:
    target_kind: str
    target: str
    page_url: str
    post_id: str | None
    outcome: str  # found | missing | failed
    link_url: str | None = None
    rel: str | None = None
    event: str | None = None  # linked | mentioned | lost, when this check logged one
    detail: str | None = None
    published_at: str | None = None  # the post's date: a link is dated by it, so one older than the
    # pitch is "already links to you", never a win

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.target_kind, "handle": self.target, "page_url": self.page_url, "outcome": self.outcome,
            "link_url": self.link_url, "rel": self.rel, "event": self.event, "detail": self.detail,
        }  # fmt: skip


def brand_pattern(niche: Niche) -> re.Pattern[str] | None:
    """The site's domain, or its name spelled with optional spaces/hyphens ("Trellis Rank")."""
    site = site_domain(niche.niche.site or "")
    if not site:
        return None
    label = site.split(".")[0]
    alts = [re.escape(site)]
    if len(label) >= 5:
        alts.append(r"[\s\-]?".join(re.escape(c) for c in label))
    return re.compile(r"(?<![\w.])(?:" + "|".join(alts) + r")(?![\w])", re.IGNORECASE)


def monitor(
    db: Database,
    niche: Niche,
    read: ReadPage,
    *,
    now: datetime,
    window_days: int = 7,
    max_posts: int = 20,
    only: str | None = None,
) -> list[Check]:
    """Check every monitored target (or only the handle `only`); returns one Check per page."""
    if not niche.niche.site:
        raise ConfigError(
            "[niche] site is not set: monitor looks for links to your site; set it in niche.toml"
        )
    brand = brand_pattern(niche)
    out: list[Check] = []
    for st in tracked(db, niche.outreach, now=now):
        if st.stage not in MONITORED[TargetKind(st.target_kind)]:
            continue
        if only is not None and st.target != only.lstrip("@").lower():
            continue
        since = (st.summary.pitched_at or now) - timedelta(days=window_days)
        for url in _pages(db, st.target_kind, st.target, read, since, max_posts):
            out.append(_check_page(db, niche, read(url), st.target_kind, st.target, brand, now))
    return out


def feed_url(db: Database, kind: str, key: str) -> str:
    if kind == TargetKind.AUTHOR:
        return f"https://medium.com/feed/@{key}"
    domain = publication_domain(db, key)
    return f"https://{domain}/feed" if domain else f"https://medium.com/feed/{key}"


def _pages(db: Database, kind: str, key: str, read: ReadPage, since: datetime, max_posts: int) -> list[str]:
    """Pages that had the link before (always re-checked), then the newest posts: feed, then store."""
    seen: dict[str, str] = {}

    def add(url: str | None, pid: str | None) -> None:
        if url and (pid or url) not in seen:
            seen[pid or url] = url

    for url, pid in pages_found_before(db, kind, key):
        add(url, pid)
    fresh: list[tuple[str, str, str | None]] = []
    feed = read(feed_url(db, kind, key))
    if feed.status == 200 and feed.result is not None:
        fresh += [(p.published_at or "", p.url, p.id) for p in feed.result.posts if p.url]
    fresh += [(p.published_at or "", p.url, p.id) for p in posts_since(db, kind, key, stages.iso(since))]
    fresh.sort(key=lambda t: t[0], reverse=True)
    budget = max_posts
    for published, url, pid in fresh:
        if budget <= 0:
            break
        if published and published < stages.iso(since):
            continue
        if (pid or url) not in seen:
            budget -= 1
        add(url, pid)
    return list(seen.values())


def _check_page(
    db: Database,
    niche: Niche,
    got: RecheckedPage,
    kind: str,
    key: str,
    brand: re.Pattern[str] | None,
    now: datetime,
) -> Check:
    """Judge one page read again: found / missing / failed, and the event it implies."""
    url = got.url
    pid = post_id_from_url(url)
    stamp = utcnow()
    if got.failed or (got.status != 200 and not got.gone):
        why = got.error or f"HTTP {got.status}"
        return _record(db, niche, Check(kind, key, url, pid, "failed", detail=why), now, stamp)
    if got.gone:
        return _record(
            db, niche, Check(kind, key, url, pid, "missing", detail=f"HTTP {got.status}"), now, stamp
        )
    result = got.result
    posts = result.posts if result is not None else []
    post = next((p for p in posts if p.id == pid), posts[0] if posts else None)
    if result is None or post is None or post.links is None:
        return _record(
            db, niche, Check(kind, key, url, pid, "failed", detail="no post body on the page"), now, stamp
        )
    write_page(db, url, result, stamp)
    site = clean_domains([niche.niche.site or ""])
    link = next((lk for lk in post.links if host_matches(urlsplit(lk.url).hostname, site)), None)
    if link is not None:
        found = Check(kind, key, url, post.id, "found", link.url, link.rel, published_at=post.published_at)
        return _record(db, niche, found, now, stamp)
    named = bool(brand and brand.search(got.text))
    check = Check(kind, key, url, post.id, "missing", detail="names the product" if named else None,
                  published_at=post.published_at)  # fmt: skip
    return _record(db, niche, check, now, stamp, mentioned=named)


def _record(
    db: Database, niche: Niche, c: Check, now: datetime, stamp: str, *, mentioned: bool = False
) -> Check:
    """Write the check, then log the event it implies (linked / mentioned / lost), if any."""
    prior = append_check(
        db, CheckRow(c.target_kind, c.target, c.post_id, c.page_url, stamp, c.outcome, c.link_url, c.rel)
    )
    event, note = None, None
    if c.outcome == "found" and (not prior or prior[0] != "found"):
        event, note = "linked", f"links to {c.link_url} (rel: {c.rel or 'none'})"
    elif c.outcome == "missing" and "found" in prior:
        misses = 1 + prior.index("found")  # this miss plus the misses since the last found
        if misses == LOST_AFTER_MISSES:
            event, note = "lost", f"the link seen before is missing on {LOST_AFTER_MISSES} checks in a row"
    elif mentioned and not any(
        e.event == "mentioned" and e.url == c.page_url for e in events_of(db, c.target_kind, c.target)
    ):
        event, note = "mentioned", "names the product without a link"
    if event is None:
        return c
    when = now
    if event in ("linked", "mentioned") and c.published_at:
        when = min(now, stages.parse_at(c.published_at))  # the link dates from the post, not from the check
    logged = log_event(
        db, niche.outreach, c.target_kind, c.target, event, at=when, url=c.page_url, note=note, now=now,
        create=True,
    )  # fmt: skip
    if logged.verdict.unprompted:
        event, note = (
            "already_links",
            f"already links to you since {when.date()} (before the pitch): not a win",
        )
    return Check(
        c.target_kind,
        c.target,
        c.page_url,
        c.post_id,
        c.outcome,
        c.link_url,
        c.rel,
        event,
        c.detail or note,
        c.published_at,
    )
