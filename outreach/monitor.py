"""`linkscout monitor`: re-read the recent posts of pitched and won targets and record wins and losses.

For every author at `pitched` or `won` (and publication at `submitted` or `accepted`) it reads the
target's feed and its recent posts in the store, fetches each post page, parses it with the normal
parser (`crawler.parse.parse_page`) and writes the fresh records to the store. Then, per page:

- a body link to the user's `site` → a `monitor_checks` row `found` (with the link and its raw rel);
  the first time (or again after a loss) a `linked` event with the page as evidence;
- no link, but the text names the product (the site's domain, or its name: "trellisrank.com" →
  "Trellis Rank") → a `mentioned` event, once per page;
- a page that answered but has no link → `missing`; a 404/410 is missing too (the post is gone);
- a failed fetch (5xx, 429, timeout, a page without a readable body) → `failed`: not a miss;
- two consecutive misses (failed checks skipped) after a `found` → a `lost` event.
Every check is a `monitor_checks` row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlite_utils import Database

from linkscout.core.identity import user_agent
from linkscout.core.niche import Niche
from linkscout.outreach import stages
from linkscout.outreach.queue import host_matches
from linkscout.outreach.stages import TargetKind
from linkscout.outreach.tracker import events_of, log_event, tracked
from linkscout.store.db import transaction, utcnow

MONITORED = {TargetKind.AUTHOR: ("pitched", "won"), TargetKind.PUBLICATION: ("submitted", "accepted")}
LOST_AFTER_MISSES = 2


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int | None  # None: no answer (timeout, connection error)
    body: bytes | None = None
    content_type: str | None = None
    error: str | None = None

    @property
    def failed(self) -> bool:
        """Transient: says nothing about the page, so it is not a miss."""
        return self.status is None or self.status >= 500 or self.status == 429 or self.status == 403

    @property
    def gone(self) -> bool:
        return self.status in (404, 410)


Fetch = Callable[[str], Fetched]


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.target_kind, "handle": self.target, "page_url": self.page_url, "outcome": self.outcome,
            "link_url": self.link_url, "rel": self.rel, "event": self.event, "detail": self.detail,
        }  # fmt: skip


def brand_pattern(niche: Niche) -> re.Pattern[str] | None:
    """The site's domain, or its name spelled with optional spaces/hyphens ("Trellis Rank")."""
    site = (niche.niche.site or "").strip().lower().split("://")[-1].split("/")[0].removeprefix("www.")
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
    fetch: Fetch,
    *,
    now: datetime,
    window_days: int = 7,
    max_posts: int = 20,
    only: str | None = None,
) -> list[Check]:
    """Check every monitored target (or only the handle `only`); returns one Check per page."""
    if not niche.niche.site:
        from linkscout.core.errors import ConfigError

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
        for url in _pages(db, st.target_kind, st.target, fetch, since, max_posts):
            out.append(_check_page(db, niche, fetch, st.target_kind, st.target, url, brand, now))
    return out


def _feed_url(db: Database, kind: str, key: str) -> str:
    if kind == TargetKind.AUTHOR:
        return f"https://medium.com/feed/@{key}"
    row = db.execute("SELECT domain FROM publications WHERE slug = ?", (key,)).fetchone()
    return f"https://{row[0]}/feed" if row and row[0] else f"https://medium.com/feed/{key}"


def _pages(db: Database, kind: str, key: str, fetch: Fetch, since: datetime, max_posts: int) -> list[str]:
    """Pages that had the link before (always re-checked), then the newest posts: feed, then store."""
    from linkscout.crawler.parse import parse_page

    col = "author" if kind == TargetKind.AUTHOR else "publication"
    seen: dict[str, str] = {}

    def add(url: str | None, pid: str | None) -> None:
        if url and (pid or url) not in seen:
            seen[pid or url] = url

    for url, pid in db.execute(
        "SELECT DISTINCT page_url, post_id FROM monitor_checks WHERE target_kind = ? AND target = ? "
        "AND outcome = 'found'",
        (kind, key),
    ):
        add(url, pid)
    fresh: list[tuple[str, str, str | None]] = []
    feed = fetch(_feed_url(db, kind, key))
    if feed.status == 200 and feed.body:
        result = parse_page(feed.body, feed.url, status=200, content_type=feed.content_type)
        fresh += [(p.published_at or "", p.url, p.id) for p in result.posts if p.url]
    fresh += [
        (pub or "", url, pid)
        for pid, url, pub in db.execute(
            f"SELECT id, url, published_at FROM posts WHERE {col} = ? AND url IS NOT NULL "
            "AND COALESCE(is_response, 0) = 0 AND (published_at IS NULL OR published_at >= ?)",
            (key, stages.iso(since)),
        )
    ]
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
    fetch: Fetch,
    kind: str,
    key: str,
    url: str,
    brand: re.Pattern[str] | None,
    now: datetime,
) -> Check:
    from linkscout.core.urls import post_id_from_url
    from linkscout.crawler.parse import parse_page
    from linkscout.store.write import record_page, write_results

    got = fetch(url)
    pid = post_id_from_url(url)
    stamp = utcnow()
    if got.failed or (got.status != 200 and not got.gone):
        why = got.error or f"HTTP {got.status}"
        return _record(db, niche, Check(kind, key, url, pid, "failed", detail=why), now, stamp)
    if got.gone:
        return _record(
            db, niche, Check(kind, key, url, pid, "missing", detail=f"HTTP {got.status}"), now, stamp
        )
    result = parse_page(got.body or b"", url, status=200, content_type=got.content_type)
    post = next((p for p in result.posts if p.id == pid), result.posts[0] if result.posts else None)
    if post is None or post.links is None:
        return _record(
            db, niche, Check(kind, key, url, pid, "failed", detail="no post body on the page"), now, stamp
        )
    with transaction(db):
        write_results(db, [result], stamp)
        record_page(db, url, status="ok", fetched_at=stamp, kind=str(result.kind), http_status=200)
    site = [niche.niche.site or ""]
    link = next((lk for lk in post.links if host_matches(urlsplit(lk.url).hostname, site)), None)
    if link is not None:
        return _record(db, niche, Check(kind, key, url, post.id, "found", link.url, link.rel), now, stamp)
    text = _text(got.body or b"")
    named = bool(brand and brand.search(text))
    check = Check(kind, key, url, post.id, "missing", detail="names the product" if named else None)
    return _record(db, niche, check, now, stamp, mentioned=named)


def _text(body: bytes) -> str:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(body.decode("utf-8", errors="replace"))
    node = tree.css_first("article") or tree.body
    return node.text(separator=" ") if node is not None else ""


def _record(
    db: Database, niche: Niche, c: Check, now: datetime, stamp: str, *, mentioned: bool = False
) -> Check:
    """Write the check, then log the event it implies (linked / mentioned / lost), if any."""
    with transaction(db):
        prior = [
            o
            for (o,) in db.execute(
                "SELECT outcome FROM monitor_checks WHERE page_url = ? AND target_kind = ? AND target = ? "
                "AND outcome != 'failed' ORDER BY id DESC",
                (c.page_url, c.target_kind, c.target),
            )
        ]
        db.execute(
            "INSERT INTO monitor_checks (target_kind, target, post_id, page_url, checked_at, outcome, link_url, rel) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (c.target_kind, c.target, c.post_id, c.page_url, stamp, c.outcome, c.link_url, c.rel),
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
    log_event(
        db, niche.outreach, c.target_kind, c.target, event, url=c.page_url, note=note, now=now, create=True
    )
    return Check(
        c.target_kind, c.target, c.page_url, c.post_id, c.outcome, c.link_url, c.rel, event, c.detail or note
    )


# -- fetching ----------------------------------------------------------------------------------


@contextmanager
def http_fetcher(
    origin: str | None, *, user_agent: str, delay: float = 0.0, timeout: float = 20.0
) -> Iterator[Fetch]:
    """Polite GETs through `crawler.fetch.PoliteClient`: robots.txt obeyed on every source, `delay`
    seconds apart. With `origin` (a loopback fixture server) the real URLs are asked of it. A page
    robots.txt forbids, or that never answered, comes back with no status: a failure, not a miss."""
    from linkscout.core.errors import FetchError
    from linkscout.crawler.fetch import PoliteClient

    with PoliteClient(user_agent=user_agent, delay=delay, timeout=timeout, origin=origin) as client:

        def fetch(url: str) -> Fetched:
            try:
                got = client.get(url)
            except FetchError as e:
                return Fetched(url, None, error=str(e)[:200])
            return Fetched(url, got.status, got.body, got.content_type)

        yield fetch


@contextmanager
def fetcher_for(source: str, niche: Niche) -> Iterator[Fetch]:
    """`fixtures` (the bundled site over loopback), a loopback URL, or `live` (4 s apart)."""
    from linkscout.core.errors import ConfigError
    from linkscout.crawler.run import FIXTURE_SITE, source_kind

    kind = source_kind(source)
    ua = user_agent(niche.crawl)
    if kind == "dir":
        raise ConfigError(
            "monitor needs pages it can fetch again: use --source fixtures, live or a loopback URL"
        )
    if kind == "live":
        with http_fetcher(None, user_agent=ua, delay=max(niche.crawl.delay_seconds, 4.0)) as fetch:
            yield fetch
        return
    if kind == "loopback":
        with http_fetcher(source, user_agent=ua) as fetch:
            yield fetch
        return
    from linkscout.crawler.fixture_site import serve

    server = serve(FIXTURE_SITE)
    try:
        with http_fetcher(server.url, user_agent=ua) as fetch:
            yield fetch
    finally:
        server.close()
