"""Which reader a file needs: by its first bytes, then its name. Used by `--source DIR` and `inspect`."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from linkscout.crawler.containers.archive import read_bundle
from linkscout.crawler.containers.base import MAX_RECORD_BYTES, Container, ContainerError
from linkscout.crawler.containers.har import read_har
from linkscout.crawler.containers.html import read_document
from linkscout.crawler.containers.mhtml import read_mhtml
from linkscout.crawler.containers.warc import read_wacz, read_warc

DOCUMENT_SUFFIXES = (".html", ".htm", ".xhtml", ".xml", ".rss", ".atom", ".json", ".txt")
CONTAINER_SUFFIXES = (
    ".mhtml", ".mht", ".har", ".warc", ".warc.gz", ".wacz", ".zip", ".tar", ".tar.gz", ".tgz",
)  # fmt: skip
SUFFIXES = DOCUMENT_SUFFIXES + CONTAINER_SUFFIXES
MAX_DEPTH = 2


def _suffix(name: str) -> str:
    low = name.lower()
    for suf in sorted(SUFFIXES, key=len, reverse=True):
        if low.endswith(suf):
            return suf
    return ""


def is_container(path: Path | str) -> bool:
    """A file name this package reads (documents and containers)."""
    return _suffix(str(path)) != ""


def container_kind(name: str, data: bytes) -> str:
    """warc | wacz | zip | tar | mhtml | har | document, from the bytes first, the name second."""
    head = data[:512]
    suf = _suffix(name)
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"\x1f\x8b"):
        inner = _gunzip_head(data)
        if inner.startswith(b"WARC/"):
            return "warc"
        if suf in (".tar.gz", ".tgz") or (len(inner) > 262 and inner[257:262] == b"ustar"):
            return "tar"
        return "gzip"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "wacz" if suf == ".wacz" or _is_wacz(data) else "zip"
    if len(head) > 262 and head[257:262] == b"ustar":
        return "tar"
    low = head.lstrip().lower()
    if suf in (".mhtml", ".mht") or (low.startswith((b"from:", b"mime-version", b"snapshot-content-location"))
                                     and b"multipart/related" in data[:4096].lower()):  # fmt: skip
        return "mhtml"
    if suf == ".har" or (low.startswith(b"{") and b'"log"' in data[:200] and b'"entries"' in data[:200_000]):
        return "har"
    return "document"


def _gunzip_head(data: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data[:65536])) as gz:
            return gz.read(512)
    except (OSError, EOFError):
        return b""


def _is_wacz(data: bytes) -> bool:
    import zipfile

    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False
    return "datapackage.json" in names and any(n.startswith("archive/") for n in names)


def read_bytes(name: str, data: bytes, depth: int = 0) -> Container:
    """Every record in one file's bytes. Raises ContainerError when the file is not what it claims."""
    kind = container_kind(name, data)
    if kind == "warc":
        return read_warc(io.BytesIO(data))
    if kind == "wacz":
        return read_wacz(data)
    if kind in ("zip", "tar"):
        if depth >= MAX_DEPTH:
            return Container(form=kind, skipped=[f"{name}: a bundle inside a bundle is not opened"])
        return read_bundle(kind, data, read_bytes, depth)
    if kind == "gzip":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                inner = gz.read(MAX_RECORD_BYTES + 1)
        except (OSError, EOFError):
            raise ContainerError("gzip data unreadable") from None
        if len(inner) > MAX_RECORD_BYTES:
            raise ContainerError(f"larger than {MAX_RECORD_BYTES >> 20} MB uncompressed")
        return read_bytes(name[:-3] if name.lower().endswith(".gz") else name, inner, depth + 1)
    if kind == "mhtml":
        return read_mhtml(data)
    if kind == "har":
        return read_har(data)
    return read_document(data)


def read_file(path: Path) -> Container:
    """Every record in the file at `path` (OSError when it cannot be read, ContainerError when it is
    not the container it claims to be)."""
    size = path.stat().st_size
    if size > 20 * MAX_RECORD_BYTES:
        raise ContainerError(f"larger than {20 * MAX_RECORD_BYTES >> 20} MB")
    return read_bytes(path.name, path.read_bytes())
