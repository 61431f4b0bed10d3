"""Body links from Medium's `content.bodyModel` (paragraphs with markups), the shape both the legacy
`?format=json` payloads (markup type 3) and the GraphQL API (type "A") carry."""

from __future__ import annotations

from typing import Any

from linkscout.core.records import LinkRecord
from linkscout.crawler.parse import norm

_ANCHOR_TYPES = ("A", 3)


def body_links(content: Any) -> tuple[LinkRecord, ...] | None:
    """Anchors of the body with the rel Medium stored; None when there is no body (unknown, not none).
    A user mention without an href becomes the link Medium renders for it."""
    body = norm.as_dict(content).get("bodyModel")
    if not isinstance(body, dict):
        return None
    links: list[LinkRecord] = []
    for para in norm.as_list(body.get("paragraphs")):
        para = norm.as_dict(para)
        raw_text = para.get("text")
        text: str = raw_text if isinstance(raw_text, str) else ""
        for markup in norm.as_list(para.get("markups")):
            markup = norm.as_dict(markup)
            if markup.get("type") not in _ANCHOR_TYPES:
                continue
            href = norm.as_str(markup.get("href"))
            if href is None:
                uid = norm.as_str(markup.get("userId"))
                if markup.get("anchorType") != "USER" or uid is None:
                    continue
                href = f"https://medium.com/u/{uid}"
            start = norm.as_int(markup.get("start")) or 0
            end = norm.as_int(markup.get("end")) or 0
            anchor = " ".join(text[start:end].split()) if end > start else ""
            links.append(LinkRecord(url=href, rel=norm.as_str(markup.get("rel")), anchor=anchor))
    return tuple(links)
