"""`linkscout next`: today's outreach agenda."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from linkscout.cli.common import DbOpt, FormatOpt, NicheOpt, handles_errors, resolve
from linkscout.cli.render import Format, render
from linkscout.outreach.agenda import agenda
from linkscout.outreach.stages import parse_day
from linkscout.store.db import open_db

COLUMNS = [
    "priority",
    "due",
    "overdue_days",
    "action",
    "kind",
    "handle",
    "name",
    "stage",
    "detail",
    "post_url",
]


@handles_errors
def next_(
    date_: Annotated[
        str | None, typer.Option("--date", "-d", help="The day to plan (YYYY-MM-DD); default today.")
    ] = None,
    fmt: FormatOpt = Format.table,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """What is due today: pitches (enough spaced comments and a reply), follow-ups (counted from the
    last logged contact, stopped by any reply), submissions to chase, and comments with the post to
    comment on; ordered by priority, then the oldest due date.

    Example: linkscout next --date 2024-06-30
    """
    niche, path = resolve(niche_path, db_path)
    day = parse_day(date_) if date_ else datetime.now(UTC).date()
    db = open_db(path, must_exist=True)
    items = agenda(db, niche, on=day)
    render([i.as_dict(day) for i in items], fmt, columns=COLUMNS, title=f"Agenda for {day}", wrap=["detail"])
    if not items and fmt is Format.table:
        typer.echo(f"Nothing due on {day}. `linkscout queue` lists whom to start with.", err=True)
