"""The one output-file writer (cli/output_file.py), through `linkscout export` as a user meets it.

Each refusal: exit 1, one `Error:` line, no traceback, the database and the path byte-identical.
Each intended change (--force, a symlink, `-`) is exactly that change and nothing else.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from helpers_reliability import NICHE, file_hash
from typer.testing import CliRunner

from linkscout.cli.main import app
from linkscout.cli.output_file import OutputFileError, output_file

# The tests export from `db_file` (tests/conftest.py): an empty store, closed.


def export(db_file: Path, out: str, *extra: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(
        app, ["export", "--out", out, *extra, "--niche", str(NICHE), "--db", str(db_file)]
    )
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise AssertionError(f"crashed: {res.exception!r}")
    return res.exit_code, res.stdout, res.stderr


def refused(db_file: Path, out: str, *extra: str) -> str:
    before = file_hash(db_file)
    code, _, err = export(db_file, out, *extra)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 1, err
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in err, err
    assert file_hash(db_file) == before
    return lines[0]


def test_existing_file_is_kept_without_force(tmp_path: Path, db_file: Path) -> None:
    out = tmp_path / "mine.csv"
    out.write_bytes(b"my spreadsheet\n")
    assert "--force" in refused(db_file, str(out))
    assert out.read_bytes() == b"my spreadsheet\n"


def test_force_replaces_and_keeps_the_mode(tmp_path: Path, db_file: Path) -> None:
    out = tmp_path / "private.csv"
    out.write_bytes(b"old\n")
    os.chmod(out, 0o600)
    code, _, err = export(db_file, str(out), "--force")
    assert code == 0, err
    assert out.read_bytes().startswith(b"rank,handle,name")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["private.csv"]  # no temp file left


def test_a_new_file_gets_the_umask_mode(tmp_path: Path, db_file: Path) -> None:
    out = tmp_path / "new.csv"
    old = os.umask(0o027)
    try:
        code, _, err = export(db_file, str(out))
    finally:
        os.umask(old)
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_symlink_writes_its_target_and_stays_a_link(tmp_path: Path, db_file: Path) -> None:
    real = tmp_path / "sheets" / "real.csv"
    real.parent.mkdir()
    real.write_bytes(b"old\n")
    os.chmod(real, 0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert "--force" in refused(db_file, str(link))
    assert real.read_bytes() == b"old\n"
    code, _, err = export(db_file, str(link), "--force")
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes().startswith(b"rank,handle,name")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_devices_fifos_and_folders_are_refused_even_with_force(
    tmp_path: Path, db_file: Path, force: list[str]
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    null_before = os.stat("/dev/null")
    assert "a device" in refused(db_file, "/dev/null", *force)
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == null_before.st_rdev
    assert "FIFO" in refused(db_file, str(fifo), *force)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert "a folder" in refused(db_file, str(folder), *force)
    assert list(folder.iterdir()) == []
    link = tmp_path / "to-null"
    link.symlink_to("/dev/null")
    assert "a device" in refused(db_file, str(link), *force)
    assert link.is_symlink()


def test_dash_writes_stdout_and_no_file(
    tmp_path: Path, db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = export(db_file, "-", "--format", "jsonl")
    assert code == 0, err
    assert out == ""  # an empty database: no rows, and jsonl has no header
    code, out, err = export(db_file, "-")
    assert code == 0 and out.startswith("rank,handle,name,")
    assert list(tmp_path.iterdir()) == []


def test_export_refuses_the_table_format_as_a_usage_error(tmp_path: Path, db_file: Path) -> None:
    res = CliRunner().invoke(
        app, ["export", "--out", str(tmp_path / "o"), "--format", "table", "--db", str(db_file)]
    )
    assert res.exit_code == 2 and len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "o.csv"
    target.write_text("previous\n")
    with pytest.raises(RuntimeError), output_file(target, force=True) as f:
        f.write("half")
        raise RuntimeError("boom")
    assert target.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["o.csv"]
    with pytest.raises(OutputFileError, match="not a folder"), output_file(target / "x.csv") as f:
        f.write("x")


def test_init_uses_the_same_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    res = CliRunner().invoke(app, ["init", str(fifo), "--force"])
    assert res.exit_code == 1 and "FIFO" in res.stderr
    res = CliRunner().invoke(app, ["init", "-"])
    assert res.exit_code == 0 and res.stdout.startswith("# linkscout niche file")
