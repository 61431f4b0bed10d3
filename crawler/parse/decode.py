"""Bytes to text for every document `parse_page` reads, whatever encoding the saver left.

Order of evidence: a byte-order mark (UTF-32/UTF-16/UTF-8), then UTF-16 without a BOM (NULs on
every other byte of ASCII markup), then strict UTF-8 (valid UTF-8 beats any declaration), then a
declared charset (HTTP Content-Type, XML prolog, HTML `<meta charset>` / `http-equiv`), then UTF-8
with a few damaged bytes replaced, then cp1252/latin-1. A file that is mostly
NUL or control bytes is binary junk: it is flagged, never guessed at. Inputs beyond `MAX_BYTES`
are cut there (with a warning) so a runaway file costs bounded time. Nothing here raises.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

MAX_BYTES = 32 * 1024 * 1024  # a 20 MB page still parses whole; beyond this we read a prefix
_SNIFF = 4096

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})", re.I)
_XML_ENC = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})", re.I)


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str | None  # codec used; None when the input was already text
    warnings: list[str] = field(default_factory=list)
    binary: bool = False  # NUL-heavy junk: not a document at all


def decode(data: bytes | str, content_type: str | None = None) -> Decoded:
    if isinstance(data, str):
        text = data[1:] if data.startswith("\ufeff") else data
        warnings: list[str] = []
        if len(text) > MAX_BYTES:
            text = text[:MAX_BYTES]
            warnings.append(f"input longer than {MAX_BYTES} characters: only the first part was read")
        return Decoded(text, None, warnings, binary=_looks_binary_text(text))
    raw = bytes(data)
    warnings = []
    if len(raw) > MAX_BYTES:
        raw = raw[:MAX_BYTES]
        warnings.append(f"input larger than {MAX_BYTES} bytes: only the first part was read")
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            return _with(raw[len(bom) :], enc, warnings, strict_note=f"{enc} with BOM")
    nul_enc = _utf16_without_bom(raw)
    if nul_enc:
        return _with(raw, nul_enc, warnings, strict_note=f"{nul_enc} without BOM")
    if _looks_binary_bytes(raw):
        warnings.append("binary data, not a text document")
        return Decoded(raw[:_SNIFF].decode("latin-1"), "latin-1", warnings, binary=True)
    # Valid UTF-8 with any non-ASCII byte is practically never an accident, so it beats a
    # declaration (HTTP's latin-1 default, a stale meta left by a re-saving tool).
    try:
        return Decoded(raw.decode("utf-8"), "utf-8", warnings)
    except UnicodeDecodeError:
        pass
    declared = _declared(raw, content_type)
    if declared and not declared.startswith(("utf-8", "utf-16", "utf-32")):
        try:
            return Decoded(raw.decode(declared), declared, warnings)
        except (UnicodeDecodeError, LookupError):
            warnings.append(f"declared charset {declared} does not fit the bytes")
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad * 200 < max(len(raw), 1):  # a few damaged bytes in a UTF-8 file
        warnings.append(f"{bad} invalid UTF-8 byte sequence(s) replaced")
        return Decoded(text, "utf-8", warnings)
    try:
        text = raw.decode("cp1252")
        enc = "cp1252"
    except UnicodeDecodeError:
        text, enc = raw.decode("latin-1"), "latin-1"
    warnings.append(f"not UTF-8: decoded as {enc}")
    return Decoded(text, enc, warnings)


def _with(raw: bytes, enc: str, warnings: list[str], *, strict_note: str) -> Decoded:
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError:
        text = raw.decode(enc, errors="replace")
        warnings.append(f"{strict_note}: invalid sequences replaced")
    return Decoded(text[1:] if text.startswith("\ufeff") else text, enc, warnings)


def _utf16_without_bom(raw: bytes) -> str | None:
    head = raw[:_SNIFF]
    if len(head) < 8:
        return None
    even_nul = head[0::2].count(0)
    odd_nul = head[1::2].count(0)
    half = len(head) // 2
    # ASCII markup in UTF-16: nearly every high byte is 0, nearly every low byte is not.
    if odd_nul > 0.7 * half and even_nul < 0.1 * half:
        return "utf-16-le"
    if even_nul > 0.7 * half and odd_nul < 0.1 * half:
        return "utf-16-be"
    return None


_CONTROL_BYTES = bytes((*range(1, 9), 11, 12, *range(14, 32)))
_CONTROL_OR_NUL = b"\x00" + _CONTROL_BYTES


def _looks_binary_bytes(raw: bytes) -> bool:
    head = raw[:65536]
    if not head:
        return False
    # NUL and control bytes together, in one pass: a text document has too few of either for it to
    # matter (at most 5 % of both cannot reach 5 % NUL or 10 % control bytes), so the two separate
    # counts below are made only for junk.
    if (len(head) - len(head.translate(None, _CONTROL_OR_NUL))) * 20 <= len(head):
        return False
    nul = head.count(0)
    if nul * 20 > len(head):  # more than 5 % NUL bytes
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # one pass, not 29 counts
    return controls * 10 > len(head)


def _looks_binary_text(text: str) -> bool:
    head = text[:65536]
    if not head:
        return False
    bad = sum(1 for ch in head if ch < "\x20" and ch not in "\t\n\r")
    return bad * 10 > len(head)


def _declared(raw: bytes, content_type: str | None) -> str | None:
    names: list[str] = []
    if content_type:
        m = _CT_CHARSET.search(content_type)
        if m:
            names.append(m.group(1))
    head = raw[:_SNIFF]
    m2 = _XML_ENC.search(head)
    if m2:
        names.append(m2.group(1).decode("ascii", "ignore"))
    m3 = _META_CHARSET.search(raw[:65536])
    if m3:
        names.append(m3.group(1).decode("ascii", "ignore"))
    for name in names:
        try:
            return codecs.lookup(name).name
        except LookupError:
            continue
    return None
