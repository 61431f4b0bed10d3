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


@pytest.mark.sweep
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


@pytest.mark.sweep
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
    [["next", "--as-of", "2024-13-45"], ["rank", "--as-of", "yesterday-ish"], ["queue", "--as-of", "31/12/2024"],
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


# --- One way to open a database (issue 12 point 1) -------------------------------------------------

ALL_DB_CMDS = [*READERS, ["stage", "log", "someone", "followed", "--create"], ["stage", "show", "someone"],
               ["db", "check"], ["db", "backup", "{tmp}/backup.db"], ["crawl", "--budget", "1"]]  # fmt: skip


def _foreign(tmp: Path) -> Path:
    p = tmp / "other-app.sqlite"
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE contacts (name TEXT, email TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('ann', 'ann@example.com')")
    conn.commit()
    conn.close()
    return p


@pytest.mark.parametrize("cmd", ALL_DB_CMDS)
def test_another_applications_sqlite_file_is_refused_untouched(tmp_path: Path, cmd: list[str]) -> None:
    db = _foreign(tmp_path)
    args = [a.replace("{tmp}", str(tmp_path)) for a in cmd]
    line = assert_refused([*args, "--niche", str(NICHE), "--db", str(db)], db)
    assert "not a linkscout database" in line and "contacts" in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other-app.sqlite"]  # no side files, no output


@pytest.mark.parametrize("cmd", [c for c in ALL_DB_CMDS if c[0] != "crawl"])
def test_reading_or_logging_never_creates_a_database(tmp_path: Path, cmd: list[str]) -> None:
    missing = tmp_path / "typo" / "linkscout.db"
    args = [a.replace("{tmp}", str(tmp_path)) for a in cmd]
    line = assert_refused([*args, "--niche", str(NICHE), "--db", str(missing)], None)
    assert "no database at" in line and str(missing) in line, line
    assert not missing.parent.exists()
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    line = assert_refused([*args, "--niche", str(NICHE), "--db", str(empty)], empty)
    assert "holds no linkscout data" in line, line
    assert empty.read_bytes() == b""


def _damaged_data(tmp: Path) -> Path:
    """A database with real rows whose data pages (not the schema) are overwritten: opens, then fails."""
    from helpers_graph import world_db

    p = tmp / "damaged.db"
    db = world_db(p)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    data = bytearray(p.read_bytes())
    page = 4096
    for i in range(len(data) // page // 2, len(data) // page - 1, 3):  # a few blocks in the second half
        data[i * page : (i + 1) * page] = b"\x5a" * page
    p.write_bytes(bytes(data))
    return p


@pytest.mark.parametrize("cmd", [["rank"], ["queue"], ["export", "--out", "{tmp}/o.csv"], ["db", "check"],
                                 ["crawl", "--budget", "1"]])  # fmt: skip
def test_damaged_pages_are_one_line_naming_the_file(tmp_path: Path, cmd: list[str]) -> None:
    db = _damaged_data(tmp_path)
    args = [a.replace("{tmp}", str(tmp_path)) for a in cmd]
    line = assert_refused([*args, "--niche", str(NICHE), "--db", str(db)], db)
    assert str(db) in line and (".recover" in line or "backup" in line), line
    assert not (tmp_path / "o.csv").exists()


def _chattr(path: Path, flag: str) -> bool:
    import subprocess

    try:
        return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0
    except FileNotFoundError:
        return False


@pytest.mark.parametrize(
    "cmd", [["stage", "log", "someone", "followed", "--create"], ["crawl", "--budget", "1"]]
)
def test_read_only_database_is_one_line(tmp_path: Path, good_db: Path, cmd: list[str]) -> None:
    db = _copy(good_db, tmp_path / "ro.db")
    if not _chattr(db, "+i"):
        pytest.skip("chattr +i is not available here (needs CAP_LINUX_IMMUTABLE)")
    try:
        line = assert_refused([*cmd, "--niche", str(NICHE), "--db", str(db)], db)
        assert "read-only" in line and str(db) in line, line
        code, err = run(["stage", "list", "--niche", str(NICHE), "--db", str(db)])  # reading still works
        assert code == 0, err
    finally:
        _chattr(db, "-i")


def test_locked_database_is_one_line(tmp_path: Path, good_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from linkscout.store import db as store_db

    db = _copy(good_db, tmp_path / "locked.db")
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        line = assert_refused(["stage", "log", "someone", "followed", "--create", "--niche", str(NICHE),
                               "--db", str(db)], None)  # fmt: skip
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked" in line and str(db) in line, line


def test_db_check_and_backup(tmp_path: Path, good_db: Path) -> None:
    from helpers_graph import world_db

    src = tmp_path / "world.db"
    world_db(src).conn.close()
    res = CliRunner().invoke(app, ["db", "check", "--db", str(src)])
    assert res.exit_code == 0 and "integrity ok" in res.stdout and "m0" in res.stdout, res.output
    out = tmp_path / "copy.db"
    res = CliRunner().invoke(app, ["db", "backup", str(out), "--db", str(src)])
    assert res.exit_code == 0, res.output
    with sqlite3.connect(src) as a, sqlite3.connect(out) as b:
        q = "SELECT id, title FROM posts ORDER BY id"
        assert a.execute(q).fetchall() == b.execute(q).fetchall() != []
    before = file_hash(out)
    assert "--force" in assert_refused(["db", "backup", str(out), "--db", str(src)], src)
    assert file_hash(out) == before
    assert "a device" in assert_refused(["db", "backup", "/dev/null", "--db", str(src)], src)


# --- One date policy (issue 12 point 3) ------------------------------------------------------------


@pytest.mark.sweep
@pytest.mark.parametrize(
    "value", ['"yesterday"', '"2026-11-15-garbage"', "2026-11-15T10:00:00", '"20261115"', "7"]
)
@pytest.mark.parametrize("cmd", [["rank"], ["queue"], ["next"], ["export", "--out", "{tmp}/o.csv"],
                                 ["crawl", "--budget", "1"], ["eval", "--db", "{db}"]])  # fmt: skip
def test_niche_as_of_is_a_day_or_one_line(tmp_path: Path, good_db: Path, value: str, cmd: list[str]) -> None:
    db = _copy(good_db, tmp_path / "db.db")
    niche = tmp_path / "niche.toml"
    niche.write_text(f'[niche]\ntags = ["seo"]\nas_of = {value}\n')
    args = [a.replace("{tmp}", str(tmp_path)).replace("{db}", str(db)) for a in cmd]
    line = assert_refused([*args, "--niche", str(niche), "--db", str(db)], db)
    assert "as_of" in line and "Traceback" not in line, line
    assert not (tmp_path / "o.csv").exists()


def test_niche_as_of_may_be_a_toml_date(tmp_path: Path, good_db: Path) -> None:
    db = _copy(good_db, tmp_path / "db.db")
    niche = tmp_path / "niche.toml"
    niche.write_text('[niche]\ntags = ["seo"]\nas_of = 2026-11-15\n')
    code, err = run(["next", "--format", "json", "--niche", str(niche), "--db", str(db)])
    assert code == 0, err


@pytest.mark.parametrize(
    "cmd",
    [["rank"], ["queue"], ["next"], ["export", "--out", "{tmp}/o.csv"], ["graph", "--out", "{tmp}/g.gexf"]],
)
def test_as_of_option_is_a_usage_error_everywhere(tmp_path: Path, good_db: Path, cmd: list[str]) -> None:
    db = _copy(good_db, tmp_path / "db.db")
    args = [a.replace("{tmp}", str(tmp_path)) for a in cmd]
    before = file_hash(db)
    code, err = run([*args, "--as-of", "2024-02-30", "--niche", str(NICHE), "--db", str(db)])
    assert code == 2 and len(err.strip().splitlines()) == 1 and "--as-of" in err, err
    assert file_hash(db) == before
