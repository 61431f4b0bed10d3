"""Terminal layout for people: how wide to write, how to wrap, and how to keep URLs whole.

Rules every table and card follows:
- on a terminal, lines fit its width (COLUMNS or the real size; no forced minimum);
- when stdout is not a terminal nothing is cut: no wrapping unless COLUMNS asks for a width;
- a URL is never split: it goes on a line of its own (indented when it fits, else from column 0,
  where only a URL longer than the whole terminal may run past the edge), and on a terminal it is an
  OSC 8 hyperlink;
- no line ends in spaces.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

URL_RE = re.compile(r"(?:https?://|mailto:)[^\s,;<>\"'“”()\[\]]+")  # web and mail links: never split
_ESCAPES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\x1b\]8;[^\x1b\x07]*(?:\x1b\\|\x07)")
_TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m|\x1b\]8;;(?:\x1b\\|\x07))*)$")
MIN_TEXT = 20  # below this a card's text starts under its label instead of beside it


@dataclass(frozen=True)
class Term:
    """Where output goes: `width` None means never wrap (a pipe or file without COLUMNS)."""

    width: int | None
    styles: bool = False
    links: bool = False


def detect(stream: TextIO | None = None) -> Term:
    stream = stream if stream is not None else sys.stdout
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        width = shutil.get_terminal_size(fallback=(80, 24)).columns
        dumb = os.environ.get("TERM", "") == "dumb"
        links = not dumb and os.environ.get("LINKSCOUT_HYPERLINKS", "1") != "0"
        return Term(width=max(width, 20), styles=not dumb and "NO_COLOR" not in os.environ, links=links)
    cols = os.environ.get("COLUMNS", "")
    return Term(width=max(int(cols), 20) if cols.isdigit() else None)


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 day', '2 days', '0 responses'."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def visible_len(line: str) -> int:
    """Columns a line takes on screen (escape sequences take none)."""
    return len(_ESCAPES.sub("", line))


def rstrip(line: str) -> str:
    """Drop trailing spaces, also those before closing escape sequences."""
    return _TRAILING.sub(r"\1", line).rstrip(" \t")


def hyperlink(url: str, term: Term) -> str:
    return f"\x1b]8;;{url}\x1b\\{url}\x1b]8;;\x1b\\" if term.links else url


def bold(text: str, term: Term) -> str:
    return f"\x1b[1m{text}\x1b[0m" if term.styles and text else text


def split_urls(text: str) -> list[tuple[str, bool]]:
    """Text and URL segments in order; a URL's trailing full stop stays with the text. A bracket
    opened just before a URL moves after it: '“T” (URL, 2024-01-01)' reads '“T”', URL, '(2024-01-01)'."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in URL_RE.finditer(text):
        url = m.group(0).rstrip(".")
        before = text[pos : m.start()]
        after_start = m.start() + len(url)
        out.append((before, False))
        out.append((url, True))
        pos = after_start
    out.append((text[pos:], False))
    merged: list[tuple[str, bool]] = []
    for i, (seg, is_url) in enumerate(out):
        if is_url:
            merged.append((seg, True))
            continue
        if seg.rstrip().endswith("(") and i + 1 < len(out) and out[i + 1][1] and i + 2 < len(out):
            tail = out[i + 2][0]
            if tail.startswith(", "):
                out[i + 2] = ("(" + tail[2:], False)
                seg = seg.rstrip()[:-1]
            elif tail.startswith(")"):
                seg = seg.rstrip()[:-1]
                out[i + 2] = (tail[1:], False)
        if i > 0 and out[i - 1][1] and seg.startswith(("; ", ", ")):  # the URL's own line separates
            seg = seg[2:]
        if seg.strip():
            merged.append((seg.strip(), False))
    return merged


def wrap(text: str, width: int | None, first: str, rest: str, term: Term) -> list[str]:
    """`text` laid out with `first` before its first line and `rest` before the others (a hanging
    indent). URLs get lines of their own; nothing is cut."""
    lines: list[str] = []
    for seg, is_url in split_urls(text) or [("", False)]:
        prefix = rest if lines else first
        if is_url:
            fits = width is None or len(prefix) + len(seg) <= width
            pad = prefix if fits else ("" if lines else prefix.rstrip())
            if not fits and not lines and pad:  # keep the label line, URL from column 0 below it
                lines.append(pad)
                pad = ""
            lines.append(pad + hyperlink(seg, term))
            continue
        if width is None:
            lines.append(prefix + seg)
            continue
        # Each line's own indent counts against the width (the hanging indent may be wider than the first).
        w = max(width, len(prefix) + MIN_TEXT, len(rest) + MIN_TEXT)
        lines.extend(
            textwrap.wrap(seg, w, initial_indent=prefix, subsequent_indent=rest, break_on_hyphens=False)
            or [prefix]
        )
    return [rstrip(line) for line in lines]


def card_lines(
    heading: str, sections: Iterable[tuple[str, list[str]]], term: Term, *, indent: int = 2
) -> list[str]:
    """One card: a bold heading (URLs in it moved to their own lines), then labelled sections; a
    section with several items prints one item per line with a dash."""
    pad = " " * indent
    out = [bold(line, term) if not URL_RE.match(line.strip()) else line
           for line in wrap(heading, term.width, "", pad, term)]  # fmt: skip
    secs = [(label, items) for label, items in sections if items]
    label_w = max((len(label) for label, _ in secs), default=0) + 2
    for label, items in secs:
        head = f"{pad}{label + ':':<{label_w}}"
        dash = "- " if len(items) > 1 else ""
        body_indent = len(head) + len(dash)
        if term.width is not None and term.width - body_indent < MIN_TEXT:
            out.append(rstrip(head))  # narrow terminal: the text goes under the label
            head, body_indent = pad + "  ", indent + 2 + len(dash)
        for i, item in enumerate(items):
            first = (head if i == 0 else " " * len(head)) + dash
            out.extend(wrap(item, term.width, first, " " * body_indent, term))
    return out


def emit(lines: Iterable[str], stream: TextIO | None = None) -> None:
    stream = stream if stream is not None else sys.stdout
    stream.write("".join(rstrip(line) + "\n" for line in lines))


WORD_CAP = 20  # a column is never narrower than its longest word, up to this many characters
GAP = "  "


def table_lines(
    headers: list[str], body: list[list[str]], term: Term, *, title: str | None = None
) -> list[str]:
    """A plain table: columns two spaces apart, a rule under the header, cells wrapped between words.
    Natural widths when they fit; else wrapping columns shrink toward their longest word; and when
    even that is too wide, each row becomes a small card. Nothing is ever cut or dropped."""
    n = len(headers)
    natural = [max([len(headers[j])] + [len(r[j]) for r in body]) for j in range(n)]
    least = [
        min(
            max([len(w) for w in headers[j].split()] + [len(w) for r in body for w in r[j].split()]), WORD_CAP
        )
        for j in range(n)
    ]
    width = term.width
    gaps = len(GAP) * (n - 1)
    if width is not None and sum(least) + gaps > width:
        return _row_cards(headers, body, term, title)
    widths = natural
    if width is not None and sum(natural) + gaps > width:
        spare = width - gaps - sum(least)
        give = [natural[j] - least[j] for j in range(n)]
        total = sum(give) or 1
        widths = [least[j] + give[j] * spare // total for j in range(n)]
    out = [bold(title, term)] if title else []
    out.extend(_table_row(headers, widths, term, header=True))
    out.append("─" * (sum(widths) + gaps))
    for r in body:
        out.extend(_table_row(r, widths, term))
    return out


def _table_row(cells: list[str], widths: list[int], term: Term, *, header: bool = False) -> list[str]:
    wrapped = [
        textwrap.wrap(c, w, break_on_hyphens=False) or [""] for c, w in zip(cells, widths, strict=True)
    ]
    lines = []
    for i in range(max(len(w) for w in wrapped)):
        parts = [(w[i] if i < len(w) else "").ljust(widths[j]) for j, w in enumerate(wrapped)]
        line = rstrip(GAP.join(parts))
        lines.append(bold(line, term) if header else line)
    return lines


def _row_cards(headers: list[str], body: list[list[str]], term: Term, title: str | None) -> list[str]:
    out = [bold(title, term)] if title else []
    for r in body:
        out.append("")
        head = "  ".join(c for c in r[:2] if c)
        out.extend(card_lines(head, [(h, [c]) for h, c in zip(headers[2:], r[2:], strict=True) if c], term))
    return out
