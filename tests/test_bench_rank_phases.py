"""The rank benchmark's profile (benchmarks/rank.py `phases`): the steps it wraps still exist under
their names, the phases account for the whole run, and the wrappers are gone afterwards. A rename
in graph/rank.py would otherwise surface only ten minutes into `make bench`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NICHE = REPO / "fixtures" / "niche.toml"


def test_phases_time_one_rank_and_unwrap(
    fixture_niche_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import linkscout.graph.pagerank as pr_mod
    import linkscout.graph.rank as rank_mod
    from benchmarks.rank import PHASES, phases

    before = {name: getattr(rank_mod, name) for name in ("store_data", "pagerank", "prepare", "rank")}
    db = tmp_path / "fixture.db"
    shutil.copyfile(fixture_niche_store, db)
    phases(str(db), str(NICHE))
    got = json.loads(capsys.readouterr().out)
    assert set(got) == {*PHASES, "steps"}
    assert got["steps"] > 1  # the fixture niche's PageRank takes several steps
    for phase in ("store cache read", "facts", "walk matrix", "PageRank set-up", "PageRank steps",
                  "scores and rationale", "start-up and output"):  # fmt: skip
        assert got[phase] > 0, phase
    assert all(got[p] >= 0 for p in PHASES), got  # each part is measured inside the one containing it
    assert {name: getattr(rank_mod, name) for name in before} == before
    assert pr_mod._row_parts.__module__ == "linkscout.graph.pagerank"
