"""The `linkscout` command: a thin root that registers one module per command."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from linkscout.cli import (
    browse_cmd,
    crawl_cmd,
    db_cmd,
    eval_cmd,
    export_cmd,
    graph_cmd,
    init_cmd,
    inspect_cmd,
    monitor_cmd,
    next_cmd,
    queue_cmd,
    rank_cmd,
    report_cmd,
    stage_cmd,
    stage_import_cmd,
    watch_cmd,
)
from linkscout.core.identity import package_version


class OneLineErrors(TyperGroup):
    """Usage errors (an unknown option, a bad choice, a missing argument) become one line on stderr,
    `Error: ... (see 'linkscout X --help')`, and exit 2, like every other error linkscout reports,
    instead of a usage block and a multi-line panel."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        if not standalone_mode:
            return super().main(*args, **kwargs)
        try:
            rv = super().main(*args, **kwargs)
        except Exception as e:  # Click's UsageError family, without importing Click here
            if not (hasattr(e, "format_message") and hasattr(e, "exit_code")):
                raise
            if type(e).__name__ == "NoArgsIsHelpError":  # `linkscout` alone: its message is the help
                print(e.format_message())
                sys.exit(0)
            ctx = getattr(e, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            message = " ".join(str(e.format_message()).replace("Value error, ", "").split())
            print(f"Error: {message}{hint}", file=sys.stderr)
            sys.exit(e.exit_code)
        sys.exit(rv if isinstance(rv, int) else 0)


app = typer.Typer(
    name="linkscout",
    cls=OneLineErrors,
    help="Find collaborators and backlink opportunities on Medium, rank them with evidence, "
    "and keep the books on a slow comment-then-pitch outreach. linkscout prepares; a person acts.",
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"linkscout {package_version()}")
        raise typer.Exit()


@app.callback()
def root(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """linkscout: research and bookkeeping for Medium outreach."""


app.command("init")(init_cmd.init)
app.command("crawl")(crawl_cmd.crawl)
app.command("inspect")(inspect_cmd.inspect)
app.command("rank")(rank_cmd.rank)
app.command("eval")(eval_cmd.eval_)
app.command("queue")(queue_cmd.queue)
app.command("export")(export_cmd.export)
app.command("graph")(graph_cmd.graph)
app.command("browse")(browse_cmd.browse)
app.command("next")(next_cmd.next_)
app.command("monitor")(monitor_cmd.monitor_cmd)
app.command("report")(report_cmd.report)
app.command("watch")(watch_cmd.watch)
stage_cmd.app.command("import")(stage_import_cmd.import_)
app.add_typer(stage_cmd.app, name="stage")
app.add_typer(db_cmd.app, name="db")


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # `linkscout queue | head`: the reader left; no traceback
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
