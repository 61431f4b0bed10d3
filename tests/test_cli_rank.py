"""`linkscout rank` end to end on the hand-built world: formats, kinds, --as-of, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from helpers_graph import world_db
from typer.testing import CliRunner

from linkscout.cli.main import app

NICHE_TOML = """
[niche]
keywords = ["seo", "link building", "content marketing"]
tags = ["seo", "link-building", "content-marketing"]
competitors = ["ahrefs.com"]
site = "example.com"
as_of = "2024-06-30"
"""


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("cli")
    world_db(d / "w.db").conn.close()
    (d / "niche.toml").write_text(NICHE_TOML, encoding="utf-8")
    return d / "niche.toml", d / "w.db"


def run(paths: tuple[Path, Path], *args: str):
    niche, db = paths
    return CliRunner().invoke(app, ["rank", "--niche", str(niche), "--db", str(db), *args])


def test_json_authors(paths) -> None:
    r = run(paths, "--format", "json", "--limit", "3")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [x["rank"] for x in rows] == [1, 2, 3]
    assert {x["handle"] for x in rows} == {"steady1", "steady2", "steady3"}
    assert rows[0]["rationale"] and rows[0]["evidence"]["posts"][0]["url"]
    assert rows[0]["name"] == "Steady One" and (rows[0]["first_name"], rows[0]["last_name"]) == (
        "Steady",
        "One",
    )
    assert set(rows[0]["components"]) >= {"relevance", "engagement", "consistency", "followers", "backlinks"}


def test_publications_csv_and_jsonl(paths) -> None:
    r = run(paths, "--kind", "publications", "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [x["slug"] for x in rows] == ["growth-pub"]  # dead-pub: nothing for a year, not listed
    assert "Submission page" in rows[0]["rationale"]
    r = run(paths, "--kind", "publications", "-f", "jsonl", "-n", "1")
    assert [json.loads(line)["slug"] for line in r.stdout.splitlines()] == ["growth-pub"]


def test_table_and_as_of(paths) -> None:
    r = run(paths, "--as-of", "2022-04-01", "--limit", "1")
    assert r.exit_code == 0, r.output
    assert "inactive" in r.stdout and "steady1" not in r.stdout


def test_errors(paths, tmp_path: Path) -> None:
    r = run(paths, "--as-of", "last tuesday")
    assert r.exit_code == 2 and "--as-of" in r.stderr and "must be a day like" in r.stderr  # a usage error
    niche, _ = paths
    r = CliRunner().invoke(app, ["rank", "--niche", str(niche), "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 1 and "no database" in r.stderr
    r = run(paths, "--kind", "people")
    assert r.exit_code == 2
