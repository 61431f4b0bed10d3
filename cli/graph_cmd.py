"""`linkscout graph`: the niche as a GEXF or GraphML file for Gephi (or networkx, yEd, Cytoscape)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from linkscout.cli.common import AsOfOpt, DbOpt, NicheOpt, handles_errors, resolve
from linkscout.cli.output_file import output_file, resolve_target


class GraphFormat(StrEnum):
    gexf = "gexf"
    graphml = "graphml"


@handles_errors
def graph(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="File to write (GEXF or GraphML XML; '-': stdout).")
    ],
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
    from linkscout.store.db import open_db

    chosen = (
        fmt.value
        if fmt
        else (out.suffix.lstrip(".").lower() if out.suffix.lower() in (".gexf", ".graphml") else "gexf")
    )
    if str(out) != "-":
        resolve_target(out, force=force)  # refuse a device, a folder or an existing file before any work
    niche, path = resolve(niche_path, db_path)
    db = open_db(path, must_exist=True)
    G = niche_graph(db, niche, as_of)
    text = graph_text(G, chosen)
    with output_file(out, force=force) as f:
        f.write(text)
    typer.echo(
        f"Wrote {G.number_of_nodes()} nodes and {G.number_of_edges()} edges ({chosen}) to {out}", err=True
    )
