"""The prospect record: one row per author, publication or link lead, its columns defined once here.

`rank`, `queue` and `export` all print these columns, in this order, in csv, json and jsonl alike
(the README's column table is generated from COLUMNS: meaning and an example for each). Empty means
unknown or not applicable, never 0.

A prospect is built from a queue row (outreach.queue.QueueRow: the ranking's entry, the outreach log's
stage and next step) plus what the store knows about reaching the person: name split into first and
last (only when the name is plainly two words), a website from the bio, the Twitter/X profile.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from linkscout.core.niche import Niche
from linkscout.core.records import Guidelines
from linkscout.outreach.posts import NichePosts, load_niche_posts
from linkscout.outreach.queue import QueueRow, as_of_datetime, utm_url
from linkscout.store.guidelines import publication_guidelines
from linkscout.store.prospects import AuthorContact, PublicationDetail, author_contacts, publication_details

KINDS = ("authors", "publications", "links")
REASON_MAX = 200


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    meaning: str
    example: str


_RANK = Column("rank", "place in the full ranking (gaps are entries this list leaves out)", "3")
_SCORE = Column("score", "overall fit, 0-1 (the ranking's weighted components times its penalties)", "0.8124")
_COMPONENTS = Column(
    "components",
    "each score component, 0-1 (json: an object; csv: name=value pairs)",
    "relevance=0.91; engagement=0.83; consistency=0.92",
)
_REASON = Column(
    "reason",
    f"the first evidence sentence, at most {REASON_MAX} characters",
    "10 niche posts in the 90 days...",
)
_RATIONALE = Column(
    "rationale",
    "every evidence sentence behind the score, in full",
    "10 niche posts ...; links to ahrefs.com twice",
)
_STAGE = Column("stage", "outreach stage derived from the logged events", "engaging")
_LAST = Column("last_contact", "date of the last logged contact, YYYY-MM-DD", "2026-11-02")
_NEXT = Column(
    "next_action",
    "one concrete next step (a comment only on a post under 48 h old)",
    'Published 20 h ago (2026-11-14), inside the 48-hour window: comment on "3 Lessons on ...": https://...',
)
_DUE = Column(
    "due_date",
    "when the next step is due, YYYY-MM-DD; blank when it waits on the author's next post",
    "2026-11-15",
)
_UTM = Column(
    "utm_url",
    "your site tagged utm_source=medium&utm_medium=referral&utm_campaign=<niche>, where the step may link it",
    "https://example.com/?utm_source=medium&utm_medium=referral&utm_campaign=seo-for-saas",
)
_NICHE90 = Column("niche_posts_90d", "niche posts in the 90 days up to as_of", "6")

# Every kind's reason, rationale and where its outreach stands, in this order.
_OUTREACH = (_REASON, _RATIONALE, _STAGE, _LAST, _NEXT, _DUE)
AUTHOR_COLUMNS: tuple[Column, ...] = (
    _RANK,
    Column("handle", "Medium username, lower-case, no @ (the key stage import reads)", "mina_oye"),
    Column("name", "display name on Medium", "Mina Oyelaran"),
    Column("first_name", "first name when the name is plainly 'First Last'; blank when unsure", "Mina"),
    Column("last_name", "last name, under the same rule", "Oyelaran"),
    Column("profile_url", "Medium profile", "https://medium.com/@mina_oye"),
    Column(
        "website", "first non-Medium web address in the bio; blank when there is none", "https://minaoye.com"
    ),
    Column("twitter_url", "X/Twitter profile Medium shows for the author", "https://x.com/minaoye"),
    Column("bio", "Medium bio", "SEO lead at a B2B SaaS."),
    Column("followers", "Medium followers; blank when unknown", "1390"),
    _NICHE90,
    _SCORE,
    _COMPONENTS,
    *_OUTREACH,
    Column(
        "post_to_comment_on",
        "URL of the niche post to comment on next",
        "https://medium.com/@mina_oye/...-1a2b3c4d5e6f",
    ),
    Column("post_title", "title of that post", "3 Lessons on Onboarding Emails"),
    _UTM,
)
PUBLICATION_COLUMNS: tuple[Column, ...] = (
    _RANK,
    Column("slug", "Medium publication slug (the key stage import reads)", "saas-growth-notes"),
    Column("name", "publication name", "SaaS Growth Notes"),
    Column(
        "url",
        "publication home page (its custom domain when it has one)",
        "https://medium.com/saas-growth-notes",
    ),
    Column("followers", "followers; blank when unknown", "46000"),
    Column("niche_share", "share of its posts on the niche, 0-1", "0.98"),
    _NICHE90,
    Column(
        "submission_url",
        "its submission guidelines page, when one was found",
        "https://medium.com/.../write-for-us-d06972b38762",
    ),
    Column(
        "accepts_submissions",
        "its guidelines say it takes submissions: true/false; blank when unsaid",
        "true",
    ),
    Column("how_to_submit", "routes its guidelines give (email, Google form, Twitter/DM, ...)", "email"),
    Column("submit_to", "the address, form or handle its guidelines give", "editors@example.com"),
    Column(
        "exclusivity",
        "unpublished only / previously published accepted; blank when unsaid",
        "unpublished only",
    ),  # fmt: skip
    Column("reprints", "its canonical / reprint policy; blank when unsaid", "no reprints"),
    Column("link_policy", "its rules on links; blank when unsaid", "no affiliate links; max 2 links"),
    Column(
        "response_time", "how soon it answers, as its guidelines say; blank when unsaid", "within 14 days"
    ),
    Column("editors", "editors' names where the publication shows them publicly (not read yet: blank)", ""),
    _SCORE,
    _COMPONENTS,
    *_OUTREACH,
    _UTM,
)
LINK_COLUMNS: tuple[Column, ...] = (
    _RANK,
    Column("author", "Medium username of the post's author (the key stage import reads)", "lenanakashima"),
    Column("name", "the author's display name", "Lena Nakashima"),
    Column(
        "post",
        "URL of the author's newest post linking to a competitor",
        "https://contentloop.pub/...-417cad198af3",
    ),
    Column("post_title", "its title", "What 12 Months of Thought Leadership Taught Me About Anchor Text"),
    Column("competitor", "the competitor domain it links to (from niche.toml)", "ahrefs.com"),
    Column("url", "the exact competitor URL linked", "https://ahrefs.com/blog/internal-links-guide"),
    Column(
        "rel",
        "the link's raw rel attribute (nofollow, ugc...); blank: a followed link",
        "noopener ugc nofollow",
    ),
    _SCORE,
    *_OUTREACH,
    _UTM,
)
COLUMNS: dict[str, tuple[Column, ...]] = {
    "authors": AUTHOR_COLUMNS,
    "publications": PUBLICATION_COLUMNS,
    "links": LINK_COLUMNS,
}
KEY_COLUMN = {"authors": "handle", "publications": "slug", "links": "author"}


def column_names(kind: str) -> list[str]:
    return [c.name for c in COLUMNS[kind]]


# ---- best-effort contact details -------------------------------------------------------------

_NAME_WORD = re.compile(r"^[^\W\d_]+(?:['-][^\W\d_]+)*$")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"')]+")
_BARE_DOMAIN = re.compile(
    r"(?i)(?<![@\w.])((?:[a-z0-9-]+\.)+(?:com|io|co|dev|net|org|blog|me|ai|app|xyz|uk|de))\b(/[^\s<>\"')]*)?"
)
_NOT_A_WEBSITE = ("medium.com", "twitter.com", "x.com", "t.co", "bit.ly", "linktr.ee")


def split_name(name: str | None) -> tuple[str | None, str | None]:
    """('Mina', 'Oyelaran') for a plain two-word name; (None, None) when unsure (one word, three
    words, initials, digits, emoji, a company or a tagline)."""
    words = (name or "").split()
    if len(words) == 2 and all(_is_name_word(w) for w in words):
        return words[0], words[1]
    return None, None


def _is_name_word(w: str) -> bool:
    """'Mina', 'Zoë', "O'Neil", 'Anne-Marie'; not 'SEO', 'J.', 'growth' or '3D'."""
    return bool(_NAME_WORD.match(w)) and len(w) >= 2 and w[0].isupper() and not w.isupper()


def website_from_bio(bio: str | None) -> str | None:
    """The first web address in the bio that is not Medium or a social network, as an https URL."""
    text = bio or ""
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(".,;:!?")
        if not url.lower().startswith("http"):
            url = "https://" + url
        if not _is_social(url):
            return url
    for m in _BARE_DOMAIN.finditer(text):
        url = "https://" + m.group(0).rstrip(".,;:!?")
        if not _is_social(url):
            return url
    return None


def _is_social(url: str) -> bool:
    host = url.split("://", 1)[-1].split("/", 1)[0].lower().removeprefix("www.")
    return any(host == d or host.endswith("." + d) for d in _NOT_A_WEBSITE)


def twitter_url(handle: str | None) -> str | None:
    h = (handle or "").strip().lstrip("@")
    return f"https://x.com/{h}" if h else None


def short_reason(reasons: Sequence[str], rationale: str) -> str:
    first = (reasons[0] if reasons else rationale).strip()
    if len(first) <= REASON_MAX:
        return first
    cut = first[: REASON_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def components_text(components: Mapping[str, float]) -> str:
    return "; ".join(f"{k}={v:.2f}" for k, v in components.items())


# ---- building prospects ----------------------------------------------------------------------


@dataclass(frozen=True)
class ProspectContext:
    """What every prospect of one run shares: contact details, niche posts, the campaign link, now."""

    authors: dict[str, AuthorContact]
    publications: dict[str, PublicationDetail]
    posts: NichePosts
    utm: str | None
    now: datetime
    guidelines: dict[str, Guidelines] = field(default_factory=dict)  # publication slug -> what its pages say

    @classmethod
    def load(
        cls, db: Database, niche: Niche, as_of: Any = None, *, handles: Collection[str] | None = None
    ) -> ProspectContext:
        """`handles`: the only authors whose contact details are needed (the rows to be shown)."""
        return cls(
            author_contacts(db, handles), publication_details(db), load_niche_posts(db, niche), utm_url(niche),
            as_of_datetime(niche, as_of), publication_guidelines(db),
        )  # fmt: skip


def prospect_rows(
    kind: str, rows: Sequence[QueueRow], ctx: ProspectContext, *, fmt: str = "json"
) -> list[dict[str, Any]]:
    """Queue rows as prospect dicts with exactly `column_names(kind)`, in order. `fmt` "csv" flattens
    the components to text; json and jsonl keep them an object."""
    since = ctx.now - timedelta(days=90)
    out = []
    for r in rows:
        d: dict[str, Any] = {
            "rank": r.rank,
            "score": None if r.score is None else round(float(r.score), 4),
            "components": {k: round(float(v), 4) for k, v in r.components.items()},
            "reason": short_reason(r.reasons, r.rationale),
            "rationale": r.rationale,
            "stage": r.stage,
            "last_contact": r.last_contact[:10] if r.last_contact else None,
            "next_action": r.next_step,
            "due_date": r.due.isoformat() if r.due else None,
            "utm_url": ctx.utm if r.links_site else None,
        }
        if fmt == "csv":
            d["components"] = components_text(d["components"])
        if kind == "publications":
            p = ctx.publications.get(r.handle)
            d.update(
                slug=r.handle, name=r.name, url=r.url, followers=p.followers if p else None,
                niche_share=_round(r.components.get("niche_share")),
                niche_posts_90d=ctx.posts.count_since("publication", r.handle, since, ctx.now),
                submission_url=p.submission_url if p else None, editors=None,
            )  # fmt: skip
            g = ctx.guidelines.get(r.handle)
            d.update({name: getattr(g, name) if g else None for name in Guidelines.FIELDS})
        else:
            a = ctx.authors.get(r.handle)
            first, last = split_name(r.name)
            d.update(handle=r.handle, author=r.handle, name=r.name)
            if kind == "links":
                d.update(post=r.suggested_post_url, post_title=r.suggested_post, competitor=r.competitor,
                         url=r.link_url, rel=r.rel)  # fmt: skip
            else:
                d.update(
                    first_name=first, last_name=last, profile_url=r.url,
                    website=website_from_bio(a.bio if a else None), twitter_url=twitter_url(a.twitter if a else None),
                    bio=a.bio if a else None, followers=a.followers if a else None,
                    niche_posts_90d=ctx.posts.count_since("author", r.handle, since, ctx.now),
                    post_to_comment_on=r.suggested_post_url, post_title=r.suggested_post,
                )  # fmt: skip
        out.append({c: d.get(c) for c in column_names(kind)})
    return out


def _round(v: float | None) -> float | None:
    return None if v is None else round(float(v), 4)


def columns_markdown() -> str:
    """The README's column reference, generated from COLUMNS."""
    parts = []
    for kind, cols in COLUMNS.items():
        parts.append(f"**{kind}**\n\n| column | meaning | example |\n|---|---|---|")
        parts += [f"| `{c.name}` | {c.meaning} | {c.example or '(blank)'} |" for c in cols]
        parts.append("")
    return "\n".join(parts)
