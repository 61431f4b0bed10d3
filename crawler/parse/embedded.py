"""Slice JSON blobs that Medium embeds in `<script>` text, without walking the DOM.

Medium's pages carry their data as JavaScript assignments: `window.__APOLLO_STATE__ = {...}`,
`window["obvInit"]({...})`, `var GLOBALS = {...}`. We find the marker in the raw text, cut the
object out (up to the closing `</script>`, which JSON inside a script can never contain literally)
and hand it to orjson. Legacy pages escape `<` as the JavaScript-only `\\x3c`, which JSON rejects;
those are rewritten to `\\u003c` only when the fast path fails. Nothing here raises.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

_JS_HEX = re.compile(r"(?<!\\)((?:\\\\)*)\\x([0-9a-fA-F]{2})")
_SCRIPT_END = re.compile(r"</script", re.IGNORECASE)
_DECODER = json.JSONDecoder()


class EmbeddedError(ValueError):
    """The marker was found but its object could not be read (truncated, malformed)."""


def find_object(text: str, marker: str | re.Pattern[str], start: int = 0) -> Any | None:
    """The JSON value that follows `marker` (a literal or a compiled regex ending before `{`), looking
    from `start` on.

    Returns None when the marker is absent; raises EmbeddedError when it is present but the object
    cannot be decoded, so the caller can record a precise warning.
    """
    if isinstance(marker, str):
        pos = text.find(marker, start)
        if pos < 0:
            return None
        start = pos + len(marker)
    else:
        m = marker.search(text, start)
        if m is None:
            return None
        start = m.end()
    brace = text.find("{", start, start + 64)
    if brace < 0:
        raise EmbeddedError("no object after marker")
    return decode_at(text, brace)


def decode_at(text: str, brace: int) -> Any:
    end = _script_end(text, brace)
    # Fast path: the script holds just the object plus a JS tail (`;`, `)`, `// ]]>`), cut off by
    # index so a 400 KB state is copied once, not once per stripped character class.
    try:
        return orjson.loads(text[brace : _tail_end(text, brace, end)])
    except (orjson.JSONDecodeError, TypeError, RecursionError):
        pass
    chunk = text[brace:end]
    for attempt in (chunk, _JS_HEX.sub(r"\1\\u00\2", chunk)):
        try:
            value, _ = _DECODER.raw_decode(attempt)
            return value
        except (ValueError, RecursionError):
            continue
    raise EmbeddedError("embedded JSON is truncated or malformed")


def _script_end(text: str, pos: int) -> int:
    """Where the first `</script` (any case) after `pos` starts, else the end of the text. Found by
    jumping between `<`s (memchr; JSON in a script seldom holds one, a state of 400 KB none) while
    they are few, then by `find("</")`; never a case-insensitive scan of the whole state."""
    i = text.find("<", pos)
    for _ in range(64):
        if i < 0:
            return len(text)
        if text.startswith("/", i + 1) and _SCRIPT_END.match(text, i):
            return i
        i = text.find("<", i + 1)
    if i < 0:
        return len(text)
    i = text.find("</", i)
    while i >= 0:
        if _SCRIPT_END.match(text, i):
            return i
        i = text.find("</", i + 2)
    return len(text)


def _tail_end(text: str, lo: int, hi: int) -> int:
    """`lo + len(_strip_tail(text[lo:hi]))`, without copying the slice."""

    def rstrip(hi: int) -> int:
        while hi > lo and text[hi - 1].isspace():
            hi -= 1
        return hi

    hi = rstrip(hi)
    if text.endswith("]]>", lo, hi):
        hi = rstrip(hi - 3)
        if text.endswith("//", lo, hi):
            hi = rstrip(hi - 2)
    while hi > lo and text[hi - 1] in ";)":
        hi = rstrip(hi - 1)
    return hi


def _strip_tail(chunk: str) -> str:
    s = chunk.rstrip()
    if s.endswith("]]>"):
        s = s[:-3].rstrip()
        if s.endswith("//"):
            s = s[:-2].rstrip()
    while s and s[-1] in ";)":
        s = s[:-1].rstrip()
    return s


def loads_lenient(raw: str) -> Any:
    """JSON from a whole script body, tolerating CDATA wrappers (XHTML re-serialisation) and `\\x..`."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    s = raw.strip()
    if s.startswith("<![CDATA["):
        s = s[len("<![CDATA[") :]
    s = _strip_tail(s.strip().removesuffix("]]>").rstrip().removesuffix("//"))
    brace = min((i for i in (s.find("{"), s.find("[")) if i >= 0), default=-1)
    if brace < 0:
        raise EmbeddedError("no JSON value")
    return decode_at(s, brace)
