"""New posts on given days, for outreach runs over time: the bundled world (unchanged) plus posts a
test or a walk-through "publishes" as its clock moves on.

    posts = [planned(world, "ann", "Title", datetime(...), links=[(url, rel, anchor)]), ...]
    pages_for(world, published)        -> {url: (body, content_type)}: the new articles and the feeds
                                          (author, publication) that now list them first
    publish(server, world, published)  -> serve those pages on a running FixtureServer
    save(folder, world, published)     -> write them as a saved-pages folder (for `--source DIR`)

The committed fixture site is never rewritten: the new pages are served (or saved) on top of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from tools.fixture_gen import extras, render
from tools.fixture_gen.model import Post, World, post_url
from tools.fixture_gen.site import RSS

HTML = "text/html; charset=utf-8"
DEFAULT_TAGS = ("seo", "content-marketing")


def planned(
    world: World,
    author: str,
    title: str,
    when: datetime,
    *,
    pub: str | None = None,
    tags: Sequence[str] = DEFAULT_TAGS,
    links: Iterable[tuple[str, str, str]] = (),
    claps: int = 40,
) -> Post:
    """A niche post by `author` published at `when` (an aware datetime); its id derives from the title."""
    if author not in world.authors:
        raise KeyError(f"no author {author!r} in the fixture world")
    pid = hashlib.blake2b(f"{author}:{title}".encode(), digest_size=6).hexdigest()
    if pid[0] == "0" or not any(c.isdigit() for c in pid):
        pid = "1" + pid[1:-1] + "7"
    ms = int(when.timestamp() * 1000)
    post = Post(pid, author, pub, title, f"{title}: notes from practice", tuple(tags), ms, ms, claps,
                2, claps // 3, 5.0, "niche", "niche", links=tuple(links))  # fmt: skip
    post.url = post_url(world, post)
    return post


def pages_for(world: World, published: Sequence[Post]) -> dict[str, tuple[str, str]]:
    """Each new article, and every feed that lists one of them (the world's posts plus the new ones)."""
    out: dict[str, tuple[str, str]] = {}
    for post in published:
        out[post.url] = (render.article(world, post), HTML)
    every = [*world.posts, *published]
    for name in sorted({p.author for p in published}):
        a = world.authors[name]
        mine = sorted((p for p in every if p.author == name), key=lambda p: (-p.published_ms, p.pid))[:10]
        feeds = [f"https://medium.com/feed/@{name}"] + (
            [f"https://{name}.medium.com/feed"] if a.subdomain else []
        )
        for url in feeds:
            out[url] = (extras.user_feed(world, a, mine, url), RSS)
    for slug in sorted({p.pub for p in published if p.pub}):
        pub = world.pubs[slug]
        mine = sorted((p for p in every if p.pub == slug), key=lambda p: (-p.published_ms, p.pid))[:10]
        feeds = [f"https://medium.com/feed/{slug}"] + ([f"https://{pub.domain}/feed"] if pub.domain else [])
        for url in feeds:
            out[url] = (extras.publication_feed(world, pub, mine, url), RSS)
    return out


def publish(server: Any, world: World, published: Sequence[Post]) -> list[str]:
    """Serve the new pages on a running `FixtureServer`; returns their URLs."""
    pages = pages_for(world, published)
    for url, (body, ctype) in pages.items():
        server.add_page(url, body, content_type=ctype)
    return sorted(pages)


def save(folder: Path, world: World, published: Sequence[Post]) -> list[Path]:
    """Write the new pages as a saved-pages folder (one file each, as a browser would save them)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for url, (body, ctype) in sorted(pages_for(world, published).items()):
        name = url.split("://", 1)[1].replace("/", "_").strip("_") or "index"
        path = folder / (name + (".xml" if ctype == RSS else ".html"))
        path.write_text(body, encoding="utf-8")
        written.append(path)
    return written
