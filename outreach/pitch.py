"""What a pitch card says: how to reach the author, what opened the door, and which of the user's
pages to offer (the `[assets]` of niche.toml, matched to what the author already links to), each
with its own UTM link. Built from the store's facts only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from sqlite_utils import Database

from linkscout.core.niche import Asset, Niche
from linkscout.outreach.stages import Summary, iso
from linkscout.store.contacts import AuthoredLink, author_contact, author_links, editors_of

NO_ROUTE = "no contact route: respond on the post"
_URL = re.compile(
    r"https?://[^\s<>\"')]+|\b(?:www\.)?[a-z0-9-]+\.(?:com|io|co|net|org|dev|app|me)(?:/[^\s<>\"')]*)?\b",
    re.I,
)
_WORD = re.compile(r"[a-z0-9]+")
# Page types an author links to, by path words: a specific page beats a homepage.
PAGE_TYPES = {
    "template": ("template", "templates", "checklist", "worksheet", "spreadsheet"),
    "guide": ("guide", "guides", "how", "tutorial", "playbook", "learn", "academy"),
    "tool": ("tool", "tools", "calculator", "checker", "generator", "planner", "app"),
    "blog": ("blog", "post", "article", "posts"),
    "study": ("study", "research", "report", "data", "survey"),
}


def page_type(url: str) -> str:
    path = urlsplit(url).path.lower()
    if path.strip("/") == "":
        return "homepage"
    words = set(_WORD.findall(path))
    for kind, names in PAGE_TYPES.items():
        if words & set(names):
            return kind
    return "page"


def website(bio: str | None) -> str | None:
    """The first non-Medium, non-social web address in a bio, as a URL."""
    for m in _URL.finditer(bio or ""):
        url = m.group(0).rstrip(".,;")
        host = urlsplit(url if "://" in url else f"https://{url}").hostname or ""
        if any(host.endswith(h) for h in ("medium.com", "twitter.com", "x.com", "linkedin.com")):
            continue
        return url if "://" in url else f"https://{url}"
    return None


def utm_link(niche: Niche, asset: Asset, handle: str) -> str:
    q = {
        "utm_source": "medium",
        "utm_medium": "referral",
        "utm_campaign": niche.niche.name,
        "utm_content": handle,
        "utm_term": asset.key,
    }
    sep = "&" if "?" in asset.url else "?"
    return asset.url + sep + "&".join(f"{k}={quote(v, safe='-_.~')}" for k, v in q.items())


@dataclass(frozen=True, slots=True)
class AssetMatch:
    asset: Asset
    score: float
    why: str
    utm_url: str


def match_assets(niche: Niche, handle: str, links: list[AuthoredLink]) -> list[AssetMatch]:
    """Assets ranked by what the author already links to: keywords in anchor texts and link paths,
    and the same page type (a guide for someone who links to guides). Unmatched assets come last."""
    texts = [
        " ".join([lk.anchor or "", urlsplit(lk.url).path.replace("-", " ").replace("/", " ")]).lower()
        for lk in links
    ]
    types = [page_type(lk.url) for lk in links]
    out = []
    for asset in niche.assets:
        hits = sorted({k for k in asset.keywords for t in texts if k.lower() in t})
        kind = page_type(asset.url)
        same = sum(1 for t in types if t == kind and kind not in ("homepage", "page"))
        score = 2.0 * len(hits) + (1.0 if same else 0.0)
        reasons = []
        if hits:
            reasons.append("they link to pages about " + ", ".join(hits))
        if same:
            reasons.append(f"they link to {same} {kind} page{'s' if same != 1 else ''}")
        why = "; ".join(reasons) or "no match in what they link to"
        out.append(AssetMatch(asset, score, why, utm_link(niche, asset, handle)))
    out.sort(key=lambda m: (-m.score, m.asset.key))
    return out


def pitch_card(db: Database, niche: Niche, handle: str, summary: Summary) -> dict[str, Any]:
    """Contact routes, the reply that opened the door, the assets to offer, and warnings."""
    contact = author_contact(db, handle)
    routes: list[dict[str, str]] = []
    if contact and contact.twitter:
        routes.append({"route": "twitter", "url": f"https://x.com/{contact.twitter.lstrip('@')}"})
    site = website(contact.bio if contact else None)
    if site:
        routes.append({"route": "website", "url": site})
    for slug, name in editors_of(db, handle):
        routes.append({"route": "publication editor", "url": f"https://medium.com/{slug}/about",
                       "note": f"{name or slug}'s about page, where a publication lists its editors"})  # fmt: skip
    opened = summary.opened_by
    matches = match_assets(niche, handle, author_links(db, handle))
    warnings = [] if summary.responded else [f"@{handle} has never replied: a pitch now is cold"]
    return {
        "contact_routes": routes,
        "contact": ", ".join(f"{r['route']} {r['url']}" for r in routes[:3]) if routes else NO_ROUTE,
        "opened_by": None
        if opened is None
        else {"event": opened.event, "at": iso(opened.at), "url": opened.url, "note": opened.note},
        "assets": [
            {
                "key": m.asset.key,
                "title": m.asset.title,
                "url": m.asset.url,
                "utm_url": m.utm_url,
                "why": m.why,
            }
            for m in matches[:3]
        ],
        "warnings": warnings,
    }
