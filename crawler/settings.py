"""Scrapy settings for every linkscout crawl, built from the niche file and the source.

One base for every source (robots.txt obeyed with Protego, an honest User-Agent, no cookies, no
telnet console or remote control, capped page sizes), then either live politeness (one bucket for
all of Medium, >= 4 s between requests, AutoThrottle, HTTP cache with conditional requests) or the
loopback profile used by the bundled fixture niche, tests and benchmarks (politeness off: the server
is ours).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from linkscout.core import identity
from linkscout.core.niche import Niche

LIVE_MIN_DELAY = 4.0
# Live jitter, seconds added to every gap (never taken away). Its lower end also covers a request
# that leaves the slot on a reused connection right after one that had to connect first.
LIVE_DELAY_EXTRA = (0.25, 1.0)
MAX_PAGE_BYTES = 20 * 1024 * 1024
MEDIUM_SLOT = "medium"  # the one download slot medium.com, *.medium.com and custom domains share
LOOPBACK_HANDLER = "linkscout.crawler.loopback_handler.LoopbackDownloadHandler"


def user_agent(niche: Niche) -> str:
    """`linkscout/<version> (+<contact_url>)` unless the niche file names its own."""
    return identity.user_agent(niche.crawl)


def base_settings(niche: Niche, *, verbosity: int = 0) -> dict[str, Any]:
    level = {0: "CRITICAL", 1: "INFO"}.get(verbosity, "DEBUG")  # failures reach the user as one line
    return {
        "BOT_NAME": "linkscout",
        "USER_AGENT": user_agent(niche),
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_PARSER": "scrapy.robotstxt.ProtegoRobotParser",
        "ROBOTSTXT_USER_AGENT": "linkscout",
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "EXTENSIONS": {
            "scrapy.extensions.telnet.TelnetConsole": None,
            "scrapy.extensions.remote_control.RemoteControl": None,
        },
        "DOWNLOAD_MAXSIZE": MAX_PAGE_BYTES,
        "DOWNLOAD_WARNSIZE": 5 * 1024 * 1024,
        "DOWNLOAD_TIMEOUT": 30,
        "REDIRECT_MAX_TIMES": 5,
        "METAREFRESH_ENABLED": False,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 3,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        # The spider keeps its own best-first frontier and never schedules a URL twice.
        "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",
        "DOWNLOADER_MIDDLEWARES": {
            "linkscout.crawler.middlewares.MediumSlotMiddleware": 20,
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "linkscout.crawler.middlewares.RobotsMiddleware": 100,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "linkscout.crawler.middlewares.ChallengeMiddleware": 540,
            "linkscout.crawler.middlewares.RetryAfterMiddleware": 550,
        },
        "ITEM_PIPELINES": {"linkscout.crawler.pipelines.StorePipeline": 300},
        "LOG_LEVEL": level,
        "LOG_ENABLED": True,
        "LOGSTATS_INTERVAL": 0 if verbosity == 0 else 60.0,
        "MEMUSAGE_ENABLED": False,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "LINKSCOUT_MAX_CONSECUTIVE_BLOCKS": niche.crawl.max_consecutive_blocks,
        "LINKSCOUT_BLOCK_BACKOFF": 30.0,
        "LINKSCOUT_RETRY_AFTER_MAX": 300.0,
        "LINKSCOUT_WINDOW": 2,
    }


def live_settings(niche: Niche, *, db_path: Path, verbosity: int = 0) -> dict[str, Any]:
    """Real Medium: one request at a time; between the starts of any two requests (robots.txt too,
    whatever the host) at least max(4, [crawl] delay_seconds) plus 0.25-1 s of jitter."""
    s = base_settings(niche, verbosity=verbosity)
    delay = max(LIVE_MIN_DELAY, niche.crawl.delay_seconds)
    s.update(
        {
            "DOWNLOAD_DELAY": delay,
            "DOWNLOAD_DELAY_JITTER": 0.0,  # Scrapy's +-50% would halve some gaps: PoliteSlot adds instead
            "LINKSCOUT_MIN_DELAY": delay,
            "LINKSCOUT_DELAY_EXTRA": list(LIVE_DELAY_EXTRA),
            "CONCURRENT_REQUESTS": 1,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
            "AUTOTHROTTLE_ENABLED": True,
            "AUTOTHROTTLE_START_DELAY": delay,
            "AUTOTHROTTLE_MAX_DELAY": 120.0,
            "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
            "HTTPCACHE_ENABLED": True,
            "HTTPCACHE_POLICY": "scrapy.extensions.httpcache.RFC2616Policy",
            "HTTPCACHE_STORAGE": "scrapy.extensions.httpcache.FilesystemCacheStorage",
            "HTTPCACHE_DIR": str(db_path.with_name(db_path.name + ".httpcache")),
            "HTTPCACHE_IGNORE_HTTP_CODES": [403, 408, 429, 500, 502, 503, 504, 522, 524],
            "HTTPCACHE_GZIP": True,
            "LINKSCOUT_WINDOW": 2,
            "LINKSCOUT_BLOCK_BACKOFF": 60.0,
            "LINKSCOUT_RETRY_AFTER_MAX": 900.0,
        }
    )
    return s


def loopback_settings(niche: Niche, *, origin: str, verbosity: int = 0) -> dict[str, Any]:
    """The bundled niche (or any loopback server answering for Medium's hosts): politeness off.

    `origin` is the server's `http://127.0.0.1:<port>`; requests keep their real https Medium URLs
    and only the transport is redirected there (see `LoopbackDownloadHandler`).
    """
    s = base_settings(niche, verbosity=verbosity)
    s.update(
        {
            "DOWNLOAD_DELAY": 0,
            "CONCURRENT_REQUESTS": 16,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
            "AUTOTHROTTLE_ENABLED": False,
            "HTTPCACHE_ENABLED": False,
            "DOWNLOAD_TIMEOUT": 10,
            "DOWNLOAD_HANDLERS": {"http": LOOPBACK_HANDLER, "https": LOOPBACK_HANDLER},
            "LINKSCOUT_LOOPBACK_ORIGIN": origin,
            "LINKSCOUT_WINDOW": 20,
            "LINKSCOUT_BLOCK_BACKOFF": 0.2,
            "LINKSCOUT_RETRY_AFTER_MAX": 30.0,
        }
    )
    return s
