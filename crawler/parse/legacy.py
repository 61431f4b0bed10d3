"""Legacy Medium data (2015–2021): `window["obvInit"]({...})`, `var GLOBALS = {...}` and `?format=json`.

All three carry the same payload: `{"value": <the page's main object>, "references": {"Post": {id: ..},
"User": {..}, "Collection": {..}, "Social": {..}, "SocialStats": {..}}, ...}`. In 2015 pages the payload
sits in `GLOBALS.embedded`; later in the obvInit call; `?format=json` wraps it as `{"payload": ...}`.

Public entry points (the `?format=json` reader in `legacy_json.py` calls `parse_references`, so the
legacy references are read in exactly one place):

    parse_references(payload: dict, page_url: str | None = None) -> LegacyData
    extract_payload(html_text: str) -> tuple[dict | None, list[str]]   # from an HTML page

Counts: `virtuals.totalClapCount` (claps, from 2017-08) else `virtuals.recommends` (the pre-claps
equivalent), `virtuals.responsesCreatedCount`, `SocialStats.usersFollowedByCount` (followers),
`Collection.metadata.followerCount`. Timestamps are epoch ms; they become ISO 8601 UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from linkscout.core.records import AuthorRecord, PostRecord, PublicationRecord
from linkscout.crawler.parse import norm
from linkscout.crawler.parse.bodymodel import body_links
from linkscout.crawler.parse.embedded import EmbeddedError, find_object

_OBV = re.compile(r"""window\[\s*["']obvInit["']\s*\]\s*\(\s*(?=\{)""")
_GLOBALS = re.compile(r"\bvar\s+GLOBALS\s*=\s*(?=\{)")


@dataclass(slots=True)
class LegacyData:
    posts: list[PostRecord] = field(default_factory=list)
    authors: list[AuthorRecord] = field(default_factory=list)
    publications: list[PublicationRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    main_post_id: str | None = None  # the post `value` is about (article pages, post payloads)
    page_user: str | None = None  # username when the payload is a profile
    page_collection: str | None = None  # slug when the payload is a publication
    tag: str | None = None  # tag slug on tag pages
    build_label: str | None = None


def extract_payload(text: str) -> tuple[dict[str, Any] | None, list[str]]:
    """The obvInit payload of an HTML page (or GLOBALS.embedded on 2015 pages), plus warnings."""
    warnings: list[str] = []
    payload: dict[str, Any] | None = None
    try:
        # "obvInit" is in every match: looked for first, the regex scan is skipped on other pages.
        # `rfind` answers "is it anywhere" like `in`, at about half the cost on a long page: CPython
        # searches backwards with its skip table but forwards with the two-way algorithm, which is
        # slower for short needles (0.5 ns a character here, a pass over a 500 KB page).
        obj = find_object(text, _OBV) if text.rfind("obvInit") >= 0 else None
        if isinstance(obj, dict):
            payload = obj
    except EmbeddedError as exc:
        warnings.append(f"legacy obvInit state unreadable: {exc}")
    if payload is None and text.rfind("GLOBALS") >= 0:
        try:
            glob = find_object(text, _GLOBALS)
            embedded = norm.as_dict(glob).get("embedded") if isinstance(glob, dict) else None
            if isinstance(embedded, dict):
                payload = embedded
        except EmbeddedError as exc:
            warnings.append(f"legacy GLOBALS unreadable: {exc}")
    return payload, warnings


def build_label(text: str) -> str | None:
    m = re.search(r'"buildLabel"\s*:\s*"([^"]{1,64})"', text)
    return m.group(1) if m else None


def parse_references(payload: dict[str, Any], page_url: str | None = None) -> LegacyData:
    """Posts, authors and publications of one legacy payload. Never raises."""
    out = LegacyData()
    try:
        _parse(payload, out)
    except Exception as exc:  # noqa: BLE001 - a parser never raises; the warning says what broke
        out.warnings.append(f"legacy payload partly unreadable: {type(exc).__name__}")
    return out


def _parse(payload: Any, out: LegacyData) -> None:
    payload = norm.as_dict(payload)
    if "payload" in payload and isinstance(payload["payload"], dict):
        payload = payload["payload"]
    refs = dict(norm.as_dict(payload.get("references")))  # copies: the caller's payload stays intact
    refs["Post"] = dict(norm.as_dict(refs.get("Post")))
    users = dict(norm.as_dict(refs.get("User")))
    collections = dict(norm.as_dict(refs.get("Collection")))
    stats = norm.as_dict(refs.get("SocialStats"))

    # Search results (2021) list their entities instead of keying them by id.
    for name, store, id_key in (
        ("posts", None, "id"),
        ("users", users, "userId"),
        ("collections", collections, "id"),
    ):
        for item in norm.as_list(payload.get(name)):
            if isinstance(item, dict) and norm.as_str(item.get(id_key)):
                if store is None:
                    refs["Post"].setdefault(item[id_key], item)
                else:
                    store.setdefault(item[id_key], item)
                creator = item.get("creator")
                if isinstance(creator, dict) and norm.as_str(creator.get("userId")):
                    users.setdefault(creator["userId"], creator)

    value = payload.get("value")
    posts_raw: dict[str, dict[str, Any]] = {}
    for pid, raw in norm.as_dict(refs.get("Post")).items():
        if isinstance(raw, dict):
            posts_raw[str(pid)] = raw
    if isinstance(value, dict) and _looks_like_post(value):
        vid = norm.as_str(value.get("id"))
        if vid:
            posts_raw[vid] = value  # the full post wins over a reference stub
            out.main_post_id = norm.post_id(vid)
            creator = value.get("creator")
            if isinstance(creator, dict) and norm.as_str(creator.get("userId")):
                users.setdefault(creator["userId"], creator)

    user_obj = payload.get("user")
    if isinstance(user_obj, dict) and norm.as_str(user_obj.get("userId")):
        users.setdefault(user_obj["userId"], user_obj)
        out.page_user = norm.username(user_obj.get("username"))
    coll_obj = payload.get("collection")
    if isinstance(coll_obj, dict) and norm.as_str(coll_obj.get("id")):
        collections.setdefault(coll_obj["id"], coll_obj)
        out.page_collection = norm.slug(coll_obj.get("slug")) or norm.slug(
            norm.as_dict(collections.get(coll_obj["id"])).get("slug")
        )
    tag_obj = payload.get("tag")
    if isinstance(tag_obj, dict):
        out.tag = norm.slug(tag_obj.get("slug"))

    for uid, raw in users.items():
        rec = _author(uid, raw, stats)
        if rec is not None:
            out.authors.append(rec)
    for cid, raw in collections.items():
        rec_c = _publication(cid, raw)
        if rec_c is not None:
            out.publications.append(rec_c)
    for pid, raw in posts_raw.items():
        rec_p = _post(pid, raw, users, collections, full=(pid == out.main_post_id))
        if rec_p is not None:
            out.posts.append(rec_p)


def _looks_like_post(value: dict[str, Any]) -> bool:
    return value.get("type") == "Post" or ("creatorId" in value and "title" in value)


def _author(uid: str, raw: Any, stats: dict[str, Any]) -> AuthorRecord | None:
    if not isinstance(raw, dict):
        return None
    name = norm.username(raw.get("username"))
    if name is None:
        return None
    social = norm.as_dict(raw.get("socialStats")) or norm.as_dict(stats.get(uid))
    return AuthorRecord(
        username=name,
        id=norm.as_str(raw.get("userId")) or norm.as_str(uid),
        name=norm.as_str(raw.get("name")),
        bio=norm.as_str(raw.get("bio")),
        followers=norm.as_int(social.get("usersFollowedByCount")),
        following=norm.as_int(social.get("usersFollowedCount")),
        twitter=norm.as_str(raw.get("twitterScreenName")),
    )


def _publication(cid: str, raw: Any) -> PublicationRecord | None:
    if not isinstance(raw, dict):
        return None
    slug = norm.slug(raw.get("slug"))
    if slug is None:
        return None
    meta = norm.as_dict(raw.get("metadata"))
    nav: list[tuple[str, str]] = []
    for item in norm.as_list(raw.get("navItems")):
        item = norm.as_dict(item)
        title, url = norm.as_str(item.get("title")), norm.as_str(item.get("url"))
        if title and url:
            nav.append((title, url))
    return PublicationRecord(
        slug=slug,
        id=norm.as_str(raw.get("id")) or norm.as_str(cid),
        name=norm.as_str(raw.get("name")),
        domain=norm.as_str(raw.get("domain")),
        description=norm.as_str(raw.get("description")) or norm.as_str(raw.get("shortDescription")),
        followers=norm.as_int(meta.get("followerCount")),
        nav_links=tuple(nav),
        submission_url=norm.submission_link(nav),
    )


def _post(
    pid: str, raw: dict[str, Any], users: dict[str, Any], collections: dict[str, Any], *, full: bool
) -> PostRecord | None:
    post_id = norm.post_id(raw.get("id")) or norm.post_id(pid)
    if post_id is None:
        return None
    virtuals = norm.as_dict(raw.get("virtuals"))
    content = norm.as_dict(raw.get("content"))
    creator = norm.as_dict(users.get(norm.as_str(raw.get("creatorId")) or ""))
    coll_id = norm.as_str(raw.get("homeCollectionId")) or norm.as_str(raw.get("approvedHomeCollectionId"))
    coll = norm.as_dict(collections.get(coll_id or ""))
    claps = norm.as_int(virtuals.get("totalClapCount"))
    recommends = norm.as_int(virtuals.get("recommends"))
    if recommends == 0 and "totalClapCount" not in virtuals and "responsesCreatedCount" not in virtuals:
        recommends = None  # 2015 embedded posts carry a placeholder 0; the count was loaded separately
    if claps is None or (recommends is not None and recommends > claps):
        claps = recommends  # before claps (2017-08) a recommend was the unit; totalClapCount stayed 0
    tags = tuple(
        t for t in (norm.slug(norm.as_dict(x).get("slug")) for x in norm.as_list(virtuals.get("tags"))) if t
    )
    parent = norm.post_id(raw.get("inResponseToPostId"))
    unique_slug = norm.as_str(raw.get("uniqueSlug"))
    url = norm.as_str(raw.get("mediumUrl")) or norm.as_str(raw.get("webCanonicalUrl"))
    author = norm.username(creator.get("username"))
    if url is None and unique_slug:
        coll_slug = norm.slug(coll.get("slug"))
        if coll_slug:
            url = f"https://medium.com/{coll_slug}/{unique_slug}"
        elif author:
            url = f"https://medium.com/@{author}/{unique_slug}"
    locked = norm.as_bool(raw.get("isSubscriptionLocked"))
    links = body_links(content) if full else None
    return PostRecord(
        id=post_id,
        title=norm.as_str(raw.get("title")),
        url=url,
        canonical_url=norm.as_str(raw.get("canonicalUrl")) or norm.as_str(raw.get("webCanonicalUrl")),
        author=author,
        author_name=norm.as_str(creator.get("name")),
        publication=norm.slug(coll.get("slug")),
        tags=tags,
        published_at=norm.iso_from_ms(raw.get("firstPublishedAt")),
        updated_at=norm.iso_from_ms(raw.get("latestPublishedAt")),
        claps=claps,
        voters=recommends,
        responses=norm.as_int(virtuals.get("responsesCreatedCount")),
        reading_time=norm.as_float(virtuals.get("readingTime")),
        locked=locked,
        links=links,
        links_partial=True if (links is not None and locked) else None,
        subtitle=norm.as_str(content.get("subtitle")) or norm.as_str(virtuals.get("subtitle")),
        in_response_to=parent,
        is_response=True if parent else None,
        author_id=norm.as_str(raw.get("creatorId")),
        publication_id=coll_id,
    )
