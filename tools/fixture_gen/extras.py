"""Non-article documents: RSS feeds in Medium's template, robots.txt, challenge and 410 pages."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape

from tools.fixture_gen.model import Author, Post, Publication, World, profile_url
from tools.fixture_gen.render import body_paragraphs, paragraph_html, tag_entity

# Medium's published robots.txt rules (facts about the service, not page text).
ROBOTS = """User-Agent: *
Disallow: /m/
Disallow: /me/
Disallow: /@me$
Disallow: /@me/
Disallow: /*/*/edit
Allow: /_/
Allow: /_/api/users/*/meta
Allow: /_/api/users/*/profile/stream
Allow: /_/api/posts/*/responses
Allow: /_/api/posts/*/responsesStream
Allow: /_/api/posts/*/related
Sitemap: https://{host}/sitemap/sitemap.xml
"""


def http_date(ms: int) -> str:
    return format_datetime(datetime.fromtimestamp(ms // 1000, tz=UTC), usegmt=True)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _item(world: World, post: Post, suffix: str, *, full: bool) -> str:
    a = world.authors[post.author]
    cats = "".join(f"\n            <category>{_cdata(t)}</category>" for t in post.tags)
    if full:
        pub = world.pubs[post.pub] if post.pub else None
        html = (f"<h3>{escape(post.subtitle)}</h3>" + paragraph_html(body_paragraphs(world, post), feed=True)
                + f'<img src="https://medium.com/_/stat?event=post.clientViewed&referrerSource=full_rss&postId={post.pid}"'
                ' width="1" height="1" alt="">')  # fmt: skip
        if pub:
            html += (f'<hr><p><a href="{post.url}">{escape(post.title)}</a> was originally published in '
                     f'<a href="{pub.home.rstrip("/")}">{escape(pub.name)}</a> on Medium, where people are '
                     "continuing the conversation by highlighting and responding to this story.</p>")  # fmt: skip
        content = f"\n            <content:encoded>{_cdata(html)}</content:encoded>"
        desc = ""
    else:
        snippet = (f'<div class="medium-feed-item"><p class="medium-feed-snippet">{escape(post.subtitle)}</p>'
                   f'<p class="medium-feed-link"><a href="{post.url}?source={suffix}">Continue reading on Medium »'
                   "</a></p></div>")  # fmt: skip
        desc = f"\n            <description>{_cdata(snippet)}</description>"
        content = ""
    return (
        f"\n        <item>\n            <title>{_cdata(post.title)}</title>{desc}"
        f"\n            <link>{post.url}?source={suffix}</link>"
        f'\n            <guid isPermaLink="false">https://medium.com/p/{post.pid}</guid>{cats}'
        f"\n            <dc:creator>{_cdata(a.name)}</dc:creator>"
        f"\n            <pubDate>{http_date(post.published_ms)}</pubDate>"
        f"\n            <atom:updated>{datetime.fromtimestamp(post.updated_ms / 1000, tz=UTC).isoformat(timespec='milliseconds').replace('+00:00', 'Z')}</atom:updated>"
        f"{content}\n        </item>"
    )  # fmt: skip


def _channel(title: str, desc: str, link: str, self_url: str, image: str, items: str, built: int) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" '
        'version="2.0" xmlns:cc="http://cyber.law.harvard.edu/rss/creativeCommonsRssModule.html">\n    <channel>'
        f"\n        <title>{_cdata(title)}</title>\n        <description>{_cdata(desc)}</description>"
        f"\n        <link>{link}</link>\n        <image>\n            <url>{image}</url>"
        f"\n            <title>{escape(title)}</title>\n            <link>{link}</link>\n        </image>"
        f"\n        <generator>Medium</generator>\n        <lastBuildDate>{http_date(built)}</lastBuildDate>"
        f'\n        <atom:link href="{self_url}" rel="self" type="application/rss+xml"/>'
        "\n        <webMaster><![CDATA[yourfriends@medium.com]]></webMaster>"
        '\n        <atom:link href="http://medium.superfeedr.com" rel="hub"/>'
        f"{items}\n    </channel>\n</rss>"
    )


def user_feed(world: World, a: Author, posts: list[Post], self_url: str) -> str:
    suffix = f"rss-{a.uid}------2"
    items = "".join(_item(world, p, suffix, full=True) for p in posts)
    title = f"Stories by {a.name} on Medium"
    return _channel(
        title,
        title,
        f"{profile_url(a)}?source={suffix}",
        self_url,
        f"https://cdn-images-1.medium.com/fit/c/150/150/1*{a.uid}.jpeg",
        items,
        world.as_of_ms,
    )


def publication_feed(world: World, pub: Publication, posts: list[Post], self_url: str) -> str:
    suffix = f"rss----{pub.cid}---4"
    items = "".join(_item(world, p, suffix, full=True) for p in posts)
    return _channel(
        f"{pub.name} - Medium",
        f"{pub.description} - Medium",
        f"{pub.home}?source={suffix}",
        self_url,
        "https://cdn-images-1.medium.com/proxy/1*TGH72Nnw24QL3iV9IOm4VA.png",
        items,
        world.as_of_ms,
    )


def tag_feed(world: World, tag: str, posts: list[Post]) -> str:
    suffix = f"rss------{tag}-5"
    items = "".join(_item(world, p, suffix, full=False) for p in posts)
    title = tag_entity(tag)["displayTitle"]
    return _channel(
        f"{title} on Medium",
        f"Latest stories tagged with {title} on Medium",
        f"https://medium.com/tag/{tag}/latest?source={suffix}",
        f"https://medium.com/feed/tag/{tag}",
        "https://cdn-images-1.medium.com/proxy/1*TGH72Nnw24QL3iV9IOm4VA.png",
        items,
        world.as_of_ms,
    )


def challenge_page(host: str) -> str:
    """A Cloudflare-style interstitial, as Medium serves to clients it suspects (invented markup)."""
    return (
        '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>'
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow">'
        '</head><body><div class="main-wrapper" role="main"><div class="main-content">'
        f'<h1 class="zone-name-title h1">{escape(host)}</h1><h2 class="h2" id="challenge-running">'
        "Verify you are human by completing the action below.</h2>"
        f"<p>{escape(host)} needs to review the security of your connection before proceeding.</p>"
        '<noscript><div class="h2">Enable JavaScript and cookies to continue</div></noscript>'
        '</div></div><script>(function(){window._cf_chl_opt={cType:"managed",cRay:"8f2c0e1a9b7d4c21"};})();</script>'
        "</body></html>"
    )


def suspended_page() -> str:
    return (
        '<!doctype html><html lang="en"><head><title data-rh="true">410 account suspended — Medium</title>'
        '<meta data-rh="true" charset="utf-8"/></head><body><div id="root"><div><h2>Error</h2><h1>410</h1>'
        "<p>This account is under investigation or was found in violation of the Medium Rules.</p>"
        '<p>There are thousands of stories to read on Medium. Visit our <a rel="noopener follow" href="/">homepage</a>'
        " to find one that’s right for you.</p></div></div></body></html>"
    )
