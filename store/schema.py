"""The whole schema, as named sqlite-utils migrations. Read top to bottom; each step is one screen.

Identity is Medium's: posts by hex id, authors by lower-cased username, publications by slug.
Every value column is nullable: NULL means unknown, never 0. Times are ISO 8601 UTC text.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("linkscout")

_INITIAL = """
CREATE TABLE authors (
    username     TEXT PRIMARY KEY,           -- lower-cased, no @
    user_id      TEXT,                       -- Medium's user id when seen
    name         TEXT,
    bio          TEXT,
    followers    INTEGER,
    following    INTEGER,
    twitter      TEXT,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL
);
CREATE TABLE publications (
    slug           TEXT PRIMARY KEY,
    pub_id         TEXT,
    name           TEXT,
    domain         TEXT,                     -- custom domain, if any
    description    TEXT,
    followers      INTEGER,
    submission_url TEXT,                     -- where its guidelines / submission page are
    first_seen     TEXT NOT NULL,
    last_seen      TEXT NOT NULL
);
CREATE TABLE publication_aliases (          -- custom domains and *.medium.com hosts
    host   TEXT PRIMARY KEY,
    slug   TEXT NOT NULL REFERENCES publications(slug)
);
CREATE TABLE posts (
    id             TEXT PRIMARY KEY,         -- Medium's hex post id
    title          TEXT,
    subtitle       TEXT,
    url            TEXT,
    canonical_url  TEXT,
    author         TEXT REFERENCES authors(username),
    publication    TEXT REFERENCES publications(slug),
    published_at   TEXT,
    updated_at     TEXT,
    claps          INTEGER,
    voters         INTEGER,
    responses      INTEGER,
    reading_time   REAL,
    locked         INTEGER,                  -- member-only: 1/0/NULL
    is_response    INTEGER,
    in_response_to TEXT,
    links_partial  INTEGER,                  -- body links are a preview's subset
    first_seen     TEXT NOT NULL,
    last_seen      TEXT NOT NULL
);
CREATE INDEX posts_author ON posts(author);
CREATE INDEX posts_publication ON posts(publication);
CREATE TABLE tags (
    slug  TEXT PRIMARY KEY,
    name  TEXT
);
CREATE TABLE post_tags (
    post_id  TEXT NOT NULL REFERENCES posts(id),
    tag      TEXT NOT NULL REFERENCES tags(slug),
    PRIMARY KEY (post_id, tag)
) WITHOUT ROWID;
CREATE INDEX post_tags_tag ON post_tags(tag);
CREATE TABLE links (                         -- body links of a post, in page order
    post_id   TEXT NOT NULL REFERENCES posts(id),
    position  INTEGER NOT NULL,
    url       TEXT NOT NULL,
    host      TEXT,
    rel       TEXT,                          -- raw rel attribute, NULL when absent
    anchor    TEXT,
    nofollow  INTEGER NOT NULL,
    ugc       INTEGER NOT NULL,
    internal  INTEGER NOT NULL,              -- points at Medium itself
    PRIMARY KEY (post_id, position)
) WITHOUT ROWID;
CREATE INDEX links_host ON links(host);
CREATE TABLE engagement_snapshots (
    post_id    TEXT NOT NULL REFERENCES posts(id),
    seen_at    TEXT NOT NULL,
    claps      INTEGER,
    responses  INTEGER,
    PRIMARY KEY (post_id, seen_at)
) WITHOUT ROWID;
CREATE TABLE pages (                         -- one row per URL we tried: the crawl's ledger
    url          TEXT PRIMARY KEY,
    kind         TEXT,
    status       TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'blocked', 'skipped_robots')),
    http_status  INTEGER,
    fetched_at   TEXT NOT NULL,
    etag         TEXT,
    last_modified TEXT,
    error        TEXT
);
CREATE TABLE parse_warnings (
    url      TEXT NOT NULL,
    warning  TEXT NOT NULL,
    seen_at  TEXT NOT NULL,
    PRIMARY KEY (url, warning)
) WITHOUT ROWID;
CREATE TABLE relationships (                 -- someone the user is working with
    target_kind  TEXT NOT NULL CHECK (target_kind IN ('author', 'publication')),
    target       TEXT NOT NULL,              -- username or slug
    created_at   TEXT NOT NULL,
    PRIMARY KEY (target_kind, target)
);
CREATE TABLE events (                        -- append-only outreach log, the stage derives from it
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    target_kind  TEXT NOT NULL,
    target       TEXT NOT NULL,
    event        TEXT NOT NULL,
    at           TEXT NOT NULL,              -- when it happened (user's clock)
    url          TEXT,
    note         TEXT,
    forced       INTEGER NOT NULL DEFAULT 0, -- a rule was overridden with --force
    logged_at    TEXT NOT NULL,
    FOREIGN KEY (target_kind, target) REFERENCES relationships(target_kind, target)
);
CREATE INDEX events_target ON events(target_kind, target, at);
CREATE TABLE monitor_checks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    target_kind TEXT NOT NULL,
    target      TEXT NOT NULL,
    post_id     TEXT,
    page_url    TEXT NOT NULL,
    checked_at  TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('found', 'missing', 'failed')),
    link_url    TEXT,
    rel         TEXT
);
CREATE INDEX monitor_checks_page ON monitor_checks(page_url, checked_at);
"""

_FRONTIER = """
CREATE TABLE frontier (                      -- URLs discovered and not yet fetched: lets --resume go on
    url          TEXT PRIMARY KEY,
    priority     REAL NOT NULL,
    depth        INTEGER NOT NULL,
    discovered_at TEXT NOT NULL
);
CREATE INDEX frontier_priority ON frontier(priority DESC);
"""

_CRAWL_RUNS = """
CREATE TABLE crawl_runs (                    -- one row per crawl: lets --resume keep the page budget
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at  TEXT NOT NULL,
    finished_at TEXT,                        -- NULL while running, or when the crawl was killed
    source      TEXT NOT NULL,
    strategy    TEXT NOT NULL,
    budget      INTEGER NOT NULL,
    max_depth   INTEGER NOT NULL,
    fetched     INTEGER NOT NULL DEFAULT 0,  -- pages recorded by this crawl (committed batches)
    outcome     TEXT                         -- done / budget / blocked / failed / interrupted
);
"""


_CRAWL_LINKS = """
CREATE TABLE crawl_links (                   -- links of each page a crawl read, until it finishes: --resume
    run_id  INTEGER NOT NULL,
    url     TEXT NOT NULL,
    links   TEXT NOT NULL,                   -- JSON array of canonical URLs
    PRIMARY KEY (run_id, url)
) WITHOUT ROWID
"""


def _run(db: Database, script: str) -> None:
    # One statement at a time: executescript would commit the migration's transaction early.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations(name="m001_initial")
def m001_initial(db: Database) -> None:
    _run(db, _INITIAL)


@migrations(name="m002_crawl_frontier")
def m002_crawl_frontier(db: Database) -> None:
    _run(db, _FRONTIER)


@migrations(name="m003_crawl_runs")
def m003_crawl_runs(db: Database) -> None:
    _run(db, _CRAWL_RUNS)


@migrations(name="m004_crawl_links")
def m004_crawl_links(db: Database) -> None:
    _run(db, _CRAWL_LINKS)


# Datasette-ready: what rank and queue computed, kept per as_of (the score history), the niche's
# competitor and site domains (so SQL can tell a competitor link), and views a person can browse.
_RANKINGS = """
CREATE TABLE rankings (                      -- written by `rank` and `queue`, one row per entry and as_of
    kind         TEXT NOT NULL CHECK (kind IN ('author', 'publication', 'tag')),
    key          TEXT NOT NULL,              -- username, slug or tag slug
    as_of        TEXT NOT NULL,              -- YYYY-MM-DD the ranking was measured against
    rank         INTEGER NOT NULL,
    score        REAL NOT NULL,
    components   TEXT NOT NULL,              -- JSON object: component -> value
    computed_at  TEXT NOT NULL,
    author       TEXT REFERENCES authors(username),      -- = key for authors (a link Datasette follows)
    publication  TEXT REFERENCES publications(slug),     -- = key for publications
    tag          TEXT REFERENCES tags(slug),             -- = key for tags
    PRIMARY KEY (kind, key, as_of)
);
CREATE INDEX rankings_as_of ON rankings(kind, as_of, rank);
CREATE TABLE niche_domains (                 -- the niche file's competitors and site, as of the last rank/queue
    domain  TEXT PRIMARY KEY,
    role    TEXT NOT NULL CHECK (role IN ('competitor', 'site'))
);
CREATE VIEW authors_ranked AS                -- the latest stored author ranking, best first
SELECT r.rank, a.username AS handle, a.name, round(r.score, 4) AS score, a.followers,
       'https://medium.com/@' || a.username AS profile_url,
       CASE WHEN a.twitter IS NOT NULL THEN 'https://x.com/' || a.twitter END AS twitter_url,
       a.bio, r.as_of, r.components
FROM rankings r JOIN authors a ON a.username = r.key
WHERE r.kind = 'author' AND r.as_of = (SELECT max(as_of) FROM rankings WHERE kind = 'author')
ORDER BY r.rank;
CREATE VIEW publications_ranked AS           -- the latest stored publication ranking, best first
SELECT r.rank, p.slug, p.name, round(r.score, 4) AS score, p.followers, p.submission_url,
       coalesce('https://' || p.domain, 'https://medium.com/' || p.slug) AS url, r.as_of, r.components
FROM rankings r JOIN publications p ON p.slug = r.key
WHERE r.kind = 'publication' AND r.as_of = (SELECT max(as_of) FROM rankings WHERE kind = 'publication')
ORDER BY r.rank;
CREATE VIEW competitor_links AS              -- body links to a competitor domain: backlink leads
SELECT d.domain AS competitor, p.author, p.id AS post_id, p.title AS post_title, p.url AS post_url,
       p.published_at, l.url, l.rel, l.nofollow, l.ugc, l.anchor
FROM links l JOIN posts p ON p.id = l.post_id
JOIN niche_domains d ON d.role = 'competitor' AND (l.host = d.domain OR l.host LIKE '%.' || d.domain)
WHERE l.internal = 0
ORDER BY p.published_at DESC;
CREATE VIEW outreach_board AS                -- every relationship with its latest event and latest rank
SELECT r.target_kind AS kind, r.target AS handle, coalesce(a.name, p.name) AS name,
       (SELECT e.event FROM events e WHERE e.target_kind = r.target_kind AND e.target = r.target
        ORDER BY e.at DESC, e.id DESC LIMIT 1) AS last_event,
       (SELECT max(e.at) FROM events e WHERE e.target_kind = r.target_kind AND e.target = r.target) AS last_event_at,
       (SELECT count(*) FROM events e WHERE e.target_kind = r.target_kind AND e.target = r.target) AS events,
       (SELECT k.rank FROM rankings k WHERE k.kind = r.target_kind AND k.key = r.target
        ORDER BY k.as_of DESC LIMIT 1) AS rank,
       (SELECT round(k.score, 4) FROM rankings k WHERE k.kind = r.target_kind AND k.key = r.target
        ORDER BY k.as_of DESC LIMIT 1) AS score
FROM relationships r
LEFT JOIN authors a ON r.target_kind = 'author' AND a.username = r.target
LEFT JOIN publications p ON r.target_kind = 'publication' AND p.slug = r.target
ORDER BY last_event_at DESC
"""

# events -> relationships is a two-column key, which Datasette cannot follow: give each relationship a
# one-column key ('author:ann') and each event a `relationship` column referencing it, both filled by
# triggers so the code that writes them need not know.
_EVENT_LINK = (
    "ALTER TABLE relationships ADD COLUMN key TEXT",
    "UPDATE relationships SET key = target_kind || ':' || target",
    "CREATE UNIQUE INDEX relationships_key ON relationships(key)",
    """CREATE TRIGGER relationships_key_fill AFTER INSERT ON relationships WHEN NEW.key IS NULL BEGIN
        UPDATE relationships SET key = NEW.target_kind || ':' || NEW.target
        WHERE target_kind = NEW.target_kind AND target = NEW.target;
    END""",
    "ALTER TABLE events ADD COLUMN relationship TEXT REFERENCES relationships(key)",
    "UPDATE events SET relationship = target_kind || ':' || target",
    """CREATE TRIGGER events_relationship_fill AFTER INSERT ON events WHEN NEW.relationship IS NULL BEGIN
        UPDATE events SET relationship = NEW.target_kind || ':' || NEW.target WHERE id = NEW.id;
    END""",
)


@migrations(name="m005_rankings_views")
def m005_rankings_views(db: Database) -> None:
    _run(db, _RANKINGS)


@migrations(name="m006_events_relationship_key")
def m006_events_relationship_key(db: Database) -> None:
    for statement in _EVENT_LINK:
        db.execute(statement)


# sqlite-utils' enable_fts runs its own script (which commits), so this one is not in a transaction;
# replace=True makes a retry after a crash harmless. Triggers keep posts_fts in step with posts.
@migrations(name="m007_posts_fts", transactional=False)
def m007_posts_fts(db: Database) -> None:
    db.table("posts").enable_fts(["title", "subtitle"], create_triggers=True, replace=True)


_OUTREACH_LOG_FACTS = """
ALTER TABLE events ADD COLUMN rule_break TEXT;    -- the [outreach] rule a backfilled or forced event broke
ALTER TABLE events ADD COLUMN retracts INTEGER;   -- `stage undo`: the id of the event this row takes back
ALTER TABLE events ADD COLUMN article TEXT;       -- submissions: the draft (URL or slug) submitted
CREATE INDEX events_article ON events(article) WHERE article IS NOT NULL
"""


@migrations(name="m008_outreach_log_facts")
def m008_outreach_log_facts(db: Database) -> None:
    _run(db, _OUTREACH_LOG_FACTS)


_STORE_WORLD = """
CREATE TABLE store_world (                   -- which world the database holds: fixtures or medium
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    world  TEXT NOT NULL,                    -- 'fixtures' (the invented bundled niche) / 'medium' (real pages)
    created_at TEXT NOT NULL
)
"""


@migrations(name="m009_store_world")
def m009_store_world(db: Database) -> None:
    _run(db, _STORE_WORLD)
    # An older database: its crawl runs say which world it holds (loopback servers serve fixtures).
    kinds = {
        "fixtures" if src == "fixtures" or src.startswith("http://") else "medium"
        for (src,) in db.execute("SELECT DISTINCT source FROM crawl_runs").fetchall()
    }
    if len(kinds) == 1:
        db.execute(
            "INSERT INTO store_world (id, world, created_at) SELECT 1, ?, MIN(started_at) FROM crawl_runs",
            (kinds.pop(),),
        )


_APPROX_COUNTS = """
-- A count read off a rendered page ("1.2K claps") is rounded: flagged, never taken as exact.
ALTER TABLE posts ADD COLUMN counts_approx INTEGER;             -- 1: claps/responses shown rounded
ALTER TABLE posts ADD COLUMN field_layers TEXT;                 -- JSON {field: layer} for non-state values
ALTER TABLE engagement_snapshots ADD COLUMN approx INTEGER;     -- 1: this snapshot's counts are rounded
"""


@migrations(name="m010_approx_counts")
def m010_approx_counts(db: Database) -> None:
    _run(db, _APPROX_COUNTS)


# What the ranking reads (posts, their tags and links, authors, publications) changes only when one of
# these tables does; every write to them, by linkscout or any other SQLite client, bumps `n`, so work
# derived from them alone (graph/cache.py) is redone after any change and never served stale. `uid`
# tells two stores apart that happen to share a count.
STORE_CHANGE_TABLES = (
    "posts",
    "authors",
    "publications",
    "publication_aliases",
    "tags",
    "post_tags",
    "links",
)


@migrations(name="m011_store_changes")
def m011_store_changes(db: Database) -> None:
    db.execute(
        "CREATE TABLE store_changes (id INTEGER PRIMARY KEY CHECK (id = 1), uid TEXT NOT NULL, n INTEGER NOT NULL)"
    )
    db.execute("INSERT INTO store_changes (id, uid, n) VALUES (1, lower(hex(randomblob(16))), 0)")
    for table in STORE_CHANGE_TABLES:
        for op in ("INSERT", "UPDATE", "DELETE"):
            trigger = (
                f"CREATE TRIGGER {table}_{op.lower()}_counts AFTER {op} ON {table} BEGIN "
                "UPDATE store_changes SET n = n + 1 WHERE id = 1; END"
            )
            db.execute(trigger)


_GUIDELINES = """
CREATE TABLE publication_guidelines (        -- what a publication's guidelines post or about page says
    publication  TEXT NOT NULL,              -- slug
    url          TEXT NOT NULL,              -- the page read
    accepts_submissions INTEGER,             -- 1 / 0, NULL: the page does not say
    how_to_submit TEXT,                      -- routes in page order: email, Google form, Twitter/DM, ...
    submit_to    TEXT,                       -- the address, form URL or handle given
    exclusivity  TEXT,                       -- 'unpublished only' / 'previously published accepted'
    reprints     TEXT,                       -- canonical / reprint policy
    link_policy  TEXT,                       -- 'no affiliate links', 'max 2 links', ...
    response_time TEXT,                      -- 'within 2 weeks', 'no reply within 14 days means declined'
    evidence     TEXT NOT NULL DEFAULT '[]', -- JSON [[field, sentence], ...]: each field's sentence
    seen_at      TEXT NOT NULL,
    PRIMARY KEY (publication, url)
)
"""


@migrations(name="m012_publication_guidelines")
def m012_publication_guidelines(db: Database) -> None:
    _run(db, _GUIDELINES)


KNOWN_MIGRATIONS = frozenset(
    {
        "m001_initial",
        "m002_crawl_frontier",
        "m003_crawl_runs",
        "m004_crawl_links",
        "m005_rankings_views",
        "m006_events_relationship_key",
        "m007_posts_fts",
        "m008_outreach_log_facts",
        "m009_store_world",
        "m010_approx_counts",
        "m011_store_changes",
        "m012_publication_guidelines",
    }
)
