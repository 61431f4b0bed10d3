"""The outreach spreadsheet: queue rows in a documented, stable column order, safe to open in Excel.

Columns, always in this order (empty cells mean unknown or not applicable):

    rank, kind, handle, name, profile_url, score,
    score_<component> for each ranking component, always all of: relevance, engagement, consistency,
        activity, niche_share, followers, backlinks, submission, one_hit_penalty, inactivity_penalty,
        off_niche_penalty
        (empty where the row's kind has no such component), then any other the ranking reports, A-Z,
    rationale, suggested_post, suggested_post_url, stage, last_contact, next_action, due_date,
    utm_url, competitor, rel

`utm_url` is filled where the row suggests linking the user's site (a pitch, a guest post, a link
lead): https://<site>/?utm_source=medium&utm_medium=referral&utm_campaign=<niche name>.
CSV cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) are neutralised with a
leading quote; newlines stay inside quoted cells. The file is written beside its target and renamed,
so a failed export never leaves half a file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson

from linkscout.core.errors import LinkscoutError
from linkscout.core.niche import Niche
from linkscout.outreach.csvsafe import write_csv
from linkscout.outreach.queue import QueueRow, utm_url

FORMATS = ("csv", "json", "jsonl")
KNOWN_COMPONENTS = (
    "relevance", "engagement", "consistency", "activity", "niche_share", "followers", "backlinks", "submission",
    "one_hit_penalty", "inactivity_penalty", "off_niche_penalty",
)  # fmt: skip
HEAD = ("rank", "kind", "handle", "name", "profile_url", "score")
TAIL = (
    "rationale", "suggested_post", "suggested_post_url", "stage", "last_contact", "next_action", "due_date",
    "utm_url", "competitor", "rel",
)  # fmt: skip


class ExportError(LinkscoutError):
    """The export file could not be written."""


def columns(rows: Iterable[QueueRow]) -> list[str]:
    extra = sorted({k for r in rows for k in r.components} - set(KNOWN_COMPONENTS))
    return [*HEAD, *(f"score_{c}" for c in (*KNOWN_COMPONENTS, *extra)), *TAIL]


def export_rows(rows: Sequence[QueueRow], niche: Niche) -> tuple[list[str], list[dict[str, Any]]]:
    cols = columns(rows)
    utm = utm_url(niche)
    out = []
    for r in rows:
        d: dict[str, Any] = {
            "rank": r.rank,
            "kind": r.kind,
            "handle": r.handle,
            "name": r.name,
            "profile_url": r.url,
            "score": r.score,
            "rationale": r.rationale,
            "suggested_post": r.suggested_post,
            "suggested_post_url": r.suggested_post_url,
            "stage": r.stage,
            "last_contact": r.last_contact,
            "next_action": r.next_step,
            "due_date": r.due.isoformat(),
            "utm_url": utm if r.links_site else None,
            "competitor": r.competitor,
            "rel": r.rel,
        }
        for k, v in r.components.items():
            d[f"score_{k}"] = v
        out.append({c: d.get(c) for c in cols})
    return cols, out


def write_export(path: str | Path, rows: Sequence[QueueRow], niche: Niche, *, fmt: str = "csv") -> Path:
    """Write `rows` to `path` atomically; ExportError (one line) when the path cannot be written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"{target} is a folder; pass --out FILE")
    cols, data = export_rows(rows, niche)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as e:
        raise ExportError(f"cannot write {target}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            if fmt == "csv":
                write_csv(f, cols, data)
            elif fmt == "json":
                f.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")
            else:
                for d in data:
                    f.write(orjson.dumps(d).decode() + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ExportError(f"cannot write {target}: {e.strerror or e}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target
