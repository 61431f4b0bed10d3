"""Readers for the containers people save Medium pages in; each yields `SavedRecord`s.

    read_file(path) -> Container            # any supported file, dispatched by content then suffix
    is_container(path) -> bool              # a suffix this package reads

One record is one document as it was captured: its real URL, its capture time (WARC-Date, HAR
`startedDateTime`, SingleFile's saved date, MHTML's `Date`), the body bytes and the content type.
A container never raises for bad content: what it cannot read becomes a note in `Container.skipped`
(so the folder walk and `inspect` can say why); `ContainerError` is raised only when the file as a
whole is not the format it claims to be.

| module       | reads                                                                 |
|--------------|-----------------------------------------------------------------------|
| `html.py`    | .html/.htm/.xhtml and plain documents; SingleFile and "saved from" headers |
| `mhtml.py`   | .mhtml/.mht (multipart/related, the standard library's email parser)  |
| `har.py`     | .har (HAR 1.2: every Medium entry with a body; base64 decoded)        |
| `warc.py`    | .warc, .warc.gz, .wacz (warcio; response/resource records)           |
| `archive.py` | .zip, .tar.gz/.tgz/.tar holding any of the above                      |
"""

from __future__ import annotations

from linkscout.crawler.containers.base import Container, ContainerError, SavedRecord
from linkscout.crawler.containers.dispatch import (
    SUFFIXES,
    container_kind,
    is_container,
    read_bytes,
    read_file,
)

__all__ = [
    "SUFFIXES",
    "Container",
    "ContainerError",
    "SavedRecord",
    "container_kind",
    "is_container",
    "read_bytes",
    "read_file",
]
