"""One prospect record: rank, queue and export agree on columns; the export is CRM-ready and
round-trips through `stage import`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from helpers_graph import world_db
from typer.testing import CliRunner

from linkscout.cli.main import app
from linkscout.outreach.prospect import COLUMNS, column_names, columns_markdown

NICHE_TOML = """
[niche]
name = "seo-for-saas"
keywords = ["seo", "link building", "content marketing"]
tags = ["seo", "link-building", "content-marketing"]
competitors = ["ahrefs.com"]
site = "example.com"
as_of = "2024-06-30"

[quality]
min_followers = 0
min_niche_posts_90d = 1
"""
README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    world_db(tmp_path / "w.db").conn.close()
    (tmp_path / "niche.toml").write_text(NICHE_TOML, encoding="utf-8")
    return tmp_path / "niche.toml", tmp_path / "w.db"


def run(paths: tuple[Path, Path], *args: str) -> str:
    niche, db = paths
    r = CliRunner().invoke(app, [*args, "--niche", str(niche), "--db", str(db)])
    assert r.exit_code == 0, r.output
    return r.stdout


def header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_rank_queue_and_export_agree_on_column_names(paths, tmp_path: Path) -> None:
    for kind in ("authors", "publications"):
        ranked = header(run(paths, "rank", "--kind", kind, "-f", "csv"))
        queued = header(run(paths, "queue", "--kind", kind, "-f", "csv"))
        run(paths, "export", "--kind", kind, "--out", str(tmp_path / f"{kind}.csv"))
        exported = header((tmp_path / f"{kind}.csv").read_text(encoding="utf-8"))
        assert ranked == queued == exported == column_names(kind)
        jsonl = run(paths, "queue", "--kind", kind, "-f", "jsonl").splitlines()
        assert list(json.loads(jsonl[0])) == column_names(kind)
    queued = header(run(paths, "queue", "--kind", "links", "-f", "csv"))
    run(paths, "export", "--kind", "links", "--out", str(tmp_path / "links.csv"))
    assert queued == header((tmp_path / "links.csv").read_text(encoding="utf-8")) == column_names("links")


def test_link_leads_keep_competitor_rel_and_url_in_json(paths) -> None:
    rows = json.loads(run(paths, "queue", "--kind", "links", "-f", "json"))
    assert [(r["author"], r["competitor"], r["rel"], r["url"]) for r in rows] == [
        ("steady1", "ahrefs.com", "nofollow", "https://ahrefs.com/blog/link-building/")
    ]
    assert rows[0]["post"] and rows[0]["post_title"] == "Link building for SaaS part 1"


def test_author_export_is_one_row_per_handle_with_contact_columns(paths, tmp_path: Path) -> None:
    run(paths, "export", "--out-dir", str(tmp_path / "crm"), "--bom")
    assert sorted(p.name for p in (tmp_path / "crm").iterdir()) == [
        "authors.csv",
        "links.csv",
        "publications.csv",
    ]
    authors = read_csv(tmp_path / "crm" / "authors.csv")
    handles = [a["handle"] for a in authors]
    assert len(handles) == len(set(handles)) and {"steady1", "steady2", "steady3"} <= set(handles)
    by = {a["handle"]: a for a in authors}
    s1 = by["steady1"]
    assert (s1["name"], s1["first_name"], s1["last_name"]) == ("Steady One", "Steady", "One")
    assert s1["profile_url"] == "https://medium.com/@steady1" and s1["followers"] == "800"
    assert int(s1["niche_posts_90d"]) >= 6 and s1["stage"] == "discovered" and len(s1["reason"]) <= 200
    # She already links to the site: thanked today, no post to comment on.
    assert s1["due_date"] == "2024-06-30" and s1["post_to_comment_on"] == ""
    assert s1["next_action"].startswith("Already links to you (1 link,")
    s2 = by["steady2"]  # newest niche post 5 days old: the window has passed, the step waits on the next
    assert s2["due_date"] == "" and s2["post_to_comment_on"] == "" and s2["post_title"] == ""
    assert (
        s2["next_action"].startswith("Latest niche post 5 days ago")
        and "window has passed" in s2["next_action"]
    )
    assert s1["rationale"].startswith(s1["reason"].rstrip("…"))
    assert by["steady3"]["followers"] == ""  # unknown, not 0
    pubs = read_csv(tmp_path / "crm" / "publications.csv")
    assert pubs[0]["slug"] == "growth-pub" and pubs[0]["submission_url"].endswith("write-for-us-0a1b2c3d4e")
    assert float(pubs[0]["niche_share"]) > 0.8


def test_all_keeps_a_contacted_prospect_and_a_sheet_round_trips(paths, tmp_path: Path) -> None:
    run(
        paths,
        "stage",
        "log",
        "steady1",
        "commented",
        "--url",
        "https://medium.com/p/0001a1b2c3",
        "--at",
        "2024-06-28",
    )
    run(paths, "export", "--out", str(tmp_path / "q.csv"))
    assert "steady1" not in {
        r["handle"] for r in read_csv(tmp_path / "q.csv")
    }  # contacted lately: not queued
    run(paths, "export", "--out", str(tmp_path / "all.csv"), "--all")
    rows = {r["handle"]: r for r in read_csv(tmp_path / "all.csv")}
    assert rows["steady1"]["stage"] == "engaging" and rows["steady1"]["last_contact"] == "2024-06-28"
    # The sheet: the user logs what they did next to the exported rows and imports it back.
    sheet = tmp_path / "sheet.csv"
    with sheet.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["handle", "event", "date", "url", "note"])
        w.writerow(
            [
                rows["steady2"]["handle"],
                "commented",
                "2024-06-29",
                rows["steady2"]["post_to_comment_on"],
                "from the sheet",
            ]
        )
        w.writerow([rows["steady3"]["handle"], "followed", "2024-06-29", "", ""])
    run(paths, "stage", "import", str(sheet))
    run(paths, "stage", "import", str(sheet))  # twice: nothing more
    run(paths, "export", "--out", str(tmp_path / "all2.csv"), "--all")
    after = {r["handle"]: r for r in read_csv(tmp_path / "all2.csv")}
    assert (after["steady2"]["stage"], after["steady2"]["last_contact"]) == ("engaging", "2024-06-29")
    assert after["steady3"]["stage"] == "following"
    events = json.loads(run(paths, "stage", "show", "steady2", "-f", "json"))["events"]
    assert [(e["event"], e["note"]) for e in events] == [("commented", "from the sheet")]


def test_readme_lists_every_column_with_meaning_and_example() -> None:
    text = README.read_text(encoding="utf-8")
    assert columns_markdown() in text
    for kind, cols in COLUMNS.items():
        for c in cols:
            assert f"| `{c.name}` |" in text, (kind, c.name)
