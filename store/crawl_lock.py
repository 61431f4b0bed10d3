"""One crawl per database: an exclusive lock on `<db>.crawl-lock`, held for the whole crawl.

The kernel drops the lock when the crawl's process ends, however it ends (SIGKILL included), so a
stale lock never blocks the next crawl. The file says who holds it, for the refusal message. Only
crawls take it: read commands and `stage log` never wait for it.

    with crawl_lock(db_path, source="live"): ...   raises CrawlError naming the running crawl
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from linkscout.core.errors import CrawlError
from linkscout.store.db import utcnow


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".crawl-lock")


@contextmanager
def crawl_lock(db_path: Path, *, source: str) -> Iterator[None]:
    path = lock_path(db_path)
    try:  # the database's folder exists: open_db made it
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise CrawlError(f"cannot create the crawl lock {path}: {e.strerror}") from e
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CrawlError(
                f"another crawl is running on {db_path} ({_holder(path)}); wait for it to finish, or "
                "stop it (Ctrl-C) and continue it later with `linkscout crawl --resume`"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "source": source, "started_at": utcnow()}).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not info:
        return "its details are not readable"
    return f"pid {info.get('pid')}, --source {info.get('source')}, started {info.get('started_at')}"
