"""`linkscout report`: the data it gathers, the HTML it writes, and that page rendered in real headless
Chromium (Debian's `chromium`; `make test` installs it where missing), read back with --dump-dom."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers_graph import AS_OF, NICHE, world_db, world_records
from selectolax.lexbor import LexborHTMLParser
from typer.testing import CliRunner

from linkscout.cli.main import app
from linkscout.outreach.report_data import build_report
from linkscout.outreach.report_html import linkify

NICHE_TOML = """
[niche]
name = "seo-for-saas"
keywords = ["seo", "link building", "content marketing"]
tags = ["seo", "link-building", "content-marketing"]
competitors = ["ahrefs.com"]
site = "example.com"
as_of = "2024-06-30"
"""
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
NICHE_TAGS = {"seo", "link-building", "content-marketing"}


def expected_weeks() -> dict[date, int]:
    """Niche posts per Monday-to-Sunday week over the 52 weeks ending with as_of's, counted straight
    from the records the test world wrote (a niche post here: one tagged with a niche tag)."""
    first = AS_OF - timedelta(days=AS_OF.weekday()) - timedelta(weeks=51)
    counts: dict[date, int] = {first + timedelta(weeks=i): 0 for i in range(52)}
    for p in world_records().posts:
        if not (set(p.tags) & NICHE_TAGS) or not p.published_at:
            continue
        d = date.fromisoformat(p.published_at[:10])
        if first <= d <= AS_OF:
            counts[d - timedelta(days=d.weekday())] += 1
    return counts


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Path]:
    tmp = tmp_path_factory.mktemp("report")
    (tmp / "niche.toml").write_text(NICHE_TOML, encoding="utf-8")
    world_db(tmp / "l.db").conn.close()
    args = ["--niche", str(tmp / "niche.toml"), "--db", str(tmp / "l.db")]
    runner = CliRunner()
    for cmd in (["steady1", "followed"], ["steady2", "followed"], ["steady3", "pitched", "--force"],
                ["growth-pub", "submitted", "--publication", "--force"]):  # fmt: skip
        r = runner.invoke(app, ["stage", "log", *cmd, "--at", "2024-06-01", *args])
        assert r.exit_code == 0, r.stderr
    out = tmp / "report.html"
    r = runner.invoke(app, ["report", "--out", str(out), "--date", "2024-06-30", "--top", "3", *args])
    assert r.exit_code == 0, r.stderr
    assert "Wrote" in r.stderr and r.stdout == ""
    return args, out


def test_report_data_counts_weeks_from_the_store_and_lays_the_map_out_the_same_every_time(
    tmp_path: Path,
) -> None:
    db = world_db(tmp_path / "w.db")
    a = build_report(db, NICHE, top=3, on=AS_OF)
    weeks = {w.start: w.posts for w in a.weeks}
    assert weeks == expected_weeks() and sum(weeks.values()) == 26
    assert [c.key for c in a.authors] == ["steady1", "steady2", "steady3"]
    assert all(c.sentences for c in a.authors)
    b = build_report(db, NICHE, top=3, on=AS_OF)
    assert a.map == b.map  # seeded layout: the same store draws the same map
    kinds = {n.kind for n in a.map.nodes}
    assert {"author", "publication"} <= kinds
    assert all(0.0 <= n.x <= 1.0 and 0.0 <= n.y <= 1.0 for n in a.map.nodes)
    assert ("author:steady1", "publication:growth-pub") in a.map.edges


def test_everything_is_escaped_and_only_http_urls_become_links() -> None:
    assert linkify("<b>x</b> see https://medium.com/@a/p-1a2b3c4d5e6f?x=1&y=2.") == (
        '&lt;b&gt;x&lt;/b&gt; see <a href="https://medium.com/@a/p-1a2b3c4d5e6f?x=1&amp;y=2">'
        "https://medium.com/@a/p-1a2b3c4d5e6f?x=1&amp;y=2</a>."
    )
    assert "<a" not in linkify("javascript:alert(1) data:text/html,x")


def test_the_html_file_fetches_nothing(world: tuple[list[str], Path]) -> None:
    html = world[1].read_text(encoding="utf-8")
    assert "default-src 'none'" in html  # the browser may not fetch anything
    doc = LexborHTMLParser(html)
    assert not doc.css("script, link, img, iframe, object, embed")
    assert not [n for n in doc.css("*") if "src" in n.attributes]
    assert "url(" not in html and "@import" not in html


def _dump_dom(page: Path) -> LexborHTMLParser:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", "--dump-dom",
             page.as_uri()],
            capture_output=True, text=True, timeout=180,
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "<html" in proc.stdout
    return LexborHTMLParser(proc.stdout)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (`make test` installs it)")
def test_the_report_renders_in_real_chromium_with_the_stores_numbers(world: tuple[list[str], Path]) -> None:
    args, page = world
    dom = _dump_dom(page)
    # Cards: the top 3 authors, in rank order, each with every evidence sentence and its post links.
    cards = dom.css("article.card.author")
    assert [c.attributes["data-key"] for c in cards] == ["steady1", "steady2", "steady3"]
    for c in cards:
        assert len(c.css("ul.evidence > li")) == int(c.attributes["data-sentences"] or 0) > 0
        assert all((a.attributes.get("href") or "").startswith("https://") for a in c.css("a"))
    steady1 = cards[0]
    hrefs = {a.attributes.get("href") for a in steady1.css(".posts a")}
    assert len(hrefs) >= 3 and all("medium.com/growth-pub/" in (h or "") for h in hrefs)
    assert [c.attributes["data-key"] for c in dom.css("article.card.publication")][0] == "growth-pub"
    # The map: one circle per node, sized by score, with a seeded layout.
    svg = dom.css_first("svg.niche-map")
    assert svg is not None
    nodes = svg.css("g.node")
    assert len(nodes) == int(svg.attributes["data-nodes"] or 0) and len(svg.css("circle")) == len(nodes)
    keys = {(n.attributes["class"], n.attributes["data-key"]) for n in nodes}
    assert ("node author", "steady1") in keys and ("node publication", "growth-pub") in keys
    assert len(svg.css("line")) == int(svg.attributes["data-edges"] or 0) > 0
    # The weekly chart: 52 bars whose counts are the store's niche posts per week.
    bars = dom.css("svg.weekly rect.week")
    got = {
        date.fromisoformat(b.attributes["data-week"] or ""): int(b.attributes["data-count"] or -1)
        for b in bars
    }
    assert got == expected_weeks() and len(bars) == 52
    tallest = max(bars, key=lambda b: int(b.attributes["data-count"] or 0))
    assert float(tallest.attributes["height"] or 0) > 100
    # The outreach board: prospects per stage from the log, and who is due.
    stages = {(r.attributes["data-kind"], r.attributes["data-stage"]): int(r.attributes["data-count"] or 0)
              for r in dom.css("tr.stage")}  # fmt: skip
    assert stages == {("author", "following"): 2, ("author", "pitched"): 1, ("publication", "submitted"): 1}
    assert dom.css("tr.due"), "steady3's follow-up and growth-pub's chase are due on 2024-06-30"
    assert dom.css_first("#leads") is not None and dom.css("tr.lead")  # steady1 links to ahrefs.com


def test_an_existing_report_is_kept_unless_forced(world: tuple[list[str], Path]) -> None:
    args, page = world
    before = page.read_text(encoding="utf-8")
    r = CliRunner().invoke(app, ["report", "--out", str(page), *args])
    assert r.exit_code == 1 and "already exists; pass --force" in r.stderr and r.stderr.count("\n") == 1
    assert page.read_text(encoding="utf-8") == before
    r = CliRunner().invoke(app, ["report", "--out", str(page), "--force", "--top", "2", *args])
    assert r.exit_code == 0, r.stderr
    assert len(LexborHTMLParser(page.read_text(encoding="utf-8")).css("article.card.author")) == 2
