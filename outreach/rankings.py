"""Keep what `rank` and `queue` computed in the store's `rankings` table (the score history per as_of)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlite_utils import Database

from linkscout.core.niche import Niche
from linkscout.store.rankings import RankingRow, save_niche_domains, save_rankings

# Entry kinds as rank (author/publication/tag) and queue (author/publication/link) name them; a link
# lead is an author.
_STORED_KIND = {"author": "author", "link": "author", "publication": "publication", "tag": "tag",
                "authors": "author", "links": "author", "publications": "publication", "tags": "tag"}  # fmt: skip


def remember(
    db: Database, niche: Niche, entries: Iterable[Any], as_of: date, *, kind: str | None = None
) -> int:
    """Store ranked entries (graph.rank.RankedEntry or outreach.queue.QueueRow: anything with rank, key
    or handle, score and components) measured at `as_of`; also the niche's competitor and site
    domains. Entries without a score are skipped. Returns the number of rows written."""
    rows = []
    for e in entries:
        score = getattr(e, "score", None)
        if score is None:
            continue
        k = str(kind or getattr(e, "kind", None) or "author")
        rows.append(
            RankingRow(
                kind=_STORED_KIND[k],
                key=getattr(e, "key", None) or e.handle,
                as_of=as_of,
                rank=int(e.rank),
                score=float(score),
                components=dict(getattr(e, "components", {}) or {}),
            )
        )
    save_niche_domains(db, niche.niche.competitors, niche.niche.site)
    return save_rankings(db, rows)
