"""`stage import`: outreach events edited in a sheet or exported from a CRM, logged under the same
rules as `stage log` (they go through tracker.log_event, the one way an event is logged).

The file is CSV with a header: handle, event, date, url, note (case and order free; `at` for `date`;
an optional `kind` column says author or publication, else a handle the store only knows as a
publication is taken as one). All or nothing: every row is first logged on a scratch copy of the
store, in file order; if any is refused, each refusal is reported with its line number and the real
store is left untouched. Rows already in the log (same target, event, time and URL) are skipped, so
importing the same file twice adds nothing.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from linkscout.core.errors import LinkscoutError
from linkscout.core.niche import OutreachSection
from linkscout.outreach import stages
from linkscout.outreach.stages import TargetKind
from linkscout.outreach.tracker import log_event, normalise
from linkscout.store.imports import copy_database, known_handles, logged_event_keys

REQUIRED = ("handle", "event", "date")
OPTIONAL = ("url", "note", "kind")


class ImportRefused(LinkscoutError):
    """At least one row of the file was refused; nothing was imported."""


@dataclass(frozen=True, slots=True)
class ImportRow:
    line: int
    kind: str
    handle: str
    event: str
    at: datetime
    url: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: int
    skipped: int  # already in the log
    rows: int


def read_rows(text: str, db: Database) -> tuple[list[ImportRow], list[str]]:
    """Parse the sheet; (rows, problems) where each problem names its line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = {(f or "").strip().lower(): f for f in reader.fieldnames or []}
    if "at" in fields and "date" not in fields:
        fields["date"] = fields["at"]
    missing = [c for c in REQUIRED if c not in fields]
    if missing:
        raise ImportRefused(
            f"the file needs the columns handle, event, date (url, note, kind optional); missing: {', '.join(missing)}"
        )
    authors, pubs = known_handles(db)
    rows: list[ImportRow] = []
    problems: list[str] = []
    for raw in reader:
        line = reader.line_num
        get = {k: (raw.get(src) or "").strip() for k, src in fields.items()}
        if not any(get.values()):
            continue  # a blank line in the sheet
        handle, event = get.get("handle", ""), get.get("event", "").lower()
        try:
            kind = _kind(get.get("kind", ""), handle, authors, pubs)
            when = stages.parse_at(get.get("date", ""))
        except LinkscoutError as e:
            problems.append(f"line {line}: {e}")
            continue
        rows.append(
            ImportRow(line, kind, handle, event, when, get.get("url") or None, get.get("note") or None)
        )
    return rows, problems


def _kind(value: str, handle: str, authors: set[str], pubs: set[str]) -> str:
    v = value.lower()
    if v in ("author", "authors", ""):
        if v == "" and handle.lstrip("@").lower() not in authors and handle.strip("/").lower() in pubs:
            return TargetKind.PUBLICATION
        return TargetKind.AUTHOR
    if v in ("publication", "publications"):
        return TargetKind.PUBLICATION
    raise ImportRefused(f"unknown kind {value!r}; use author or publication")


def _apply(
    db: Database, rules: OutreachSection, rows: list[ImportRow], now: datetime, force: bool, create: bool,
    on_error: Callable[[ImportRow, str], None],
) -> tuple[int, int]:  # fmt: skip
    seen = logged_event_keys(db)
    added = skipped = 0
    for r in rows:
        try:
            key = (r.kind, normalise(r.kind, r.handle), r.event, stages.iso(r.at), r.url or "")
        except LinkscoutError as e:
            on_error(r, str(e))
            continue
        if key in seen:
            skipped += 1
            continue
        try:
            log_event(db, rules, r.kind, r.handle, r.event, at=r.at, url=r.url, note=r.note, force=force, create=create,
                      now=now)  # fmt: skip
        except (LinkscoutError, ValueError) as e:
            on_error(r, str(e) if isinstance(e, LinkscoutError) else f"unknown event {r.event!r}")
            continue
        seen.add(key)
        added += 1
    return added, skipped


def import_events(
    db: Database,
    rules: OutreachSection,
    path: Path,
    *,
    now: datetime,
    force: bool = False,
    create: bool = False,
) -> ImportResult:
    """Import the sheet at `path` all or nothing; ImportRefused lists every refused line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise ImportRefused(f"cannot read {path}: {getattr(e, 'strerror', None) or e}") from None
    rows, problems = read_rows(text, db)
    total = len(rows) + len(problems)

    def refuse(r: ImportRow, why: str) -> None:
        problems.append(f"line {r.line} ({r.handle} {r.event}): {why}")

    if rows:  # a dry run on a scratch copy: the rules see earlier rows of the file too
        from linkscout.store.db import open_db

        with tempfile.TemporaryDirectory(prefix="linkscout-import-") as tmp:
            scratch_path = Path(tmp) / "scratch.db"
            copy_database(db, scratch_path)
            scratch = open_db(scratch_path)
            try:
                _apply(scratch, rules, rows, now, force, create, refuse)
            finally:
                scratch.conn.close()
    if problems:
        problems.sort(key=lambda p: int(p.split(" ", 2)[1].rstrip(":")))
        raise ImportRefused(
            f"nothing imported: {len(problems)} of {total} rows refused: " + "; ".join(problems)
        )

    def unexpected(r: ImportRow, why: str) -> None:  # the store changed between the dry run and now
        raise ImportRefused(
            f"line {r.line} ({r.handle} {r.event}) refused after the rows before it were imported: {why}"
        )

    added, skipped = _apply(db, rules, rows, now, force, create, unexpected)
    return ImportResult(added, skipped, len(rows))
