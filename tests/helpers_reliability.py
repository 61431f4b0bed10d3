"""Shared by the reliability tests: run `linkscout crawl` in a subprocess, snapshot a database, watch ports.

The Twisted reactor starts once per process, so every crawl here is the real CLI in a subprocess,
pointed at a loopback server this test process runs (`--source http://127.0.0.1:PORT`).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
SITE = FIXTURES / "site"
NICHE = FIXTURES / "niche.toml"
PY = sys.executable
SOAK = os.environ.get("LINKSCOUT_SOAK") == "1"

# Columns that record when, not what: ignored when two databases are compared.
TIME_COLUMNS = frozenset({"first_seen", "last_seen", "fetched_at", "seen_at", "discovered_at", "logged_at",
                          "created_at", "started_at", "finished_at", "checked_at"})  # fmt: skip
# Bookkeeping of a crawl run, not its result; store_changes is the ranking cache's change counter (a
# random id per database and a count of writes: it differs between any two databases by design).
SKIP_TABLES = frozenset({"crawl_runs", "frontier", "_sqlite_migrations", "sqlite_sequence", "store_changes"})


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(REPO) + os.pathsep + e.get("PYTHONPATH", "")
    e.pop("LINKSCOUT_SOAK", None)
    e["COLUMNS"] = "200"
    return e


def cli(*args: str, timeout: float = 180, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PY, "-m", "linkscout.cli.main", *args], cwd=cwd or REPO, env=env(), capture_output=True,
                          text=True, timeout=timeout)  # fmt: skip


def crawl_argv(db: Path, source: str, *extra: str, niche: Path = NICHE) -> list[str]:
    return [
        PY,
        "-m",
        "linkscout.cli.main",
        "crawl",
        "--niche",
        str(niche),
        "--db",
        str(db),
        "--source",
        source,
        *extra,
    ]


def crawl(
    db: Path, source: str, *extra: str, niche: Path = NICHE, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(crawl_argv(db, source, *extra, niche=niche), cwd=REPO, env=env(), capture_output=True,
                          text=True, timeout=timeout)  # fmt: skip


def contents(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows, time columns dropped, sorted: what two crawls must agree on."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out: dict[str, list[tuple]] = {}
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for t in sorted(tables):
            if t in SKIP_TABLES or t.startswith("posts_fts"):  # FTS internals follow insertion order
                continue
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({t})") if r[1] not in TIME_COLUMNS]
            rows = conn.execute(f"SELECT {', '.join(cols)} FROM {t}").fetchall()
            out[t] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def diff(a: dict[str, list[tuple]], b: dict[str, list[tuple]], limit: int = 5) -> list[str]:
    """Human-readable differences between two `contents()` snapshots (empty when equal)."""
    out = []
    for t in sorted(set(a) | set(b)):
        ra, rb = set(a.get(t, [])), set(b.get(t, []))
        if ra != rb:
            out.append(f"{t}: {len(ra - rb)} rows only in the first, {len(rb - ra)} only in the second; "
                       f"e.g. {sorted(ra - rb, key=repr)[:limit]} / {sorted(rb - ra, key=repr)[:limit]}")  # fmt: skip
    return out


def file_hash(p: Path, *, side_files: bool = False) -> str:
    """Hash of a database file (with its -wal/-shm side files when asked)."""
    h = hashlib.sha256()
    for suffix in ("", "-wal", "-shm") if side_files else ("",):
        f = Path(str(p) + suffix)
        h.update(suffix.encode())
        h.update(f.read_bytes() if f.exists() else b"<absent>")
    return h.hexdigest()


def listening_inodes() -> dict[str, str]:
    """inode -> 'ip:port' of every listening TCP socket in this network namespace."""
    out = {}
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            if f[3] == "0A":  # TCP_LISTEN
                out[f[9]] = f[1]
    return out


def listening_ports_of(pid: int) -> set[str]:
    """Listening sockets held by process `pid` (matched through /proc/<pid>/fd socket inodes)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return set()
    inodes = set()
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    listening = listening_inodes()
    return {listening[i] for i in inodes if i in listening}


def run_watching_ports(
    argv: list[str], timeout: float = 300
) -> tuple[subprocess.CompletedProcess[str], set[str], int]:
    """Run a command, sampling its listening sockets every 50 ms. Returns (result, sockets seen, samples)."""
    p = subprocess.Popen(argv, cwd=REPO, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: set[str] = set()
    samples = 0
    deadline = time.monotonic() + timeout
    while p.poll() is None and time.monotonic() < deadline:
        seen |= listening_ports_of(p.pid)
        samples += 1
        time.sleep(0.05)
    out, err = p.communicate(timeout=30)
    return subprocess.CompletedProcess(argv, p.returncode, out, err), seen, samples


def clean_crawl(base: Path) -> Path:
    """One uninterrupted, fault-free crawl of the bundled fixture niche, shared by the tests of a session."""
    from linkscout.crawler.fixture_site import serve

    db = base / "clean.db"
    done = base / "clean.done"
    if not done.exists():
        with serve(SITE) as srv:
            r = crawl(db, srv.url)
        assert r.returncode == 0, r.stderr[-2000:]
        done.write_text(r.stderr)
    return db
