"""The niche spider: from the niche's tags and publications out to posts, authors and publications.

It keeps its own best-first `Frontier` and hands Scrapy only a small window of requests at a time
(`LINKSCOUT_WINDOW`), so the page budget goes to the URLs the evidence so far says matter most,
instead of whatever a FIFO queue filled up with. Each response is parsed once with
`crawler.parse.parse_page` and becomes one `PageItem` (ledger row, records, discovered URLs); the
pipeline commits those in batches together with the frontier.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from linkscout.core.records import PageKind
from linkscout.crawler.middlewares import META_BLOCKED, META_ERROR, META_STOP, ROBOTS_UNREACHABLE
from linkscout.crawler.parse import parse_page
from linkscout.crawler.types import CrawlPlan, CrawlProgress, Entry, PageItem
from linkscout.store.db import utcnow

META_URL = "linkscout_url"
META_DEPTH = "linkscout_depth"
_HTTP_ERRORS = list(range(400, 600))  # parsed and recorded by us, not dropped by HttpErrorMiddleware


class NicheSpider(scrapy.Spider):
    name = "niche"

    def __init__(self, plan: CrawlPlan, progress: CrawlProgress | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan = plan
        self.frontier = plan.frontier
        self.progress = progress
        self.in_flight = 0
        self.issued = plan.already_fetched
        self.answered = 0  # responses this process received (any status)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NicheSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        for request in self._next_requests():
            yield request

    # --- scheduling ---------------------------------------------------------------------------
    def _next_requests(self) -> Iterator[Request]:
        window = self.settings.getint("LINKSCOUT_WINDOW", 2)
        while (
            self.in_flight < window
            and self.issued < self.plan.budget
            and not self.plan.stop_message
            and not self.plan.interrupted()
        ):
            entry = self.frontier.pop()
            if entry is None:
                return
            self.in_flight += 1
            self.issued += 1
            yield self._request(entry)

    def _request(self, entry: Entry) -> Request:
        return Request(
            entry.url,
            callback=self.parse,
            errback=self.on_error,
            priority=int(max(min(entry.priority, 1e6), -1e6)),
            dont_filter=True,
            meta={META_URL: entry.url, META_DEPTH: entry.depth, "handle_httpstatus_list": _HTTP_ERRORS},
        )

    def _on_idle(self) -> None:
        requests = list(self._next_requests())
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    # --- responses ----------------------------------------------------------------------------
    def parse(self, response: Response) -> Iterator[Any]:
        self.in_flight -= 1
        self.answered += 1
        item = self._page_item(response)
        yield item
        stop = response.meta.get(META_STOP)
        if stop:
            self.plan.stop_message = stop
            raise CloseSpider("blocked")
        yield from self._next_requests()

    def _page_item(self, response: Response) -> PageItem:
        url = response.meta.get(META_URL, response.url)
        depth = int(response.meta.get(META_DEPTH, 0))
        if response.url != url:
            self.frontier.alias(url, response.url)  # redirected: the target counts as fetched too
        status = response.status
        base = {
            "url": url,
            "fetched_at": utcnow(),
            "http_status": status,
            "etag": _header(response, b"ETag"),
            "last_modified": _header(response, b"Last-Modified"),
        }
        blocked = response.meta.get(META_BLOCKED)
        if blocked:
            return PageItem(status="blocked", kind=str(PageKind.BLOCKED), error=blocked, **base)
        if response.meta.get(META_ERROR):
            return PageItem(status="failed", error=response.meta[META_ERROR], **base)
        ctype = _header(response, b"Content-Type")
        result = parse_page(response.body, response.url, status=status, content_type=ctype)
        if result.kind is PageKind.BLOCKED:
            return PageItem(
                status="blocked", kind=str(result.kind), error=result.blocked_reason or "blocked", **base
            )
        if status >= 400:
            reason = result.blocked_reason or (result.warnings[0] if result.warnings else None)
            return PageItem(status="failed", kind=str(result.kind), error=reason or f"HTTP {status}", **base)
        self.frontier.learn(result, url)
        # Links go one level below the page's depth *now*: a shorter path may have turned up in flight.
        links = tuple(result.outlinks)
        discovered = self.frontier.read(url, links, depth=depth)
        return PageItem(
            status="ok",
            kind=str(result.kind),
            result=result,
            discovered=tuple(discovered),
            links=links,
            **base,
        )

    def on_error(self, failure: Failure) -> Iterator[Any]:
        self.in_flight -= 1
        request = failure.request  # type: ignore[attr-defined]
        url = request.meta.get(META_URL, request.url)
        now = utcnow()
        if isinstance(failure.value, IgnoreRequest) and str(failure.value).startswith(ROBOTS_UNREACHABLE):
            # RFC 9309: the host is disallowed. Nothing is recorded: the URL stays in the stored
            # frontier, and --resume tries the host's robots.txt again.
            self.issued -= 1
            reason = str(failure.value).split(": ", 1)[1]
            if self.answered == 0 and not self.plan.stop_message:
                self.plan.stop_message = f"{reason}; nothing was fetched"
                self.plan.stop_outcome = "failed"
            else:
                self.plan.notes.add(reason)
        elif isinstance(failure.value, IgnoreRequest) and "robots.txt" in str(failure.value):
            self.issued -= 1  # never fetched: does not spend the budget
            self.frontier.done(url)
            yield PageItem(url=url, status="skipped_robots", fetched_at=now, error="disallowed by robots.txt")
        else:
            http_status = None
            if isinstance(failure.value, HttpError):
                http_status = failure.value.response.status
            error = f"{type(failure.value).__name__}: {str(failure.value)[:200]}".rstrip(": ")
            yield PageItem(url=url, status="failed", fetched_at=now, http_status=http_status, error=error)
        yield from self._next_requests()


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
