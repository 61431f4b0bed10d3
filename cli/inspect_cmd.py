"""`linkscout inspect`: show exactly what the parser reads in one saved page, feed or payload."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from linkscout.cli import layout
from linkscout.cli.common import FormatOpt, error, handles_errors
from linkscout.cli.output_file import output_file, resolve_target
from linkscout.cli.render import Format, render

if TYPE_CHECKING:
    from linkscout.core.records import PageResult

FORMATS = (Format.json, Format.jsonl, Format.table)


@handles_errors
def inspect(
    path: Annotated[
        str,
        typer.Argument(
            help="A saved page, RSS feed, ?format=json or GraphQL payload, robots.txt; or an https URL."
        ),
    ],
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            help="The URL the file was saved from (helps tell what it is); in a web archive, HAR or MHTML "
            "with several pages, the record to show.",
        ),
    ] = None,
    record: Annotated[
        int | None,
        typer.Option(
            "--record", min=1, help="In a file with several records: show record N (see the listing)."
        ),
    ] = None,
    format: FormatOpt = Format.json,
    save: Annotated[
        Path | None, typer.Option("--save", help="With a URL: keep the raw response bytes in this file.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="With --save: overwrite an existing file.")] = False,
) -> None:
    """Parse one saved file (or fetch one URL, politely) and print every post, author, publication,
    body link and warning the parser sees. JSON output follows inspect-json.md (jsonl: the same on one
    line; table: for people); exit 0 whenever the file could be read, 2 when it does not exist.

    A web archive (.warc, .warc.gz, .wacz), HAR, MHTML or zip/tar bundle holding several pages is
    listed (number, URL, capture time, type); pick one with --record N or --url URL.

    Example: linkscout inspect saved/article.html --url https://medium.com/@ann/post-1234abcd5678 --format table
    """
    if format not in FORMATS:
        raise typer.BadParameter(
            f"{format.value!r} is not one of {', '.join(FORMATS)}", param_hint="--format"
        )
    if path.startswith(("https://", "http://")):
        if save is not None:
            resolve_target(save, force=force, option="--save")  # refuse before fetching
        result = _from_url(path, save, force=force)
    else:
        if save is not None:
            raise typer.BadParameter("--save only applies when PATH is a URL", param_hint="--save")
        picked = _from_file(Path(path), url, record)
        if isinstance(picked, list):
            _print_listing(Path(path), picked, format)
            return
        result = picked
    if format is Format.json:
        sys.stdout.write(json.dumps(result.to_contract(), ensure_ascii=False, indent=2) + "\n")
    elif format is Format.jsonl:
        sys.stdout.write(json.dumps(result.to_contract(), ensure_ascii=False) + "\n")
    else:
        print_table(result)


def _from_file(file: Path, url: str | None, record: int | None) -> PageResult | list[dict[str, Any]]:
    """The parsed page, or the listing of a multi-record file when no record was picked."""
    from linkscout.core.urls import canonicalize
    from linkscout.crawler.containers import ContainerError, read_file
    from linkscout.crawler.parse import parse_page

    if not file.exists():
        error(f"{file} does not exist")
        raise typer.Exit(2)
    if not file.is_file():
        error(f"{file} is not a file")
        raise typer.Exit(2)
    try:
        container = read_file(file)
    except OSError as exc:
        error(f"cannot read {file}: {exc.strerror or exc}")
        raise typer.Exit(2) from None
    except ContainerError as exc:
        error(f"{file}: {exc}")
        raise typer.Exit(1) from None
    records = container.records
    if container.form in ("html", "singlefile", "httrack") and len(records) == 1:
        if record not in (None, 1):
            raise typer.BadParameter(f"{file} holds one page", param_hint="--record")
        rec = records[0]
        return parse_page(rec.body, url or rec.url, content_type=rec.content_type)
    if record is not None:
        if record > len(records):
            raise typer.BadParameter(f"{file} holds {len(records)} page records", param_hint="--record")
        rec = records[record - 1]
    elif url is not None:
        want = canonicalize(url)
        hits = [r for r in records if r.url and (r.url == url or canonicalize(r.url) == want)]
        if not hits:
            error(f"no record for {url} in {file} (run without --url to list its {len(records)} records)")
            raise typer.Exit(1)
        rec = hits[-1]  # the newest capture of that URL
    elif len(records) == 1:
        rec = records[0]
    else:
        return [
            {"record": i, "url": r.url, "captured_at": r.captured_at, "content_type": r.content_type,
             "status": r.status, "bytes": len(r.body), "form": r.form}
            for i, r in enumerate(records, start=1)
        ] + [{"skipped": s} for s in container.skipped]  # fmt: skip
    return parse_page(rec.body, rec.url, status=rec.status, content_type=rec.content_type)


def _print_listing(file: Path, rows: list[dict[str, Any]], format: Format) -> None:
    records = [r for r in rows if "record" in r]
    skipped = [r["skipped"] for r in rows if "skipped" in r]
    if format is not Format.table:
        out = {"file": str(file), "records": records, "skipped": skipped}
        indent = 2 if format is Format.json else None
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=indent) + "\n")
        return
    cols = ["#", "url", "captured", "type", "status", "bytes"]
    render(
        [{"#": r["record"], "url": r["url"] or "-", "captured": r["captured_at"] or "-",
          "type": r["content_type"] or "-", "status": "-" if r["status"] is None else r["status"],
          "bytes": r["bytes"]} for r in records],
        Format.table, columns=cols,
        title=f"{file}: {len(records)} page records (pick one with --record N or --url URL)",
    )  # fmt: skip
    layout.emit(f"  skipped: {s}" for s in skipped)


def _from_url(url: str, save: Path | None, *, force: bool = False) -> PageResult:
    from linkscout.crawler.fetch import fetch, parse_fetched  # httpx loads only when a URL is fetched

    fetched = fetch(url)  # FetchError -> "Error: ..." and exit 1 via handles_errors
    if save is not None:
        with output_file(save, force=force, binary=True, option="--save") as f:
            f.write(fetched.body)
        print(f"Saved {len(fetched.body)} bytes from {fetched.final_url} to {save}", file=sys.stderr)
    return parse_fetched(fetched)


def print_table(result: PageResult) -> None:
    """The human view: kind, posts with their numbers, authors, publications, links, warnings. Tables
    are the project's own (cli/layout.py): they fit the terminal and a URL is never split, it leaves
    the grid for a numbered line of its own under the table."""
    term = layout.detect()  # the terminal's width (no forced minimum); unbounded into a pipe
    head = f"kind: {result.kind}" + (f"   url: {result.url}" if result.url else "")
    lines = layout.wrap(head, term.width, "", "  ", term)
    if result.blocked_reason:
        lines.append(f"blocked: {result.blocked_reason}")
    layout.emit(lines)
    posts = [
        {"id": p.id, "title": (p.title or "-") + (" [response]" if p.is_response else ""),
         "author": p.author or "-", "publication": p.publication or "-",
         "published": (p.published_at or "-")[:10], "claps": _n(p.claps), "resp": _n(p.responses),
         "read": "-" if p.reading_time is None else f"{p.reading_time:.1f}",
         "locked": "-" if p.locked is None else ("yes" if p.locked else "no"), "tags": ", ".join(p.tags) or "-",
         "links": "?" if p.links is None else f"{len(p.links)} ({sum(1 for x in p.links if x.nofollow)} nofollow)"}
        for p in result.posts
    ]  # fmt: skip
    _section(posts, f"posts ({len(result.posts)})",
             ["id", "title", "author", "publication", "published", "claps", "resp", "read", "locked", "tags",
              "links"])  # fmt: skip
    if result.authors:
        authors = [{"username": a.username or "-", "name": a.name or "-", "followers": _n(a.followers),
                    "bio": (a.bio or "-")[:120]} for a in result.authors]  # fmt: skip
        _section(authors, f"authors ({len(result.authors)})", ["username", "name", "followers", "bio"])
    if result.publications:
        pubs = [{"slug": pub.slug or "-", "name": pub.name or "-", "domain": pub.domain or "-",
                 "followers": _n(pub.followers), "submission": pub.submission_url or "-"}
                for pub in result.publications]  # fmt: skip
        _section(pubs, f"publications ({len(result.publications)})",
                 ["slug", "name", "domain", "followers", "submission"])  # fmt: skip
    body_links = [(p.id, link) for p in result.posts for link in p.links or ()]
    if body_links:
        links = [{"post": pid, "url": link.url, "rel": link.rel or "-", "anchor": link.anchor[:60]}
                 for pid, link in body_links]  # fmt: skip
        _section(links, f"body links ({len(body_links)})", ["post", "url", "rel", "anchor"])
    term = layout.detect()
    warnings = [
        layout.bold(f"warnings ({len(result.warnings)})", term),
        *(f"  - {w}" for w in result.warnings),
    ]
    layout.emit(warnings if result.warnings else ["no warnings"])


def _section(rows: list[dict[str, Any]], title: str, columns: list[str]) -> None:
    sys.stdout.write("\n")
    render(rows, Format.table, columns=columns, title=title)


def _n(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"
