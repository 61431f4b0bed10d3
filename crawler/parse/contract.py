"""A checker for the `inspect --format json` contract (../shared/inspect-json.md).

`enforce(result)` is the guard `parse_page` applies before returning: whatever a layer let
through that would break these rules is nulled or dropped, with a warning naming it.

`contract_errors(obj)` lists every way a decoded JSON object breaks the contract: missing or extra
keys, wrong types, the null rules ("" and negative counts are never stand-ins for unknown),
dates that are not ISO 8601 UTC, post ids that are not Medium hex ids, non-finite numbers. The
inspect tests and the fuzz test share it, so "valid" means the same thing everywhere.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from typing import Any, TypeVar
from urllib.parse import urlsplit

from linkscout.core.records import (
    AuthorRecord,
    LinkRecord,
    PageKind,
    PageResult,
    PostRecord,
    PublicationRecord,
)
from linkscout.core.urls import canonicalize

KINDS = frozenset(
    {
        "article",
        "tag",
        "publication",
        "profile",
        "feed",
        "graphql",
        "legacy_json",
        "robots",
        "other",
        "blocked",
    }
)
TOP_KEYS = frozenset({"kind", "posts", "authors", "publications", "warnings"})
POST_KEYS = frozenset(
    {
        "id", "title", "url", "canonical_url", "author", "author_name", "publication", "tags",
        "published_at", "claps", "responses", "reading_time", "locked", "links",
    }
)  # fmt: skip
# is_response/in_response_to: emitted for responses only; counts_approximate: claps/responses shown
# rounded ("1.2K"); layers: {field: layer} for values read from the markup rather than embedded state.
POST_EXTRA_KEYS = frozenset({"is_response", "in_response_to", "counts_approximate", "layers"})
LINK_KEYS = frozenset({"url", "rel", "anchor"})
AUTHOR_KEYS = frozenset({"id", "username", "name", "bio", "followers"})
PUBLICATION_KEYS = frozenset({"id", "slug", "name", "domain", "description", "followers"})
# guidelines: on a publication's guidelines post or about page only, what it says about submitting.
PUBLICATION_EXTRA_KEYS = frozenset({"guidelines"})
GUIDELINES_KEYS = frozenset(
    {"url", "accepts_submissions", "how_to_submit", "submit_to", "exclusivity", "reprints", "link_policy",
     "response_time", "evidence"}
)  # fmt: skip
_POST_ID = re.compile(r"^[0-9a-f]{8,12}$")
_ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$")
_TRACKING = re.compile(r"[?&](?:source|utm_[a-z]+)=")
# An http(s) URL `_http_url` keeps as it is: a plain host (so urlsplit finds it and cannot fail) and
# no `?` or `&` (so no tracking parameter).
_PLAIN_HTTP = re.compile(r"https?://[A-Za-z0-9.-]+(?:/[^?&]*)?")


def contract_errors(obj: Any) -> list[str]:
    """Every violation of the inspect JSON contract in `obj` (empty list = valid)."""
    errs: list[str] = []
    try:
        json.dumps(obj, allow_nan=False)
    except (TypeError, ValueError) as exc:
        errs.append(f"not strict JSON: {exc}")
    if not isinstance(obj, dict):
        return [*errs, "top level is not an object"]
    _keys(obj, TOP_KEYS, frozenset(), "result", errs)
    if obj.get("kind") not in KINDS:
        errs.append(f"kind {obj.get('kind')!r} is not one of the contract kinds")
    for name in ("posts", "authors", "publications", "warnings"):
        if not isinstance(obj.get(name), list):
            errs.append(f"{name} is not a list")
    for i, w in enumerate(_list(obj.get("warnings"))):
        if not isinstance(w, str) or not w:
            errs.append(f"warnings[{i}] is not a non-empty string")
    for i, post in enumerate(_list(obj.get("posts"))):
        _post(post, f"posts[{i}]", errs)
    for i, a in enumerate(_list(obj.get("authors"))):
        where = f"authors[{i}]"
        if not isinstance(a, dict):
            errs.append(f"{where} is not an object")
            continue
        _keys(a, AUTHOR_KEYS, frozenset(), where, errs)
        for k in ("id", "username", "name", "bio"):
            _opt_str(a.get(k), f"{where}.{k}", errs)
        if isinstance(a.get("username"), str) and a["username"].startswith("@"):
            errs.append(f"{where}.username keeps its @")
        _opt_count(a.get("followers"), f"{where}.followers", errs)
    for i, p in enumerate(_list(obj.get("publications"))):
        where = f"publications[{i}]"
        if not isinstance(p, dict):
            errs.append(f"{where} is not an object")
            continue
        _keys(p, PUBLICATION_KEYS, PUBLICATION_EXTRA_KEYS, where, errs)
        for k in ("id", "slug", "name", "domain", "description"):
            _opt_str(p.get(k), f"{where}.{k}", errs)
        _opt_count(p.get("followers"), f"{where}.followers", errs)
        if "guidelines" in p:
            _guidelines(p["guidelines"], f"{where}.guidelines", errs)
    return errs


def _guidelines(g: Any, where: str, errs: list[str]) -> None:
    if not isinstance(g, dict):
        errs.append(f"{where} is not an object")
        return
    _keys(g, GUIDELINES_KEYS, frozenset(), where, errs)
    if g.get("accepts_submissions") is not None and not isinstance(g.get("accepts_submissions"), bool):
        errs.append(f"{where}.accepts_submissions is neither true, false nor null")
    for k in GUIDELINES_KEYS - {"accepts_submissions", "evidence"}:
        _opt_str(g.get(k), f"{where}.{k}", errs)
    for i, e in enumerate(_list(g.get("evidence"))):
        if not (
            isinstance(e, dict) and isinstance(e.get("field"), str) and isinstance(e.get("sentence"), str)
        ):
            errs.append(f"{where}.evidence[{i}] is not a {{field, sentence}} object")


def _post(post: Any, where: str, errs: list[str]) -> None:
    if not isinstance(post, dict):
        errs.append(f"{where} is not an object")
        return
    _keys(post, POST_KEYS, POST_EXTRA_KEYS, where, errs)
    pid = post.get("id")
    if not isinstance(pid, str) or not _POST_ID.match(pid):
        errs.append(f"{where}.id {pid!r} is not a Medium post id (8-12 lower-case hex)")
    for k in ("title", "url", "canonical_url", "author", "author_name", "publication"):
        _opt_str(post.get(k), f"{where}.{k}", errs)
    url = post.get("url")
    if isinstance(url, str) and not url.startswith(("https://", "http://")):
        errs.append(f"{where}.url {url[:80]!r} is not an absolute http(s) URL")
    if isinstance(url, str) and _TRACKING.search(url):
        errs.append(f"{where}.url keeps a tracking parameter")
    author = post.get("author")
    if isinstance(author, str) and author.startswith("@"):
        errs.append(f"{where}.author keeps its @")
    tags = post.get("tags")
    if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
        errs.append(f"{where}.tags is not a list of non-empty strings")
    published = post.get("published_at")
    if published is not None and not (isinstance(published, str) and _ISO_UTC.match(published)):
        errs.append(f"{where}.published_at {published!r} is not ISO 8601 UTC")
    _opt_count(post.get("claps"), f"{where}.claps", errs)
    _opt_count(post.get("responses"), f"{where}.responses", errs)
    rt = post.get("reading_time")
    if rt is not None and (
        isinstance(rt, bool) or not isinstance(rt, int | float) or not math.isfinite(rt) or rt < 0
    ):
        errs.append(f"{where}.reading_time {rt!r} is not a non-negative number or null")
    if post.get("locked") not in (True, False, None):
        errs.append(f"{where}.locked is not true/false/null")
    links = post.get("links")
    if not isinstance(links, list):
        errs.append(f"{where}.links is not a list")
        links = []
    for j, link in enumerate(links):
        lw = f"{where}.links[{j}]"
        if not isinstance(link, dict):
            errs.append(f"{lw} is not an object")
            continue
        _keys(link, LINK_KEYS, frozenset(), lw, errs)
        if not isinstance(link.get("url"), str) or not link.get("url"):
            errs.append(f"{lw}.url is not a non-empty string")
        _opt_str(link.get("rel"), f"{lw}.rel", errs)
        if not isinstance(link.get("anchor"), str):
            errs.append(f"{lw}.anchor is not a string")
    if "counts_approximate" in post and post["counts_approximate"] is not True:
        errs.append(f"{where}.counts_approximate is present but not true")
    if "layers" in post and not (
        isinstance(post["layers"], dict) and all(isinstance(v, str) for v in post["layers"].values())
    ):
        errs.append(f"{where}.layers is not an object of field -> layer name")
    if "is_response" in post and post["is_response"] is not True:
        errs.append(f"{where}.is_response is present but not true")
    if "in_response_to" in post:
        parent = post["in_response_to"]
        if parent is not None and not (isinstance(parent, str) and _POST_ID.match(parent)):
            errs.append(f"{where}.in_response_to {parent!r} is not a post id or null")


def _keys(
    obj: dict[str, Any], required: frozenset[str], optional: frozenset[str], where: str, errs: list[str]
) -> None:
    missing = required - obj.keys()
    extra = obj.keys() - required - optional
    if missing:
        errs.append(f"{where} misses {sorted(missing)}")
    if extra:
        errs.append(f"{where} has unknown keys {sorted(extra)}")


def _opt_str(value: Any, where: str, errs: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        errs.append(f"{where} is {type(value).__name__}, not string or null")
    elif not value.strip():
        errs.append(f'{where} is "" (unknown must be null)')


def _opt_count(value: Any, where: str, errs: list[str]) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        errs.append(f"{where} is {value!r}, not an integer or null")
    elif value < 0:
        errs.append(f"{where} is negative")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# --- the guard parse_page applies: repair what would break the contract, and say so ---------------


def enforce(result: PageResult) -> PageResult:
    """Last line of defence for `parse_page`: values that would break the contract become null (or
    are dropped), each with a warning naming the field, so a layer's slip on hostile input never
    reaches `inspect` or the store as a fake value."""
    notes: list[str] = []
    if not isinstance(result.kind, PageKind):
        notes.append(f"kind {result.kind!r} unknown; reported as other")
        result.kind = PageKind.OTHER
    posts: list[PostRecord] = []
    for post in result.posts:
        fixed = _fix_post(post, notes)
        if fixed is not None:
            posts.append(fixed)
    result.posts = posts
    result.authors = [
        _fix_record(a, ("id", "username", "name", "bio"), ("followers",), notes) for a in result.authors
    ]
    result.publications = [
        _fix_record(p, ("id", "slug", "name", "domain", "description"), ("followers",), notes)
        for p in result.publications
    ]
    result.warnings = [w if isinstance(w, str) and w else repr(w) for w in result.warnings]
    result.warnings.extend(f"{GUARD_PREFIX}{note}" for note in notes[:20])
    if len(notes) > 20:
        result.warnings.append(f"{GUARD_PREFIX}... and {len(notes) - 20} more invalid values dropped")
    return result


def _fix_post(post: PostRecord, notes: list[str]) -> PostRecord | None:
    if not isinstance(post.id, str) or not _POST_ID.match(post.id):
        notes.append(f"dropped a post with an invalid id {str(post.id)[:40]!r}")
        return None
    if _valid_post(post):
        return post  # the common case: nothing to repair, so nothing is rebuilt
    changes: dict[str, Any] = {}
    for name in ("title", "canonical_url", "author", "author_name", "publication"):
        value = getattr(post, name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            changes[name] = None
    if isinstance(post.author, str) and post.author.startswith("@"):
        changes["author"] = post.author.lstrip("@") or None
    url = post.url
    if url is not None:
        good = _http_url(url)
        if good != url:
            changes["url"] = good
            if good is None:
                notes.append(f"post {post.id}: url {str(url)[:60]!r} is not an absolute http(s) URL; dropped")
    if post.published_at is not None and not (
        isinstance(post.published_at, str) and _ISO_UTC.match(post.published_at)
    ):
        notes.append(
            f"post {post.id}: published_at {str(post.published_at)[:40]!r} is not ISO 8601 UTC; dropped"
        )
        changes["published_at"] = None
    for name in ("claps", "responses"):
        value = getattr(post, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            changes[name] = None
    rt = post.reading_time
    if rt is not None and (
        isinstance(rt, bool) or not isinstance(rt, int | float) or not math.isfinite(rt) or rt < 0
    ):
        changes["reading_time"] = None
    if post.locked not in (True, False, None):
        changes["locked"] = None
    tags = (
        tuple(t for t in post.tags if isinstance(t, str) and t.strip())
        if isinstance(post.tags, tuple)
        else ()
    )
    if tags != post.tags:
        changes["tags"] = tags
    if post.links is not None:
        links = tuple(
            LinkRecord(
                url=link.url,
                rel=link.rel if isinstance(link.rel, str) and link.rel.strip() else None,
                anchor=link.anchor if isinstance(link.anchor, str) else "",
            )
            for link in post.links
            if isinstance(link.url, str) and link.url.strip()
        )
        if links != post.links:
            changes["links"] = links
    parent = post.in_response_to
    if parent is not None and not (isinstance(parent, str) and _POST_ID.match(parent)):
        changes["in_response_to"] = None
    if changes:
        silent = {"url", "published_at"}
        if set(changes) - silent:
            notes.append(f"post {post.id}: invalid {', '.join(sorted(set(changes) - silent))} set to null")
        post = replace(post, **changes)
    return post


def _valid_post(post: PostRecord) -> bool:
    """True when `_fix_post` would change nothing: every check it makes, without building anything.
    (It may say False for a post that needs nothing: `_fix_post` then finds no change.)"""
    for value in (post.title, post.canonical_url, post.author, post.author_name, post.publication):
        if value is not None and (value.__class__ is not str or not value.strip()):
            return False
    author = post.author
    url = post.url
    rt = post.reading_time
    published = post.published_at
    parent = post.in_response_to
    tags = post.tags
    claps = post.claps
    responses = post.responses
    if not (
        (author is None or not author.startswith("@"))
        and (
            url is None
            or (isinstance(url, str) and _PLAIN_HTTP.fullmatch(url) is not None)
            or _http_url(url) == url
        )
        and (published is None or (isinstance(published, str) and _ISO_UTC.match(published) is not None))
        and (claps is None or (claps.__class__ is int and claps >= 0))
        and (responses is None or (responses.__class__ is int and responses >= 0))
        and (rt is None or (rt.__class__ in (int, float) and math.isfinite(rt) and rt >= 0))
        and post.locked in (True, False, None)
        and (parent is None or (isinstance(parent, str) and _POST_ID.match(parent) is not None))
        and tags.__class__ is tuple
    ):
        return False
    for tag in tags:
        if tag.__class__ is not str or not tag.strip():
            return False
    links = post.links
    if links is None:
        return True
    if links.__class__ is not tuple:
        return False
    for link in links:
        if link.__class__ is not LinkRecord:
            return False
        lurl, rel = link.url, link.rel
        if (
            lurl.__class__ is not str
            or not lurl.strip()
            or (rel is not None and (rel.__class__ is not str or not rel.strip()))
            or link.anchor.__class__ is not str
        ):
            return False
    return True


GUARD_PREFIX = "contract guard: "
_R = TypeVar("_R", AuthorRecord, PublicationRecord)


def _fix_record(rec: _R, strings: tuple[str, ...], counts: tuple[str, ...], notes: list[str]) -> _R:
    changes: dict[str, Any] = {}
    for name in strings:
        value = getattr(rec, name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            changes[name] = None
    username = getattr(rec, "username", None) if isinstance(rec, AuthorRecord) else None
    if isinstance(username, str) and username.startswith("@"):
        changes["username"] = username.lstrip("@") or None
    for name in counts:
        value = getattr(rec, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            changes[name] = None
    if changes:
        notes.append(f"{type(rec).__name__}: invalid {', '.join(sorted(changes))} set to null")
        return replace(rec, **changes)
    return rec


def _http_url(url: Any) -> str | None:
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return None
    try:
        if not urlsplit(url).hostname:
            return None
    except ValueError:
        return None
    if _TRACKING.search(url):
        try:
            url = canonicalize(url)
        except ValueError:
            return None
    return str(url)
