"""Read pages again for `monitor`: polite GETs of a list of URLs, each parsed into a `RecheckedPage`.

This is the crawler's half of `linkscout monitor`. `outreach/monitor.py` decides which URLs to read
and judges what comes back; it takes any `Callable[[str], RecheckedPage]` and never fetches or
parses itself. `pages_for(source, niche)` gives that callable for `--source fixtures | live |
http://127.0.0.1:PORT`; another source (a folder of saved pages) only has to return
`RecheckedPage`s the same way (`reread`).

Politeness is `crawler.fetch.PoliteClient`'s: robots.txt obeyed on every source, live requests at
least 4 s apart. A page robots.txt forbids, or that never answered, comes back with no status: a
failure, not a miss.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from linkscout.core.errors import FetchError
from linkscout.core.identity import user_agent
from linkscout.core.niche import Niche
from linkscout.core.records import RecheckedPage
from linkscout.crawler.parse import parse_page

ReadPage = Callable[[str], RecheckedPage]


def reread(url: str, status: int | None, body: bytes | None, content_type: str | None = None,
           error: str | None = None) -> RecheckedPage:  # fmt: skip
    """One answer as the monitor sees it: a 200 is parsed and its article text kept."""
    if status != 200:
        return RecheckedPage(url, status, error=error)
    data = body or b""
    result = parse_page(data, url, status=200, content_type=content_type)
    return RecheckedPage(url, status, result, article_text(data) if data else "", error)


def article_text(body: bytes) -> str:
    """The visible text of the page's article (the whole body when there is no <article>)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(body.decode("utf-8", errors="replace"))
    node = tree.css_first("article") or tree.body
    return node.text(separator=" ") if node is not None else ""


@contextmanager
def http_pages(
    origin: str | None, *, user_agent: str, delay: float = 0.0, timeout: float = 20.0
) -> Iterator[ReadPage]:
    """Polite GETs, `delay` seconds apart; with `origin` (a loopback fixture server) the real URLs are
    asked of it."""
    from linkscout.crawler.fetch import PoliteClient

    with PoliteClient(user_agent=user_agent, delay=delay, timeout=timeout, origin=origin) as client:

        def read(url: str) -> RecheckedPage:
            try:
                got = client.get(url)
            except FetchError as e:
                return RecheckedPage(url, None, error=str(e)[:200])
            return reread(url, got.status, got.body, got.content_type)

        yield read


def dir_pages(folder: Path) -> ReadPage:
    """Pages from a folder saved in a browser, known by the URL each says it is; a page not in the
    folder is a failed check (nothing was read), never a miss."""
    from linkscout.core.urls import canonicalize
    from linkscout.crawler.saved_pages import saved_page_index

    index = saved_page_index(folder)

    def read(url: str) -> RecheckedPage:
        path = index.get(canonicalize(url))
        if path is None:
            return RecheckedPage(url, None, error=f"not in the saved pages at {folder}")
        return reread(url, 200, path.read_bytes())

    return read


@contextmanager
def pages_for(source: str, niche: Niche) -> Iterator[ReadPage]:
    """`fixtures` (the bundled site over loopback), a loopback URL, `live` (4 s apart) or a folder of saved pages."""
    from linkscout.crawler.run import FIXTURE_SITE, source_kind

    kind = source_kind(source)
    ua = user_agent(niche.crawl)
    if kind == "dir":
        yield dir_pages(Path(source))
        return
    if kind == "live":
        with http_pages(None, user_agent=ua, delay=max(niche.crawl.delay_seconds, 4.0)) as read:
            yield read
        return
    if kind == "loopback":
        with http_pages(source, user_agent=ua) as read:
            yield read
        return
    from linkscout.crawler.fixture_site import serve

    server = serve(FIXTURE_SITE)
    try:
        with http_pages(server.url, user_agent=ua) as read:
            yield read
    finally:
        server.close()
