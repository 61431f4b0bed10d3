"""linkscout's error tree. The CLI prints `Error: <message>` and exits 1 for any of these.

    LinkscoutError
    ├── ConfigError        niche.toml missing, unreadable or invalid (names the key)
    ├── StoreError         database unreadable, corrupt, or from a newer linkscout
    ├── NotFoundError      an author, publication or file the user named does not exist
    ├── RuleViolation      an outreach rule refused an event (says when it becomes allowed)
    ├── FetchError         one polite request outside a crawl failed or was refused (robots, block)
    └── CrawlError         a crawl could not do its job (every page blocked, budget of errors hit)

It lives in `crawler/` because that is the bottom of the one-way flow; every layer imports it.
"""

from __future__ import annotations


class LinkscoutError(Exception):
    """Base of every error linkscout raises on purpose."""


class ConfigError(LinkscoutError):
    pass


class StoreError(LinkscoutError):
    pass


class NotFoundError(LinkscoutError):
    pass


class RuleViolation(LinkscoutError):
    pass


class FetchError(LinkscoutError):
    pass


class CrawlError(LinkscoutError):
    pass
