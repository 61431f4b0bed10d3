"""`linkscout export`: CRM-ready files, one row per prospect, one file per kind."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from linkscout.cli.common import AsOfOpt, DbOpt, NicheOpt, handles_errors, resolve
from linkscout.cli.layout import plural
from linkscout.cli.output_file import output_file, resolve_target
from linkscout.cli.render import FILE_FORMATS, Format, write_rows


class ExportKind(StrEnum):
    authors = "authors"
    publications = "publications"
    links = "links"


class Preset(StrEnum):
    hubspot = "hubspot"
    buzzstream = "buzzstream"


@handles_errors
def export(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="File for one --kind ('-': stdout); written beside itself and renamed into place.",
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out-dir", help="Folder to write all three kinds to: authors, publications, links."),
    ] = None,
    kind: Annotated[
        ExportKind, typer.Option("--kind", "-k", help="Which prospects --out writes.")
    ] = ExportKind.authors,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="File format: csv, json or jsonl.")
    ] = Format.csv,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, help="Rows per kind (default: all).")
    ] = None,
    as_of: AsOfOpt = None,
    everyone: Annotated[
        bool,
        typer.Option(
            "--all", help="Keep contacted, won, declined and do-not-contact prospects, with their stage."
        ),
    ] = False,
    bom: Annotated[bool, typer.Option("--bom", help="Start CSV files with a UTF-8 BOM (for Excel).")] = False,
    preset: Annotated[
        Preset | None,
        typer.Option("--preset", help="Rename columns to a CRM's import fields: hubspot or buzzstream."),
    ] = None,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """Write prospects for a CRM or a spreadsheet: one row per author, publication or link lead, in
    the columns `rank` and `queue` print (the README lists each with its meaning and an example):
    contact details (first/last name when sure, website from the bio, Twitter/X), followers, niche
    posts in 90 days, score, a short reason and the full rationale, stage, last contact and due dates
    as YYYY-MM-DD, the post to comment on and your UTM-tagged link. By default only prospects the
    queue would show; --all keeps everyone you have contacted, so the file can be edited and read
    back with `stage import`. Cells starting with = + - @ tab or CR are neutralised with a quote.
    Files are written beside themselves and renamed into place; an existing file needs --force.

    Example: linkscout export --out-dir crm/ --all --bom --preset hubspot
    """
    from linkscout.outreach.export import export_rows
    from linkscout.outreach.prospect import ProspectContext
    from linkscout.outreach.queue import build_queue
    from linkscout.store.db import open_db

    if fmt not in FILE_FORMATS:
        raise typer.BadParameter("export writes csv, json or jsonl", param_hint="--format")
    if (out is None) == (out_dir is None):
        raise typer.BadParameter("pass either --out FILE (one --kind) or --out-dir DIR (all three kinds)")
    kinds = [kind] if out is not None else list(ExportKind)
    targets = {
        k: out if out is not None else (out_dir or Path(".")) / f"{k.value}.{fmt.value}" for k in kinds
    }
    for target in targets.values():
        if str(target) != "-":
            resolve_target(
                target, force=force
            )  # refuse a device, a folder or an existing file before any work
    niche, path = resolve(niche_path, db_path)
    when = as_of
    db = open_db(path, must_exist=True)
    for k, target in targets.items():
        rows = build_queue(
            db, niche, kind=k.value, as_of=when, limit=limit, keep="tracked" if everyone else "queue"
        )
        ctx = ProspectContext.load(db, niche, when, handles={r.handle for r in rows})
        cols, data = export_rows(k.value, rows, ctx, fmt=fmt.value, preset=preset.value if preset else None)
        with output_file(target, force=force) as f:
            if bom and fmt is Format.csv:
                f.write("\ufeff")
            write_rows(f, data, fmt, columns=cols)
        where = "stdout" if str(target) == "-" else target
        typer.echo(f"Wrote {plural(len(data), k.value[:-1])} to {where}", err=True)
