"""HTML pages in today's Medium markup (Apollo era): articles, tag pages, profiles, publications.

Structure follows the real captures (script order `__BUILD_ID__`, `__GRAPHQL_URI__`,
`__PRELOADED_STATE__`, `__APOLLO_STATE__`; `data-rh` meta; JSON-LD NewsArticle; `pw-*` and
`data-testid` hooks; `?source=` tracking suffixes; `rel="noopener follow"` inside Medium and
`rel="noopener ugc nofollow"` for external body links). All text is invented.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from functools import lru_cache
from html import escape

import orjson

from tools.fixture_gen import words as W
from tools.fixture_gen.guidelines import guideline_blocks
from tools.fixture_gen.model import Author, Post, Publication, World, profile_url

BUILD_ID = "main-20261112-181530-4f0c2a9d1e"


def iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def _json(obj: object) -> str:
    return orjson.dumps(obj).decode("utf-8").replace("</", "<\\/")


def _a(s: str) -> str:
    return escape(s, quote=True)


def _head(
    title: str, metas: list[tuple[str, str, str]], links: list[tuple[str, str]], jsonld: dict | None
) -> str:
    out = [
        '<!doctype html><html lang="en"><head>',
        f'<title data-rh="true">{escape(title)}</title>',
        '<meta data-rh="true" charset="utf-8"/>',
        '<meta data-rh="true" name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1,maximum-scale=1"/>',
        '<meta data-rh="true" name="theme-color" content="#000000"/>',
        '<meta data-rh="true" name="twitter:app:name:iphone" content="Medium"/>',
        '<meta data-rh="true" property="al:android:package" content="com.medium.reader"/>',
        '<meta data-rh="true" property="og:site_name" content="Medium"/>',
    ]
    for attr, key, value in metas:
        val_attr = "value" if key == "twitter:data1" else "content"
        out.append(f'<meta data-rh="true" {attr}="{key}" {val_attr}="{_a(value)}"/>')
    for rel, href in links:
        extra = ' type="application/rss+xml" title="RSS"' if rel == "alternate" and "/feed" in href else ""
        out.append(f'<link data-rh="true" rel="{rel}"{extra} href="{_a(href)}"/>')
    if jsonld is not None:
        out.append(f'<script data-rh="true" type="application/ld+json">{_json(jsonld)}</script>')
    out.append("</head>")
    return "".join(out)


def _tail(state: dict) -> str:
    return (
        f'<script>window.__BUILD_ID__="{BUILD_ID}"</script>'
        '<script>window.__GRAPHQL_URI__ = "https://medium.com/_/graphql"</script>'
        '<script>window.__PRELOADED_STATE__ = {"config":{"nodeEnv":"production"},"session":{"xsrf":""}}</script>'
        f"<script>window.__APOLLO_STATE__ = {_json(state)}</script>"
        '<script>window.__MIDDLEWARE_STATE__={"session":{"xsrf":""},"cache":{"cacheStatus":"HIT"}}</script>'
        '<script src="https://cdn-client.medium.com/lite/static/js/main.5d1c2f3a.js"></script>'
        "<script>window.main();</script></body></html>"
    )


def _nav(redirect: str, source: str) -> str:
    """Top bar; its sign-in links point under /m/, which robots.txt disallows."""
    red = redirect.replace(":", "%3A").replace("/", "%2F")
    return (
        '<body><div id="root"><div class="a b c"><div class="l m n">'
        f'<a data-testid="headerMediumLogo" rel="noopener follow" href="/?source={source}">Medium</a>'
        f'<a data-testid="headerSignInButton" rel="noopener follow" href="/m/signin?operation=login&amp;'
        f'redirect={red}&amp;source={source}">Sign in</a>'
        f'<a data-testid="headerSearchButton" rel="noopener follow" href="/search?source={source}">Search</a>'
        "</div>"
    )


def user_entity(a: Author, *, stats: bool = True) -> dict:
    ent: dict = {"__typename": "User", "id": a.uid, "name": a.name, "username": a.username, "bio": a.bio,
                 "imageId": f"1*{a.uid}.jpeg", "hasSubdomain": a.subdomain,
                 "customDomainState": ({"__typename": "CustomDomainState", "live": {
                     "__typename": "CustomDomain", "domain": f"{a.username}.medium.com"}} if a.subdomain else None),
                 "twitterScreenName": a.twitter or "", "isSuspended": False}  # fmt: skip
    if stats:
        ent["socialStats"] = {
            "__typename": "SocialStats",
            "followerCount": a.followers,
            "followingCount": a.following,
        }
    return ent


def collection_entity(world: World, p: Publication, *, full: bool = False) -> dict:
    ent: dict = {"__typename": "Collection", "id": p.cid, "slug": p.slug, "name": p.name,
                 "domain": p.domain if p.host == "custom" else None, "description": p.description,
                 "subscriberCount": p.subscribers,
                 "customDomainState": ({"__typename": "CustomDomainState", "live": {
                     "__typename": "CustomDomain", "domain": p.domain}} if p.domain else None)}  # fmt: skip
    if full:
        nav = [
            {
                "__typename": "NavItem",
                "title": t,
                "url": f"{p.home.rstrip('/')}/tagged/{t.lower()}",
                "type": "TAG_NAV_ITEM",
            }
            for t in (("SEO", "Content") if p.topic == "niche" else ("Stories",))
        ]
        if p.guideline_post:
            gp = next(x for x in world.posts if x.pid == p.guideline_post)
            nav.append(
                {"__typename": "NavItem", "title": "Write for us", "url": gp.url, "type": "POST_NAV_ITEM"}
            )
        nav.append(
            {"__typename": "NavItem", "title": "About", "url": about_url(p), "type": "EXTERNAL_LINK_NAV_ITEM"}
        )
        ent["navItems"] = nav
        ent["tagline"] = p.description
        ent["creator"] = {"__ref": f"User:{world.authors[p.editor].uid}"}
    return ent


def about_url(p: Publication) -> str:
    return f"https://{p.domain}/about" if p.domain else f"https://medium.com/{p.slug}/about"


def post_entity(world: World, post: Post, *, preview: bool = True) -> dict:
    a = world.authors[post.author]
    ent: dict = {
        "__typename": "Post", "id": post.pid, "title": post.title,
        "creator": {"__ref": f"User:{a.uid}"},
        "collection": {"__ref": f"Collection:{world.pubs[post.pub].cid}"} if post.pub else None,
        "mediumUrl": post.url, "uniqueSlug": f"{post.slug}-{post.pid}", "isPublished": True, "visibility":
        "LOCKED" if post.locked else "PUBLIC", "isLocked": post.locked, "isLimitedState": False,
        "allowResponses": True, "postResponses": {"__typename": "PostResponses", "count": post.responses},
        "clapCount": post.claps, "voterCount": post.voters, "firstPublishedAt": post.published_ms,
        "latestPublishedAt": post.updated_ms, "readingTime": post.reading_time, "pinnedAt": 0,
        "tags": [{"__ref": f"Tag:{t}"} for t in post.tags],
    }  # fmt: skip
    if preview:
        ent["extendedPreviewContent"] = {
            "__typename": "PreviewContent",
            "subtitle": post.subtitle,
            "isFullContent": False,
        }
    else:
        ent["previewContent"] = {"__typename": "PreviewContent", "subtitle": post.subtitle}
        ent["canonicalUrl"] = post.canonical or ""
        ent["inResponseToPostResult"] = None
        ent["updatedAt"] = post.updated_ms
    return ent


def tag_entity(tag: str) -> dict:
    title = tag.replace("-", " ").title().replace("Seo", "SEO").replace("Saas", "SaaS").replace("B2B", "B2B")
    return {"__typename": "Tag", "id": tag, "displayTitle": title, "normalizedTagSlug": tag}


def body_paragraphs(world: World, post: Post) -> list[tuple[str, str, str, list[tuple[int, int, str, str]]]]:
    """(name, type, text, [(start, end, href, rel)]) per paragraph, deterministic from the post id."""
    return _paragraphs(world, post)


@lru_cache(maxsize=256)  # an author's feed re-renders the bodies of the articles just written
def _paragraphs(world: World, post: Post) -> list[tuple[str, str, str, list[tuple[int, int, str, str]]]]:
    rng = random.Random(f"{world.seed}:body:{post.copy_of or post.pid}")  # a copy has the original's text
    d = world.domain
    if post.kind == "niche":
        things, bank = (d.niche_things, d.niche_sentences) if d else (W.NICHE_THINGS, W.NICHE_SENTENCES)
    elif post.kind == "near":
        things, bank = (d.near_things, d.near_sentences) if d else (W.NEAR_THINGS, W.NEAR_SENTENCES)
    elif post.kind == "guidelines" and post.pub:
        # What each publication's guidelines say varies (tools/fixture_gen/guidelines.py).
        blocks = guideline_blocks(world, world.pubs[post.pub])
        return [(f"{rng.getrandbits(16):04x}", kind, text, []) for kind, text in blocks]
    else:
        things, bank = W.OFF_THINGS.get(post.topic, W.NEAR_THINGS), W.OFF_SENTENCES
    n = rng.randint(3, 5) + len(post.links)
    paras = []
    for i in range(n):
        a, b = rng.sample(things, 2)
        text = " ".join(rng.choice(bank).format(a=a, b=b) for _ in range(rng.randint(2, 3)))
        marks: list[tuple[int, int, str, str]] = []
        if 1 <= i <= len(post.links):
            url, rel, anchor = post.links[i - 1]
            text += f" For the details, see {anchor}."
            start = len(text) - len(anchor) - 1
            marks.append((start, start + len(anchor), url, rel))
        kind = "H3" if i == n - 2 and n > 4 and i > len(post.links) else "P"
        if kind == "H3":
            text, marks = a[0].upper() + a[1:], []
        paras.append((f"{rng.getrandbits(16):04x}", kind, text, marks))
    if post.locked:
        paras = paras[:2]
    return paras


def paragraph_html(
    paras: list[tuple[str, str, str, list[tuple[int, int, str, str]]]], *, feed: bool = False
) -> str:
    out = []
    for name, kind, text, marks in paras:
        pos, parts = 0, []
        for start, end, href, rel in marks:
            parts.append(escape(text[pos:start]))
            if feed:
                parts.append(f'<a href="{_a(href)}">{escape(text[start:end])}</a>')
            else:
                tgt = "" if "follow" in rel.split() and "nofollow" not in rel else ' target="_blank"'
                parts.append(
                    f'<a class="ah nr" href="{_a(href)}" rel="{rel}"{tgt}>{escape(text[start:end])}</a>'
                )
            pos = end
        parts.append(escape(text[pos:]))
        inner = "".join(parts)
        if feed:
            out.append(f"<{kind.lower()}>{inner}</{kind.lower()}>")
        elif kind == "H3":
            out.append(f'<h2 id="{name}" class="ns nt gu bg" data-selectable-paragraph="">{inner}</h2>')
        else:
            out.append(f'<p id="{name}" class="pw-post-body-paragraph mv mw gu mx b" '
                       f'data-selectable-paragraph="">{inner}</p>')  # fmt: skip
    return "".join(out)


def _date_label(ms: int) -> str:
    d = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return f"{d.strftime('%b')} {d.day}, {d.year}"


def article(world: World, post: Post) -> str:
    a = world.authors[post.author]
    pub = world.pubs[post.pub] if post.pub else None
    paras = body_paragraphs(world, post)
    src = f"post_page-----{post.pid}---------------------------------------"
    author_url = profile_url(a)
    pubname = f" | {pub.name}" if pub else ""
    desc = paras[0][2][:150] + ("…" if len(paras[0][2]) > 150 else "")
    mins = max(1, round(post.reading_time))
    metas = [
        ("property", "og:type", "article"), ("property", "article:published_time", iso(post.updated_ms)),
        ("name", "title", f"{post.title} | by {a.name}{pubname} | Medium"), ("property", "og:title", post.title),
        ("name", "twitter:app:url:iphone", f"medium://p/{post.pid}"), ("name", "description", desc),
        ("property", "og:description", post.subtitle), ("property", "og:url", post.url),
        ("property", "og:image", f"https://miro.medium.com/v2/resize:fit:1200/1*{post.pid}.png"),
        ("property", "article:author", author_url), ("name", "author", a.name),
        ("name", "robots", "index,noarchive,follow,max-image-preview:large"), ("name", "referrer", "unsafe-url"),
        ("name", "twitter:card", "summary_large_image"),
    ] + ([("name", "twitter:creator", f"@{a.twitter}")] if a.twitter else []) + [
        ("name", "twitter:label1", "Reading time"), ("name", "twitter:data1", f"{mins} min read"),
    ]  # fmt: skip
    publisher = (
        {"@type": "Organization", "name": pub.name, "url": pub.home.rstrip("/")} if pub else
        {"@type": "Organization", "@id": "https://medium.com", "name": "Medium", "url": "https://medium.com"}
    )  # fmt: skip
    jsonld = {
        "@context": "https://schema.org", "@id": post.url, "@type": "NewsArticle",
        "image": [f"https://miro.medium.com/v2/resize:fit:1200/1*{post.pid}.png"], "url": post.url,
        "dateCreated": iso(post.published_ms), "datePublished": iso(post.published_ms),
        "dateModified": iso(post.updated_ms), "headline": post.title, "name": post.title, "description": desc,
        "identifier": post.pid,
        "keywords": [f"Tag:{tag_entity(t)['displayTitle']}" for t in post.tags]
        + ([f"Publication:{pub.slug}"] if pub else []) + [f"LockedPostSource:{'LOCKED_POST_SOURCE_UGC' if post.locked else 'LOCKED_POST_SOURCE_NONE'}"],
        "author": {"@type": "Person", "identifier": a.username, "name": a.name, "url": f"https://medium.com/@{a.username}"},
        "creator": [a.name], "publisher": publisher, "mainEntityOfPage": post.url,
        "isAccessibleForFree": not post.locked,
    }  # fmt: skip
    head = _head(f"{post.title} | by {a.name}{pubname} | Medium", metas,
                 [("author", author_url), ("canonical", post.canonical or post.url),
                  ("alternate", f"android-app://com.medium.reader/https/medium.com/p/{post.pid}")], jsonld)  # fmt: skip
    byline = (
        f'<a data-testid="authorName" rel="noopener follow" href="{_a(author_url)}?source={src}">{escape(a.name)}</a>'
        + (f' <span>in</span> <a data-testid="publicationName" rel="noopener follow" '
           f'href="{_a(pub.home)}?source={src}">{escape(pub.name)}</a>' if pub else "")
        + f'<span data-testid="storyReadTime">{mins} min read</span><span>·</span>'
        f'<span data-testid="storyPublishDate">{_date_label(post.published_ms)}</span>'
    )  # fmt: skip
    member = '<span data-testid="memberOnlyBadge">Member-only story</span>' if post.locked else ""
    tags = "".join(
        f'<a rel="noopener follow" href="/tag/{t}?source={src}"><div class="pw-tag">{escape(tag_entity(t)["displayTitle"])}'
        "</div></a>" for t in post.tags
    )  # fmt: skip
    body = (
        _nav(post.url, src) + f"<article><div class=\"m\"><section><div>{member}"
        f'<h1 id="title" class="pw-post-title" data-testid="storyTitle" data-selectable-paragraph="">{escape(post.title)}</h1>'
        f'<h2 id="subtitle" class="pw-subtitle-paragraph" data-selectable-paragraph="">{escape(post.subtitle)}</h2>'
        f'<div class="speechify-ignore">{byline}<div class="pw-multi-vote-count"><p><button>{post.claps}</button></p></div>'
        f'<div class="pw-responses-count"><p>{post.responses}</p></div></div>'
        + paragraph_html(paras) + "</div></section></div></article>"
        f'<div class="pw-post-tags">{tags}</div></div></div>'
    )  # fmt: skip
    version = f"{int(post.pid, 16) ^ 0x5A5A5A5A5A5A:012x}"
    state: dict = {
        "ROOT_QUERY": {
            "__typename": "Query",
            "viewer": None,
            f'postResult({{"id":"{post.pid}"}})': {"__ref": f"Post:{post.pid}"},
        }
    }
    state[f"User:{a.uid}"] = user_entity(a)
    if pub:
        state[f"Collection:{pub.cid}"] = collection_entity(world, pub)
    for t in post.tags:
        state[f"Tag:{t}"] = tag_entity(t)
    for i, (name, kind, text, marks) in enumerate(paras):
        state[f"Paragraph:{version}_{i}"] = {
            "__typename": "Paragraph", "id": f"{version}_{i}", "name": name, "type": kind, "text": text,
            "markups": [{"__typename": "Markup", "start": s, "end": e, "type": "A", "href": h, "anchorType": "LINK"}
                        for s, e, h, _r in marks],
        }  # fmt: skip
    ent = post_entity(world, post, preview=False)
    ent['content({"postMeteringOptions":{"referrer":""}})'] = {
        "__typename": "PostContent", "isLockedPreviewOnly": post.locked, "validatedShareKey": "",
        "bodyModel": {"__typename": "RichText", "paragraphs": [
            {"__ref": f"Paragraph:{version}_{i}"} for i in range(len(paras))],
            "sections": [{"__typename": "Section", "name": paras[0][0], "startIndex": 0}]},
    }  # fmt: skip
    state[f"Post:{post.pid}"] = ent
    return head + body + _tail(state)


def _card(world: World, post: Post, src: str, rank: int) -> str:
    a = world.authors[post.author]
    pub = world.pubs[post.pub] if post.pub else None
    path = (
        post.url.removeprefix("https://medium.com")
        if post.url.startswith("https://medium.com/")
        else post.url
    )
    sig = f"{src}---{rank}-84--------------------{post.pid}--------------"
    pid_url = post.url.replace(":", "%3A").replace("/", "%2F")
    return (
        '<article data-testid="post-preview"><div class="l">'
        + (f'<a rel="noopener follow" href="{_a(pub.home)}?source={sig}">{escape(pub.name)}</a>' if pub else "")
        + f'<a rel="noopener follow" href="/@{a.username}?source={sig}"><p>{escape(a.name)}</p></a>'
        f'<a rel="noopener follow" href="{_a(path)}?source={sig}"><h2>{escape(post.title)}</h2>'
        f"<h3>{escape(post.subtitle)}</h3></a><span>{_date_label(post.published_ms)}</span>"
        f"<span>{post.claps}</span><span>{post.responses}</span>"
        f'<a rel="noopener follow" href="/m/signin?actionUrl=https%3A%2F%2Fmedium.com%2F_%2Fbookmark%2Fp%2F{post.pid}'
        f'&amp;operation=register&amp;redirect={pid_url}&amp;source={sig}">Save</a></div></article>'
    )  # fmt: skip


def _listing_state(world: World, posts: list[Post], root: dict, *, stats: bool) -> dict:
    state: dict = {"ROOT_QUERY": {"__typename": "Query", "viewer": None, **root}}
    for post in posts:
        a = world.authors[post.author]
        state.setdefault(f"User:{a.uid}", user_entity(a, stats=stats))
        if post.pub:
            pub = world.pubs[post.pub]
            state.setdefault(f"Collection:{pub.cid}", collection_entity(world, pub))
        state[f"Post:{post.pid}"] = post_entity(world, post)
    return state


def tag_page(world: World, tag: str, posts: list[Post], *, recommended: bool) -> str:
    kind = "tag_recommended_stories_page" if recommended else "tag_page"
    src = f"{kind}------{tag}"
    url = f"https://medium.com/tag/{tag}" + ("/recommended" if recommended else "")
    title = tag_entity(tag)["displayTitle"]
    head = _head(f"The most insightful stories about {title} - Medium" if recommended else f"{title} - Medium",
                 [("property", "og:url", url), ("property", "og:title", title)], [("canonical", url)], None)  # fmt: skip
    cards = "".join(_card(world, p, src, i) for i, p in enumerate(posts))
    other = f"/tag/{tag}" if recommended else f"/tag/{tag}/recommended"
    body = (
        _nav(url, src + "--------------------------------------") + f"<h1>{escape(title)}</h1>"
        f'<a rel="noopener follow" href="{other}?source={src}--------------------------------------">'
        f'{"Latest" if recommended else "Recommended"}</a>'
        f'<a rel="noopener follow" href="/feed/tag/{tag}">RSS</a><div data-testid="tag-stories">{cards}</div></div></div>'
    )  # fmt: skip
    root = {f'tagFromSlug({{"tagSlug":"{tag}"}})': {"__ref": f"Tag:{tag}"},
            'collectionByDomainOrSlug({"domainOrSlug":"medium.com"})': None}  # fmt: skip
    state = _listing_state(world, posts, root, stats=False)
    state[f"Tag:{tag}"] = tag_entity(tag)
    return head + body + _tail(state)


def profile_page(world: World, a: Author, posts: list[Post]) -> str:
    url = profile_url(a)
    feed = (
        f"https://{a.username}.medium.com/feed" if a.subdomain else f"https://medium.com/feed/@{a.username}"
    )
    first, _, last = a.name.partition(" ")
    desc = f"Read writing from {a.name} on Medium. {a.bio}"
    metas = [("property", "og:title", f"{a.name} – Medium"), ("name", "description", desc),
             ("property", "og:description", desc), ("property", "og:url", url), ("property", "al:web:url", url),
             ("property", "profile:username", a.username), ("property", "profile:first_name", first),
             ("property", "profile:last_name", last), ("property", "og:type", "profile"),
             ("name", "twitter:card", "summary")]  # fmt: skip
    links = [("canonical", url), ("alternate", feed)] + (
        [("me", f"https://twitter.com/{a.twitter}")] if a.twitter else []
    )
    head = _head(f"{a.name} – Medium", metas, links, None)
    src = f"user_profile_page---------{{i}}-------------{a.uid}----------------------"
    cards = "".join(_card(world, p, src.format(i=i), i) for i, p in enumerate(posts))
    body = (
        _nav(url, src.format(i="")) + f'<div data-testid="profile"><h2 class="pw-author-name">{escape(a.name)}</h2>'
        f'<span class="pw-follower-count"><a rel="noopener follow" href="{_a(url.rstrip("/"))}/followers">'
        f"{a.followers} Followers</a></span><p>{escape(a.bio)}</p></div><div>{cards}</div></div></div>"
    )  # fmt: skip
    key = 'homepagePostsConnection({"includeDistributedResponses":true,"paging":{"limit":12}})'
    root = {f'user({{"username":"{a.username}"}})': {"__ref": f"User:{a.uid}"},
            f'userResult({{"username":"{a.username}"}})': {"__ref": f"User:{a.uid}"}}  # fmt: skip
    state = _listing_state(world, posts, root, stats=True)
    state[f"User:{a.uid}"] = user_entity(a)
    state[f"User:{a.uid}"][key] = {
        "__typename": "PostConnection",
        "posts": [{"__ref": f"Post:{p.pid}"} for p in posts],
    }
    for t in sorted({t for p in posts for t in p.tags}):
        state[f"Tag:{t}"] = tag_entity(t)
    return head + body + _tail(state)


def publication_page(world: World, pub: Publication, posts: list[Post], *, about: bool = False) -> str:
    url = about_url(pub) if about else pub.home
    feed = f"https://{pub.domain}/feed" if pub.domain else f"https://medium.com/feed/{pub.slug}"
    metas = [("name", "title", f"{pub.name} – Medium"), ("name", "description", pub.description),
             ("property", "og:title", pub.name), ("property", "og:description", pub.description),
             ("property", "og:type", "website"), ("property", "og:url", url), ("property", "al:web:url", url),
             ("property", "medium-com:creator", profile_url(world.authors[pub.editor]))]  # fmt: skip
    jsonld = {
        "@context": "https://schema.org",
        "keywords": [f"Publication:{pub.slug}"],
        "@type": "NewsMediaOrganization",
        "name": pub.name,
        "url": pub.home.removeprefix("https://").rstrip("/"),
    }
    head = _head(
        f"{'About ' if about else ''}{pub.name} – Medium",
        metas,
        [("alternate", feed), ("canonical", url)],
        jsonld,
    )
    src = f"collection_home---4------{{i}}-----------------------{pub.cid}----------------------"
    shown = [] if about else posts
    cards = "".join(_card(world, p, src.format(i=i), i) for i, p in enumerate(shown))
    coll = collection_entity(world, pub, full=True)
    nav = "".join(
        f'<a rel="noopener follow" href="{_a(n["url"])}">{escape(n["title"])}</a>' for n in coll["navItems"]
    )
    editor = world.authors[pub.editor]
    body = (
        _nav(url, src.format(i="")) + f'<header><h1 data-testid="publicationName">{escape(pub.name)}</h1>'
        f"<nav>{nav}</nav><p>{escape(pub.description)}</p><span>{pub.subscribers} followers</span></header>"
        + (f'<div>Editors <a rel="noopener follow" href="/@{editor.username}">{escape(editor.name)}</a></div>' if about
           else "") + f"<div>{cards}</div></div></div>"
    )  # fmt: skip
    key = pub.domain or pub.slug
    root = {f'collectionByDomainOrSlug({{"domainOrSlug":"{key}"}})': {"__ref": f"Collection:{pub.cid}"},
            f'collection({{"id":"{pub.cid}"}})': {"__ref": f"Collection:{pub.cid}"}}  # fmt: skip
    state = _listing_state(world, shown, root, stats=False)
    state.setdefault(f"User:{editor.uid}", user_entity(editor, stats=False))
    if not about:
        coll['homepagePostsConnection({"includeDistributedResponses":false,"paging":{"limit":12}})'] = {
            "__typename": "PostConnection",
            "posts": [{"__ref": f"Post:{p.pid}"} for p in shown],
        }
    state[f"Collection:{pub.cid}"] = coll
    return head + body + _tail(state)
