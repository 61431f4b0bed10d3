"""What kind of document a decoded text is, from its first bytes (and the URL / Content-Type as hints).

Saved pages come wrapped in whatever the saver left around them, so sniffing also unwraps:
- a Chrome XML-viewer copy starts with "This XML file does not appear to have any style
  information..." before the feed markup;
- a Node console dump has `error: null` / `statusCode: 200` / `body: ` lines before the HTML and an
  object dump after `</html>`;
- legacy `?format=json` starts with the XSSI guard `])}while(1);</x>` (or not, when a person
  stripped it).
The returned `body` is the unwrapped document; `notes` say what was stripped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class DocType(StrEnum):
    HTML = "html"
    FEED = "feed"  # RSS 2.0 or Atom
    LEGACY_JSON = "legacy_json"  # ?format=json
    GRAPHQL = "graphql"
    JSON = "json"  # JSON of no known shape
    ROBOTS = "robots"
    EMPTY = "empty"
    TEXT = "text"  # plain text we do not read


@dataclass(slots=True)
class Sniffed:
    doctype: DocType
    body: str
    notes: list[str] = field(default_factory=list)


XSSI_PREFIX = "])}while(1);</x>"
_XMLVIEWER = "This XML file does not appear to have any style information"
_FIRST_ELEMENT = re.compile(r"(?:\s|<\?.*?\?>|<!--.*?-->|<!(?!--)[^>]*>)*<([A-Za-z][\w:.-]*)", re.S)
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|script|div|link)[\s>/]", re.I)
_CONSOLE_BODY = re.compile(r"^\s*body\s*:\s*['\"`]?(?=\s*<)", re.I | re.M)
_CONSOLE_HEAD = re.compile(r"^\s*(?:error|statusCode|headers|response)\s*:", re.I | re.M)
_ROBOTS_LINE = re.compile(r"^\s*(user-agent|disallow|allow|sitemap|crawl-delay|host)\s*:", re.I)
_JSON_DATA = re.compile(r'^\s*\[?\s*\{\s*"(?:data|errors|extensions)"\s*:')
_JSON_PAYLOAD = re.compile(r'"payload"\s*:\s*\{')


def sniff(text: str, url: str | None = None, content_type: str | None = None) -> Sniffed:
    notes: list[str] = []
    body = text.lstrip("\ufeff\x00 \t\r\n")
    if not body or body.isspace():  # not body.strip(), which copies a whole page ending in a newline
        return Sniffed(DocType.EMPTY, "", notes)
    if body.startswith(_XMLVIEWER):
        first_tag = body.find("<")
        body = body[first_tag:] if first_tag >= 0 else ""
        notes.append("copied from a browser's XML viewer, not the raw feed: whitespace may differ")
    if body.startswith(XSSI_PREFIX):
        return Sniffed(DocType.LEGACY_JSON, body, notes)
    head = body[:2048]
    if head[:1] in "{[":
        return Sniffed(_json_kind(body), body, notes)
    if head.startswith("<"):
        return Sniffed(DocType.FEED if _first_element_is_feed(head) else DocType.HTML, body, notes)
    unwrapped = _console_dump(body)
    if unwrapped is not None:
        notes.append("console dump: text before the HTML and after </html> was ignored")
        return Sniffed(DocType.HTML, unwrapped, notes)
    if _looks_robots(head):
        return Sniffed(DocType.ROBOTS, body, notes)
    ct = (content_type or "").lower()
    lower_url = (url or "").lower().split("?", 1)[0]
    if lower_url.endswith("/robots.txt") and "html" not in ct:
        return Sniffed(DocType.ROBOTS, body, notes)
    # Some leading junk (a saver's banner, a stray line) before real markup.
    lt = head.find("<")
    if lt > 0:
        rest = body[lt:]
        if _first_element_is_feed(rest[:2048]):
            notes.append("text before the XML was ignored")
            return Sniffed(DocType.FEED, rest, notes)
        if _HTML_START.search(head):
            return Sniffed(DocType.HTML, body, notes)
    return Sniffed(DocType.TEXT, body, notes)


def _first_element_is_feed(head: str) -> bool:
    """True when the first element (after prolog, comments, processing instructions) is a feed root."""
    m = _FIRST_ELEMENT.match(head)
    return bool(m and m.group(1).lower() in ("rss", "feed", "rdf:rdf"))


def _json_kind(body: str) -> DocType:
    if _JSON_DATA.match(body):
        return DocType.GRAPHQL
    if _JSON_PAYLOAD.search(body[:4096]) and body.lstrip().startswith("{"):
        return DocType.LEGACY_JSON
    return DocType.JSON


def _console_dump(body: str) -> str | None:
    """The HTML inside a Node console dump (`statusCode: 200` ... `body: <!DOCTYPE html>...`)."""
    head = body[:4096]
    if not _CONSOLE_HEAD.search(head):
        return None
    m = _CONSOLE_BODY.search(body, 0, 65536)
    if m is None:
        return None
    html = body[m.end() :].lstrip()
    end = html.lower().rfind("</html>")
    if end >= 0:
        html = html[: end + len("</html>")]
    return html


def _looks_robots(head: str) -> bool:
    lines = [ln for ln in head.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        return False
    sample = lines[:20]
    hits = sum(1 for ln in sample if _ROBOTS_LINE.match(ln))
    return hits >= 1 and hits * 2 >= len(sample)
