"""Terminal output that respects the reader: fits the width, never splits or cuts a URL, no trailing
spaces, correct plurals, help text shown literally. Checked through CliRunner with COLUMNS and in a
real pseudo-terminal of 100 columns."""

from __future__ import annotations

import json
import os
import pty
import re
import struct
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import pytest
from helpers_graph import world_records
from typer.testing import CliRunner

from linkscout.cli import layout
from linkscout.cli.main import app
from linkscout.core.records import AuthorRecord, PageKind, PageResult, PostRecord
from linkscout.outreach.posts import NichePost, describe_post
from linkscout.store.db import open_db, transaction
from linkscout.store.write import write_results

NICHE_TOML = """
[niche]
name = "seo-for-saas"
keywords = ["seo", "link building", "content marketing"]
tags = ["seo", "link-building", "content-marketing"]
competitors = ["ahrefs.com"]
site = "example.com"
as_of = "2024-06-30"

[quality]
min_followers = 10
min_niche_posts_90d = 1
"""
LONG = (
    "https://medium.com/a-publication-with-a-rather-long-name/what-eleven-months-of-programmatic-seo-"
    "taught-me-about-integration-pages-5105e4ddac07"
)
ESC = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\x1b\]8;[^\x1b\x07]*(?:\x1b\\|\x07)")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    tmp = tmp_path_factory.mktemp("term")
    (tmp / "niche.toml").write_text(NICHE_TOML, encoding="utf-8")
    db = open_db(tmp / "l.db")
    long_posts = [
        PostRecord(id="5105e4ddac07", title="What Eleven Months of Programmatic SEO Taught Me About Integration Pages",
                   url=LONG, author="longwriter", tags=("seo",), published_at="2024-06-29T08:00:00Z", claps=1,
                   responses=1),
        PostRecord(id="6105e4ddac08", title="SEO notes", url="https://medium.com/@longwriter/seo-notes-6105e4ddac08",
                   author="longwriter", tags=("seo",), published_at="2024-06-20T23:00:00Z", claps=1, responses=1),
    ]  # fmt: skip
    with transaction(db):
        write_results(db, [world_records()], "2024-06-30T12:00:00Z")
        write_results(
            db,
            [PageResult(PageKind.OTHER, posts=long_posts, authors=[AuthorRecord("longwriter", name="Long Writer",
                                                                                 followers=500)])],
            "2024-06-30T12:00:00Z",
        )  # fmt: skip
    db.conn.close()
    args = ["--niche", str(tmp / "niche.toml"), "--db", str(tmp / "l.db")]
    for handle in ("steady1", "steady2", "longwriter"):
        assert run("stage", "log", handle, "followed", "--at", "2024-06-01", *args).exit_code == 0
    assert run("stage", "log", "steady3", "pitched", "--at", "2024-06-01", "--force", *args).exit_code == 0
    return args


def run(*args: str, columns: int | None = None) -> Any:
    # None unsets: a COLUMNS inherited from the shell or another test must not decide "piped" widths.
    env: dict[str, str | None] = {"COLUMNS": str(columns) if columns else None}
    return CliRunner().invoke(app, list(args), env=env)


COMMANDS = [
    ("queue", "--kind", "authors"),
    ("queue", "--kind", "links"),
    ("next", "--as-of", "2024-06-30"),
    ("stage", "list"),
]


def _urls(obj: Any) -> set[str]:
    if isinstance(obj, str):
        return {m.group(0).rstrip(".") for m in layout.URL_RE.finditer(obj)}
    if isinstance(obj, dict):
        return set().union(*(_urls(v) for v in obj.values())) if obj else set()
    if isinstance(obj, list):
        return set().union(*(_urls(v) for v in obj)) if obj else set()
    return set()


def _check_fits(text: str, width: int) -> None:
    for line in text.splitlines():
        plain = ESC.sub("", line)
        assert plain == plain.rstrip(), f"trailing spaces: {line!r}"
        # The one exception: a URL longer than the whole terminal, alone on its line from column 0.
        assert len(plain) <= width or (plain.startswith("http") and " " not in plain), line


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_at_100_columns_lines_fit_and_every_json_url_appears_whole(
    env: list[str], cmd: tuple[str, ...]
) -> None:
    table = run(*cmd, *env, columns=100)
    assert table.exit_code == 0, table.stderr
    _check_fits(table.stdout, 100)
    data = json.loads(run(*cmd, "--format", "json", *env).stdout)
    assert data, "the test world should give every command something to print"
    lines = {line.strip() for line in table.stdout.splitlines()}
    for url in _urls(data):
        assert url in lines or any(line.endswith(" " + url) for line in lines), url
    assert "…" not in table.stdout


def test_a_url_longer_than_the_terminal_gets_a_line_of_its_own(env: list[str]) -> None:
    out = run("queue", "--limit", "50", *env, columns=100).stdout
    assert LONG in out.splitlines()  # from column 0, whole
    assert len(LONG) > 100


def test_next_prints_cards_with_the_post_url_on_its_own_line(env: list[str]) -> None:
    out = run("next", "--as-of", "2024-06-30", *env, columns=80).stdout
    _check_fits(out, 80)
    assert "Agenda for 2024-06-30" in out
    card = out.split("@longwriter")[1]
    assert "Do:" in card and LONG in card.splitlines()
    assert "┃" not in out  # cards, not a table


def test_piped_output_without_columns_cuts_nothing(env: list[str]) -> None:
    out = run("stage", "list", *env).stdout
    header = next(line for line in out.splitlines() if "last event at" in line)
    assert [h.strip() for h in header.split("  ") if h.strip()] == [
        "kind", "handle", "name", "stage", "last event", "last event at", "last contact", "events"
    ]  # fmt: skip
    assert "…" not in out
    row = next(line for line in out.splitlines() if "steady3" in line)
    assert "2024-06-01T00:00:00Z" in row and "pitched" in row


def test_a_table_too_wide_for_the_terminal_becomes_cards_and_keeps_every_value(env: list[str]) -> None:
    wide = run("stage", "list", *env).stdout
    narrow = run("stage", "list", *env, columns=60).stdout
    _check_fits(narrow, 60)
    block = narrow.split("author  steady3")[1].split("\n\n")[0]
    assert "stage:" in block and "pitched" in block and "2024-06-01T00:00:00Z" in block
    assert narrow.count("author  ") == wide.count("author  ")


@pytest.mark.slow
@pytest.mark.parametrize(
    "cmd", [("queue", "--limit", "50"), ("next", "--as-of", "2024-06-30")], ids=lambda c: c[0]
)
def test_a_real_100_column_terminal_gets_hyperlinks_and_fitting_lines(
    env: list[str], cmd: tuple[str, ...]
) -> None:
    import fcntl
    import termios

    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "linkscout", *cmd, *env],
        stdout=child, stderr=subprocess.DEVNULL, env={**environ, "TERM": "xterm-256color"},
    )  # fmt: skip
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=60) == 0
    os.close(main)
    out = b"".join(chunks).decode().replace("\r\n", "\n")
    _check_fits(out, 100)
    assert f"\x1b]8;;{LONG}\x1b\\{LONG}\x1b]8;;\x1b\\" in out  # OSC 8 hyperlink, whole


def test_help_shows_toml_sections_literally_and_flags_without_types() -> None:
    rank = run("rank", "--help", columns=100).stdout
    assert "[weights]" in " ".join(rank.split())
    log = run("stage", "log", "--help", columns=100).stdout
    assert "<bool>" not in log and "--force" in log
    crawl = " ".join(run("crawl", "--help", columns=100).stdout.split())
    assert "(default: [crawl] max_pages)" in crawl


def test_a_url_in_a_sentence_moves_to_its_own_line_and_the_sentence_still_reads() -> None:
    term = layout.Term(width=60)
    text = "Latest: “Title” (https://medium.com/@a/t-1a2b3c4d5e6f, 2024-06-01, 3 claps); see https://x.io/a; or later."
    assert layout.wrap(text, 60, "- ", "  ", term) == [
        "- Latest: “Title”",
        "  https://medium.com/@a/t-1a2b3c4d5e6f",
        "  (2024-06-01, 3 claps); see",
        "  https://x.io/a",
        "  or later.",
    ]


def test_plurals_and_ages_in_whole_calendar_days() -> None:
    now = datetime(2026, 11, 16, 23, 59, tzinfo=UTC)
    morning = NichePost("a", "A", None, "x", None, datetime(2026, 11, 12, 1, 0, tzinfo=UTC))
    evening = NichePost("b", "B", None, "x", None, datetime(2026, 11, 12, 23, 0, tzinfo=UTC))
    assert "4 days ago" in describe_post(morning, now) and "4 days ago" in describe_post(evening, now)
    assert layout.plural(1, "response") == "1 response" and layout.plural(0, "response") == "0 responses"


def test_a_url_inside_a_table_cell_leaves_the_grid_whole(capsys: pytest.CaptureFixture[str]) -> None:
    """A URL in a sentence of a cell (monitor's detail, say) would be cut by the cell's wrapping; it
    becomes [n] in the grid and a line of its own under it, like a cell that is only a URL."""
    from linkscout.cli.render import render

    long = "https://medium.com/@ann/a-rather-long-post-slug-that-will-not-fit-a-narrow-column-1a2b3c4d5e6f"
    rows = [{"page": long, "detail": f"links to {long}. (rel: noopener ugc nofollow)"}]
    os.environ["COLUMNS"] = "60"
    try:
        render(rows, "table", columns=["page", "detail"])
    finally:
        del os.environ["COLUMNS"]
    out = capsys.readouterr().out
    _check_fits(out, 60)
    lines = out.splitlines()
    assert lines[2] == "[1]   links to [2]. (rel: noopener ugc nofollow)"
    assert lines[3:] == ["[1]", long, "[2]", long]  # longer than 60 columns: from column 0, whole


def test_a_list_of_urls_in_a_sentence_loses_the_commas_its_own_lines_replace() -> None:
    term = layout.Term(width=40)
    text = "reach them via twitter https://x.com/ann, editor https://medium.com/pub/about"
    assert layout.wrap(text, 40, "", "  ", term) == [
        "reach them via twitter",
        "  https://x.com/ann",
        "  editor",
        "  https://medium.com/pub/about",
    ]


def test_ages_are_whole_hours_inside_the_window_and_calendar_days_after() -> None:
    from linkscout.outreach.posts import age_text

    now = datetime(2026, 11, 15, 10, 0, tzinfo=UTC)
    assert age_text(datetime(2026, 11, 14, 23, 0, tzinfo=UTC), now) == "11 h ago"
    assert age_text(datetime(2026, 11, 13, 11, 0, tzinfo=UTC), now) == "47 h ago"  # two calendar days, < 48 h
    assert age_text(datetime(2026, 11, 13, 9, 0, tzinfo=UTC), now) == "2 days ago"  # 49 h
    assert age_text(datetime(2026, 11, 12, 23, 59, tzinfo=UTC), now) == "3 days ago"  # 58 h, not "2 days"
    assert (
        age_text(datetime(2026, 11, 16, 9, 0, tzinfo=UTC), now) == "on 2026-11-16, after today (2026-11-15)"
    )
