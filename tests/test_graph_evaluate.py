"""Ranking quality: the metrics on known answers, and the fixture niche against its planted truth."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from linkscout.cli.main import app
from linkscout.core.niche import BUNDLED_NICHE, load_niche
from linkscout.graph.evaluate import evaluate, grades, kendall_tau, load_truth, ndcg_at, precision_at
from linkscout.graph.rank import rank

FIXTURES = BUNDLED_NICHE.parent
EXCLUDED = {"celebrity", "one_hit", "inactive", "suspended", "off_niche"}


def test_ndcg_known_answers() -> None:
    truth = {"a": 3.0, "b": 2.0, "c": 0.0}
    assert ndcg_at(["a", "b", "c"], truth) == 1.0
    swapped = (3 + 7 / math.log2(3)) / (7 + 3 / math.log2(3))
    assert ndcg_at(["b", "a"], truth) == pytest.approx(swapped)
    assert ndcg_at(["x", "y"], truth) == 0.0
    assert ndcg_at(["a"], {"a": 0.0}) == 0.0
    assert ndcg_at(["c", "a"], truth, k=1) == 0.0


def test_precision_counts_grade_two_and_caps_the_denominator() -> None:
    truth = {"a": 3.0, "b": 2.0, "c": 1.0}
    assert precision_at(["a", "c", "b"], truth) == 1.0  # both relevant items are in the top 10
    assert precision_at(["c", "a"], truth, k=1) == 0.0
    assert precision_at(["a", "c"], truth, k=2) == 0.5
    assert precision_at(["a"], {"a": 1.0}) == 0.0


def test_kendall_tau() -> None:
    a = ["a", "b", "c", "d"]
    assert kendall_tau(a, a) == pytest.approx(1.0)
    assert kendall_tau(a, a[::-1]) == pytest.approx(-1.0)
    assert kendall_tau(a, ["a", "b", "d"]) == pytest.approx(
        kendall_tau(a, ["a", "b", "d", "c"])
    )  # missing → last
    assert kendall_tau(["a"], ["a"]) is None
    # one swapped pair of six: 5 concordant, 1 discordant → (5 - 1) / 6
    assert kendall_tau(a, ["a", "c", "b", "d"]) == pytest.approx(4 / 6)
    # c and d both missing from b, so tied last there: τ-b = (5 - 0) / sqrt(6 * 5)
    assert kendall_tau(a, ["a", "b"]) == pytest.approx(5 / (6 * 5) ** 0.5)


def test_truth_loading(tmp_path: Path) -> None:
    p = tmp_path / "t.json"
    p.write_text(json.dumps({"authors": {"Ann": {"grade": 3}, "bob": 1, "bad": {"grade": "x"}}}))
    assert grades(load_truth(p), "authors") == {"ann": 3.0, "bob": 1.0}
    p.write_text("[]")
    with pytest.raises(Exception, match="truth file needs"):
        load_truth(p)


@pytest.fixture(scope="module")
def fixture_db(fixture_niche_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every page of the fixture niche, without a crawl (a copy of the session's store)."""
    if not (FIXTURES / "truth.json").exists():
        pytest.skip("the bundled fixture niche's truth.json is not generated (make fixtures)")
    db = tmp_path_factory.mktemp("fixture") / "f.db"
    shutil.copyfile(fixture_niche_store, db)
    return db


@pytest.mark.slow
def test_fixture_niche_top10_has_no_pretenders(fixture_db: Path) -> None:
    from linkscout.store.db import open_db

    niche, truth = load_niche(BUNDLED_NICHE), load_truth(FIXTURES / "truth.json")
    top = rank(open_db(fixture_db), niche, kind="authors", limit=10)
    kinds = {e.key: truth["authors"].get(e.key, {}).get("archetype") for e in top}
    assert len(top) == 10 and not (set(kinds.values()) & EXCLUDED), kinds
    pubs = [e.key for e in rank(open_db(fixture_db), niche, kind="publications")]
    arche = {k: v["archetype"] for k, v in truth["publications"].items()}
    active = [
        p for p in pubs if arche.get(p, "").startswith("active") and truth["publications"][p]["grade"] >= 2
    ]
    assert active and not [p for p in pubs if arche.get(p, "").startswith("dead")]  # dead: not listed


def test_fixture_niche_quality_beats_the_baselines(fixture_db: Path) -> None:
    from linkscout.store.db import open_db

    report = evaluate(open_db(fixture_db), load_niche(BUNDLED_NICHE), load_truth(FIXTURES / "truth.json"))
    for kind in ("authors", "publications"):
        b = report[kind]
        assert b["ndcg@10"] >= 0.9, (kind, b)
        assert b["ndcg@10"] > max(x["ndcg@10"] for x in b["baselines"].values()), (kind, b)
    assert report["authors"]["margin_over_best_baseline"] >= 0.15


def test_eval_cli_json_shape(fixture_db: Path) -> None:
    r = CliRunner().invoke(app, ["eval", "--niche", str(BUNDLED_NICHE), "--db", str(fixture_db),
                                 "--half-db", str(fixture_db), "--format", "json"])  # fmt: skip
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    for kind in ("authors", "publications"):
        assert set(out[kind]) >= {"ndcg@10", "precision@10", "baselines"}
        assert set(out[kind]["baselines"]) == {"claps", "followers", "pagerank"}
        assert set(out[kind]["baselines"]["claps"]) == {"ndcg@10", "precision@10"}
    assert out["stability"]["kendall_tau"] == 1.0  # the same database twice


def test_demo_collaborator_queue_top_five_are_grade_three(fixture_db: Path) -> None:
    """What `make demo` prints first: the collaborator queue on the bundled niche."""
    from linkscout.outreach.queue import build_queue
    from linkscout.store.db import open_db

    niche, truth = load_niche(BUNDLED_NICHE), load_truth(FIXTURES / "truth.json")
    rows = build_queue(open_db(fixture_db), niche, kind="authors", limit=5)
    assert [truth["authors"][r.handle]["grade"] for r in rows] == [3, 3, 3, 3, 3], [r.handle for r in rows]


def test_eval_needs_a_truth_file_for_the_niche(tmp_path: Path, fixture_db: Path) -> None:
    """A user's own niche is never scored against the fixture's truth: no truth, one line, exit 1."""
    niche = tmp_path / "niche.toml"
    niche.write_text(BUNDLED_NICHE.read_text(encoding="utf-8"), encoding="utf-8")
    r = CliRunner().invoke(app, ["eval", "--niche", str(niche), "--db", str(fixture_db)])
    assert r.exit_code == 1
    assert r.stderr.strip().count("\n") == 0 and "no truth file" in r.stderr and "--truth" in r.stderr
    r = CliRunner().invoke(app, ["eval", "--niche", str(niche), "--db", str(fixture_db),
                                 "--truth", str(FIXTURES / "truth.json"), "--format", "json"])  # fmt: skip
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    for kind in ("authors", "publications"):
        assert out[kind]["grade0_in_top"] == [x["key"] for x in out[kind]["top"] if x["grade"] == 0]
        assert out[kind]["best_baseline"] in ("claps", "followers", "pagerank")
