"""`linkscout report`: the niche as one self-contained HTML page to look at, print or send."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from linkscout.cli.common import DbOpt, NicheOpt, handles_errors, resolve
from linkscout.core.errors import LinkscoutError
from linkscout.outreach.report_data import build_report
from linkscout.outreach.report_html import render_html
from linkscout.outreach.stages import parse_day
from linkscout.store.db import open_db


@handles_errors
def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write (replaced atomically).")],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Rank as of this day (YYYY-MM-DD); default: the niche's as_of, else today."
        ),
    ] = None,
    date_: Annotated[
        str | None,
        typer.Option("--date", "-d", help="The day the outreach board shows as due; default today."),
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
    attachment, and prints to PDF from the browser.

    Example: linkscout report --out report.html
    """
    niche, path = resolve(niche_path, db_path)
    db = open_db(path, must_exist=True)
    data = build_report(
        db,
        niche,
        as_of=parse_day(as_of) if as_of else None,
        on=parse_day(date_) if date_ else None,
        top=top,
    )
    written = write_text(out, render_html(data))
    typer.echo(
        f"Wrote {written}: {len(data.authors)} authors, {len(data.publications)} publications, "
        f"{len(data.map.nodes)} map nodes, {sum(w.posts for w in data.weeks)} niche posts in {len(data.weeks)} weeks",
        err=True,
    )


def write_text(path: Path, text: str) -> Path:
    """Write `text` to `path` atomically (a temporary file, then a rename); one-line errors."""
    if path.is_dir():
        raise LinkscoutError(f"{path} is a folder; pass --out FILE")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise LinkscoutError(f"cannot write {path}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path
