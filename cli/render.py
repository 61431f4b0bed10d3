"""The one place output formats are defined: rows become table, json, jsonl or csv, on stdout or in a
file the user named (`export --out`, opened by cli/output_file.py). CSV cells are spreadsheet-safe
(cli/csvsafe.py)."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any, TextIO

import orjson
from rich.console import Console
from rich.table import Table

from linkscout.cli.csvsafe import write_csv


class Format(StrEnum):
    """Every command's `--format`: the one definition (files take the machine formats only)."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


FILE_FORMATS = (Format.csv, Format.json, Format.jsonl)


def _json_default(obj: Any) -> Any:
    if isinstance(obj, tuple | set | frozenset):
        return list(obj)
    return str(obj)


def dumps(obj: Any, *, pretty: bool = True) -> str:
    opts = orjson.OPT_INDENT_2 if pretty else 0
    return orjson.dumps(obj, default=_json_default, option=opts | orjson.OPT_NON_STR_KEYS).decode()


def render(
    rows: Sequence[Mapping[str, Any]],
    fmt: Format | str,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    wrap: Sequence[str] = (),
) -> None:
    """Print rows. `columns` fixes the order (default: the first row's keys); `wrap` names table
    columns that may wrap (rationales), the rest stay on one line."""
    fmt = Format(fmt)
    cols = list(columns or (rows[0].keys() if rows else []))
    out = sys.stdout
    if fmt in FILE_FORMATS:
        write_rows(out, rows, fmt, columns=cols)
    else:
        console = Console(file=out, soft_wrap=False, width=max(Console().width, 160))
        table = Table(title=title, show_lines=bool(wrap), header_style="bold")
        for c in cols:
            table.add_column(c, overflow="fold" if c in wrap else "ellipsis", no_wrap=c not in wrap)
        for r in rows:
            table.add_row(*(_cell(r.get(c)) for c in cols))
        console.print(table)


def write_rows(
    out: TextIO, rows: Sequence[Mapping[str, Any]], fmt: Format | str, *, columns: Sequence[str] | None = None
) -> None:
    """Rows as json (one indented array), jsonl (one object a line) or csv (spreadsheet-safe) to `out`."""
    fmt = Format(fmt)
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt is Format.json:
        out.write(dumps([{c: r.get(c) for c in cols} for r in rows]) + "\n")
    elif fmt is Format.jsonl:
        for r in rows:
            out.write(dumps({c: r.get(c) for c in cols}, pretty=False) + "\n")
    elif fmt is Format.csv:
        write_csv(out, cols, rows)
    else:
        raise ValueError(f"{fmt} is not a file format")


def _cell(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.3f}"
    if isinstance(v, list | tuple):
        return ", ".join(map(str, v))
    return str(v)


def render_one(obj: Mapping[str, Any], fmt: Format | str) -> None:
    """Print one object (a report, a summary): JSON for machines, key/value lines for people."""
    fmt = Format(fmt)
    if fmt in (Format.json, Format.jsonl):
        sys.stdout.write(dumps(obj, pretty=fmt is Format.json) + "\n")
    else:
        render([{"key": k, "value": v} for k, v in obj.items()], fmt, columns=["key", "value"])


def render_cards(
    rows: Sequence[Mapping[str, Any]],
    *,
    heading: Sequence[str],
    sections: Sequence[tuple[str, str]],
    title: str | None = None,
) -> None:
    """The people's form of a ranked listing: one block per entry, evidence sentences one per line
    and wrapped to the terminal with a hanging indent, instead of a table whose cells run fifty
    lines tall. `heading` names the fields joined on the first line; `sections` are (label, field)
    pairs, and a field holding a list prints one item per line."""
    from rich.padding import Padding
    from rich.text import Text

    console = Console(file=sys.stdout, width=min(max(Console().width, 100), 140))
    if title:
        console.print(Text(title, style="bold underline"))
    for r in rows:
        head = "  ".join(_cell(r.get(f)) for f in heading if r.get(f) is not None)
        console.print(Text(f"\n{head}", style="bold"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="cyan", no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for label, key in sections:
            value = r.get(key)
            if value in (None, "", [], ()):
                continue
            items = list(value) if isinstance(value, list | tuple) else [str(value)]
            for i, item in enumerate(items):
                grid.add_row(f"{label}:" if i == 0 else "", "-" if len(items) > 1 else "", str(item))
        console.print(Padding(grid, (0, 0, 0, 2)))
