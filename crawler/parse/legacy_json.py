"""Legacy `?format=json` responses (2015–2021): `])}while(1);</x>{"success":true,"payload":{...}}`.

The XSSI guard is stripped (people often strip it themselves before saving), the JSON is read, and
the `payload` (`value` + `references`, or `user`/`collection` for profile and publication payloads)
goes to `crawler.parse.legacy.parse_references`, the one reader of legacy references.
"""

from __future__ import annotations

from typing import Any

import orjson

from linkscout.core.records import PageKind, PageResult
from linkscout.crawler.parse.legacy import parse_references
from linkscout.crawler.parse.sniff import XSSI_PREFIX


def parse_legacy_json(text: str, url: str | None = None) -> PageResult:
    result = PageResult(kind=PageKind.LEGACY_JSON, url=url)
    body = text.lstrip("\ufeff \t\r\n")
    if body.startswith(XSSI_PREFIX):
        body = body[len(XSSI_PREFIX) :]
    try:
        obj: Any = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        result.warnings.append(f"?format=json payload is not valid JSON (truncated?): {str(exc)[:120]}")
        return result
    return from_object(obj, url, result)


def from_object(obj: Any, url: str | None = None, result: PageResult | None = None) -> PageResult:
    """The records of an already-decoded `?format=json` object."""
    result = result or PageResult(kind=PageKind.LEGACY_JSON, url=url)
    if not isinstance(obj, dict):
        result.warnings.append("?format=json payload is not an object")
        return result
    if obj.get("success") is False:
        error = obj.get("error")
        result.warnings.append(
            f"Medium answered success=false: {str(error)[:200] if error else 'no reason given'}"
        )
    payload = obj.get("payload")
    if not isinstance(payload, dict):
        result.warnings.append("?format=json response has no payload object")
        return result
    data = parse_references(payload, url)
    result.posts.extend(data.posts)
    result.authors.extend(data.authors)
    result.publications.extend(data.publications)
    result.warnings.extend(data.warnings)
    if data.main_post_id is not None:
        main = next((p for p in data.posts if p.id == data.main_post_id), None)
        if main is not None:
            _missing(main, result.warnings)
    if not (data.posts or data.authors or data.publications):
        result.warnings.append("?format=json payload carries no post, user or publication")
    return result


def _missing(post: Any, warnings: list[str]) -> None:
    for label, value in (
        ("title", post.title),
        ("author", post.author),
        ("claps (virtuals.totalClapCount / recommends)", post.claps),
        ("responses (virtuals.responsesCreatedCount)", post.responses),
        ("firstPublishedAt", post.published_at),
    ):
        if value is None:
            warnings.append(f"post {post.id}: no {label}")
    if post.links is None:
        warnings.append(f"post {post.id}: no content.bodyModel, body links unknown")
