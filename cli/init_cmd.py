"""`linkscout init`: write a commented niche.toml to start from."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from linkscout.cli.common import handles_errors
from linkscout.core.errors import ConfigError
from linkscout.core.niche import NICHE_TEMPLATE


@handles_errors
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the niche file.")] = Path("niche.toml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented niche.toml describing your niche, quality bar and outreach rules.

    Example: linkscout init my-niche.toml
    """
    if path.is_dir():
        path = path / "niche.toml"
    if path.exists() and not force:
        raise ConfigError(f"{path} already exists; pass --force to overwrite it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(NICHE_TEMPLATE, encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"cannot write {path}: {e.strerror}") from e
    typer.echo(
        f"Wrote {path}. Edit [niche] tags and keywords, then run: linkscout crawl --niche {path}", err=True
    )
