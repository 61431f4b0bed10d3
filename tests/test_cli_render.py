from __future__ import annotations

import csv
import io
import json

import pytest

from linkscout.cli.render import Format, render, render_cards

ROWS = [
    {
        "rank": 1,
        "handle": "ann",
        "score": 0.91234,
        "why": ["First reason.", "Second reason."],
        "next": "Comment",
    },
    {"rank": 2, "handle": "=cmd()", "score": None, "why": [], "next": "line1\nline2"},
]


def test_json_jsonl_csv(capsys: pytest.CaptureFixture[str]) -> None:
    render(ROWS, Format.json, columns=["rank", "handle", "score"])
    assert json.loads(capsys.readouterr().out) == [
        {"rank": 1, "handle": "ann", "score": 0.91234}, {"rank": 2, "handle": "=cmd()", "score": None}
    ]  # fmt: skip
    render(ROWS, Format.jsonl, columns=["rank", "handle"])
    assert [json.loads(line) for line in capsys.readouterr().out.splitlines()] == [
        {"rank": 1, "handle": "ann"}, {"rank": 2, "handle": "=cmd()"}
    ]  # fmt: skip
    render(ROWS, Format.csv, columns=["rank", "handle", "next"])
    back = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["handle"] for r in back] == ["ann", "'=cmd()"]  # neutralised for spreadsheets
    assert back[1]["next"] == "line1\nline2"  # newline kept inside a quoted cell


def test_cards_put_each_reason_on_its_own_line(capsys: pytest.CaptureFixture[str]) -> None:
    render_cards(
        ROWS, heading=["rank", "handle", "score"], sections=[("Why", "why"), ("Next", "next")], title="q"
    )
    out = capsys.readouterr().out
    lines = [line.rstrip() for line in out.splitlines()]
    assert "1  ann  0.912" in lines
    assert any(line.strip() == "Why:  - First reason." for line in lines)
    assert any(line.strip() == "- Second reason." for line in lines)
    assert "Why:" not in out.split("2  =cmd()")[1]  # an empty section is left out
