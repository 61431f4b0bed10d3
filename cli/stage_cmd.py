"""`linkscout stage ...`: keep the books on each relationship (log, show, set, list)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

import typer

from linkscout.cli.common import (
    AsOfOpt,
    DbOpt,
    FormatOpt,
    NicheOpt,
    complete_handle,
    handles_errors,
    now_of,
    resolve,
)
from linkscout.cli.render import Format, dumps, render
from linkscout.outreach import stages
from linkscout.outreach.stages import EventType, TargetKind

app = typer.Typer(
    help="Log outreach events, see a relationship's timeline and stage, override or list stages.",
    no_args_is_help=True,
)

_LOGGABLE = {e.name: e.value for e in EventType if e not in (EventType.STAGE_SET, EventType.RETRACTED)}
LogEvent = StrEnum("LogEvent", _LOGGABLE)  # type: ignore[misc]
_STAGES = dict.fromkeys((*stages.AUTHOR_STAGES, *stages.PUBLICATION_STAGES, stages.DO_NOT_CONTACT))
Stage = StrEnum("Stage", {s: s for s in _STAGES})  # type: ignore[misc]

PubOpt = Annotated[
    bool, typer.Option("--publication", "-p", help="HANDLE is a publication slug, not an author.")
]
AtOpt = Annotated[
    str | None,
    typer.Option("--at", help="When it happened: YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC); default now."),
]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Free text kept with the event.")]
CreateOpt = Annotated[
    bool,
    typer.Option("--create", help="Track HANDLE even though no crawl has seen it (a typo guard otherwise)."),
]


def _kind(publication: bool) -> str:
    return TargetKind.PUBLICATION if publication else TargetKind.AUTHOR


def _who(kind: str, key: str) -> str:
    return f"@{key}" if kind == TargetKind.AUTHOR else key


def now_utc() -> datetime:
    """When an event is logged: the clock (an event may not lie in the real future); the views (`show`,
    `list`) use the one "today" instead."""
    return datetime.now(UTC).replace(microsecond=0)


@app.command("log")
@handles_errors
def log(
    handle: Annotated[
        str,
        typer.Argument(
            help="Author username (with or without @) or publication slug.", autocompletion=complete_handle
        ),
    ],
    event: Annotated[LogEvent, typer.Argument(help="What happened.", case_sensitive=False)],
    url: Annotated[
        str | None, typer.Option("--url", help="The post, comment or message it concerns.")
    ] = None,
    note: NoteOpt = None,
    at: AtOpt = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Log it even though an outreach rule refuses it; the override is recorded."
        ),
    ] = False,
    publication: PubOpt = False,
    create: CreateOpt = False,
    article: Annotated[
        str | None,
        typer.Option("--article", help="submitted/accepted/rejected/withdrawn: the draft's URL or slug."),
    ] = None,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """Append one event to a relationship's log; the niche file's outreach rules are enforced.

    A refused event prints why and the date it becomes allowed, and exits 1. An event with --at on
    an earlier day already happened: if it broke a spacing rule it is recorded, flagged as a rule
    break, and a warning says which. Events: followed, commented, replied, conversation, pitched,
    followed_up, promised, linked and mentioned (both need --url), declined, lost, do_not_contact; for
    publications guidelines_read, submitted (one pending publication per --article), accepted,
    rejected, withdrawn (with --publication). `stage undo` takes the last one back.

    Example: linkscout stage log @ann commented --url https://medium.com/@ann/post-1a2b3c4d5e6f
    """
    from linkscout.outreach.tracker import log_event
    from linkscout.store.db import open_db

    niche, path = resolve(niche_path, db_path)
    when = stages.parse_at(at) if at else None
    db = open_db(path, must_exist=True, write=True)
    kind = _kind(publication)
    out = log_event(
        db, niche.outreach, kind, handle, event.value, at=when, url=url, note=note, force=force, create=create,
        now=now_utc(), article=article,
    )  # fmt: skip
    ev = out.event
    typer.echo(
        f"Logged {ev.event} for {_who(kind, ev.target)} at {stages.iso(ev.at)}; stage: {out.stage}", err=True
    )
    if out.overridden:
        typer.echo(f"Forced past: {out.overridden[0]}", err=True)
    for warning in out.warnings:
        typer.echo(f"Warning: {warning}", err=True)


@app.command("undo")
@handles_errors
def undo_cmd(
    handle: Annotated[
        str, typer.Argument(help="Author username or publication slug.", autocompletion=complete_handle)
    ],
    publication: PubOpt = False,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """Take back the last event logged for HANDLE: a `retracted` event is appended (the log stays
    append-only) and the stage is derived again without it.

    Example: linkscout stage undo @ann
    """
    from linkscout.outreach.tracker import undo
    from linkscout.store.db import open_db

    niche, path = resolve(niche_path, db_path)
    db = open_db(path, must_exist=True, write=True)
    kind = _kind(publication)
    out = undo(db, niche.outreach, kind, handle, now=now_utc())
    typer.echo(
        f"Retracted for {_who(kind, out.event.target)}: {out.event.note}; stage: {out.stage}", err=True
    )


@app.command("set")
@handles_errors
def set_stage(
    handle: Annotated[
        str, typer.Argument(help="Author username or publication slug.", autocompletion=complete_handle)
    ],
    stage: Annotated[Stage, typer.Argument(help="The stage to set.", case_sensitive=False)],
    note: NoteOpt = None,
    at: AtOpt = None,
    publication: PubOpt = False,
    create: CreateOpt = False,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """Override the derived stage; the override is itself an event in the log (`stage_set`).

    Example: linkscout stage set @ann won --note "linked us in her newsletter"
    """
    from linkscout.outreach.tracker import log_event
    from linkscout.store.db import open_db

    niche, path = resolve(niche_path, db_path)
    when = stages.parse_at(at) if at else None
    db = open_db(path, must_exist=True, write=True)
    kind = _kind(publication)
    out = log_event(
        db, niche.outreach, kind, handle, EventType.STAGE_SET, at=when, note=note, create=create, now=now_utc(),
        stage=stage.value,
    )  # fmt: skip
    typer.echo(f"Stage of {_who(kind, out.event.target)} set to {out.stage}", err=True)


TIMELINE = ["at", "event", "url", "note", "forced", "rule_break", "retracted"]


@app.command("show")
@handles_errors
def show(
    handle: Annotated[
        str, typer.Argument(help="Author username or publication slug.", autocompletion=complete_handle)
    ],
    publication: PubOpt = False,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """A relationship's timeline, oldest first, and the stage it implies on the day --as-of (the
    niche's as_of, else today): follow-ups spent and overdue read as no response.

    Example: linkscout stage show @ann --format json
    """
    from linkscout.outreach.tracker import state_of
    from linkscout.store.db import open_db

    niche, path = resolve(niche_path, db_path)
    db = open_db(path, must_exist=True)
    st = state_of(db, niche.outreach, _kind(publication), handle, now=now_of(niche, as_of))
    gone = {e.retracts for e in st.events if e.retracts is not None}
    rows = [_event_row(e, e.id in gone) for e in st.events]
    if fmt is Format.json:
        obj = {
            "kind": st.target_kind,
            "handle": st.target,
            "name": st.name,
            "stage": st.stage,
            "events": rows,
        }
        typer.echo(dumps(obj))
        return
    title = (
        f"{_who(st.target_kind, st.target)}" + (f" ({st.name})" if st.name else "") + f" — stage: {st.stage}"
    )
    render(rows, fmt, columns=TIMELINE, title=title, wrap=["note"])
    if fmt is not Format.table:
        typer.echo(title, err=True)


def _event_row(e: stages.Event, retracted: bool) -> dict[str, Any]:
    return {
        "at": stages.iso(e.at), "event": e.event, "url": e.url, "note": e.note, "forced": e.forced,
        "rule_break": e.rule_break, "retracted": retracted, "article": e.article,
    }  # fmt: skip


LIST_COLUMNS = ["kind", "handle", "name", "stage", "last_event", "last_event_at", "last_contact", "events"]


@app.command("list")
@handles_errors
def list_stages(
    stage: Annotated[
        Stage | None,
        typer.Option("--stage", "-s", help="Only relationships at this stage.", case_sensitive=False),
    ] = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    niche_path: NicheOpt = None,
    db_path: DbOpt = None,
) -> None:
    """Every tracked relationship with its derived stage on the day --as-of (the niche's as_of, else
    today), most recently active first.

    Example: linkscout stage list --stage pitched --format csv
    """
    from linkscout.outreach.tracker import tracked
    from linkscout.store.db import open_db

    niche, path = resolve(niche_path, db_path)
    db = open_db(path, must_exist=True)
    states = tracked(db, niche.outreach, now=now_of(niche, as_of), stage=stage.value if stage else None)
    rows = [
        {
            "kind": s.target_kind,
            "handle": s.target,
            "name": s.name,
            "stage": s.stage,
            "last_event": s.last_event.event if s.last_event else None,
            "last_event_at": stages.iso(s.last_event.at) if s.last_event else None,
            "last_contact": stages.iso(s.summary.last_contact) if s.summary.last_contact else None,
            "events": len(s.events),
        }
        for s in states
    ]
    render(rows, fmt, columns=LIST_COLUMNS)
    if not rows and fmt is Format.table:
        typer.echo("Nothing tracked yet: start with `linkscout stage log HANDLE followed`.", err=True)
