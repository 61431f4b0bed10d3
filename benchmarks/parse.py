"""Parse: our full extraction against the same fields pulled with parsel and with BeautifulSoup.

Pages come from the fixture generator (today's Apollo markup):
- a ~500 KB tag page: 35 post cards (what a tag page holds after a few scrolls) carrying the weight
  real Medium pages carry besides content (inline CSS, a JS bundle, SVG icons and class-heavy
  wrappers; a real 2025 tag page is ~150 KB for 10 posts);
- a dense tag page: 200 cards and their Apollo entities, ~420 KB, nearly all content;
- an article page with 50 body links.

The anchors extract the same fields: the Apollo state (posts with id, title, url, author, publication,
tags, date, claps, responses, reading time; authors; publications), JSON-LD and meta tags, the
canonical link, and every anchor's href, rel and text. They do not canonicalise URLs, classify
outlinks, normalise values or write warnings, which our parser does as well. Two differences run the
other way, and are shown rather than hidden: the anchors decode the state with the standard `json`
module (what parsel code usually does) while we use orjson, so an info row repeats parsel with
orjson; and on a tag page the anchors also collect every anchor on the page, which our parser skips
because the embedded state already lists the cards (it never builds the page's full DOM there).
The floor is the least any extraction does: decode, one lexbor parse of the whole page, one orjson
load of the state.

Our parser keeps two small process-wide caches that repeated parses of one page also hit: tag and
publication slugs (`norm.slug`) and the `YYYY-MM-DD` of an epoch day. Both are bounded vocabularies a
crawl meets again on every page; no per-post value (URLs, titles, counts) is cached across pages.
Targets (issue 16): every page ≥1.5× parsel; the ~500 KB tag page also ≥0.75× the floor.

Timing: CPU time of this process (`time.process_time`), interleaved run by run, median of 9 runs.
Every contender is single-threaded and in-process, so CPU time is the work done; wall time on this
shared 2-core machine (load 5-6 while other sessions test) mostly measured the other tenants and moved
the same ratio by ±25% from run to run. Rates are pages per CPU-second.
"""

from __future__ import annotations

import dataclasses
import json
import random
import time
from typing import Any

from benchmarks.common import Row, Section, median_times, ratio

TAG_URL = "https://medium.com/tag/seo"
CT = "text/html; charset=utf-8"


# -- inputs --


def _padding(rng: random.Random, css_kb: int, js_kb: int) -> tuple[str, str, str]:
    """Inline CSS, an inline JS bundle and one SVG icon, as Medium pages carry them."""
    css: list[str] = []
    size, i = 0, 0
    while size < css_kb * 1024:
        rule = (f".{rng.choice('abcdefghijklmnop')}{i:x}{{margin:{i % 17}px;color:#{rng.getrandbits(24):06x};"
                "font-family:sohne,Helvetica Neue,Helvetica,Arial,sans-serif}")  # fmt: skip
        css.append(rule)
        size, i = size + len(rule), i + 1
    js: list[str] = []
    size, i = 0, 0
    while size < js_kb * 1024:
        fn = f"function f{i}(a,b){{return a.map(function(x){{return x*{i}+b['k{i % 97}']}})}}"
        js.append(fn)
        size, i = size + len(fn) + 1, i + 1
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" fill="none" viewBox="0 0 24 24">'
        '<path fill="currentColor" fill-rule="evenodd" d="M17.5 1.25a.5.5 0 0 1 1 0v2.5H21a.5.5 0 0 1 0 '
        "1h-2.5v2.5a.5.5 0 0 1-1 0v-2.5H15a.5.5 0 0 1 0-1h2.5zm-11 4.5a1 1 0 0 1 1-1H11a.5.5 0 0 0 0-1H7.5a2 "
        "2 0 0 0-2 2v14a.5.5 0 0 0 .8.4l5.7-4.4 5.7 4.4a.5.5 0 0 0 .8-.4v-8.5a.5.5 0 0 0-1 0v7.48l-5.2-4a.5.5 "
        '0 0 0-.6 0l-5.2 4z" clip-rule="evenodd"></path></svg>'
    )
    return "".join(css), ";".join(js), svg


def build_pages() -> dict[str, tuple[bytes, str]]:
    """name -> (bytes, url). Deterministic."""
    from tools.fixture_gen import build_world, render

    world = build_world(7, 3000)
    niche = [p for p in world.posts if "seo" in p.tags and not p.special]
    rng = random.Random(7)
    css, js, svg = _padding(rng, 100, 190)
    heavy = render.tag_page(world, "seo", niche[:35], recommended=False)
    card_wrap = '<div class="bm bn bo bp bq br bs bt bu bv bw bx by bz ca cb cc cd ce cf">'
    heavy = heavy.replace('<article data-testid="post-preview">',
                          card_wrap + svg * 6 + '<article data-testid="post-preview">')  # fmt: skip
    heavy = heavy.replace("</head>", f"<style>{css}</style></head>", 1)
    heavy = heavy.replace("<script>window.main();", f"<script>{js}</script><script>window.main();", 1)
    dense = render.tag_page(world, "seo", niche[:200], recommended=False)
    base = next(p for p in niche if not p.locked and p.links)
    hosts = ["ahrefs.com", "semrush.com", "moz.com", "example.org", "docs.google.com", "github.com"]
    rels = ["noopener", "noopener ugc nofollow", "noopener nofollow", "noopener follow"]
    links = tuple(
        (f"https://{hosts[i % len(hosts)]}/guide/{i}", rels[i % len(rels)], f"resource number {i}")
        for i in range(50)
    )
    art = render.article(world, dataclasses.replace(base, links=links))
    return {
        "tag page ~500 KB": (heavy.encode(), TAG_URL),
        "dense tag page": (dense.encode(), TAG_URL),
        "article, 50 links": (art.encode(), base.url),
    }


# -- the anchors: same fields, other tools --


_APOLLO = "window.__APOLLO_STATE__ = "


def _walk_state(state: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    def ref(v: Any) -> dict[str, Any] | None:
        return state.get(v["__ref"]) if isinstance(v, dict) and "__ref" in v else None

    posts, authors, pubs = [], [], []
    for ent in state.values():
        if not isinstance(ent, dict):
            continue
        t = ent.get("__typename")
        if t == "Post":
            creator = ref(ent.get("creator")) or {}
            coll = ref(ent.get("collection")) or {}
            prev = ent.get("extendedPreviewContent") or ent.get("previewContent") or {}
            posts.append({
                "id": ent.get("id"), "title": ent.get("title"), "url": ent.get("mediumUrl"),
                "subtitle": prev.get("subtitle"), "author": creator.get("username"),
                "publication": coll.get("slug"), "published": ent.get("firstPublishedAt"),
                "claps": ent.get("clapCount"), "responses": (ent.get("postResponses") or {}).get("count"),
                "reading_time": ent.get("readingTime"), "locked": ent.get("isLocked"),
                "tags": [(ref(t) or {}).get("id") for t in ent.get("tags") or []],
            })  # fmt: skip
        elif t == "User":
            stats = ent.get("socialStats") or {}
            authors.append({"id": ent.get("id"), "username": ent.get("username"), "name": ent.get("name"),
                            "bio": ent.get("bio"), "followers": stats.get("followerCount")})  # fmt: skip
        elif t in ("Collection", "Publication"):
            pubs.append({"id": ent.get("id"), "slug": ent.get("slug"), "name": ent.get("name"),
                         "domain": ent.get("domain"), "followers": ent.get("subscriberCount")})  # fmt: skip
    return {"posts": posts, "authors": authors, "publications": pubs}


def _from_parts(
    scripts: list[str], ld: list[str], metas: dict[str, str], links: list[tuple], loads: Any = json.loads
) -> dict[str, Any]:
    out: dict[str, Any] = {"posts": [], "authors": [], "publications": []}
    for s in scripts:
        if s.startswith(_APOLLO):
            out = _walk_state(loads(s[len(_APOLLO) :]))
    out["jsonld"] = [loads(x) for x in ld]
    out["meta"] = metas
    out["links"] = links
    return out


def extract_parsel(html: str, loads: Any = json.loads) -> dict[str, Any]:
    from parsel import Selector

    sel = Selector(text=html)
    scripts = sel.xpath("//script[not(@type)]/text()").getall()
    ld = sel.xpath('//script[@type="application/ld+json"]/text()').getall()
    metas = {}
    for m in sel.xpath("//meta[@content or @value]"):
        k = m.attrib.get("property") or m.attrib.get("name")
        if k:
            metas[k] = m.attrib.get("content") or m.attrib.get("value")
    canon = sel.xpath('//link[@rel="canonical"]/@href').get()
    metas["canonical"] = canon or ""
    links = [
        (a.attrib["href"], a.attrib.get("rel"), "".join(a.xpath(".//text()").getall()))
        for a in sel.xpath("//a[@href]")
    ]
    return _from_parts(scripts, ld, metas, links, loads)


def extract_bs4(html: str) -> dict[str, Any]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    scripts = [s.string or "" for s in soup.find_all("script") if not s.get("type")]
    ld = [s.string or "" for s in soup.find_all("script", type="application/ld+json")]
    metas = {}
    for m in soup.find_all("meta"):
        k = m.get("property") or m.get("name")
        v = m.get("content") or m.get("value")
        if k and v is not None:
            metas[k] = v
    canon = soup.find("link", rel="canonical")
    metas["canonical"] = canon.get("href", "") if canon else ""
    links = [
        (a["href"], " ".join(a.get("rel") or []) or None, a.get_text()) for a in soup.find_all("a", href=True)
    ]
    return _from_parts(scripts, ld, metas, links)


def floor(data: bytes) -> int:
    """The least any HTML extraction of these pages does: decode, one lexbor parse, one orjson load."""
    import orjson
    from selectolax.lexbor import LexborHTMLParser

    text = data.decode()
    tree = LexborHTMLParser(text)
    i = text.find(_APOLLO)
    j = text.find("</script>", i)
    state = orjson.loads(text[i + len(_APOLLO) : j]) if i >= 0 else {}
    return len(state) + len(tree.css("a"))


def profile_excerpt(data: bytes, url: str, top: int = 8) -> str:
    """The top of a cProfile of our parser on one page (by own time), for the limits section."""
    import cProfile
    import io
    import pstats

    from linkscout.crawler.parse import parse_page

    parse_page(data, url, status=200, content_type=CT)  # warm: first-call costs are not the parser's
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(5):
        parse_page(data, url, status=200, content_type=CT)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).strip_dirs().sort_stats("tottime").print_stats(top)
    lines = [ln for ln in buf.getvalue().splitlines() if ln.strip()]
    start = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls")), 0)
    return "\n".join(lines[start : start + top + 1])


def cpu_median_times(fns: dict[str, Any], runs: int, *, warmup: int = 1) -> dict[str, float]:
    """Median CPU time (s) of each callable: every contender is single-threaded and in-process, and
    CPU time holds still on a loaded machine where wall time does not."""
    return median_times(fns, runs, warmup=warmup, clock=time.process_time)


TARGET_PARSEL = 1.5  # issue 16: every page at least 1.5x parsel
TARGET_FLOOR = 0.75  # issue 16: the ~500 KB tag page at least 0.75x the floor
FLOOR_PAGE = "tag page ~500 KB"


def run(runs: int = 9) -> Section:
    import orjson

    from linkscout.crawler.parse import parse_page

    sec = Section("parse")
    pages = build_pages()
    for name, (data, url) in pages.items():
        text = data.decode()
        ours = parse_page(data, url, status=200, content_type=CT)
        p_out = extract_parsel(text)
        if len(ours.posts) != len(p_out["posts"]):
            sec.notes.append(f"{name}: ours found {len(ours.posts)} posts, parsel walk {len(p_out['posts'])}")
        reps = 5 if len(data) > 100_000 else 20
        times = cpu_median_times(
            {
                "ours": lambda d=data, u=url, n=reps: [
                    parse_page(d, u, status=200, content_type=CT) for _ in range(n)
                ],
                "parsel": lambda t=text, n=reps: [extract_parsel(t) for _ in range(n)],
                "parsel+orjson": lambda t=text, n=reps: [extract_parsel(t, orjson.loads) for _ in range(n)],
                "bs4": lambda t=text, n=reps: [extract_bs4(t) for _ in range(n)],
                "floor": lambda d=data, n=reps: [floor(d) for _ in range(n)],
            },
            runs,
        )
        rate = {k: reps / v for k, v in times.items()}
        size = f"{len(data) / 1024:.0f} KB, {len(ours.posts)} posts"
        vs_parsel = rate["ours"] / rate["parsel"]
        vs_floor = rate["ours"] / rate["floor"]
        floor_target = name == FLOOR_PAGE
        met_parsel = vs_parsel >= TARGET_PARSEL
        met_floor = vs_floor >= TARGET_FLOOR
        sec.rows.append(Row("parse", f"{name} ({size}): pages per CPU-second", f"{rate['ours']:,.0f}/s",
                            f"parsel {rate['parsel']:,.0f}/s", ratio(rate["ours"], rate["parsel"]),
                            f"≥{TARGET_PARSEL}× parsel", met_parsel,
                            "" if met_parsel else "see limits below"))  # fmt: skip
        sec.rows.append(Row("parse", f"{name}: vs parsel with orjson for the state", f"{rate['ours']:,.0f}/s",
                            f"parsel+orjson {rate['parsel+orjson']:,.0f}/s",
                            ratio(rate["ours"], rate["parsel+orjson"]), "info", None))  # fmt: skip
        sec.rows.append(Row("parse", f"{name}: vs BeautifulSoup(lxml)", f"{rate['ours']:,.0f}/s",
                            f"bs4 {rate['bs4']:,.0f}/s", ratio(rate["ours"], rate["bs4"]), "info", None))  # fmt: skip
        sec.rows.append(Row("parse", f"{name}: vs floor (lexbor parse + orjson of the state, no extraction)",
                            f"{rate['ours']:,.0f}/s", f"floor {rate['floor']:,.0f}/s",
                            ratio(rate["ours"], rate["floor"]),
                            f"≥{TARGET_FLOOR}× the floor" if floor_target else "info",
                            met_floor if floor_target else None,
                            "" if met_floor or not floor_target else "see limits below"))  # fmt: skip
        if not met_parsel or (floor_target and not met_floor):
            sec.limits.append(
                f"**parse** ({name}): {rate['ours']:,.0f} pages/CPU-s, {vs_parsel:.2f}× parsel, {vs_floor:.2f}× the "
                f"floor ({rate['floor']:,.0f} pages/CPU-s: decode, one lexbor parse of the whole page and one orjson "
                "load of the state, extracting nothing). Where our parser spends its time (cProfile, 5 parses, "
                "by own time; the profiler inflates per-call costs of pure-Python code):\n\n```\n"
                + profile_excerpt(data, url)
                + "\n```"
            )
    return sec
