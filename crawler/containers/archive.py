"""`.zip`, `.tar`, `.tar.gz`/`.tgz`: a bundle of saved files, each read by its own reader.

Members are read in name order; folders, hidden files and members of unknown types are skipped,
members larger than `MAX_RECORD_BYTES` are noted and skipped (a zip bomb stops there), and a bundle
inside a bundle is read one level deep only. A zip with `archive/*.warc.gz` and `datapackage.json`
is a WACZ and is read as one.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
from collections.abc import Callable, Iterator

from linkscout.crawler.containers.base import MAX_RECORD_BYTES, Container, ContainerError

Reader = Callable[[str, bytes, int], Container]


def _hidden(name: str) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in name.split("/") if part)


def zip_members(data: bytes) -> Iterator[tuple[str, bytes | None]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ContainerError("not a zip file") from None
    with zf:
        for info in sorted(zf.infolist(), key=lambda i: i.filename):
            if info.is_dir() or _hidden(info.filename):
                continue
            if info.file_size > MAX_RECORD_BYTES:
                yield info.filename, None
                continue
            with zf.open(info) as fh:
                body = fh.read(MAX_RECORD_BYTES + 1)
            yield info.filename, body if len(body) <= MAX_RECORD_BYTES else None


def tar_members(data: bytes) -> Iterator[tuple[str, bytes | None]]:
    try:
        tf = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")  # noqa: SIM115 - closed below
    except (tarfile.TarError, EOFError, OSError):
        raise ContainerError("not a tar archive") from None
    with tf:
        members = sorted((m for m in tf.getmembers() if m.isfile()), key=lambda m: m.name)
        for m in members:
            if _hidden(m.name):
                continue
            if m.size > MAX_RECORD_BYTES:
                yield m.name, None
                continue
            fh = tf.extractfile(m)
            yield m.name, fh.read() if fh is not None else None


def read_bundle(kind: str, data: bytes, read_member: Reader, depth: int) -> Container:
    out = Container(form=kind)
    members = zip_members(data) if kind == "zip" else tar_members(data)
    try:
        for name, body in members:
            if body is None:
                out.skipped.append(f"{name}: larger than {MAX_RECORD_BYTES >> 20} MB")
                continue
            try:
                part = read_member(name, body, depth + 1)
            except ContainerError as exc:
                out.skipped.append(f"{name}: {exc}")
                continue
            out.extend(part, prefix=f"{name}: ")
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as exc:
        out.skipped.append(f"bundle truncated ({type(exc).__name__})")
    return out
