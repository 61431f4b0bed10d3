"""Invented word banks for the fixture niche: names, topics, title and sentence templates.

Nothing here comes from a real page; every person and sentence is made up.
"""

from __future__ import annotations

FIRST = (
    "Mara", "Tobias", "Ines", "Kofi", "Lena", "Arjun", "Priya", "Jonas", "Noor", "Felix", "Ayla", "Dario",
    "Hanna", "Mateo", "Selin", "Rowan", "Elif", "Caspar", "Yuki", "Amara", "Bruno", "Leila", "Oskar", "Nadia",
    "Tariq", "Greta", "Emil", "Sofia", "Ravi", "Clara", "Idris", "Maren", "Luca", "Zara", "Henrik", "Talia",
    "Omar", "Freya", "Nikolai", "Esme", "Malik", "Vera", "Anton", "Iris", "Samir", "Lotte", "Keanu", "Dalia",
    "Pavel", "Rhea", "Milo", "Saskia", "Jun", "Elena", "Bastian", "Anouk", "Ciaran", "Mina", "Viktor", "Olu",
)  # fmt: skip
LAST = (
    "Lindqvist", "Okafor", "Brandt", "Castellano", "Haddad", "Novak", "Fairweather", "Iyer", "Moreau", "Quist",
    "Takeda", "Albrecht", "Duarte", "Kowal", "Ferreira", "Osei", "Vance", "Halloran", "Petrov", "Sandoval",
    "Engel", "Marchetti", "Oduya", "Whitlock", "Bergstrom", "Acheson", "Ruiz", "Thorne", "Valdez", "Kimura",
    "Nakashima", "Oyelaran", "Greaves", "Holm", "Ashby", "Calder", "Mbeki", "Stroud", "Varga", "Winslow",
)  # fmt: skip

NICHE_THINGS = (
    "topic clusters", "programmatic SEO", "internal linking", "keyword research", "guest posting", "digital PR",
    "comparison pages", "content refreshes", "product-led content", "link outreach", "search intent mapping",
    "crawl budget", "featured snippets", "SaaS landing pages", "pillar pages", "bottom-of-funnel content",
    "content briefs", "broken link building", "integration pages", "glossary pages", "SERP analysis",
    "anchor text", "editorial calendars", "thought leadership", "unlinked mentions", "free tools as link bait",
)  # fmt: skip
NEAR_THINGS = (
    "positioning", "cold email", "pricing pages", "onboarding emails", "landing page copy", "founder-led sales",
    "brand voice", "newsletter growth", "paid acquisition", "product launches", "customer interviews",
    "growth experiments", "LinkedIn posts", "webinars", "referral loops",
)  # fmt: skip
OFF_THINGS = {
    "crypto": (
        "Bitcoin",
        "staking",
        "altcoins",
        "DeFi yields",
        "cold wallets",
        "token unlocks",
        "layer-2 fees",
    ),
    "selfhelp": (
        "morning routines",
        "discipline",
        "journaling",
        "deep work",
        "saying no",
        "burnout",
        "habits",
    ),
    "politics": ("local elections", "housing policy", "the news cycle", "campaign finance", "town halls"),
    "programming": (
        "Rust lifetimes",
        "Python typing",
        "Kubernetes",
        "React hooks",
        "SQL indexes",
        "CI pipelines",
    ),
    "design": ("design systems", "typography", "color contrast", "empty states", "icon grids", "dark mode"),
    "health": ("sleep", "zone 2 training", "meal prep", "strength training", "hydration", "step counts"),
}

NICHE_TITLES = (
    "How We Grew Organic Signups {n}% With {a}",
    "{n} {A} Mistakes SaaS Teams Still Make",
    "The Case for {a} in B2B SaaS",
    "What {n} Months of {a} Taught Me About {b}",
    "A Practical Playbook for {a}",
    "Why Your {a} Is Not Working (and What To Do Instead)",
    "{A} vs. {b}: Where a Small SaaS Should Start",
    "I Audited {n} SaaS Blogs. Here Is What Their {a} Gets Wrong",
    "The Boring Truth About {a}",
    "From Zero to {n}k Monthly Visitors: Our {a} Notes",
    "{A} Without a Big Budget",
    "Stop Guessing: Measuring {a} Properly",
)  # fmt: skip
NEAR_TITLES = (
    "What I Learned About {a} After {n} Launches",
    "{n} Lessons on {a} for First-Time Founders",
    "The Underrated Power of {a}",
    "Rethinking {a} for Early-Stage Startups",
    "A Simple Framework for {a}",
)  # fmt: skip
OFF_TITLES = (
    "{n} Things Nobody Tells You About {a}",
    "Why I Changed My Mind on {a}",
    "The Quiet Revolution in {a}",
    "{A} Is Not What You Think",
    "My {n}-Day Experiment With {a}",
    "Everything I Know About {a}, in {n} Minutes",
)  # fmt: skip

NICHE_SENTENCES = (
    "Most SaaS teams treat {a} as a side project, and it shows in their numbers.",
    "We started with {a} because our sales team kept asking for pages they could send to prospects.",
    "The first three months of {a} looked like nothing was happening.",
    "Search intent matters more than volume: a page about {a} that answers the wrong question never ranks.",
    "Our best-performing pages combined {a} with {b}, which nobody on the team expected.",
    "If you only have one writer, spend their time on {a} before anything else.",
    "A spreadsheet of every page, its target query and its last update beat any tool we tried for {a}.",
    "Links still matter, but {a} earned us more of them than cold outreach ever did.",
    "The trap with {a} is publishing fast and never revisiting what you shipped.",
    "We measure {a} by signups from organic search, not by traffic alone.",
    "Editors reply to pitches about {a} when the pitch is short and names a specific gap.",
    "The teams that win at {a} write for the buyer first and the crawler second.",
)  # fmt: skip
NEAR_SENTENCES = (
    "Early on, {a} felt like a distraction from building the product.",
    "Talking to ten customers about {a} changed our roadmap more than any dashboard.",
    "The best founders I know treat {a} as a habit, not a campaign.",
    "We tested {a} for six weeks before deciding whether to keep it.",
    "Nobody reads a message about {a} that could have been sent by anyone.",
)  # fmt: skip
OFF_SENTENCES = (
    "I have thought about {a} for years, and my view keeps shifting.",
    "The conversation about {a} is louder than it is useful.",
    "Here is what changed when I took {a} seriously.",
    "Most advice on {a} ignores the boring parts that actually matter.",
    "A friend asked me about {a} last week, and this is the long answer.",
)  # fmt: skip

BIO_NICHE = (
    "SEO lead at a B2B SaaS. I write about {a} and {b}.",
    "Content marketer for SaaS startups. Notes on {a}, {b} and what actually moves signups.",
    "Freelance SEO consultant. Weekly essays on {a}.",
    "Head of content. Obsessed with {a} and honest metrics.",
)  # fmt: skip
BIO_NEAR = (
    "Founder, marketer, occasional writer about {a}.",
    "Growth at an early-stage startup. Thoughts on {a}.",
)
BIO_OFF = {
    "crypto": "Investor and writer. {n}k readers follow my takes on crypto markets.",
    "selfhelp": "Bestselling author. I help {n}k readers build better habits.",
    "politics": "Columnist. Writing about politics and power.",
    "programming": "Software engineer writing about code and tools.",
    "design": "Product designer. Notes on interfaces.",
    "health": "Coach and writer on health and training.",
}

COMPETITOR_PATHS = (
    "/blog/keyword-difficulty-study", "/blog/internal-links-guide", "/blog/link-building-statistics",
    "/blog/content-audit-template", "/blog/serp-features", "/learn/seo/anchor-text",
)  # fmt: skip
SITE_PATHS = ("/blog/saas-seo-checklist", "/blog/topic-cluster-template", "/tools/serp-snapshot")
REFERENCE_LINKS = (
    ("https://developers.google.com/search/docs/fundamentals/seo-starter-guide", "Google's starter guide"),
    ("https://en.wikipedia.org/wiki/Search_engine_optimization", "the Wikipedia overview"),
    ("https://www.w3.org/TR/WCAG21/", "the accessibility guidelines"),
)

# Writers of the wider landscape (`landscape.py`): career/self-help megapub writers and content-mill accounts.
BIO_CAREER = (
    "Writer on careers, money and habits. Top writer in self-improvement.",
    "Recovering consultant. I write about work, focus and getting paid what you are worth.",
    "Coach for ambitious people. New essay every week.",
)  # fmt: skip
BIO_MILL = (
    "Sharing tips on making money online, marketing, crypto and health.",
    "Side hustler. Daily tips on SEO, passive income and staying fit.",
    "Writer. Follow for daily tips that change your life.",
)  # fmt: skip
