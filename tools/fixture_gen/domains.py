"""What a fixture niche is about: its keywords, tags, sites and invented word banks.

The bundled niche (`SEO`) reads its banks from `words` and `world` exactly as before; the other niches
(`ESPRESSO`, small; `GAMEDEV`, large) are other domains, so a ranking tuned on one cannot lean on
another's vocabulary. Every name and sentence here is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.fixture_gen import words as W


@dataclass(frozen=True)
class Domain:
    name: str  # niche name in niche.toml and truth.json
    keywords: tuple[str, ...]
    tags: tuple[str, ...]  # the niche's own tags
    extra_tags: tuple[str, ...]  # more niche tags writers use (not in niche.toml)
    near_tags: tuple[str, ...]
    generic_tags: tuple[str, ...]  # what a niche post carries when its tags miss the niche
    site: str
    competitors: tuple[str, ...]
    product: str
    niche_things: tuple[str, ...]
    near_things: tuple[str, ...]
    niche_titles: tuple[str, ...]
    near_titles: tuple[str, ...]
    niche_sentences: tuple[str, ...]
    near_sentences: tuple[str, ...]
    bio_niche: tuple[str, ...]
    bio_near: tuple[str, ...]
    competitor_paths: tuple[str, ...]
    site_paths: tuple[str, ...]
    seeds: tuple[str, ...] = ()  # publication seeds for niche.toml (filled by the builder when empty)


SEO = Domain(
    name="seo-for-saas",
    keywords=("seo", "link building", "content marketing", "saas marketing", "keyword research"),
    tags=("seo", "content-marketing", "link-building", "saas-marketing", "saas-growth"),
    extra_tags=("keyword-research", "technical-seo", "content-strategy", "b2b-marketing"),
    near_tags=(
        "marketing",
        "digital-marketing",
        "startup",
        "growth-hacking",
        "entrepreneurship",
        "copywriting",
    ),
    generic_tags=("marketing", "startup", "writing"),
    site="trellisrank.com",
    competitors=("ahrefs.com", "semrush.com", "moz.com"),
    product="Trellis Rank helps SaaS content teams plan topic clusters and track which pages earn links.",
    niche_things=W.NICHE_THINGS,
    near_things=W.NEAR_THINGS,
    niche_titles=W.NICHE_TITLES,
    near_titles=W.NEAR_TITLES,
    niche_sentences=W.NICHE_SENTENCES,
    near_sentences=W.NEAR_SENTENCES,
    bio_niche=W.BIO_NICHE,
    bio_near=W.BIO_NEAR,
    competitor_paths=W.COMPETITOR_PATHS,
    site_paths=W.SITE_PATHS,
    seeds=("saas-growth-notes", "searchdesk"),
)

ESPRESSO = Domain(
    name="home-espresso",
    keywords=("espresso", "home barista", "coffee grinder", "latte art", "pour over"),
    tags=("espresso", "home-barista", "coffee-brewing", "latte-art"),
    extra_tags=("coffee-grinder", "specialty-coffee", "pour-over"),
    near_tags=("coffee", "kitchen", "food", "hobbies"),
    generic_tags=("kitchen", "hobbies", "weekend"),
    site="cremalog.app",
    competitors=("brewgauge.com", "tampworks.shop"),
    product="Crema Log is a shot journal that turns dose, yield and time into dial-in suggestions.",
    niche_things=(
        "espresso dial-in",
        "grind size",
        "latte art",
        "milk texture",
        "espresso ratios",
        "puck prep",
        "single-dose grinders",
        "pressure profiling",
        "home barista setups",
        "espresso roasts",
        "pour over",
        "coffee grinder burrs",
        "water recipes",
        "channeling",
        "pre-infusion",
        "flat white technique",
    ),  # fmt: skip
    near_things=(
        "sourdough",
        "cast iron pans",
        "kitchen scales",
        "tea blends",
        "brunch menus",
        "meal planning",
    ),
    niche_titles=(
        "What {n} Weeks of {a} Taught Me",
        "{A} for the Home Barista",
        "The Honest Guide to {a}",
        "{n} {A} Mistakes I Made at Home",
        "Why Your {a} Tastes Sour",
        "{A} vs. {b}: What Matters at Home",
        "Dialing In: Notes on {a}",
        "A Small Kitchen Approach to {a}",
        "I Logged {n} Shots to Understand {a}",
    ),  # fmt: skip
    near_titles=("A Slow Sunday With {a}", "{n} Kitchen Habits Around {a}", "Rethinking {a} at Home"),
    niche_sentences=(
        "Most bitterness I blamed on the beans came from {a}.",
        "I changed one thing at a time, and {a} was the one that mattered.",
        "A cheap scale did more for {a} than any upgrade.",
        "The first month of {a} is mostly sink shots, and that is fine.",
        "Pairing {a} with {b} fixed the sourness for good.",
        "Write down every shot: {a} only makes sense with notes.",
    ),  # fmt: skip
    near_sentences=(
        "Weekends in the kitchen start with {a} now.",
        "I learned more about {a} from my grandmother than from any book.",
        "{a} is a habit, not a hobby.",
    ),  # fmt: skip
    bio_niche=(
        "Home barista. I write about {a} and {b}.",
        "Ex-café trainer, now writing about {a} for people with small kitchens.",
        "Coffee nerd logging every shot. Notes on {a}.",
    ),  # fmt: skip
    bio_near=("Home cook writing about {a}.", "Kitchen tinkerer. Thoughts on {a}."),
    competitor_paths=("/guides/grind-chart", "/blog/ratio-calculator", "/learn/puck-prep"),
    site_paths=("/journal-template", "/blog/dial-in-checklist"),
)

GAMEDEV = Domain(
    name="indie-gamedev",
    keywords=("game development", "indie game", "level design", "game design", "gamedev"),
    tags=("game-development", "indie-game", "gamedev", "game-design"),
    extra_tags=("level-design", "godot", "pixel-art", "game-jam"),
    near_tags=("programming", "software-development", "design", "animation", "startup"),
    generic_tags=("programming", "tutorial", "devlog"),
    site="playtestkit.dev",
    competitors=("gridforge.io", "spritely.studio", "tilemancer.net"),
    product="Playtest Kit records playtest sessions and turns them into level heatmaps for small studios.",
    niche_things=(
        "level design",
        "game feel",
        "playtesting",
        "procedural dungeons",
        "pixel art pipelines",
        "game jams",
        "enemy AI",
        "save systems",
        "wishlist launches",
        "tutorial levels",
        "boss fights",
        "game design documents",
        "camera systems",
        "difficulty curves",
        "indie game marketing",
        "hitboxes",
        "dialogue trees",
        "roguelike loops",
        "Steam page copy",
        "shader tricks",
    ),  # fmt: skip
    near_things=(
        "API design",
        "refactoring",
        "3D modelling",
        "motion graphics",
        "side projects",
        "code review",
    ),
    niche_titles=(
        "How We Rebuilt Our {a} in {n} Days",
        "{n} {A} Lessons From Our First Indie Game",
        "The Case for {a} in Small Game Development Teams",
        "What {n} Playtests Taught Me About {a}",
        "A Practical Game Design Guide to {a}",
        "Why Your {a} Feels Wrong",
        "{A} vs. {b}: An Indie Game Postmortem",
        "Devlog {n}: {a} and {b}",
        "{A} Without a Big Team",
        "Shipping {a}: Our Game Development Notes",
    ),  # fmt: skip
    near_titles=("{n} Lessons on {a} for Solo Developers", "The Underrated Power of {a}", "Rethinking {a}"),
    niche_sentences=(
        "Players forgive ugly art long before they forgive bad {a}.",
        "We cut {a} twice before it felt right in playtests.",
        "Our wishlists doubled the week we showed {a} instead of describing it.",
        "Prototype {a} in greybox first; it saves weeks.",
        "Nobody noticed {b} until we fixed {a}.",
        "The jam version of {a} was better than the one we polished for months.",
    ),  # fmt: skip
    near_sentences=(
        "Side projects taught me more about {a} than my day job.",
        "The best code I wrote for {a} was the code I deleted.",
        "{a} is mostly about saying no to features.",
    ),  # fmt: skip
    bio_niche=(
        "Solo indie developer. Devlogs on {a} and {b}.",
        "Designer at a three-person studio. I write about {a}.",
        "Game programmer writing about {a} and shipping small games.",
    ),  # fmt: skip
    bio_near=("Software engineer, sometimes writing about {a}.", "Designer. Notes on {a}."),
    competitor_paths=("/blog/level-editor-guide", "/docs/tilemaps", "/blog/playtest-survey"),
    site_paths=("/blog/heatmap-guide", "/docs/quickstart"),
)

DOMAINS = {"seo": SEO, "small": ESPRESSO, "large": GAMEDEV}
