"""`linkscout stage import`: a sheet's events under `stage log`'s rules, all or nothing, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_graph import world_db
from typer.testing import CliRunner

from linkscout.cli.main import app
from linkscout.store.db import open_db

NICHE_TOML = """
[niche]
name = "seo-for-saas"
keywords = ["seo", "link building", "content marketing"]
tags = ["seo", "link-building", "content-marketing"]
competitors = ["ahrefs.com"]
site = "example.com"
as_of = "2024-06-30"
"""

GOOD = """handle,event,date,url,note
steady1,followed,2024-06-01,,
@Steady1,commented,2024-06-02,https://medium.com/p/0001a1b2c3,"Great point, thanks"
steady2,commented,2024-06-03,https://medium.com/p/0010a1b2c3,
growth-pub,guidelines_read,2024-06-04,https://medium.com/growth-pub/write-for-us-0a1b2c3d4e,
"""


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    world_db(tmp_path / "w.db").conn.close()
    (tmp_path / "niche.toml").write_text(NICHE_TOML, encoding="utf-8")
    return tmp_path / "niche.toml", tmp_path / "w.db"


def run(paths: tuple[Path, Path], *args: str):
    niche, db = paths
    return CliRunner().invoke(app, [*args, "--niche", str(niche), "--db", str(db)])


def events(db_path: Path) -> list[tuple[str, str, str, str]]:
    db = open_db(db_path)
    return db.execute(
        "SELECT target_kind, target, event, substr(at, 1, 10) FROM events ORDER BY id"
    ).fetchall()


def test_a_sheet_imports_once_and_twice_adds_nothing(paths, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())  # Excel saves a BOM
    r = run(paths, "stage", "import", str(sheet))
    assert r.exit_code == 0, r.output
    assert "Imported 4 events" in r.stderr
    assert events(paths[1]) == [
        ("author", "steady1", "followed", "2024-06-01"),
        ("author", "steady1", "commented", "2024-06-02"),
        ("author", "steady2", "commented", "2024-06-03"),
        ("publication", "growth-pub", "guidelines_read", "2024-06-04"),
    ]
    r = run(paths, "stage", "import", str(sheet))
    assert r.exit_code == 0 and "Imported 0 events" in r.stderr and "4 already logged" in r.stderr
    assert len(events(paths[1])) == 4
    shown = run(paths, "stage", "list", "-f", "csv").stdout
    assert "steady1,Steady One,engaging" in shown


def test_any_refused_row_refuses_the_file_with_line_numbers(paths, tmp_path: Path) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        "handle,event,date,url,note\n"
        "steady1,commented,2024-06-01,https://medium.com/p/0001a1b2c3,\n"
        "steady2,replied,2024-06-02,,a reply before any contact\n"
        "nobody_at_all,followed,2024-06-01,,\n"
        "steady2,followed,last tuesday,,\n"
        "steady3,waved,2024-06-01,,\n",
        encoding="utf-8",
    )
    r = run(paths, "stage", "import", str(sheet))
    assert r.exit_code == 1
    err = r.stderr.strip()
    assert err.startswith("Error: nothing imported: 4 of 5 rows refused") and "\n" not in err
    for line in (
        "line 3 (steady2 replied)",
        "line 4 (nobody_at_all followed)",
        "line 5:",
        "line 6 (steady3 waved)",
    ):
        assert line in err
    assert "line 2" not in err
    assert events(paths[1]) == []  # not even the good first row


def test_missing_columns_is_one_line(paths, tmp_path: Path) -> None:
    sheet = tmp_path / "x.csv"
    sheet.write_text("name,stage\nann,won\n", encoding="utf-8")
    r = run(paths, "stage", "import", str(sheet))
    assert r.exit_code == 1 and r.stderr.startswith("Error:") and "handle, event, date" in r.stderr
    r = run(paths, "stage", "import", str(tmp_path / "absent.csv"))
    assert r.exit_code == 1 and r.stderr.startswith("Error: ")
