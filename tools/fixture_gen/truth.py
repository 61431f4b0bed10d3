"""Planted labels: whom a careful marketer would contact in the fixture niche, graded 0-3 with reasons.

Grades come from the archetype each account was planted as; the reason quotes the numbers the
generated pages actually carry, so a reader can check every label against the site.
"""

from __future__ import annotations

from statistics import median

from tools.fixture_gen.model import COMPETITORS, DAY_MS, SITE, World

AUTHOR_GRADES = {
    "steady_large": (3, "steady niche writer with a large, engaged readership"),
    "steady_mid": (3, "steady niche writer, mid-sized and engaged"),
    "steady_small_engaged": (3, "small but steady niche writer whose readers respond"),
    "steady_small": (2, "steady niche writer with a small audience"),
    "rising": (2, "new niche writer posting weekly with good engagement, short track record"),
    "backlink_lead": (2, "regular niche writer who links out to competitors: a backlink lead"),
    "occasional": (1, "writes on the niche only now and then"),
    "content_mill": (1, "posts on niche tags very often but almost nobody reads or responds"),
    "near_niche": (1, "near-niche (general marketing / startups) writer"),
    "one_hit": (0, "one-hit wonder: a single viral niche post and little else"),
    "celebrity": (0, "off-niche celebrity who used a niche tag once; followers are not niche readers"),
    "inactive": (0, "good niche writer, but inactive"),
    "off_niche": (0, "writes about another field"),
    "suspended": (0, "account suspended (profile answers 410)"),
    "megapub_near": (1, "general startup and business writer for big generic publications (near-niche)"),
    "megapub_off": (0, "career and self-improvement writer for big generic publications"),
    "dormant": (0, "wrote popular growth and startup pieces years ago; nothing in over a year"),
    "mill_writer": (0, "content-mill account: posts on any tag, almost nobody reads or responds"),
    "filler_near_niche": (1, "near-niche filler writer"),
    "filler_occasional": (1, "occasional niche filler writer"),
    "filler_off_niche": (0, "off-niche filler writer"),
}
PUB_GRADES = {
    "active_big": (3, "active niche publication with a large following and submission guidelines"),
    "active_mid": (3, "active niche publication with several writers and submission guidelines"),
    "active_small": (3, "small but active niche publication (custom domain) with submission guidelines"),
    "single_author": (1, "niche, but one writer's personal publication"),
    "dead": (0, "niche but dead: no new post in over a year"),
    "active_near": (2, "active near-niche marketing publication that takes submissions"),
    "active_near_nosub": (1, "active startup publication, near-niche, no submission page"),
    "off_big": (0, "off-niche (self-help) publication, big but irrelevant"),
    "off_mid": (0, "off-niche (programming) publication"),
    "mega_generic": (
        1,
        "big generic publication: a huge following but a tiny niche share; a small SaaS marketer "
        "is unlikely to be featured and its audience is off-target",
    ),
    "dead_mega": (0, "big but dead: famous old posts with huge clap counts, nothing new in over a year"),
    "content_mill": (
        0,
        "content mill: many low-engagement posts on any topic from many writers; a feature "
        "there reaches almost nobody",
    ),
    "new_small": (
        2,
        "brand-new niche publication: tiny audience, but focused, active and taking submissions",
    ),
}


# The other fixture niches' archetypes (niches.py); the shared names above keep their grades there.
AUTHOR_GRADES.update({
    "pub_insider": (3, "steady niche writer who publishes almost only inside niche publications"),
    "steady_untagged": (3, "steady, engaged niche writer whose tags are generic; titles and subtitles are on the niche"),
    "clap_heavy": (1, "big clap counts but nobody ever responds: an audience that does not talk back"),
    "spam_volume": (0, "spam-volume account: a niche-tagged post every two days that almost nobody reads"),
    "reposter": (0, "copier account: re-publishes other writers' niche articles as its own"),
    "left_niche": (0, "wrote on the niche until about half a year ago, now writes about another field"),
    "megapub_staff": (0, "staff writer of a big off-niche publication"),
})  # fmt: skip
PUB_GRADES.update({
    "closed": (1, "niche publication that stopped taking submissions: only its editor's pieces appear"),
    "mega_offniche": (1, "off-niche giant that tags the niche about once a month: a huge following, a tiny "
                      "niche share; a feature is unlikely and its readers came for something else"),
})  # fmt: skip


def build_truth(world: World) -> dict:
    site, competitors = (world.domain.site, world.domain.competitors) if world.domain else (SITE, COMPETITORS)
    now = world.as_of_ms
    by_author: dict[str, list] = {}
    by_pub: dict[str, list] = {}
    for p in world.posts:
        by_author.setdefault(p.author, []).append(p)
        if p.pub:
            by_pub.setdefault(p.pub, []).append(p)
    authors = {}
    for name in sorted(world.authors):
        a = world.authors[name]
        posts = by_author.get(name, [])
        niche = [p for p in posts if p.kind == "niche"]
        recent = [p for p in niche if now - p.published_ms <= 90 * DAY_MS]
        grade, why = AUTHOR_GRADES[a.archetype]
        facts = [f"{len(recent)} niche posts in the last 90 days"]
        if niche:
            facts.append(f"median {median(p.claps for p in niche):g} claps and "
                         f"{median(p.responses for p in niche):g} responses per niche post")  # fmt: skip
        if posts:
            last = min(now - p.published_ms for p in posts) / DAY_MS
            facts.append(f"last post {int(last)} day(s) ago")
            total = sum(p.claps for p in posts)
            if total:
                facts.append(
                    f"{round(100 * max(p.claps for p in posts) / total)}% of claps from the best post"
                )
        facts.append(f"{a.followers} followers")
        comp = sorted(
            {u.split("/")[2] for p in posts for u, _, _ in p.links if u.split("/")[2] in competitors}
        )
        if comp:
            facts.append("links to " + ", ".join(comp) + " (ugc nofollow)")
        if any(u.split("/")[2] == site for p in posts for u, _, _ in p.links):
            facts.append(f"already links to {site}")
        copies = sum(p.copy_of is not None for p in posts)
        if copies:
            facts.append(f"{copies} of the posts are copies of an article published elsewhere first")
        if a.pubs:
            facts.append("writes for " + ", ".join(world.pubs[s].name for s in a.pubs))
        authors[name] = {"grade": grade, "archetype": a.archetype, "reason": f"{why}: " + "; ".join(facts)}
    pubs = {}
    for slug in sorted(world.pubs):
        pub = world.pubs[slug]
        posts = [p for p in by_pub.get(slug, []) if p.kind != "guidelines"]
        grade, why = PUB_GRADES[pub.archetype]
        last = min((now - p.published_ms for p in posts), default=None)
        recent_authors = {p.author for p in posts if now - p.published_ms <= 90 * DAY_MS}
        share = sum(p.kind == "niche" for p in posts) / len(posts) if posts else 0.0
        facts = [f"{len(posts)} posts, {round(100 * share)}% on niche tags",
                 f"last post {int(last / DAY_MS)} day(s) ago" if last is not None else "no posts",
                 f"{len(recent_authors)} distinct writers in the last 90 days", f"{pub.subscribers} followers",
                 f"median {median(p.claps for p in posts):g} claps per post, best post "
                 f"{max(p.claps for p in posts)} claps" if posts else "no claps",
                 "submission guidelines linked from its navigation" if pub.guidelines else "no submission page"]  # fmt: skip
        pubs[slug] = {"grade": grade, "archetype": pub.archetype, "reason": f"{why}: " + "; ".join(facts)}
    return {
        "as_of": world.as_of.isoformat(),
        "seed": world.seed,
        "niche": world.domain.name if world.domain else "seo-for-saas",
        "authors": authors,
        "publications": pubs,
    }
