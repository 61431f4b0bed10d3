"""What every command shares: the --niche/--db/--format options and turning errors into exits."""

from __future__ import annotations

import functools
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from linkscout.cli.render import Format
from linkscout.core.errors import LinkscoutError
from linkscout.core.niche import Niche, load_niche
from linkscout.store.db import last_opened, sqlite_problem

P = ParamSpec("P")
R = TypeVar("R")

NicheOpt = Annotated[
    Path | None,
    typer.Option(
        "--niche", help="niche.toml to use (default: ./niche.toml, else the bundled fixture niche)."
    ),
]
DbOpt = Annotated[
    Path | None,
    typer.Option("--db", help="SQLite database (default: the niche file's `db` key, else ./linkscout.db)."),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def error(message: str) -> None:
    """One line on stderr, the way every failure is reported."""
    print(f"Error: {message}", file=sys.stderr)


def handles_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """A LinkscoutError becomes `Error: ...` on stderr and exit 1; so does an SQLite error met after the
    database was opened (a damaged page, a lock), naming the file; Ctrl-C exits 130 quietly."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except LinkscoutError as e:
            error(str(e))
            raise typer.Exit(1) from None
        except sqlite3.Error as e:
            error(str(sqlite_problem(last_opened() or Path("the database"), e)))
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            print("Interrupted.", file=sys.stderr)
            raise typer.Exit(130) from None

    return wrapper


def resolve(niche_path: Path | None, db_path: Path | None) -> tuple[Niche, Path]:
    niche = load_niche(niche_path)
    return niche, (db_path.resolve() if db_path else niche.db_path())
