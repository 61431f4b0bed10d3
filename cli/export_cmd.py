"""`linkscout export`: the outreach spreadsheet (CSV by default), safe to open in Excel or Sheets."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from linkscout.cli.common import DbOpt, NicheOpt, handles_errors, resolve
from linkscout.outreach.export import write_export
from linkscout.outreach.queue import build_queue
from linkscout.outreach.stages import parse_day
from linkscout.store.db import open_db


class ExportKind(StrEnum):
    all = "all"
    authors = "authors"
    publications = "publications"
    links = "links"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


@handles_errors
def export(
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write (replaced atomically).")],
    kind: Annotated[
        ExportKind, typer.Option("--kind", "-k", help="Which queue(s) to export.")
    ] = ExportKind.all,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="File format.")] = ExportFormat.csv,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, help="Rows per queue (default: all).")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Today for recency (YYYY-MM-DD); default: niche as_of, else today."),
    ] = None,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """Write the outreach queues to a spreadsheet in a fixed column order.

    Columns: rank, kind, handle, name, profile_url, score, score_<component>..., rationale,
    suggested_post, suggested_post_url, stage, last_contact, next_action, due_date, utm_url,
    competitor, rel (see outreach/export.py). UTF-8; cells starting with = + - @ tab or CR are
    neutralised with a leading quote; newlines stay inside quoted cells. utm_url is your site tagged
    utm_source=medium&utm_medium=referral&utm_campaign=<niche name>, where a row suggests linking it.

    Example: linkscout export --out outreach.csv --kind authors --limit 50
    """
    niche, path = resolve(niche_path, db_path)
    when = parse_day(as_of) if as_of else None
    db = open_db(path, must_exist=True)
    kinds = ["authors", "publications", "links"] if kind is ExportKind.all else [kind.value]
    rows = [r for k in kinds for r in build_queue(db, niche, kind=k, as_of=when, limit=limit)]
    written = write_export(out, rows, niche, fmt=fmt.value)
    typer.echo(f"Wrote {len(rows)} rows to {written}", err=True)
