"""Datasette over the store, through Datasette's own test client: views, FTS, hidden internals,
canned queries and the foreign keys it follows."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from helpers_graph import world_db
from typer.testing import CliRunner

from linkscout.cli.main import app
from linkscout.store.browse import CANNED_QUERIES, INTERNAL_TABLES, datasette_metadata

# Datasette takes ~1.5 s to import: it is imported when a test here runs, not when the suite is
# collected (every pytest-xdist worker collects every module).

NICHE_TOML = """
[niche]
name = "seo-for-saas"
keywords = ["seo", "link building", "content marketing"]
tags = ["seo", "link-building", "content-marketing"]
competitors = ["ahrefs.com"]
site = "example.com"
as_of = "2024-06-30"
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("browse")
    world_db(d / "linkscout.db").conn.close()
    (d / "niche.toml").write_text(NICHE_TOML, encoding="utf-8")
    args = ["--niche", str(d / "niche.toml"), "--db", str(d / "linkscout.db")]
    runner = CliRunner()
    for cmd in (["rank", "-f", "json"], ["queue", "-k", "publications", "-f", "json"],
                ["stage", "log", "steady1", "followed", "--at", "2024-06-20"]):  # fmt: skip
        r = runner.invoke(app, [*cmd, *args])
        assert r.exit_code == 0, r.output
    return d / "linkscout.db"


def get(store: Path, path: str) -> Any:
    from datasette.app import Datasette

    ds = Datasette([str(store)], metadata=datasette_metadata(store.stem))

    async def fetch() -> Any:
        r = await ds.client.get(path)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
        return r.json()

    return asyncio.run(fetch())


def test_datasette_lists_views_fts_and_canned_queries_and_hides_internals(store: Path) -> None:
    db = get(store, "/linkscout.json")
    views = {v["name"] for v in db["views"]}
    assert {"authors_ranked", "publications_ranked", "competitor_links", "outreach_board"} <= views
    tables = {t["name"]: t for t in db["tables"]}
    assert tables["posts"]["fts_table"] == "posts_fts" and "posts_fts" in tables
    visible = {n for n, t in tables.items() if not t["hidden"]}
    assert {"authors", "publications", "posts", "rankings", "events", "relationships"} <= visible
    assert not visible & set(INTERNAL_TABLES)
    assert not {n for n in visible if n.startswith("posts_fts")}
    assert {q["name"] for q in db["queries"]} == set(CANNED_QUERIES)


def test_search_views_canned_queries_and_foreign_keys(store: Path) -> None:
    hits = get(store, "/linkscout/posts.json?_search=bitcoin&_shape=array")
    assert len(hits) == 6 and all("Bitcoin" in h["title"] for h in hits)
    top = get(store, "/linkscout/authors_ranked.json?_shape=array")
    assert [r["handle"] for r in top[:3]] == ["steady1", "steady2", "steady3"]
    found = get(store, "/linkscout/search_posts.json?q=checklist&_shape=array")
    assert len(found) == 12
    history = get(store, "/linkscout/score_history.json?handle=steady1&_shape=array")
    assert [h["kind"] for h in history] == ["author"]
    board = get(store, "/linkscout/outreach_board.json?_shape=array")
    assert [(b["handle"], b["last_event"], b["rank"]) for b in board] == [("steady1", "followed", 1)]
    events = get(store, "/linkscout/events.json?_labels=on&_shape=array")
    assert events[0]["relationship"] == {"value": "author:steady1", "label": "author:steady1"}
    ranks = get(store, "/linkscout/rankings.json?_labels=on&_shape=array&kind=author&_sort=rank")
    assert ranks[0]["author"]["label"] == "Steady One"  # Datasette follows rankings.author -> authors


def test_browse_without_datasette_is_one_line(monkeypatch, tmp_path: Path) -> None:
    import linkscout.cli.browse_cmd as browse_cmd

    monkeypatch.setattr(browse_cmd, "find_spec", lambda name: None)
    r = CliRunner().invoke(app, ["browse", "--db", str(tmp_path / "x.db")])
    assert r.exit_code == 1 and r.stderr.startswith("Error:") and "linkscout[browse]" in r.stderr
