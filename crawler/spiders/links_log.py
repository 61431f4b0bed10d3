"""The links of every page a crawl has read, kept until the crawl finishes (table `crawl_links`).

`--resume` needs them: a page read at depth d left out its links deeper than `max_depth`, and when a
shorter path to it turns up after a restart, the frontier must offer those links again (see
`frontier`). The ledger says which pages were read, not what they linked to. The pipeline writes each
batch's links in the batch's own transaction, so a kill can never leave a page counted as read
without its links, or links of a page the ledger does not know. Rows carry the crawl run's id, so
another run's links never mix in.

    LinksLog(db, run_id): .append(pages) inside the caller's transaction, .load() -> {url: links},
    .remove() inside the caller's transaction
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import orjson
from sqlite_utils import Database


class LinksLog:
    def __init__(self, db: Database, run_id: int) -> None:
        self.db = db
        self.run_id = run_id

    def append(self, pages: Iterable[tuple[str, Sequence[str]]]) -> None:
        self.db.conn.executemany(
            "INSERT INTO crawl_links (run_id, url, links) VALUES (?, ?, ?) "
            "ON CONFLICT(run_id, url) DO UPDATE SET links = excluded.links",
            [(self.run_id, url, orjson.dumps(list(links)).decode()) for url, links in pages],
        )

    def load(self) -> dict[str, tuple[str, ...]]:
        """url -> links of this run's pages (a page read twice: its last links)."""
        rows = self.db.conn.execute("SELECT url, links FROM crawl_links WHERE run_id = ?", (self.run_id,))
        return {url: tuple(str(u) for u in orjson.loads(links)) for url, links in rows}

    def remove(self) -> None:
        """This run's links and any abandoned run's: only a resume of this run reads them."""
        self.db.conn.execute("DELETE FROM crawl_links WHERE run_id <= ?", (self.run_id,))
