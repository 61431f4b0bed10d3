"""The rendered DOM, read last: post-body anchors with their raw `rel`, and the `pw-*` hooks.

Body anchors are the ones whose nearest paragraph-level ancestor (p, li, h1–h6, blockquote, pre,
figure/figcaption, or an element carrying a Medium paragraph id, `graf*`, `pw-post-body-paragraph`
or `data-selectable-paragraph`) sits inside the post: `.postArticle-content` / `.section-content`
(legacy), else `<article>` `<section>`s (Apollo). Byline, footer and recirculation cards are divs and
spans, so they fall out without relying on Medium's generated class names (`bn b dn ...`), which
change with every build. The `rel` attribute is kept byte-for-byte; only whitespace-only becomes None.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from linkscout.core.records import LinkRecord
from linkscout.crawler.parse import norm

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure", "figcaption"}
_PARA_ID = re.compile(r"^[0-9a-f]{4}$")
_STOP = {"article", "body", "html", "main"}
_SKIP_HREF = re.compile(r"^(?:#|javascript:|data:)", re.I)
_NOT_CONTENT = re.compile(r"/_/stat\b|/m/signin\b|/m/callback/|/m/global-identity", re.I)
# _SKIP_HREF.match or _NOT_CONTENT.search, in one scan.
_NOT_BODY_HREF = re.compile(f"{_SKIP_HREF.pattern}|{_NOT_CONTENT.pattern}", re.I)
_COUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KkMm])?\s*$")
_MAX_DEPTH = 64


# Real Medium pages nest about 30-60 elements deep; lexbor's tree building is quadratic in nesting
# depth (8,000 levels cost 40x a flat page of the same size), so hostile markup is flattened first.
MAX_NESTING = 512
_TAG = re.compile(
    r"<(/?)(?!(?:area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr)\b)[a-zA-Z]"
)
_FLATTEN_STEPS = (
    # 1: drop layout-only elements, keep what the layers read (anchors, body containers, head).
    re.compile(
        r"</?(?!(?:a|article|section|main|script|style|meta|link|title|head|html|body|time|h[1-6])\b)"
        r"[a-zA-Z][^>]*>"
    ),  # fmt: skip
    # 2: still too deep: keep only anchors and the head's elements.
    re.compile(r"</?(?!(?:a|script|style|meta|link|title|head|html|body)\b)[a-zA-Z][^>]*>"),
)


def nesting_depth(text: str) -> int:
    """An upper bound of the element nesting depth: opening minus closing tags, void tags aside."""
    if text.count("<") <= MAX_NESTING:
        return 0  # cannot nest deeper than it has tags
    depth = deepest = 0
    for closing in _TAG.findall(text):
        if closing:
            depth -= 1
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
    return deepest


def dom_tree(text: str, warnings: list[str]) -> LexborHTMLParser:
    """The full DOM of `text`, flattened first when its markup nests pathologically deep."""
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        for step in _FLATTEN_STEPS:
            text = step.sub("", text)
            if nesting_depth(text) <= MAX_NESTING:
                break
        else:
            text = re.sub(r"<[^>]*>", " ", text)  # nothing but text is left to read
        warnings.append(f"markup nests about {depth} elements deep; layout elements dropped before parsing")
    return LexborHTMLParser(text)


class DomFacts:
    """What the rendered page shows about its main post (used only when no structured layer did).

    Each value is looked up in the tree the first time it is asked for (one CSS query over the whole
    page each): an article whose embedded state already gave title, author and counts asks for few
    or none. Without a tree every value is unknown. A lookup that fails leaves its value unknown.
    """

    __slots__ = ("_tree", "_seen")

    def __init__(self, tree: LexborHTMLParser | None = None) -> None:
        self._tree = tree
        self._seen: dict[str, Any] = {}

    def _value(self, name: str, read: Callable[[LexborHTMLParser], Any], default: Any = None) -> Any:
        if name not in self._seen:
            value = default
            if self._tree is not None:
                try:
                    value = read(self._tree)
                except Exception:  # noqa: BLE001 - DOM facts are a best-effort fallback
                    value = default
            self._seen[name] = value
        return self._seen[name]

    @property
    def title(self) -> str | None:
        return cast("str | None", self._value("title", _read_title))

    @property
    def author_url(self) -> str | None:
        return cast("str | None", self._value("author_url", _read_author_url))

    @property
    def reading_time(self) -> float | None:
        return cast("float | None", self._value("reading_time", _read_reading_time))

    @property
    def claps(self) -> int | None:
        return cast("int | None", self._value("claps", lambda t: _count(t.css_first(".pw-multi-vote-count"))))

    @property
    def responses(self) -> int | None:
        return cast(
            "int | None", self._value("responses", lambda t: _count(t.css_first(".pw-responses-count")))
        )

    @property
    def has_body(self) -> bool:
        return bool(self._value("has_body", lambda t: bool(body_roots(t)), False))

    @property
    def legacy_post_id(self) -> str | None:
        """data-post-id on legacy rendered pages."""
        return cast("str | None", self._value("legacy_post_id", _read_legacy_post_id))


def body_roots(tree: LexborHTMLParser) -> list[LexborNode]:
    roots = tree.css(".postArticle-content")
    if not roots:
        roots = tree.css("article section")
    if not roots:
        roots = tree.css(".section-content")
    return roots


def body_links(tree: LexborHTMLParser, base_url: str | None = None) -> tuple[LinkRecord, ...] | None:
    """Every anchor of the post body, in page order; None when the page shows no post body."""
    roots = body_roots(tree)
    if not roots:
        return None
    several = len(roots) > 1  # nested roots can list one anchor twice; one root's query cannot
    seen: set[int] = set()
    links: list[LinkRecord] = []
    in_para: dict[int, bool] = {}  # by parent node: the anchors of one paragraph share the answer
    for root in roots:
        for a in root.css("a[href]"):
            if several:
                key = a.mem_id
                if key in seen:
                    continue
                seen.add(key)
            parent = a.parent
            pkey = parent.mem_id if parent is not None else 0
            ok = in_para.get(pkey)
            if ok is None:
                ok = in_para[pkey] = _in_paragraph_from(parent)
            if not ok:
                continue
            attrs = a.attributes  # selectolax builds this dict on every access: read it once
            href = (attrs.get("href") or "").strip()
            if not href or (_may_skip(href) and _NOT_BODY_HREF.search(href)):
                continue
            url = href if href.startswith(("https://", "http://")) else _absolute(href, base_url)
            rel = attrs.get("rel")
            rel = rel if rel is not None and rel.strip() else None
            anchor = " ".join((a.text(deep=True, separator=" ") or "").split())
            links.append(LinkRecord(url, rel, anchor))
    return tuple(links)


def _may_skip(href: str) -> bool:
    """False only when `_NOT_BODY_HREF` cannot match `href`: an ASCII href that neither starts with
    `#`, `j` or `d` (any case) nor holds `/_/` or `/m/` (any case). The case-insensitive regex costs
    about 2 µs an href; these checks a fraction of that."""
    if not href.isascii():
        return True  # Unicode case folding (e.g. "ſ" matches "s"): leave it to the regex
    return href[0] in "#jJdD" or "/_/" in href or "/m/" in href or "/M/" in href


def _in_paragraph_from(cur: LexborNode | None) -> bool:
    """Whether a node whose parent is `cur` sits in a paragraph-level element of the post."""
    depth = 0
    while cur is not None and depth < _MAX_DEPTH:
        tag = cur.tag
        if tag in _STOP:
            return False
        if tag in _BLOCKS:
            return True
        attrs = cur.attributes
        if "data-selectable-paragraph" in attrs:
            return True
        ident = attrs.get("id")
        if ident and _PARA_ID.match(ident):
            return True
        cls = attrs.get("class") or ""
        if ("graf" in cls or "pw-post-body" in cls) and any(
            t.startswith("graf") or t.startswith("pw-post-body") for t in cls.split()
        ):
            return True
        cur = cur.parent
        depth += 1
    return False


def _absolute(href: str, base_url: str | None) -> str:
    if urlsplit(href).scheme:
        return href
    if base_url and urlsplit(base_url).scheme in ("http", "https"):
        return urljoin(base_url, href)
    if href.startswith("/"):
        return urljoin("https://medium.com", href)
    return href


def read_facts(tree: LexborHTMLParser) -> DomFacts:
    return DomFacts(tree)


def _read_title(tree: LexborHTMLParser) -> str | None:
    title = (
        tree.css_first(".pw-post-title") or tree.css_first("h1.graf--title") or tree.css_first("article h1")
    )
    return norm.as_str(" ".join(title.text(deep=True).split())) if title is not None else None


def _read_author_url(tree: LexborHTMLParser) -> str | None:
    author = tree.css_first(".pw-author a[href]") or tree.css_first('a[rel~="author"][href]')
    return norm.as_str(author.attributes.get("href")) if author is not None else None


def _read_reading_time(tree: LexborHTMLParser) -> float | None:
    rt = tree.css_first(".pw-reading-time")
    if rt is None:
        return None
    m = re.search(r"(\d+(?:\.\d+)?)\s*min", rt.text())
    return float(m.group(1)) if m else None


def _read_legacy_post_id(tree: LexborHTMLParser) -> str | None:
    post = tree.css_first("[data-post-id]")
    return norm.post_id(post.attributes.get("data-post-id")) if post is not None else None


def _count(node: LexborNode | None) -> int | None:
    if node is None:
        return None
    m = _COUNT.match(node.text(deep=True) or "")
    if not m:
        return None
    value = float(m.group(1))
    unit = (m.group(2) or "").lower()
    value *= 1000 if unit == "k" else 1_000_000 if unit == "m" else 1
    return int(round(value))
