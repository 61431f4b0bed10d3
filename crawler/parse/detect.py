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

from linkscout.core.records import PageKind

# Fixed strings, matched on the lower-cased page head with `in` (a case-insensitive regex over
# 200 KB costs tens of milliseconds; `in` on a lower-cased copy costs a fraction of one).
_CHALLENGE_MARKERS = (
    "cf-browser-verification", "challenge-platform", "cf_chl_opt", "__cf_chl_", "cf-challenge",
    'id="challenge-form"', "cf-turnstile", "g-recaptcha", "hcaptcha.com/1/api",
)  # fmt: skip
_CHALLENGE_PHRASES = (
    "just a moment...", "verify you are human", "checking your browser", "access denied",
    "you have been blocked", "request blocked", "are you a robot", "unusual traffic",
)  # fmt: skip
_CLOUDFLARE_TITLE = re.compile(r"attention required!?\s*\|\s*cloudflare")
_COMMENTS = re.compile(r"<!--.*?-->", re.S)
_SUSPENDED_PHRASES = (
    "under investigation or was found in violation of the medium rules",
    "410 account suspended",
)
_SUSPENDED_TITLE = re.compile(r"account (?:has been )?suspended\s*(?:—|-|\|)\s*medium")
_NOT_FOUND = re.compile(r"<title[^>]*>\s*(?:404|page not found)|page not found\s*</")
_HAS_STATE = ("__APOLLO_STATE__", 'window["obvInit"]', "var GLOBALS", "application/ld+json")


def _challenge_phrase(low: str) -> str | None:
    for phrase in _CHALLENGE_PHRASES:
        if phrase in low:
            return phrase
    m = _CLOUDFLARE_TITLE.search(low) if "cloudflare" in low else None
    return m.group(0) if m else None


_MEDIUM_META = re.compile(
    r"<meta[^>]+(?:property|name)=[\"'](?:og:site_name|al:android:app_name|twitter:app:name:iphone)[\"'][^>]*"
    r"content=[\"']Medium[\"']",
    re.I,
)


def _medium_markup(head: str) -> bool:
    return _MEDIUM_META.search(head) is not None


# Every suspended phrase and title below holds one of these (bare "suspended" is on every Apollo page:
# `"isSuspended":false`).
_SUSPENDED_WORDS = (b"under investigation", b"account suspended", b"account has been suspended")


def _may_contain(text: str, words: tuple[bytes, ...], utf8: bytes | None = None) -> bool:
    """False only when `text.lower()` holds none of these ASCII words. Non-ASCII text is checked as
    its UTF-8 bytes with only ASCII lower-cased (a fraction of the cost of `str.lower()`): no
    non-ASCII character lower-cases to ASCII letters except U+0130 (to "i" + U+0307) and U+212A (to
    "k"), which can complete none of the words."""
    if text.isascii():
        return True  # lower() of ASCII is cheap: let the caller look for itself
    # In UTF-8 every non-ASCII character is bytes >= 0x80, which no word holds, and every ASCII run
    # a match needs is kept as it is (encoding to UTF-8 costs two thirds of dropping non-ASCII).
    data = (utf8 if utf8 is not None else text.encode("utf-8", "surrogatepass")).lower()
    return any(w in data for w in words)


def _suspended(low: str) -> bool:
    if any(p in low for p in _SUSPENDED_PHRASES):
        return True
    return "suspended" in low and _SUSPENDED_TITLE.search(low) is not None


@dataclass(frozen=True, slots=True)
class Detection:
    kind: PageKind  # BLOCKED or OTHER
    reason: str


def detect(
    text: str, status: int | None = None, title: str | None = None, *, utf8: bytes | None = None
) -> Detection | None:
    """A Detection when the page is a challenge, block or error page, else None. Never raises.
    `utf8`, when given, is `text` encoded as UTF-8 (the page's own bytes)."""
    try:
        return _detect(text, status, title or "", utf8)
    except Exception:  # noqa: BLE001
        return None


def _detect(text: str, status: int | None, title: str, utf8: bytes | None = None) -> Detection | None:
    head = text[:200_000]
    low_title = " ".join(title.split()).lower()
    small = len(text) < 120_000  # challenge and error pages are small; skip body scans on real pages
    if status == 429:
        return Detection(PageKind.BLOCKED, "HTTP 429 Too Many Requests (rate limited)")
    flat = _COMMENTS.sub("", head) if small and "<!--" in head else head
    lowered: list[str] = []

    def low() -> str:
        """The comment-free head lower-cased (small pages only), made once and only when asked for:
        lower-casing 60 KB of non-ASCII text costs more than the rest of this function."""
        if not lowered:
            lowered.append(flat.lower() if small else "")
        return lowered[0]

    # Suspended accounts: Medium answers 410 with its own page (Apollo state, but no entities).
    if (
        status == 410
        or _suspended(low_title)
        or (
            small
            and _may_contain(flat, _SUSPENDED_WORDS, utf8 if flat is text else None)
            and _suspended(low())
        )
    ):
        return Detection(
            PageKind.OTHER, "410: account suspended (under investigation or violated the Medium Rules)"
        )
    if _challenge_phrase(low_title):
        return Detection(PageKind.BLOCKED, f"challenge page: {' '.join(title.split())[:80]}")
    # The state can sit past the first 200 KB behind inline CSS and scripts: look in the whole text.
    has_state = any(marker in text for marker in _HAS_STATE)
    # A saved page with its scripts stripped (SingleFile, MHTML) still says it is Medium's in its meta
    # tags; its newsletter form carries a `g-recaptcha` div, which is no challenge.
    if not has_state and not _medium_markup(head):
        low_head = low() or head.lower()
        if any(marker in low_head for marker in _CHALLENGE_MARKERS):
            return Detection(PageKind.BLOCKED, "challenge page (Cloudflare/captcha markers)")
        phrase = _challenge_phrase(low()) if small else None
        if phrase is not None:
            return Detection(PageKind.BLOCKED, f"challenge or block page: {phrase}")
    if status == 403:
        return Detection(PageKind.BLOCKED, "HTTP 403 Forbidden")
    if status == 404 or (status is None and not has_state and _NOT_FOUND.search(low() or head.lower())):
        return Detection(PageKind.OTHER, "404: page not found")
    if status is not None and status >= 500:
        return Detection(PageKind.OTHER, f"HTTP {status}: server error")
    return None
