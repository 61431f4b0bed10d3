"""rankings table (history per as_of), views, FTS and the events -> relationships key Datasette follows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers_graph import world_db
from typer.testing import CliRunner

from linkscout.cli.main import app
from linkscout.store.db import open_db
from linkscout.store.rankings import RankingRow, ranking_history, rankings_for, save_rankings

NICHE_TOML = """
[niche]
name = "seo-for-saas"
keywords = ["seo", "link building", "content marketing"]
tags = ["seo", "link-building", "content-marketing"]
competitors = ["ahrefs.com"]
site = "example.com"
as_of = "2024-06-30"
"""


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    world_db(tmp_path / "w.db").conn.close()
    (tmp_path / "niche.toml").write_text(NICHE_TOML, encoding="utf-8")
    return tmp_path / "niche.toml", tmp_path / "w.db"


def cli(paths: tuple[Path, Path], *args: str):
    niche, db = paths
    r = CliRunner().invoke(app, [*args, "--niche", str(niche), "--db", str(db)])
    assert r.exit_code == 0, r.output
    return r


def test_rank_and_queue_store_rankings_with_history_per_as_of(paths) -> None:
    cli(paths, "rank", "--limit", "3", "-f", "json")
    cli(paths, "rank", "--limit", "3", "-f", "json", "--as-of", "2024-05-01")
    cli(paths, "queue", "--kind", "publications", "-f", "json")
    db = open_db(paths[1])
    latest = rankings_for(db, "author")
    assert [r.key for r in latest] == ["steady1", "steady2", "steady3"] and latest[0].as_of == date(
        2024, 6, 30
    )
    assert set(latest[0].components) >= {"relevance", "engagement"}
    hist = ranking_history(db, "author", "steady1")
    assert [h.as_of for h in hist] == [date(2024, 5, 1), date(2024, 6, 30)]
    assert rankings_for(db, "publication")[0].key == "growth-pub"
    # the views read the latest as_of
    top = db.execute("SELECT handle, name, rank FROM authors_ranked").fetchall()
    assert top == [("steady1", "Steady One", 1), ("steady2", "Steady Two", 2), ("steady3", "Steady Three", 3)]
    assert db.execute("SELECT slug FROM publications_ranked LIMIT 1").fetchone() == ("growth-pub",)
    links = db.execute("SELECT competitor, author, rel FROM competitor_links").fetchall()
    assert links == [("ahrefs.com", "steady1", "nofollow")]


def test_rerunning_the_same_as_of_replaces_and_rankings_follow_authors(paths) -> None:
    db = open_db(paths[1])
    day = date(2024, 6, 30)
    save_rankings(db, [RankingRow("author", "steady1", day, 1, 0.9, {"relevance": 1.0})])
    save_rankings(db, [RankingRow("author", "steady1", day, 2, 0.8, {"relevance": 0.5})])
    assert db.execute("SELECT rank, score, author FROM rankings").fetchall() == [(2, 0.8, "steady1")]
    fks = {(f.column, f.other_table) for f in db["rankings"].foreign_keys}
    assert fks == {("author", "authors"), ("publication", "publications"), ("tag", "tags")}


def test_events_carry_a_relationship_key_and_the_board_lists_them(paths) -> None:
    cli(paths, "stage", "log", "steady1", "followed", "--at", "2024-06-01")
    db = open_db(paths[1])
    assert db.execute("SELECT relationship FROM events").fetchall() == [("author:steady1",)]
    assert ("relationship", "relationships", "key") in {
        (f.column, f.other_table, f.other_column) for f in db["events"].foreign_keys
    }
    board = db.execute("SELECT kind, handle, name, last_event, events FROM outreach_board").fetchall()
    assert board == [("author", "steady1", "Steady One", "followed", 1)]


def test_post_titles_and_subtitles_are_full_text_searchable(paths) -> None:
    db = open_db(paths[1])
    hits = [r["title"] for r in db["posts"].search("bitcoin")]
    assert len(hits) == 6 and all("Bitcoin" in t for t in hits)
    db.execute("UPDATE posts SET title = 'Zebra crossings' WHERE title = 'Bitcoin staking explained 0'")
    assert [r["title"] for r in db["posts"].search("zebra")] == [
        "Zebra crossings"
    ]  # triggers keep it current
