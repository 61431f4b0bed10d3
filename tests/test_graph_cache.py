"""The store-derived cache (graph/cache.py): reused while the store is unchanged, redone after any
write (by linkscout or any SQLite client), never written beside a database the user cannot write."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from helpers_graph import AS_OF, NICHE, world_db

from linkscout.graph import cache
from linkscout.graph.rank import rank
from linkscout.outreach.posts import load_niche_posts
from linkscout.store.changes import store_state
from linkscout.store.db import open_db


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    p = tmp_path / "w.db"
    world_db(p).conn.close()
    return p


def _top(p: Path) -> list[tuple[str, float]]:
    db = open_db(p, must_exist=True)
    try:
        return [(e.key, round(e.score, 9)) for e in rank(db, NICHE, as_of=AS_OF, limit=5)]
    finally:
        db.conn.close()


def test_a_warm_cache_gives_the_same_ranking_and_lives_beside_the_database(db_path: Path) -> None:
    cold = _top(db_path)
    folder = db_path.with_name("w.db.cache")
    assert (folder / "store.arrays").is_file() and list(folder.glob("niche-*.arrays"))
    cache._memory.clear()  # the next read comes from the files
    assert _top(db_path) == cold
    assert _top(db_path) == cold  # and from memory


def test_any_write_is_seen_by_the_next_rank(db_path: Path) -> None:
    before = _top(db_path)
    leader = before[0][0]
    # Another client (no linkscout code) removes the leader's posts: the next ranking must not show them.
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "DELETE FROM post_tags WHERE post_id IN (SELECT id FROM posts WHERE author = ?)", (leader,)
        )
        conn.execute("DELETE FROM links WHERE post_id IN (SELECT id FROM posts WHERE author = ?)", (leader,))
        conn.execute("DELETE FROM posts WHERE author = ?", (leader,))
    conn.close()
    after = _top(db_path)
    assert leader not in [k for k, _ in after]
    # An update in place (claps) changes the state too, and so the niche-post facts.
    db = open_db(db_path, must_exist=True)
    s1 = store_state(db)
    db.conn.execute("UPDATE posts SET claps = claps + 1 WHERE rowid = (SELECT min(rowid) FROM posts)")
    db.conn.commit()
    s2 = store_state(db)
    db.conn.close()
    assert s1 is not None and s2 is not None and s2.changes > s1.changes


def test_niche_posts_follow_a_write(db_path: Path) -> None:
    db = open_db(db_path, must_exist=True)
    first = load_niche_posts(db, NICHE)
    author = next(iter(first.by_author))
    db.conn.execute("UPDATE posts SET title = 'x', subtitle = NULL WHERE author = ?", (author,))
    db.conn.execute(
        "DELETE FROM post_tags WHERE post_id IN (SELECT id FROM posts WHERE author = ?)", (author,)
    )
    db.conn.commit()
    assert author not in load_niche_posts(db, NICHE).by_author
    db.conn.close()


def test_a_read_only_database_gets_no_cache_folder(db_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write a read-only folder; the os.access check is what is tested")
    os.chmod(db_path.parent, 0o555)
    try:
        db = open_db(db_path, must_exist=True)
        data = cache.store_data(db)
        db.conn.close()
    finally:
        os.chmod(db_path.parent, 0o755)
    assert len(data.graph.keys["post"]) > 0
    assert not db_path.with_name("w.db.cache").exists()


def test_no_cache_beside_an_unwritable_file(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "_writable", lambda db: False)
    db = open_db(db_path, must_exist=True)
    a = cache.store_data(db)
    db.conn.close()
    assert not db_path.with_name("w.db.cache").exists()
    assert np.array_equal(a.graph.src, a.graph.src)


def test_a_damaged_cache_file_is_a_miss(db_path: Path) -> None:
    cold = _top(db_path)
    folder = db_path.with_name("w.db.cache")
    (folder / "store.arrays").write_bytes(b"not a cache file")
    for f in folder.glob("niche-*.arrays"):
        f.write_bytes(f.read_bytes()[:100])  # cut short
    cache._memory.clear()
    assert _top(db_path) == cold
