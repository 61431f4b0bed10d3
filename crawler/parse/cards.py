"""Post cards in the rendered markup: the DOM layer for pages whose embedded state is gone.

SingleFile, Chrome's MHTML and other scripts-stripped saves keep only the markup. Every listing page
Medium has shipped (tag, tag archive, publication home, profile, search, home feed, and an
article's "More from" recirculation) shows each post as a card: a link to the post holding the
title (a heading, or the link's own text), near links to the author (`/@user`, user subdomain)
and the publication, a `<time>` or a "Mar 3, 2021" date, "N min read", and counts as shown.

A card is the largest ancestor of the title link that names no other post. Counts are read from
their own controls: legacy `multirecommend`/`js-multirecommendCountButton` buttons and "N responses"
links, a number next to a clap link (`/_/vote/`, `clap_preview`) and in a `responsesOpen` link
(2020-2024), and the 2025 speech-bubble icon beside a number. A count shown rounded ("1.2K") is kept
with `counts_approx`, never as exact; a card that shows no count leaves it unknown (never 0).
Each record says, in `layers`, that its values came from the DOM. Class names are never relied on
except the legacy ones that were stable for years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from linkscout.core import urls
from linkscout.core.records import PostRecord
from linkscout.crawler.parse import norm

_COUNT = re.compile(r"^\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*([KkMm])?\s*$")
_RESPONSES_TEXT = re.compile(r"^\s*(\d[\d,.]*)\s*([KkMm])?\s+respons", re.I)
_READ = re.compile(r"(\d+(?:\.\d+)?)\s*min(?:ute)?s?\s+read", re.I)
_DATE = re.compile(r"\b([A-Z][a-z]{2})\s+(\d{1,2}),\s+(\d{4})\b")
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
)}  # fmt: skip
_NOT_TITLE = re.compile(r"^(?:read more\b|continue reading\b|\d[\d,.]*\s*[km]?(?:\s+\w+)?\W*$)", re.I)
_HEADINGS = "h1, h2, h3, h4"
_BUBBLE = "M12.344 11.458"  # the 2025 responses icon's path
_MAX_UP = 14
_HTTRACK_NAME = re.compile(r"^(.*-[0-9a-f]{8,12})(?:[0-9a-f]{4})?\.html$")
_CUSTOM_DOMAIN_POST = re.compile(r"/[a-z0-9%]+(?:-[a-z0-9%]+){2,}-([0-9a-f]{10,12})/?$")


def listing_posts(tree: LexborHTMLParser, base_url: str | None, skip: str | None = None) -> list[PostRecord]:
    """Every post card on the page, in page order (the post `skip`, the page's own, left out)."""
    ids: dict[str, str | None] = {}

    def post_of(a: LexborNode) -> str | None:
        legacy = a.attributes.get("data-post-id")
        if legacy:
            return norm.post_id(legacy)
        href = (a.attributes.get("href") or "").strip()
        if href not in ids:
            ids[href] = _post_id(href, base_url)
        return ids[href]

    by_post: dict[str, list[LexborNode]] = {}
    # Which posts each ancestor's links name, up to _MAX_UP levels: one pass, not a search per card.
    owners: dict[int, set[str]] = {}
    for a in tree.css("a[href]"):
        pid = post_of(a)
        if not pid:
            continue
        cur, depth = a.parent, 0
        while cur is not None and cur.tag not in ("body", "html") and depth < _MAX_UP:
            owners.setdefault(cur.mem_id, set()).add(pid)
            cur, depth = cur.parent, depth + 1
        if pid != skip:
            by_post.setdefault(pid, []).append(a)
    out: list[PostRecord] = []
    for pid, anchors in by_post.items():
        title, title_node = _title(anchors)
        if title is None or title_node is None:
            continue
        card = _card(title_node, pid, owners)
        out.append(_read_card(pid, title, anchors, card, base_url))
    return out


def _post_id(href: str, base_url: str | None) -> str | None:
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return None
    url = _absolute(href, base_url)
    parts = urlsplit(url)
    if parts.path.endswith(".html") and urls.is_medium_host(parts.hostname):
        # HTTrack's local copy name, "slug-<id>[<4 hex>].html": Medium itself never serves .html.
        url = parts._replace(path=_HTTRACK_NAME.sub(r"\1", parts.path)).geturl()
    if "/m/signin" in url or "/_/" in url:
        return None
    try:
        info = urls.classify(url)
    except Exception:  # noqa: BLE001 - a malformed href names no post
        return None
    if info.kind is urls.UrlKind.POST and info.post_id:
        return info.post_id
    if info.kind is urls.UrlKind.EXTERNAL:
        if base_url and _same_host(url, base_url):
            return urls.post_id_from_url(url)
        # A custom-domain publication's post: a Medium slug ending in the post's hex id.
        m = _CUSTOM_DOMAIN_POST.search(urlsplit(url).path)
        return m.group(1) if m else None
    return None


def _same_host(a: str, b: str) -> bool:
    return (urlsplit(a).hostname or "").lower() == (urlsplit(b).hostname or "").lower()


def _absolute(href: str, base_url: str | None) -> str:
    if urlsplit(href).scheme:
        return href
    if base_url and base_url.startswith(("http://", "https://")):
        return urljoin(base_url, href)
    return urljoin("https://medium.com/", href)


def _text(node: LexborNode) -> str:
    return " ".join((node.text(deep=True, separator=" ") or "").split())


def _title(anchors: list[LexborNode]) -> tuple[str | None, LexborNode | None]:
    """The card's headline: the highest-ranked heading in or around a link to the post (h1 before h2
    before h3; page order among equals), else the link's own text, else an image's alt text."""
    best: tuple[int, str, LexborNode] | None = None
    for a in anchors:
        found: list[tuple[int, str]] = [(int((h.tag or "h9")[1]), _text(h)) for h in a.css(_HEADINGS)]
        up = _heading_above(a)
        if up is not None:
            found.append((int((up.tag or "h9")[1]), _text(a)))
        for level, text in found:
            if text and not _NOT_TITLE.match(text) and (best is None or level < best[0]):
                best = (level, text, a)
    if best is not None:
        return best[1], best[2]
    longest: tuple[str | None, LexborNode | None] = (None, None)
    for a in anchors:
        text = _text(a)
        if (
            len(text.split()) >= 3  # a nav link ("Careers") is no headline
            and not _NOT_TITLE.match(text)
            and (longest[0] is None or len(text) > len(longest[0]))
        ):
            longest = (text, a)
    if longest[0] is not None:
        return longest
    for a in anchors:  # an image link: its alt or aria-label is the title
        label = a.attributes.get("aria-label") or next(
            (
                img.attributes.get("alt")
                for img in a.css("img[alt]")
                if (img.attributes.get("alt") or "").strip()
            ),
            None,
        )
        if label and label.strip():
            return " ".join(label.split()), a
    return None, None


def _heading_above(node: LexborNode) -> LexborNode | None:
    cur = node.parent
    for _ in range(3):
        if cur is None:
            return None
        if cur.tag in ("h1", "h2", "h3", "h4"):
            return cur
        cur = cur.parent
    return None


def _card(node: LexborNode, pid: str, owners: dict[int, set[str]]) -> LexborNode:
    """The largest ancestor of `node` whose links name no post but `pid`."""
    card = node
    cur = node.parent
    depth = 0
    while cur is not None and cur.tag not in ("body", "html") and depth < _MAX_UP:
        if owners.get(cur.mem_id, {pid}) != {pid}:
            return card
        card = cur
        cur = cur.parent
        depth += 1
    return card


def _read_card(
    pid: str, title: str, anchors: list[LexborNode], card: LexborNode, base_url: str | None
) -> PostRecord:
    layers = [("title", "dom")]
    author = publication = None
    for a in card.css("a[href]"):
        url = _absolute((a.attributes.get("href") or "").strip(), base_url)
        if "/m/signin" in url:
            continue
        try:
            info = urls.classify(url)
        except Exception:  # noqa: BLE001
            continue
        if author is None and info.kind is urls.UrlKind.PROFILE and info.username:
            author = info.username
        elif publication is None and info.kind is urls.UrlKind.PUBLICATION and info.publication:
            publication = info.publication
        elif author is None and a.attributes.get("data-action") == "show-user-card":
            author = urls.username_from_url(url)
        if publication is None and a.attributes.get("data-action") == "show-collection-card":
            publication = norm.slug(a.attributes.get("data-action-value"))
    post_url = next((_absolute((a.attributes.get("href") or "").strip(), base_url) for a in anchors), None)
    if publication is None and post_url:
        try:  # a publication's post URL names it: medium.com/<publication>/<slug>-<id>
            publication = urls.classify(post_url).publication
        except Exception:  # noqa: BLE001
            publication = None
    published = _published(card)
    reading = _reading_time(card)
    claps, responses, approx = _counts(card)
    for name, value in (("author", author), ("publication", publication), ("published_at", published),
                        ("reading_time", reading), ("claps", claps), ("responses", responses)):  # fmt: skip
        if value is not None:
            layers.append((name, "dom"))
    return PostRecord(
        id=pid, title=title, url=urls.canonicalize(post_url) if post_url else None, author=norm.username(author),
        publication=publication, published_at=published, reading_time=reading, claps=claps, responses=responses,
        counts_approx=True if approx else None, layers=tuple(layers),
    )  # fmt: skip


def _published(card: LexborNode) -> str | None:
    t = card.css_first("time[datetime]")
    if t is not None:
        when = norm.iso_from_text(t.attributes.get("datetime"))
        if when:
            return when
    m = _DATE.search(_text(card))
    if m and m.group(1).lower() in _MONTHS:
        return f"{int(m.group(3)):04d}-{_MONTHS[m.group(1).lower()]:02d}-{int(m.group(2)):02d}T00:00:00Z"
    return None


def _reading_time(card: LexborNode) -> float | None:
    for node in card.css("[title]"):
        m = _READ.search(node.attributes.get("title") or "")
        if m:
            return float(m.group(1))
    m = _READ.search(_text(card))
    return float(m.group(1)) if m else None


def parse_count(text: str) -> tuple[int, bool] | None:
    """ "959" -> (959, False); "1.2K" -> (1200, True): a rounded value, flagged approximate."""
    m = _COUNT.match(text)
    if not m:
        return None
    digits, unit = m.group(1).replace(",", ""), (m.group(2) or "").lower()
    value = float(digits)
    if unit:
        return int(round(value * (1000 if unit == "k" else 1_000_000))), True
    return int(value), False


def _counts(card: LexborNode) -> tuple[int | None, int | None, bool]:
    claps = responses = None
    approx = False
    # Legacy (2015-2021): multirecommend buttons and "N responses" links.
    for node in card.css("button[data-action='multivote-count'], .js-multirecommendCountButton, "
                         "button[data-action='show-recommends']"):  # fmt: skip
        got = parse_count(_text(node))
        if got:
            claps, approx = got[0], approx or got[1]
            break
    for a in card.css("a[href]"):
        href = a.attributes.get("href") or ""
        text = _text(a)
        m = _RESPONSES_TEXT.match(text)
        if responses is None and m:
            got = parse_count(m.group(1) + (m.group(2) or ""))
            if got:
                responses, approx = got[0], approx or got[1]
            continue
        if responses is None and "responsesOpen" in href:
            got = _number_in(a)
            if got:
                responses, approx = got[0], approx or got[1]
            continue
        if claps is None and ("/_/vote/" in href or "clap_preview" in href or "%2F_%2Fvote%2F" in href):
            got = _number_after(a)
            if got:
                claps, approx = got[0], approx or got[1]
            continue
        if responses is None and _BUBBLE in (a.html or ""):
            got = _number_in(a)
            if got:
                responses, approx = got[0], approx or got[1]
    return claps, responses, approx


def _number_in(node: LexborNode) -> tuple[int, bool] | None:
    for child in node.traverse(include_text=False):
        if child.tag in ("span", "p", "button", "div") and child.child is not None:
            got = parse_count(_text(child))
            if got:
                return got
    return parse_count(_text(node))


def _number_after(node: LexborNode, levels: int = 3) -> tuple[int, bool] | None:
    """The count beside a clap link: in the link, or in the next elements of its parent's row."""
    got = _number_in(node)
    if got:
        return got
    cur: LexborNode | None = node
    for _ in range(levels):
        if cur is None:
            return None
        sib = cur.next
        hops = 0
        while sib is not None and hops < 4:
            if sib.tag not in ("-text", "-comment"):
                got = parse_count(_text(sib))
                if got:
                    return got
                if sib.tag == "a":
                    break
            sib = sib.next
            hops += 1
        cur = cur.parent
    return None


# -- an article's own facts, when its embedded state is gone ------------------------------------


@dataclass(slots=True)
class ArticleFacts:
    """What an article's markup shows beyond its title: tags, publication, counts as shown."""

    tags: tuple[str, ...] = ()
    publication: str | None = None
    claps: int | None = None
    responses: int | None = None
    approx: bool = False


def article_facts(tree: LexborHTMLParser, base_url: str | None) -> ArticleFacts:
    facts = ArticleFacts()
    try:
        facts.tags = _article_tags(tree, base_url)
        facts.publication = _article_publication(tree, base_url)
        claps, approx_c = _article_claps(tree)
        responses, approx_r = _article_responses(tree)
        facts.claps, facts.responses, facts.approx = claps, responses, approx_c or approx_r
    except Exception:  # noqa: BLE001, S110 - markup facts are a best-effort fallback
        pass
    return facts


def _article_tags(tree: LexborHTMLParser, base_url: str | None) -> tuple[str, ...]:
    """Tag links of the post itself: legacy `data-action-source="post"` and `?source=post_page`
    (2022+). A publication's `/tagged/<tag>` links are left out: its navigation uses the same markup."""
    out: list[str] = []
    for a in tree.css("a[href*='/tag/']"):
        href = a.attributes.get("href") or ""
        own = (
            a.attributes.get("data-action-source") == "post"
            or re.search(r"[?&]source=post_page", href) is not None
        )
        if not own:
            continue
        try:
            info = urls.classify(_absolute(href, base_url))
        except Exception:  # noqa: BLE001
            continue
        tag = info.tag
        if tag and tag not in out:
            out.append(tag)
    return tuple(out)


def _article_publication(tree: LexborHTMLParser, base_url: str | None) -> str | None:
    for sel in ("a[data-testid='publicationName']", "a[data-action='show-collection-card']",
                "a[href*='source=post_sidebar']", "a[href*='post_publication']"):  # fmt: skip
        for a in tree.css(sel):
            value = a.attributes.get("data-action-value") if sel.endswith("card']") else None
            if value:
                return norm.slug(value)
            try:
                info = urls.classify(_absolute(a.attributes.get("href") or "", base_url))
            except Exception:  # noqa: BLE001
                continue
            if info.kind in (urls.UrlKind.PUBLICATION, urls.UrlKind.SUBDOMAIN_HOME) and info.publication:
                return info.publication
    return None


def _article_claps(tree: LexborHTMLParser) -> tuple[int | None, bool]:
    node = tree.css_first("button[data-action='show-recommends']")  # legacy
    if node is not None:
        got = parse_count(_text(node))
        if got:
            return got
    icon = tree.css_first("[data-testid='headerClapButton']") or tree.css_first("[aria-label='clap']")
    if icon is not None:
        cur = icon
        for _ in range(2):  # from the svg to its button
            if cur.tag == "button" or cur.parent is None:
                break
            cur = cur.parent
        got = _number_after(cur, levels=6)
        if got:
            return got
    return None, False


def _article_responses(tree: LexborHTMLParser) -> tuple[int | None, bool]:
    node = tree.css_first("button[data-action='scroll-to-responses']")  # legacy
    if node is not None:
        got = parse_count(_text(node))
        if got:
            return got
    icon = tree.css_first("[aria-label='responses']")
    if icon is not None:
        cur = icon
        for _ in range(3):
            if cur.tag == "button" or cur.parent is None:
                break
            cur = cur.parent
        got = _number_in(cur)
        if got:
            return got
    return None, False
