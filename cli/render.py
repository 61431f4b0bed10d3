"""The one place output formats are defined: rows become table, json, jsonl or csv, on stdout or in a
file the user named (`export --out`, opened by cli/output_file.py). CSV cells are spreadsheet-safe
(cli/csvsafe.py)."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import IO, Any

import orjson

from linkscout.cli import layout
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
        _table(rows, cols, title=title, wrap=wrap)


def _table(
    rows: Sequence[Mapping[str, Any]], cols: Sequence[str], *, title: str | None, wrap: Sequence[str]
) -> None:
    """A table at the terminal's width (unbounded into a pipe). No cell is cut with an ellipsis;
    URLs leave the grid for numbered lines under it, so they are never split and stay clickable."""
    term = layout.detect()
    urls: list[str] = []

    def ref(m: re.Match[str]) -> str:  # a URL in a cell, alone or in a sentence, becomes [n]
        url = m.group(0).rstrip(".")
        urls.append(url)
        return f"[{len(urls)}]" + m.group(0)[len(url) :]

    body = [[layout.URL_RE.sub(ref, _cell(r.get(c))) for c in cols] for r in rows]
    headers = [c.replace("_", " ") for c in cols]
    lines = layout.table_lines(headers, body, term, title=title)
    for i, url in enumerate(urls, 1):
        lines.extend(layout.wrap(url, term.width, f"[{i}] ", " " * (len(str(i)) + 3), term))
    layout.emit(lines)


def write_rows(
    out: IO[str],
    rows: Sequence[Mapping[str, Any]],
    fmt: Format | str,
    *,
    columns: Sequence[str] | None = None,
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
    pairs, and a field holding a list prints one item per line. URLs get lines of their own."""
    term = layout.detect()
    lines: list[str] = []
    if title:
        lines.append(layout.bold(title, term))
    for r in rows:
        head = "  ".join(_cell(r.get(f)) for f in heading if r.get(f) is not None)
        secs: list[tuple[str, list[str]]] = []
        for label, key in sections:
            value = r.get(key)
            if value in (None, "", [], ()):
                continue
            secs.append((label, [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]))
        lines.append("")
        lines.extend(layout.card_lines(head, secs, term))
    layout.emit(lines)
