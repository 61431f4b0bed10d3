"""`--source DIR`: saved pages imported through the parser, keyed by what each page says it is."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from linkscout.core.records import PageKind
from linkscout.crawler.parse import parse_page
from linkscout.crawler.saved_pages import import_dir, page_url, saved_files
from linkscout.store.write import normalise_slug, normalise_username

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "fixtures" / "site"
CHALLENGE = b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>cf_chl_opt</body></html>"


def _rows(db: Path, sql: str) -> set:  # type: ignore[type-arg]
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute(sql)}


def test_file_names_do_not_matter_the_page_says_its_url(tmp_path: Path) -> None:
    index = json.loads((SITE / "index.json").read_text())
    article = next(u for u, e in index.items() if "/@" in u and e.get("status") == 200 and u.count("/") == 4)
    folder = tmp_path / "saved"
    folder.mkdir()
    shutil.copy(SITE / index[article]["file"], folder / "Saved Page (3).html")
    (folder / "blocked.html").write_bytes(CHALLENGE)
    (folder / ".hidden.html").write_bytes(b"<html></html>")
    (folder / "notes.pdf").write_bytes(b"%PDF")
    assert [p.name for p in saved_files(folder)] == ["Saved Page (3).html", "blocked.html"]
    db = tmp_path / "s.db"
    summary = import_dir(folder, db)
    assert summary.ok == 1 and summary.blocked == 1 and summary.succeeded
    parsed = parse_page((SITE / index[article]["file"]).read_bytes(), None)
    assert page_url(parsed) == article
    assert _rows(db, "SELECT url FROM pages WHERE status = 'ok'") == {article}
    assert _rows(db, "SELECT id FROM posts") == {p.id for p in parsed.posts}
    assert not _rows(db, "SELECT id FROM posts WHERE title LIKE 'Just a moment%'")


def test_an_empty_folder_is_a_failed_import(tmp_path: Path) -> None:
    summary = import_dir(tmp_path, tmp_path / "e.db")
    assert not summary.succeeded and "no saved pages" in (summary.message or "")


def test_real_captures_fill_the_store_with_what_they_contain(captures_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "captures.db"
    summary = import_dir(captures_dir, db)
    assert summary.succeeded and summary.extra["files"] >= 60
    posts, authors, pubs = set(), set(), set()
    for f in saved_files(captures_dir):
        r = parse_page(f.read_bytes(), None)
        if r.kind is PageKind.BLOCKED:
            continue
        posts |= {p.id for p in r.posts}
        authors |= {normalise_username(a.username) for a in r.authors} | {
            normalise_username(p.author) for p in r.posts
        }
        pubs |= {normalise_slug(p.slug) for p in r.publications} | {
            normalise_slug(p.publication) for p in r.posts
        }
    authors.discard(None)
    pubs.discard(None)
    assert len(posts) > 100 and len(authors) > 50 and len(pubs) > 10
    assert _rows(db, "SELECT id FROM posts") == posts
    assert _rows(db, "SELECT username FROM authors") == authors
    stored_pubs = _rows(db, "SELECT slug FROM publications")
    assert pubs <= stored_pubs
    # Pages that name themselves are in the ledger under their real https URL.
    (named,) = _rows(db, "SELECT COUNT(*) FROM pages WHERE url LIKE 'https://%'")
    assert named >= 30


def test_a_saved_pages_crawl_opens_its_database_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One connection per crawl: `run_crawl` opens the store once (world claim, import, summary all
    use it); only `open_db`'s own read-only header check opens the file besides."""
    from linkscout.core.niche import load_niche
    from linkscout.crawler.run import run_crawl
    from linkscout.crawler.types import CrawlOptions

    index = json.loads((SITE / "index.json").read_text())
    folder = tmp_path / "saved"
    folder.mkdir()
    for i, entry in enumerate(e for e in index.values() if e.get("status") == 200):
        if i == 3:
            break
        shutil.copy(SITE / entry["file"], folder / f"{i}.html")
    connects: list[str] = []
    real = sqlite3.connect

    def counting(database: str, *a: object, **kw: object) -> sqlite3.Connection:
        if not (kw.get("uri") and "mode=ro" in str(database)):
            connects.append(str(database))
        return real(database, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", counting)
    db = tmp_path / "one.db"
    summary = run_crawl(CrawlOptions(niche=load_niche(REPO / "fixtures" / "niche.toml"), db_path=db,
                                     source=str(folder)))  # fmt: skip
    assert summary.ok == 3
    assert connects == [str(db)]
