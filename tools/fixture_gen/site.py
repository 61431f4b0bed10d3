"""Write a generated world to disk: `site/<host>/<path>` files, `site/index.json`, `truth.json`, `niche.toml`.

Pages are rendered and written one at a time; only the index stays in memory, so 100k-post sites
fit in modest memory. Output is byte-identical for the same seed and size.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tools.fixture_gen import extras, render
from tools.fixture_gen.model import AS_OF, COMPETITORS, DAY_MS, NICHE_TAGS, SITE, Post, World, profile_url
from tools.fixture_gen.truth import build_truth
from tools.fixture_gen.world import build_world

HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
_EXT = {HTML: ".html", RSS: ".xml", TEXT: ".txt"}
RATE_LIMIT = {"times": 2, "retry_after": 1}


@dataclass(frozen=True, slots=True)
class Summary:
    out: Path
    pages: int
    posts: int
    authors: int
    publications: int
    bytes: int


class _Writer:
    def __init__(self, site: Path) -> None:
        self.site = site
        self.index: dict[str, dict] = {}
        self.dirs: set[Path] = set()
        self.bytes = 0

    def add(
        self,
        url: str,
        body: str | None,
        *,
        status: int = 200,
        ctype: str = HTML,
        last_ms: int | None = None,
        headers: dict[str, str] | None = None,
        **extra: object,
    ) -> None:
        parts = urlsplit(url)
        host, path = parts.hostname or "", parts.path or "/"
        key = f"https://{host}{path}" + (f"?{parts.query}" if parts.query else "")
        hdrs = dict(headers or {})
        entry: dict = {"file": None, "status": status, "content_type": ctype, "headers": hdrs}
        if body is not None:
            rel = ("index" if path == "/" else path.strip("/")) + _EXT[ctype]
            target = self.site / host / rel
            if target.parent not in self.dirs:
                target.parent.mkdir(parents=True, exist_ok=True)
                self.dirs.add(target.parent)
            data = body.encode("utf-8")
            target.write_bytes(data)
            self.bytes += len(data)
            entry["file"] = f"{host}/{rel}"
            hdrs["ETag"] = '"' + hashlib.blake2b(data, digest_size=8).hexdigest() + '"'
        if last_ms is not None:
            hdrs["Last-Modified"] = extras.http_date(last_ms)
        entry.update(extra)
        self.index[key] = entry


def _newest(posts: list[Post], n: int) -> list[Post]:
    return sorted(posts, key=lambda p: (-p.published_ms, p.pid))[:n]


def generate(
    out: Path, *, seed: int = 7, posts: int | None = None, niche: str = "seo", site: bool = True
) -> Summary:
    """Build the world for `seed` (grown to `posts` posts if larger than the core) and write it under `out`.
    `niche`: "seo" (the bundled niche), "small" or "large" (see `niches.py`; `posts` does not apply).
    `site=False` writes truth.json and niche.toml only (the large niche's pages are ~200 MB)."""
    if niche == "seo":
        world = build_world(seed, posts, AS_OF)
    else:
        from tools.fixture_gen.niches import build_niche_world

        world = build_niche_world(niche, seed)
    out = Path(out)
    w = _Writer(out / "site")
    if site:
        _write_site(world, w)
        (out / "site" / "index.json").write_text(_dump(w.index), encoding="utf-8")
    else:
        out.mkdir(parents=True, exist_ok=True)
    (out / "truth.json").write_text(_dump(build_truth(world)), encoding="utf-8")
    (out / "niche.toml").write_text(niche_toml(world), encoding="utf-8")
    return Summary(out, len(w.index), len(world.posts), len(world.authors), len(world.pubs), w.bytes)


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _write_site(world: World, w: _Writer) -> None:
    now = world.as_of_ms
    hosts = {"medium.com"}
    by_author: dict[str, list[Post]] = {}
    by_pub: dict[str, list[Post]] = {}
    by_tag: dict[str, list[Post]] = {}
    for post in world.posts:
        by_author.setdefault(post.author, []).append(post)
        if post.pub:
            by_pub.setdefault(post.pub, []).append(post)
        for t in post.tags:
            by_tag.setdefault(t, []).append(post)
    for name in sorted(world.authors):
        a = world.authors[name]
        for post in by_author.get(name, []):  # articles, then the feed that re-renders them (cached bodies)
            _write_article(world, w, post, hosts)
        if name in world.suspended:
            w.add(f"https://medium.com/@{name}", extras.suspended_page(), status=410)
            w.add(f"https://medium.com/feed/@{name}", extras.suspended_page(), status=410)
            continue
        mine = by_author.get(name, [])
        last = max((p.updated_ms for p in mine), default=now)
        w.add(profile_url(a), render.profile_page(world, a, _newest(mine, 12)), last_ms=last)
        feed = _newest(mine, 10)
        w.add(f"https://medium.com/feed/@{name}", extras.user_feed(world, a, feed, f"https://medium.com/feed/@{name}"),
              ctype=RSS, last_ms=last)  # fmt: skip
        if a.subdomain:
            hosts.add(f"{name}.medium.com")
            w.add(f"https://medium.com/@{name}", None, status=301, headers={"Location": profile_url(a)})
            w.add(
                f"https://{name}.medium.com/feed",
                extras.user_feed(world, a, feed, f"https://{name}.medium.com/feed"),
                ctype=RSS,
                last_ms=last,
            )
    for slug in sorted(world.pubs):
        pub = world.pubs[slug]
        mine = by_pub.get(slug, [])
        last = max((p.updated_ms for p in mine), default=now)
        listed = _newest([p for p in mine if p.kind != "guidelines"], 12)
        w.add(pub.home, render.publication_page(world, pub, listed), last_ms=last)
        w.add(render.about_url(pub), render.publication_page(world, pub, listed, about=True), last_ms=last)
        feed = _newest(mine, 10)
        w.add(
            f"https://medium.com/feed/{slug}",
            extras.publication_feed(world, pub, feed, f"https://medium.com/feed/{slug}"),
            ctype=RSS,
            last_ms=last,
        )
        if pub.domain:
            hosts.add(pub.domain)
            w.add(f"https://medium.com/{slug}", None, status=301, headers={"Location": pub.home})
            w.add(
                f"https://{pub.domain}/feed",
                extras.publication_feed(world, pub, feed, f"https://{pub.domain}/feed"),
                ctype=RSS,
                last_ms=last,
            )
    for tag in sorted(by_tag):
        mine = by_tag[tag]
        last = max(p.updated_ms for p in mine)
        w.add(f"https://medium.com/tag/{tag}", render.tag_page(world, tag, _newest(mine, 10), recommended=False),
              last_ms=last)  # fmt: skip
        year = [p for p in mine if now - p.published_ms <= 365 * DAY_MS] or mine
        top = sorted(year, key=lambda p: (-p.claps, p.pid))[:10]
        if tag == "growth-hacking":
            w.add(f"https://medium.com/tag/{tag}/recommended", extras.challenge_page("medium.com"), status=403,
                  headers={"cf-mitigated": "challenge"})  # fmt: skip
        else:
            w.add(f"https://medium.com/tag/{tag}/recommended", render.tag_page(world, tag, top, recommended=True),
                  last_ms=last)  # fmt: skip
        w.add(f"https://medium.com/feed/tag/{tag}", extras.tag_feed(world, tag, _newest(mine, 10)), ctype=RSS,
              last_ms=last)  # fmt: skip
    for host in sorted(hosts):
        w.add(f"https://{host}/robots.txt", extras.ROBOTS.format(host=host), ctype=TEXT)


def _write_article(world: World, w: _Writer, post: Post, hosts: set[str]) -> None:
    host = urlsplit(post.url).hostname or ""
    hosts.add(host)
    if post.special == "challenge403":
        w.add(post.url, extras.challenge_page(host), status=403, headers={"cf-mitigated": "challenge"})
    elif post.special == "challenge200":
        w.add(post.url, extras.challenge_page(host))
    elif post.special == "ratelimit":
        w.add(post.url, render.article(world, post), last_ms=post.updated_ms, rate_limit=dict(RATE_LIMIT))
    else:
        w.add(post.url, render.article(world, post), last_ms=post.updated_ms)


def niche_toml(world: World) -> str:
    def arr(items: tuple[str, ...] | list[str]) -> str:
        return "[" + ", ".join(f'"{x}"' for x in items) + "]"

    from tools.fixture_gen.domains import SEO

    d = world.domain or SEO
    head = "The bundled fixture niche" if world.domain is None else f"Fixture niche {d.name}"
    seeds = (
        d.seeds
        or tuple(
            s
            for s, p in sorted(world.pubs.items(), key=lambda kv: (-kv[1].subscribers, kv[0]))
            if p.archetype in ("active_big", "active_mid", "active_small")
        )[:2]
    )
    assert d.tags == NICHE_TAGS or world.domain is not None
    return f"""# {head} (generated by `python -m tools.fixture_gen`; do not edit by hand).
[niche]
name = "{d.name}"
as_of = "{world.as_of.isoformat()}"   # the fixture world's "today": rank and evaluate against this date
keywords = {arr(d.keywords)}
tags = {arr(d.tags)}
publications = {arr(seeds)}   # seeds; slugs or custom domains
site = "{d.site if world.domain else SITE}"
competitors = {arr(d.competitors if world.domain else COMPETITORS)}
product = "{d.product}"

[quality]
min_followers = 200
min_niche_posts_90d = 2

[outreach]
min_comments_before_pitch = 3
min_days_between_comments = 4
max_comments_per_day = 5
follow_up_after_days = 7
max_follow_ups = 2

[crawl]
delay_seconds = 4
max_pages = 2000
"""
