"""`linkscout export`: the outreach spreadsheet (CSV by default), safe to open in Excel or Sheets."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from linkscout.cli.common import AsOfOpt, DbOpt, NicheOpt, handles_errors, resolve
from linkscout.cli.layout import plural
from linkscout.cli.output_file import output_file, resolve_target
from linkscout.cli.render import FILE_FORMATS, Format, write_rows
from linkscout.outreach.export import export_rows
from linkscout.outreach.queue import build_queue
from linkscout.store.db import open_db


class ExportKind(StrEnum):
    all = "all"
    authors = "authors"
    publications = "publications"
    links = "links"


@handles_errors
def export(
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="File to write ('-': stdout); written beside itself and renamed into place."
        ),
    ],
    kind: Annotated[
        ExportKind, typer.Option("--kind", "-k", help="Which queue(s) to export.")
    ] = ExportKind.all,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="File format: csv, json or jsonl.")
    ] = Format.csv,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, help="Rows per queue (default: all).")
    ] = None,
    as_of: AsOfOpt = None,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """Write the outreach queues to a spreadsheet in a fixed column order.

    Columns: rank, kind, handle, name, profile_url, score, score_<component>..., rationale,
    suggested_post, suggested_post_url, stage, last_contact, next_action, due_date, utm_url,
    competitor, rel (see outreach/export.py). UTF-8; cells starting with = + - @ tab or CR are
    neutralised with a leading quote; newlines stay inside quoted cells. utm_url is your site tagged
    utm_source=medium&utm_medium=referral&utm_campaign=<niche name>, where a row suggests linking it.

    The file is written beside its target and renamed into place; an existing file needs --force
    (its permissions are kept), a symlink's target is written, and '-' writes to stdout.

    Example: linkscout export --out outreach.csv --kind authors --limit 50
    """
    if fmt not in FILE_FORMATS:
        raise typer.BadParameter("export writes csv, json or jsonl", param_hint="--format")
    if str(out) != "-":
        resolve_target(out, force=force)  # refuse a device, a folder or an existing file before any work
    niche, path = resolve(niche_path, db_path)
    when = as_of
    db = open_db(path, must_exist=True)
    kinds = ["authors", "publications", "links"] if kind is ExportKind.all else [kind.value]
    rows = [r for k in kinds for r in build_queue(db, niche, kind=k, as_of=when, limit=limit)]
    cols, data = export_rows(rows, niche)
    with output_file(out, force=force) as f:
        write_rows(f, data, fmt, columns=cols)
    typer.echo(f"Wrote {plural(len(rows), 'row')} to {'stdout' if str(out) == '-' else out}", err=True)
