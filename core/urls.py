"""Medium's URL model: classify any URL, pull out post ids and usernames, canonicalise.

Identity on Medium is never the web domain: a post is its hex id, an author a username, a
publication a slug. A `x.medium.com` host can be a user (rushkoff.medium.com) or a publication
(onezero.medium.com); from the URL alone that cannot be told, so `classify` reports it as
ambiguous instead of guessing, unless the caller passes the hosts it already knows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit


class UrlKind(StrEnum):
    POST = "post"
    RESPONSE = "response"  # a post that answers another (seen from source=...post_responses--<parent>)
    RESPONSES = "responses"  # the list of responses under a post
    PROFILE = "profile"
    PROFILE_ABOUT = "profile_about"
    PROFILE_FOLLOWERS = "profile_followers"
    PROFILE_LISTS = "profile_lists"
    PUBLICATION = "publication"
    PUBLICATION_ABOUT = "publication_about"
    PUBLICATION_ARCHIVE = "publication_archive"
    PUBLICATION_TAGGED = "publication_tagged"
    PUBLICATION_FOLLOWERS = "publication_followers"
    SUBDOMAIN_HOME = "subdomain_home"  # x.medium.com/ : a user's or a publication's home
    SUBDOMAIN_ABOUT = "subdomain_about"
    SUBDOMAIN_FOLLOWERS = "subdomain_followers"
    TAG = "tag"
    TAG_RECOMMENDED = "tag_recommended"
    TAG_LATEST = "tag_latest"
    TAG_ARCHIVE = "tag_archive"
    FEED_TAG = "feed_tag"
    FEED_USER = "feed_user"
    FEED_PUBLICATION = "feed_publication"
    FEED_PUBLICATION_TAGGED = "feed_publication_tagged"
    FEED_SUBDOMAIN = "feed_subdomain"  # x.medium.com/feed: user or publication
    SITEMAP = "sitemap"
    SHORT_LINK = "short_link"  # link.medium.com/<code>
    ROBOTS = "robots"
    SEARCH = "search"
    TOPIC = "topic"
    HOME = "home"
    OTHER = "other"  # on Medium, but nothing we read (sign-in, help, API...)
    EXTERNAL = "external"  # not Medium


@dataclass(frozen=True, slots=True)
class UrlInfo:
    url: str  # canonical form
    kind: UrlKind
    post_id: str | None = None
    username: str | None = None
    publication: str | None = None
    tag: str | None = None
    # For x.medium.com hosts not known to the caller: "x", which may be a user or a publication.
    ambiguous_subdomain: str | None = None
    archive_date: tuple[int, ...] = ()  # (year[, month[, day]]) of a tag or publication archive
    in_response_to: str | None = None  # parent post id, for responses

    @property
    def is_medium(self) -> bool:
        return self.kind is not UrlKind.EXTERNAL


MEDIUM_HOST = "medium.com"
# Subdomains of medium.com that are Medium's own services, never a user or publication.
_SERVICE_SUBDOMAINS = frozenset(
    {
        "www", "link", "miro", "cdn-images-1", "cdn-images-2", "cdn-static-1", "glyph", "policy",
        "help", "status", "api", "rsci", "static", "images", "cdn", "events", "email", "go",
    }
)  # fmt: skip
# First path segments on medium.com that are not publications.
_RESERVED = frozenset(
    {
        "m", "me", "_", "search", "topics", "topic", "about", "creators", "membership", "plans", "jobs-at-medium",
        "policy", "sitemap", "new-story", "signin", "login", "browse", "following", "lists", "gift", "verified-authors",
        "business", "partner-program", "earn", "privacy-policy", "terms", "apps", "mastodon", "subscribe",
        "medium-partner-program", "audio", "tag", "feed", "p", "s", "upgrade", "your_stories", "notifications",
    }
)  # fmt: skip
_TRACKING_PARAMS = frozenset(
    {
        "source", "sk", "gi", "_branch_match_id", "_branch_referrer", "fbclid", "gclid", "mc_cid", "mc_eid",
        "ref", "referrer", "rsc", "postpublishedtype", "swoff", "gclsrc", "dclid", "igshid", "mkt_tok",
        "email", "redirecturl", "operation", "actionurl", "responsesopen", "skipoauth", "lang",
    }
)  # fmt: skip
# Medium's own tracking says when a link sits in a post's responses: source=post_page---post_responses--<parent>
_RESPONSE_SOURCE = re.compile(r"post_responses-+([0-9a-f]{8,12})")
# Already canonical: https, medium.com or a non-www subdomain, no port, query, fragment, percent
# escapes, empty segment or trailing slash, and any @username lower-cased. Most URLs a page yields
# (profiles, tags, posts) look like this, and skipping the full split/join is most of the parse cost.
_CANONICAL = re.compile(
    r"https://(?:(?!www\.)[a-z0-9-]+\.)?medium\.com(?:/@[a-z0-9._-]+|/[A-Za-z0-9._~!$&'()*+,;=:-]+)*"
)
_HEX_ID = re.compile(r"(?:^|-)([0-9a-f]{8,12})$")
_ONLY_HEX = re.compile(r"^[0-9a-f]{8,12}$")


def site_domain(value: str) -> str:
    """The domain a user's site or competitor value names: 'https://www.Ahrefs.com/blog' -> 'ahrefs.com'
    ("" for a blank value)."""
    return value.strip().lower().split("://")[-1].split("/")[0].removeprefix("www.")


def is_medium_host(host: str | None) -> bool:
    host = (host or "").lower().rstrip(".")
    return host == MEDIUM_HOST or host.endswith("." + MEDIUM_HOST)


def _subdomain(host: str) -> str | None:
    if host.endswith("." + MEDIUM_HOST):
        sub = host[: -len(MEDIUM_HOST) - 1]
        if sub and "." not in sub and sub not in _SERVICE_SUBDOMAINS:
            return sub
    return None


def _id_of(segment: str) -> str | None:
    """The post id ending a path segment: 8-12 hex after the last hyphen, or the whole segment.

    A hex run made only of letters ("deadbeef", "facade") is an English word, not an id: Medium's
    random ids practically always contain a digit.
    """
    m = _HEX_ID.search(segment.lower())
    if m is None:
        return None
    pid = m.group(1)
    return pid if any(c.isdigit() for c in pid) else None


def post_id_from_url(url: str | None) -> str | None:
    """The post id a URL names, or None. `/p/<id>` and `...-<id>` both count; `/about` does not."""
    if not url:
        return None
    info = classify(url)
    return info.post_id


def username_from_url(url: str | None) -> str | None:
    if not url:
        return None
    return classify(url).username


def canonicalize(url: str, base: str | None = None) -> str:
    """https, lower-case host without www, no fragment, tracking parameters dropped, the rest sorted.

    Real paging parameters (page, limit, to, from, format...) are kept. `%40user` becomes `@user`
    and the username is lower-cased, as Medium treats it.
    """
    url = (url or "").strip()
    if base is None and _CANONICAL.fullmatch(url) and "/" in url[8:]:
        return url
    try:
        if base:
            url = urljoin(base, url)
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port if parts.port not in (None, 80, 443) else None
    except ValueError:
        return url  # not a URL urllib can split (bad IPv6 literal, port): leave it as it came
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https", "") or not host:
        return url
    if host == "www." + MEDIUM_HOST:
        host = MEDIUM_HOST
    netloc = f"{host}:{port}" if port else host
    path = unquote(parts.path or "/")
    segments = [s for s in path.split("/") if s]
    segments = [s.lower() if s.startswith("@") else s for s in segments]
    path = "/" + "/".join(quote(s, safe="@:!$&'()*+,;=-._~") for s in segments)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _TRACKING_PARAMS and not k.lower().startswith("utm_")
    ]
    query.sort()
    scheme = "https" if (is_medium_host(host) or scheme in ("https", "")) else scheme
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def classify(url: str, *, publication_hosts: Mapping[str, str] | None = None) -> UrlInfo:
    """What a URL points at. `publication_hosts` maps known custom domains and `x.medium.com`
    hosts to publication slugs (from the store), which settles the subdomain ambiguity."""
    canon = canonicalize(url)
    info = _classify_canonical(canon, publication_hosts)
    if info.kind is UrlKind.POST:
        m = _RESPONSE_SOURCE.search(unquote(url))
        if m and m.group(1) != info.post_id:
            return replace(info, kind=UrlKind.RESPONSE, in_response_to=m.group(1))
    return info


def _classify_canonical(canon: str, publication_hosts: Mapping[str, str] | None) -> UrlInfo:
    try:
        parts = urlsplit(canon)
        host = (parts.hostname or "").lower()
        _ = parts.port  # a port urllib cannot read marks a damaged URL
    except ValueError:
        return UrlInfo(canon, UrlKind.EXTERNAL)
    segs = [unquote(s) for s in parts.path.split("/") if s]
    known = (publication_hosts or {}).get(host)
    if known:
        return _classify_publication_host(canon, segs, known)
    if not is_medium_host(host):
        return UrlInfo(canon, UrlKind.EXTERNAL)
    if host == "link." + MEDIUM_HOST:
        return UrlInfo(canon, UrlKind.SHORT_LINK)
    sub = _subdomain(host)
    if sub is not None:
        return _classify_subdomain(canon, segs, sub)
    if host != MEDIUM_HOST:
        return UrlInfo(canon, UrlKind.OTHER)
    return _classify_medium_path(canon, segs)


def _classify_medium_path(canon: str, segs: list[str]) -> UrlInfo:
    if not segs:
        return UrlInfo(canon, UrlKind.HOME)
    first = segs[0]
    rest = segs[1:]
    if first == "robots.txt":
        return UrlInfo(canon, UrlKind.ROBOTS)
    if first.startswith("@"):
        return _classify_user(canon, first[1:].lower(), rest)
    if first == "p" and rest:
        pid = rest[0].lower() if _ONLY_HEX.match(rest[0].lower()) else None
        if pid and len(rest) > 1 and rest[1] == "responses":
            return UrlInfo(canon, UrlKind.RESPONSES, post_id=pid)
        return UrlInfo(canon, UrlKind.POST if pid else UrlKind.OTHER, post_id=pid)
    if first == "tag" and rest:
        return _classify_tag(canon, rest)
    if first == "feed" and rest:
        return _classify_feed(canon, rest)
    if first in ("sitemap", "sitemap.xml") or first.startswith("sitemap"):
        return UrlInfo(canon, UrlKind.SITEMAP)
    if first == "search":
        return UrlInfo(canon, UrlKind.SEARCH)
    if first in ("topics", "topic"):
        return UrlInfo(canon, UrlKind.TOPIC, tag=rest[0].lower() if rest else None)
    if first.lower() in _RESERVED:
        # Medium's own pages are posts too (medium.com/about/about-medium-9eac453da935).
        pid = _id_of(rest[0]) if rest else None
        return UrlInfo(canon, UrlKind.POST if pid else UrlKind.OTHER, post_id=pid)
    return _classify_publication_path(canon, first.lower(), rest)


def _classify_user(canon: str, user: str, rest: list[str]) -> UrlInfo:
    if not rest:
        return UrlInfo(canon, UrlKind.PROFILE, username=user)
    head = rest[0]
    simple = {
        "about": UrlKind.PROFILE_ABOUT,
        "followers": UrlKind.PROFILE_FOLLOWERS,
        "following": UrlKind.PROFILE_FOLLOWERS,
        "lists": UrlKind.PROFILE_LISTS,
        "feed": UrlKind.FEED_USER,
    }
    if head in simple and len(rest) == 1:
        return UrlInfo(canon, simple[head], username=user)
    pid = _id_of(head)
    if pid:
        kind = UrlKind.RESPONSES if rest[1:2] == ["responses"] else UrlKind.POST
        return UrlInfo(canon, kind, post_id=pid, username=user)
    return UrlInfo(
        canon, UrlKind.PROFILE if head in ("has-recommended", "highlights") else UrlKind.OTHER, username=user
    )


def _classify_tag(canon: str, rest: list[str]) -> UrlInfo:
    tag = rest[0].lower()
    tail = rest[1:]
    if not tail:
        return UrlInfo(canon, UrlKind.TAG, tag=tag)
    if tail[0] == "recommended":
        return UrlInfo(canon, UrlKind.TAG_RECOMMENDED, tag=tag)
    if tail[0] in ("latest", "top", "archive"):
        if tail[0] == "archive":
            date = tuple(int(x) for x in tail[1:4] if x.isdigit())
            return UrlInfo(canon, UrlKind.TAG_ARCHIVE, tag=tag, archive_date=date)
        return UrlInfo(canon, UrlKind.TAG_LATEST, tag=tag)
    return UrlInfo(canon, UrlKind.TAG, tag=tag)


def _classify_feed(canon: str, rest: list[str]) -> UrlInfo:
    head = rest[0]
    if head.startswith("@"):
        return UrlInfo(canon, UrlKind.FEED_USER, username=head[1:].lower())
    if head == "tag" and len(rest) > 1:
        return UrlInfo(canon, UrlKind.FEED_TAG, tag=rest[1].lower())
    pub = head.lower()
    if len(rest) >= 3 and rest[1] == "tagged":
        return UrlInfo(canon, UrlKind.FEED_PUBLICATION_TAGGED, publication=pub, tag=rest[2].lower())
    return UrlInfo(canon, UrlKind.FEED_PUBLICATION, publication=pub)


def _publication_tail(canon: str, pub: str | None, rest: list[str], *, sub: str | None = None) -> UrlInfo:
    """Paths under a publication root (medium.com/<pub>/..., a custom domain, or x.medium.com)."""
    owner = {"publication": pub, "ambiguous_subdomain": sub}
    if sub:
        owner["username"] = sub
        owner["publication"] = sub
    if not rest:
        return UrlInfo(canon, UrlKind.SUBDOMAIN_HOME if sub else UrlKind.PUBLICATION, **owner)  # type: ignore[arg-type]
    head = rest[0]
    if head == "about" and len(rest) == 1:
        return UrlInfo(canon, UrlKind.SUBDOMAIN_ABOUT if sub else UrlKind.PUBLICATION_ABOUT, **owner)  # type: ignore[arg-type]
    if head == "followers" and len(rest) == 1:
        kind = UrlKind.SUBDOMAIN_FOLLOWERS if sub else UrlKind.PUBLICATION_FOLLOWERS
        return UrlInfo(canon, kind, **owner)  # type: ignore[arg-type]
    if head == "feed":
        if len(rest) >= 3 and rest[1] == "tagged":
            return UrlInfo(
                canon, UrlKind.FEED_PUBLICATION_TAGGED, publication=pub or sub, tag=rest[2].lower()
            )
        return UrlInfo(canon, UrlKind.FEED_SUBDOMAIN if sub else UrlKind.FEED_PUBLICATION, **owner)  # type: ignore[arg-type]
    # Only publications have archives and tagged pages: these settle the ambiguity.
    if head == "archive":
        date = tuple(int(x) for x in rest[1:4] if x.isdigit())
        return UrlInfo(canon, UrlKind.PUBLICATION_ARCHIVE, publication=pub or sub, archive_date=date)
    if head == "tagged" and len(rest) > 1:
        return UrlInfo(canon, UrlKind.PUBLICATION_TAGGED, publication=pub or sub, tag=rest[1].lower())
    if head in ("latest", "trending", "home"):
        return UrlInfo(canon, UrlKind.SUBDOMAIN_HOME if sub else UrlKind.PUBLICATION, **owner)  # type: ignore[arg-type]
    pid = _id_of(head)
    if pid:
        kind = UrlKind.RESPONSES if rest[1:2] == ["responses"] else UrlKind.POST
        return UrlInfo(canon, kind, post_id=pid, **owner)  # type: ignore[arg-type]
    return UrlInfo(canon, UrlKind.OTHER, **owner)  # type: ignore[arg-type]


def _classify_publication_path(canon: str, pub: str, rest: list[str]) -> UrlInfo:
    return _publication_tail(canon, pub, rest)


def _classify_subdomain(canon: str, segs: list[str], sub: str) -> UrlInfo:
    if segs and segs[0] == "robots.txt":
        return UrlInfo(canon, UrlKind.ROBOTS)
    if segs and segs[0].startswith("@"):
        # A publication subdomain serving a member's page: medium.com's rules apply.
        return _classify_user(canon, segs[0][1:].lower(), segs[1:])
    return _publication_tail(canon, None, segs, sub=sub)


def _classify_publication_host(canon: str, segs: list[str], slug: str) -> UrlInfo:
    if segs and segs[0] == "robots.txt":
        return UrlInfo(canon, UrlKind.ROBOTS)
    if segs and segs[0].startswith("@"):
        return _classify_user(canon, segs[0][1:].lower(), segs[1:])
    return _publication_tail(canon, slug, segs)
