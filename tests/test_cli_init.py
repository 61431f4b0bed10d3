from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from linkscout.cli.main import app
from linkscout.core.niche import load_niche

runner = CliRunner()


def test_version_and_help() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("linkscout ")
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and "init" in result.stdout


def test_init_writes_a_loadable_file_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "niche.toml"
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert load_niche(target).niche.name == "seo-for-saas"
    target.write_text("# mine\n" + target.read_text())
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {target} already exists; pass --force to overwrite it"
    assert target.read_text().startswith("# mine")
    assert runner.invoke(app, ["init", str(target), "--force"]).exit_code == 0
    assert not target.read_text().startswith("# mine")


def test_usage_error_exits_2() -> None:
    result = runner.invoke(app, ["init", "--no-such-flag"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["no-such-command"])
    assert result.exit_code == 2


def test_usage_errors_are_one_line_naming_the_help() -> None:
    result = runner.invoke(app, ["init", "--no-such-flag"])
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 2
    assert lines == ["Error: No such option: --no-such-flag (see 'linkscout init --help')"]


def test_no_arguments_prints_help() -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 0 and "Commands" in result.stdout
