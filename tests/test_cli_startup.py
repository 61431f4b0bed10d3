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


def test_every_commands_help_imports_no_heavy_module() -> None:
    """`linkscout CMD --help` (and each `stage`/`db` subcommand's) builds its options without the
    store, the graph or the crawler, and without pydantic (typer coerces unset options through it)."""
    helps = [[name, "--help"] for name in main.COMMANDS]
    helps += [["stage", sub, "--help"] for sub in ("log", "undo", "set", "show", "list", "import")]
    helps += [["db", sub, "--help"] for sub in ("check", "backup")]
    code = (
        "import sys\nfrom linkscout.cli.main import main\n"
        f"for argv in {helps!r}:\n"
        "    sys.argv = ['linkscout', *argv]\n"
        "    try:\n        main()\n    except SystemExit as e:\n        assert e.code in (0, None), (argv, e.code)\n"
        f"    print(argv, sorted({{m.split('.')[0] for m in sys.modules}} & set({(*HEAVY, 'pydantic')!r})),"
        " file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == len(helps) and all(line.endswith(" []") for line in lines), proc.stderr
    assert proc.stdout.count("Usage: ") == len(helps)


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
