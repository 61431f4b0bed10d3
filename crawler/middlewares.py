"""Downloader pieces linkscout adds to Scrapy: loopback transport, one Medium bucket, Retry-After, blocks.

- `loopback_url` is the fixture server's form of a Medium URL; `crawler.loopback_handler` (a module
  of its own: Scrapy's HTTP/1.1 handler costs ~1 s to import) is the transport that uses it.
- `MediumSlotMiddleware` puts every request (robots.txt included) in one download slot, so
  medium.com, *.medium.com and custom domains share one politeness bucket; live, that slot is a
  `PoliteSlot`: at least the floor between request starts, and its jitter only ever adds.
- `RobotsMiddleware` is Scrapy's robots.txt middleware with RFC 9309's failure rules: a robots.txt
  that cannot be read (network error, 5xx) disallows its whole host; a 4xx allows everything.
- `RetryAfterMiddleware` is Scrapy's RetryMiddleware plus the header it ignores: a 429/503 with
  `Retry-After` pauses the whole bucket for that long before the retry; a wait beyond the cap gives up.
- `ChallengeMiddleware` recognises challenge and block pages by body as well as status (the parser's
  own `detect`), marks them so nothing is stored, backs off, and after N in a row asks the spider to
  stop with a message saying what to do.
"""

from __future__ import annotations

import logging
import random
from email.utils import parsedate_to_datetime
from time import monotonic, time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.core.downloader import Slot
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet.defer import Deferred

from linkscout.core.records import PageKind
from linkscout.crawler.parse.detect import detect
from linkscout.crawler.settings import MEDIUM_SLOT

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

META_BLOCKED = "linkscout_blocked"  # reason text: this response is a challenge/block page
META_STOP = "linkscout_stop"  # message: enough blocks in a row, the spider should stop
META_ERROR = "linkscout_error"  # why a response is a failure although it came back

STOP_ADVICE = (
    "Medium is blocking automated requests ({count} challenge or block pages in a row; last: {reason}). "
    "Nothing from those pages was stored. Wait an hour and run `linkscout crawl --resume`, or save the "
    "pages in your browser and run `linkscout crawl --source DIR`."
)


def loopback_url(origin: str, url: str) -> str:
    """`https://medium.com/tag/seo?x=1` -> `<origin>/medium.com/tag/seo?x=1` (the fixture server's
    path-prefix form: the first path segment names the host it answers for)."""
    parts = urlsplit(url)
    host = parts.netloc.lower()
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{origin.rstrip('/')}/{host}{path}{query}"


class PoliteSlot(Slot):
    """A download slot whose delay never drops below `floor` and whose jitter only adds.

    Scrapy's own jitter spreads the delay over 0.5x..1.5x (half the gaps shorter than asked); here each
    request start draws an extra `uniform(*extra)` seconds on top of max(floor, delay), where `delay`
    is whatever AutoThrottle or a Retry-After pause made of it.
    """

    def __init__(self, concurrency: int, delay: float, *, floor: float, extra: tuple[float, float]) -> None:
        super().__init__(concurrency, max(delay, floor), 0.0)
        self.floor = floor
        self.extra = extra
        self._drawn_for = -1.0
        self._extra = 0.0

    def download_delay(self) -> float:
        if self._drawn_for != self.lastseen:  # one draw per request start
            self._drawn_for = self.lastseen
            self._extra = random.uniform(*self.extra)  # noqa: S311 - spacing, not security
        return max(self.delay, self.floor) + self._extra


class MediumSlotMiddleware:
    """Every request joins the one Medium download slot (robots.txt requests too); with
    LINKSCOUT_MIN_DELAY set (live), that slot is a `PoliteSlot`."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler
        settings = crawler.settings if crawler is not None else None
        self.floor = settings.getfloat("LINKSCOUT_MIN_DELAY", 0.0) if settings else 0.0
        extra = settings.getlist("LINKSCOUT_DELAY_EXTRA") if settings else []
        self.extra = (float(extra[0]), float(extra[1])) if len(extra) == 2 else (0.0, 0.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MediumSlotMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        request.meta.setdefault("download_slot", MEDIUM_SLOT)
        if self.floor > 0 and self.crawler is not None and self.crawler.engine is not None:
            slots = self.crawler.engine.downloader.slots
            key = request.meta["download_slot"]
            if not isinstance(slots.get(key), PoliteSlot):  # new, or collected while idle
                old = slots.get(key)
                slot = PoliteSlot(1, self.crawler.settings.getfloat("DOWNLOAD_DELAY"), floor=self.floor,
                                  extra=self.extra)  # fmt: skip
                if old is not None:
                    slot.lastseen = old.lastseen
                    old.close()
                slots[key] = slot


ROBOTS_UNREACHABLE = "robots.txt unreachable"


class _Unreachable:
    """Stands in for a parser when a host's robots.txt could not be read: nothing there is allowed."""

    def __init__(self, message: str) -> None:
        self.message = message


class RobotsMiddleware(RobotsTxtMiddleware):
    """robots.txt per RFC 9309, read once per host for the run.

    2xx: its rules. 4xx: no rules, everything allowed. Unreachable (DNS, refused, timeout) or 5xx
    once retried: the host is completely disallowed; its requests fail with IgnoreRequest
    "robots.txt unreachable: cannot read <url> (<why>)", which the spider turns into a stop (when
    nothing was fetched yet) or leaves for --resume. Scrapy's own middleware allows everything then.
    """

    async def robot_parser(self, request: Request) -> Any:
        url = urlparse_cached(request)
        netloc = url.netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            robots_url = f"{url.scheme}://{netloc}/robots.txt"
            robots_req = Request(
                robots_url, priority=self.DOWNLOAD_PRIORITY, callback=NO_CALLBACK,
                meta={"dont_obey_robotstxt": True, "max_retry_times": 1},
            )  # fmt: skip
            why: str | None = None
            try:
                response = await self.crawler.engine.download_async(robots_req)
            except Exception as e:  # noqa: BLE001 - any failure to read it means: disallow
                why = network_reason(e)
            else:
                if response.status >= 500:
                    why = f"HTTP {response.status}"
                else:
                    if response.status >= 400:  # no robots.txt: everything allowed
                        response = response.replace(body=b"")
                    await self._parse_robots(response, netloc, request)
            if why is not None:
                self._stats.inc_value("linkscout/robots_unreachable")
                logger.info("Cannot read %s (%s): the host is disallowed", robots_url, why)
                pending = self._parsers[netloc]
                unreachable = _Unreachable(f"cannot read {robots_url} ({why})")
                self._parsers[netloc] = unreachable  # type: ignore[assignment]
                if isinstance(pending, Deferred):
                    pending.callback(unreachable)  # type: ignore[arg-type]  # stands in for a parser
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            # One Deferred per waiter: Deferred.asFuture passes None down the chain, so with Scrapy's
            # shared Deferred every request but the first that waited for this robots.txt got None,
            # "no robots.txt", and went out unchecked (seen on --resume: disallowed feeds fetched).
            mine: Deferred[Any] = Deferred()

            def relay(result: Any) -> Any:
                mine.callback(result)
                return result

            parser.addBoth(relay)
            return await maybe_deferred_to_future(mine)
        return parser

    def process_request_2(self, rp: Any, request: Request) -> None:
        if isinstance(rp, _Unreachable):
            raise IgnoreRequest(f"{ROBOTS_UNREACHABLE}: {rp.message}")
        if rp is None:  # never set by this class; refuse rather than guess
            host = urlparse_cached(request).netloc
            raise IgnoreRequest(f"{ROBOTS_UNREACHABLE}: robots.txt of {host} was not read")
        super().process_request_2(rp, request)


def network_reason(exc: BaseException) -> str:
    """A few words for why a request failed: "DNS lookup failed", "connection refused", ..."""
    name = type(exc).__name__
    if "DNSLookup" in name or "CannotResolve" in name or "gaierror" in name:
        return "DNS lookup failed"
    if "ConnectionRefused" in name:
        return "connection refused"
    if "Timeout" in name or "TimedOut" in name:
        return "timed out"
    if "ConnectionLost" in name or "ResponseNeverReceived" in name or "ConnectionDone" in name:
        return "connection lost"
    text = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
    return f"{name}: {text}" if text else name


def retry_after_seconds(value: bytes | str | None, *, now: float | None = None) -> float | None:
    """Seconds a `Retry-After` header asks for: delta-seconds or an HTTP date; None if absent/invalid."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time() if now is None else now))


def pause_slot(crawler: Crawler, request: Request, seconds: float) -> None:
    """Hold the request's download slot (the whole Medium bucket) for `seconds` from now.

    Scrapy spaces a slot's requests by `delay - (now - lastseen)`; moving `lastseen` forward makes
    the next request wait. Slots without a delay (loopback) are not held: there only the
    retried request itself waits.
    """
    if seconds <= 0:
        return
    try:
        engine = crawler.engine
    except RuntimeError:  # no crawl running (unit tests)
        return
    if engine is None:
        return
    downloader = engine.downloader
    slot = downloader.slots.get(downloader.get_slot_key(request))
    if slot is not None and slot.delay:
        slot.lastseen = max(slot.lastseen, monotonic() + seconds - slot.delay)


class RetryAfterMiddleware(RetryMiddleware):
    """RetryMiddleware that honours `Retry-After` on 429 and 503 (Scrapy retries those at once)."""

    def __init__(self, settings: Any):
        super().__init__(settings)
        self.max_wait = settings.getfloat("LINKSCOUT_RETRY_AFTER_MAX", 300.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        reason = response_status_message(response.status)
        if ChallengeMiddleware.challenge_reason(response, by_body=True):
            return response  # a challenge page: retrying at once only digs deeper
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait is None or response.status not in (429, 503):
            return self._retry(request, reason) or response
        stats = self.crawler.stats
        if wait > self.max_wait:
            if stats:
                stats.inc_value("linkscout/retry_after_too_long")
            request.meta[META_ERROR] = (
                f"HTTP {response.status} asking to come back in {wait:.0f} s (more than the "
                f"{self.max_wait:.0f} s linkscout waits); run `linkscout crawl --resume` later"
            )
            return response
        retry = self._retry(request, f"{reason} (Retry-After {wait:g} s)")
        if retry is None:
            return response
        if stats:
            stats.inc_value("linkscout/retry_after_waits")
            stats.inc_value("linkscout/retry_after_seconds", round(wait))
        pause_slot(self.crawler, request, wait)
        await sleep(wait)
        return retry


class ChallengeMiddleware:
    """Marks challenge/block pages, backs off after each, and flags a stop after N in a row.

    Its process_response runs after RetryAfterMiddleware's (lower order number), so it sees the final
    answer once retries are spent: a 429 that Retry-After cured is not a block.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        s = crawler.settings
        self.max_blocks = max(1, s.getint("LINKSCOUT_MAX_CONSECUTIVE_BLOCKS", 5))
        self.backoff = s.getfloat("LINKSCOUT_BLOCK_BACKOFF", 30.0)
        self.consecutive = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ChallengeMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("dont_obey_robotstxt") and request.url.endswith("/robots.txt"):
            return response
        reason = self.challenge_reason(response)
        stats = self.crawler.stats
        if reason is None:
            if response.status < 400:
                self.consecutive = 0
            return response
        self.consecutive += 1
        request.meta[META_BLOCKED] = reason
        request.meta["dont_retry"] = True
        if stats:
            stats.inc_value("linkscout/blocked")
        wait = min(self.backoff * 2 ** (self.consecutive - 1), 600.0)
        pause_slot(self.crawler, request, wait)
        logger.warning("Blocked at %s (%s); backing off %.0f s", request.url, reason, wait)
        if self.consecutive >= self.max_blocks:
            request.meta[META_STOP] = STOP_ADVICE.format(count=self.consecutive, reason=reason)
        return response

    @staticmethod
    def challenge_reason(response: Response, *, by_body: bool = False) -> str | None:
        """The parser's block detection on HTML answers (and on 403/429 whatever they carry).
        `by_body`: only what the page itself says, not its status alone."""
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        head = response.body[:200_000]
        looks_html = "html" in ctype or head.lstrip()[:15].lower().startswith((b"<!doctype", b"<html"))
        if not looks_html:
            if by_body or response.status not in (403, 429):
                return None
            return f"HTTP {response.status} {'Too Many Requests (rate limited)' if response.status == 429 else 'Forbidden'}"
        status = None if by_body else response.status
        found = detect(head.decode("utf-8", "replace"), status, _title(head))
        if found is not None and found.kind is PageKind.BLOCKED:
            return found.reason
        return None


def _title(head: bytes) -> str | None:
    lower = head[:50_000].lower()
    start = lower.find(b"<title")
    if start < 0:
        return None
    gt = lower.find(b">", start)
    end = lower.find(b"</title>", gt)
    if gt < 0 or end < 0:
        return None
    return head[gt + 1 : end].decode("utf-8", "replace").strip()
