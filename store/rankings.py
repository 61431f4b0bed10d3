"""What `rank` and `queue` computed, kept in the store so Datasette (and SQL) can show who ranks first.

One row per (kind, key, as_of): re-ranking against the same as_of replaces the row, a new as_of adds
one, so the score history is kept. The niche's competitor and site domains are stored beside them so
the `competitor_links` view can tell a competitor link without reading niche.toml.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import orjson
from sqlite_utils import Database

from linkscout.core.urls import site_domain
from linkscout.store.db import transaction, utcnow

RANKED_KINDS = ("author", "publication", "tag")


@dataclass(frozen=True, slots=True)
class RankingRow:
    kind: str  # author | publication | tag
    key: str
    as_of: date
    rank: int
    score: float
    components: Mapping[str, float] = field(default_factory=dict)


_UPSERT = (
    "INSERT INTO rankings (kind, key, as_of, rank, score, components, computed_at, author, publication, tag) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, key, as_of) DO UPDATE SET rank = excluded.rank, "
    "score = excluded.score, components = excluded.components, computed_at = excluded.computed_at"
)


def save_rankings(db: Database, rows: Iterable[RankingRow]) -> int:
    """Upsert rows in one transaction; returns how many were written."""
    now = utcnow()
    params = []
    for r in rows:
        if r.kind not in RANKED_KINDS:
            raise ValueError(f"ranking kind must be one of {RANKED_KINDS}, got {r.kind!r}")
        comps = orjson.dumps({k: round(float(v), 6) for k, v in r.components.items()}).decode()
        params.append(
            (
                r.kind, r.key, r.as_of.isoformat(), r.rank, round(float(r.score), 6), comps, now,
                r.key if r.kind == "author" else None,
                r.key if r.kind == "publication" else None,
                r.key if r.kind == "tag" else None,
            )
        )  # fmt: skip
    if not params:
        return 0
    with transaction(db):
        db.conn.executemany(_UPSERT, params)
    return len(params)


def rankings_for(db: Database, kind: str, as_of: date | None = None) -> list[RankingRow]:
    """The stored ranking of `kind` at `as_of` (default: the latest stored as_of), best first."""
    if as_of is None:
        row = db.execute("SELECT max(as_of) FROM rankings WHERE kind = ?", (kind,)).fetchone()
        if row is None or row[0] is None:
            return []
        day = str(row[0])
    else:
        day = as_of.isoformat()
    sql = "SELECT kind, key, as_of, rank, score, components FROM rankings WHERE kind = ? AND as_of = ? ORDER BY rank"
    return [
        RankingRow(k, key, date.fromisoformat(a), r, s, orjson.loads(c))
        for k, key, a, r, s, c in db.execute(sql, (kind, day))
    ]


def ranking_history(db: Database, kind: str, key: str) -> list[RankingRow]:
    """Every stored as_of of one entry, oldest first."""
    sql = "SELECT kind, key, as_of, rank, score, components FROM rankings WHERE kind = ? AND key = ? ORDER BY as_of"
    return [
        RankingRow(k, kk, date.fromisoformat(a), r, s, orjson.loads(c))
        for k, kk, a, r, s, c in db.execute(sql, (kind, key))
    ]


def save_niche_domains(db: Database, competitors: Sequence[str], site: str | None) -> None:
    """Replace the stored competitor and site domains with the niche file's (hosts, lower-case, no www.)."""
    rows: dict[str, str] = {}
    for d in competitors:
        h = site_domain(d)
        if h:
            rows[h] = "competitor"
    mine = site_domain(site or "")
    if mine:
        rows.setdefault(mine, "site")
    with transaction(db):
        db.execute("DELETE FROM niche_domains")
        db.conn.executemany("INSERT INTO niche_domains (domain, role) VALUES (?, ?)", list(rows.items()))
