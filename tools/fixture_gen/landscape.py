"""The publication landscape around the niche: what a real crawl of niche tags also runs into.

Niche writers cross-post into big generic publications (a huge following, a tiny niche share, an
off-target audience); big publications died a year or more ago with their famous posts still up;
a content mill publishes anything from anyone to almost no readers; a tiny niche publication opened
last month. It is added after the core world from its own seeded stream, so the core world keeps
its authors, posts, numbers and links: core posts only move into these publications (which changes
their URLs), and new writers fill them. Nothing here looks at the ranker.
"""

from __future__ import annotations

import math
import random

from tools.fixture_gen import words as W
from tools.fixture_gen.model import (
    DAY_MS,
    Author,
    Ids,
    Post,
    Publication,
    World,
    assign_editors,
    make_post,
    new_author,
)

HARBOR, UPWARD, GHD, FOUNDERS, MILL, NEW = (
    "startup-harbor", "upward-daily", "growth-hackers-digest", "the-founder-files", "hustle-tips-hub",
    "ranked-and-retained",
)  # fmt: skip
LANDSCAPE_PUBS: tuple[tuple[str, str, str, str | None, str, str, int, bool, str], ...] = (
    # slug, name, host, domain, topic, archetype, subscribers, guidelines, description
    (HARBOR, "Startup Harbor", "path", None, "business", "mega_generic", 420_000, True,
     "Stories, lessons and playbooks from people building companies."),
    (UPWARD, "Upward Daily", "custom", "upwarddaily.com", "career", "mega_generic", 185_000, True,
     "Careers, money and working smarter, every day."),
    (GHD, "Growth Hackers Digest", "subdomain", "growthhackersdigest.medium.com", "near", "dead_mega", 330_000,
     True, "The best writing on growth hacking and online marketing."),
    (FOUNDERS, "The Founder Files", "path", None, "business", "dead_mega", 160_000, False,
     "Founders tell the story of their first company."),
    (MILL, "Hustle Tips Hub", "path", None, "mixed", "content_mill", 2_600, True,
     "Tips on making money online, marketing, crypto, health and more. All writers welcome!"),
    (NEW, "Ranked and Retained", "path", None, "niche", "new_small", 140, True,
     "A new home for practical SaaS SEO and retention writing."),
)  # fmt: skip
# Niche writers of the core world who cross-posted into a megapub:
# (publication, archetype, index among that archetype's authors, recent self-published niche posts moved).
CROSS_POSTS = (
    (HARBOR, "steady_small", 1, 1),
    (HARBOR, "backlink_lead", 1, 1),
    (HARBOR, "occasional", 1, 1),
    (UPWARD, "steady_mid", 3, 1),
    (UPWARD, "occasional", 3, 1),
)
# Dead megapubs: (slug, writers, share of their posts on niche tags, days since the last post).
DEAD = ((GHD, 4, 0.4, (430, 560)), (FOUNDERS, 3, 0.0, (470, 690)))


def add_landscape(world: World, ids: Ids, names: list[tuple[str, str]]) -> None:
    """Add the six landscape publications, their writers and posts to a built core world."""
    rng = random.Random(f"{world.seed}:landscape")
    lids = Ids(rng)
    lids.seen = ids.seen  # one id space with the core world
    start = len(world.posts)
    core: dict[str, list[Author]] = {}
    for a in world.authors.values():
        core.setdefault(a.archetype, []).append(a)
    for slug, name, host, domain, topic, arch, subs, guide, desc in LANDSCAPE_PUBS:
        world.pubs[slug] = Publication(slug, lids.new(), name, desc, subs, host, domain, topic, arch, guide)
    _cross_posts(rng, world, core)
    _megapubs(rng, lids, names, world)
    _dead_megapubs(rng, lids, names, world, core)
    _content_mill(rng, lids, names, world, core)
    _new_publication(world, core)
    assign_editors(rng, lids, world, [world.pubs[row[0]] for row in LANDSCAPE_PUBS])
    world.extra.update(p.pid for p in world.posts[start:])


def _posts_of(world: World, author: Author) -> list[Post]:
    return [p for p in world.posts if p.author == author.username]


def _age(world: World, post: Post) -> float:
    return (world.as_of_ms - post.published_ms) / DAY_MS


def _join(world: World, username: str, slug: str) -> None:
    a = world.authors[username]
    a.pubs = tuple(dict.fromkeys((*a.pubs, slug)))


def _move(world: World, post: Post, slug: str) -> None:
    post.pub = slug
    _join(world, post.author, slug)


def _claps(rng: random.Random, median: float, sigma: float) -> int:
    return max(0, int(median * math.exp(rng.gauss(0, sigma))))


def _writer(rng: random.Random, ids: Ids, names: list[tuple[str, str]], world: World, arch: str, topic: str,
            fmed: int, fsig: float, i: int) -> Author:  # fmt: skip
    a = new_author(rng, ids, names, arch, topic, fmed, fsig, i)
    while a.username in world.authors:
        a.username += str(rng.randrange(10))
    world.authors[a.username] = a
    return a


def _add(rng: random.Random, ids: Ids, world: World, a: Author, kind: str, age: float, claps: int,
         ratio: tuple[float, float], pub: str | None) -> Post:  # fmt: skip
    published = world.as_of_ms - int(age * DAY_MS) - rng.randrange(3_600_000)
    updated = published + (rng.randrange(1, 5) * 3_600_000 if rng.random() < 0.3 else 0)
    responses = int(claps * rng.uniform(*ratio) + rng.random())
    post = make_post(rng, ids, world, a, kind, published, updated, claps, responses)
    post.pub = pub
    if pub:
        _join(world, a.username, pub)
    world.posts.append(post)
    return post


def _cross_posts(rng: random.Random, world: World, core: dict[str, list[Author]]) -> None:
    for slug, arch, i, n in CROSS_POSTS:
        authors = core.get(arch, [])
        if i >= len(authors):
            continue
        mine = [
            p
            for p in _posts_of(world, authors[i])
            if p.kind == "niche" and p.pub is None and _age(world, p) <= 90
        ]
        for post in sorted(mine, key=lambda p: p.pid)[:n]:
            _move(world, post, slug)
    # Core writers of the megapubs' own fields publish some of their self-published pieces there too.
    for a in core.get("near_niche", []):
        for post in _posts_of(world, a):
            if post.kind == "near" and post.pub is None and rng.random() < 0.5:
                _move(world, post, HARBOR)
    for a in core.get("celebrity", []) + core.get("off_niche", []):
        if a.topic in ("selfhelp", "health"):
            for post in _posts_of(world, a):
                if post.kind == "off" and post.pub is None and rng.random() < 0.4:
                    _move(world, post, UPWARD)


def _megapubs(rng: random.Random, ids: Ids, names: list[tuple[str, str]], world: World) -> None:
    """Startup writers (mostly in Startup Harbor) and career writers (mostly in Upward Daily)."""
    for i in range(11):
        a = _writer(rng, ids, names, world, "megapub_near", "near", 2600, 0.9, i)
        for age in sorted(rng.uniform(1, 100) for _ in range(rng.randint(2, 4))):
            kind = "near" if rng.random() < 0.9 else "off"
            pub = HARBOR if rng.random() < 0.75 else (None if rng.random() < 0.6 else UPWARD)
            _add(rng, ids, world, a, kind, age, _claps(rng, 160, 0.9), (0.008, 0.03), pub)
        if rng.random() < 0.6:  # wrote for one of the big publications that have since died
            dead = GHD if i % 2 else FOUNDERS
            _add(
                rng, ids, world, a, "near", rng.uniform(700, 1400), _claps(rng, 900, 0.8), (0.008, 0.03), dead
            )
    for i in range(6):
        topic = ("selfhelp", "selfhelp", "health", "crypto")[i % 4]
        a = _writer(rng, ids, names, world, "megapub_off", topic, 3000, 0.9, i)
        a.bio = rng.choice(W.BIO_CAREER)
        for age in sorted(rng.uniform(1, 100) for _ in range(rng.randint(2, 4))):
            kind = "off" if rng.random() < 0.85 else "near"
            pub = UPWARD if rng.random() < 0.75 else (None if rng.random() < 0.6 else HARBOR)
            _add(rng, ids, world, a, kind, age, _claps(rng, 220, 0.9), (0.006, 0.025), pub)


def _dead_megapubs(rng: random.Random, ids: Ids, names: list[tuple[str, str]], world: World,
                   core: dict[str, list[Author]]) -> None:  # fmt: skip
    """Famous old posts with huge clap counts by writers who stopped; nothing new in 14+ months."""
    for slug, writers, niche, (lo, hi) in DEAD:
        last = rng.uniform(lo, hi)
        posts: list[Post] = []
        for i in range(writers):
            a = _writer(rng, ids, names, world, "dormant", "near", 9000, 0.8, i)
            for j in range(rng.randint(2, 3)):
                age = last if i == j == 0 else rng.uniform(last + 20, 2600)
                kind = "niche" if rng.random() < niche else "near"
                posts.append(_add(rng, ids, world, a, kind, age, _claps(rng, 3500, 1.0), (0.01, 0.03), slug))
        best = max(posts, key=lambda p: (p.claps, p.pid))
        best.claps = rng.randrange(25_000, 48_000)  # the classic everyone still links to
        best.voters = best.claps // 4
        best.responses = int(best.claps * 0.015)
    # The core's inactive niche writers once wrote for Growth Hackers Digest too.
    for a in core.get("inactive", []):
        for post in _posts_of(world, a):
            if post.kind == "niche" and post.pub is None and _age(world, post) >= 430:
                _move(world, post, GHD)


def _content_mill(rng: random.Random, ids: Ids, names: list[tuple[str, str]], world: World,
                  core: dict[str, list[Author]]) -> None:  # fmt: skip
    """Many posts on any tag from many low-follower accounts, almost no claps."""
    for a in core.get("content_mill", []):
        for post in _posts_of(world, a):
            if post.pub is None and rng.random() < 0.6:
                _move(world, post, MILL)
    for i in range(5):
        topic = ("crypto", "health", "selfhelp")[i % 3]
        a = _writer(rng, ids, names, world, "mill_writer", topic, 120, 0.6, i)
        a.bio = rng.choice(W.BIO_MILL)
        age = rng.uniform(0.5, 6)
        while age <= 75:
            r = rng.random()
            kind = "niche" if r < 0.3 else ("near" if r < 0.45 else "off")
            pub = MILL if rng.random() < 0.9 else None
            _add(rng, ids, world, a, kind, age, rng.randrange(0, 9), (0.0, 0.01), pub)
            age += rng.uniform(8, 16)


def _new_publication(world: World, core: dict[str, list[Author]]) -> None:
    """The two newest niche writers opened their own publication last month."""
    rising = core.get("rising", [])
    for a in rising:
        for post in _posts_of(world, a):
            if post.kind == "niche" and post.pub is None:
                _move(world, post, NEW)
    if rising and not any(p.pub == NEW for p in world.posts):  # another seed: move the newest niche post
        mine = [p for p in _posts_of(world, rising[0]) if p.kind == "niche"]
        if mine:
            _move(world, max(mine, key=lambda p: (p.published_ms, p.pid)), NEW)
