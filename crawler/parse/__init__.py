"""Pure parsers: bytes in, `linkscout.core.records.PageResult` out. No Scrapy, no database.

Entry point for every caller (crawl pipeline, saved-pages import, `linkscout inspect`):

    parse_page(data: bytes | str, url: str | None = None, *, status: int | None = None,
               content_type: str | None = None) -> PageResult

It decodes the bytes (BOM, charset, UTF-16), sniffs the kind of document (HTML, RSS/Atom, legacy
`?format=json` with or without its XSSI prefix, GraphQL JSON, robots.txt) and hands it to the layer
modules; `page.parse_html` merges the HTML layers (JSON-LD/meta, Apollo, legacy obvInit, DOM).
It never raises: whatever cannot be read becomes a warning, and `contract.enforce` nulls (with a
warning) any value a layer let through that would break the inspect contract.
"""

from __future__ import annotations

import codecs
from typing import Any

import orjson

from linkscout.core.records import PageKind, PageResult
from linkscout.crawler.parse.contract import enforce
from linkscout.crawler.parse.decode import decode
from linkscout.crawler.parse.sniff import DocType, sniff

__all__ = ["parse_page"]


def parse_page(
    data: bytes | str,
    url: str | None = None,
    *,
    status: int | None = None,
    content_type: str | None = None,
) -> PageResult:
    """The records one saved or fetched document carries. Never raises."""
    try:
        return _parse(data, url, status, content_type)
    except Exception as exc:  # noqa: BLE001 - last line of defence: the caller always gets a result
        return PageResult(kind=PageKind.OTHER, url=url, warnings=[_crash(exc)])


def _crash(exc: BaseException) -> str:
    return f"parser error ({type(exc).__name__}): {str(exc)[:200]}"


def _parse(data: bytes | str, url: str | None, status: int | None, content_type: str | None) -> PageResult:
    decoded = decode(data, content_type)
    pre = list(decoded.warnings)
    if decoded.binary:
        return PageResult(kind=PageKind.OTHER, url=url, warnings=pre)
    sniffed = sniff(decoded.text, url, content_type)
    pre.extend(sniffed.notes)
    # The input bytes are the body's exact UTF-8 when it was decoded strictly as a whole: the HTML
    # parser's byte-level scans then need not encode the text again.
    utf8 = (
        data
        if isinstance(data, bytes)
        and decoded.encoding == "utf-8"
        and not decoded.warnings
        and sniffed.body is decoded.text
        and not data.startswith(codecs.BOM_UTF8)
        else None
    )
    try:
        result = _dispatch(sniffed.doctype, sniffed.body, url, status, utf8)
    except Exception as exc:  # noqa: BLE001 - a layer that breaks costs its content, not the call
        result = PageResult(kind=PageKind.OTHER, url=url, warnings=[_crash(exc)])
    if pre:
        result.warnings[:0] = pre
    if result.url is None:
        result.url = url
    return enforce(result)


def _dispatch(
    doctype: DocType, body: str, url: str | None, status: int | None, utf8: bytes | None = None
) -> PageResult:
    if doctype is DocType.EMPTY:
        return PageResult(kind=PageKind.OTHER, url=url, warnings=["empty document"])
    if doctype is DocType.HTML:
        return _html(body, url, status, utf8)
    if doctype is DocType.FEED:
        from linkscout.crawler.parse.rss import parse_feed

        return parse_feed(body, url)
    if doctype is DocType.LEGACY_JSON:
        from linkscout.crawler.parse.legacy_json import parse_legacy_json

        return parse_legacy_json(body, url)
    if doctype is DocType.ROBOTS:
        from linkscout.crawler.parse.robots import parse_robots

        return parse_robots(body, url)
    if doctype in (DocType.GRAPHQL, DocType.JSON):
        return _json(doctype, body, url)
    return PageResult(kind=PageKind.OTHER, url=url, warnings=["not a document linkscout reads (plain text)"])


def _json(doctype: DocType, body: str, url: str | None) -> PageResult:
    try:
        obj: Any = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        kind = PageKind.GRAPHQL if doctype is DocType.GRAPHQL else PageKind.OTHER
        return PageResult(kind=kind, url=url, warnings=[f"JSON unreadable (truncated?): {str(exc)[:120]}"])
    first = obj[0] if isinstance(obj, list) and obj else obj
    if isinstance(first, dict) and ("data" in first or "errors" in first):
        from linkscout.crawler.parse.graphql import parse_graphql

        return parse_graphql(obj, url)
    if isinstance(obj, dict) and isinstance(obj.get("payload"), dict):
        from linkscout.crawler.parse.legacy_json import from_object

        return from_object(obj, url)
    return PageResult(kind=PageKind.OTHER, url=url, warnings=["JSON of a shape linkscout does not read"])


def _html(body: str, url: str | None, status: int | None, utf8: bytes | None = None) -> PageResult:
    try:
        from linkscout.crawler.parse.page import parse_html
    except ModuleNotFoundError as exc:
        if exc.name != "linkscout.crawler.parse.page":
            raise
        return PageResult(kind=PageKind.OTHER, url=url, warnings=["HTML parser not available"])
    return parse_html(body, url, status, utf8=utf8)
