"""`linkscout inspect` through Typer's CliRunner: the JSON contract, exit codes, the table, URLs."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from linkscout.cli.main import app
from linkscout.crawler.parse.contract import contract_errors

runner = CliRunner()

# Kinds of the captures whose layers live outside the HTML merge (values checked in detail in
# test_crawler_parse_feeds / test_crawler_parse_json; here: the command's view of them).
KNOWN_KINDS = {
    "feed": "feed",
    "json": "legacy_json",
    "graphql": "graphql",
    "robots": "robots",
}


def _captures(captures_dir: Path) -> list[Path]:
    return [f for f in sorted(captures_dir.rglob("*")) if f.is_file() and f.name != "CATALOG.md"]


@pytest.mark.slow
def test_json_for_every_capture_is_one_contract_valid_object(captures_dir: Path) -> None:
    files = _captures(captures_dir)
    assert len(files) >= 60
    for f in files:
        result = runner.invoke(app, ["inspect", str(f)])
        assert result.exit_code == 0, (f.name, result.stderr)
        obj = json.loads(result.stdout)  # exactly one JSON document, nothing else on stdout
        assert contract_errors(obj) == [], f.name
        expected = KNOWN_KINDS.get(f.parent.name)
        if expected:
            assert obj["kind"] == expected, f.name
    gabriel = next(f for f in files if "chrome-xmlviewer" in f.name)
    assert json.loads(runner.invoke(app, ["inspect", str(gabriel)]).stdout)["kind"] == "feed"


def test_json_values_of_one_capture(captures_dir: Path) -> None:
    path = captures_dir / "graphql" / "graphql-post-kpi-dashboard-streamlit_2023-08_freedium-indented.json"
    obj = json.loads(runner.invoke(app, ["inspect", str(path), "--format", "json"]).stdout)
    assert obj["kind"] == "graphql"
    post = obj["posts"][0]
    assert (post["id"], post["claps"], post["responses"], post["locked"]) == ("c88ac63903f5", 107, 0, False)
    assert {"url": "https://www.kaggle.com/datasets/kyanyoga/sample-sales-data", "rel": "nofollow",
            "anchor": "https://www.kaggle.com/datasets/kyanyoga/sample-sales-data"} in post["links"]  # fmt: skip
    assert obj["authors"] == [
        {
            "id": "fcadb85a9bcd",
            "username": "cameronjosephjones",
            "name": "Cameron Jones",
            "bio": obj["authors"][0]["bio"],
            "followers": 46,
        }
    ]
    assert obj["authors"][0]["bio"].startswith("Data Analyst")


@pytest.mark.slow
def test_table_for_every_capture(captures_dir: Path) -> None:
    for f in _captures(captures_dir):
        result = runner.invoke(app, ["inspect", str(f), "--format", "table"])
        assert result.exit_code == 0, (f.name, result.stderr)
        assert "kind:" in result.stdout, f.name
    feed = captures_dir / "feed" / "feed-user-at-emarley_2016-08-28.xml"
    out = runner.invoke(app, ["inspect", str(feed), "--format", "table"]).stdout
    assert "c44a41af38d1" in out and "[response]" in out and "emarley" in out


def test_missing_path_exits_2_with_one_line_on_stderr(tmp_path: Path) -> None:
    result = runner.invoke(app, ["inspect", str(tmp_path / "nope.html")])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "does not exist" in result.stderr


def test_directory_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["inspect", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "not a file" in result.stderr


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    f = tmp_path / "x.html"
    f.write_text("<html></html>")
    assert runner.invoke(app, ["inspect", str(f), "--format", "xml"]).exit_code == 2


@pytest.mark.parametrize(
    ("content", "kind"),
    [(b"", "other"), (b"\x00\x01\x02" * 500, "other"), (b"<html><body>nothing</body></html>", None)],
)
def test_unreadable_content_still_exits_0(tmp_path: Path, content: bytes, kind: str | None) -> None:
    f = tmp_path / "page.bin"
    f.write_bytes(content)
    result = runner.invoke(app, ["inspect", str(f)])
    assert result.exit_code == 0
    obj = json.loads(result.stdout)
    assert contract_errors(obj) == []
    if kind:
        assert obj["kind"] == kind and obj["warnings"]


def test_url_option_is_passed_to_the_parser(tmp_path: Path) -> None:
    f = tmp_path / "saved.txt"
    f.write_text("# nothing but a comment\n")
    plain = json.loads(runner.invoke(app, ["inspect", str(f)]).stdout)
    hinted = json.loads(
        runner.invoke(app, ["inspect", str(f), "--url", "https://medium.com/robots.txt"]).stdout
    )
    assert (plain["kind"], hinted["kind"]) == ("other", "robots")


# --- PATH as a URL: one polite request to a loopback server ------------------------------------------

PAGE = b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Verify you are human</body></html>"


@pytest.fixture
def server() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's API
            routes = {
                "/robots.txt": (200, b"User-agent: *\nDisallow: /private\n"),
                "/challenge": (403, PAGE),
                "/feed": (200, b'<?xml version="1.0"?><rss><channel></channel></rss>'),
            }
            status, body = routes.get(self.path, (404, b"missing"))
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_url_fetch_reports_block_and_saves_raw_bytes(server: str, tmp_path: Path) -> None:
    saved = tmp_path / "live" / "challenge.html"
    result = runner.invoke(app, ["inspect", server + "/challenge", "--save", str(saved)])
    assert result.exit_code == 0, result.stderr
    obj = json.loads(result.stdout)
    assert obj["kind"] == "blocked"
    assert contract_errors(obj) == []
    assert saved.read_bytes() == PAGE
    assert "Saved" in result.stderr


def test_url_disallowed_by_robots_exits_1(server: str) -> None:
    result = runner.invoke(app, ["inspect", server + "/private/x"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: robots.txt")


def test_save_without_url_is_a_usage_error(tmp_path: Path) -> None:
    f = tmp_path / "x.xml"
    f.write_text("<rss/>")
    assert runner.invoke(app, ["inspect", str(f), "--save", str(tmp_path / "y")]).exit_code == 2


@pytest.mark.parametrize("columns", [60, 100])
def test_table_keeps_every_link_whole_and_fits_the_terminal(captures_dir: Path, columns: int) -> None:
    """Issue 15: `inspect --format table` never splits a URL (each body link leaves the grid for a
    numbered line of its own), fits the width, and ends no line in spaces."""
    picked = sorted((captures_dir / "article").iterdir())[:4]
    assert picked
    for f in picked:
        table = runner.invoke(app, ["inspect", str(f), "--format", "table"], env={"COLUMNS": str(columns)})
        assert table.exit_code == 0, table.stderr
        obj = json.loads(runner.invoke(app, ["inspect", str(f), "--format", "json"]).stdout)
        lines = table.stdout.splitlines()
        for line in lines:
            assert line == line.rstrip(), f"trailing spaces: {line!r}"
            assert len(line) <= columns or (" " not in line and "://" in line), (f.name, line)
        words = {w for line in lines for w in line.split()}
        urls = [link["url"] for p in obj["posts"] for link in p["links"] or ()]
        for url in urls:
            assert url in words, (f.name, url)
        if obj.get("url"):
            assert obj["url"] in words
