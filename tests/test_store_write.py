from __future__ import annotations

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
from linkscout.store.db import open_db, transaction
from linkscout.store.write import record_page, write_results

TABLES = ["authors", "publications", "publication_aliases", "posts", "tags", "post_tags", "links",
          "engagement_snapshots", "parse_warnings"]  # fmt: skip
TIME_COLUMNS = {"first_seen", "last_seen", "seen_at"}


def dump(db: Database, *, ignore: set[str] = frozenset()) -> dict[str, list[tuple]]:
    out = {}
    for t in TABLES:
        cols = [c.name for c in db[t].columns if c.name not in ignore]
        out[t] = db.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY 1, 2").fetchall()
    return out


def page(**post_overrides) -> PageResult:
    post = PostRecord(
        id="1a2b3c4d5e6f", title="Link building for SaaS", url="https://medium.com/@ann/lb-1a2b3c4d5e6f",
        author="Ann", publication="growth-pub", tags=("seo", "link-building"), published_at="2026-10-01T08:00:00Z",
        claps=120, responses=4, reading_time=6.0, locked=False,
        links=(LinkRecord("https://ahrefs.com/blog", "noopener ugc nofollow", "Ahrefs"),
               LinkRecord("https://medium.com/@bob", "noopener follow", "Bob")),
    )  # fmt: skip
    fields = {**{n: getattr(post, n) for n in post.__slots__}, **post_overrides}
    return PageResult(
        kind=PageKind.ARTICLE,
        url="https://medium.com/@ann/lb-1a2b3c4d5e6f",
        posts=[PostRecord(**fields)],
        authors=[AuthorRecord(username="ann", id="u1", name="Ann A", bio="SEO", followers=900)],
        publications=[
            PublicationRecord(slug="growth-pub", name="Growth", domain="growth.example", followers=5000)
        ],
        warnings=["article: reading time missing"],
    )


def write(db: Database, results: list[PageResult], at: str) -> None:
    with transaction(db):
        write_results(db, results, at)


# `db` (tests/conftest.py): an empty store per test.


def test_same_records_twice_only_moves_last_seen(db: Database) -> None:
    write(db, [page()], "2026-11-01T00:00:00Z")
    first = dump(db)
    write(db, [page()], "2026-11-02T00:00:00Z")
    assert dump(db, ignore=TIME_COLUMNS) == _strip(first, db)
    assert db.execute("SELECT last_seen FROM posts").fetchone()[0] == "2026-11-02T00:00:00Z"
    assert db.execute("SELECT first_seen FROM posts").fetchone()[0] == "2026-11-01T00:00:00Z"
    assert db.execute("SELECT COUNT(*) FROM engagement_snapshots").fetchone()[0] == 1


def _strip(snapshot: dict[str, list[tuple]], db: Database) -> dict[str, list[tuple]]:
    out = {}
    for t, rows in snapshot.items():
        names = [c.name for c in db[t].columns]
        keep = [i for i, n in enumerate(names) if n not in TIME_COLUMNS]
        out[t] = [tuple(r[i] for i in keep) for r in rows]
    return out


def test_unknown_is_null_never_zero(db: Database) -> None:
    write(db, [PageResult(kind=PageKind.TAG, posts=[PostRecord(id="abcdef123456", author="zed")])], "t1")
    row = db.execute("SELECT claps, responses, reading_time, locked, title FROM posts").fetchone()
    assert row == (None, None, None, None, None)
    assert db.execute("SELECT followers, name FROM authors WHERE username='zed'").fetchone() == (None, None)
    assert db.execute("SELECT COUNT(*) FROM engagement_snapshots").fetchone()[0] == 0


def test_null_never_erases_a_known_value(db: Database) -> None:
    write(db, [page()], "t1")
    sparse = PageResult(
        kind=PageKind.TAG,
        posts=[PostRecord(id="1a2b3c4d5e6f", author="ann")],
        authors=[AuthorRecord(username="ANN")],
        publications=[PublicationRecord(slug="growth-pub")],
    )
    write(db, [sparse], "t2")
    assert db.execute("SELECT title, claps, responses, publication FROM posts").fetchone() == (
        "Link building for SaaS", 120, 4, "growth-pub")  # fmt: skip
    assert db.execute("SELECT followers, name, user_id FROM authors").fetchone() == (900, "Ann A", "u1")
    assert db.execute("SELECT followers, domain FROM publications").fetchone() == (5000, "growth.example")
    assert db.execute("SELECT COUNT(*) FROM links").fetchone()[0] == 2  # links=None: unknown, kept


def test_engagement_change_adds_one_snapshot(db: Database) -> None:
    write(db, [page()], "t1")
    write(db, [page(claps=150)], "t2")
    write(db, [page(claps=150)], "t3")
    snaps = db.execute(
        "SELECT seen_at, claps, responses FROM engagement_snapshots ORDER BY seen_at"
    ).fetchall()
    assert snaps == [("t1", 120, 4), ("t2", 150, 4)]
    assert db.execute("SELECT claps FROM posts").fetchone()[0] == 150


def test_links_keep_raw_rel_and_flags(db: Database) -> None:
    write(db, [page()], "t1")
    rows = db.execute(
        "SELECT position, host, rel, nofollow, ugc, internal FROM links ORDER BY position"
    ).fetchall()
    assert rows == [
        (0, "ahrefs.com", "noopener ugc nofollow", 1, 1, 0),
        (1, "medium.com", "noopener follow", 0, 0, 1),
    ]


def test_member_only_preview_does_not_replace_full_links(db: Database) -> None:
    write(db, [page(links_partial=False)], "t1")
    write(
        db, [page(links=(LinkRecord("https://x.example", None, "x"),), links_partial=True, locked=True)], "t2"
    )
    assert db.execute("SELECT COUNT(*) FROM links").fetchone()[0] == 2
    write(
        db, [page(links=(LinkRecord("https://y.example", None, "y"),), links_partial=True, locked=True)], "t3"
    )
    assert db.execute("SELECT COUNT(*), MIN(links_partial) FROM links, posts").fetchone() == (2, 0)


def test_aliases_and_tags(db: Database) -> None:
    write(db, [page()], "t1")
    assert db.execute("SELECT host, slug FROM publication_aliases").fetchall() == [
        ("growth.example", "growth-pub")
    ]
    assert db.execute("SELECT tag FROM post_tags ORDER BY tag").fetchall() == [("link-building",), ("seo",)]
    assert db.execute("SELECT author FROM posts").fetchone()[0] == "ann"  # lower-cased identity


def test_record_page_keeps_latest_outcome(db: Database) -> None:
    with transaction(db):
        record_page(
            db, "https://medium.com/tag/seo", status="failed", fetched_at="t1", http_status=503, error="503"
        )
        record_page(
            db, "https://medium.com/tag/seo", status="ok", fetched_at="t2", http_status=200, etag='"e1"'
        )
    assert db.execute("SELECT status, http_status, etag, error FROM pages").fetchall() == [
        ("ok", 200, '"e1"', None)
    ]


def test_a_failing_batch_leaves_nothing_half_written(db: Database) -> None:
    bad = PageResult(kind=PageKind.ARTICLE, posts=[PostRecord(id="abcdef123456", claps="not a number")])  # type: ignore[arg-type]
    write(db, [page()], "t1")
    before = dump(db)
    db.execute("CREATE TRIGGER no_bad BEFORE INSERT ON posts WHEN NEW.claps = 'not a number' "
               "BEGIN SELECT RAISE(ABORT, 'bad claps'); END")  # fmt: skip
    with pytest.raises(Exception, match="bad claps"):
        write(db, [page(claps=999), bad], "t2")
    assert dump(db) == before


def test_rel_less_feed_links_never_replace_rendered_links_in_either_order(tmp_path: Path) -> None:
    article = page()
    feed_links = tuple(LinkRecord(link.url, None, link.anchor) for link in article.posts[0].links or ())
    feed = page(links=feed_links)
    stored = []
    for i, order in enumerate(
        [([article], [feed]), ([feed], [article]), ([article, feed],), ([feed, article],)]
    ):
        db = open_db(tmp_path / f"o{i}.db")
        for batch in order:
            write(db, batch, "t1")
        stored.append(db.execute("SELECT url, rel, nofollow, ugc FROM links ORDER BY position").fetchall())
    assert stored[0] == [("https://ahrefs.com/blog", "noopener ugc nofollow", 1, 1),
                         ("https://medium.com/@bob", "noopener follow", 0, 0)]  # fmt: skip
    assert all(s == stored[0] for s in stored)


def test_a_subdomain_label_folds_into_the_real_slug_in_either_order(tmp_path: Path) -> None:
    # A feed at founderscorner.medium.com can only name the publication by its label; the
    # publication's own page gives the slug and the alias that ties them.
    from_feed = PageResult(
        kind=PageKind.FEED,
        posts=[PostRecord(id="abcdef123456", author="ann", publication="founderscorner")],
        publications=[PublicationRecord(slug="founderscorner", name="Founders Corner")],
    )
    from_home = PageResult(
        kind=PageKind.PUBLICATION,
        publications=[
            PublicationRecord(slug="founders-corner", domain="founderscorner.medium.com", followers=15000)
        ],
    )
    for i, order in enumerate([[from_feed, from_home], [from_home, from_feed]]):
        db = open_db(tmp_path / f"p{i}.db")
        for r in order:
            write(db, [r], "t1")
        assert db.execute("SELECT slug, name, followers FROM publications").fetchall() == [
            ("founders-corner", "Founders Corner", 15000)
        ]
        assert db.execute("SELECT publication FROM posts").fetchall() == [("founders-corner",)]


def test_rewriting_an_article_and_its_feed_copy_changes_nothing(db: Database) -> None:
    article = page(links_partial=None)
    feed = page(
        links=tuple(LinkRecord(x.url, None, x.anchor) for x in article.posts[0].links or ()),
        links_partial=None,
    )
    write(db, [article], "t1")
    write(db, [feed], "t1")
    first = dump(db, ignore=TIME_COLUMNS)
    write(db, [article, feed], "t2")
    write(db, [feed], "t3")
    assert dump(db, ignore=TIME_COLUMNS) == first
    assert db.execute("SELECT links_partial FROM posts").fetchone()[0] is None  # unknown stays unknown
