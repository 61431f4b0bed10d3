"""Two more fixture niches, in other domains and of other sizes: `small` (home espresso, ~20 authors,
3 publications) and `large` (indie game development, ~2,000 authors, 60 publications).

Both carry what real niches have, planted on purpose and graded in `truth.py` by what a marketer
would pick (never by the ranking's formula): spam-volume accounts (40 niche-tagged posts at a few
claps), huge off-niche publications that tag the niche about once a month, cross-posted duplicates
(a copier account re-publishing others' articles; a writer putting one article in two places),
writers who left the niche (old niche posts edited recently, new posts elsewhere), rising newcomers,
publications that stopped publishing or stopped taking submissions, writers who publish almost only
inside publications, niche posts whose tags miss the niche but whose titles and subtitles match,
and clap-heavy posts nobody responds to.

Built from its own seeded stream with the shared dataclasses, so `render`, `extras`, `site` and
`truth` write it like the bundled niche. Nothing here looks at the ranker.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from tools.fixture_gen import words as W
from tools.fixture_gen.domains import DOMAINS, Domain
from tools.fixture_gen.model import (
    AS_OF,
    DAY_MS,
    EXT,
    INT,
    OFF_TAGS,
    Author,
    Ids,
    Post,
    Publication,
    World,
    assign_editors,
    cap,
    name_pool,
    new_author,
    post_url,
)

OFF_TOPICS = ("crypto", "selfhelp", "politics", "health")


@dataclass(frozen=True)
class Arch:
    """How one kind of writer posts: audience, engagement, rhythm and where."""

    topic: str  # "niche", "near" or "off"
    followers: tuple[int, float]  # lognormal median, sigma
    claps: int  # median claps per post
    ratio: tuple[float, float]  # responses per clap
    every: tuple[float, float]  # days between recent posts
    window: float  # recent posts fall in the last `window` days (0: none)
    old: tuple[int, int]  # how many older posts
    oldest: float  # oldest post age in days
    niche_p: float  # chance a post is on the niche
    in_pubs: float  # chance a post goes to one of the writer's publications


A = Arch
ARCHS: dict[str, Arch] = {
    "steady_large": A("niche", (26000, 0.3), 480, (0.015, 0.05), (7, 10), 90, (1, 3), 540, 0.88, 0.5),
    "steady_mid": A("niche", (5000, 0.35), 200, (0.015, 0.05), (9, 13), 90, (1, 2), 500, 0.88, 0.5),
    "steady_small_engaged": A("niche", (1300, 0.3), 110, (0.04, 0.07), (8, 12), 90, (2, 3), 420, 0.88, 0.5),
    "pub_insider": A("niche", (2600, 0.35), 170, (0.02, 0.05), (8, 12), 90, (1, 3), 480, 0.9, 0.95),
    "steady_untagged": A("niche", (3200, 0.35), 190, (0.02, 0.05), (9, 13), 90, (1, 2), 480, 0.9, 0.3),
    "steady_small": A("niche", (650, 0.35), 45, (0.012, 0.05), (12, 16), 90, (1, 2), 400, 0.85, 0.4),
    "rising": A("niche", (240, 0.3), 150, (0.03, 0.06), (6, 9), 28, (0, 0), 28, 1.0, 0.3),
    "backlink_lead": A("niche", (1400, 0.4), 45, (0.012, 0.05), (12, 17), 90, (1, 2), 400, 0.85, 0.3),
    "occasional": A("niche", (600, 0.4), 30, (0.012, 0.05), (35, 50), 90, (2, 3), 500, 0.5, 0.3),
    "near_niche": A("near", (2200, 0.6), 60, (0.012, 0.05), (16, 26), 90, (1, 1), 500, 0.15, 0.4),
    "clap_heavy": A("niche", (3000, 0.4), 900, (0.0, 0.0), (9, 13), 90, (1, 2), 400, 0.9, 0.2),
    "spam_volume": A("niche", (150, 0.3), 3, (0.0, 0.0), (2.0, 2.5), 90, (0, 0), 90, 1.0, 0.5),
    "reposter": A("niche", (90, 0.3), 4, (0.0, 0.0), (0, 0), 0, (0, 0), 0, 1.0, 0.0),
    "left_niche": A("off", (2800, 0.4), 150, (0.015, 0.04), (18, 26), 150, (5, 8), 900, 0.0, 0.2),
    "one_hit": A("niche", (380, 0.4), 12, (0.012, 0.05), (0, 0), 0, (2, 3), 400, 0.0, 0.2),
    "celebrity": A("off", (150000, 0.3), 2400, (0.002, 0.01), (15, 22), 90, (1, 2), 700, 0.0, 0.3),
    "inactive": A("niche", (3000, 0.5), 170, (0.015, 0.05), (0, 0), 0, (4, 6), 900, 0.85, 0.4),
    "off_niche": A("off", (1000, 0.8), 40, (0.012, 0.05), (25, 45), 90, (1, 2), 600, 0.0, 0.5),
    "megapub_staff": A("off", (4000, 0.8), 300, (0.006, 0.025), (2, 4), 90, (1, 2), 500, 0.0, 0.9),
    "mill_writer": A("off", (120, 0.6), 3, (0.0, 0.01), (4, 8), 75, (0, 0), 75, 0.3, 0.9),
}  # fmt: skip

# Author counts per niche. Everything else in a niche (publications, staff) follows from these.
COUNTS: dict[str, dict[str, int]] = {
    "small": {"steady_large": 1, "steady_mid": 1, "pub_insider": 1, "steady_untagged": 1, "steady_small": 1,
              "rising": 1, "backlink_lead": 1, "occasional": 1, "near_niche": 1, "clap_heavy": 1,
              "spam_volume": 2, "reposter": 1, "left_niche": 1, "celebrity": 1, "one_hit": 1, "inactive": 1,
              "off_niche": 1, "megapub_staff": 3},
    "large": {"steady_large": 5, "steady_mid": 10, "steady_small_engaged": 5, "pub_insider": 8,
              "steady_untagged": 5, "steady_small": 20, "rising": 8, "backlink_lead": 8, "occasional": 60,
              "near_niche": 150, "clap_heavy": 10, "spam_volume": 12, "reposter": 6, "left_niche": 15,
              "celebrity": 10, "one_hit": 25, "inactive": 40, "off_niche": 1463, "megapub_staff": 100,
              "mill_writer": 30},
}  # fmt: skip
# Publications per niche: (archetype, count, topic, subscribers median, guidelines).
PUB_SPECS: dict[str, tuple[tuple[str, int, str, int, bool], ...]] = {
    "small": (("active_small", 1, "niche", 2400, True), ("closed", 1, "niche", 3800, False),
              ("mega_offniche", 1, "off", 380_000, True), ("content_mill", 1, "mixed", 1900, True),
              ("dead", 1, "niche", 20_000, True)),
    "large": (("active_big", 2, "niche", 40_000, True), ("active_mid", 6, "niche", 8000, True),
              ("active_small", 6, "niche", 2500, True), ("new_small", 3, "niche", 150, True),
              ("active_near", 8, "near", 50_000, True), ("single_author", 5, "niche", 800, False),
              ("dead", 5, "niche", 14_000, True), ("closed", 4, "niche", 5000, False),
              ("mega_offniche", 6, "off", 400_000, True), ("off_mid", 12, "off", 25_000, False),
              ("content_mill", 3, "mixed", 2500, True)),
}  # fmt: skip
# Where each writer kind may publish, by publication archetype (weights).
PUB_WEIGHTS = {
    "niche": {"active_big": 5, "active_mid": 3, "active_small": 1.5, "closed": 0.0, "active_near": 0.6},
    "near": {"active_near": 3, "mega_offniche": 1},
    "off": {"mega_offniche": 3, "off_mid": 2},
}
NAMES = ("Notes", "Weekly", "Journal", "Review", "Collective", "Digest", "Lab", "Post", "Club", "Quarterly")


def build_niche_world(niche: str, seed: int = 7) -> World:
    """The planted world of fixture niche `niche` ("small" or "large")."""
    domain = DOMAINS[niche]
    rng = random.Random(f"{seed}:{niche}")
    ids = Ids(rng)
    world = World(seed=seed, as_of=AS_OF)
    world.domain = domain
    titles: set[str] = set()
    _publications(rng, ids, world, niche, domain)
    names = name_pool(rng)
    for arch, count in COUNTS[niche].items():
        for i in range(count):
            _writer(rng, ids, names, world, arch, i)
    for author in list(world.authors.values()):
        world.posts.extend(_posts_for(rng, ids, world, author, titles))
    _megapub_niche_posts(rng, ids, world, titles)
    _single_and_new_pubs(rng, ids, world, titles)
    _duplicates(rng, ids, world)
    used = {p.pub for p in world.posts}
    for pub in world.pubs.values():
        if pub.slug not in used:
            raise AssertionError(f"publication {pub.slug} ({pub.archetype}) got no posts")
    posted: dict[str, set[str]] = {}
    for p in world.posts:
        if p.pub:
            posted.setdefault(p.author, set()).add(p.pub)
    for a in world.authors.values():  # a writer's publications are the ones they posted in
        a.pubs = tuple(s for s in a.pubs if s in posted.get(a.username, ()))
    assign_editors(rng, ids, world, sorted(world.pubs.values(), key=lambda p: p.slug))
    _links(world)
    for post in world.posts:
        post.url = post_url(world, post)
    return world


def _publications(rng: random.Random, ids: Ids, world: World, niche: str, d: Domain) -> None:
    words = [w for thing in d.niche_things for w in thing.split() if len(w) > 3 and w.isalpha()]
    used: set[str] = set()
    for arch, count, topic, subs, guide in PUB_SPECS[niche]:
        for _ in range(count):
            while True:
                if topic == "niche":
                    name = f"{cap(rng.choice(words))} {rng.choice(NAMES)}"
                elif topic == "near":
                    name = f"The {cap(rng.choice(('Maker', 'Builder', 'Craft', 'Studio', 'Indie')))} {rng.choice(NAMES)}"
                else:
                    name = f"{rng.choice(('Daily', 'Modern', 'Everyday', 'Bright', 'Open'))} {rng.choice(('Life', 'Mind', 'Money', 'Story', 'World'))} {rng.choice(NAMES)}"
                slug = name.lower().replace(" ", "-")
                if slug not in used:
                    used.add(slug)
                    break
            host = ("path", "subdomain", "custom")[rng.randrange(3)] if topic == "niche" else "path"
            domain = {"path": None, "subdomain": f"{slug.replace('-', '')}.medium.com",
                      "custom": f"{slug.replace('-', '')}.pub"}[host]  # fmt: skip
            followers = max(20, int(subs * math.exp(rng.gauss(0, 0.3))))
            desc = {
                "niche": f"{cap(rng.choice(d.niche_things))} and more, for people who care about {d.keywords[0]}.",
                "near": f"Stories about {rng.choice(d.near_things)} and making things.",
                "off": "Ideas, money and life, every day.",
                "mixed": "Tips on anything: money online, health, crypto and more. All writers welcome!",
            }[topic]
            if arch == "dead":
                desc += " (on hiatus)"
            if arch == "closed":
                desc += " We no longer accept submissions."
            world.pubs[slug] = Publication(
                slug, ids.new(), name, desc, followers, host, domain, topic, arch, guide
            )


def _writer(
    rng: random.Random, ids: Ids, names: list[tuple[str, str]], world: World, arch: str, i: int
) -> None:
    spec = ARCHS[arch]
    topic = spec.topic if spec.topic != "off" else OFF_TOPICS[i % len(OFF_TOPICS)]
    a = new_author(
        rng, ids, names, arch, topic, spec.followers[0], spec.followers[1], i, filler=arch == "off_niche"
    )
    d = world.domain
    assert d is not None
    if topic == "niche" or arch == "left_niche":
        x, y = rng.sample(d.niche_things, 2)
        a.bio = rng.choice(d.bio_niche).format(a=x, b=y)
    elif topic == "near":
        a.bio = rng.choice(d.bio_near).format(a=rng.choice(d.near_things))
    if arch == "celebrity":
        a.followers = max(a.followers, 100_000 + rng.randrange(80_000))
    while a.username in world.authors:
        a.username += str(rng.randrange(10))
    pubs = sorted(world.pubs.values(), key=lambda p: p.slug)
    kind = {"niche": "niche", "near": "near"}.get(spec.topic, "off")
    if arch in ("mill_writer", "spam_volume"):
        choices = [p.slug for p in pubs if p.archetype == "content_mill"]
        a.pubs = tuple(rng.sample(choices, 1)) if choices else ()
    elif arch == "megapub_staff":
        megas = [p.slug for p in pubs if p.archetype == "mega_offniche"]
        offs = [p.slug for p in pubs if p.archetype == "off_mid"]
        a.pubs = (
            tuple(rng.sample(megas, 1)) if (megas and (i % 3 or not offs)) else tuple(rng.sample(offs, 1))
        )
    elif spec.in_pubs > 0:
        weights = PUB_WEIGHTS[kind]
        cands = [p for p in pubs if weights.get(p.archetype, 0) > 0]
        if arch == "pub_insider":
            cands = [p for p in cands if p.topic == "niche"]
        if cands:
            k = 1 if rng.random() < 0.6 or len(cands) < 2 else 2
            picked: list[str] = []
            while len(picked) < k:
                p = rng.choices(cands, weights=[weights[c.archetype] for c in cands])[0]
                if p.slug not in picked:
                    picked.append(p.slug)
            a.pubs = tuple(picked)
    if arch in ("inactive", "left_niche"):  # wrote for the publications that have since died
        dead = [p.slug for p in pubs if p.archetype == "dead"]
        if dead and rng.random() < 0.7:
            a.pubs = (*a.pubs, rng.choice(dead))
    a.links_competitors = arch == "backlink_lead" or (arch in ("steady_mid", "steady_large") and i % 3 == 0)
    a.links_site = (arch == "steady_mid" and i == 1) or (arch == "occasional" and i == 0)
    world.authors[a.username] = a


def _ages(rng: random.Random, spec: Arch, arch: str) -> list[float]:
    ages: list[float] = []
    if spec.window and spec.every[0] > 0:
        age = rng.uniform(0.5, spec.every[0])
        while age <= spec.window:
            ages.append(age)
            age += rng.uniform(*spec.every)
    if arch == "inactive":
        last = rng.uniform(185, 540)
        return [last + k * rng.uniform(12, 30) for k in range(rng.randint(*spec.old))]
    if arch == "off_niche":  # the crowd of another field: a few posts each
        return sorted(rng.uniform(1, 500) for _ in range(rng.randint(1, 5)))
    start = max(spec.window, 95)
    ages += [rng.uniform(start, max(spec.oldest, start + 1)) for _ in range(rng.randint(*spec.old))]
    return sorted(ages)


def _posts_for(rng: random.Random, ids: Ids, world: World, a: Author, titles: set[str]) -> list[Post]:
    arch = a.archetype
    spec = ARCHS[arch]
    ages = _ages(rng, spec, arch)
    median = spec.claps * (0.6 + 0.8 * rng.random())
    viral = rng.randrange(len(ages)) if arch == "one_hit" and ages else -1
    out = []
    for k, age in enumerate(ages):
        if arch == "left_niche":  # niche long ago, another field for the last months
            kind = "niche" if age > 200 else "off"
        elif arch == "one_hit":
            kind = "niche" if k == viral else rng.choice(("off", "near"))
        elif arch == "celebrity":
            kind = "niche" if k == 1 else "off"
        elif spec.topic == "niche" or spec.topic == "near":
            kind = "niche" if rng.random() < spec.niche_p else "near"
            if arch in ("occasional", "near_niche") and k == 0:  # now and then means at least lately
                kind = "niche"
        else:
            kind = "niche" if rng.random() < spec.niche_p else "off"
        claps = max(0, int(median * math.exp(rng.gauss(0, 0.55))))
        if k == viral:
            claps = rng.randrange(3500, 14000)
        if arch == "celebrity" and kind == "niche":
            claps = rng.randrange(1800, 5000)
        if arch in ("spam_volume", "mill_writer"):
            claps = rng.randrange(0, 7)
        responses = int(claps * rng.uniform(*spec.ratio) + (rng.random() if spec.ratio[1] > 0 else 0))
        published = world.as_of_ms - int(age * DAY_MS) - rng.randrange(3_600_000)
        updated = published + (rng.randrange(1, 5) * 3_600_000 if rng.random() < 0.3 else 0)
        if arch == "left_niche" and kind == "niche":  # old posts touched up lately: edit dates are recent
            updated = world.as_of_ms - int(rng.uniform(2, 20) * DAY_MS)
        untagged = kind == "niche" and (arch == "steady_untagged" or rng.random() < 0.08)
        post = _post(
            rng, ids, world, a, kind, published, updated, claps, responses, titles, untagged=untagged
        )
        post.pub = _pick_pub(rng, world, a, spec, post)
        out.append(post)
    return out


def _post(rng: random.Random, ids: Ids, world: World, a: Author, kind: str, published: int, updated: int,
          claps: int, responses: int, titles: set[str], *, untagged: bool = False) -> Post:  # fmt: skip
    d = world.domain
    assert d is not None
    for _ in range(50):
        if kind == "niche":
            x, y = rng.sample(d.niche_things, 2)
            title = rng.choice(d.niche_titles)
            if untagged:  # tags miss the niche; the title and subtitle say what it is
                tags = rng.sample(d.generic_tags, rng.randint(1, 2))
            else:
                tags = (rng.sample(d.tags, rng.randint(1, 2)) + rng.sample(d.extra_tags, rng.randint(0, 2))
                        + rng.sample(d.near_tags[:2], rng.randint(0, 1)))  # fmt: skip
            topic = "niche"
        elif kind == "near":
            x, y = rng.sample(d.near_things, 2)
            title = rng.choice(d.near_titles)
            tags = rng.sample(d.near_tags, rng.randint(2, 3))
            topic = "near"
        else:
            topic = a.topic if a.topic in OFF_TAGS else rng.choice(OFF_TOPICS)
            x, y = rng.sample(W.OFF_THINGS[topic], 2)
            title = rng.choice(W.OFF_TITLES)
            tags = list(OFF_TAGS[topic][: rng.randint(2, 3)])
        if a.archetype == "celebrity" and kind == "niche":
            tags = [d.tags[0], *OFF_TAGS[a.topic][:2]]
        n = rng.choice((3, 5, 7, 9, 11, 12, 30, 40, 50))
        title = title.format(n=n, a=cap(x), b=cap(y), A=cap(x))
        if kind != "niche" or title not in titles:  # distinct niche titles; other fields may repeat
            break
    titles.add(title)
    if kind == "niche" and untagged:
        subtitle = f"A {rng.choice(d.keywords)} story: what {x} taught us."
    else:
        subtitle = rng.choice((f"Notes on {x} from the trenches.", f"What actually worked for {x}.",
                               f"A short guide to {x}.", f"Lessons about {x} and {y}."))  # fmt: skip
    voters = max(1 if claps else 0, int(claps / rng.uniform(2.0, 6.0)))
    return Post(ids.new(), a.username, None, title, subtitle, tuple(dict.fromkeys(tags)), published, updated,
                claps, responses, voters, round(rng.uniform(2.5, 11.0), 6), kind, topic)  # fmt: skip


def _pick_pub(rng: random.Random, world: World, a: Author, spec: Arch, post: Post) -> str | None:
    if not a.pubs or rng.random() >= spec.in_pubs:
        return None
    age = (world.as_of_ms - post.published_ms) / DAY_MS
    fits = []
    for slug in a.pubs:
        pub = world.pubs[slug]
        if pub.archetype == "dead" and age < 420:
            continue
        if (
            pub.topic == post.kind
            or pub.topic == "mixed"
            or (pub.topic == "off" and post.kind == "off")
            or pub.topic == "near"
            and post.kind == "niche"
            and rng.random() < 0.3
        ):
            fits.append(slug)
    return rng.choice(fits) if fits else None


def _megapub_niche_posts(rng: random.Random, ids: Ids, world: World, titles: set[str]) -> None:
    """Each off-niche giant tags the niche about once a month, read by its big general audience;
    dead publications keep their famous old posts."""
    for pub in sorted(world.pubs.values(), key=lambda p: p.slug):
        staff = sorted({p.author for p in world.posts if p.pub == pub.slug
                        and world.authors[p.author].archetype == "megapub_staff"})  # fmt: skip
        if pub.archetype == "mega_offniche" and staff:
            age = rng.uniform(3, 30)
            while age < 365:
                a = world.authors[rng.choice(staff)]
                published = world.as_of_ms - int(age * DAY_MS)
                claps = int(160 * math.exp(rng.gauss(0, 0.5)))  # its readers came for something else
                post = _post(rng, ids, world, a, "niche", published, published, claps,
                             int(claps * rng.uniform(0.005, 0.02)), titles)  # fmt: skip
                post.pub = pub.slug
                world.posts.append(post)
                age += rng.uniform(25, 40)
        if pub.archetype == "dead":  # older niche pieces (14+ months) from its former writers
            old = [p for p in world.posts if p.kind == "niche" and p.pub is None
                   and world.as_of_ms - p.published_ms > 420 * DAY_MS]  # fmt: skip
            for post in rng.sample(old, min(len(old), rng.randint(4, 8))):
                post.pub = pub.slug
            mine = [p for p in world.posts if p.pub == pub.slug]
            if mine:
                best = max(mine, key=lambda p: (p.claps, p.pid))
                best.claps = rng.randrange(15_000, 30_000)  # the classic everyone still links to
                best.voters = best.claps // 4
                best.responses = int(best.claps * 0.015)


def _single_and_new_pubs(rng: random.Random, ids: Ids, world: World, titles: set[str]) -> None:
    """A personal publication belongs to one steady writer; a brand-new one to a rising writer; a
    closed one keeps publishing only its editor's pieces."""
    by_arch: dict[str, list[Author]] = {}
    for a in sorted(world.authors.values(), key=lambda a: a.username):
        by_arch.setdefault(a.archetype, []).append(a)
    owners = by_arch.get("steady_small", []) + by_arch.get("backlink_lead", [])
    rising = by_arch.get("rising", [])
    steady = by_arch.get("steady_mid", []) + by_arch.get("pub_insider", []) + by_arch.get("steady_small", [])
    pubs = sorted(world.pubs.values(), key=lambda p: p.slug)
    for j, pub in enumerate(p for p in pubs if p.archetype == "single_author"):
        if j < len(owners):
            mine = [p for p in world.posts if p.author == owners[j].username and p.kind == "niche"]
            for post in mine[::2]:
                post.pub = pub.slug
    for j, pub in enumerate(p for p in pubs if p.archetype == "new_small"):
        if rising:
            owner = rising[j % len(rising)]
            for post in [p for p in world.posts if p.author == owner.username and p.kind == "niche"][::2]:
                post.pub = pub.slug
    for j, pub in enumerate(p for p in pubs if p.archetype == "closed"):
        if steady:
            editor = steady[j % len(steady)]
            mine = [
                p for p in world.posts if p.author == editor.username and p.kind == "niche" and p.pub is None
            ]
            for post in mine[: max(2, len(mine) // 2)]:
                post.pub = pub.slug


def _duplicates(rng: random.Random, ids: Ids, world: World) -> None:
    """Copier accounts re-publish other writers' recent niche articles a few days later; some
    writers cross-post one article into a second place (Medium's canonical link names the original)."""
    recent = sorted((p for p in world.posts if p.kind == "niche" and p.claps >= 30
                     and world.as_of_ms - p.published_ms < 90 * DAY_MS), key=lambda p: p.pid)  # fmt: skip
    for a in sorted(world.authors.values(), key=lambda a: a.username):
        if a.archetype == "reposter" and recent:
            for orig in rng.sample(recent, min(len(recent), rng.randint(10, 16))):
                world.posts.append(_copy(rng, ids, world, orig, a.username, None, rng.uniform(0.5, 4)))
    writers = [a for a in sorted(world.authors.values(), key=lambda a: a.username)
               if a.archetype in ("steady_mid", "pub_insider", "steady_large", "occasional")]  # fmt: skip
    for a in writers[::2]:
        mine = sorted(
            (p for p in world.posts if p.author == a.username and p.kind == "niche"), key=lambda p: p.pid
        )
        for orig in mine[:2]:
            other = [s for s in a.pubs if s != orig.pub and world.pubs[s].archetype != "dead"]
            target = other[0] if other else None
            if target is None and orig.pub is None:
                continue
            copy = _copy(rng, ids, world, orig, a.username, target, rng.uniform(1, 10))
            copy.canonical = "@post:" + orig.pid
            world.posts.append(copy)


def _copy(rng: random.Random, ids: Ids, world: World, orig: Post, author: str, pub: str | None,
          days_later: float) -> Post:  # fmt: skip
    published = min(orig.published_ms + int(days_later * DAY_MS), world.as_of_ms - 3_600_000)
    claps = (
        max(0, int(orig.claps * rng.uniform(0.02, 0.15)))
        if world.authors[author].archetype == "reposter"
        else int(orig.claps * rng.uniform(0.1, 0.4))
    )
    return Post(ids.new(), author, pub, orig.title, orig.subtitle, orig.tags, published, published, claps,
                0 if world.authors[author].archetype == "reposter" else int(claps * 0.02), max(1, claps // 4),
                orig.reading_time, orig.kind, orig.topic, copy_of=orig.pid)  # fmt: skip


def _links(world: World) -> None:
    """Competitor and user-site links for the planted linkers, internal links, references."""
    d = world.domain
    assert d is not None
    niche = [p for p in world.posts if p.kind == "niche" and p.copy_of is None]
    for post in world.posts:
        a = world.authors[post.author]
        prng = random.Random(f"{world.seed}:links:{post.pid}")
        links: list[tuple[str, str, str]] = []
        if post.kind == "niche" and a.links_competitors and prng.random() < 0.7:
            for dom in prng.sample(d.competitors, prng.randint(1, min(2, len(d.competitors)))):
                links.append(
                    (f"https://{dom}{prng.choice(d.competitor_paths)}", EXT, f"{dom.split('.')[0]}'s guide")
                )
        if post.kind == "niche" and a.links_site and prng.random() < 0.6:
            links.append((f"https://{d.site}{prng.choice(d.site_paths)}", EXT, "this checklist"))
        if post.kind != "guidelines" and prng.random() < 0.3:
            links.append((f"https://en.wikipedia.org/wiki/{d.keywords[0].title().replace(' ', '_')}", EXT,
                          "the encyclopedia entry"))  # fmt: skip
        if post.kind == "niche" and niche and prng.random() < 0.4:
            other = niche[prng.randrange(len(niche))]
            if other.pid != post.pid:
                links.append((f"@post:{other.pid}", INT, other.title))
        post.links = tuple(links)
    by_id = {p.pid: p for p in world.posts}
    for post in world.posts:
        post.url = post_url(world, post)
    for post in world.posts:
        post.links = tuple(
            (by_id[u[6:]].url if u.startswith("@post:") else u, r, t) for u, r, t in post.links
        )
        if post.canonical and post.canonical.startswith("@post:"):
            post.canonical = by_id[post.canonical[6:]].url
