"""`linkscout report`: the niche as one self-contained HTML page to look at, print or send."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from linkscout.cli.common import AsOfOpt, DbOpt, NicheOpt, handles_errors, resolve
from linkscout.cli.output_file import output_file, resolve_target


@handles_errors
def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write ('-': stdout).")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    as_of: AsOfOpt = None,
    date_: Annotated[
        str | None,
        typer.Option(
            "--date", "-d", help="The day the outreach board shows as due; default the --as-of day."
        ),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", "-n", min=1, help="Authors and publications shown as cards.")
    ] = 10,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """Write a one-file HTML report of the niche: what was crawled and when, the top authors and
    publications with every evidence sentence and links to their posts, a map of the niche (authors,
    publications and tags sized by score), niche posts per week over the last year, competitor link
    leads and the outreach board (prospects per stage, who is due).

    Styles and drawings are inline and the page fetches nothing, so it works offline, as an email
    attachment, and prints to PDF from the browser. The file is written beside its target and
    renamed into place; an existing file needs --force.

    Example: linkscout report --out report.html
    """
    from linkscout.outreach.report_data import build_report
    from linkscout.outreach.report_html import render_html
    from linkscout.outreach.stages import parse_day
    from linkscout.store.db import open_db

    if str(out) != "-":
        resolve_target(out, force=force)  # refuse a folder, a device or an existing file before any work
    niche, path = resolve(niche_path, db_path)
    db = open_db(path, must_exist=True)
    data = build_report(
        db,
        niche,
        as_of=as_of,
        on=parse_day(date_) if date_ else None,
        top=top,
    )
    with output_file(out, force=force) as f:
        f.write(render_html(data))
    typer.echo(
        f"Wrote {'stdout' if str(out) == '-' else out}: {len(data.authors)} authors, {len(data.publications)} publications, "
        f"{len(data.map.nodes)} map nodes, {sum(w.posts for w in data.weeks)} niche posts in {len(data.weeks)} weeks",
        err=True,
    )
