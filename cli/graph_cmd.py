"""`linkscout graph`: the niche as a GEXF or GraphML file for Gephi (or networkx, yEd, Cytoscape)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from linkscout.cli.common import AsOfOpt, DbOpt, NicheOpt, handles_errors, resolve
from linkscout.core.errors import LinkscoutError
from linkscout.store.db import open_db


class OutputExists(LinkscoutError):
    """The file named by --out exists and --force was not given."""


class GraphFormat(StrEnum):
    gexf = "gexf"
    graphml = "graphml"


@handles_errors
def graph(
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write (GEXF or GraphML XML).")],
    fmt: Annotated[
        GraphFormat | None,
        typer.Option("--format", "-f", help="gexf or graphml (default: from the --out suffix, else gexf)."),
    ] = None,
    as_of: AsOfOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """Write the niche graph for Gephi: authors, publications, tags, posts and competitor domains as
    nodes with label (the name), kind, score, followers and niche_posts; typed, weighted edges
    (wrote, published_in, tagged, links_to_competitor). In Gephi: File > Open, then size nodes by
    score and colour them by kind.

    Example: linkscout graph --format gexf --out niche.gexf
    """
    from linkscout.graph.gephi import graph_text, niche_graph

    chosen = (
        fmt.value
        if fmt
        else (out.suffix.lstrip(".").lower() if out.suffix.lower() in (".gexf", ".graphml") else "gexf")
    )
    niche, path = resolve(niche_path, db_path)
    db = open_db(path, must_exist=True)
    G = niche_graph(db, niche, as_of)
    text = graph_text(G, chosen)
    if out.exists() and not force:
        raise OutputExists(f"{out} already exists; pass --force to overwrite it")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")  # moves to cli/output_file.py (safe writes) once it lands
    typer.echo(
        f"Wrote {G.number_of_nodes()} nodes and {G.number_of_edges()} edges ({chosen}) to {out}", err=True
    )
