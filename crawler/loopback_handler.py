"""The download handler behind `--source fixtures`: the loopback transport.

`LoopbackDownloadHandler` sends a request for https://medium.com/... to the loopback fixture server
and hands back the response under the real URL, so robots.txt, retries, redirects, slots and every
record keep Medium's URLs while nothing leaves the machine. Scrapy loads it by name
(`crawler.settings.LOOPBACK_HANDLER`); it lives apart from the middlewares because Scrapy's HTTP/1.1
handler (Twisted's TLS stack) takes about a second to import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from linkscout.crawler.middlewares import loopback_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class LoopbackDownloadHandler(HTTP11DownloadHandler):
    """http(s) handler for `--source fixtures`: same downloader, loopback transport, real URLs."""

    lazy = False

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        origin = crawler.settings.get("LINKSCOUT_LOOPBACK_ORIGIN")
        if not origin:
            raise NotConfigured("LINKSCOUT_LOOPBACK_ORIGIN is not set")
        self._origin = str(origin).rstrip("/")

    async def download_request(self, request: Request) -> Response:
        if request.url.startswith(self._origin + "/"):
            return await super().download_request(request)
        routed = request.replace(url=loopback_url(self._origin, request.url))
        response = await super().download_request(routed)
        return response.replace(url=request.url)
