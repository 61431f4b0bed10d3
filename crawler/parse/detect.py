"""Pages that are not content: challenges, blocks, suspended accounts, error pages.

`blocked`: someone refused us (Cloudflare "Just a moment...", "Verify you are human", access denied,
HTTP 403/429). `other`: Medium answered but there is no content (410 suspended account, 404). The
crawler stores neither as content; a `blocked` page is retried later, a suspended one is not.
Text markers are only trusted on pages that carry no embedded Medium data, so an article that
merely *mentions* "Just a moment" is never mistaken for a challenge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.records import PageKind

_CHALLENGE_MARKERS = re.compile(
    r"cf-browser-verification|challenge-platform|cf_chl_opt|__cf_chl_|cf-challenge|id=\"challenge-form\""
    r"|cf-turnstile|g-recaptcha|hcaptcha\.com/1/api",
    re.I,
)
_CHALLENGE_TEXT = re.compile(
    r"just a moment\.\.\.|verify you are human|checking your browser|attention required!?\s*\|\s*cloudflare"
    r"|access denied|you have been blocked|request blocked|are you a robot|unusual traffic",
    re.I,
)
_COMMENTS = re.compile(r"<!--.*?-->", re.S)
_SUSPENDED = re.compile(
    r"under investigation or was found in violation of the Medium Rules|410 account suspended"
    r"|account (?:has been )?suspended\s*(?:—|-|\|)\s*Medium",
    re.I,
)
_NOT_FOUND = re.compile(r"<title[^>]*>\s*(?:404|page not found)|PAGE NOT FOUND\s*</", re.I)
_HAS_STATE = ("__APOLLO_STATE__", 'window["obvInit"]', "var GLOBALS", "application/ld+json")


@dataclass(frozen=True, slots=True)
class Detection:
    kind: PageKind  # BLOCKED or OTHER
    reason: str


def detect(text: str, status: int | None = None, title: str | None = None) -> Detection | None:
    """A Detection when the page is a challenge, block or error page, else None. Never raises."""
    try:
        return _detect(text, status, title or "")
    except Exception:  # noqa: BLE001
        return None


def _detect(text: str, status: int | None, title: str) -> Detection | None:
    head = text[:200_000]
    clean_title = " ".join(title.split())
    small = len(text) < 120_000  # challenge and error pages are small; skip body scans on real pages
    if status == 429:
        return Detection(PageKind.BLOCKED, "HTTP 429 Too Many Requests (rate limited)")
    flat = _COMMENTS.sub("", head) if small and "<!--" in head else head
    # Suspended accounts: Medium answers 410 with its own page (Apollo state, but no entities).
    if status == 410 or _SUSPENDED.search(clean_title) or (small and _SUSPENDED.search(flat)):
        return Detection(
            PageKind.OTHER, "410: account suspended (under investigation or violated the Medium Rules)"
        )
    if _CHALLENGE_TEXT.search(clean_title):
        return Detection(PageKind.BLOCKED, f"challenge page: {clean_title[:80]}")
    has_state = any(marker in head for marker in _HAS_STATE)
    if not has_state:
        if _CHALLENGE_MARKERS.search(head):
            return Detection(PageKind.BLOCKED, "challenge page (Cloudflare/captcha markers)")
        m = _CHALLENGE_TEXT.search(flat) if small else None
        if m is not None:
            return Detection(PageKind.BLOCKED, f"challenge or block page: {m.group(0)}")
    if status == 403:
        return Detection(PageKind.BLOCKED, "HTTP 403 Forbidden")
    if status == 404 or (status is None and not has_state and _NOT_FOUND.search(head)):
        return Detection(PageKind.OTHER, "404: page not found")
    if status is not None and status >= 500:
        return Detection(PageKind.OTHER, f"HTTP {status}: server error")
    return None
