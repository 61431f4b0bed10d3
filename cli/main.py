"""The `linkscout` command: a thin root that registers one module per command."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

# Commands are imported when they run, not when the CLI starts: `linkscout --help` lists them from
# the first words of their help (SHORT_HELP, kept equal to the docstrings by test_cli_conventions)
# without loading Scrapy, numpy, scipy or the store. Each entry: the module in linkscout.cli and the
# function (or Typer app, for command groups) it registers, in the order `--help` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init_cmd", "init"),
    "crawl": ("crawl_cmd", "crawl"),
    "inspect": ("inspect_cmd", "inspect"),
    "rank": ("rank_cmd", "rank"),
    "eval": ("eval_cmd", "eval_"),
    "queue": ("queue_cmd", "queue"),
    "export": ("export_cmd", "export"),
    "graph": ("graph_cmd", "graph"),
    "browse": ("browse_cmd", "browse"),
    "next": ("next_cmd", "next_"),
    "monitor": ("monitor_cmd", "monitor_cmd"),
    "report": ("report_cmd", "report"),
    "watch": ("watch_cmd", "watch"),
    "stage": ("stage_cmd", "app"),
    "db": ("db_cmd", "app"),
}
SHORT_HELP: dict[str, str] = {
    "init": "Write a commented niche.toml describing your niche, quality bar and outreach rules.",
    "crawl": "Crawl the niche's tags and publications into the database, best-first within a page budget.",
    "inspect": "Parse one saved file (or fetch one URL, politely) and print every post, author, publication,",
    "rank": "Rank authors, publications or tags for the niche, each with the evidence behind it.",
    "eval": "Score the ranking against a truth file: nDCG@10 and precision@10 for authors and publications,",
    "queue": "The ranked outreach queue: entries that clear the niche's quality bar, minus do-not-contact,",
    "export": "Write prospects for a CRM or a spreadsheet: one row per author, publication or link lead, in",
    "graph": "Write the niche graph for Gephi: authors, publications, tags, posts and competitor domains as",
    "browse": "Browse the database in Datasette (on this machine only, 127.0.0.1): authors_ranked, publications_ranked,",
    "next": "What is due today: pitches (enough spaced comments and a reply), follow-ups (counted from the",
    "monitor": "Re-read the recent posts of pitched and won authors (and submitted or accepted publications).",
    "report": "Write a one-file HTML report of the niche: what was crawled and when, the top authors and publications",
    "watch": "Read the feed of every tracked author and publication (those with a relationship in the log,",
    "stage": "Log outreach events, see a relationship's timeline and stage, override or list stages.",
    "db": "Check the database's integrity and schema version, or back it up while it is in use.",
}


def load_command(name: str) -> Any:
    """The Click command behind `linkscout NAME`, imported now."""
    import importlib

    from typer.main import get_command_from_info, get_group_from_info
    from typer.models import CommandInfo, TyperInfo

    module, attr = COMMANDS[name]
    target = getattr(importlib.import_module(f"linkscout.cli.{module}"), attr)
    if isinstance(target, typer.Typer):
        if name == "stage":
            from linkscout.cli import stage_import_cmd

            if not any(c.name == "import" for c in target.registered_commands):
                target.command("import")(stage_import_cmd.import_)
        return get_group_from_info(
            TyperInfo(target, name=name, cls=QuickGroup),
            pretty_exceptions_short=True,
            suggest_commands=True,
            rich_markup_mode=None,
        )
    return get_command_from_info(CommandInfo(name=name, callback=target), pretty_exceptions_short=True,
                                 rich_markup_mode=None)  # fmt: skip


# A group's --help (and the root's --install-completion and --show-completion) is None when not
# given (`linkscout rank --help` gives none of them), and typer (0.29) coerces even an unset value
# through a pydantic adapter: importing pydantic for that cost every `linkscout CMD --help` ~0.5 s,
# twice `import typer`. None stays None, which is what their callbacks ignore (none exposes a
# value); a value given goes through typer as before.
_UNSET_NEEDS_NO_COERCION = ("help", "install_completion", "show_completion")


def _unset_stays_unset(process: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def process_value(ctx: Any, value: Any) -> Any:
        return None if value is None else process(ctx, value)

    return process_value


class QuickGroup(TyperGroup):
    """A group whose unset --help (and completion options) are not coerced: see _UNSET_NEEDS_NO_COERCION."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        params: list[Any] = list(self.get_params(ctx))
        for p in params:
            if p.name in _UNSET_NEEDS_NO_COERCION and not getattr(p, "_unset_stays_unset", False):
                p.process_value = _unset_stays_unset(p.process_value)
                p._unset_stays_unset = True
        return super().parse_args(ctx, args)


class OneLineErrors(QuickGroup):
    """Usage errors (an unknown option, a bad choice, a missing argument) become one line on stderr,
    `Error: ... (see 'linkscout X --help')`, and exit 2, like every other error linkscout reports,
    instead of a usage block and a multi-line panel."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listing = False
        for name in COMMANDS:  # placeholders until a command runs: names and short help only
            self.commands.setdefault(name, _Unloaded(name))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        cmd = self.commands.get(cmd_name)
        if isinstance(cmd, _Unloaded) and not self._listing:
            cmd = self.commands[cmd_name] = load_command(cmd_name)
        return cmd

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list from SHORT_HELP: nothing is imported to show it."""
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False

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


class _Unloaded(TyperCommand):
    """A command not imported yet: its name and short help only (for `--help` and suggestions)."""

    def __init__(self, name: str) -> None:
        super().__init__(name, help=SHORT_HELP.get(name, ""))


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
        from linkscout.core.identity import package_version

        typer.echo(f"linkscout {package_version()}")
        raise typer.Exit()


@app.callback()
def root(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """linkscout: research and bookkeeping for Medium outreach."""


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # `linkscout queue | head`: the reader left; no traceback
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
