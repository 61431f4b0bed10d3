"""One HTML page in, one merged `PageResult` out: every layer present, merged field by field.

    parse_html(text: str, url: str | None = None, status: int | None = None, *, utf8: bytes | None = None)
        -> PageResult    # utf8: `text` encoded as UTF-8 when the caller has it (saves encoding it)

Order of trust: Apollo state, then legacy obvInit/GLOBALS, then JSON-LD/meta, then the DOM. A field
keeps the first non-None value in that order, except body links, which come from the DOM first
(only the rendered page has the real `rel`). The page's own URL comes from the canonical link,
`og:url`, the caller's URL, then the embedded ids (HTTrack rewrote some canonicals to local file
names such as `%40NateRubenRDM.html` or `index.html`, which are ignored). It never raises.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from linkscout.core import urls
from linkscout.core.records import (
    AuthorRecord,
    LinkRecord,
    PageKind,
    PageResult,
    PostRecord,
    PublicationRecord,
)
from linkscout.crawler.parse import norm
from linkscout.crawler.parse.apollo import ApolloData, extract_state, parse_state
from linkscout.crawler.parse.cards import ArticleFacts, article_facts, listing_posts
from linkscout.crawler.parse.detect import detect
from linkscout.crawler.parse.dom import DomFacts, body_links, body_roots, dom_tree, read_facts
from linkscout.crawler.parse.guidelines import read_guidelines
from linkscout.crawler.parse.jsonld import PageMeta, read_meta
from linkscout.crawler.parse.legacy import LegacyData, extract_payload, parse_references

_GUIDELINES = re.compile(
    r"submi|guideline|write[- ]for|writers?[- ]wanted|contribut|how[- ]to[- ]pitch", re.I
)
# Medium never serves `.html` paths: on a Medium host one is HTTrack's local copy name.
_HTTRACK_LOCAL = re.compile(r"^https?://(?:[\w-]+\.)*medium\.com/[^?#]*\.html(?:[?#]|$)", re.I)
_KIND_BY_URL = {
    urls.UrlKind.POST: PageKind.ARTICLE,
    urls.UrlKind.RESPONSE: PageKind.ARTICLE,
    urls.UrlKind.PROFILE: PageKind.PROFILE,
    urls.UrlKind.PROFILE_ABOUT: PageKind.PROFILE,
    urls.UrlKind.PROFILE_FOLLOWERS: PageKind.PROFILE,
    urls.UrlKind.PUBLICATION: PageKind.PUBLICATION,
    urls.UrlKind.PUBLICATION_ABOUT: PageKind.PUBLICATION,
    urls.UrlKind.PUBLICATION_ARCHIVE: PageKind.PUBLICATION,
    urls.UrlKind.PUBLICATION_TAGGED: PageKind.PUBLICATION,
    urls.UrlKind.PUBLICATION_FOLLOWERS: PageKind.PUBLICATION,
    urls.UrlKind.TAG: PageKind.TAG,
    urls.UrlKind.TAG_RECOMMENDED: PageKind.TAG,
    urls.UrlKind.TAG_LATEST: PageKind.TAG,
    urls.UrlKind.TAG_ARCHIVE: PageKind.TAG,
}


def parse_html(
    text: str, url: str | None = None, status: int | None = None, *, utf8: bytes | None = None
) -> PageResult:
    """Merge every layer of one Medium HTML page. Never raises: failures become warnings. `utf8`,
    when given, must be exactly `text.encode("utf-8")`."""
    try:
        page = _Page(text if isinstance(text, str) else str(text), url, status)
        page.utf8 = utf8 if page.text is text else None
        return page.build()
    except Exception as exc:  # noqa: BLE001 - last-resort guard; each layer already guards itself
        return PageResult(
            kind=PageKind.OTHER, url=url, warnings=[f"HTML parser failed: {type(exc).__name__}"]
        )


class _Page:
    def __init__(self, text: str, url: str | None, status: int | None) -> None:
        self.text = text
        self.given_url = url if _is_http(url) else None
        self.status = status
        self.utf8: bytes | None = None
        self.warnings: list[str] = []

    def build(self) -> PageResult:
        # The head alone carries meta and JSON-LD; the full DOM is parsed only for an article's body
        # or when no embedded state says what the page is (a 500 KB tag page then costs a few ms).
        end = self.text.find("</head>", 0, 2_000_000)
        head_tree = dom_tree(self.text[: end + 7], self.warnings) if end > 0 else None
        tree = head_tree if head_tree is not None else dom_tree(self.text, self.warnings)
        meta = read_meta(tree)
        self.warnings.extend(meta.warnings)
        hit = detect(self.text, self.status, meta.title, utf8=self.utf8)
        if hit is not None:
            return PageResult(
                kind=hit.kind, url=self._page_url(meta, ApolloData(), LegacyData()), blocked_reason=hit.reason,
                warnings=[*self.warnings, hit.reason],
            )  # fmt: skip
        state, w = extract_state(self.text)
        self.warnings.extend(w)
        apollo = parse_state(state) if state is not None else ApolloData()
        self.warnings.extend(apollo.warnings)
        payload, w = extract_payload(self.text)
        self.warnings.extend(w)
        legacy = parse_references(payload, self.given_url) if payload is not None else LegacyData()
        self.warnings.extend(legacy.warnings)
        needs_dom = not (state is not None or payload is not None) or bool(
            apollo.main_post_id or legacy.main_post_id
        )
        if head_tree is not None and needs_dom:
            tree = dom_tree(self.text, self.warnings)
        facts = read_facts(tree) if needs_dom else DomFacts()
        page_url = self._page_url(meta, apollo, legacy)
        kind = self._kind(page_url, meta, apollo, legacy)
        main_id = self._main_post_id(kind, page_url, meta, apollo, legacy, facts)
        if main_id is not None and not needs_dom:
            tree = dom_tree(self.text, self.warnings)
            facts = read_facts(tree)
        if kind is PageKind.OTHER and main_id is not None and page_url is None:
            kind = PageKind.ARTICLE

        posts: dict[str, PostRecord] = {}
        for rec in (*apollo.posts, *legacy.posts):
            posts[rec.id] = _merge(posts[rec.id], rec) if rec.id in posts else rec
        authors = _merge_by(apollo.authors + legacy.authors, lambda a: a.username)
        pubs = _merge_by(apollo.publications + legacy.publications, lambda p: p.slug)
        if state is None and payload is None:
            # No embedded state (SingleFile, MHTML, scripts stripped): the post cards in the markup.
            for card in listing_posts(tree, page_url, skip=main_id):
                posts.setdefault(card.id, card)
                if card.author and card.author not in authors:
                    authors[card.author] = AuthorRecord(username=card.author)
                if card.publication and card.publication not in pubs:
                    pubs[card.publication] = PublicationRecord(slug=card.publication)

        if main_id is not None:
            base = page_url or (posts[main_id].url if main_id in posts else None)
            dom_links = body_links(tree, base)
            posts[main_id] = self._main_post(main_id, posts.get(main_id), meta, facts, dom_links, page_url)
            if state is None and payload is None:
                posts[main_id] = _with_article_facts(posts[main_id], article_facts(tree, page_url))
            self._ld_people(posts[main_id], meta, authors, pubs)
            if posts[main_id].publication and _is_guidelines(posts[main_id], page_url, tree):
                if kind is PageKind.ARTICLE:
                    kind = PageKind.PUBLICATION  # a publication's submission-guidelines post
                slug = posts[main_id].publication
                if slug in pubs and pubs[slug].submission_url is None:
                    pubs[slug] = replace(pubs[slug], submission_url=page_url or posts[main_id].url)
                if slug in pubs:
                    blocks, links = _text_blocks(body_roots(tree))
                    pubs[slug] = replace(
                        pubs[slug], guidelines=read_guidelines(blocks, links, page_url or posts[main_id].url)
                    )
        elif meta.organization:
            self._ld_organization(meta, pubs)
        if main_id is None and kind is PageKind.PUBLICATION and len(pubs) == 1 and not posts:
            # A publication's about page (no posts of its own): what it says about submissions.
            slug, pub = next(iter(pubs.items()))
            if head_tree is not None and tree is head_tree:
                tree = dom_tree(self.text, self.warnings)
            if _is_about(self.given_url, page_url, pub, tree):
                blocks, links = _text_blocks([tree.body] if tree.body is not None else [], leaves=True)
                about = (self.given_url or page_url or "").rstrip("/")
                url = about if about.endswith("/about") else (about + "/about" if about else None)
                pubs[slug] = replace(pub, guidelines=read_guidelines(blocks, links, url))

        ordered = self._order_posts(posts, main_id)
        canonical: dict[str, str] = {}  # per page: a post's URL is canonicalised for it and for outlinks
        ordered = [_finish_post(p, canonical) for p in ordered]
        result = PageResult(
            kind=kind, posts=ordered, authors=list(authors.values()), publications=list(pubs.values()), url=page_url,
        )  # fmt: skip
        result.outlinks = _outlinks(result, canonical)
        self._warn(result, kind, main_id, state is not None, payload is not None, apollo, legacy, meta)
        result.warnings = list(dict.fromkeys(self.warnings))
        return result

    # -- identity of the page -------------------------------------------------------------------

    def _page_url(self, meta: PageMeta, apollo: ApolloData, legacy: LegacyData) -> str | None:
        canonical = meta.canonical
        if canonical and _is_http(canonical) and _HTTRACK_LOCAL.search(canonical):
            # HTTrack's local name made absolute by the browser that re-saved the page (MHTML).
            canonical = "./" + canonical.rsplit("/", 1)[-1]
        if canonical and not _is_http(canonical):
            self.warnings.append(
                f"canonical link is a local file name ({canonical[:60]}); HTTrack rewrote it"
            )
            canonical = None
        for cand in (canonical, meta.og_url if _is_http(meta.og_url) else None, self.given_url):
            if cand:
                return urls.canonicalize(cand)
        ld_url = norm.as_str(meta.article.get("url")) or norm.as_str(meta.article.get("mainEntityOfPage"))
        if _is_http(ld_url):
            return urls.canonicalize(ld_url or "")
        post_id = apollo.main_post_id or legacy.main_post_id or meta.app_post_id
        if post_id:
            for p in (*apollo.posts, *legacy.posts):
                if p.id == post_id and p.url:
                    return urls.canonicalize(p.url)
            return f"https://medium.com/p/{post_id}"
        user = apollo.page_user or legacy.page_user
        if user:
            return f"https://medium.com/@{user}"
        coll = apollo.page_collection or legacy.page_collection
        if coll:
            return f"https://medium.com/{coll}"
        tag = apollo.tag or legacy.tag
        if tag:
            return f"https://medium.com/tag/{tag}"
        return None

    def _kind(self, page_url: str | None, meta: PageMeta, apollo: ApolloData, legacy: LegacyData) -> PageKind:
        if apollo.main_post_id or legacy.main_post_id:
            return PageKind.ARTICLE
        if apollo.page_user or legacy.page_user:
            return PageKind.PROFILE
        if apollo.tag or legacy.tag:
            return PageKind.TAG
        if apollo.page_collection or legacy.page_collection:
            return PageKind.PUBLICATION
        if apollo.topic:
            return PageKind.OTHER
        if page_url:
            info = urls.classify(page_url)
            kind = _KIND_BY_URL.get(info.kind)
            if kind is not None:
                return kind
            if info.kind in (urls.UrlKind.SUBDOMAIN_HOME, urls.UrlKind.SUBDOMAIN_ABOUT):
                if meta.organization or meta.ld_publication:
                    return PageKind.PUBLICATION
                return PageKind.PROFILE
            if info.kind is urls.UrlKind.EXTERNAL and (meta.ld_post_id or meta.app_post_id):
                return PageKind.ARTICLE  # a custom-domain publication post
            return PageKind.OTHER
        if meta.ld_post_id or meta.app_post_id:
            return PageKind.ARTICLE
        return PageKind.OTHER

    def _main_post_id(
        self, kind: PageKind, page_url: str | None, meta: PageMeta, apollo: ApolloData, legacy: LegacyData,
        facts: DomFacts,
    ) -> str | None:  # fmt: skip
        if kind is not PageKind.ARTICLE:
            return None
        for cand in (apollo.main_post_id, legacy.main_post_id, meta.ld_post_id, meta.app_post_id):
            if cand:
                return cand
        from_url = urls.post_id_from_url(page_url) if page_url else None
        return from_url or facts.legacy_post_id

    # -- the page's own post --------------------------------------------------------------------

    def _main_post(
        self, pid: str, rec: PostRecord | None, meta: PageMeta, facts: DomFacts,
        dom_links: Any, page_url: str | None,
    ) -> PostRecord:  # fmt: skip
        art = meta.article

        def wanted(name: str) -> bool:
            """Whether `ld`'s value can reach the result: `_merge` keeps every value `rec` has, so
            DOM facts (a CSS query over the whole page each) are only looked up for the others."""
            if rec is None:
                return True
            value = getattr(rec, name)
            return value is None or value == ()

        author_url = (
            norm.as_str(norm.as_dict(art.get("author")).get("url"))
            or meta.author_url
            or (facts.author_url if wanted("author") else None)
        )
        author = urls.username_from_url(_abs(author_url)) if author_url else None
        free = meta.ld_free
        canonical = (
            meta.canonical if _is_http(meta.canonical) else (meta.og_url if _is_http(meta.og_url) else None)
        )
        ld = PostRecord(
            id=pid,
            title=_clean_title(
                norm.as_str(art.get("headline"))
                or meta.og_title
                or (facts.title if wanted("title") else None),
                (_ld_name(art.get("publisher")), _ld_name(art.get("author")), meta.author_name),
            ),
            url=page_url if page_url and urls.post_id_from_url(page_url) == pid else None,
            canonical_url=canonical,
            author=norm.username(author),
            author_name=_ld_name(art.get("author")) or meta.author_name,
            publication=meta.ld_publication,
            tags=meta.ld_tags,
            published_at=norm.iso_from_text(art.get("datePublished")) or meta.published_at,
            updated_at=norm.iso_from_text(art.get("dateModified")),
            reading_time=meta.reading_time
            if meta.reading_time is not None
            else (facts.reading_time if wanted("reading_time") else None),
            locked=(not free) if free is not None else None,
            claps=facts.claps if wanted("claps") else None,
            responses=facts.responses if wanted("responses") else None,
        )
        merged = _merge(rec, ld) if rec is not None else ld
        if rec is None and merged.title and facts.title and merged.title != facts.title:
            # No embedded state: the og/`<title>` headline may carry " – Publication" or " – Author";
            # the page's own headline (its <h1>) is the title when the other merely extends it.
            tail = merged.title[len(facts.title) :]
            if merged.title.startswith(facts.title) and re.match(r"^\s*[–—|-]\s*\S", tail):
                merged = replace(merged, title=facts.title)
        if merged.title is None and facts.title:
            merged = replace(merged, title=facts.title)
        if dom_links is not None and (dom_links or merged.links is None):
            merged = replace(merged, links=dom_links)  # the rendered rel is the real one
        if merged.canonical_url is None and canonical:
            merged = replace(merged, canonical_url=canonical)
        return merged

    def _ld_people(
        self,
        post: PostRecord,
        meta: PageMeta,
        authors: dict[str, AuthorRecord],
        pubs: dict[str, PublicationRecord],
    ) -> None:
        if post.author and post.author not in authors:
            authors[post.author] = AuthorRecord(
                username=post.author, name=post.author_name, id=post.author_id
            )
        if post.publication and post.publication not in pubs:
            publisher = norm.as_dict(meta.article.get("publisher"))
            pubs[post.publication] = PublicationRecord(
                slug=post.publication, name=norm.as_str(publisher.get("name")), id=post.publication_id
            )
        if meta.organization:
            self._ld_organization(meta, pubs)

    def _ld_organization(self, meta: PageMeta, pubs: dict[str, PublicationRecord]) -> None:
        slug = meta.ld_publication
        if slug is None:
            return
        org = meta.organization
        url = norm.as_str(org.get("url")) or ""
        host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower() or None
        domain = host if host and host != "medium.com" else None
        rec = PublicationRecord(slug=slug, name=norm.as_str(org.get("name")), domain=domain)
        pubs[slug] = _merge(pubs[slug], rec) if slug in pubs else rec

    def _order_posts(self, posts: dict[str, PostRecord], main_id: str | None) -> list[PostRecord]:
        if main_id is None or main_id not in posts:
            return list(posts.values())
        return [posts[main_id], *(p for k, p in posts.items() if k != main_id)]

    # -- warnings -------------------------------------------------------------------------------

    def _warn(
        self, result: PageResult, kind: PageKind, main_id: str | None, has_apollo: bool, has_legacy: bool,
        apollo: ApolloData, legacy: LegacyData, meta: PageMeta,
    ) -> None:  # fmt: skip
        w = self.warnings
        embedded = has_apollo or has_legacy
        if kind is PageKind.ARTICLE:
            if main_id is None:
                w.append("article: no post id found (no embedded state, JSON-LD or post URL)")
                return
            main = result.posts[0]
            if not embedded:
                w.append("article: no embedded state (scripts stripped?); claps and responses unknown")
            if main.claps is None and embedded:
                w.append("article: clap count not found")
            if main.responses is None and embedded:
                w.append("article: response count not found")
            for name in ("title", "author", "published_at", "reading_time"):
                if getattr(main, name) is None:
                    w.append(f"article: {name.replace('_', ' ')} not found")
            if main.links is None:
                w.append("article: no post body found; body links unknown")
            if main.locked:
                w.append("article: member-only post; body links are a partial preview")
        elif kind is PageKind.PROFILE:
            user = apollo.page_user or legacy.page_user
            author = next((a for a in result.authors if a.username == user), None) if user else None
            if not embedded:
                w.append("profile: no embedded state; author details unknown")
            elif author is None:
                w.append("profile: the profile's user was not found in the embedded state")
            elif author.followers is None:
                w.append("profile: follower count not found")
            if embedded and not result.posts:
                w.append("profile: no posts listed")
        elif kind is PageKind.PUBLICATION:
            slug = apollo.page_collection or legacy.page_collection or meta.ld_publication
            if main_id is not None:
                main = result.posts[0]
                slug = slug or main.publication
            rec = next((p for p in result.publications if p.slug == slug), None) if slug else None
            if not embedded:
                w.append("publication: no embedded state; publication details unknown")
            elif rec is None:
                w.append("publication: the publication was not found in the embedded state")
            elif rec.followers is None:
                w.append("publication: follower count not found")
        elif kind is PageKind.TAG:
            if not embedded:
                w.append("tag: no embedded state; listed posts unknown")
            elif not result.posts:
                w.append("tag: no posts listed")
        if embedded and kind is not PageKind.ARTICLE and any(p.claps is None for p in result.posts):
            w.append(f"{kind}: clap counts missing for some listed posts")


def _with_article_facts(post: PostRecord, af: ArticleFacts) -> PostRecord:
    """Fill what the markup shows and no structured layer gave (tags, publication, counts)."""
    changes: dict[str, Any] = {}
    if not post.tags and af.tags:
        changes["tags"] = af.tags
    if post.publication is None and af.publication:
        changes["publication"] = af.publication
    if post.claps is None and af.claps is not None:
        changes["claps"] = af.claps
    if post.responses is None and af.responses is not None:
        changes["responses"] = af.responses
    if not changes:
        return post
    if af.approx and ("claps" in changes or "responses" in changes):
        changes["counts_approx"] = True
    layers = dict(post.layers)
    layers.update({name: "dom" for name in changes if name != "counts_approx"})
    changes["layers"] = tuple(sorted(layers.items()))
    return replace(post, **changes)


_BLOCKS = "p, li, h1, h2, h3, h4, h5, h6, blockquote, pre, figcaption"
_LEAF_BLOCKS = _BLOCKS + ", div, section"


def _text_blocks(roots: list[Any], *, leaves: bool = False) -> tuple[list[str], list[LinkRecord]]:
    """Text of each block under `roots` in page order, and every anchor (mailto: too). `leaves`: any
    element holding no other block (an about page keeps its text in plain divs)."""
    blocks: list[str] = []
    links: list[LinkRecord] = []
    for root in roots:
        for node in root.css(_LEAF_BLOCKS if leaves else _BLOCKS):
            if node.tag in ("script", "style", "noscript"):
                continue
            if leaves and node.css_first(_LEAF_BLOCKS) is not None:
                continue
            text = node.text(deep=True, separator=" ")
            if text and text.strip():
                blocks.append(text)
        for a in root.css("a[href]"):
            href = (a.attributes.get("href") or "").strip()
            if href:
                links.append(LinkRecord(href, a.attributes.get("rel"), a.text(deep=True).strip()))
    return blocks, links


def _is_about(
    given: str | None, page_url: str | None, pub: PublicationRecord, tree: LexborHTMLParser
) -> bool:
    """The page is the publication's about page: its URL says so, or a heading reads "About <name>"
    (a saved copy's canonical often names the home page)."""
    for u in (given, page_url):
        if u and urls.classify(u).kind in (urls.UrlKind.PUBLICATION_ABOUT, urls.UrlKind.SUBDOMAIN_ABOUT):
            return True
        if u and urlsplit(u).path.rstrip("/").endswith("/about"):
            return True
    if not pub.name:
        return False
    want = f"about {pub.name}".lower()
    return any(" ".join(h.text(deep=True).split()).lower() == want for h in tree.css("h1, h2, h3"))


def _is_guidelines(post: PostRecord, page_url: str | None, tree: LexborHTMLParser) -> bool:
    """A publication's own submission-guidelines post ("Write for us", "Submission guidelines", or a
    post about the publication itself whose body talks about submitting)."""
    if _GUIDELINES.search(f"{post.title or ''} {page_url or ''}"):
        return True
    if re.search(r"\bpublication\b", post.title or "", re.I):
        body = " ".join(n.text(deep=True, separator=" ") for n in body_roots(tree))
        return bool(re.search(r"\bsubmi(?:t|ssion)", body, re.I))
    return False


def _merge(first: Any, second: Any) -> Any:
    """Field by field: keep `first`'s value unless it is None (or an empty tag tuple)."""
    changes = {}
    for f in fields(first):
        a, b = getattr(first, f.name), getattr(second, f.name)
        if (a is None or a == ()) and b is not None and b != ():
            changes[f.name] = b
    return replace(first, **changes) if changes else first


def _merge_by(records: list[Any], key: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for rec in records:
        k = key(rec)
        if k is None:
            continue
        out[k] = _merge(out[k], rec) if k in out else rec
    return out


def _canonical(url: str, memo: dict[str, str]) -> str:
    canon = memo.get(url)
    if canon is None:
        canon = memo[url] = urls.canonicalize(url)
    return canon


def _finish_post(p: PostRecord, memo: dict[str, str]) -> PostRecord:
    changes: dict[str, Any] = {}
    if p.url:
        canon = _canonical(p.url, memo)
        if canon != p.url:
            changes["url"] = canon
    if p.links is not None and p.locked and p.links_partial is None:
        changes["links_partial"] = True
    if p.in_response_to and not p.is_response:
        changes["is_response"] = True
    return replace(p, **changes) if changes else p


def _outlinks(result: PageResult, memo: dict[str, str]) -> list[str]:
    found: list[str] = []
    tags_seen: set[str] = set()
    for p in result.posts:
        if p.url:
            found.append(p.url)
        for link in p.links or ():
            # An article lists 50-500 of these, so `_is_http` is inline, and the split is skipped when
            # the host cannot be Medium's: "medium.com" nowhere in the URL (lower-cased, as
            # `is_medium_host` compares) and no tab or newline for urlsplit to delete first.
            u = link.url
            if (
                u
                and u.startswith(("http://", "https://"))
                and ("medium.com" in u.lower() or "\t" in u or "\n" in u or "\r" in u)
                and urls.is_medium_host(urlsplit(u).hostname)
            ):
                found.append(u)
        for tag in p.tags:
            if tag not in tags_seen:  # every card names the page's tag: its URL is made once
                tags_seen.add(tag)
                found.append(f"https://medium.com/tag/{tag}")
    for a in result.authors:
        if a.username:
            found.append(f"https://medium.com/@{a.username}")
    for pub in result.publications:
        if pub.domain:
            found.append(f"https://{pub.domain}/")
        elif pub.slug:
            found.append(f"https://medium.com/{pub.slug}")
    own = result.url
    out: list[str] = []
    seen: set[str] = set()
    raw_seen: set[str] = set()  # a tag named by every card is canonicalised once, not per card
    for u in found:
        if u in raw_seen:
            continue
        raw_seen.add(u)
        canon = _canonical(u, memo)
        if canon not in seen and canon != own:
            seen.add(canon)
            out.append(canon)
    return out


def _is_http(url: str | None) -> bool:
    return bool(url) and (url.startswith("http://") or url.startswith("https://"))  # type: ignore[union-attr]


def _abs(url: str) -> str:
    return url if _is_http(url) else "https://medium.com" + (url if url.startswith("/") else "/" + url)


def _ld_name(author: Any) -> str | None:
    if isinstance(author, list) and author:
        author = author[0]
    return norm.as_str(norm.as_dict(author).get("name"))


def _clean_title(title: str | None, names: tuple[str | None, ...] = ()) -> str | None:
    """JSON-LD/og titles carry " - Publication - Medium" or " | by Author | Medium" tails."""
    if title is None:
        return None
    for sep in (" | by ", " - Medium", " – Medium", " | Medium"):
        if sep in title:
            title = title.split(sep)[0]
    for name in names:
        if name and title.endswith(f" - {name}"):
            title = title[: -len(name) - 3]
    return title.strip() or None
