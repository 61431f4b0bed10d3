"""A publication's guidelines as its pages state them (`publication_guidelines`), written by the crawl
and read for publication cards, the report and the export.

One row per page read (a guidelines post, an about page). Reading a page again replaces what that
page said (guidelines change), unless the copy read is older than the one stored (a web archive).
A publication's merged guidelines take each field from its submission page first, then its other
pages, newest first; a field no page states stays None.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlite_utils import Database

from linkscout.core.records import Guidelines

_COLS = ("accepts_submissions", "how_to_submit", "submit_to", "exclusivity", "reprints", "link_policy",
         "response_time")  # fmt: skip
_UPSERT = (
    f"INSERT INTO publication_guidelines (publication, url, {', '.join(_COLS)}, evidence, seen_at) "
    f"VALUES ({', '.join('?' for _ in range(len(_COLS) + 4))}) "
    f"ON CONFLICT(publication, url) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in _COLS)}, "
    "evidence = excluded.evidence, seen_at = excluded.seen_at "
    "WHERE excluded.seen_at >= publication_guidelines.seen_at"
)


def write_guidelines(
    db: Database, rows: Iterable[tuple[tuple[str, str | None], Guidelines]], seen_at: str
) -> int:
    """Store what each ((publication slug, page URL), guidelines) page said; the caller holds the
    transaction."""
    params = []
    for (slug, _), g in rows:
        if not g.url:
            continue
        accepts = None if g.accepts_submissions is None else int(g.accepts_submissions)
        params.append(
            (slug, g.url, accepts, g.how_to_submit, g.submit_to, g.exclusivity, g.reprints, g.link_policy,
             g.response_time, json.dumps([list(e) for e in g.evidence], ensure_ascii=False), seen_at)
        )  # fmt: skip
    db.conn.executemany(_UPSERT, params)
    return len(params)


def rename_publication(db: Database, old: str, new: str) -> None:
    """A subdomain label folded into its slug: its guidelines pages move with it."""
    db.conn.execute(
        "UPDATE OR IGNORE publication_guidelines SET publication = ? WHERE publication = ?", (new, old)
    )
    db.conn.execute("DELETE FROM publication_guidelines WHERE publication = ?", (old,))


def publication_guidelines(db: Database, slugs: Iterable[str] | None = None) -> dict[str, Guidelines]:
    """Per publication that has a guidelines page read: its merged guidelines (module docstring)."""
    sql = (
        f"SELECT g.publication, g.url, {', '.join('g.' + c for c in _COLS)}, g.evidence, "
        "g.url = p.submission_url AS primary_page FROM publication_guidelines g "
        "LEFT JOIN publications p ON p.slug = g.publication"
    )
    wanted = None if slugs is None else set(slugs)
    rows: dict[str, list[tuple[object, ...]]] = {}
    for r in db.execute(sql + " ORDER BY g.publication, primary_page DESC, g.seen_at DESC, g.url").fetchall():
        if wanted is None or r[0] in wanted:
            rows.setdefault(r[0], []).append(r)
    return {slug: _merge(pages) for slug, pages in rows.items()}


def _merge(pages: list[tuple[object, ...]]) -> Guidelines:
    values: dict[str, object] = {}
    evidence: list[tuple[str, str]] = []
    for page in pages:
        said = [(str(f), str(s)) for f, s in json.loads(str(page[2 + len(_COLS)]) or "[]")]
        for i, col in enumerate(_COLS):
            v = page[2 + i]
            if v is None or col in values:
                continue
            values[col] = bool(v) if col == "accepts_submissions" else v
            evidence += [e for e in said if e[0] == col and e not in evidence]
    # submit_to is read from the same sentences as how_to_submit.
    evidence.sort(key=lambda e: _COLS.index(e[0]) if e[0] in _COLS else len(_COLS))
    return Guidelines(url=str(pages[0][1]), evidence=tuple(evidence), **values)  # type: ignore[arg-type]
