"""`linkscout monitor`: look for links to your site on the posts of the people you pitched."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from linkscout.cli.common import DbOpt, FormatOpt, NicheOpt, handles_errors, resolve
from linkscout.cli.layout import plural
from linkscout.cli.render import Format, render

COLUMNS = ["kind", "handle", "page_url", "outcome", "link_url", "rel", "event", "detail"]


@handles_errors
def monitor_cmd(
    source: Annotated[
        str,
        typer.Option(
            "--source", help="fixtures (the bundled niche over loopback), live, or http://127.0.0.1:PORT."
        ),
    ] = "fixtures",
    handle: Annotated[str | None, typer.Option("--handle", help="Only this author or publication.")] = None,
    window_days: Annotated[
        int,
        typer.Option(
            "--window-days", min=0, help="Also check posts published this many days before the pitch."
        ),
    ] = 7,
    max_posts: Annotated[int, typer.Option("--max-posts", min=1, help="Most recent posts per target.")] = 20,
    fmt: FormatOpt = Format.table,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """Re-read the recent posts of pitched and won authors (and submitted or accepted publications).

    A body link to your site records `linked` with the post as evidence and the link's rel; naming
    the product without a link records `mentioned`; a link seen before and missing on 2 checks in a
    row records `lost`. A failed fetch (5xx, timeout) is not a miss. Every check lands in
    monitor_checks. Live mode waits at least 4 s between requests.

    Example: linkscout monitor --source live --format json
    """
    from linkscout.outreach.monitor import monitor
    from linkscout.store.db import open_db

    niche, path = resolve(niche_path, db_path)
    db = open_db(path, must_exist=True, write=True)
    # The seam: crawler/recheck.py reads pages (fetch + parse), outreach/monitor.py judges them.
    from linkscout.crawler.recheck import pages_for

    with pages_for(source, niche) as read:
        checks = monitor(
            db, niche, read, now=datetime.now(UTC).replace(microsecond=0), window_days=window_days,
            max_posts=max_posts, only=handle,
        )  # fmt: skip
    render([c.as_dict() for c in checks], fmt, columns=COLUMNS, title="Monitor checks", wrap=["detail"])
    events = [c for c in checks if c.event]
    found = sum(c.outcome == "found" for c in checks)
    failed = sum(c.outcome == "failed" for c in checks)
    typer.echo(
        f"{plural(len(checks), 'page')} checked: {found} with a link to {niche.niche.site}, {failed} failed; "
        f"{plural(len(events), 'event')} logged ({', '.join(f'{c.event} {c.target}' for c in events) or 'none'}).",
        err=True,
    )
