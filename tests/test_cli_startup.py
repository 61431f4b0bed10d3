"""`linkscout --help` starts without the heavy libraries, and lists the commands as they describe
themselves (cli/main.py keeps their short help so it need not import them)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main
from typer._click.utils import make_default_short_help

from linkscout.cli import main

HEAVY = ("scrapy", "twisted", "numpy", "scipy", "networkx", "rich", "sqlite_utils", "selectolax", "httpx")


def test_help_imports_no_heavy_module() -> None:
    code = (
        "import sys\nfrom linkscout.cli.main import main\nsys.argv = ['linkscout', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})), file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "Commands:" in proc.stdout and "rank" in proc.stdout
    assert proc.stderr.strip() == "[]", proc.stderr


@pytest.mark.parametrize("name", list(main.COMMANDS))
def test_short_help_matches_the_command(name: str) -> None:
    real = main.load_command(name)
    assert real.name == name
    if isinstance(real, typer.core.TyperGroup):
        assert real.commands  # a group of subcommands (stage, db)
    for limit in range(10, 81):  # help lines are at most 78 wide (Click's max_width 80, minus 2)
        assert make_default_short_help(main.SHORT_HELP[name], limit) == real.get_short_help_str(limit), limit


def test_every_command_runs_its_own_help() -> None:
    from typer.testing import CliRunner

    for name in main.COMMANDS:
        r = CliRunner().invoke(main.app, [name, "--help"])
        assert r.exit_code == 0 and "Usage: " in r.stdout, (name, r.output)
    assert "import" in CliRunner().invoke(main.app, ["stage", "--help"]).stdout
