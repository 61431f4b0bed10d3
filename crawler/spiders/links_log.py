"""The links of every page a crawl has read, kept next to the database until the crawl finishes.

`--resume` needs them: a page read at depth d left out its links deeper than `max_depth`, and when a
shorter path to it turns up after a restart, the frontier must offer those links again (see
`frontier`). The ledger says which pages were read, not what they linked to, so the pipeline appends
each batch's links here (flushed and fsynced) *before* committing the batch; a kill in between only
leaves lines for pages the database does not count as read, which a resume ignores. Lines carry the
crawl run's id, so lines of another run never mix in; a torn last line is skipped.

    LinksLog.for_db(db_path, run_id) -> LinksLog (.append(pages), .load() -> {url: links}, .remove())
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import orjson

SUFFIX = ".crawl-links"


class LinksLog:
    def __init__(self, path: Path, run_id: int) -> None:
        self.path = path
        self.run_id = run_id

    @classmethod
    def for_db(cls, db_path: str | Path, run_id: int) -> LinksLog:
        db_path = Path(db_path)
        return cls(db_path.with_name(db_path.name + SUFFIX), run_id)

    def append(self, pages: Iterable[tuple[str, Sequence[str]]]) -> None:
        lines = b"".join(
            orjson.dumps({"run": self.run_id, "url": url, "links": list(links)}) + b"\n"
            for url, links in pages
        )
        if not lines:
            return
        with open(self.path, "ab+") as f:
            if f.seek(0, os.SEEK_END) > 0:
                f.seek(-1, os.SEEK_END)
                if f.read(1) != b"\n":
                    lines = b"\n" + lines  # end a line torn by a kill, so it does not swallow ours
            f.write(lines)
            f.flush()
            os.fsync(f.fileno())

    def load(self) -> dict[str, tuple[str, ...]]:
        """url -> links of this run's pages (a page read twice: its last line)."""
        out: dict[str, tuple[str, ...]] = {}
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return out
        for line in data.splitlines():
            try:
                row = orjson.loads(line)
                if row["run"] == self.run_id:
                    out[str(row["url"])] = tuple(str(u) for u in row["links"])
            except (orjson.JSONDecodeError, KeyError, TypeError):
                continue  # torn by a kill mid-write
        return out

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
