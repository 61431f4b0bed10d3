"""Faults: crawl the fixture niche through `tools.fault_site` and compare with a clean crawl.

Checked every run: the crawl finishes (exit 0); every URL the crawl asked for has its outcome in
`pages`; every page served whole has its posts, authors and publications stored, with the same
values as the clean crawl (and an article's body links exactly as clean); nothing from an error or
challenge body (the decoy "poison" records) is stored anywhere; permanently broken pages end up
`failed` or `blocked`. The fast case runs one seed without timeouts; `make soak` runs more seeds,
higher fault rates and every fault kind, timeouts included.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from helpers_reliability import SITE, clean_crawl, contents, crawl, integrity

from linkscout.core.urls import canonicalize
from linkscout.crawler.parse import parse_page
from tools.fault_site import ALL, PERMANENT, POISON_AUTHOR, POISON_POST, POISON_TAG, Fault, serve_faults

pytestmark = pytest.mark.slow  # subprocess crawls: `make test` runs them, `make test-fast` does not

_ENTITY_KEYS = {"posts": "id", "authors": "username", "publications": "slug"}


def _rows(db: Path, table: str) -> dict[str, dict]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return {r[_ENTITY_KEYS[table]]: dict(r) for r in conn.execute(f"SELECT * FROM {table}")}
    finally:
        conn.close()


def run_fault_crawl(tmp: Path, clean: Path, *, seed: int, rate: float, permanent_rate: float,
                    kinds: tuple[Fault, ...]) -> dict:  # fmt: skip
    db = tmp / f"fault-{seed}.db"
    with serve_faults(SITE, seed=seed, rate=rate, permanent_rate=permanent_rate, kinds=kinds) as srv:
        r = crawl(db, srv.url, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert integrity(db) == "ok"
    problems: list[str] = []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    ledger = dict(conn.execute("SELECT url, status FROM pages").fetchall())
    conn.close()

    # 1. Every URL the crawl scheduled has an outcome (redirect targets are recorded under their source).
    redirect_targets = {
        e.get("headers", {}).get("Location") for e in srv.index.values() if e.get("status") in (301, 302)
    }
    asked = {i.key.split("?loop=", 1)[0] for i in srv.log}
    asked = {k for k in asked if not k.endswith("/robots.txt") and k not in redirect_targets}
    unrecorded = sorted(k for k in asked if canonicalize(k) not in ledger)
    if unrecorded:
        problems.append(f"{len(unrecorded)} URLs fetched without an outcome in pages: {unrecorded[:5]}")

    # 2. Permanently broken pages: never ok, except a wrong Content-Type on a whole body, which may be read.
    permanent = {i.key.split("?loop=", 1)[0]: i.fault for i in srv.log if i.fault in PERMANENT}
    for key, fault in permanent.items():
        status = ledger.get(canonicalize(key))
        if (
            fault is not Fault.WRONG_TYPE
            and key not in redirect_targets
            and status not in ("failed", "blocked")
        ):
            problems.append(f"{key} ({fault}) recorded as {status!r}, expected failed or blocked")

    # 3. Nothing from an error or challenge body is stored.
    dump = json.dumps(contents(db), default=str)
    for decoy in (POISON_POST, POISON_AUTHOR, POISON_TAG):
        if decoy in dump:
            problems.append(f"decoy {decoy!r} from an error/challenge body was stored")

    # 4. Pages served whole: their records are stored, with the clean crawl's values.
    stored = {t: _rows(db, t) for t in _ENTITY_KEYS}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    aliases = {h.split(".", 1)[0] for (h,) in conn.execute("SELECT host FROM publication_aliases")}
    conn.close()
    reference = {t: _rows(clean, t) for t in _ENTITY_KEYS}
    whole = srv.served_whole() - set(permanent)
    lost: Counter[str] = Counter()
    differing = 0
    articles: set[str] = set()
    for key in sorted(whole):
        entry = srv.index.get(key)
        if not entry or not entry.get("file"):
            continue
        res = parse_page(
            (SITE / entry["file"]).read_bytes(), key, status=200, content_type=entry["content_type"]
        )
        ids = {"posts": [p.id for p in res.posts],
               "authors": [(a.username or "").lower().lstrip("@") for a in res.authors if a.username],
               "publications": [(p.slug or "").lower() for p in res.publications if p.slug]}  # fmt: skip
        if str(res.kind) == "article" and len(res.posts) == 1:
            articles.add(res.posts[0].id)
        for table, keys in ids.items():
            for k in keys:
                # A feed names a subdomain publication by its host; the alias table maps it to the slug.
                if k not in stored[table] and not (table == "publications" and k in aliases):
                    lost[table] += 1
    for table, rows in stored.items():
        for k, row in rows.items():
            ref = reference[table].get(k)
            if ref is None:
                continue  # fetched by this crawl only; the decoy check covers records from broken pages
            for col, v in row.items():
                # Unequal known values are corruption; a value one crawl saw and the other did not is not
                # (the two crawls fetch slightly different page sets in a different order).
                if (
                    col not in ("first_seen", "last_seen")
                    and v is not None
                    and ref[col] is not None
                    and v != ref[col]
                ):
                    differing += 1
                    problems.append(f"{table} {k!r}.{col} = {v!r}, clean crawl has {ref[col]!r}")
    c_links, f_links = contents(clean)["links"], contents(db)["links"]
    rel_dropped = 0
    for pid in sorted(articles):
        a, b = [r for r in c_links if r[0] == pid], [r for r in f_links if r[0] == pid]
        if a == b:
            continue
        # Known bug (test_feed_read_after_article_keeps_link_rel): a feed read after the article replaces
        # its links with rel-less ones, in either crawl. Counted and reported; anything else fails.
        if [r[:3] for r in a] == [r[:3] for r in b] and (
            all(r[4] is None for r in a) or all(r[4] is None for r in b)
        ):
            rel_dropped += 1
        else:
            problems.append(f"links of {pid} differ from the clean crawl: {b[:2]} vs {a[:2]}")
    if lost:
        problems.append(f"records of whole pages lost: {dict(lost)}")
    report = {
        "seed": seed, "rate": rate, "permanent_rate": permanent_rate, "requests": len(srv.log),
        "urls": len(asked), "served_whole": len(whole), "faults": dict(srv.injected()),
        "faults_total": sum(srv.injected().values()), "items_lost": sum(lost.values()),
        "values_differing": differing, "articles_whose_link_rel_a_feed_dropped": rel_dropped, "ledger": dict(Counter(ledger.values())), "problems": problems[:20],
    }  # fmt: skip
    out = os.environ.get("LINKSCOUT_RELIABILITY_REPORT")
    if out:
        with open(out, "a", encoding="utf-8") as f:
            f.write(json.dumps({"suite": "faults", **report}) + "\n")
    return report


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return clean_crawl(tmp_path_factory.getbasetemp())


def test_faulty_crawl_stores_every_whole_page_and_nothing_broken(clean: Path, tmp_path: Path) -> None:
    kinds = tuple(k for k in ALL if k is not Fault.TIMEOUT)  # a timeout costs the 10 s download timeout
    report = run_fault_crawl(tmp_path, clean, seed=1, rate=0.25, permanent_rate=0.04, kinds=kinds)
    assert report["faults_total"] >= 50, report  # the run really was faulty
    assert set(report["faults"]) >= {"500", "503", "429", "reset", "truncated"}, report
    assert report["problems"] == [], "\n".join(report["problems"])
    assert report["items_lost"] == 0


@pytest.mark.soak
@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_soak_faults(clean: Path, tmp_path: Path, seed: int) -> None:
    report = run_fault_crawl(tmp_path, clean, seed=seed, rate=0.4, permanent_rate=0.05, kinds=ALL)
    assert report["problems"] == [], "\n".join(report["problems"])
    assert report["items_lost"] == 0


def test_feed_read_after_article_keeps_link_rel(tmp_path: Path) -> None:
    from linkscout.store.db import open_db, transaction
    from linkscout.store.write import write_results

    index = json.loads((SITE / "index.json").read_text(encoding="utf-8"))
    feeds = {k: e for k, e in index.items() if "/feed" in k and e.get("file")}
    for key, e in sorted(feeds.items()):
        feed = parse_page((SITE / e["file"]).read_bytes(), key, status=200, content_type=e["content_type"])
        with_links = {p.id: p for p in feed.posts if p.links}
        for akey, ae in sorted(index.items()):
            if ae.get("file") and akey.rsplit("-", 1)[-1] in with_links:
                article = parse_page(
                    (SITE / ae["file"]).read_bytes(), akey, status=200, content_type=ae["content_type"]
                )
                if article.posts and any(link.rel for link in article.posts[0].links or ()):
                    break
        else:
            continue
        break
    else:
        pytest.fail("no post found in both a feed and an article page of the fixture site")
    db = open_db(tmp_path / "order.db")
    with transaction(db):
        write_results(db, [article], "2026-11-15T00:00:00Z")
    with transaction(db):
        write_results(db, [feed], "2026-11-15T00:00:01Z")
    pid = article.posts[0].id
    rels = [
        r[0] for r in db.conn.execute("SELECT rel FROM links WHERE post_id = ? ORDER BY position", (pid,))
    ]
    assert rels == [link.rel for link in article.posts[0].links or ()]
