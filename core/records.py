"""Plain records the parsers emit and the store ingests.

These are the one data contract between `crawler/parse/` (bytes -> records), the crawl pipeline and
`store/`. `None` always means "not on this page", never 0 or "". `PageResult.to_contract()` renders
the shape documented in ../shared/inspect-json.md (the `inspect --format json` output).
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from enum import StrEnum
from typing import Any


class PageKind(StrEnum):
    ARTICLE = "article"
    TAG = "tag"
    PUBLICATION = "publication"
    PROFILE = "profile"
    FEED = "feed"
    GRAPHQL = "graphql"
    LEGACY_JSON = "legacy_json"
    ROBOTS = "robots"
    OTHER = "other"
    BLOCKED = "blocked"


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """One anchor in a post body, with its raw `rel` exactly as the page had it."""

    url: str
    rel: str | None
    anchor: str

    @property
    def rel_tokens(self) -> frozenset[str]:
        return frozenset((self.rel or "").lower().split())

    @property
    def nofollow(self) -> bool:
        return "nofollow" in self.rel_tokens

    @property
    def ugc(self) -> bool:
        return "ugc" in self.rel_tokens


@dataclass(frozen=True, slots=True)
class PostRecord:
    id: str
    title: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    author: str | None = None
    author_name: str | None = None
    publication: str | None = None
    tags: tuple[str, ...] = ()
    published_at: str | None = None
    claps: int | None = None
    responses: int | None = None
    reading_time: float | None = None
    locked: bool | None = None
    # None: the page carried no body, so links are unknown (not "no links").
    links: tuple[LinkRecord, ...] | None = None
    # Extras beyond the inspect contract (kept by the store, used by ranking).
    subtitle: str | None = None
    in_response_to: str | None = None  # parent post id when this is a response
    is_response: bool | None = None
    links_partial: bool | None = None  # member-only preview: body links are a subset
    updated_at: str | None = None
    voters: int | None = None
    author_id: str | None = None
    publication_id: str | None = None
    # True when claps/responses were read off a rendered page that rounds them ("1.2K"): never exact.
    counts_approx: bool | None = None
    # Which layer gave a value when it was not the embedded state: (("claps", "dom"), ("title", "dom")).
    layers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class AuthorRecord:
    username: str | None
    id: str | None = None
    name: str | None = None
    bio: str | None = None
    followers: int | None = None
    twitter: str | None = None
    following: int | None = None


@dataclass(frozen=True, slots=True)
class Guidelines:
    """What a publication's guidelines page (a "Write for us" post, an about page) says about taking
    submissions, field by field. None: the page does not say (never a guess). `evidence` keeps the
    sentence each field was read from, as (field, sentence) pairs in page order."""

    url: str | None = None  # the page read
    accepts_submissions: bool | None = None
    how_to_submit: str | None = None  # routes, "; "-joined: "email", "Google form", "Twitter/DM", ...
    submit_to: str | None = None  # the address, form URL or handle the page gives, "; "-joined
    exclusivity: str | None = None  # "unpublished only" | "previously published accepted"
    reprints: str | None = None  # canonical / reprint policy
    link_policy: str | None = None  # "no affiliate links; max 2 links; no self-promotion", ...
    response_time: str | None = None  # "within 2 weeks"; "no reply in 14 days means declined"
    evidence: tuple[tuple[str, str], ...] = ()

    FIELDS = ("accepts_submissions", "how_to_submit", "submit_to", "exclusivity", "reprints", "link_policy",
              "response_time")  # fmt: skip

    def said(self) -> bool:
        """True when the page said anything at all about submitting."""
        return any(getattr(self, f) is not None for f in self.FIELDS)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"url": self.url}
        out.update({f: getattr(self, f) for f in self.FIELDS})
        out["evidence"] = [{"field": f, "sentence": s} for f, s in self.evidence]
        return out


@dataclass(frozen=True, slots=True)
class PublicationRecord:
    slug: str | None
    id: str | None = None
    name: str | None = None
    domain: str | None = None
    description: str | None = None
    followers: int | None = None
    # Where to submit or read guidelines, when the page shows a link for it.
    submission_url: str | None = None
    nav_links: tuple[tuple[str, str], ...] = ()  # (title, url) of navigation items
    guidelines: Guidelines | None = None  # read off its guidelines post or about page, when this is one


def _direct_init(cls: type) -> None:
    """Give a frozen, slotted record an `__init__` that fills its slots through their descriptors.

    The one dataclasses generates for a frozen class calls `object.__setattr__` per field, which made
    building a PostRecord (25 fields) a sixth of a tag page's parse. Same parameters, defaults and
    resulting object; instances stay frozen (assignment still raises FrozenInstanceError), and
    `dataclasses.replace` goes through it too.
    """
    params: list[str] = []
    body: list[str] = []
    env: dict[str, Any] = {}
    for f in fields(cls):
        if not f.init or f.default_factory is not MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: only plain fields and defaults are supported")
        if f.default is MISSING:
            params.append(f.name)
        else:
            env[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        env[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        body.append(f"    _set_{f.name}(self, {f.name})")
    source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body) + "\n"
    exec(source, env)  # how dataclasses itself builds __init__
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[misc]


for _record in (LinkRecord, PostRecord, AuthorRecord, PublicationRecord):
    _direct_init(_record)


@dataclass(slots=True)
class PageResult:
    kind: PageKind
    posts: list[PostRecord] = field(default_factory=list)
    authors: list[AuthorRecord] = field(default_factory=list)
    publications: list[PublicationRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Page-level facts outside the contract.
    url: str | None = None  # the URL the page says it is (canonical / og:url), else the fetched one
    blocked_reason: str | None = None
    outlinks: list[str] = field(default_factory=list)  # Medium URLs worth crawling next

    def to_contract(self) -> dict[str, Any]:
        """The exact JSON shape of ../shared/inspect-json.md."""
        return {
            "kind": str(self.kind),
            "posts": [_post_contract(p) for p in self.posts],
            "authors": [
                {"id": a.id, "username": a.username, "name": a.name, "bio": a.bio, "followers": a.followers}
                for a in self.authors
            ],
            "publications": [
                {
                    "id": p.id,
                    "slug": p.slug,
                    "name": p.name,
                    "domain": p.domain,
                    "description": p.description,
                    "followers": p.followers,
                    # Beyond the base contract: present only on a guidelines post or about page.
                    **({"guidelines": p.guidelines.to_dict()} if p.guidelines is not None else {}),
                }
                for p in self.publications
            ],
            "warnings": list(self.warnings),
        }


def _post_contract(p: PostRecord) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": p.id,
        "title": p.title,
        "url": p.url,
        "canonical_url": p.canonical_url,
        "author": p.author,
        "author_name": p.author_name,
        "publication": p.publication,
        "tags": list(p.tags),
        "published_at": p.published_at,
        "claps": p.claps,
        "responses": p.responses,
        "reading_time": p.reading_time,
        "locked": p.locked,
        "links": [{"url": link.url, "rel": link.rel, "anchor": link.anchor} for link in (p.links or ())],
    }
    if p.counts_approx:
        # Not in the base contract: claps/responses are rounded values shown on the page ("1.2K").
        out["counts_approximate"] = True
    if p.layers:
        out["layers"] = dict(p.layers)
    if p.is_response:
        # Not in the base contract: a user's responses are marked, never counted as posts.
        out["is_response"] = True
        out["in_response_to"] = p.in_response_to
    return out


@dataclass(frozen=True, slots=True)
class RecheckedPage:
    """One page read again for `monitor`: the answer, and what the parser saw when it was a 200.

    Produced by `crawler/recheck.py` (a polite fetch; a folder of saved pages may produce it too) and
    judged by `outreach/monitor.py`, which never fetches or parses anything itself.
    """

    url: str
    status: int | None  # None: no answer (timeout, connection error, robots.txt refused)
    result: PageResult | None = None  # the parsed page, when it answered 200
    text: str = ""  # the visible article text (for mentions of the product without a link)
    error: str | None = None

    @property
    def failed(self) -> bool:
        """Transient: says nothing about the page, so it is not a miss."""
        return self.status is None or self.status >= 500 or self.status in (429, 403)

    @property
    def gone(self) -> bool:
        return self.status in (404, 410)
