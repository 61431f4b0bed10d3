"""`linkscout browse`: the database in Datasette, internal tables hidden, views and canned queries shown."""

from __future__ import annotations

import json
import tempfile
from importlib.util import find_spec
from pathlib import Path
from typing import Annotated

import typer

from linkscout.cli.common import DbOpt, NicheOpt, handles_errors, resolve
from linkscout.core.errors import ConfigError


@handles_errors
def browse(
    port: Annotated[
        int, typer.Option("--port", "-p", min=0, max=65535, help="Port on 127.0.0.1 (0: any free one).")
    ] = 8001,
    no_open: Annotated[bool, typer.Option("--no-open", help="Do not open a browser tab.")] = False,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """Browse the database in Datasette (on this machine only, 127.0.0.1): authors_ranked,
    publications_ranked, competitor_links and outreach_board views, full-text search on post titles,
    canned queries (top authors, search posts, score history, backlink leads); the crawl's
    bookkeeping tables are hidden. Needs the optional extra: pip install 'linkscout[browse]'.
    Ctrl-C stops it.

    Example: linkscout browse --port 8001
    """
    from linkscout.store.browse import datasette_metadata
    from linkscout.store.db import open_db

    if find_spec("datasette") is None:
        raise ConfigError("linkscout browse needs Datasette: pip install 'linkscout[browse]'")
    _, path = resolve(niche_path, db_path)
    open_db(path, must_exist=True).conn.close()  # migrations applied: rankings, views and FTS exist
    with tempfile.TemporaryDirectory(prefix="linkscout-browse-") as tmp:
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(datasette_metadata(path.stem)), encoding="utf-8")
        argv = ["serve", str(path), "--metadata", str(meta), "--host", "127.0.0.1", "--port", str(port)]
        if not no_open:
            argv.append("--open")
        typer.echo(f"Datasette on http://127.0.0.1:{port}/{path.stem} (Ctrl-C stops it)", err=True)
        serve(argv)


def serve(argv: list[str]) -> None:
    """Datasette's own command line, in this process (so stopping linkscout stops Datasette)."""
    from datasette.cli import cli

    try:
        cli.main(args=argv, prog_name="datasette", standalone_mode=False)
    except SystemExit as e:
        if e.code not in (0, None):
            raise ConfigError(f"Datasette stopped with exit code {e.code}") from None
