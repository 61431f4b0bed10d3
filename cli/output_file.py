"""The one way a command writes a file the user named (`export --out`, `init`, `inspect --save`, ...).

The user's files come first:

- `-` means stdout; nothing is created.
- Only regular files are written: a folder, a device (`/dev/null`), a FIFO or a socket is refused,
  never replaced by a regular file.
- An existing file is kept unless the command was given `--force`.
- The data goes to a temporary file in the target's own folder, is flushed to disk and then renamed
  into place, so a failed or interrupted write never leaves half a file.
- Through a symlink, the link's target is written and the link stays a link.
- An existing file keeps its permission bits (and, where allowed, its owner); a new one gets the
  usual 0666 minus the umask.

Every refusal is an `OutputFileError` with one line naming the path and what to do.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Literal, cast, overload

from linkscout.core.errors import LinkscoutError

STDOUT = "-"


class OutputFileError(LinkscoutError):
    """The output file could not be written, or writing it would harm something of the user's."""


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def resolve_target(
    path: str | Path, *, force: bool, option: str = "--out"
) -> tuple[Path, os.stat_result | None]:
    """The file that will really be written (a symlink's final target) and its current stat, if any.

    Raises OutputFileError when that is not a regular file, or exists and `force` is false.
    """
    given = Path(path)
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    try:
        st = target.stat()
    except FileNotFoundError:
        return target, None
    except NotADirectoryError:
        raise OutputFileError(f"cannot write {given}: a part of the path is not a folder") from None
    except OSError as e:
        raise OutputFileError(f"cannot write {given}: {e.strerror or e}") from None
    what = _kind(st.st_mode)
    if what is not None:
        hint = "; pass a file path, or '-' for stdout" if option == "--out" else "; pass a file path"
        raise OutputFileError(f"{given} is {what}, not a regular file{hint}")
    if not force:
        raise OutputFileError(f"{given} already exists; pass --force to overwrite it")
    return target, st


@overload
def output_file(
    path: str | Path, *, force: bool = ..., binary: Literal[False] = ..., option: str = ...
) -> contextlib.AbstractContextManager[IO[str]]: ...
@overload
def output_file(
    path: str | Path, *, force: bool = ..., binary: Literal[True], option: str = ...
) -> contextlib.AbstractContextManager[IO[bytes]]: ...
def output_file(
    path: str | Path, *, force: bool = False, binary: bool = False, option: str = "--out"
) -> contextlib.AbstractContextManager[IO[str]] | contextlib.AbstractContextManager[IO[bytes]]:
    """Open `path` for writing the safe way (see the module docstring); `-` is stdout.

    Use as `with output_file(out, force=force) as f: f.write(...)`. Text mode is UTF-8 with newlines
    written as given (the CSV writer chooses its own line ends).
    """
    opened = _open(path, force=force, binary=binary, option=option)
    return cast(
        "contextlib.AbstractContextManager[IO[str]] | contextlib.AbstractContextManager[IO[bytes]]", opened
    )


@contextlib.contextmanager
def staged_path(path: str | Path, *, force: bool = False, option: str = "--out") -> Iterator[Path]:
    """A temporary path beside `path` (or its symlink's target) to fill; renamed into place on success
    with the old file's mode (and owner where allowed), removed on failure. For writers that need a
    path rather than a stream (SQLite's backup API)."""
    given = Path(path)
    target, st = resolve_target(given, force=force, option=option)
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
    except OSError as e:
        raise OutputFileError(f"cannot write {given}: {e.strerror or e}") from None
    tmp = Path(name)
    try:
        yield tmp
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            with contextlib.suppress(OSError):  # only root may give a file away; keep ours otherwise
                os.chown(tmp, st.st_uid, st.st_gid)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputFileError(f"cannot write {given}: {e.strerror or e}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _open(path: str | Path, *, force: bool, binary: bool, option: str) -> Iterator[IO[str] | IO[bytes]]:
    if str(path) == STDOUT:
        stream: IO[str] | IO[bytes] = sys.stdout.buffer if binary else sys.stdout
        yield stream
        stream.flush()
        return
    with staged_path(path, force=force, option=option) as tmp:
        try:
            f: IO[str] | IO[bytes] = (
                open(tmp, "wb") if binary else open(tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115
            )
        except OSError as e:
            raise OutputFileError(f"cannot write {path}: {e.strerror or e}") from None
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())


__all__ = ["STDOUT", "OutputFileError", "output_file", "resolve_target", "staged_path"]
