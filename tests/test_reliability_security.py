"""Security: robots.txt, no listening ports, capped page sizes, CSV injection, parameterised SQL, no page data
reaching a file path or a shell."""

from __future__ import annotations

import ast
import csv
import io
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from helpers_reliability import NICHE, REPO, SITE, crawl_argv, run_watching_ports
from protego import Protego

from linkscout.cli.csvsafe import safe_cell, to_csv_text
from linkscout.core.niche import load_niche
from linkscout.crawler.fixture_site import serve
from linkscout.crawler.settings import MAX_PAGE_BYTES, base_settings, live_settings, loopback_settings

PACKAGES = ("core", "crawler", "store", "graph", "outreach", "cli")
# The top author of the fixture niche: linked from many pages, so a crawl of 200 pages meets the link.
PLANTED = "/@jonas_fai"


@pytest.mark.parametrize("profile", ["live", "loopback"])
def test_settings_obey_robots_cap_sizes_and_open_no_console(tmp_path: Path, profile: str) -> None:
    niche = load_niche(NICHE)
    s = (live_settings(niche, db_path=tmp_path / "x.db") if profile == "live"
         else loopback_settings(niche, origin="http://127.0.0.1:1"))  # fmt: skip
    assert s["ROBOTSTXT_OBEY"] is True
    assert s["TELNETCONSOLE_ENABLED"] is False
    assert s["EXTENSIONS"]["scrapy.extensions.telnet.TelnetConsole"] is None
    assert s["EXTENSIONS"]["scrapy.extensions.remote_control.RemoteControl"] is None
    assert 0 < s["DOWNLOAD_MAXSIZE"] <= MAX_PAGE_BYTES <= 20 * 1024 * 1024
    assert s["COOKIES_ENABLED"] is False
    assert "linkscout" in s["USER_AGENT"] and "Mozilla" not in s["USER_AGENT"]
    assert base_settings(niche)["ROBOTSTXT_OBEY"] is True


@pytest.mark.slow
def test_crawl_opens_no_listening_port_and_never_fetches_a_disallowed_url(tmp_path: Path) -> None:
    # A copy of the site whose robots.txt also disallows the niche's best-linked author profile: the crawl
    # must meet that link, consult robots.txt and record the page `skipped_robots` without fetching it.
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    robots_file = site / "medium.com" / "robots.txt.txt"
    robots_file.write_text(
        robots_file.read_text().replace("Disallow: /m/\n", f"Disallow: /m/\nDisallow: {PLANTED}\n")
    )
    db = tmp_path / "sec.db"
    with serve(site) as srv:
        result, listening, samples = run_watching_ports(crawl_argv(db, srv.url, "--budget", "200"))
        fetched = srv.fetched()
    assert result.returncode == 0, result.stderr[-1500:]
    assert samples >= 10, "the crawl ended before its sockets could be sampled"
    assert listening == set(), f"the crawl process listened on {listening} (telnet console / remote control?)"
    robots = {}
    for host_path in fetched:
        host, _, path = host_path.partition("/")
        if host not in robots:
            entry = srv.index.get(f"https://{host}/robots.txt")
            body = (site / entry["file"]).read_text() if entry and entry.get("file") else ""
            robots[host] = Protego.parse(body)
        assert robots[host].can_fetch(f"https://{host}/{path}", "linkscout"), (
            f"fetched disallowed {host_path}"
        )
    conn = sqlite3.connect(db)
    planted = conn.execute(
        "SELECT status FROM pages WHERE url = ?", (f"https://medium.com{PLANTED}",)
    ).fetchone()
    conn.close()
    assert any("/robots.txt" in f for f in fetched)
    assert f"medium.com{PLANTED}" not in fetched
    assert planted == ("skipped_robots",), f"the planted disallowed profile was recorded as {planted}"


@pytest.mark.parametrize(
    "evil", ['=HYPERLINK("http://x","y")', "+1+2", "-3", "@SUM(A1)", "\t=1", "\r=1", "line\nbreak"]
)
def test_csv_injection_is_neutralised_and_round_trips(evil: str) -> None:
    cell = safe_cell(evil)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    text = to_csv_text(["name", "url"], [{"name": evil, "url": "https://medium.com/@x"}])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == cell and rows[1][1] == "https://medium.com/@x"


# -- SQL only with parameters --

# Interpolations allowed inside SQL f-strings: placeholder lists and identifiers from module constants.
_SAFE_EXPR = re.compile(
    # `where` (graph/leads.py): " OR ".join("host = ? OR host LIKE ?" ...), placeholders only.
    r"^(marks|placeholders|qmarks|ph|qs|holes|in_list|cols_sql|updates|set_sql|where|where_sql|order_sql|"
    r"[A-Z_][A-Z0-9_]*|table|t|col|cols|key|column|name|kind_col|cols_list)$"
    r"|join\(\s*['\"]\?['\"]|join\(.*['\"]\?['\"].*\)|\?\s*['\"]?\s*\*|len\("
)


def _sql_calls(tree: ast.AST) -> list[tuple[int, str]]:
    bad = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in ("execute", "executemany", "executescript") or not node.args:
            continue
        arg = node.args[0]
        if isinstance(arg, ast.JoinedStr):
            for v in arg.values:
                if isinstance(v, ast.FormattedValue):
                    src = ast.unparse(v.value)
                    if not _SAFE_EXPR.search(src):
                        bad.append((node.lineno, src))
        elif (
            isinstance(arg, ast.BinOp)
            and isinstance(arg.op, ast.Mod)
            or isinstance(arg, ast.Call)
            and isinstance(arg.func, ast.Attribute)
            and arg.func.attr == "format"
        ):
            bad.append((node.lineno, ast.unparse(arg)))
    return bad


def test_sql_is_built_only_with_parameters() -> None:
    offenders = []
    for pkg in PACKAGES:
        for f in sorted((REPO / pkg).rglob("*.py")):
            for line, src in _sql_calls(ast.parse(f.read_text(encoding="utf-8"))):
                offenders.append(f"{f.relative_to(REPO)}:{line}: {{{src}}}")
    assert offenders == [], "SQL built from values instead of parameters:\n" + "\n".join(offenders)


def test_the_sql_check_catches_interpolated_values() -> None:
    bad = ast.parse('db.execute(f"SELECT * FROM posts WHERE id = \'{post_id}\'")\ndb.execute("x=%s" % v)')
    assert [src for _l, src in _sql_calls(bad)] == ["post_id", "'x=%s' % v"]


# -- nothing from a page becomes a file path or a shell argument --

_SHELL = ("subprocess", "os.system", "os.popen", "os.exec", "os.spawn", "pty.spawn")
_WRITES = ("write_text", "write_bytes", "mkdir", "unlink", "rename", "rmtree", "makedirs", "symlink_to")
# Modules allowed to touch files or start processes, and why.
_ALLOWED = {
    "crawler/fixture_site.py": "serves files named in index.json",
    "crawler/saved_pages.py": "reads the user's folder; never writes",
    "store/db.py": "creates the database folder the user named",
    "graph/cache.py": "writes its cache folder beside the database the user named (<db>.cache)",
    "cli/": "writes where the user's --out/--niche option says",
}


def test_page_data_never_reaches_a_shell_or_a_file_path() -> None:
    offenders = []
    for pkg in ("core", "crawler", "store", "graph", "outreach"):
        for f in sorted((REPO / pkg).rglob("*.py")):
            rel = str(f.relative_to(REPO))
            if any(rel.startswith(a) for a in _ALLOWED):
                continue
            text = f.read_text(encoding="utf-8")
            tree = ast.parse(text)
            for node in ast.walk(tree):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    names = [a.name for a in node.names] + (
                        [node.module] if isinstance(node, ast.ImportFrom) else []
                    )
                    if any(n and n.split(".")[0] in ("subprocess", "pty") for n in names):
                        offenders.append(f"{rel}:{node.lineno}: imports {names}")
                if isinstance(node, ast.Attribute) and ast.unparse(node).startswith(_SHELL[1:]):
                    offenders.append(f"{rel}:{node.lineno}: uses {ast.unparse(node)}")
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in _WRITES
                ):
                    offenders.append(f"{rel}:{node.lineno}: {ast.unparse(node)[:80]}")
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
                    mode = node.args[1] if len(node.args) > 1 else None
                    if isinstance(mode, ast.Constant) and any(c in str(mode.value) for c in "wax+"):
                        offenders.append(f"{rel}:{node.lineno}: {ast.unparse(node)[:80]}")
    cli_eval = REPO / "cli" / "eval_cmd.py"
    if cli_eval.exists():
        for node in ast.walk(ast.parse(cli_eval.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "shell" and getattr(node.value, "value", False):
                offenders.append("cli/eval_cmd.py: subprocess with shell=True")
    assert offenders == [], "\n".join(offenders)
