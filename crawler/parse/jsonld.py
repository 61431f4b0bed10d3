"""JSON-LD blocks and `<meta>`/`<link>` tags: the layer that outlived every Medium markup era.

NewsArticle (from ~2017): `identifier` (post id), `headline`, `author.url`, `publisher`, dates,
`isAccessibleForFree`, `keywords` such as `Tag:Mental Health` and `Publication:invisible-illness`.
NewsMediaOrganization on Apollo publication pages. Meta: canonical, `og:url`, `al:android:url`
(`medium://p/<id>`, survives HTTrack's canonical rewriting), `article:author`, `author`,
`article:published_time`, and `twitter:data1` ("5 min read"), which Medium wrote with `value=`
rather than `content=` in the legacy era.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from linkscout.crawler.parse import norm
from linkscout.crawler.parse.embedded import EmbeddedError, loads_lenient

_READ_TIME = re.compile(r"(\d+(?:\.\d+)?)\s*min", re.I)
_APP_POST = re.compile(r"medium://p/([0-9a-f]{8,12})\b")


@dataclass(slots=True)
class PageMeta:
    canonical: str | None = None
    og_url: str | None = None
    og_title: str | None = None
    og_type: str | None = None
    title: str | None = None  # <title>
    description: str | None = None
    author_name: str | None = None  # <meta name=author>
    author_url: str | None = None  # article:author when it is a URL
    published_at: str | None = None
    reading_time: float | None = None  # twitter:data1
    app_url: str | None = None  # al:android:url / al:ios:url / twitter:app:url
    app_post_id: str | None = None  # the post id in `medium://p/<id>`
    # JSON-LD
    ld_types: tuple[str, ...] = ()
    article: dict[str, Any] = field(default_factory=dict)  # the NewsArticle object
    organization: dict[str, Any] = field(default_factory=dict)  # NewsMediaOrganization
    warnings: list[str] = field(default_factory=list)

    @property
    def ld_post_id(self) -> str | None:
        return norm.post_id(self.article.get("identifier"))

    @property
    def ld_keywords(self) -> list[str]:
        return [k for k in norm.as_list(self.article.get("keywords")) if isinstance(k, str)]

    @property
    def ld_tags(self) -> tuple[str, ...]:
        """`Tag:Mental Health` keywords as slugs; legacy (2017) plain keywords as slugs too."""
        kws = self.ld_keywords
        prefixed = any(":" in k for k in kws)
        out: list[str] = []
        for k in kws:
            if prefixed:
                if not k.startswith("Tag:"):
                    continue
                k = k[4:]
            tag = norm.slug(k)
            if tag and tag not in out:
                out.append(tag)
        return tuple(out)

    @property
    def ld_publication(self) -> str | None:
        for source in (self.ld_keywords, [k for k in norm.as_list(self.organization.get("keywords"))]):
            for k in source:
                if isinstance(k, str) and k.startswith("Publication:"):
                    return norm.slug(k[len("Publication:") :])
        return None

    @property
    def ld_free(self) -> bool | None:
        return norm.as_bool(self.article.get("isAccessibleForFree"))


def read_meta(tree: LexborHTMLParser) -> PageMeta:
    meta = PageMeta()
    try:
        _read_tags(tree, meta)
    except Exception as exc:  # noqa: BLE001 - never raise
        meta.warnings.append(f"meta tags partly unreadable: {type(exc).__name__}")
    try:
        _read_ld(tree, meta)
    except Exception as exc:  # noqa: BLE001
        meta.warnings.append(f"JSON-LD partly unreadable: {type(exc).__name__}")
    return meta


_APP_URL_KEYS = ("al:android:url", "al:ios:url", "twitter:app:url:iphone", "twitter:app:url:googleplay")
# Every key a branch of `_read_tags` reads.
_META_KEYS = frozenset(
    {"og:url", "og:title", "og:type", "description", "og:description", "author", "article:author",
     "article:published_time", "twitter:data1", *_APP_URL_KEYS}
)  # fmt: skip


def _read_tags(tree: LexborHTMLParser, meta: PageMeta) -> None:
    head = tree.head or tree.root
    if head is None:
        return
    title = tree.css_first("title")
    if title is not None:
        meta.title = norm.as_str(title.text())
    for link in head.css("link[rel]"):
        rel = (link.attributes.get("rel") or "").lower().split()
        if "canonical" in rel and meta.canonical is None:
            meta.canonical = norm.as_str(link.attributes.get("href"))
    for tag in head.css("meta"):
        attrs = tag.attributes
        key = (attrs.get("property") or attrs.get("name") or "").strip().lower()
        if key not in _META_KEYS:
            continue  # viewport, og:image, twitter:card...: no branch below reads them
        value = norm.as_str(attrs.get("content")) or norm.as_str(attrs.get("value"))
        if value is None:
            continue
        if key == "og:url":
            meta.og_url = meta.og_url or value
        elif key == "og:title":
            meta.og_title = meta.og_title or value
        elif key == "og:type":
            meta.og_type = meta.og_type or value
        elif key in ("description", "og:description") and meta.description is None:
            meta.description = value
        elif key == "author":
            meta.author_name = meta.author_name or value
        elif key == "article:author" and (value.startswith("http") or value.startswith("/@")):
            meta.author_url = meta.author_url or value
        elif key == "article:published_time":
            meta.published_at = meta.published_at or norm.iso_from_text(value)
        elif key == "twitter:data1" and meta.reading_time is None:
            m = _READ_TIME.search(value)
            if m:
                meta.reading_time = float(m.group(1))
        elif key in _APP_URL_KEYS:
            meta.app_url = meta.app_url or value
            m = _APP_POST.search(value)
            if m and meta.app_post_id is None:
                meta.app_post_id = m.group(1)


def _read_ld(tree: LexborHTMLParser, meta: PageMeta) -> None:
    types: list[str] = []
    for node in tree.css('script[type="application/ld+json"]'):
        raw = node.text(deep=True) or ""
        try:
            data = loads_lenient(raw)
        except EmbeddedError:
            meta.warnings.append("a JSON-LD block is not valid JSON")
            continue
        for obj in _flatten(data):
            t = obj.get("@type")
            tname = (
                t
                if isinstance(t, str)
                else (t[0] if isinstance(t, list) and t and isinstance(t[0], str) else "")
            )
            if tname:
                types.append(tname)
            if tname in ("NewsArticle", "Article", "BlogPosting") and not meta.article:
                meta.article = obj
            elif tname == "NewsMediaOrganization" and not meta.organization:
                meta.organization = obj
    meta.ld_types = tuple(types)


def _flatten(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [d for d in data if isinstance(d, dict)]
    if isinstance(data, dict):
        graph = data.get("@graph")
        if isinstance(graph, list):
            return [d for d in graph if isinstance(d, dict)]
        return [data]
    return []
