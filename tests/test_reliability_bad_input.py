"""Bad input: every command refuses it with a non-zero exit and ONE line on stderr, and the database is unchanged.

"Unchanged" is checked by hashing the database file (and its -wal/-shm side files) before and after.
Commands run in-process through Typer's CliRunner (the crawl cases fail before any reactor starts).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from helpers_reliability import NICHE, file_hash
from typer.testing import CliRunner

from linkscout.cli.main import app
from linkscout.store.db import open_db

READERS = [["rank"], ["queue"], ["next"], ["stage", "list"], ["export", "--out", "{tmp}/out.csv"]]


@pytest.fixture(scope="module")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("bad") / "good.db"
    db = open_db(p)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return p


def _copy(src: Path, dst: Path) -> Path:
    shutil.copy(src, dst)
    return dst


def _corrupt(tmp: Path, good: Path, how: str) -> Path:
    p = tmp / f"{how}.db"
    if how == "not_sqlite":
        p.write_text("name,followers\nalice,12\n")
    elif how == "random_bytes":
        p.write_bytes(bytes(range(256)) * 64)
    elif how == "damaged":
        data = bytearray(good.read_bytes())
        data[100:4096] = b"\xff" * (4096 - 100)  # header kept, schema page destroyed
        p.write_bytes(bytes(data))
    elif how == "newer":
        _copy(good, p)
        conn = sqlite3.connect(p)
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('linkscout', 'm999_future', '2030-01-01')"
        )
        conn.commit()
        conn.close()
    return p


def run(args: list[str]) -> tuple[int, str]:
    res = CliRunner().invoke(app, args)
    err = res.stderr if res.stderr is not None else res.output
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise AssertionError(f"{args}: crashed with {res.exception!r}\n{err}")
    return res.exit_code, err


def assert_refused(args: list[str], db: Path | None) -> str:
    before = file_hash(db) if db else None
    code, err = run(args)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code != 0, f"{args}: exit 0 on bad input; stderr={err!r}"
    assert len(lines) == 1, f"{args}: expected one line on stderr, got {len(lines)}:\n{err}"
    assert "Traceback" not in err
    if db is not None:
        assert file_hash(db) == before, f"{args}: the database changed"
    return lines[0]


@pytest.mark.parametrize("how", ["not_sqlite", "random_bytes", "damaged", "newer"])
@pytest.mark.parametrize(
    "cmd", [*READERS, ["crawl", "--budget", "1"], ["stage", "log", "someone", "followed"]]
)
def test_unusable_database_is_refused_and_left_alone(
    tmp_path: Path, good_db: Path, how: str, cmd: list[str]
) -> None:
    db = _corrupt(tmp_path, good_db, how)
    args = [a.replace("{tmp}", str(tmp_path)) for a in cmd]
    line = assert_refused([*args, "--niche", str(NICHE), "--db", str(db)], db)
    assert str(db.name) in line or "database" in line.lower(), line


@pytest.mark.parametrize("cmd", [*READERS, ["crawl", "--budget", "1"]])
def test_missing_niche_file(tmp_path: Path, good_db: Path, cmd: list[str]) -> None:
    db = _copy(good_db, tmp_path / "db.db")
    args = [a.replace("{tmp}", str(tmp_path)) for a in cmd]
    line = assert_refused([*args, "--niche", str(tmp_path / "nope" / "niche.toml"), "--db", str(db)], db)
    assert "niche" in line.lower()


@pytest.mark.parametrize("body", ["[niche\nname = ", "[outreach]\nmin_days_between_comments = \"soon\"\n",
                                  "[niche]\ntags = 7\n"])  # fmt: skip
@pytest.mark.parametrize("cmd", [["rank"], ["queue"], ["next"], ["crawl", "--budget", "1"]])
def test_invalid_niche_file(tmp_path: Path, good_db: Path, body: str, cmd: list[str]) -> None:
    db = _copy(good_db, tmp_path / "db.db")
    niche = tmp_path / "niche.toml"
    niche.write_text(body)
    line = assert_refused([*cmd, "--niche", str(niche), "--db", str(db)], db)
    assert "niche.toml" in line or "niche" in line.lower()


@pytest.mark.parametrize(
    "cmd",
    [["next", "--date", "2024-13-45"], ["rank", "--as-of", "yesterday-ish"], ["queue", "--as-of", "31/12/2024"],
     ["stage", "log", "someone", "commented", "--at", "not-a-date"], ["export", "--out", "{tmp}/o.csv", "--as-of", "2024-02-30"]],
)  # fmt: skip
def test_bad_date(tmp_path: Path, good_db: Path, cmd: list[str]) -> None:
    db = _copy(good_db, tmp_path / "db.db")
    args = [a.replace("{tmp}", str(tmp_path)) for a in cmd]
    assert_refused([*args, "--niche", str(NICHE), "--db", str(db)], db)


@pytest.mark.parametrize(
    "cmd", [["stage", "show", "no-such-handle-xyz"], ["stage", "set", "no-such-handle-xyz", "won"]]
)
def test_unknown_handle_or_event(tmp_path: Path, good_db: Path, cmd: list[str]) -> None:
    db = _copy(good_db, tmp_path / "db.db")
    assert_refused([*cmd, "--niche", str(NICHE), "--db", str(db)], db)


@pytest.mark.parametrize("target", ["/proc/linkscout-nope/out.csv", "{tmp}", "/dev/null/out.csv"])
def test_unwritable_output(tmp_path: Path, good_db: Path, target: str) -> None:
    db = _copy(good_db, tmp_path / "db.db")
    assert_refused(
        ["export", "--out", target.replace("{tmp}", str(tmp_path)), "--niche", str(NICHE), "--db", str(db)],
        db,
    )


def test_init_refuses_to_overwrite_and_unwritable_places(tmp_path: Path) -> None:
    existing = tmp_path / "niche.toml"
    existing.write_text("# mine\n")
    assert "already exists" in assert_refused(["init", str(existing)], None)
    assert existing.read_text() == "# mine\n"
    assert_refused(["init", "/proc/linkscout-nope/niche.toml"], None)


@pytest.mark.parametrize("cmd", [["stage", "log", "someone", "not-an-event"], ["queue", "--format", "xml"]])
def test_usage_errors_are_one_line(tmp_path: Path, good_db: Path, cmd: list[str]) -> None:
    db = _copy(good_db, tmp_path / "db.db")
    assert_refused([*cmd, "--niche", str(NICHE), "--db", str(db)], db)
