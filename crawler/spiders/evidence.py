"""What parsed pages say about who writes niche posts and where: the best-first frontier's scores.

Every parsed page teaches which authors wrote niche posts (tagged with a niche tag, listed on a niche
tag page, or with a keyword in the title) and which publications host them; a URL's score follows
that evidence. Scores only grow as evidence arrives. Pure, no Scrapy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from linkscout.core.records import PageResult
from linkscout.core.urls import UrlInfo, UrlKind

TAG_KINDS = frozenset({UrlKind.TAG, UrlKind.TAG_RECOMMENDED, UrlKind.TAG_LATEST, UrlKind.FEED_TAG})
PUB_TAG_KINDS = frozenset({UrlKind.PUBLICATION_TAGGED, UrlKind.FEED_PUBLICATION_TAGGED})
AUTHOR_KINDS = frozenset({UrlKind.PROFILE, UrlKind.FEED_USER, UrlKind.PROFILE_ABOUT})
PUB_KINDS = frozenset({UrlKind.PUBLICATION, UrlKind.FEED_PUBLICATION, UrlKind.PUBLICATION_ABOUT})
SUB_KINDS = frozenset({UrlKind.SUBDOMAIN_HOME, UrlKind.FEED_SUBDOMAIN, UrlKind.SUBDOMAIN_ABOUT})

Key = tuple[str, str]  # ("a", username) / ("p", publication slug) / ("post", post id)


class NicheEvidence:
    def __init__(self, tags: Iterable[str] = (), keywords: Iterable[str] = ()) -> None:
        self.niche_tags = frozenset(t.strip().lower().replace(" ", "-") for t in tags if t.strip())
        self.keywords = tuple(k.strip().lower() for k in keywords if k.strip())
        self.author_tags: defaultdict[str, set[str]] = defaultdict(set)
        self.author_posts: defaultdict[str, set[str]] = defaultdict(set)
        self.pub_posts: defaultdict[str, set[str]] = defaultdict(set)
        self.post_niche: dict[str, float] = {}
        self.post_author: dict[str, str] = {}
        self.covered_posts: set[str] = set()

    def learn(self, result: PageResult, context: UrlInfo | None) -> set[Key]:
        """Take in a parsed page (`context`: the page's own URL); returns the keys whose score may change."""
        touched: set[Key] = set()
        context_tag = context.tag if context and context.kind in TAG_KINDS | PUB_TAG_KINDS else None
        for post in result.posts:
            if post.links is not None and not post.links_partial:
                self.covered_posts.add(post.id)  # body already read (a feed's full content)
            author = (post.author or "").lower().lstrip("@") or None
            touched.add(("post", post.id))
            if author:
                self.post_author.setdefault(post.id, author)
                touched.add(("a", author))
            if post.publication:
                touched.add(("p", post.publication.lower()))
            tags = {t.lower() for t in post.tags} & self.niche_tags
            if context_tag in self.niche_tags:
                tags.add(context_tag)
            title = f"{post.title or ''} {post.subtitle or ''}".lower()
            keyword = any(k in title for k in self.keywords)
            weight = len(tags) + (0.5 if keyword else 0.0)
            if weight <= 0:
                continue
            self.post_niche[post.id] = max(self.post_niche.get(post.id, 0.0), weight)
            if author:
                self.author_tags[author] |= tags or {"~keyword"}
                self.author_posts[author].add(post.id)
            if post.publication:
                self.pub_posts[post.publication.lower()].add(post.id)
        return touched

    def author_score(self, username: str | None) -> float:
        if not username:
            return 0.0
        return 2.0 * len(self.author_tags.get(username, ())) + min(
            len(self.author_posts.get(username, ())), 8
        )

    def pub_score(self, slug: str | None) -> float:
        if not slug:
            return 0.0
        return min(len(self.pub_posts.get(slug, ())), 12) * 1.5

    def score(self, info: UrlInfo, depth: int) -> float:
        kind = info.kind
        tie = -0.001 * depth
        if kind in TAG_KINDS or kind in PUB_TAG_KINDS:
            return (500.0 if info.tag in self.niche_tags else 0.2) + tie
        if kind in AUTHOR_KINDS:
            a = self.author_score(info.username)
            factor = {UrlKind.PROFILE: 1.0, UrlKind.FEED_USER: 0.95, UrlKind.PROFILE_ABOUT: 0.2}[kind]
            return (10.0 * a + 5.0) * factor + tie
        if kind is UrlKind.POST:
            # An author's pages say more than any one post; a post whose body a feed already gave
            # is worth little more than its engagement numbers.
            pid = info.post_id or ""
            author = info.username or self.post_author.get(pid)
            value = 2.0 * self.post_niche.get(pid, 0.0) + self.author_score(author) + 0.5
            return value * (0.1 if pid in self.covered_posts else 1.0) + tie
        if kind in PUB_KINDS or kind in SUB_KINDS:
            slug = info.publication or info.ambiguous_subdomain
            score = max(self.pub_score(slug), self.author_score(info.ambiguous_subdomain))
            factor = 0.2 if kind in (UrlKind.PUBLICATION_ABOUT, UrlKind.SUBDOMAIN_ABOUT) else 1.0
            return (12.0 * score + 1.0) * factor + tie
        return 0.1 + tie


def evidence_keys(info: UrlInfo) -> list[Key]:
    """The evidence a URL's score depends on."""
    keys: list[Key] = []
    for user in sorted({info.username, info.ambiguous_subdomain} - {None}):  # type: ignore[type-var]
        keys.append(("a", user))  # type: ignore[arg-type]
    for pub in sorted({info.publication, info.ambiguous_subdomain} - {None}):  # type: ignore[type-var]
        keys.append(("p", pub))  # type: ignore[arg-type]
    if info.post_id:
        keys.append(("post", info.post_id))
    return keys
