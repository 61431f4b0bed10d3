"""`linkscout watch`: read the feeds of the authors and publications being worked with and record
the posts that are new, so the 48-hour comment window can be hit.

Live (polite: robots.txt, >= 4 s between requests), against the bundled fixture site or a loopback
server, or from a folder of saved pages (feeds or articles saved in a browser). Every page goes
through the normal parser and the store's writers; a post is *new* when the store did not know its
id before this run. Which targets to watch is the caller's (cli asks outreach/), so this module
knows nothing of the outreach log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from linkscout.core.errors import ConfigError, FetchError
from linkscout.core.identity import user_agent
from linkscout.core.niche import Niche
from linkscout.core.records import PageResult
from linkscout.crawler.parse import parse_page
from linkscout.store.db import transaction, utcnow
from linkscout.store.feeds import known_post_ids, publication_domain
from linkscout.store.write import record_page, write_results

Fetch = Callable[[str], tuple[int | None, bytes, str | None, str | None]]  # status, body, type, error


@dataclass(frozen=True, slots=True)
class NewPost:
    kind: str  # author | publication: which watched target it came in for
    handle: str
    post_id: str
    title: str | None
    url: str | None
    author: str | None
    publication: str | None
    published_at: str | None


@dataclass(frozen=True, slots=True)
class WatchResult:
    feeds: int  # feeds (or saved files) read
    new: tuple[NewPost, ...]
    failed: tuple[tuple[str, str], ...]  # (url or file, why)


def feed_urls(db: Database, kind: str, key: str) -> list[str]:
    if kind == "author":
        return [f"https://medium.com/feed/@{key}"]
    domain = publication_domain(db, key)
    return [f"https://{domain}/feed"] if domain else [f"https://medium.com/feed/{key}"]


def _record(
    db: Database, results: Sequence[tuple[str, PageResult]], targets: Sequence[tuple[str, str]]
) -> list[NewPost]:
    """Write every parsed page; return the posts of watched targets the store did not know."""
    authors = {k for kind, k in targets if kind == "author"}
    pubs = {k for kind, k in targets if kind == "publication"}
    posts = {p.id: p for _, r in results for p in r.posts if not p.is_response}
    before = known_post_ids(db, posts)
    stamp = utcnow()
    with transaction(db):
        write_results(db, [r for _, r in results], stamp)
        for url, r in results:
            if url.startswith(("http://", "https://")):
                record_page(db, url, status="ok", fetched_at=stamp, kind=str(r.kind), http_status=200)
    out = []
    for pid, p in sorted(posts.items(), key=lambda kv: (kv[1].published_at or "", kv[0]), reverse=True):
        if pid in before:
            continue
        if p.author in authors:
            out.append(
                NewPost(
                    "author", p.author or "", pid, p.title, p.url, p.author, p.publication, p.published_at
                )
            )
        elif p.publication in pubs:
            out.append(
                NewPost(
                    "publication",
                    p.publication or "",
                    pid,
                    p.title,
                    p.url,
                    p.author,
                    p.publication,
                    p.published_at,
                )
            )
    return out


def watch_feeds(db: Database, targets: Sequence[tuple[str, str]], fetch: Fetch) -> WatchResult:
    """Fetch each target's feed and record what is new."""
    results: list[tuple[str, PageResult]] = []
    failed: list[tuple[str, str]] = []
    n = 0
    for kind, key in targets:
        for url in feed_urls(db, kind, key):
            n += 1
            status, body, ctype, error = fetch(url)
            if status != 200 or not body:
                failed.append((url, error or f"HTTP {status}"))
                continue
            result = parse_page(body, url, status=200, content_type=ctype)
            if not result.posts:
                failed.append((url, f"no posts read ({result.kind})"))
                continue
            results.append((url, result))
    return WatchResult(n, tuple(_record(db, results, targets)), tuple(failed))


def watch_dir(db: Database, targets: Sequence[tuple[str, str]], folder: Path) -> WatchResult:
    """Read a folder of saved pages (feeds or articles) and record what is new for the targets."""
    from linkscout.crawler.saved_pages import saved_files

    if not folder.is_dir():
        raise ConfigError(
            f"--source {folder}: no such folder (use fixtures, live, a loopback URL or a folder)"
        )
    results: list[tuple[str, PageResult]] = []
    failed: list[tuple[str, str]] = []
    files = list(saved_files(folder))
    for path in files:
        try:
            body = path.read_bytes()
        except OSError as e:
            failed.append((str(path), e.strerror or "unreadable"))
            continue
        result = parse_page(body, result_url(path), status=200, content_type=None)
        if result.posts:
            results.append((str(path), result))
    return WatchResult(len(files), tuple(_record(db, results, targets)), tuple(failed))


def result_url(path: Path) -> str:
    return path.resolve().as_uri()


@contextmanager
def feed_fetcher(source: str, niche: Niche) -> Iterator[Fetch]:
    """`fixtures` (the bundled site over loopback), a loopback URL, or `live` (4 s apart, robots.txt)."""
    from linkscout.crawler.fetch import PoliteClient
    from linkscout.crawler.run import FIXTURE_SITE, source_kind

    kind = source_kind(source)
    if kind == "dir":
        raise ConfigError("a folder of saved pages is read with watch_dir, not fetched")
    ua = user_agent(niche.crawl)
    server = None
    origin: str | None = None
    delay = 0.0
    if kind == "live":
        delay = max(niche.crawl.delay_seconds, 4.0)
    elif kind == "loopback":
        origin = source
    else:
        from linkscout.crawler.fixture_site import serve

        server = serve(FIXTURE_SITE)
        origin = server.url
    try:
        with PoliteClient(user_agent=ua, delay=delay, origin=origin) as client:

            def fetch(url: str) -> tuple[int | None, bytes, str | None, str | None]:
                try:
                    got = client.get(url)
                except FetchError as e:
                    return None, b"", None, str(e)[:200]
                return got.status, got.body, got.content_type, None

            yield fetch
    finally:
        if server is not None:
            server.close()
