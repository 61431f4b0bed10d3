"""`linkscout watch`: record the new posts of the authors and publications you work with."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from linkscout.cli.common import DbOpt, FormatOpt, NicheOpt, handles_errors, now_of, resolve
from linkscout.cli.render import Format, render
from linkscout.outreach.stages import parse_at

COLUMNS = ["published", "kind", "handle", "title", "url", "published_at"]
_SKIP = frozenset({"do_not_contact", "declined", "no_response"})


def _ago(published_at: str | None, now: datetime) -> str | None:
    from linkscout.outreach.posts import age_text

    return f"published {age_text(parse_at(published_at), now)}" if published_at else None


@handles_errors
def watch(
    source: Annotated[
        str,
        typer.Option(
            "--source",
            help="live (polite, >= 4 s apart), fixtures, http://127.0.0.1:PORT, or a folder of saved pages.",
        ),
    ] = "live",
    fmt: FormatOpt = Format.table,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """Read the feed of every tracked author and publication (those with a relationship in the log,
    except do-not-contact, declined and no-response) and record the posts that are new, so `next`
    can suggest a comment inside the 48-hour window. Cron-friendly: `--format json` prints the new
    posts (an empty list when nothing is new) and the exit code is 0 either way.

    Example: linkscout watch --source ~/saved-medium-pages --format json
    """
    from linkscout.crawler.run import source_kind
    from linkscout.crawler.watch import feed_fetcher, watch_dir, watch_feeds
    from linkscout.outreach.tracker import tracked
    from linkscout.store.db import open_db

    niche, path = resolve(niche_path, db_path)
    db = open_db(path, must_exist=True)
    now = now_of(niche, None)  # the one "today" (the niche's as_of, else the clock), as `next` ages posts
    targets = [
        (s.target_kind, s.target) for s in tracked(db, niche.outreach, now=now) if s.stage not in _SKIP
    ]
    if source_kind(source) == "dir":
        result = watch_dir(db, targets, Path(source))
    else:
        with feed_fetcher(source, niche) as fetch:
            result = watch_feeds(db, targets, fetch)
    rows = [
        {"published": _ago(p.published_at, now), "kind": p.kind, "handle": p.handle, "title": p.title,
         "url": p.url, "published_at": p.published_at}
        for p in result.new
    ]  # fmt: skip
    render(rows, fmt, columns=COLUMNS, title="New posts")
    typer.echo(
        f"{len(targets)} tracked, {result.feeds} feeds read, {len(result.new)} new posts, "
        f"{len(result.failed)} failed"
        + (f" (first: {result.failed[0][0]}: {result.failed[0][1]})" if result.failed else ""),
        err=True,
    )
