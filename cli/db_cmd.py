"""`linkscout db ...`: look after the database file itself (check it, back it up)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from linkscout.cli.common import DbOpt, NicheOpt, handles_errors, resolve
from linkscout.cli.output_file import staged_path
from linkscout.core.errors import StoreError

app = typer.Typer(
    help="Check the database's integrity and schema version, or back it up while it is in use.",
    no_args_is_help=True,
)


@app.command("check")
@handles_errors
def check(niche_path: NicheOpt = None, db_path: DbOpt = None) -> None:
    """Run SQLite's full integrity check and report the schema version; exit 1 when damaged.

    Example: linkscout db check --db linkscout.db
    """
    from linkscout.store.db import applied_migrations, integrity_problems, open_db
    from linkscout.store.schema import KNOWN_MIGRATIONS

    _, path = resolve(niche_path, db_path)
    db = open_db(path, must_exist=True, migrate=False)
    problems = integrity_problems(db)
    if problems:
        raise StoreError(
            f"{path} is damaged ({len(problems)} problem(s), first: {problems[0]}); restore a backup or "
            f'salvage it with: sqlite3 {path} ".recover" | sqlite3 recovered.db'
        )
    applied = applied_migrations(db)
    pending = len(KNOWN_MIGRATIONS - set(applied))
    state = "up to date" if not pending else f"{pending} migration(s) to apply on the next write"
    typer.echo(
        f"{path}: integrity ok; schema {applied[-1] if applied else 'empty'} "
        f"({len(applied)} of {len(KNOWN_MIGRATIONS)} migrations, {state})"
    )


@app.command("backup")
@handles_errors
def backup_cmd(
    out: Annotated[Path, typer.Argument(help="The backup file to write.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """Copy the database with SQLite's online backup API: consistent even while a crawl or another
    command is writing. Restore by passing the copy as --db (or copying it over the original).

    Example: linkscout db backup backups/linkscout-2026-12-03.db
    """
    from linkscout.store.db import backup, open_db

    _, path = resolve(niche_path, db_path)
    if str(out) == "-":
        raise typer.BadParameter("a backup needs a file, not stdout", param_hint="OUT")
    db = open_db(path, must_exist=True, migrate=False)
    if out.resolve() == path.resolve():
        raise StoreError(f"{out} is the database itself; pass another OUT")
    with staged_path(out, force=force, option="OUT") as tmp:
        backup(db, tmp)
    typer.echo(f"Backed up {path} to {out}", err=True)
