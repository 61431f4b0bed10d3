"""The invented world behind the fixture niche: authors, publications and posts, built from one seed.

Every archetype a marketer meets on Medium is planted on purpose (steady niche writers, one-hit
wonders, off-niche celebrities, inactive accounts, content mills, competitor linkers...), so the
ranking can be checked against `truth.json`. Dates are relative to a fixed as-of date, never the
wall clock. Only the small facts are kept in memory; page text is rendered later from per-post
seeds (see `render.py`), so a 100k-post world stays small.
"""

from __future__ import annotations

import math
import random
from datetime import date

from tools.fixture_gen import words as W
from tools.fixture_gen.landscape import add_landscape
from tools.fixture_gen.model import (
    AS_OF,
    COMPETITORS,
    DAY_MS,
    EXT,
    INT,
    OFF_TAGS,
    SITE,
    Author,
    Ids,
    Post,
    Publication,
    World,
    assign_editors,
    make_post,
    name_pool,
    new_author,
    post_url,
)

# name, count, topic, followers median, followers sigma, median claps, grade (see truth.py)
ARCHETYPES: tuple[tuple[str, int, str, int, float, int], ...] = (
    ("steady_large", 3, "niche", 28000, 0.3, 520),
    ("steady_mid", 5, "niche", 5200, 0.35, 210),
    ("steady_small_engaged", 2, "niche", 1400, 0.3, 120),
    ("steady_small", 3, "niche", 700, 0.35, 45),
    ("rising", 2, "niche", 260, 0.3, 70),
    ("backlink_lead", 3, "niche", 1500, 0.4, 45),
    ("occasional", 5, "niche", 650, 0.4, 30),
    ("content_mill", 2, "niche", 140, 0.3, 3),
    ("near_niche", 9, "near", 2400, 0.6, 60),
    ("one_hit", 4, "niche", 380, 0.4, 12),
    ("celebrity", 4, "off", 180000, 0.35, 2400),
    ("inactive", 5, "niche", 3200, 0.5, 180),
    ("off_niche", 12, "off", 1100, 0.8, 40),
)

PUBS: tuple[tuple[str, str, str, str | None, str, str, int, bool, str], ...] = (
    # slug, name, host, domain, topic, archetype, subscribers, guidelines, description
    ("saas-growth-notes", "SaaS Growth Notes", "path", None, "niche", "active_big", 46000, True,
     "Field notes on SEO and content marketing for SaaS teams."),
    ("searchdesk", "The Search Desk", "subdomain", "searchdesk.medium.com", "niche", "active_mid", 8200, True,
     "Practical search marketing, one query at a time."),
    ("content-loop", "Content Loop", "custom", "contentloop.pub", "niche", "active_small", 3100, True,
     "Content strategy and link earning for B2B software."),
    ("organic-traffic-lab", "Organic Traffic Lab", "path", None, "niche", "single_author", 900, False,
     "One marketer's experiments with organic growth."),
    ("link-building-weekly", "Link Building Weekly", "path", None, "niche", "dead", 12500, True,
     "Weekly link building tactics (on hiatus)."),
    ("marketing-mixtape", "Marketing Mixtape", "path", None, "near", "active_near", 61000, True,
     "Stories about marketing, brand and growth."),
    ("founders-corner", "Founders Corner", "subdomain", "founderscorner.medium.com", "near", "active_near_nosub",
     15000, False, "Startup lessons from people building companies."),
    ("mindful-mondays", "Mindful Mondays", "custom", "mindfulmondays.blog", "selfhelp", "off_big", 210000, True,
     "Habits, focus and a calmer week."),
    ("bits-and-bytes", "Bits and Bytes", "path", None, "programming", "off_mid", 30500, False,
     "Programming stories for working developers."),
)  # fmt: skip

# Which publications each archetype may write for (niche posts go to niche pubs only, etc.).
PUB_CHOICES = {
    "steady_large": (("saas-growth-notes", "marketing-mixtape"),),
    "steady_mid": (("saas-growth-notes", "searchdesk"), ("content-loop",), ("searchdesk", "content-loop"),
                   ("saas-growth-notes",), ("searchdesk",)),
    "steady_small_engaged": (("content-loop",), ("searchdesk",)),
    "steady_small": (("organic-traffic-lab",), (), ("searchdesk",)),
    "rising": (("searchdesk",), ("content-loop",)),
    "backlink_lead": (("content-loop",), (), ("saas-growth-notes",)),
    "occasional": (("marketing-mixtape",), ()),
    "near_niche": (("marketing-mixtape", "founders-corner"), ("founders-corner",), ("marketing-mixtape",)),
    "one_hit": (("saas-growth-notes",), ()),
    "celebrity": (("mindful-mondays",), ()),
    "inactive": (("link-building-weekly", "saas-growth-notes"), ("link-building-weekly",)),
    "off_niche": (("bits-and-bytes",), ("mindful-mondays",), ()),
}  # fmt: skip


def build_world(seed: int = 7, posts: int | None = None, as_of: date = AS_OF) -> World:
    """The planted world; with `posts` above the core size, filler authors are added until reached."""
    rng = random.Random(seed)
    ids = Ids(rng)
    world = World(seed=seed, as_of=as_of)
    for slug, name, host, domain, topic, arch, subs, guide, desc in PUBS:
        world.pubs[slug] = Publication(slug, ids.new(), name, desc, subs, host, domain, topic, arch, guide)
    names = name_pool(rng)
    offs = list(OFF_TAGS)
    for arch, count, topic, fmed, fsig, _claps in ARCHETYPES:
        for i in range(count):
            t = (
                topic
                if topic != "off"
                else (
                    ("crypto", "selfhelp", "politics", "selfhelp")[i % 4]
                    if arch == "celebrity"
                    else offs[i % len(offs)]
                )
            )
            author = new_author(rng, ids, names, arch, t, fmed, fsig, i)
            choices = PUB_CHOICES.get(arch, ((),))
            if arch == "off_niche":
                choices = (
                    (("bits-and-bytes",),)
                    if t == "programming"
                    else ((("mindful-mondays",),) if t == "selfhelp" else ((),))
                )
            author.pubs = choices[i % len(choices)]
            author.links_competitors = arch == "backlink_lead" or (
                arch in ("steady_mid", "steady_large") and i < 2
            )
            author.links_site = (arch == "steady_mid" and i == 4) or (arch == "occasional" and i == 0)
            author.subdomain = (arch == "steady_large" and i == 1) or (arch == "celebrity" and i == 0)
            if author.subdomain:  # a subdomain label has no dots or underscores
                author.username = author.username.replace(".", "").replace("_", "")
            world.authors[author.username] = author
    # One suspended account: linked from a post body, its profile answers 410.
    susp = new_author(rng, ids, names, "suspended", "niche", 90, 0.2, 0)
    world.authors[susp.username] = susp
    world.suspended = (susp.username,)
    for author in list(world.authors.values()):
        if author.archetype != "suspended":
            world.posts.extend(_posts_for(rng, ids, world, author))
    assign_editors(rng, ids, world, list(world.pubs.values()))
    add_landscape(world, ids, names)  # its own seeded stream: the core world above stays as it was
    filler = 0
    while posts is not None and len(world.posts) < posts:
        arch = ("near_niche", "off_niche", "occasional", "off_niche")[filler % 4]
        topic = {"near_niche": "near", "occasional": "niche"}.get(arch, offs[filler % len(offs)])
        author = new_author(rng, ids, names, arch, topic, 900, 0.8, filler, filler=True)
        author.archetype = "filler_" + arch
        world.authors[author.username] = author
        world.posts.extend(_posts_for(rng, ids, world, author, limit=posts - len(world.posts)))
        filler += 1
    _plant_links(rng, world)
    _plant_specials(world)
    for post in world.posts:
        post.url = post_url(world, post)
    return world


# Days-ago schedule per archetype: (recent interval range in days, recent window, older post count range,
# oldest post age). Recent posts are in [first_age, window]; older ones between window and oldest.
_SCHEDULE = {
    "steady_large": ((7, 10), (1, 90), (1, 3), 540),
    "steady_mid": ((9, 13), (1, 90), (1, 2), 500),
    "steady_small_engaged": ((8, 12), (1, 90), (2, 3), 420),
    "steady_small": ((12, 16), (2, 90), (1, 2), 400),
    "rising": ((7, 9), (1, 32), (0, 0), 32),
    "backlink_lead": ((12, 17), (2, 90), (1, 2), 400),
    "occasional": ((35, 50), (5, 90), (2, 3), 500),
    "content_mill": ((5, 7), (1, 45), (1, 1), 200),
    "near_niche": ((16, 26), (2, 90), (1, 1), 500),
    "one_hit": ((9999, 9999), (0, 0), (2, 3), 400),
    "celebrity": ((15, 22), (1, 90), (1, 2), 700),
    "inactive": ((9999, 9999), (0, 0), (4, 6), 900),
    "off_niche": ((25, 45), (3, 90), (1, 1), 600),
}


def _posts_for(
    rng: random.Random, ids: Ids, world: World, author: Author, limit: int | None = None
) -> list[Post]:
    arch = author.archetype.removeprefix("filler_")
    (lo, hi), (first, window), (olo, ohi), oldest = _SCHEDULE[arch]
    ages: list[float] = []
    if window:
        age = first + rng.uniform(0, lo)
        while age <= window:
            ages.append(age)
            age += rng.uniform(lo, hi)
    if author.archetype.startswith("filler_"):  # benchmark filler: a year of regular posts
        ages = [rng.uniform(1, 400) for _ in range(rng.randint(12, 25))]
    elif arch == "inactive":
        last = rng.uniform(185, 540)  # 6 to 18 months ago
        ages = [last + k * rng.uniform(12, 30) for k in range(rng.randint(olo, ohi))]
    elif not author.archetype.startswith("filler_"):
        start = max(window, 95)
        ages += [rng.uniform(start, oldest) for _ in range(rng.randint(olo, ohi))]
    ages.sort()
    if limit is not None:
        ages = ages[: max(1, min(len(ages), 25, limit))]
    median = dict((a[0], a[5]) for a in ARCHETYPES)[arch] * (0.6 + 0.8 * rng.random())
    out = []
    viral = rng.randrange(len(ages)) if arch == "one_hit" else -1
    for k, age in enumerate(ages):
        kind = _kind_for(rng, author, arch, k)
        if arch == "one_hit":
            kind = "niche" if k == viral else rng.choice(("off", "near"))
        claps = max(0, int(median * math.exp(rng.gauss(0, 0.55))))
        if k == viral:
            claps = rng.randrange(3500, 14000)
        if arch == "celebrity" and kind == "niche":
            claps = rng.randrange(1800, 5000)
        if arch == "content_mill":
            claps = rng.randrange(0, 7)
        ratio = (
            rng.uniform(0.012, 0.05)
            if arch not in ("celebrity", "content_mill")
            else rng.uniform(0.002, 0.01)
        )
        if arch == "steady_small_engaged":
            ratio = rng.uniform(0.04, 0.07)
        responses = int(claps * ratio + rng.random())
        published = world.as_of_ms - int(age * DAY_MS) - rng.randrange(3_600_000)
        updated = published + (rng.randrange(1, 5) * 3_600_000 if rng.random() < 0.3 else 0)
        out.append(make_post(rng, ids, world, author, kind, published, updated, claps, responses))
    return out


def _kind_for(rng: random.Random, author: Author, arch: str, k: int) -> str:
    if author.topic == "niche":
        return "niche" if rng.random() < (0.85 if arch != "occasional" else 0.5) else "near"
    if author.topic == "near":
        return "near" if rng.random() < 0.85 else "niche"
    if arch == "celebrity" and k == 1:
        return "niche"  # the one time a celebrity used a niche tag
    return "off"


def _plant_links(rng: random.Random, world: World) -> None:
    """Body links: competitor and user-site links for the planted linkers, internal links, references."""
    # Internal links point into the core world only, so adding the landscape leaves its links as they were.
    niche_posts = [p for p in world.posts if p.kind == "niche" and p.pid not in world.extra]
    for post in world.posts:
        author = world.authors[post.author]
        prng = random.Random(f"{world.seed}:links:{post.pid}")
        links: list[tuple[str, str, str]] = []
        if post.kind == "niche" and author.links_competitors and prng.random() < 0.7:
            for dom in prng.sample(COMPETITORS, prng.randint(1, 2)):
                links.append(
                    (f"https://{dom}{prng.choice(W.COMPETITOR_PATHS)}", EXT, f"{dom.split('.')[0]}'s data")
                )
        if post.kind == "niche" and author.links_site and prng.random() < 0.6:
            links.append((f"https://{SITE}{prng.choice(W.SITE_PATHS)}", EXT, "this checklist"))
        if post.kind != "guidelines" and prng.random() < 0.35:
            url, anchor = prng.choice(W.REFERENCE_LINKS)
            links.append((url, EXT, anchor))
        if post.kind == "niche" and niche_posts and prng.random() < 0.4:
            other = niche_posts[prng.randrange(len(niche_posts))]
            if other.pid != post.pid:
                links.append((f"@post:{other.pid}", INT, other.title))
        if post.kind == "niche" and prng.random() < 0.15:
            links.append((f"https://medium.com/@{world.suspended[0]}", INT, "an earlier thread"))
        post.links = tuple(links)
        post.locked = (
            post.kind == "niche" and not links and author.archetype == "steady_large" and prng.random() < 0.4
        )
    by_id = {p.pid: p for p in world.posts}
    for post in world.posts:
        if any(u.startswith("@post:") for u, _, _ in post.links):
            post.links = tuple(
                (post_url(world, by_id[u[6:]]) if u.startswith("@post:") else u, r, a)
                for u, r, a in post.links
            )


def _plant_specials(world: World) -> None:
    """Two challenge interstitials (403 and 200) on off-niche posts, one rate-limited niche post."""
    offs = [p for p in world.posts if world.authors[p.author].archetype == "off_niche" and p.kind == "off"]
    offs.sort(key=lambda p: p.pid)
    if len(offs) >= 2:
        offs[0].special = "challenge403"
        offs[1].special = "challenge200"
    mids = [p for p in world.posts if world.authors[p.author].archetype == "steady_mid" and p.kind == "niche"]
    mids.sort(key=lambda p: p.pid)
    if mids:
        mids[0].special = "ratelimit"
