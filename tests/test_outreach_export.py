from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from linkscout.cli import render as render_mod
from linkscout.cli.csvsafe import safe_cell
from linkscout.cli.output_file import OutputFileError as ExportError
from linkscout.cli.output_file import output_file
from linkscout.cli.render import write_rows
from linkscout.core.niche import Niche, parse_niche
from linkscout.outreach import export as export_mod
from linkscout.outreach.export import HEAD, KNOWN_COMPONENTS, TAIL, columns
from linkscout.outreach.queue import QueueRow

NICHE = parse_niche({"niche": {"name": "seo-for-saas", "tags": ["seo"], "site": "example.com"}})
UTM = "https://example.com/?utm_source=medium&utm_medium=referral&utm_campaign=seo-for-saas"


def row(rank: int, handle: str, name: str | None, **kw) -> QueueRow:
    base = dict(
        rank=rank, kind="author", handle=handle, name=name, url=f"https://medium.com/@{handle}", score=0.5,
        rationale="On topic.", stage="discovered", next_step="Comment on it", due=date(2026, 6, 30),
        components={"relevance": 0.25, "engagement": -0.0, "custom": 1.0},
    )  # fmt: skip
    base.update(kw)
    return QueueRow(**base)  # type: ignore[arg-type]


ROWS = [
    row(1, "mallory", '=HYPERLINK("http://x","y")', rationale="+1 from @me\r\nsecond line"),
    row(2, "nl", "Line one\nline two", links_site=True, next_step="-pitch now"),
    row(3, "plain", "Zoë Ünïcödé ✓", suggested_post="@handle's post", rationale="\tTabbed"),
    row(4, "nulls", None, score=None, components={}),
]


def write_export(
    path: Path, rows: list[QueueRow], niche: Niche, fmt: str = "csv", force: bool = True
) -> Path:
    """What `linkscout export` does with its rows: the export's columns, the one file writer."""
    cols, data = export_mod.export_rows(rows, niche)
    with output_file(path, force=force) as f:
        write_rows(f, data, fmt, columns=cols)
    return path


def test_column_order_is_documented_and_stable():
    cols = columns(ROWS)
    assert cols[: len(HEAD)] == list(HEAD) and cols[-len(TAIL) :] == list(TAIL)
    assert cols[len(HEAD) : -len(TAIL)] == [f"score_{c}" for c in (*KNOWN_COMPONENTS, "custom")]
    assert columns([])[: len(HEAD)] == list(HEAD)  # an empty export still has every fixed column
    for c in ("rank", "kind", "handle", "name", "profile_url", "score", "score_relevance", "rationale",
              "suggested_post", "stage", "last_contact", "next_action", "due_date", "utm_url"):  # fmt: skip
        assert c in cols


def test_csv_is_injection_safe_quoted_and_round_trips(tmp_path: Path):
    out = write_export(tmp_path / "o.csv", ROWS, NICHE)
    raw = out.read_bytes().decode("utf-8")
    assert '\'=HYPERLINK(""http://x"",""y"")' in raw  # neutralised and quoted
    assert '"Line one\nline two"' in raw  # the newline stays, inside quotes
    with out.open(encoding="utf-8", newline="") as f:
        back = list(csv.DictReader(f))
    assert len(back) == len(ROWS)
    assert back[0]["name"] == '\'=HYPERLINK("http://x","y")'
    assert back[0]["rationale"] == "'+1 from @me\r\nsecond line"
    assert back[1]["name"] == "Line one\nline two" and back[1]["next_action"] == "'-pitch now"
    assert back[2]["name"] == "Zoë Ünïcödé ✓" and back[2]["suggested_post"] == "'@handle's post"
    assert back[2]["rationale"] == "'\tTabbed"
    assert back[0]["score_engagement"] == "-0.0"  # numbers are numbers, never prefixed
    assert back[3]["name"] == "" and back[3]["score"] == "" and back[3]["score_relevance"] == ""
    # Every cell round-trips to exactly what safe_cell wrote.
    _, data = export_mod.export_rows(ROWS, NICHE)
    for written, read in zip(data, back, strict=True):
        assert {k: safe_cell(v) for k, v in written.items()} == read


def test_utm_url_only_where_the_row_suggests_linking_the_site(tmp_path: Path):
    out = write_export(tmp_path / "o.csv", ROWS, NICHE)
    with out.open(encoding="utf-8", newline="") as f:
        back = list(csv.DictReader(f))
    assert [r["utm_url"] for r in back] == ["", UTM, "", ""]


def test_json_and_jsonl_carry_the_same_columns(tmp_path: Path):
    j = json.loads(write_export(tmp_path / "o.json", ROWS, NICHE, fmt="json").read_text(encoding="utf-8"))
    assert list(j[0]) == columns(ROWS) and j[0]["name"] == '=HYPERLINK("http://x","y")'  # raw in JSON
    lines = (
        (write_export(tmp_path / "o.jsonl", ROWS, NICHE, fmt="jsonl"))
        .read_text(encoding="utf-8")
        .splitlines()
    )
    assert [json.loads(x)["handle"] for x in lines] == ["mallory", "nl", "plain", "nulls"]


def test_unwritable_path_is_one_line_and_leaves_nothing(tmp_path: Path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    with pytest.raises(ExportError) as err:
        write_export(blocker / "o.csv", ROWS, NICHE)
    assert "\n" not in str(err.value) and "cannot write" in str(err.value)
    with pytest.raises(ExportError, match="folder"):
        write_export(tmp_path, ROWS, NICHE)


def test_a_failed_export_never_leaves_a_half_file(tmp_path: Path, monkeypatch):
    target = tmp_path / "o.csv"
    target.write_text("previous export\n", encoding="utf-8")

    def boom(f, cols, rows):
        f.write("rank,kind\r\n1,")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(render_mod, "write_csv", boom)
    with pytest.raises(ExportError, match="No space left"):
        write_export(target, ROWS, NICHE)
    assert target.read_text(encoding="utf-8") == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.csv"]
