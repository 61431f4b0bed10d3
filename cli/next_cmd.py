"""`linkscout next`: today's outreach agenda."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from linkscout.cli.common import AsOfOpt, DbOpt, FormatOpt, NicheOpt, handles_errors, resolve, today
from linkscout.cli.layout import plural
from linkscout.cli.render import Format, render, render_cards

if TYPE_CHECKING:
    from linkscout.outreach.agenda import AgendaItem

COLUMNS = [
    "published",
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
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """What is due today: pitches (enough spaced comments and a reply), follow-ups (counted from the
    last logged contact, stopped by any reply), submissions to chase, and comments on a post published
    less than 48 h ago (or that the window has passed); the top of `linkscout queue` joins in where
    its step is due today. Ordered by priority, then the oldest due date.

    Example: linkscout next --as-of 2024-06-30
    """
    from linkscout.outreach.agenda import todays_agenda
    from linkscout.store.db import open_db

    niche, path = resolve(niche_path, db_path)
    day = today(niche, as_of)
    db = open_db(path, must_exist=True)
    items = todays_agenda(db, niche, on=day)  # the log's items and the top of the queue due today
    if fmt is Format.table:
        print_agenda(items, day)
    else:
        render([i.as_dict(day) for i in items], fmt, columns=COLUMNS)
    if not items and fmt is Format.table:
        typer.echo(f"Nothing due on {day}. `linkscout queue` lists whom to start with.", err=True)


def print_agenda(items: Sequence[AgendaItem], day: date) -> None:
    """The agenda as people read it: one card per item, what to do first, the post's URL on its own line."""
    rows = [i.as_dict(day) for i in items]
    render_cards([_card(n, r) for n, r in enumerate(rows, 1)], heading=["n", "action", "who", "name", "stage"],
                 sections=[("Do", "detail"), ("Post", "post_url"), ("Due", "when")],
                 title=f"Agenda for {day}")  # fmt: skip


def _card(n: int, r: dict[str, Any]) -> dict[str, Any]:
    """An agenda item as a card: what to do first, then the post (its URL on its own line)."""
    late = r.get("overdue_days") or 0
    who = ("@" if r.get("kind") == "author" else "") + str(r.get("handle"))
    when = str(r.get("due")) + (f" ({plural(late, 'day')} overdue)" if late else "")
    return {**r, "n": f"{n}.", "action": str(r.get("action", "")).replace("_", " "), "who": who, "when": when}
