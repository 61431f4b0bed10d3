"""The DOM layer on pages without embedded state: post cards, rounded counts, layers; and the store
rule that a value read from markup never replaces one from embedded state."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from linkscout.core.records import PageKind, PageResult, PostRecord
from linkscout.crawler.parse import parse_page
from linkscout.crawler.parse.cards import parse_count
from linkscout.store.db import open_db, transaction
from linkscout.store.write import write_results

# A 2021-shaped publication home card and a legacy search card, written here (not copied).
CARDS = """<!DOCTYPE html><html><head><title>Field Notes</title>
<link rel="canonical" href="https://medium.com/field-notes"></head><body>
<div class="x"><div><a href="https://medium.com/@ann.lee?source=collection_home">Ann Lee</a></div>
 <h1><a href="https://medium.com/field-notes/why-briefs-fail-1a2b3c4d5e6f?source=collection_home">Why Briefs Fail</a></h1>
 <h2><strong>A subtitle, not the title</strong></h2>
 <a href="https://medium.com/field-notes/why-briefs-fail-1a2b3c4d5e6f?readmore=1"><p>Read more · 6 min read</p></a>
 <a href="https://medium.com/m/signin?actionUrl=https%3A%2F%2Fmedium.com%2F_%2Fvote%2Ffield-notes%2F1a2b3c4d5e6f&source=clap_preview"><svg></svg></a>
 <p><button>1.2K</button></p>
 <a href="https://medium.com/field-notes/why-briefs-fail-1a2b3c4d5e6f?responsesOpen=true"><button><p>14</p></button></a>
</div>
<div class="y"><div data-post-id="0f1e2d3c4b5a"><a href="https://medium.com/@bo" data-action="show-user-card">Bo</a>
 in <a href="https://medium.com/field-notes" data-action="show-collection-card" data-action-value="field-notes">Field Notes</a>
 <a href="https://medium.com/field-notes/on-titles-0f1e2d3c4b5a"><time datetime="2021-04-12T20:49:31.406Z">Apr 12</time></a>
 <span title="4 min read"></span>
 <a href="https://medium.com/field-notes/on-titles-0f1e2d3c4b5a" data-post-id="0f1e2d3c4b5a"><section><h3>On Titles</h3></section></a>
 <a href="https://medium.com/field-notes/on-titles-0f1e2d3c4b5a#--responses">3 responses</a>
</div></div>
<div><a href="https://medium.com/jobs-at-medium/work-at-medium-959d1a85284e">Careers</a></div>
</body></html>"""


def test_cards_give_id_title_author_publication_date_and_counts() -> None:
    r = parse_page(CARDS)
    posts = {p.id: p for p in r.posts}
    a = posts["1a2b3c4d5e6f"]
    assert (a.title, a.author, a.publication, a.reading_time) == (
        "Why Briefs Fail",
        "ann.lee",
        "field-notes",
        6.0,
    )
    assert (a.claps, a.responses, a.counts_approx) == (1200, 14, True)
    assert dict(a.layers)["claps"] == "dom" and dict(a.layers)["title"] == "dom"
    b = posts["0f1e2d3c4b5a"]
    assert (b.title, b.author, b.publication) == ("On Titles", "bo", "field-notes")
    assert (b.published_at, b.reading_time, b.responses) == ("2021-04-12T20:49:31Z", 4.0, 3)
    assert b.claps is None and b.counts_approx is None  # not shown: unknown, never 0
    contract = r.to_contract()["posts"]
    assert next(p for p in contract if p["id"] == "1a2b3c4d5e6f")["counts_approximate"] is True


def test_a_footer_link_to_a_post_is_no_card() -> None:
    assert "959d1a85284e" not in {p.id for p in parse_page(CARDS).posts}


@pytest.mark.parametrize(
    ("text", "value"),
    [("959", (959, False)), ("1.2K", (1200, True)), ("3M", (3_000_000, True)), ("1,024", (1024, False)),
     ("", None), ("12 claps", None)],
)  # fmt: skip
def test_parse_count_flags_rounded_values(text: str, value: tuple[int, bool] | None) -> None:
    assert parse_count(text) == value


def _post(db_path: Path) -> tuple[object, ...]:
    conn = sqlite3.connect(db_path)
    row = conn.execute(
        "SELECT title, published_at, claps, counts_approx, field_layers FROM posts WHERE id = '1a2b3c4d5e6f'"
    ).fetchone()
    conn.close()
    return tuple(row)


STATE = PostRecord(
    id="1a2b3c4d5e6f", title="Why Briefs Fail", published_at="2021-03-02T10:00:00Z", claps=1187
)
DOM = PostRecord(
    id="1a2b3c4d5e6f", title="Why briefs fail (preview)", published_at="2021-03-02T00:00:00Z", claps=1200,
    counts_approx=True, layers=(("title", "dom"), ("published_at", "dom"), ("claps", "dom")),
)  # fmt: skip


@pytest.mark.parametrize("order", ["state-first", "dom-first"])
def test_markup_values_never_replace_state_values(tmp_path: Path, order: str) -> None:
    db = open_db(tmp_path / "l.db")
    first, second = (STATE, DOM) if order == "state-first" else (DOM, STATE)
    with transaction(db):
        write_results(
            db, [PageResult(PageKind.TAG, posts=[first])], "2025-01-01T00:00:00Z", every_snapshot=True
        )
        write_results(
            db, [PageResult(PageKind.TAG, posts=[second])], "2025-02-01T00:00:00Z", every_snapshot=True
        )
    db.conn.close()
    title, published, claps, approx, layers = _post(tmp_path / "l.db")
    assert (title, published) == ("Why Briefs Fail", "2021-03-02T10:00:00Z")
    # Counts: the newest capture wins, and a rounded one says so.
    assert (claps, approx) == ((1200, 1) if order == "state-first" else (1187, None))
    assert "title" not in (layers or "")


def test_every_capture_is_a_snapshot_and_the_newest_counts_win(tmp_path: Path) -> None:
    db = open_db(tmp_path / "l.db")
    rec = PostRecord(id="1a2b3c4d5e6f", title="T", claps=10, responses=1)
    newer = PostRecord(id="1a2b3c4d5e6f", title="T", claps=25, responses=2)
    with transaction(db):  # read newest first, as a folder walk may
        write_results(
            db, [PageResult(PageKind.ARTICLE, posts=[newer])], "2025-06-01T00:00:00Z", every_snapshot=True
        )
        write_results(
            db, [PageResult(PageKind.ARTICLE, posts=[rec])], "2025-01-01T00:00:00Z", every_snapshot=True
        )
        write_results(
            db, [PageResult(PageKind.ARTICLE, posts=[rec])], "2025-02-01T00:00:00Z", every_snapshot=True
        )
    rows = db.conn.execute("SELECT seen_at, claps FROM engagement_snapshots ORDER BY seen_at").fetchall()
    assert rows == [("2025-01-01T00:00:00Z", 10), ("2025-02-01T00:00:00Z", 10), ("2025-06-01T00:00:00Z", 25)]
    assert db.conn.execute("SELECT claps, responses, first_seen, last_seen FROM posts").fetchone() == (
        25, 2, "2025-01-01T00:00:00Z", "2025-06-01T00:00:00Z",
    )  # fmt: skip
