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
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from tools.fixture_gen import words as W

AS_OF = date(2026, 11, 15)
DAY_MS = 86_400_000
SITE = "trellisrank.com"
COMPETITORS = ("ahrefs.com", "semrush.com", "moz.com")
NICHE_TAGS = ("seo", "content-marketing", "link-building", "saas-marketing", "saas-growth")
NICHE_EXTRA_TAGS = ("keyword-research", "technical-seo", "content-strategy", "b2b-marketing")
NEAR_TAGS = ("marketing", "digital-marketing", "startup", "growth-hacking", "entrepreneurship", "copywriting")
OFF_TAGS = {
    "crypto": ("cryptocurrency", "bitcoin", "investing"),
    "selfhelp": ("self-improvement", "productivity", "life-lessons"),
    "politics": ("politics", "society", "news"),
    "programming": ("programming", "python", "software-development"),
    "design": ("design", "ux", "ui"),
    "health": ("health", "fitness", "wellness"),
}
EXT = "noopener ugc nofollow"  # external links in post bodies, 2022+
INT = "noopener follow"  # internal links


@dataclass(slots=True)
class Author:
    username: str
    uid: str
    name: str
    archetype: str
    topic: str  # "niche", "near" or an OFF_TAGS key
    followers: int
    following: int
    bio: str
    twitter: str | None = None
    subdomain: bool = False  # profile lives on <username>.medium.com
    pubs: tuple[str, ...] = ()
    links_competitors: bool = False
    links_site: bool = False


@dataclass(slots=True)
class Publication:
    slug: str
    cid: str
    name: str
    description: str
    subscribers: int
    host: str  # "path" (medium.com/<slug>), "subdomain" or "custom"
    domain: str | None  # <sub>.medium.com or a custom domain
    topic: str
    archetype: str
    guidelines: bool
    editor: str = ""
    guideline_post: str | None = None

    @property
    def home(self) -> str:
        return f"https://{self.domain}/" if self.domain else f"https://medium.com/{self.slug}"


@dataclass(slots=True, eq=False)
class Post:
    pid: str
    author: str
    pub: str | None
    title: str
    subtitle: str
    tags: tuple[str, ...]
    published_ms: int
    updated_ms: int
    claps: int
    responses: int
    voters: int
    reading_time: float
    kind: str  # "niche", "near", "off", "guidelines"
    topic: str
    locked: bool = False
    links: tuple[tuple[str, str, str], ...] = ()  # (url, rel, anchor)
    special: str | None = None  # "challenge403", "challenge200", "ratelimit"
    url: str = ""
    copy_of: str | None = None  # a cross-posted duplicate: the original's post id (same text)
    canonical: str | None = None  # Medium's canonical link when it names another post (cross-posts)

    @property
    def slug(self) -> str:
        return slugify(self.title)


@dataclass(slots=True, eq=False)
class World:
    seed: int
    as_of: date
    authors: dict[str, Author] = field(default_factory=dict)
    pubs: dict[str, Publication] = field(default_factory=dict)
    posts: list[Post] = field(default_factory=list)
    suspended: tuple[str, ...] = ()
    extra: set[str] = field(default_factory=set)  # ids of the posts `landscape.py` added to the core world
    domain: Any = None  # a `domains.Domain` for the other fixture niches; None: the bundled SEO niche

    @property
    def as_of_ms(self) -> int:
        return int(datetime(self.as_of.year, self.as_of.month, self.as_of.day, tzinfo=UTC).timestamp() * 1000)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


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


class _Ids:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def new(self) -> str:
        while True:
            hid = f"{self.rng.getrandbits(48):012x}"
            if hid not in self.seen and any(c.isdigit() for c in hid) and hid[0] != "0":
                self.seen.add(hid)
                return hid


def build_world(seed: int = 7, posts: int | None = None, as_of: date = AS_OF) -> World:
    """The planted world; with `posts` above the core size, filler authors are added until reached."""
    rng = random.Random(seed)
    ids = _Ids(rng)
    world = World(seed=seed, as_of=as_of)
    for slug, name, host, domain, topic, arch, subs, guide, desc in PUBS:
        world.pubs[slug] = Publication(slug, ids.new(), name, desc, subs, host, domain, topic, arch, guide)
    names = _name_pool(rng)
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
            author = _new_author(rng, ids, names, arch, t, fmed, fsig, i)
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
    susp = _new_author(rng, ids, names, "suspended", "niche", 90, 0.2, 0)
    world.authors[susp.username] = susp
    world.suspended = (susp.username,)
    for author in list(world.authors.values()):
        if author.archetype != "suspended":
            world.posts.extend(_posts_for(rng, ids, world, author))
    _assign_editors(rng, ids, world, list(world.pubs.values()))
    from tools.fixture_gen.landscape import add_landscape  # landscape builds on this module's helpers

    add_landscape(world, ids, names)  # its own seeded stream: the core world above stays as it was
    filler = 0
    while posts is not None and len(world.posts) < posts:
        arch = ("near_niche", "off_niche", "occasional", "off_niche")[filler % 4]
        topic = {"near_niche": "near", "occasional": "niche"}.get(arch, offs[filler % len(offs)])
        author = _new_author(rng, ids, names, arch, topic, 900, 0.8, filler, filler=True)
        author.archetype = "filler_" + arch
        world.authors[author.username] = author
        world.posts.extend(_posts_for(rng, ids, world, author, limit=posts - len(world.posts)))
        filler += 1
    _plant_links(rng, world)
    _plant_specials(world)
    for post in world.posts:
        post.url = post_url(world, post)
    return world


def _name_pool(rng: random.Random) -> list[tuple[str, str]]:
    pool = [(f, last) for f in W.FIRST for last in W.LAST]
    rng.shuffle(pool)
    return pool


def _new_author(
    rng: random.Random,
    ids: _Ids,
    names: list[tuple[str, str]],
    arch: str,
    topic: str,
    fmed: int,
    fsig: float,
    i: int,
    *,
    filler: bool = False,
) -> Author:
    first, last = names.pop() if names else (f"Writer{len(ids.seen)}", "Filler")
    style = rng.randrange(4)
    base = {0: f"{first}{last}", 1: f"{first}.{last}", 2: f"{first[0]}{last}", 3: f"{first}_{last[:3]}"}[
        style
    ]
    username = base.lower() + (str(rng.randrange(10, 99)) if filler or rng.random() < 0.25 else "")
    followers = max(3, int(math.exp(rng.gauss(math.log(fmed), fsig))))
    if arch == "celebrity":
        followers = max(followers, 100_000 + rng.randrange(50_000))
    things = W.NICHE_THINGS if topic == "niche" else W.NEAR_THINGS
    a, b = rng.sample(things, 2)
    if topic == "niche":
        bio = rng.choice(W.BIO_NICHE).format(a=a, b=b)
    elif topic == "near":
        bio = rng.choice(W.BIO_NEAR).format(a=a)
    else:
        bio = W.BIO_OFF[topic].format(n=followers // 1000)
    twitter = f"{first.lower()}{last.lower()[:4]}" if rng.random() < 0.5 else None
    return Author(username, ids.new(), f"{first} {last}", arch, topic, followers,
                  int(followers * rng.uniform(0.02, 0.3)) + rng.randrange(5, 300), bio, twitter)  # fmt: skip


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
    rng: random.Random, ids: _Ids, world: World, author: Author, limit: int | None = None
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
        out.append(_make_post(rng, ids, world, author, kind, published, updated, claps, responses))
    return out


def _kind_for(rng: random.Random, author: Author, arch: str, k: int) -> str:
    if author.topic == "niche":
        return "niche" if rng.random() < (0.85 if arch != "occasional" else 0.5) else "near"
    if author.topic == "near":
        return "near" if rng.random() < 0.85 else "niche"
    if arch == "celebrity" and k == 1:
        return "niche"  # the one time a celebrity used a niche tag
    return "off"


def _make_post(
    rng: random.Random,
    ids: _Ids,
    world: World,
    author: Author,
    kind: str,
    published: int,
    updated: int,
    claps: int,
    responses: int,
) -> Post:
    if kind == "niche":
        a, b = rng.sample(W.NICHE_THINGS, 2)
        title = rng.choice(W.NICHE_TITLES)
        main = rng.sample(NICHE_TAGS, rng.randint(1, 2))
        tags = (
            main
            + rng.sample(NICHE_EXTRA_TAGS, rng.randint(0, 2))
            + rng.sample(NEAR_TAGS[:2], rng.randint(0, 1))
        )
        topic = "niche"
    elif kind == "near":
        a, b = rng.sample(W.NEAR_THINGS, 2)
        title = rng.choice(W.NEAR_TITLES)
        tags = rng.sample(NEAR_TAGS, rng.randint(2, 3))
        topic = "near"
    else:
        topic = author.topic if author.topic in OFF_TAGS else rng.choice(list(OFF_TAGS))
        a, b = rng.sample(W.OFF_THINGS[topic], 2)
        title = rng.choice(W.OFF_TITLES)
        tags = list(OFF_TAGS[topic][: rng.randint(2, 3)])
    if author.archetype == "celebrity" and kind == "niche":
        tags = ["seo", *OFF_TAGS[author.topic][:2]]  # a niche tag on an otherwise off-niche post
    n = rng.choice((3, 5, 7, 9, 11, 12, 30, 40, 50))
    title = title.format(n=n, a=_cap(a), b=_cap(b), A=_cap(a))
    subtitle = rng.choice(
        (f"Notes on {a} from the trenches.", f"What actually worked for {a}.", f"A short guide to {a}.",
         f"Lessons about {a} and {b}.")
    )  # fmt: skip
    pub = _pick_pub(rng, world, author, kind, published)
    voters = max(1 if claps else 0, int(claps / rng.uniform(2.0, 6.0)))
    return Post(ids.new(), author.username, pub, title, subtitle, tuple(dict.fromkeys(tags)), published, updated,
                claps, responses, voters, round(rng.uniform(2.5, 11.0), 6), kind, topic)  # fmt: skip


def _cap(text: str) -> str:
    return " ".join(
        w if w in ("as", "and", "of", "to", "vs.") else w[0].upper() + w[1:] for w in text.split()
    )


def _pick_pub(rng: random.Random, world: World, author: Author, kind: str, published: int) -> str | None:
    age_days = (world.as_of_ms - published) / DAY_MS
    fits = []
    for slug in author.pubs:
        pub = world.pubs[slug]
        if pub.archetype == "dead" and age_days < 420:
            continue
        same = pub.topic == kind or (pub.topic not in ("niche", "near") and kind == "off")
        # A near-niche publication takes some niche posts too.
        if same or (pub.topic == "near" and kind == "niche" and rng.random() < 0.3):
            fits.append(slug)
    if not fits or rng.random() < 0.25:
        return None
    return rng.choice(fits)


def _assign_editors(rng: random.Random, ids: _Ids, world: World, pubs: list[Publication]) -> None:
    """Each publication's editor is its most frequent writer; with guidelines, the editor posts them."""
    for pub in pubs:
        counts: dict[str, int] = {}
        for post in world.posts:
            if post.pub == pub.slug:
                counts[post.author] = counts.get(post.author, 0) + 1
        pub.editor = min(counts, key=lambda u: (-counts[u], u))
        if pub.guidelines:
            editor = world.authors[pub.editor]
            published = world.as_of_ms - int(rng.uniform(300, 700) * DAY_MS)
            if pub.archetype.startswith("dead"):
                published = world.as_of_ms - int(rng.uniform(800, 900) * DAY_MS)
            elif pub.archetype == "new_small":  # posted the day the publication opened
                first = min(p.published_ms for p in world.posts if p.pub == pub.slug)
                published = first - int(rng.uniform(1, 3) * DAY_MS)
            title = rng.choice(("Write for {n}", "Submission Guidelines for {n}", "How to Write for {n}"))
            post = Post(ids.new(), editor.username, pub.slug, title.format(n=pub.name),
                        "Who we publish, how to submit a draft, and what happens next.", ("writing", "publishing"),
                        published, published, rng.randrange(20, 160), rng.randrange(0, 6), rng.randrange(5, 40),
                        2.4, "guidelines", "guidelines")  # fmt: skip
            pub.guideline_post = post.pid
            world.posts.append(post)


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


def post_url(world: World, post: Post) -> str:
    slug = f"{post.slug}-{post.pid}"
    if post.pub:
        pub = world.pubs[post.pub]
        return f"https://{pub.domain}/{slug}" if pub.domain else f"https://medium.com/{pub.slug}/{slug}"
    author = world.authors[post.author]
    if author.subdomain:
        return f"https://{author.username}.medium.com/{slug}"
    return f"https://medium.com/@{author.username}/{slug}"


def profile_url(author: Author) -> str:
    return (
        f"https://{author.username}.medium.com/"
        if author.subdomain
        else f"https://medium.com/@{author.username}"
    )
