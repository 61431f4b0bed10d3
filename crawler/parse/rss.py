"""Medium's RSS template (unchanged 2016–2026) and, minimally, Atom.

Which feed it is comes from the self link: `medium.com/feed/@u` or `medium.com/@u/feed` (user),
`medium.com/feed/<pub>` (publication), `medium.com/feed/<pub>/tagged/<t>`, `medium.com/feed/tag/<t>`,
`<custom-domain>/feed` (a publication on its own domain), `x.medium.com/feed` (user or
publication). The item `<link>` carries `?source=rss-<userId>------2` (user feed),
`rss----<collectionId>---4` (publication feed) or `rss------<tag>-5` (tag feed): ids we keep.

Items: guid `https://medium.com/p/<id>` is the id, `<category>` the tag slugs, `dc:creator` the
display name, `pubDate` the publication time. Full-text feeds carry the body in `content:encoded`,
ending with Medium's 1×1 stat pixel and, for publication posts, an "originally published in <pub>"
footer: both are Medium's, not the author's, so body links stop at the pixel (the footer still
tells us the publication). Snippet feeds carry only `<description>`: links are then unknown (None).

Responses: a user's responses are items of their feed, indistinguishable by markup. The heuristic
(`_response_verdict`), strongest evidence first:
1. an item with categories is a post (responses cannot be tagged);
2. a link `/@user/<hex id>` with no title slug is a response (how Medium addresses responses);
3. full text: the body is plain paragraphs (no heading, figure or embed first) and starts with the
   item title, because Medium titles a response with its first words;
4. snippet feeds: other items of the same feed are tagged (so a missing tag means something), or
   the description has neither snippet nor image and the title is a whole sentence (ends with
   . ! or …): the response was one sentence, all of it in the title.
Anything else without categories stays unknown (None), and long bodies with headings are posts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from linkscout.core import urls
from linkscout.core.records import (
    AuthorRecord,
    LinkRecord,
    PageKind,
    PageResult,
    PostRecord,
    PublicationRecord,
)
from linkscout.crawler.parse import norm

_NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_ATOM = "{http://www.w3.org/2005/Atom}"
_STAT_PIXEL = re.compile(r"<img[^>]*medium\.com/_/stat\?[^>]*>", re.I)
_FOOTER = re.compile(
    r"<a[^>]*href=\"([^\"]+)\"[^>]*>[^<]*</a>\s*was originally published in\s*"
    r"<a[^>]*href=\"([^\"]+)\"[^>]*>([^<]*)</a>",
    re.I,
)
_SOURCE_USER = re.compile(r"^rss-([0-9a-f]{6,16})-{6}\d+$")
_SOURCE_COLLECTION = re.compile(r"^rss-{4}([0-9a-f]{6,16})-{3}\d+$")
_CONTINUE = re.compile(r"Continue reading on([^<»]*)»")
_TAG_BAD = re.compile(r"[^\w]+|_+")
_MAX_ITEMS = 500
_PUBLICATION_FEEDS = (urls.UrlKind.FEED_PUBLICATION, urls.UrlKind.FEED_PUBLICATION_TAGGED)
_LEADING_BLOCK = re.compile(r"^\s*<(\w+)")


@dataclass(frozen=True, slots=True)
class _Channel:
    kind: urls.UrlKind | None
    username: str | None
    publication: str | None
    tag: str | None
    custom_domain: str | None
    ambiguous: str | None  # x of x.medium.com/feed: a user or a publication


def parse_feed(text: str, url: str | None = None) -> PageResult:
    result = PageResult(kind=PageKind.FEED, url=url)
    root = _xml_root(text, result.warnings)
    if root is None:
        result.warnings.append("feed unreadable: no RSS or Atom root element")
        return result
    if etree.QName(root).localname == "feed":
        _parse_atom(root, result)
        return result
    channel = root.find("channel")
    if channel is None:
        channel = root
    _parse_rss(channel, url, result)
    return result


def _xml_root(text: str, warnings: list[str]) -> Any:
    start = text.find("<")
    if start < 0:
        return None
    body = text[start:].encode("utf-8", "replace")
    parser = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False
    )
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    if parser.error_log and len(parser.error_log):
        warnings.append(f"feed XML is malformed ({len(parser.error_log)} error(s)); read what survived")
    return root


def _text(el: Any, path: str) -> str | None:
    if el is None:
        return None
    found = el.find(path, _NS)
    if found is None:
        return None
    return norm.as_str("".join(found.itertext()))


def _parse_rss(channel: Any, url: str | None, result: PageResult) -> None:
    title = _text(channel, "title")
    self_link = None
    for link in channel.findall("atom:link", _NS):
        if (link.get("rel") or "").lower() == "self":
            self_link = norm.as_str(link.get("href"))
    if self_link is None:
        self_link = url
    info = _channel(self_link, title)
    if self_link is None:
        result.warnings.append("feed has no self link: cannot tell whose feed it is")
    result.url = urls.canonicalize(self_link) if self_link else url
    raw_items = channel.findall("item")
    if len(raw_items) > _MAX_ITEMS:
        result.warnings.append(f"feed has {len(raw_items)} items; read the first {_MAX_ITEMS}")
        raw_items = raw_items[:_MAX_ITEMS]
    feed_tagged = any(item.find("category") is not None for item in raw_items)
    source_ids: list[tuple[str, str]] = []
    pubs: dict[str, PublicationRecord] = {}
    authors: dict[str, AuthorRecord] = {}
    snippet_only = 0
    for item in raw_items:
        post, source, footer_pub = _item(item, info, feed_tagged, result.warnings)
        if post is None:
            continue
        if source:
            source_ids.append(source)
        if post.links is None:
            snippet_only += 1
        if footer_pub is not None and footer_pub.slug is not None:
            pubs.setdefault(footer_pub.slug, footer_pub)
        if post.author and post.author not in authors and info.kind is not urls.UrlKind.FEED_USER:
            authors[post.author] = AuthorRecord(username=post.author, name=post.author_name)
        result.posts.append(post)
    if snippet_only:
        result.warnings.append(f"{snippet_only} item(s) carry a snippet only: their body links are unknown")
    if not raw_items:
        result.warnings.append("feed has no items")
    _channel_records(info, title, source_ids, result, authors, pubs)


def _channel(self_link: str | None, title: str | None) -> _Channel:
    if not self_link:
        return _Channel(None, None, None, None, None, None)
    info = _classify(self_link)
    if info is None:
        return _Channel(None, None, None, None, None, None)
    host = (urlsplit(info.url).hostname or "").lower()
    kind = info.kind
    if kind is urls.UrlKind.EXTERNAL:
        if not host or not info.url.startswith(("https://", "http://")):
            return _Channel(None, None, None, None, None, None)
        # <custom-domain>/feed: only publications have custom domains that serve a feed.
        return _Channel(urls.UrlKind.FEED_PUBLICATION, None, None, None, host, None)
    if kind is urls.UrlKind.FEED_SUBDOMAIN:
        sub = info.ambiguous_subdomain
        if title and title.startswith("Stories by "):
            return _Channel(urls.UrlKind.FEED_USER, sub, None, None, None, None)
        if title and title.endswith(" - Medium"):
            return _Channel(urls.UrlKind.FEED_PUBLICATION, None, sub, None, None, None)
        return _Channel(kind, None, None, None, None, sub)
    return _Channel(kind, info.username, info.publication, info.tag, None, None)


def _item(
    item: Any, info: _Channel, feed_tagged: bool, warnings: list[str]
) -> tuple[PostRecord | None, tuple[str, str] | None, PublicationRecord | None]:
    title = _text(item, "title")
    link = _text(item, "link")
    guid = _text(item, "guid")
    pid = _post_id(guid) if guid else None
    pid = pid or (_post_id(link) if link else None)
    if pid is None:
        warnings.append(f"feed item without a post id skipped: {title or link or '(untitled)'}")
        return None, None, None
    tags = tuple(dict.fromkeys(t for t in (_tag_slug(c.text) for c in item.findall("category")) if t))
    creator = _text(item, "dc:creator")
    published = _rfc822(_text(item, "pubDate"))
    updated = _iso_text(_text(item, "atom:updated"))
    link_info = _classify(link) if link else None
    source = _source_param(link)
    author, publication = _owner(info, link_info, creator)
    content = _text(item, "content:encoded")
    description = _text(item, "description")
    links: tuple[LinkRecord, ...] | None = None
    footer_pub: PublicationRecord | None = None
    if content is not None:
        links, footer_pub = _body(content)
        if footer_pub is not None and publication is None and footer_pub.slug:
            publication = footer_pub.slug
    elif description is not None and publication is not None:
        # Snippet feeds end with "Continue reading on <Publication> »" ("Medium" when there is none).
        m = _CONTINUE.search(description)
        name = norm.as_str(m.group(1)) if m else None
        if name and name != "Medium":
            footer_pub = PublicationRecord(slug=publication, name=name)
    verdict = _response_verdict(title, tags, link_info, content, description, feed_tagged)
    if published is None:
        warnings.append(f"feed item {pid} has no readable pubDate")
    post = PostRecord(
        id=pid,
        title=title,
        url=_http(link_info),
        author=author,
        author_name=creator,
        publication=publication,
        tags=tags,
        published_at=published,
        updated_at=updated,
        links=links,
        is_response=verdict,
        author_id=source[1] if source and source[0] == "user" else None,
        publication_id=source[1] if source and source[0] == "collection" else None,
    )
    return post, source, footer_pub


def _owner(
    info: _Channel, link_info: urls.UrlInfo | None, creator: str | None
) -> tuple[str | None, str | None]:
    """(author username, publication slug) of an item, from the feed and the item link."""
    author = info.username if info.kind is urls.UrlKind.FEED_USER else None
    publication = info.publication if info.kind in _PUBLICATION_FEEDS else None
    if link_info is None:
        return author, publication
    sub = link_info.ambiguous_subdomain
    if author is None and link_info.username and not sub:
        author = link_info.username  # medium.com/@user/...
    if sub:
        if author is not None and sub == author:
            pass  # the feed owner's own subdomain
        elif creator and _squash(creator) == sub:
            author = author or sub  # "CryptoTaxAudit" at cryptotaxaudit.medium.com
        elif info.kind is urls.UrlKind.FEED_USER and publication is None:
            publication = sub  # a user's post in a publication's subdomain
    elif publication is None and link_info.publication:
        publication = link_info.publication
    return author, publication


def _classify(url: str) -> urls.UrlInfo | None:
    """`urls.classify`, but a URL that cannot be split (a damaged IPv6 bracket...) is unknown."""
    try:
        return urls.classify(url)
    except ValueError:
        return None


def _post_id(url: str) -> str | None:
    info = _classify(url)
    return info.post_id if info else None


def _http(info: urls.UrlInfo | None) -> str | None:
    """The canonical URL when it is a real absolute http(s) URL (a damaged link is unknown)."""
    if info is None or not info.url.startswith(("https://", "http://")):
        return None
    try:
        return info.url if urlsplit(info.url).hostname else None
    except ValueError:
        return None


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _body(content: str) -> tuple[tuple[LinkRecord, ...], PublicationRecord | None]:
    footer_pub = None
    m = _FOOTER.search(content)
    if m:
        pub_url = m.group(2)
        pub_info = _classify(pub_url)
        if pub_info is not None:
            slug = pub_info.publication if pub_info.is_medium else None
            domain = None if pub_info.is_medium else (urlsplit(pub_info.url).hostname or None)
            footer_pub = PublicationRecord(slug=slug, name=norm.as_str(m.group(3)), domain=domain)
    pixel = _STAT_PIXEL.search(content)
    body = content[: pixel.start()] if pixel else content
    if m and (pixel is None or m.start() < pixel.start()):
        cut = body.rfind("<hr", 0, m.start())
        body = body[: cut if cut >= 0 else m.start()]
    links: list[LinkRecord] = []
    try:
        tree = LexborHTMLParser(body)
        for a in tree.css("a"):
            href = norm.as_str(a.attributes.get("href"))
            if href is None or "medium.com/_/stat" in href:
                continue
            anchor = " ".join((a.text(deep=True) or "").split())
            links.append(LinkRecord(url=href, rel=a.attributes.get("rel"), anchor=anchor))
    except Exception:  # noqa: BLE001 - an unreadable body leaves links unknown, not fatal
        return (), footer_pub
    return tuple(links), footer_pub


def _response_verdict(
    title: str | None,
    tags: tuple[str, ...],
    link_info: urls.UrlInfo | None,
    content: str | None,
    description: str | None,
    feed_tagged: bool,
) -> bool | None:
    if tags:
        return False
    if link_info is not None and link_info.kind is urls.UrlKind.RESPONSE:
        return True
    if content is not None:
        first = _LEADING_BLOCK.match(content)
        if first and first.group(1).lower() in ("h1", "h2", "h3", "h4", "figure", "iframe", "img", "pre"):
            return False
        text = _plain(content)
        if re.search(r"<(?:h[1-4]|figure|iframe)\b", content, re.I) or len(text) > 3000:
            return False
        head = _words(title or "")
        if head and _words(text).startswith(head[:60]):
            return True
        return None
    if feed_tagged:
        return True
    desc = description or ""
    has_snippet = "medium-feed-snippet" in desc
    has_image = "medium-feed-image" in desc
    if not has_snippet and not has_image and title and title.rstrip().endswith((".", "!", "…")):
        return True
    return None


def _plain(html: str) -> str:
    pixel = _STAT_PIXEL.search(html)
    html = html[: pixel.start()] if pixel else html
    return " ".join(re.sub(r"<[^>]*>", " ", html).split())


def _words(s: str) -> str:
    s = s.replace("…", " ").replace("...", " ")
    return " ".join(re.sub(r"[^\w]+", " ", s.lower()).split())


def _tag_slug(value: Any) -> str | None:
    s = norm.as_str(value)
    if s is None:
        return None
    out = _TAG_BAD.sub("-", s.lower()).strip("-")
    return out or None


def _rfc822(value: str | None) -> str | None:
    if not value:
        return None
    try:
        dt = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return _iso_text(value)
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        return norm.iso_utc(dt)
    except (OverflowError, ValueError):
        return None


def _iso_text(value: str | None) -> str | None:
    iso = norm.iso_from_text(value)
    return iso if iso and iso[:4].isdigit() and 1990 <= int(iso[:4]) <= 2200 else None


def _source_param(link: str | None) -> tuple[str, str] | None:
    """("user", id) or ("collection", id) from the `?source=rss...` suffix of an item link."""
    if not link:
        return None
    try:
        values = parse_qs(urlsplit(link).query).get("source") or []
    except ValueError:
        return None
    for v in values:
        m = _SOURCE_USER.match(v)
        if m:
            return ("user", m.group(1))
        m = _SOURCE_COLLECTION.match(v)
        if m:
            return ("collection", m.group(1))
    return None


def _channel_records(
    info: _Channel,
    title: str | None,
    sources: list[tuple[str, str]],
    result: PageResult,
    authors: dict[str, AuthorRecord],
    pubs: dict[str, PublicationRecord],
) -> None:
    user_ids = {v for k, v in sources if k == "user"}
    coll_ids = {v for k, v in sources if k == "collection"}
    if info.kind is urls.UrlKind.FEED_USER:
        name = None
        if title and title.startswith("Stories by ") and title.endswith(" on Medium"):
            name = norm.as_str(title[len("Stories by ") : -len(" on Medium")])
        result.authors.append(
            AuthorRecord(
                username=info.username, id=next(iter(user_ids)) if len(user_ids) == 1 else None, name=name
            )
        )
    elif info.kind in _PUBLICATION_FEEDS:
        name = title[: -len(" - Medium")] if title and title.endswith(" - Medium") else None
        slug = info.publication
        if slug is None and info.custom_domain:
            for pub in pubs.values():
                if pub.domain == info.custom_domain:
                    slug = pub.slug
            result.warnings.append(
                f"publication feed on its custom domain {info.custom_domain}: its Medium slug is not in the feed"
            )
        result.publications.append(
            PublicationRecord(
                slug=slug,
                id=next(iter(coll_ids)) if len(coll_ids) == 1 else None,
                name=norm.as_str(name),
                domain=info.custom_domain,
            )
        )
        pubs.pop(slug or "", None)
    elif info.ambiguous:
        result.warnings.append(f"feed of {info.ambiguous}.medium.com: cannot tell a user from a publication")
    result.authors.extend(authors.values())
    result.publications.extend(p for p in pubs.values() if p.domain is None or p.slug)


def _parse_atom(root: Any, result: PageResult) -> None:
    """Atom is not Medium's format; read ids, titles, links and dates so nothing is silently lost."""
    for entry in root.findall(f"{_ATOM}entry")[:_MAX_ITEMS]:
        link_el = entry.find(f"{_ATOM}link")
        link = norm.as_str(link_el.get("href")) if link_el is not None else None
        ident = _text(entry, "atom:id")
        pid = (_post_id(ident) if ident else None) or (_post_id(link) if link else None)
        if pid is None:
            continue
        info = _classify(link) if link else None
        result.posts.append(
            PostRecord(
                id=pid,
                title=_text(entry, "atom:title"),
                url=_http(info),
                author=info.username if info else None,
                author_name=_text(entry, "atom:author/atom:name"),
                tags=tuple(
                    t for t in (_tag_slug(c.get("term")) for c in entry.findall(f"{_ATOM}category")) if t
                ),
                published_at=_iso_text(_text(entry, "atom:published") or _text(entry, "atom:updated")),
            )
        )
    if not result.posts:
        result.warnings.append("Atom feed without Medium posts")
