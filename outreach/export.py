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
This module decides what the rows hold; how they are written is the CLI's (cli/render.py `write_rows`:
CSV cells a spreadsheet would run as a formula are neutralised there; cli/output_file.py: the file is
written beside its target and renamed, never over a device, a folder or, without --force, a file).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from linkscout.core.niche import Niche
from linkscout.outreach.queue import QueueRow, utm_url

KNOWN_COMPONENTS = (
    "relevance", "engagement", "consistency", "activity", "niche_share", "followers", "backlinks", "submission",
    "one_hit_penalty", "inactivity_penalty", "off_niche_penalty",
)  # fmt: skip
HEAD = ("rank", "kind", "handle", "name", "profile_url", "score")
TAIL = (
    "rationale", "suggested_post", "suggested_post_url", "stage", "last_contact", "next_action", "due_date",
    "utm_url", "competitor", "rel",
)  # fmt: skip


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
