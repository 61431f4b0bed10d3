"""`linkscout inspect`: show exactly what the parser reads in one saved page, feed or payload."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from linkscout.cli import layout
from linkscout.cli.common import FormatOpt, error, handles_errors
from linkscout.cli.output_file import output_file, resolve_target
from linkscout.cli.render import Format
from linkscout.core.records import PageResult
from linkscout.core.urls import canonicalize
from linkscout.crawler.containers import ContainerError, read_file
from linkscout.crawler.parse import parse_page

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
    console = Console(file=sys.stdout, soft_wrap=False, width=max(Console().width, 140))
    table = Table(title=f"{file}: {len(records)} page records (pick one with --record N or --url URL)")
    for col in ("#", "url", "captured", "type", "status", "bytes"):
        table.add_column(col, overflow="fold" if col == "url" else "ellipsis")
    for r in records:
        _row(
            table, str(r["record"]), r["url"] or "-", r["captured_at"] or "-", r["content_type"] or "-",
            "-" if r["status"] is None else str(r["status"]), str(r["bytes"]),
        )  # fmt: skip
    console.print(table)
    for s in skipped:
        console.print(f"  skipped: {s}", markup=False, highlight=False)


def _from_url(url: str, save: Path | None, *, force: bool = False) -> PageResult:
    from linkscout.crawler.fetch import fetch, parse_fetched  # httpx loads only when a URL is fetched

    fetched = fetch(url)  # FetchError -> "Error: ..." and exit 1 via handles_errors
    if save is not None:
        with output_file(save, force=force, binary=True, option="--save") as f:
            f.write(fetched.body)
        print(f"Saved {len(fetched.body)} bytes from {fetched.final_url} to {save}", file=sys.stderr)
    return parse_fetched(fetched)


def print_table(result: PageResult) -> None:
    """The human view: kind, posts with their numbers, authors, publications, links, warnings."""
    term = layout.detect()  # the terminal's width (no forced minimum); unbounded into a pipe
    console = Console(file=sys.stdout, soft_wrap=False, width=term.width or 100_000)
    head = Text.assemble(("kind", "bold"), f": {result.kind}")
    if result.url:
        head.append_text(Text.assemble("   ", ("url", "bold"), f": {result.url}"))
    console.print(head)
    if result.blocked_reason:
        console.print(Text.assemble(("blocked", "bold red"), f": {result.blocked_reason}"))
    posts = Table(title=f"posts ({len(result.posts)})", header_style="bold")
    for col in (
        "id",
        "title",
        "author",
        "publication",
        "published",
        "claps",
        "resp",
        "read",
        "locked",
        "tags",
        "links",
    ):
        posts.add_column(col, overflow="fold")
    for p in result.posts:
        links = (
            "?" if p.links is None else f"{len(p.links)} ({sum(1 for x in p.links if x.nofollow)} nofollow)"
        )
        title = (p.title or "-") + (" [response]" if p.is_response else "")
        _row(
            posts,
            p.id, title, p.author or "-", p.publication or "-", (p.published_at or "-")[:10], _n(p.claps),
            _n(p.responses), "-" if p.reading_time is None else f"{p.reading_time:.1f}",
            "-" if p.locked is None else ("yes" if p.locked else "no"), ", ".join(p.tags) or "-", links,
        )  # fmt: skip
    console.print(posts)
    if result.authors:
        authors = Table(title=f"authors ({len(result.authors)})", header_style="bold")
        for col in ("username", "name", "followers", "bio"):
            authors.add_column(col, overflow="fold")
        for a in result.authors:
            _row(authors, a.username or "-", a.name or "-", _n(a.followers), (a.bio or "-")[:120])
        console.print(authors)
    if result.publications:
        pubs = Table(title=f"publications ({len(result.publications)})", header_style="bold")
        for col in ("slug", "name", "domain", "followers", "submission"):
            pubs.add_column(col)
        for pub in result.publications:
            _row(
                pubs,
                pub.slug or "-",
                pub.name or "-",
                pub.domain or "-",
                _n(pub.followers),
                pub.submission_url or "-",
            )
        console.print(pubs)
    body_links = [(p.id, link) for p in result.posts for link in p.links or ()]
    if body_links:
        table = Table(title=f"body links ({len(body_links)})", header_style="bold")
        for col in ("post", "url", "rel", "anchor"):
            table.add_column(col, overflow="fold")
        for pid, link in body_links:
            _row(table, pid, link.url, link.rel or "-", link.anchor[:60])
        console.print(table)
    if result.warnings:
        console.print(f"[bold yellow]warnings ({len(result.warnings)})[/bold yellow]")
        for w in result.warnings:
            console.print(f"  - {w}", markup=False, highlight=False)
    else:
        console.print("no warnings")


def _row(table: Table, *cells: str) -> None:
    table.add_row(*(Text(c) for c in cells))  # page text is never rich markup


def _n(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"
