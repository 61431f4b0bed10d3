"""The store pipeline without a crawl: batches, ledger, frontier in the same transaction, idempotence."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from linkscout.core.records import (
    AuthorRecord,
    LinkRecord,
    PageKind,
    PageResult,
    PostRecord,
    PublicationRecord,
)
from linkscout.crawler.pipelines import CrawlProgress, PageItem, StorePipeline, write_batch
from linkscout.crawler.spiders.frontier import Entry
from linkscout.store.db import open_db, transaction

T = "2026-11-15T10:00:00Z"


def _article(pid: str = "1a2b3c4d5e6f", author: str = "ann") -> PageResult:
    post = PostRecord(
        id=pid, title="Link building for SaaS", author=author, publication="growth", tags=("seo",), claps=120,
        responses=4, links=(LinkRecord("https://ahrefs.com/blog", "noopener ugc nofollow", "Ahrefs"),),
    )  # fmt: skip
    return PageResult(
        kind=PageKind.ARTICLE,
        url=f"https://medium.com/growth/link-building-{pid}",
        posts=[post],
        authors=[AuthorRecord(username=author, name="Ann", followers=900)],
        publications=[PublicationRecord(slug="growth", name="Growth")],
    )


def _ok(url: str, result: PageResult, discovered: tuple[Entry, ...] = ()) -> PageItem:
    return PageItem(url=url, status="ok", fetched_at=T, kind="article", http_status=200, result=result,
                    discovered=discovered, etag='"e1"')  # fmt: skip


def _dump(db) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    out = {}
    for table, cols in {
        "posts": "id, title, author, publication, claps, responses",
        "authors": "username, name, followers",
        "publications": "slug, name",
        "links": "post_id, position, url, rel, nofollow, ugc",
        "post_tags": "post_id, tag",
        "pages": "url, status, kind, http_status, etag, error",
        "frontier": "url, priority, depth",
        "engagement_snapshots": "post_id, claps, responses",
    }.items():
        out[table] = db.execute(f"SELECT {cols} FROM {table} ORDER BY 1, 2").fetchall()
    return out


def seed_store(db: Database) -> None:
    """What this module's `db` (tests/conftest.py) holds."""
    d = db
    d.conn.execute(
        "INSERT INTO crawl_runs (started_at, source, strategy, budget, max_depth) VALUES (?, 'fixtures', 'best', 10, 4)",
        (T,),
    )
    d.conn.execute(
        "INSERT INTO frontier VALUES ('https://medium.com/growth/link-building-1a2b3c4d5e6f', 5, 1, ?)", (T,)
    )
    d.conn.commit()


def test_ok_page_writes_records_ledger_and_moves_the_frontier(db) -> None:  # type: ignore[no-untyped-def]
    url = "https://medium.com/growth/link-building-1a2b3c4d5e6f"
    new = (Entry("https://medium.com/@ann", 51.0, 2), Entry("https://medium.com/feed/@ann", 48.0, 2))
    write_batch(db, [_ok(url, _article(), new)], run_id=1)
    d = _dump(db)
    assert d["posts"] == [("1a2b3c4d5e6f", "Link building for SaaS", "ann", "growth", 120, 4)]
    assert d["authors"] == [("ann", "Ann", 900)]
    assert d["links"] == [("1a2b3c4d5e6f", 0, "https://ahrefs.com/blog", "noopener ugc nofollow", 1, 1)]
    assert d["pages"] == [(url, "ok", "article", 200, '"e1"', None)]
    # The fetched URL left the frontier in the same transaction its discoveries entered it.
    assert d["frontier"] == [("https://medium.com/@ann", 51.0, 2), ("https://medium.com/feed/@ann", 48.0, 2)]
    assert db.execute("SELECT fetched FROM crawl_runs WHERE id = 1").fetchone() == (1,)


def test_writing_the_same_batch_twice_changes_nothing(db) -> None:  # type: ignore[no-untyped-def]
    items = [_ok("https://medium.com/growth/link-building-1a2b3c4d5e6f", _article())]
    write_batch(db, items)
    first = _dump(db)
    write_batch(db, items)
    assert _dump(db) == first


def test_blocked_and_failed_pages_store_no_content_and_stay_in_the_frontier(db) -> None:  # type: ignore[no-untyped-def]
    url = "https://medium.com/growth/link-building-1a2b3c4d5e6f"
    challenge = PageResult(
        kind=PageKind.BLOCKED, blocked_reason="challenge page", posts=[PostRecord(id="ffff0000aaaa")]
    )
    items = [
        PageItem(url=url, status="blocked", fetched_at=T, kind="blocked", http_status=403, error="challenge page",
                 result=challenge),
        PageItem(url="https://medium.com/@gone", status="failed", fetched_at=T, http_status=410, error="HTTP 410"),
        PageItem(url="https://medium.com/me/settings", status="skipped_robots", fetched_at=T,
                 error="disallowed by robots.txt"),
    ]  # fmt: skip
    write_batch(db, items, run_id=1)
    d = _dump(db)
    assert d["posts"] == [] and d["authors"] == []
    assert [(u, s) for u, s, *_ in d["pages"]] == [
        ("https://medium.com/@gone", "failed"),
        (url, "blocked"),
        ("https://medium.com/me/settings", "skipped_robots"),
    ]
    assert d["frontier"] == [(url, 5.0, 1)]  # --resume retries it
    assert db.execute("SELECT fetched FROM crawl_runs WHERE id = 1").fetchone() == (2,)  # robots: not fetched


def test_pipeline_batches_and_flushes_on_close(tmp_path: Path) -> None:
    progress = CrawlProgress()
    pipe = StorePipeline(db_path=tmp_path / "p.db", progress=progress, batch_size=3, flush_seconds=3600)
    pipe.open_spider()
    reader = open_db(tmp_path / "p.db")
    for i in range(4):
        pid = f"{i}a2b3c4d5e6f"
        pipe.process_item(_ok(f"https://medium.com/growth/p-{pid}", _article(pid, author=f"u{i}")))
    # Three items made one committed batch, visible to another connection while the crawl runs.
    assert reader.execute("SELECT COUNT(*) FROM pages").fetchone() == (3,)
    assert progress.pages == 3 and len(progress.authors) == 3
    pipe.close_spider()
    assert reader.execute("SELECT COUNT(*) FROM pages").fetchone() == (4,)
    assert reader.execute("SELECT COUNT(*) FROM posts").fetchone() == (4,)
    assert progress.ok == 4 and progress.posts == {f"{i}a2b3c4d5e6f" for i in range(4)}


def test_links_of_ok_pages_are_kept_for_resume_in_the_batch_transaction(db) -> None:  # type: ignore[no-untyped-def]
    from linkscout.store.crawl_state import LinksLog

    log = LinksLog(db, 1)
    ok = _ok("https://medium.com/growth/link-building-1a2b3c4d5e6f", _article())
    ok.links = ("https://medium.com/@ann", "https://ahrefs.com/blog")
    failed = PageItem(url="https://medium.com/@gone", status="failed", fetched_at=T, http_status=410)
    write_batch(db, [ok, failed], run_id=1, links_log=log)
    assert log.load() == {ok.url: ok.links}
    with transaction(db):
        LinksLog(db, 2).append([("https://medium.com/@other-run", ())])
    assert log.load() == {ok.url: ok.links}  # another run's links never mix in
    with pytest.raises(sqlite3.IntegrityError), transaction(db):  # a batch that fails to commit...
        log.append([("https://medium.com/@bob", ("https://medium.com/@ann",))])
        db.conn.execute("INSERT INTO pages (url, status, fetched_at) VALUES ('x', 'nonsense', 't')")
    assert "https://medium.com/@bob" not in log.load()  # ...keeps none of its links either
    with transaction(db):
        log.remove()
    assert log.load() == {} and LinksLog(db, 2).load() == {"https://medium.com/@other-run": ()}
