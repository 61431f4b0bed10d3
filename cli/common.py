"""What every command shares: the --niche/--db/--format options and turning errors into exits."""

from __future__ import annotations

import functools
import sqlite3
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer

from linkscout.cli.render import Format
from linkscout.core.dates import DateError, day_moment, parse_day, resolve_today
from linkscout.core.errors import LinkscoutError

if TYPE_CHECKING:
    from linkscout.core.niche import Niche

# Nothing here imports the store (sqlite_utils, and numpy through it) or anything heavier: every
# command module imports this one, and `linkscout CMD --help` must start as fast as typer does.
# Commands import what they run on inside their functions.

P = ParamSpec("P")
R = TypeVar("R")

NicheOpt = Annotated[
    Path | None,
    typer.Option(
        "--niche",
        envvar="LINKSCOUT_NICHE",
        help="niche.toml to use (default: $LINKSCOUT_NICHE, else ./niche.toml, else the bundled fixture niche).",
    ),
]
DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="LINKSCOUT_DB",
        help="SQLite database (default: $LINKSCOUT_DB, else the niche file's `db` key, else ./linkscout.db).",
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def _as_of(value: str) -> date:
    try:
        return parse_day(value, where="--as-of")
    except DateError as e:
        raise typer.BadParameter(str(e).removeprefix("--as-of ")) from None


AsOfOpt = Annotated[
    Any,  # a date; Typer takes its parser's word for the type
    typer.Option(
        "--as-of",
        parser=_as_of,
        metavar="YYYY-MM-DD",
        help="Today, for every date this command uses (default: the niche's as_of, else the clock's UTC day).",
    ),
]


def complete_handle(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for HANDLE: authors and publications in the database --db (or LINKSCOUT_DB,
    or the niche's) names; nothing when there is none."""
    from linkscout.store.names import handles_starting_with

    try:
        db = ctx.params.get("db_path")
        if db is None:
            _, db = resolve(ctx.params.get("niche_path"), None)
        return handles_starting_with(Path(db), incomplete)
    except Exception:  # completion never prints an error into the user's prompt
        return []


def today(niche: Niche, as_of: date | None) -> date:
    """The one "today": --as-of, else the niche file's as_of, else the clock (core/dates.py)."""
    return resolve_today(as_of, niche.niche.as_of)


def now_of(niche: Niche, as_of: date | None) -> datetime:
    """The instant that "today" stands for (the clock's time on the clock's day, else the day's end)."""
    return day_moment(today(niche, as_of))


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
            from linkscout.store.db import last_opened, sqlite_problem

            error(str(sqlite_problem(last_opened() or Path("the database"), e)))
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            print("Interrupted.", file=sys.stderr)
            raise typer.Exit(130) from None

    return wrapper


def resolve(niche_path: Path | None, db_path: Path | None) -> tuple[Niche, Path]:
    from linkscout.core.niche import load_niche

    niche = load_niche(niche_path)
    return niche, (db_path.resolve() if db_path else niche.db_path())
