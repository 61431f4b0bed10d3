"""Datasette metadata for the store: the crawl's bookkeeping hidden, the real data, views and canned
queries shown. Used by `linkscout browse`; the SQL of the canned queries lives here with the rest."""

from __future__ import annotations

from typing import Any

# The crawler's ledger and the schema's bookkeeping: needed to resume a crawl, noise when browsing.
INTERNAL_TABLES = (
    "_sqlite_migrations",
    "sqlite_sequence",
    "frontier",
    "crawl_runs",
    "crawl_links",
    "pages",
    "parse_warnings",
    "niche_domains",
)

CANNED_QUERIES: dict[str, dict[str, str]] = {
    "top_authors": {
        "title": "Top authors (latest ranking)",
        "sql": "SELECT rank, handle, name, score, followers, profile_url, twitter_url FROM authors_ranked LIMIT 50",
    },
    "search_posts": {
        "title": "Search post titles and subtitles",
        "sql": (
            "SELECT posts.id, posts.title, posts.subtitle, posts.author, posts.publication, posts.url, "
            "posts.published_at FROM posts JOIN posts_fts ON posts.rowid = posts_fts.rowid "
            "WHERE posts_fts MATCH :q ORDER BY posts_fts.rank LIMIT 100"
        ),
    },
    "score_history": {
        "title": "Score history of one author or publication",
        "sql": (
            "SELECT as_of, kind, rank, score, components FROM rankings WHERE key = :handle "
            "ORDER BY as_of, kind"
        ),
    },
    "backlink_leads": {
        "title": "Authors linking to a competitor, most links first",
        "sql": (
            "SELECT author, competitor, count(*) AS links, sum(nofollow) AS nofollow, max(published_at) AS latest "
            "FROM competitor_links GROUP BY author, competitor ORDER BY links DESC"
        ),
    },
}


def datasette_metadata(database: str, *, title: str = "linkscout") -> dict[str, Any]:
    """Metadata for `datasette serve DB --metadata FILE`; `database` is the file's stem."""
    return {
        "title": title,
        "description": "Medium authors, publications and posts crawled for one niche, with rankings and the outreach log.",
        "databases": {
            database: {
                "tables": {t: {"hidden": True} for t in INTERNAL_TABLES}
                | {
                    "posts": {"sort_desc": "published_at", "label_column": "title"},
                    "authors": {"label_column": "name"},
                    "publications": {"label_column": "name"},
                    "relationships": {"label_column": "key"},
                },
                "queries": CANNED_QUERIES,
            }
        },
    }
