"""`linkscout queue`: whom to approach next, each with one concrete next step."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from linkscout.cli.common import AsOfOpt, DbOpt, FormatOpt, NicheOpt, handles_errors, resolve
from linkscout.cli.render import Format, render, render_cards


class QueueKind(StrEnum):
    authors = "authors"
    publications = "publications"
    links = "links"


@handles_errors
def queue(
    kind: Annotated[QueueKind, typer.Option("--kind", "-k", help="Which queue.")] = QueueKind.authors,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many rows.")] = 20,
    as_of: AsOfOpt = None,
    show_excluded: Annotated[
        bool,
        typer.Option("--show-excluded", help="List the ranked entries left out of the queue, each with why."),
    ] = False,
    fmt: FormatOpt = Format.table,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """The ranked outreach queue: entries that clear the niche's quality bar, minus do-not-contact,
    won and recently contacted ones, each with its stage and a concrete next step.

    authors: the niche post to comment on when one is under 48 h old, else that the window has passed
    and their next post is the moment (the same rule and due days as `linkscout next`);
    publications: where the submission guidelines are; links: which post links to which
    competitor and how (nofollow, ugc). linkscout prepares; you comment, pitch and submit.

    Example: linkscout queue --kind authors --limit 10 --format csv
    """
    from linkscout.outreach.prospect import ProspectContext, column_names, prospect_rows
    from linkscout.outreach.queue import as_of_datetime, build_queue, excluded_entries
    from linkscout.outreach.rankings import remember
    from linkscout.store.db import open_db

    niche, path = resolve(niche_path, db_path)
    when = as_of
    db = open_db(path, must_exist=True)
    if show_excluded:
        out = excluded_entries(db, niche, kind="publications" if kind is QueueKind.publications else "authors",
                               as_of=when)  # fmt: skip
        render([x.as_dict() for x in out], fmt, columns=["rank", "handle", "name", "status", "reason"],
               title="Not in the queue", wrap=["reason"])  # fmt: skip
        return
    rows = build_queue(db, niche, kind=kind.value, as_of=when, limit=limit)
    remember(db, niche, rows, as_of_datetime(niche, when).date())
    ctx = ProspectContext.load(db, niche, when, handles={r.handle for r in rows})  # the shown rows only
    prospects = prospect_rows(kind.value, rows, ctx, fmt=fmt.value)
    if fmt is Format.table:
        # Every URL the machine formats hold is on the card too: contact routes included.
        cards = [
            {**r.as_dict(), "reasons": r.reasons, "score": round(r.score or 0.0, 3),
             "due": r.due.isoformat() if r.due else "when their next niche post appears",
             "utm_url": ctx.utm if r.links_site else None, "link": r.link_url,
             "contact": [p[k] for k in ("website", "twitter_url") if p.get(k)]}
            for r, p in zip(rows, prospects, strict=True)
        ]  # fmt: skip
        render_cards(
            cards,
            heading=["rank", "handle", "name", "score", "stage", "url"],
            sections=[
                ("Why", "reasons"),
                ("Next", "next_step"),
                ("Due", "due"),
                ("Contact", "contact"),
                ("Links to", "link"),
                ("Your link", "utm_url"),
            ],  # fmt: skip
            title=f"{kind.value} queue",
        )
    else:
        render(prospects, fmt, columns=column_names(kind.value))
    if not rows and fmt is Format.table:
        typer.echo(
            "The queue is empty: crawl more of the niche, or loosen the quality section of niche.toml.",
            err=True,
        )
