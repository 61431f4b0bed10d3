"""Responses of Medium's GraphQL API (`medium.com/_/graphql`): post, user and publication payloads.

A response is `{"data": {...}}` or, for batched queries, a list of them. Entities are read by
`__typename` wherever they sit (`data.post`, `data.user`, `data.collection`/`publication`, and the
posts nested in a user's or publication's connections), so a query of a new shape still yields
what it carries. `data.post: null` is Medium's answer for a deleted, private or unknown post: kind
graphql, no posts, a warning.

Post fields: `creator{username,name,bio,socialStats{followerCount}}`, `clapCount`, `voterCount`,
`postResponses{count}`, `tags[{normalizedTagSlug|id|displayTitle}]`, `collection`, `isLocked`,
`readingTime`, `firstPublishedAt` (epoch ms), `mediumUrl`, `canonicalUrl` ("" = Medium is
canonical), and body links from `content.bodyModel.paragraphs[].markups[]` of type A (raw `rel`;
Medium stores a missing rel as "", which becomes None).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from linkscout.core import urls
from linkscout.core.records import AuthorRecord, PageKind, PageResult, PostRecord, PublicationRecord
from linkscout.crawler.parse import norm
from linkscout.crawler.parse.bodymodel import body_links

_MAX_RESPONSES = 50
_MAX_DEPTH = 12
_MAX_NODES = 20000
_TAG_BAD = re.compile(r"[^\w]+|_+")
_NULL_ROOTS = {
    "post": "post",
    "postResult": "post",
    "user": "user",
    "userResult": "user",
    "collection": "publication",
    "publication": "publication",
}


def parse_graphql(obj: Any, url: str | None = None) -> PageResult:
    result = PageResult(kind=PageKind.GRAPHQL, url=url)
    responses = obj if isinstance(obj, list) else [obj]
    if len(responses) > _MAX_RESPONSES:
        result.warnings.append(f"{len(responses)} batched responses; read the first {_MAX_RESPONSES}")
    reader = _Reader(result)
    for resp in responses[:_MAX_RESPONSES]:
        if not isinstance(resp, dict):
            result.warnings.append("GraphQL response is not an object")
            continue
        for err in norm.as_list(resp.get("errors"))[:3]:
            msg = norm.as_str(norm.as_dict(err).get("message")) or "unknown error"
            result.warnings.append(f"GraphQL error: {msg[:200]}")
        data = resp.get("data")
        if not isinstance(data, dict):
            result.warnings.append("GraphQL response has no data object")
            continue
        for key, value in data.items():
            if value is None and key in _NULL_ROOTS:
                what = _NULL_ROOTS[key]
                result.warnings.append(
                    f"data.{key} is null: the {what} does not exist, was deleted or is not visible"
                )
            elif isinstance(value, dict | list):
                reader.walk(value, 0, root_key=key)
    if not (result.posts or result.authors or result.publications) and not result.warnings:
        result.warnings.append("GraphQL response carries no post, user or publication")
    return result


class _Reader:
    def __init__(self, result: PageResult) -> None:
        self.result = result
        self.nodes = 0
        self.post_ids: set[str] = set()
        self.author_keys: set[str] = set()
        self.pub_keys: set[str] = set()

    def walk(self, value: Any, depth: int, root_key: str | None = None) -> None:
        if depth > _MAX_DEPTH or self.nodes > _MAX_NODES:
            return
        self.nodes += 1
        if isinstance(value, list):
            for item in value:
                self.walk(item, depth + 1)
            return
        if not isinstance(value, dict):
            return
        typename = value.get("__typename")
        if typename == "Post" or (root_key in ("post", "postResult") and typename is None):
            self.post(value, main=root_key in ("post", "postResult"))
        elif typename == "User" or (root_key in ("user", "userResult") and typename is None):
            self.author(value)
        elif typename in ("Collection", "Publication") or (
            root_key in ("collection", "publication") and typename is None
        ):
            self.publication(value)
        for key, child in value.items():
            if key in ("creator", "collection", "content", "tags", "inResponseToPostResult"):
                continue  # read with their post
            if isinstance(child, dict | list):
                self.walk(child, depth + 1)

    def author(self, raw: dict[str, Any]) -> AuthorRecord | None:
        username = norm.username(raw.get("username"))
        uid = norm.as_str(raw.get("id"))
        if username is None and uid is None:
            return None
        social = norm.as_dict(raw.get("socialStats"))
        rec = AuthorRecord(
            username=username,
            id=uid,
            name=norm.as_str(raw.get("name")),
            bio=norm.as_str(raw.get("bio")),
            followers=norm.as_int(social.get("followerCount")),
            following=norm.as_int(social.get("followingCount")),
            twitter=norm.as_str(raw.get("twitterScreenName")),
        )
        key = username or uid or ""
        if key not in self.author_keys:
            self.author_keys.add(key)
            self.result.authors.append(rec)
        return rec

    def publication(self, raw: dict[str, Any]) -> PublicationRecord | None:
        slug = norm.slug(raw.get("slug"))
        cid = norm.as_str(raw.get("id"))
        if slug is None and cid is None:
            return None
        nav: list[tuple[str, str]] = []
        for item in norm.as_list(raw.get("navItems")) + norm.as_list(raw.get("navigationItems")):
            item = norm.as_dict(item)
            title, link = norm.as_str(item.get("title")), norm.as_str(item.get("url") or item.get("href"))
            if title and link:
                nav.append((title, link))
        followers = norm.as_int(raw.get("subscriberCount"))
        if followers is None:
            followers = norm.as_int(norm.as_dict(raw.get("followGraph")).get("followerCount"))
        if followers is None:
            followers = norm.as_int(raw.get("followerCount"))
        rec = PublicationRecord(
            slug=slug,
            id=cid,
            name=norm.as_str(raw.get("name")),
            domain=norm.as_str(raw.get("domain")) or norm.as_str(raw.get("customDomain")),
            description=norm.as_str(raw.get("description")),
            followers=followers,
            nav_links=tuple(nav),
            submission_url=norm.submission_link(nav),
        )
        key = slug or cid or ""
        if key not in self.pub_keys:
            self.pub_keys.add(key)
            self.result.publications.append(rec)
        return rec

    def post(self, raw: dict[str, Any], *, main: bool) -> None:
        pid = norm.post_id(raw.get("id"))
        if pid is None:
            if main:
                self.result.warnings.append("data.post has no valid post id")
            return
        if pid in self.post_ids:
            return
        self.post_ids.add(pid)
        creator_raw = raw.get("creator")
        creator = self.author(creator_raw) if isinstance(creator_raw, dict) else None
        coll_raw = raw.get("collection")
        coll = self.publication(coll_raw) if isinstance(coll_raw, dict) else None
        links = body_links(raw.get("content"))
        locked = norm.as_bool(raw.get("isLocked"))
        parent = norm.as_dict(raw.get("inResponseToPostResult"))
        parent_id = norm.post_id(parent.get("id")) if parent.get("__typename", "Post") == "Post" else None
        tags = tuple(dict.fromkeys(t for t in (_tag(x) for x in norm.as_list(raw.get("tags"))) if t))
        url = norm.as_str(raw.get("mediumUrl"))
        responses = norm.as_dict(raw.get("postResponses"))
        post = PostRecord(
            id=pid,
            title=norm.as_str(raw.get("title")),
            url=_http(url),
            canonical_url=norm.as_str(raw.get("canonicalUrl")),
            author=creator.username if creator else None,
            author_name=creator.name if creator else None,
            publication=coll.slug if coll else None,
            tags=tags,
            published_at=norm.iso_from_ms(raw.get("firstPublishedAt")),
            updated_at=norm.iso_from_ms(raw.get("latestPublishedAt"))
            or norm.iso_from_ms(raw.get("updatedAt")),
            claps=norm.as_int(raw.get("clapCount")),
            voters=norm.as_int(raw.get("voterCount")),
            responses=norm.as_int(responses.get("count")),
            reading_time=norm.as_float(raw.get("readingTime")),
            locked=locked,
            links=links,
            links_partial=True if (links is not None and locked) else None,
            subtitle=norm.as_str(norm.as_dict(raw.get("previewContent")).get("subtitle")),
            in_response_to=parent_id,
            is_response=True if parent_id else None,
            author_id=creator.id if creator else None,
            publication_id=coll.id if coll else None,
        )
        self.result.posts.append(post)
        if main:
            self._missing(post, raw)

    def _missing(self, post: PostRecord, raw: dict[str, Any]) -> None:
        w = self.result.warnings
        for label, present in (
            ("title", post.title is not None),
            ("creator", post.author is not None),
            ("clapCount", post.claps is not None),
            ("postResponses.count", post.responses is not None),
            ("firstPublishedAt", post.published_at is not None),
        ):
            if not present:
                w.append(f"post {post.id}: no {label}")
        if post.links is None:
            w.append(f"post {post.id}: no content.bodyModel, body links unknown")
        elif post.locked:
            w.append(f"post {post.id} is member-only: body links may be partial")


def _http(url: str | None) -> str | None:
    if url is None:
        return None
    try:
        canon = urls.canonicalize(url)
        return canon if canon.startswith(("https://", "http://")) and urlsplit(canon).hostname else None
    except ValueError:
        return None


def _tag(raw: Any) -> str | None:
    if isinstance(raw, str):
        value: Any = raw
    else:
        d = norm.as_dict(raw)
        value = d.get("normalizedTagSlug") or d.get("id") or d.get("slug") or d.get("displayTitle")
    s = norm.as_str(value)
    if s is None:
        return None
    return _TAG_BAD.sub("-", s.lower()).strip("-") or None
