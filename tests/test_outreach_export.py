"""The CRM-ready export: prospect columns per kind, spreadsheet-safe cells, presets, atomic writes."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from linkscout.cli import render as render_mod
from linkscout.cli.csvsafe import safe_cell
from linkscout.cli.output_file import OutputFileError, output_file
from linkscout.cli.render import write_rows
from linkscout.core.niche import parse_niche
from linkscout.outreach.export import ExportError, export_rows
from linkscout.outreach.posts import NichePosts
from linkscout.outreach.prospect import (
    ProspectContext,
    column_names,
    short_reason,
    split_name,
    website_from_bio,
)
from linkscout.outreach.queue import QueueRow
from linkscout.store.prospects import AuthorContact

NICHE = parse_niche({"niche": {"name": "seo-for-saas", "tags": ["seo"], "site": "example.com"}})
UTM = "https://example.com/?utm_source=medium&utm_medium=referral&utm_campaign=seo-for-saas"
CTX = ProspectContext(
    authors={
        "plain": AuthorContact(
            "plain", "Zoë Ünïcödé ✓", "Writer. More at https://zoe.example.org.", 1200, "zoe"
        )
    },
    publications={},
    posts=NichePosts({}, {}),
    utm=UTM,
    now=datetime(2026, 6, 30, 23, 59, 59, tzinfo=UTC),
)


def write_export(
    path: Path, cols: list[str], data: list[dict], *, fmt: str = "csv", bom: bool = False
) -> Path:
    """What `linkscout export` does with one kind's table: the one file writer, a BOM when asked."""
    with output_file(path, force=True) as f:
        if bom:
            f.write("\ufeff")
        write_rows(f, data, fmt, columns=cols)
    return path


def row(rank: int, handle: str, name: str | None, **kw) -> QueueRow:
    base = dict(
        rank=rank, kind="author", handle=handle, name=name, url=f"https://medium.com/@{handle}", score=0.5,
        rationale="On topic.", stage="discovered", next_step="Comment on it", due=date(2026, 6, 30),
        components={"relevance": 0.25, "engagement": -0.0},
    )  # fmt: skip
    base.update(kw)
    return QueueRow(**base)  # type: ignore[arg-type]


ROWS = [
    row(1, "mallory", '=HYPERLINK("http://x","y")', rationale="+1 from @me\r\nsecond line"),
    row(
        2,
        "nl",
        "Line one\nline two",
        links_site=True,
        next_step="-pitch now",
        last_contact="2026-06-01T10:00:00Z",
    ),
    row(3, "plain", "Zoë Ünïcödé ✓", suggested_post="@handle's post", rationale="\tTabbed"),
    row(4, "nulls", None, score=None, components={}),
]


def test_columns_are_the_prospect_columns_in_order() -> None:
    cols, data = export_rows("authors", ROWS, CTX)
    assert cols == column_names("authors")
    for c in ("handle", "first_name", "last_name", "profile_url", "website", "twitter_url", "bio", "followers",
              "niche_posts_90d", "score", "reason", "rationale", "stage", "last_contact", "next_action",
              "due_date", "post_to_comment_on", "utm_url"):  # fmt: skip
        assert c in cols
    assert data[1]["last_contact"] == "2026-06-01"  # a date, not a timestamp
    assert data[2]["website"] == "https://zoe.example.org" and data[2]["twitter_url"] == "https://x.com/zoe"
    assert data[2]["followers"] == 1200 and data[3]["followers"] is None  # unknown stays empty, not 0


def test_csv_is_injection_safe_quoted_and_round_trips(tmp_path: Path) -> None:
    cols, data = export_rows("authors", ROWS, CTX)
    out = write_export(tmp_path / "o.csv", cols, data)
    raw = out.read_bytes().decode("utf-8")
    assert '\'=HYPERLINK(""http://x"",""y"")' in raw  # neutralised and quoted
    assert '"Line one\nline two"' in raw  # the newline stays, inside quotes
    with out.open(encoding="utf-8", newline="") as f:
        back = list(csv.DictReader(f))
    assert len(back) == len(ROWS)
    assert back[0]["name"] == '\'=HYPERLINK("http://x","y")'
    assert back[0]["rationale"] == "'+1 from @me\r\nsecond line"
    assert back[1]["name"] == "Line one\nline two" and back[1]["next_action"] == "'-pitch now"
    assert back[2]["name"] == "Zoë Ünïcödé ✓" and back[2]["post_title"] == "'@handle's post"
    assert back[2]["rationale"] == "'\tTabbed"
    assert back[0]["components"] == "relevance=0.25; engagement=-0.00"
    assert back[3]["name"] == "" and back[3]["score"] == ""
    for written, read in zip(data, back, strict=True):  # every cell is exactly what safe_cell wrote
        assert {k: safe_cell(v) for k, v in written.items()} == read


def test_bom_for_excel_and_utm_only_where_the_row_links_the_site(tmp_path: Path) -> None:
    cols, data = export_rows("authors", ROWS, CTX)
    out = write_export(tmp_path / "o.csv", cols, data, bom=True)
    assert out.read_bytes().startswith(b"\xef\xbb\xbfrank,handle,")
    with out.open(encoding="utf-8-sig", newline="") as f:
        back = list(csv.DictReader(f))
    assert [r["utm_url"] for r in back] == ["", UTM, "", ""]


def test_json_and_jsonl_carry_the_same_columns(tmp_path: Path) -> None:
    cols, data = export_rows("authors", ROWS, CTX, fmt="json")
    j = json.loads(write_export(tmp_path / "o.json", cols, data, fmt="json").read_text(encoding="utf-8"))
    assert (
        list(j[0]) == column_names("authors") and j[0]["name"] == '=HYPERLINK("http://x","y")'
    )  # raw in JSON
    assert j[0]["components"] == {"relevance": 0.25, "engagement": -0.0}
    lines = (
        write_export(tmp_path / "o.jsonl", cols, data, fmt="jsonl").read_text(encoding="utf-8").splitlines()
    )
    assert [json.loads(x)["handle"] for x in lines] == ["mallory", "nl", "plain", "nulls"]


def test_presets_rename_to_the_crm_templates() -> None:
    cols, data = export_rows("authors", ROWS, CTX, preset="hubspot")
    assert {"First Name", "Last Name", "Website URL", "Twitter Username"} <= set(cols)
    assert data[2]["Twitter Username"] == "zoe" and data[2]["Website URL"] == "https://zoe.example.org"
    cols, _ = export_rows("authors", ROWS, CTX, preset="buzzstream")
    assert {"Name", "Website", "Twitter", "Person About", "Relationship Stage", "Notes"} <= set(cols)
    link = row(1, "ann", "Ann Lee", kind="link", suggested_post_url="https://blog.example.net/p-1a2b3c4d5e",
               competitor="ahrefs.com", link_url="https://ahrefs.com/x", rel="nofollow")  # fmt: skip
    cols, data = export_rows("links", [link], CTX, preset="buzzstream")
    assert cols[:6] == [
        "rank",
        "author",
        "Link Partner – Name",
        "Link Partner – Domain",
        "Linking from",
        "post_title",
    ]
    assert (
        data[0]["Link Partner – Domain"] == "blog.example.net"
        and data[0]["Linking To"] == "https://ahrefs.com/x"
    )
    pub = row(1, "growth", "Growth", kind="publication", url="https://medium.com/growth")
    _, data = export_rows("publications", [pub], CTX, preset="hubspot")
    assert data[0]["Company name"] == "Growth" and data[0]["Company Domain Name"] is None  # never medium.com
    with pytest.raises(ExportError, match="unknown preset"):
        export_rows("authors", ROWS, CTX, preset="salesforce")


def test_name_split_website_and_reason_are_best_effort() -> None:
    assert split_name("Mina Oyelaran") == ("Mina", "Oyelaran")
    assert split_name("Anne-Marie O'Neil") == ("Anne-Marie", "O'Neil")
    for unsure in (
        "Madonna",
        "Jean Claude Van Damme",
        "J. Smith",
        "SEO Tips Daily",
        "growth hacker",
        "Ann 🚀 Lee",
        None,
    ):
        assert split_name(unsure) == (None, None)
    assert website_from_bio("Founder of acme.io. Tweets at twitter.com/acme") == "https://acme.io"
    assert website_from_bio("See https://medium.com/@me and www.me.dev/about.") == "https://www.me.dev/about"
    assert website_from_bio("I write about SEO.") is None
    long = "word " * 80
    assert len(short_reason([long], long)) <= 200 and short_reason([long], long).endswith("…")


def test_unwritable_path_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    cols, data = export_rows("authors", ROWS, CTX)
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    with pytest.raises(OutputFileError) as err:
        write_export(blocker / "o.csv", cols, data)
    assert "\n" not in str(err.value) and "cannot write" in str(err.value)
    with pytest.raises(OutputFileError, match="folder"):
        write_export(tmp_path, cols, data)


def test_a_failed_export_never_leaves_a_half_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "o.csv"
    target.write_text("previous export\n", encoding="utf-8")

    def boom(f, cols, rows):
        f.write("rank,kind\r\n1,")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(render_mod, "write_csv", boom)
    cols, data = export_rows("authors", ROWS, CTX)
    with pytest.raises(OutputFileError, match="No space left"):
        write_export(target, cols, data)
    assert target.read_text(encoding="utf-8") == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.csv"]
