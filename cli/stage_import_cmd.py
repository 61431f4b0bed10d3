"""`linkscout stage import FILE.csv`: outreach events from a sheet or a CRM, under `stage log`'s rules."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from linkscout.cli.common import DbOpt, NicheOpt, handles_errors, resolve


@handles_errors
def import_(
    file: Annotated[
        Path, typer.Argument(help="CSV with the columns handle, event, date, url, note (kind optional).")
    ],
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Log rows an outreach rule refuses, as `stage log --force` would; recorded."
        ),
    ] = False,
    create: Annotated[
        bool, typer.Option("--create", help="Track handles no crawl has seen (a typo guard otherwise).")
    ] = False,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """Import outreach events edited in a sheet or exported from a CRM. Each row goes through the same
    rules as `stage log`; a file with any refused row is reported with line numbers and nothing of it
    is applied. Rows already logged (same handle, event, date and url) are skipped, so importing the
    same file twice adds nothing. Dates: YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC).

    Example: linkscout stage import contacts.csv
    """
    from linkscout.outreach.stage_import import import_events
    from linkscout.store.db import open_db

    niche, path = resolve(niche_path, db_path)
    db = open_db(path, must_exist=True)
    now = datetime.now(UTC).replace(microsecond=0)
    result = import_events(db, niche.outreach, file, now=now, force=force, create=create)
    typer.echo(
        f"Imported {result.added} events from {file} ({result.skipped} already logged, {result.rows} rows)",
        err=True,
    )
