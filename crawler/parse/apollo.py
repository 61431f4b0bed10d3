"""Apollo-era Medium state (2019-10 → today): `window.__APOLLO_STATE__ = {...}`.

The state is a normalised cache: `"Post:<id>"`, `"User:<id>"`, `"Collection:<id>"`, `"Tag:<slug>"`
entities linking to one another with `{"__ref": "User:abc"}` (2020+) or
`{"type": "id", "id": "User:abc", "generated": false}` (2019). Entities are found by `__typename`
or key prefix, never by fixed paths; `Collection` and `Publication` are one thing. Refs are resolved
one level at a time (never recursively), so cycles and dangling refs are harmless.

    extract_state(text) -> tuple[dict | None, list[str]]
    parse_state(state: dict) -> ApolloData
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

from linkscout.core.records import AuthorRecord, PostRecord, PublicationRecord
from linkscout.crawler.parse import norm
from linkscout.crawler.parse.embedded import EmbeddedError, find_object

_MARKER = re.compile(r"window\.__APOLLO_STATE__\s*=\s*(?=\{)")
_PUB_TYPES = {"Collection", "Publication"}
_ARG = re.compile(r'"(\w+)"\s*:\s*"([^"]*)"')


@dataclass(slots=True)
class ApolloData:
    posts: list[PostRecord] = field(default_factory=list)
    authors: list[AuthorRecord] = field(default_factory=list)
    publications: list[PublicationRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    main_post_id: str | None = None  # ROOT_QUERY postResult({"id": ...}) on article pages
    page_user: str | None = None  # ROOT_QUERY user({"username": ...}) / userResult on profiles
    page_collection: str | None = None  # slug of collection({...}) / collectionByDomainOrSlug
    tag: str | None = None  # tagFromSlug({"tagSlug": ...})
    topic: str | None = None  # topic({"slug": ...}) (2019 topic pages)
    root_fields: tuple[str, ...] = ()


def extract_state(text: str) -> tuple[dict[str, Any] | None, list[str]]:
    at = text.find("__APOLLO_STATE__")
    if at < 0:
        return None, []
    try:
        # A match starts with "window." right before the first "__APOLLO_STATE__" or later.
        state = find_object(text, _MARKER, max(0, at - len("window.")))
    except EmbeddedError as exc:
        return None, [f"__APOLLO_STATE__ unreadable: {exc}"]
    if not isinstance(state, dict):
        return None, ["__APOLLO_STATE__ is not an object"]
    return state, []


def parse_state(state: dict[str, Any]) -> ApolloData:
    """Records from one Apollo cache. Never raises; what breaks becomes a warning."""
    out = ApolloData()
    try:
        _Reader(state, out).run()
    except Exception as exc:  # noqa: BLE001 - the parser never raises
        out.warnings.append(f"__APOLLO_STATE__ partly unreadable: {type(exc).__name__}")
    return out


def field_value(entity: dict[str, Any], name: str) -> Any:
    """`entity[name]`, or the first `name({...args})` variant Apollo stored."""
    if name in entity:
        return entity[name]
    prefix = name + "("
    for key, value in entity.items():
        if isinstance(key, str) and key.startswith(prefix):
            return value
    return None


def _variants(entity: dict[str, Any], names: tuple[str, ...]) -> list[Any]:
    """`field_value(entity, name)` for each name: `name` itself, else its first `name({...args})`
    variant. The keys with arguments are collected once, and only when a name is not there as is."""
    out: list[Any] = []
    with_args: list[str] | None = None
    for name in names:
        if name in entity:
            out.append(entity[name])
            continue
        if with_args is None:
            with_args = _keys_with_args(entity)
        if not with_args:
            out.append(None)
            continue
        prefix = name + "("
        out.append(next((entity[k] for k in with_args if k.startswith(prefix)), None))
    return out


def _keys_with_args(entity: dict[str, Any]) -> list[str]:
    try:
        if "(" not in "".join(entity):  # one C pass over the keys instead of a Python loop
            return []
    except TypeError:
        pass  # a key that is not a string: the loop below skips it
    return [k for k in entity if isinstance(k, str) and "(" in k]


_POST_VARIANTS = ("extendedPreviewContent", "previewContent", "inResponseToPostResult", "inResponseToPost")
# Which list each entity goes to: users, publications, posts. (An unhashable `__typename` raises
# TypeError here, as the set lookups it replaces did: the state is then reported partly unreadable.)
_BUCKET: dict[object, int] = {"User": 0, "Collection": 1, "Publication": 1, "Post": 2}


class _Reader:
    def __init__(self, state: dict[str, Any], out: ApolloData) -> None:
        self.state = state
        self.out = out
        # Per page: what one `{"__ref": key}` resolves to, read once however many posts name it
        # (a tag page's 200 cards share a handful of authors, publications and tags).
        self._people: dict[str, tuple[str | None, str | None, str | None]] = {}
        self._colls: dict[str, tuple[str | None, str | None]] = {}
        self._tag_refs: dict[str, str | None] = {}

    def deref(self, value: Any) -> dict[str, Any]:
        """One level of ref resolution; a non-ref dict is returned as is, anything else as {}."""
        if not isinstance(value, dict):
            return {}
        ref = value.get("__ref")
        if ref is None and value.get("type") == "id":
            ref = value.get("id")
        if ref is not None:
            target = self.state.get(ref) if isinstance(ref, str) else None
            return target if isinstance(target, dict) else {}
        return value

    def entities(self) -> tuple[list[tuple[str, dict[str, Any]]], ...]:
        """Users, publications and posts, each in state order, in one pass over the state."""
        found: tuple[list[tuple[str, dict[str, Any]]], ...] = ([], [], [])
        for key, ent in self.state.items():
            if not isinstance(ent, dict) or not isinstance(key, str):
                continue
            tname = ent.get("__typename")
            if tname is None and ":" in key:
                tname = key.split(":", 1)[0]
            bucket = _BUCKET.get(tname)
            if bucket is not None:
                found[bucket].append((key, ent))
        return found

    def run(self) -> None:
        self.read_root()
        users, pubs, posts = self.entities()
        for key, ent in users:
            rec = self.author(key, ent)
            if rec is not None:
                self.out.authors.append(rec)
        for key, ent in pubs:
            pub = self.publication(key, ent)
            if pub is not None:
                self.out.publications.append(pub)
        for key, ent in posts:
            post = self.post(key, ent)
            if post is not None:
                self.out.posts.append(post)

    def read_root(self) -> None:
        root = self.state.get("ROOT_QUERY")
        if not isinstance(root, dict):
            return
        self.out.root_fields = tuple(k for k in root if isinstance(k, str))
        for key, value in root.items():
            if not isinstance(key, str):
                continue
            name = key.split("(", 1)[0]
            args = dict(_ARG.findall(key))
            target = self.deref(value)
            if name in ("postResult", "post") and self.out.main_post_id is None:
                self.out.main_post_id = norm.post_id(target.get("id")) or norm.post_id(args.get("id"))
            elif name in ("user", "userResult") and self.out.page_user is None:
                self.out.page_user = norm.username(target.get("username")) or norm.username(
                    args.get("username")
                )
            elif name in ("collection", "collectionByDomainOrSlug") and self.out.page_collection is None:
                slug = norm.slug(target.get("slug"))
                if slug and not (
                    name == "collectionByDomainOrSlug" and args.get("domainOrSlug") == "medium.com"
                ):
                    self.out.page_collection = slug
            elif name in ("tagFromSlug", "tag") and self.out.tag is None:
                self.out.tag = norm.slug(args.get("tagSlug") or args.get("slug")) or norm.slug(
                    target.get("id")
                )
            elif name == "topic" and self.out.topic is None:
                self.out.topic = norm.slug(args.get("slug"))

    def author(self, key: str, ent: dict[str, Any]) -> AuthorRecord | None:
        username = norm.username(ent.get("username"))
        if username is None:
            return None  # a bare `{"id", "__typename"}` stub says nothing
        stats = self.deref(ent.get("socialStats"))
        return AuthorRecord(
            username=username,
            id=norm.as_str(ent.get("id")) or _key_id(key),
            name=norm.as_str(ent.get("name")),
            bio=norm.as_str(ent.get("bio")),
            followers=norm.as_int(stats.get("followerCount")),
            following=norm.as_int(stats.get("followingCount")),
            twitter=norm.as_str(ent.get("twitterScreenName")),
        )

    def publication(self, key: str, ent: dict[str, Any]) -> PublicationRecord | None:
        slug = norm.slug(ent.get("slug"))
        if slug is None:
            return None
        followers = norm.as_int(ent.get("subscriberCount"))
        if followers is None:
            followers = norm.as_int(self.deref(ent.get("followGraph")).get("followerCount"))
        if followers is None:
            followers = norm.as_int(ent.get("followerCount"))
        domain = norm.as_str(ent.get("domain")) or norm.as_str(ent.get("customDomain"))
        if domain is None:
            live = self.deref(self.deref(ent.get("customDomainState")).get("live"))
            domain = norm.as_str(live.get("domain"))
        nav = self.nav_items(ent)
        return PublicationRecord(
            slug=slug,
            id=norm.as_str(ent.get("id")) or _key_id(key),
            name=norm.as_str(ent.get("name")),
            domain=domain.lower() if domain else None,
            description=norm.as_str(ent.get("description")) or norm.as_str(ent.get("shortDescription")),
            followers=followers,
            nav_links=nav,
            submission_url=norm.submission_link(nav),
        )

    def nav_items(self, ent: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        items: list[tuple[str, str]] = []
        for name in ("navItems", "navigationItems"):
            for raw in norm.as_list(field_value(ent, name)):
                item = self.deref(raw)
                title = norm.as_str(item.get("title")) or norm.as_str(item.get("name"))
                url = norm.as_str(item.get("url")) or norm.as_str(item.get("href"))
                if title and url and (title, url) not in items:
                    items.append((title, url))
        return tuple(items)

    def creator(self, value: Any) -> tuple[str | None, str | None, str | None]:
        """(username, name, user id) of a post's `creator`."""
        ref = value.get("__ref") if isinstance(value, dict) else None
        if isinstance(ref, str) and ref:
            hit = self._people.get(ref)
            if hit is None:
                hit = self._people[ref] = self._creator(value)
            return hit
        return self._creator(value)

    def _creator(self, value: Any) -> tuple[str | None, str | None, str | None]:
        creator = self.deref(value)
        return (
            norm.username(creator.get("username")),
            norm.as_str(creator.get("name")),
            norm.as_str(creator.get("id")) or _ref_id(value),
        )

    def collection(self, value: Any) -> tuple[str | None, str | None]:
        """(slug, collection id) of a post's `collection`."""
        ref = value.get("__ref") if isinstance(value, dict) else None
        if isinstance(ref, str) and ref:
            hit = self._colls.get(ref)
            if hit is None:
                hit = self._colls[ref] = self._collection(value)
            return hit
        return self._collection(value)

    def _collection(self, value: Any) -> tuple[str | None, str | None]:
        coll = self.deref(value)
        return norm.slug(coll.get("slug")), norm.as_str(coll.get("id")) or _ref_id(value)

    def post(self, key: str, ent: dict[str, Any]) -> PostRecord | None:
        # Every card of a listing goes through here: the common JSON types are read inline (`_int`,
        # `_str`, `_float` below give what `norm.as_*` gives), the general functions take the rest.
        get = ent.get
        pid = norm.post_id(get("id")) or norm.post_id(_key_id(key))
        if pid is None:
            return None
        author, author_name, author_id = self.creator(get("creator"))
        publication, publication_id = self.collection(get("collection"))
        extended, short, parent_result, parent_post = _variants(ent, _POST_VARIANTS)
        deref = self.deref
        if parent_result is None and parent_post is None:
            parent_id = None  # deref(None) is {}: no parent
        else:
            parent_id = norm.post_id((deref(parent_result) or deref(parent_post)).get("id"))
        locked = get("isLocked")
        if locked is not True and locked is not False:
            locked = None
            if isinstance(get("visibility"), str):
                locked = ent["visibility"] == "LOCKED"
        url = _str(get("mediumUrl"))
        canonical = get("canonicalUrl")
        canonical_url = _str(canonical)
        if canonical_url is None and canonical == "":
            canonical_url = url  # "" means Medium itself is canonical
        responses = get("postResponses")
        subtitle = _str(deref(extended).get("subtitle")) if extended is not None else None
        if subtitle is None and short is not None:
            subtitle = _str(deref(short).get("subtitle"))
        first, latest = get("firstPublishedAt"), get("latestPublishedAt")
        published = norm.iso_from_ms(first)
        # A post never edited has latest == first: the same value gives the same string.
        updated = (
            published if latest == first and latest.__class__ is first.__class__ else norm.iso_from_ms(latest)
        )
        # Positional, in PostRecord's field order (checked at import below): binding twenty keyword
        # arguments cost a third of building the record.
        return PostRecord(
            pid,  # id
            _str(get("title")),  # title
            url,
            canonical_url,
            author,
            author_name,
            publication,
            self.tags(ent),  # tags
            published,  # published_at
            _int(get("clapCount")),  # claps
            _int(deref(responses).get("count")) if responses is not None else None,  # responses
            _float(get("readingTime")),  # reading_time
            locked,
            None,  # links
            subtitle,
            parent_id,  # in_response_to
            True if parent_id else None,  # is_response
            None,  # links_partial
            updated or norm.iso_from_ms(get("updatedAt")),  # updated_at
            _int(get("voterCount")),  # voters
            author_id,
            publication_id,
        )

    def tags(self, ent: dict[str, Any]) -> tuple[str, ...]:
        out: list[str] = []
        for raw in norm.as_list(ent.get("tags")):
            if isinstance(raw, str):
                tag = norm.slug(raw)
            else:
                ref = raw.get("__ref") if isinstance(raw, dict) else None
                if isinstance(ref, str) and ref:
                    if ref in self._tag_refs:
                        tag = self._tag_refs[ref]
                    else:
                        tag = self._tag_refs[ref] = self.tag(raw)
                else:
                    tag = self.tag(raw)
            if tag and tag not in out:
                out.append(tag)
        return tuple(out)

    def tag(self, raw: Any) -> str | None:
        ref = _ref_key(raw)
        target = self.deref(raw)
        tag = norm.slug(target.get("id")) or norm.slug(target.get("slug"))
        if tag is None and isinstance(ref, str) and ref.startswith("Tag:"):
            tag = norm.slug(ref[4:])
        return tag


_POST_ARGS = (
    "id", "title", "url", "canonical_url", "author", "author_name", "publication", "tags", "published_at",
    "claps", "responses", "reading_time", "locked", "links", "subtitle", "in_response_to", "is_response",
    "links_partial", "updated_at", "voters", "author_id", "publication_id",
)  # fmt: skip
if tuple(f.name for f in fields(PostRecord))[: len(_POST_ARGS)] != _POST_ARGS:
    raise ImportError("PostRecord's fields moved: update _Reader.post's positional arguments")


def _str(value: Any) -> str | None:
    """`norm.as_str`."""
    if value.__class__ is str:
        return value.strip() or None
    return norm.as_str(value)


def _int(value: Any) -> int | None:
    """`norm.as_int`."""
    if value.__class__ is int:
        return value if value >= 0 else None
    return None if value is None else norm.as_int(value)


def _float(value: Any) -> float | None:
    """`norm.as_float`: a float within its bounds as it is (NaN fails both comparisons)."""
    if value.__class__ is float and 0.0 <= value <= 1e9:
        return value
    return None if value is None else norm.as_float(value)


def _key_id(key: str) -> str | None:
    return key.split(":", 1)[1] if ":" in key else None


def _ref_key(value: Any) -> str | None:
    if isinstance(value, dict):
        ref = value.get("__ref") or (value.get("id") if value.get("type") == "id" else None)
        if isinstance(ref, str):
            return ref
    return None


def _ref_id(value: Any) -> str | None:
    ref = _ref_key(value)
    if ref and ":" in ref:
        return ref.split(":", 1)[1] or None
    return None
