"""Who linkscout says it is: one version and one honest User-Agent for every request it makes
(the crawl, `inspect URL`, `monitor`), never a browser's, a search engine's or an AI bot's."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from linkscout.core.niche import CrawlSection


def package_version() -> str:
    try:
        return version("linkscout")
    except PackageNotFoundError:
        return "0+unknown"


def user_agent(crawl: CrawlSection | None = None) -> str:
    """`linkscout/<version> (+<contact URL>)`, unless the niche file's [crawl] names its own."""
    crawl = crawl or CrawlSection()
    return crawl.user_agent or f"linkscout/{package_version()} (+{crawl.contact_url})"
