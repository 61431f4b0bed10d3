"""Conventions every command follows (issue 12 points 6-7, issue 15 point 4): -h, LINKSCOUT_DB and
LINKSCOUT_NICHE, shell completion of handles and event names, usage errors exit 2, weights checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_graph import seed_world
from helpers_reliability import NICHE, file_hash
from sqlite_utils import Database
from typer.testing import CliRunner

from linkscout.cli.main import app


def seed_store(db: Database) -> None:  # the store behind `db_file` (tests/conftest.py)
    seed_world(db)


@pytest.mark.parametrize("args", [[], ["queue"], ["stage", "log"], ["db", "backup"]])
def test_dash_h_is_help(args: list[str]) -> None:
    short = CliRunner().invoke(app, [*args, "-h"])
    long = CliRunner().invoke(app, [*args, "--help"])
    assert short.exit_code == 0 and short.stdout == long.stdout and "Usage:" in short.stdout


def test_environment_variables_are_the_defaults(db_file: Path, tmp_path: Path) -> None:
    env = {"LINKSCOUT_DB": str(db_file), "LINKSCOUT_NICHE": str(NICHE)}
    res = CliRunner().invoke(app, ["db", "check"], env=env)
    assert res.exit_code == 0 and str(db_file) in res.stdout, res.output
    res = CliRunner().invoke(app, ["stage", "list", "--format", "json"], env=env)
    assert res.exit_code == 0, res.output
    missing = tmp_path / "nope.db"
    res = CliRunner().invoke(app, ["rank", "--db", str(missing)], env=env)  # the flag wins over the variable
    assert res.exit_code == 1 and str(missing) in res.stderr and not missing.exists()
    bad = tmp_path / "bad.toml"
    bad.write_text("[niche\n")
    res = CliRunner().invoke(app, ["rank"], env={**env, "LINKSCOUT_NICHE": str(bad)})
    assert res.exit_code == 1 and "bad.toml" in res.stderr


def _complete(words: str, env: dict[str, str]) -> list[str]:
    cword = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    res = CliRunner().invoke(
        app, [], prog_name="linkscout",
        env={"_LINKSCOUT_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword, **env},
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    return res.stdout.split()


def test_completion_offers_handles_and_event_names(db_file: Path) -> None:
    env = {"LINKSCOUT_DB": str(db_file)}
    handles = _complete("linkscout stage log ", env)
    assert handles and handles == sorted(handles)
    first = handles[0]
    assert first in _complete(f"linkscout stage log {first[:2]}", env)
    assert all(h.startswith(first[:2]) for h in _complete(f"linkscout stage log {first[:2]}", env))
    assert _complete("linkscout stage log ann fol", env) == ["followed", "followed_up"]
    assert _complete("linkscout stage show ", {"LINKSCOUT_DB": "/nonexistent/x.db"}) == []
    res = CliRunner().invoke(app, ["--help"])
    assert "--install-completion" in res.stdout


@pytest.mark.parametrize("args", [["crawl", "--strategy", "random"], ["queue", "--kind", "people"],
                                  ["rank", "--as-of", "nope"], ["export", "--out", "-", "--format", "xml"]])  # fmt: skip
def test_usage_errors_exit_2_in_one_line(db_file: Path, args: list[str]) -> None:
    before = file_hash(db_file)
    res = CliRunner().invoke(app, [*args, "--db", str(db_file), "--niche", str(NICHE)])
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert res.exit_code == 2 and len(lines) == 1 and lines[0].startswith("Error: "), res.output
    assert file_hash(db_file) == before


@pytest.mark.sweep
@pytest.mark.parametrize("weights", ["relevance = -4", "engagement = 1e308", "consistency = nan", "followers = inf",
                                     "one_hit_penalty = 1.5", "stale_after_days = 0"])  # fmt: skip
@pytest.mark.parametrize("cmd", [["rank"], ["queue"], ["crawl", "--budget", "1"]])
def test_weights_out_of_range_are_one_line(
    db_file: Path, tmp_path: Path, weights: str, cmd: list[str]
) -> None:
    niche = tmp_path / "niche.toml"
    niche.write_text(f'[niche]\ntags = ["seo"]\n\n[weights]\n{weights}\n')
    before = file_hash(db_file)
    res = CliRunner().invoke(app, [*cmd, "--db", str(db_file), "--niche", str(niche)])
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert res.exit_code == 1 and len(lines) == 1 and "[weights]." + weights.split()[0] in lines[0], (
        res.output
    )
    assert "must be a number from" in lines[0] and "Traceback" not in res.output
    assert file_hash(db_file) == before
