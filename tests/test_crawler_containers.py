"""Each container reader on data made by the real tools (warcio over the loopback fixture site) or
built to its published format (HAR 1.2, SingleFile, Chrome's MHTML, WACZ), then one folder mixing
them all imported in one crawl, and `inspect` on multi-record files."""

from __future__ import annotations

import io
import json
import quopri
import sqlite3
import subprocess
import sys
import tarfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers_saved import har_entry, har_of, revisit, singlefile_of, wacz_of, warc_from_site
from typer.testing import CliRunner

from linkscout.cli.main import app
from linkscout.crawler.containers import ContainerError, read_bytes, read_file
from linkscout.crawler.fixture_site import serve

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "fixtures" / "site"
INDEX = json.loads((SITE / "index.json").read_text(encoding="utf-8"))
ARTICLES = [u for u, e in INDEX.items() if e.get("status", 200) == 200 and u.count("/") >= 4
            and e.get("content_type", "").startswith("text/html") and u[-12:].isalnum()][:3]  # fmt: skip
FEED = next(u for u, e in INDEX.items() if "rss" in (e.get("content_type") or ""))
T1 = datetime(2024, 5, 1, 10, 0, 0, tzinfo=UTC)
T2 = datetime(2025, 1, 2, 8, 30, 0, tzinfo=UTC)


def _body(url: str) -> bytes:
    return (SITE / INDEX[url]["file"]).read_bytes()


@pytest.fixture(scope="module")
def warc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("warc") / "crawl.warc.gz"
    with serve(SITE) as site:
        warc_from_site(site.url, [*ARTICLES, FEED], out, T1)
    revisit(out, ARTICLES[0], T1)
    return out


def _mhtml(url: str, html: bytes, when: datetime) -> bytes:
    """The shape Chrome's `Page.captureSnapshot` writes (From: <Saved by Blink>, quoted-printable)."""
    qp = quopri.encodestring(html).decode("ascii")
    b = "----MultipartBoundary--abc123----"
    return (
        f"From: <Saved by Blink>\r\nSnapshot-Content-Location: {url}\r\nSubject: saved\r\n"
        f"Date: {when.strftime('%a, %d %b %Y %H:%M:%S +0000')}\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{b}"\r\n\r\n\r\n'
        f"--{b}\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
        f"Content-Transfer-Encoding: quoted-printable\r\nContent-Location: {url}\r\n\r\n{qp}\r\n"
        f"--{b}\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        f"Content-Location: https://miro.medium.com/x.png\r\n\r\niVBORw0KGgo=\r\n--{b}--\r\n"
    ).encode("ascii")


def test_warc_keeps_real_urls_capture_dates_and_notes_revisits(warc: Path) -> None:
    c = read_file(warc)
    assert [r.url for r in c.records] == [*ARTICLES, FEED]
    assert {r.captured_at for r in c.records} == {"2024-05-01T10:00:00Z"}
    assert c.records[0].status == 200 and "html" in (c.records[0].content_type or "")
    assert c.records[0].body == _body(ARTICLES[0])  # warcio undid nothing it should not have
    assert any("1 revisit record" in s for s in c.skipped)


def test_wacz_reads_the_warcs_in_its_archive_folder(warc: Path, tmp_path: Path) -> None:
    c = read_file(wacz_of(warc, tmp_path / "a.wacz", ARTICLES, T1))
    assert c.form == "wacz" and [r.url for r in c.records] == [*ARTICLES, FEED]


def test_har_decodes_base64_and_counts_entries_without_body() -> None:
    page = ARTICLES[0]
    entries = [
        har_entry(page, _body(page), "text/html; charset=utf-8", T2),
        har_entry(FEED, _body(FEED), "application/rss+xml", T2, base64_body=True, resource="fetch"),
        har_entry("https://medium.com/_/graphql", None, "application/json", T2, resource="fetch", method="POST"),
        har_entry("https://miro.medium.com/x.png", b"\x89PNG", "image/png", T2, base64_body=True, resource="image"),
    ]  # fmt: skip
    c = read_bytes("page.har", har_of(page, entries, T2))
    assert [r.url for r in c.records] == [page, FEED]
    assert c.records[1].body == _body(FEED)
    assert c.records[0].captured_at == "2025-01-02T08:30:00Z"
    assert c.skipped == ["1 Medium entry without a saved body"]


def test_singlefile_header_gives_url_and_saved_date() -> None:
    page = ARTICLES[1]
    c = read_bytes("x.html", singlefile_of(_body(page).decode(), page, T2))
    (rec,) = c.records
    assert (c.form, rec.url, rec.captured_at) == ("singlefile", page, "2025-01-02T08:30:00Z")
    assert b"<script" not in rec.body


def test_mhtml_page_part_with_snapshot_location_and_date() -> None:
    page = ARTICLES[2]
    c = read_bytes("x.mhtml", _mhtml(page, _body(page), T2))
    (rec,) = c.records  # the image part is not a page
    assert (rec.url, rec.captured_at) == (page, "2025-01-02T08:30:00Z")
    assert rec.body.replace(b"\r\n", b"\n") == _body(page).replace(b"\r\n", b"\n")


def test_not_what_the_name_says_is_one_clear_error() -> None:
    with pytest.raises(ContainerError, match="not a HAR"):
        read_bytes("x.har", b"<html></html>")
    with pytest.raises(ContainerError, match="not an MHTML"):
        read_bytes("x.mhtml", b"<html></html>")


def test_zip_and_tar_bundles_read_their_members(warc: Path) -> None:
    page = ARTICLES[1]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("saved/a.html", singlefile_of(_body(page).decode(), page, T2))
        zf.writestr("saved/crawl.warc.gz", warc.read_bytes())
        zf.writestr("__MACOSX/._a.html", b"junk")
    c = read_bytes("b.zip", buf.getvalue())
    assert [r.url for r in c.records] == [page, *ARTICLES, FEED]
    tbuf = io.BytesIO()
    with tarfile.open(fileobj=tbuf, mode="w:gz") as tf:
        data = warc.read_bytes()
        info = tarfile.TarInfo("x/crawl.warc.gz")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    assert len(read_bytes("b.tar.gz", tbuf.getvalue()).records) == len(ARTICLES) + 1


def _mixed_folder(root: Path, warc: Path) -> Path:
    folder = root / "saved"
    folder.mkdir()
    (folder / "crawl.warc.gz").write_bytes(warc.read_bytes())
    wacz_of(warc, folder / "again.wacz", ARTICLES, T1)
    page = ARTICLES[0]
    (folder / "page.har").write_bytes(har_of(page, [har_entry(page, _body(page), "text/html", T2)], T2))
    (folder / "b.html").write_bytes(singlefile_of(_body(ARTICLES[1]).decode(), ARTICLES[1], T2))
    (folder / "c.mhtml").write_bytes(_mhtml(ARTICLES[2], _body(ARTICLES[2]), T2))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("feed.xml", _body(FEED))
    (folder / "bundle.zip").write_bytes(buf.getvalue())
    return folder


def test_a_folder_mixing_every_container_imports_in_one_crawl(warc: Path, tmp_path: Path) -> None:
    _mixed_folder(tmp_path, warc)
    db = tmp_path / "l.db"
    proc = subprocess.run(
        [sys.executable, "-m", "linkscout.cli.main", "crawl", "--source", "saved", "--db", str(db)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    conn = sqlite3.connect(db)
    pages = dict(conn.execute("SELECT url, fetched_at FROM pages"))
    for url in ARTICLES:
        assert url in pages, url
    # Each page is one row, dated by its newest capture (the HAR, SingleFile and MHTML of 2025).
    assert pages[ARTICLES[0]] == "2025-01-02T08:30:00Z"
    assert pages[ARTICLES[1]] == "2025-01-02T08:30:00Z"
    ids = {r[0] for r in conn.execute("SELECT id FROM posts")}
    assert {u.rsplit("-", 1)[1] for u in ARTICLES} <= ids


def test_inspect_lists_records_and_picks_one(warc: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["inspect", str(warc)])
    assert res.exit_code == 0, res.output
    listing = json.loads(res.stdout)
    assert [r["url"] for r in listing["records"]] == [*ARTICLES, FEED]
    assert listing["records"][0]["captured_at"] == "2024-05-01T10:00:00Z"
    one = json.loads(runner.invoke(app, ["inspect", str(warc), "--record", "2"]).stdout)
    assert one["kind"] == "article" and one["posts"][0]["id"] == ARTICLES[1].rsplit("-", 1)[1]
    by_url = json.loads(runner.invoke(app, ["inspect", str(warc), "--url", FEED]).stdout)
    assert by_url["kind"] == "feed"
    missing = runner.invoke(app, ["inspect", str(warc), "--url", "https://medium.com/p/000000000000"])
    assert missing.exit_code == 1 and "no record for" in missing.stderr
