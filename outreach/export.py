"""The CRM-ready export: one row per prospect, one file per kind, columns from outreach/prospect.py.

`authors`, `publications` and `links` each have their own layout (prospect.COLUMNS; the README lists
every column with its meaning and an example), the same columns `rank` and `queue` print. `--preset`
renames columns to what a CRM's importer recognises without manual mapping; columns a preset does
not rename keep linkscout's names (both tools let you create a custom field for them or skip them):

- hubspot: HubSpot's default property labels. Contacts (authors): First Name, Last Name, Website URL,
  Twitter Username (the handle, not a URL); companies (publications): Company name, Company Domain
  Name (the key HubSpot de-duplicates companies on), Website URL. Sources: HubSpot's contact and
  company properties (developers.hubspot.com/docs/methods/contacts/contact-properties-overview,
  developers.hubspot.com/docs/api-reference/latest/crm/objects/companies/guide: "name or domain ...
  domain names are the primary unique identifier").
- buzzstream: BuzzStream's import fields. People and outlets: Name, First Name, Last Name, Website,
  Twitter, Person About (the bio), Relationship Stage, Notes (the rationale) -- "Relationship Stage"
  and "Person About" as named in BuzzStream's help on importing (buzzstream.zendesk.com/hc/en-us/
  articles/216196903); link leads follow its Link Partners CSV template (buzzstream.com/
  import-link-partners): "Link Partner – Name", "Link Partner – Domain", "Linking from", "Linking To".

This module decides what the rows hold; how they are written is the CLI's (cli/render.py `write_rows`:
CSV cells a spreadsheet would run as a formula are neutralised there; cli/output_file.py: the file is
written beside its target and renamed, never over a device, a folder or, without --force, a file).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from linkscout.core.errors import LinkscoutError
from linkscout.outreach.prospect import ProspectContext, column_names, prospect_rows
from linkscout.outreach.queue import QueueRow

PRESETS = ("hubspot", "buzzstream")

_RENAMES: dict[str, dict[str, dict[str, str]]] = {
    "hubspot": {
        "authors": {"first_name": "First Name", "last_name": "Last Name", "website": "Website URL",
                    "twitter_url": "Twitter Username"},
        "publications": {"name": "Company name", "domain": "Company Domain Name", "url": "Website URL"},
        "links": {},
    },
    "buzzstream": {
        "authors": {"name": "Name", "first_name": "First Name", "last_name": "Last Name", "website": "Website",
                    "twitter_url": "Twitter", "bio": "Person About", "stage": "Relationship Stage",
                    "rationale": "Notes"},
        "publications": {"name": "Name", "url": "Website", "stage": "Relationship Stage", "rationale": "Notes"},
        "links": {"name": "Link Partner – Name", "domain": "Link Partner – Domain", "post": "Linking from",
                  "url": "Linking To", "stage": "Relationship Stage", "rationale": "Notes"},
    },
}  # fmt: skip


class ExportError(LinkscoutError):
    """The export cannot be made as asked (an unknown preset)."""


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def export_rows(
    kind: str, rows: Sequence[QueueRow], ctx: ProspectContext, *, fmt: str = "csv", preset: str | None = None
) -> tuple[list[str], list[dict[str, Any]]]:
    """(columns, rows) of one kind's file: the prospect columns, renamed by `preset` when given."""
    data = prospect_rows(kind, rows, ctx, fmt=fmt)
    cols = column_names(kind)
    if preset is None:
        return cols, data
    if preset not in PRESETS:
        raise ExportError(f"unknown preset {preset!r}; use one of {', '.join(PRESETS)}")
    names = _RENAMES[preset][kind]
    if "domain" in names:  # a derived column the importer keys on: the host of the page
        src = "post" if kind == "links" else "url"
        at = cols.index(src)
        cols = [*cols[:at], "domain", *cols[at:]]
        for d in data:
            host = _host(d.get(src))
            # HubSpot merges companies on this domain: every medium.com publication would become one.
            d["domain"] = None if preset == "hubspot" and host == "medium.com" else host
    if preset == "hubspot" and kind == "authors":
        for d in data:
            d["twitter_url"] = (d["twitter_url"] or "").rsplit("/", 1)[-1] or None
    out_cols = [names.get(c, c) for c in cols]
    return out_cols, [{names.get(c, c): d.get(c) for c in cols} for d in data]
