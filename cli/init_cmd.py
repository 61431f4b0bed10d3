"""`linkscout init`: write a commented niche.toml to start from."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from linkscout.cli.common import handles_errors
from linkscout.cli.output_file import output_file
from linkscout.core.niche import NICHE_TEMPLATE


@handles_errors
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the niche file.")] = Path("niche.toml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented niche.toml describing your niche, quality bar and outreach rules.

    Example: linkscout init my-niche.toml
    """
    if str(path) != "-" and path.is_dir():
        path = path / "niche.toml"
    with output_file(path, force=force, option="PATH") as f:
        f.write(NICHE_TEMPLATE)
    if str(path) == "-":
        return
    typer.echo(
        f"Wrote {path}. Edit [niche] tags and keywords, then run: linkscout crawl --niche {path} "
        "--source live (medium.com, at least 4 s between requests) or --source DIR (pages you saved)",
        err=True,
    )
