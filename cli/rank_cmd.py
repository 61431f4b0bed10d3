"""`linkscout rank`: whom to build a relationship with, where to submit, which tags to add."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from linkscout.cli.common import AsOfOpt, DbOpt, FormatOpt, NicheOpt, handles_errors, resolve
from linkscout.cli.render import Format, render, render_cards


class RankKind(StrEnum):
    authors = "authors"
    publications = "publications"
    tags = "tags"


COMPONENT_COLUMNS = {
    "authors": ["relevance", "engagement", "consistency", "followers", "backlinks"],
    "publications": ["relevance", "niche_share", "activity", "engagement", "submission"],
    "tags": ["relevance", "niche_share"],
}


@handles_errors
def rank(
    kind: Annotated[RankKind, typer.Option("--kind", "-k", help="What to rank.")] = RankKind.authors,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many entries to show.")] = 20,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """Rank authors, publications or tags for the niche, each with the evidence behind it.

    Scores mix topical relevance (personalised PageRank from the niche's tags and keyword-matching
    posts), engagement medians, consistency, followers (weak, capped) and backlink leads, minus
    penalties for one-hit wonders, off-niche accounts and inactivity; weights live in niche.toml
    [weights]. --kind tags suggests tags to add to the niche.

    Example: linkscout rank --kind publications --limit 10 --as-of 2024-06-30 --format json
    """
    from linkscout.graph.rank import rank as rank_entries
    from linkscout.graph.rank import resolve_as_of
    from linkscout.outreach.rankings import remember
    from linkscout.store.db import open_db

    niche, path = resolve(niche_path, db_path)
    when = as_of
    db = open_db(path, must_exist=True)
    entries = rank_entries(db, niche, kind=kind.value, as_of=when, limit=limit)
    remember(db, niche, entries, resolve_as_of(when, niche))
    if fmt is Format.table:
        comps = COMPONENT_COLUMNS[kind.value]
        cards = [
            {"rank": e.rank, "key": e.key, "name": e.name, "score": round(e.score, 3), "url": e.url,
             "components": ", ".join(f"{c} {e.components[c]:.2f}" for c in comps if c in e.components),
             "why": list(e.rationale)}
            for e in entries
        ]  # fmt: skip
        render_cards(
            cards,
            heading=["rank", "key", "name", "score", "url"],
            sections=[("Components", "components"), ("Why", "why")],
            title=f"{kind.value} ranking",
        )
        if not entries:
            typer.echo("No niche entries in this database yet: run `linkscout crawl` first.", err=True)
        return
    if kind is RankKind.tags:
        if fmt is Format.csv:
            flat = [
                {"rank": e.rank, "kind": e.kind, "key": e.key, "name": e.name, "url": e.url, "score": round(e.score, 6),
                 **{f"c_{k}": round(v, 6) for k, v in e.components.items()}, "rationale": " ".join(e.rationale)}
                for e in entries
            ]  # fmt: skip
            render(flat, fmt)
            return
        rows = [e.to_dict() for e in entries]
        render(rows, fmt, columns=["rank", "kind", "key", "name", "url", "score", "components", "rationale",
                                   "evidence", "facts"])  # fmt: skip
        return
    # Authors and publications are prospects: the same columns as `queue` and `export`, for every
    # ranked entry (json and jsonl add the structured evidence and facts behind the rationale).
    from linkscout.outreach.prospect import ProspectContext, column_names, prospect_rows
    from linkscout.outreach.queue import build_queue

    by_key = {e.key: e for e in entries}
    queue_rows = build_queue(
        db, niche, kind=kind.value, as_of=when, limit=limit, keep="ranked",
        rank_fn=lambda *a, **k: entries,
    )  # fmt: skip
    rows = prospect_rows(
        kind.value,
        queue_rows,
        ProspectContext.load(db, niche, when, handles={r.handle for r in queue_rows}),
        fmt=fmt.value,
    )
    cols = column_names(kind.value)
    if fmt is not Format.csv:
        key = cols[1]
        for r in rows:
            e = by_key[r[key]]
            r["evidence"] = e.evidence.to_dict()
            r["facts"] = e.to_dict()["facts"]
        cols = [*cols, "evidence", "facts"]
    render(rows, fmt, columns=cols)
