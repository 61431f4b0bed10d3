"""What the fixture worlds are made of, and the helpers every world builder shares.

The records (authors, publications, posts, the world that holds them), the bundled niche's constants,
and the builders `world.py` (the core SEO world), `landscape.py` (the publications around it) and
`niches.py` (the other fixture niches) all draw from: ids, names, authors, posts, editors, URLs. It
imports no other builder, so the builders import it and never each other's internals.
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


class Ids:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def new(self) -> str:
        while True:
            hid = f"{self.rng.getrandbits(48):012x}"
            if hid not in self.seen and any(c.isdigit() for c in hid) and hid[0] != "0":
                self.seen.add(hid)
                return hid


def name_pool(rng: random.Random) -> list[tuple[str, str]]:
    pool = [(f, last) for f in W.FIRST for last in W.LAST]
    rng.shuffle(pool)
    return pool


def new_author(
    rng: random.Random,
    ids: Ids,
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


def make_post(
    rng: random.Random,
    ids: Ids,
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
    title = title.format(n=n, a=cap(a), b=cap(b), A=cap(a))
    subtitle = rng.choice(
        (f"Notes on {a} from the trenches.", f"What actually worked for {a}.", f"A short guide to {a}.",
         f"Lessons about {a} and {b}.")
    )  # fmt: skip
    pub = _pick_pub(rng, world, author, kind, published)
    voters = max(1 if claps else 0, int(claps / rng.uniform(2.0, 6.0)))
    return Post(ids.new(), author.username, pub, title, subtitle, tuple(dict.fromkeys(tags)), published, updated,
                claps, responses, voters, round(rng.uniform(2.5, 11.0), 6), kind, topic)  # fmt: skip


def cap(text: str) -> str:
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


def assign_editors(rng: random.Random, ids: Ids, world: World, pubs: list[Publication]) -> None:
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
