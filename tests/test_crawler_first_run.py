"""A user's first crawl of their own niche (issue 11): explicit sources, one world per database,
checked tag slugs, and saved-pages folders given by relative path with non-pages skipped and named."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from linkscout.cli.main import app
from linkscout.core.errors import ConfigError, StoreError
from linkscout.core.niche import load_niche, parse_niche, require_seeds, tag_slug
from linkscout.store.db import open_db
from linkscout.store.world import FIXTURES, MEDIUM, claim_world, stored_world

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "fixtures" / "site"
runner = CliRunner()


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def _one_article() -> Path:
    return next(SITE.glob("medium.com/@*/*.html"))


# --- 1. sources are explicit ------------------------------------------------------------------


def test_init_then_crawl_without_source_asks_for_one_and_writes_no_fixture_row(in_tmp: Path) -> None:
    init = runner.invoke(app, ["init", "--force"])
    assert init.exit_code == 0
    assert "--source live" in init.stderr and "--source DIR" in init.stderr
    result = runner.invoke(app, ["crawl"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "--source live" in lines[0]
    assert "--source DIR" in lines[0]
    db = in_tmp / "linkscout.db"
    if db.exists():  # nothing may have been written, least of all the invented authors
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT COUNT(*) FROM authors").fetchone()[0] == 0


def test_a_database_keeps_to_one_world(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    db = open_db(path)
    assert stored_world(db) is None
    claim_world(db, MEDIUM, path)
    claim_world(db, MEDIUM, path)  # same world again: fine
    with pytest.raises(StoreError, match="holds real Medium data.*another --db") as info:
        claim_world(db, FIXTURES, path)
    assert "\n" not in str(info.value)
    assert stored_world(db) == MEDIUM
    db.conn.close()


def test_fixture_database_refuses_saved_pages_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    db = open_db(path)
    claim_world(db, FIXTURES, path)
    db.conn.close()
    folder = tmp_path / "saved"
    folder.mkdir()
    shutil.copy(_one_article(), folder / "a.html")
    niche = tmp_path / "niche.toml"
    niche.write_text('[niche]\ntags = ["seo"]\n')
    result = runner.invoke(app, ["crawl", "--niche", str(niche), "--db", str(path), "--source", str(folder)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "holds the bundled fixture niche" in result.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM posts").fetchone()[0] == 0


# --- 7. niche validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("Content Marketing", r"'Content Marketing' is not a Medium tag slug.*write \"content-marketing\""),
        ("a-b/c?d=", r"write \"a-b-c-d\""),
        ("seo 🚀", r"write \"seo\""),
        ("🚀", r"is not a Medium tag slug \(lower-case letters, digits, hyphens\)$"),
        ("SEO", r'write "seo"'),
    ],
)
def test_tags_must_be_medium_slugs(tmp_path: Path, tag: str, message: str) -> None:
    p = tmp_path / "niche.toml"
    p.write_text(f"[niche]\ntags = [{tag!r}]\n".replace("'", '"'))
    with pytest.raises(ConfigError, match=message) as info:
        load_niche(p)
    assert "\n" not in str(info.value)


def test_good_slugs_load_and_phrases_map_to_slugs() -> None:
    niche = parse_niche({"niche": {"tags": ["seo", "content-marketing", "web3", "b2b-saas"]}})
    assert niche.niche.tags == ("seo", "content-marketing", "web3", "b2b-saas")
    assert tag_slug("Link Building") == "link-building" and tag_slug("  SaaS / B2B ") == "saas-b2b"


def test_a_niche_without_seeds_is_refused_before_crawling(tmp_path: Path) -> None:
    niche = parse_niche({"niche": {"keywords": ["seo"], "tags": []}})
    with pytest.raises(ConfigError, match="no tags and no publications"):
        require_seeds(niche)
    require_seeds(parse_niche({"niche": {"keywords": ["seo"], "publications": ["better-marketing"]}}))
    p = tmp_path / "niche.toml"
    p.write_text('[niche]\nkeywords = ["seo"]\ntags = []\n')
    result = runner.invoke(
        app, ["crawl", "--niche", str(p), "--db", str(tmp_path / "x.db"), "--source", "live"]
    )
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "no tags and no publications" in result.stderr


# --- 6. saved-pages folders ---------------------------------------------------------------------


def test_relative_folder_with_url_less_files_non_pages_and_unreadable_ones(in_tmp: Path) -> None:
    folder = in_tmp / "saved"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(_one_article(), folder / "article.html")
    (folder / "graphql.json").write_text('{"data": {"post": null}}')  # states no URL
    (folder / "sub" / "nocanonical.html").write_text(
        "<html><head><title>x</title></head><body>hi</body></html>"
    )
    (folder / "random.html").write_bytes(os.urandom(4096).replace(b"<", b"x") + b"\x00" * 10)
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    (folder / "notes.txt").write_text("remember to buy milk\n")
    locked = []
    for i in range(5):
        p = folder / f"locked{i}.html"
        p.write_text("<html></html>")
        p.chmod(0)
        locked.append(p)
    try:
        result = runner.invoke(app, ["crawl", "--niche", str(in_tmp / "niche.toml"), "--db", "s.db",
                                     "--source", "saved"])  # fmt: skip
    finally:
        for p in locked:
            p.chmod(0o644)
    out = result.stderr
    assert "Traceback" not in out and "ValueError" not in out
    if os.geteuid() != 0:  # root reads mode-000 files anyway
        assert "could not read 5 files: locked0.html (Permission denied)" in out and "and 2 more" in out
    assert result.exit_code == 0, out
    assert "1 binary data, not a page" in out and "not a page type linkscout reads (.png)" in out
    assert "no Medium content found" in out  # the shopping list and the empty pages
    with sqlite3.connect(in_tmp / "s.db") as conn:
        urls = [r[0] for r in conn.execute("SELECT url FROM pages")]
        assert not [u for u in urls if "random" in u or "photo" in u or "notes" in u]
        assert conn.execute("SELECT COUNT(*) FROM posts").fetchone()[0] >= 1


@pytest.fixture
def _niche_file(in_tmp: Path) -> Path:
    p = in_tmp / "niche.toml"
    p.write_text('[niche]\ntags = ["seo"]\n')
    return p


@pytest.fixture(autouse=True)
def _write_niche(request: pytest.FixtureRequest) -> None:
    if "in_tmp" in request.fixturenames:
        request.getfixturevalue("_niche_file")


# --- 8. progress ------------------------------------------------------------------------------


def test_plain_progress_lines_say_pages_outcomes_rate_and_time_left() -> None:
    import threading

    from linkscout.cli.crawl_cmd import _plain, progress_line
    from linkscout.crawler.pipelines import CrawlProgress

    p = CrawlProgress(budget=2000, pages=130, already=100, ok=120, failed=6, blocked=4)
    p.started -= 120  # 30 pages in this process over 2 minutes: 15 pages/min, 1870 left
    line = progress_line(p)
    assert line.startswith("pages 130/2000 (120 ok, 6 failed, 4 blocked), 15.0 pages/min, about 2 h 0")
    lines: list[str] = []
    stop = threading.Event()
    t = threading.Thread(target=_plain, args=(None, p, stop), kwargs={"every": 0.05, "write": lines.append})
    t.start()
    while len(lines) < 2:
        stop.wait(0.01)
    stop.set()
    t.join()
    assert all(x.startswith("linkscout crawl: pages 130/2000") for x in lines)


def test_progress_bar_on_a_terminal_shows_budget_counts_rate_and_eta() -> None:
    import io
    import threading

    from rich.console import Console

    from linkscout.cli.crawl_cmd import _bar
    from linkscout.crawler.pipelines import CrawlProgress

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=160)
    p = CrawlProgress(budget=50, pages=10, ok=9, failed=1)
    stop = threading.Event()
    t = threading.Thread(target=_bar, args=(console, p, stop))
    t.start()
    stop.wait(1.2)
    stop.set()
    t.join()
    out = buf.getvalue()
    assert "10/50" in out and "9 ok, 1 failed, 0 blocked" in out and "pages/min" in out and "ETA" in out


def test_crawl_format_json_prints_the_summary_on_stdout(in_tmp: Path) -> None:
    import json

    folder = in_tmp / "saved"
    folder.mkdir()
    shutil.copy(_one_article(), folder / "a.html")
    result = runner.invoke(app, ["crawl", "--source", "saved", "--db", "j.db", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["outcome"] == "done" and summary["ok"] == 1 and summary["pages"] == 1
    with sqlite3.connect(in_tmp / "j.db") as conn:
        assert (
            summary["posts"]
            == conn.execute("SELECT COUNT(*) FROM posts WHERE COALESCE(is_response, 0) = 0").fetchone()[0]
            >= 1
        )
    assert summary["database"] == str(in_tmp / "j.db")
