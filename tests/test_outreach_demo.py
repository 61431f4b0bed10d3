"""After `make demo`: `queue` and `next` show the same due days (issue 12), a comment is suggested only
on a post under 48 hours old and an older one is labelled so, with the author's next post as the
moment (issue 15), and in a 100-column terminal `queue`, `next` and `stage list` fit and keep every URL
whole (issue 15). The database holds the pages `make demo` crawls: every page of the bundled fixture
niche, imported as a saved-pages folder (as test_graph_evaluate's demo test does; a loopback crawl
of the same site takes 25-60 s here and is checked by test_crawler_crawl_e2e)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from linkscout.cli import layout
from linkscout.cli.main import app
from linkscout.core.niche import load_niche

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
NICHE = REPO / "fixtures" / "niche.toml"
AS_OF = "2026-11-15"  # the fixture niche's as_of: the demo's "today"
ESC = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\x1b\]8;[^\x1b\x07]*(?:\x1b\\|\x07)")
PASSED = re.compile(r"^Latest niche post (\d+) days ago \(.*\) — the 48-hour window has passed\. ")
FRESH = re.compile(r"^Published (\d+) h ago \(\d{4}-\d{2}-\d{2}\), inside the 48-hour window: ")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (REPO / "fixtures" / "site").is_dir():
        pytest.skip("the bundled fixture niche (fixtures/site) is not generated")
    from linkscout.crawler.saved_pages import import_dir

    db = tmp_path_factory.mktemp("demo") / "linkscout.db"
    import_dir(REPO / "fixtures" / "site", db)
    return db


def run(db: Path, *args: str, columns: int | None = None) -> Any:
    env = {"COLUMNS": str(columns)} if columns else {}
    r = CliRunner().invoke(app, [*args, "--niche", str(NICHE), "--db", str(db)], env=env)
    assert r.exit_code == 0, r.output
    return r


def queue_and_next(db: Path, *as_of: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    q = json.loads(run(db, "queue", *as_of, "--format", "json").stdout)
    n = json.loads(run(db, "next", *as_of, "--format", "json").stdout)
    return q, n


def assert_same_due_days(queue: list[dict[str, Any]], agenda: list[dict[str, Any]], day: str) -> None:
    """Every agenda item about a queued author has the queue's due day (and the same post); every queue
    row due by `day` is on the agenda, save comments past the day's comment budget."""
    by_handle = {r["handle"]: r for r in queue}
    for item in agenda:
        row = by_handle.get(item["handle"])
        if row is None:
            continue  # tracked, but out of the queue (recently contacted, say)
        assert row["due_date"] == item["due"], (row, item)
        if item["action"] == "comment":
            assert row["post_to_comment_on"] == item["post_url"]
    on_agenda = {i["handle"] for i in agenda}
    missing = [r for r in queue if r["due_date"] and r["due_date"] <= day and r["handle"] not in on_agenda]
    budget = load_niche(NICHE).outreach.max_comments_per_day
    comments = [i for i in agenda if i["action"] == "comment"]
    assert all(r["post_to_comment_on"] for r in missing) and (not missing or len(comments) == budget), missing


def assert_48_hour_rule(queue: list[dict[str, Any]]) -> None:
    for r in queue:
        step = r["next_action"]
        if r["post_to_comment_on"]:  # a comment names a post under 48 h old
            m = FRESH.match(step)
            assert m and int(m.group(1)) <= 48 and r["post_to_comment_on"] in step, step
        elif "comment" in step.lower() and not step.startswith("Already links to you"):
            m = PASSED.match(step)  # else: the window has passed, the next post is the moment
            assert m and int(m.group(1)) >= 2, step
            assert "next niche post within 48 h of publishing" in step
            if r["stage"] == "discovered":
                assert r["due_date"] is None and f"Follow @{r['handle']}, then comment" in step


def test_after_the_demo_queue_and_next_show_the_same_due_days(demo_db: Path) -> None:
    queue, agenda = queue_and_next(demo_db)  # the niche's as_of, as `make demo` runs them
    assert_same_due_days(queue, agenda, AS_OF)
    assert_48_hour_rule(queue)
    # On the demo's day no top author has a post under 48 h old: no comment is due in either, and
    # the top of the queue says the window has passed (jonas_fai's latest is from 2026-11-12).
    assert not [r for r in queue if r["post_to_comment_on"]] and not [
        i for i in agenda if i["action"] == "comment"
    ]
    top = queue[0]
    assert top["due_date"] is None and top["next_action"].startswith("Latest niche post 3 days ago (")
    # What is due that day is the same in both: thanking the author who already links to the site.
    assert [(i["action"], i["due"]) for i in agenda] == [
        ("thank", AS_OF) for r in queue if r["next_action"].startswith("Already links to you")
    ]
    # Two days earlier the same posts were fresh: comments due in both, on the same posts.
    q13, n13 = queue_and_next(demo_db, "--as-of", "2026-11-13")
    assert_same_due_days(q13, n13, "2026-11-13")
    assert_48_hour_rule(q13)
    fresh = [r for r in q13 if r["post_to_comment_on"]]
    assert fresh and {r["handle"] for r in fresh} <= {i["handle"] for i in n13}
    assert all(i["published"].endswith(" h ago") for i in n13 if i["action"] == "comment")


def test_tracked_authors_get_the_same_comment_and_wait_days_in_queue_and_next(
    demo_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "tracked.db"
    shutil.copy(demo_db, db)
    queue, _ = queue_and_next(db, "--as-of", "2026-11-13")
    fresh = [r for r in queue if r["post_to_comment_on"]]
    for r in queue[:6]:
        run(db, "stage", "log", r["handle"], "followed", "--at", "2026-11-01")
    for day in ("2026-11-13", "2026-11-14", AS_OF):
        q, n = queue_and_next(db, "--as-of", day)
        assert_same_due_days(q, n, day)
        assert_48_hour_rule(q)
        for r in q[:6]:  # followed: a comment inside the window, else a wait item, the same day in both
            item = next(i for i in n if i["handle"] == r["handle"])
            assert item["action"] in ("comment", "wait", "thank") and item["due"] == r["due_date"] == day
            if item["action"] == "wait":
                assert r["next_action"] == item["detail"] and "window has passed" in item["detail"]
    assert fresh  # the fixture niche has posts inside the window on 2026-11-13


def _urls(obj: Any) -> set[str]:
    if isinstance(obj, str):
        return {m.group(0).rstrip(".") for m in layout.URL_RE.finditer(obj)}
    if isinstance(obj, dict):
        return set().union(*(_urls(v) for v in obj.values())) if obj else set()
    if isinstance(obj, list):
        return set().union(*(_urls(v) for v in obj)) if obj else set()
    return set()


@pytest.mark.parametrize(
    "cmd",
    [
        ("queue", "--limit", "50"),
        ("queue", "--kind", "links", "--limit", "50"),
        ("queue", "--kind", "publications", "--limit", "50"),
        ("next", "--as-of", "2026-11-13"),
        ("stage", "list"),
    ],
    ids=lambda c: " ".join(c[:3]),
)
def test_demo_output_at_100_columns_fits_and_keeps_every_json_url_whole(
    demo_db: Path, tmp_path: Path, cmd: tuple[str, ...]
) -> None:
    db = tmp_path / "d.db"
    shutil.copy(demo_db, db)
    if cmd[0] == "stage":
        for handle in ("jonas_fai", "felix.albrecht42", "hannathorne"):
            run(db, "stage", "log", handle, "followed", "--at", "2026-11-01")
        run(db, "stage", "log", "saas-growth-notes", "guidelines_read", "-p", "--at", "2026-11-02")
    text = run(db, *cmd, columns=100).stdout
    lines = [ESC.sub("", line) for line in text.splitlines()]
    for line in lines:
        assert line == line.rstrip(), f"trailing spaces: {line!r}"
        # The one exception: a URL longer than the whole terminal, alone on its line from column 0.
        assert len(line) <= 100 or (line.startswith("http") and " " not in line), line
    data = json.loads(run(db, *cmd, "--format", "json").stdout)
    urls = _urls(data)
    assert urls or cmd[0] == "stage", "the demo gives queue and next URLs to print"
    for row in data:  # and every row is there
        assert str(row.get("handle") or row.get("author") or row.get("slug")) in text
    for url in urls:  # whole, between spaces or line ends (so it is clickable and copies as one)
        token = re.compile(rf"(^|\s){re.escape(url)}($|\s)")
        assert any(token.search(line) for line in lines), f"{url} is not whole in the terminal output"
    assert "…" not in text and not re.search(r"\b1 (days|responses|posts|links|comments)\b", text)


def test_the_demo_dates_are_the_niche_as_of(demo_db: Path) -> None:
    """No clock: after the demo every dated command's today is the niche's as_of (2026-11-15)."""
    assert load_niche(NICHE).niche.as_of == date.fromisoformat(AS_OF)
    assert "Agenda for 2026-11-15" in run(demo_db, "next").stdout
