"""Shared test fixtures. Real Medium captures are read from ../shared when it is there."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from linkscout.store.db import open_db

REPO = Path(__file__).resolve().parents[1]
# ../shared beside the repo; LINKSCOUT_SHARED points elsewhere (a git worktree one level deeper).
CAPTURES = Path(os.environ.get("LINKSCOUT_SHARED") or REPO.parent / "shared") / "medium-captures"
FIXTURE_SITE = REPO / "fixtures" / "site"


def _temporary_files_in_memory() -> None:
    """Temporary folders (tmp_path, the stores tests write, tempfile's) on tmpfs when the machine has
    one with room and TMPDIR is not set. On this machine's disk (ext4 mounted with `discard`) deleting
    one test run's files took ~19 s, and pytest deletes an old run at the start of every session."""
    shm = Path("/dev/shm")
    if os.environ.get("TMPDIR") or not shm.is_dir() or not os.access(shm, os.W_OK | os.X_OK):
        return
    stat = os.statvfs(shm)
    if stat.f_bavail * stat.f_frsize < 2 << 30:  # Docker's default /dev/shm is 64 MB: stay on disk
        return
    folder = shm / f"linkscout-tests-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    own = folder.lstat()  # /dev/shm is shared: a folder someone else made (or a link) is not ours
    if folder.is_symlink() or own.st_uid != os.getuid() or own.st_mode & 0o077:
        return
    os.environ["TMPDIR"] = str(folder)  # subprocesses and pytest-xdist's workers inherit it
    tempfile.tempdir = str(folder)


_temporary_files_in_memory()


def _build_each_cli_once() -> None:
    """Typer's test runner rebuilds the whole click command tree from the app on every `invoke`
    (every option's type hints of every command evaluated again): that was most of each CLI test's
    time. The tree depends on the app alone, so it is built once per app and reused."""
    import typer.testing

    real = typer.testing._get_command
    built: dict[int, tuple[object, Any]] = {}

    def get_command(app: Any) -> Any:
        if id(app) not in built:
            built[id(app)] = (app, real(app))  # the app is kept, so its id is never reused
        return built[id(app)][1]

    typer.testing._get_command = get_command


_build_each_cli_once()


@pytest.fixture(scope="session")
def captures_dir() -> Path:
    if not CAPTURES.is_dir():
        pytest.skip(f"real Medium captures not found at {CAPTURES} (they live in ../shared beside the repo)")
    return CAPTURES


@pytest.fixture(scope="session")
def captures_text(captures_dir: Path) -> str:
    """Every capture's text, concatenated: to check that a 'real' URL really occurs in one."""
    parts = []
    for f in sorted(captures_dir.rglob("*")):
        if f.is_file() and f.name != "CATALOG.md":
            parts.append(f.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts).replace("&amp;", "&")


@pytest.fixture(scope="session")
def fixture_niche_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled fixture niche (every saved page of fixtures/site) read into a store once per test
    process: about 3 s, which two modules paid each before. Kept pristine: copy the file first."""
    from linkscout.crawler.saved_pages import import_dir

    if not FIXTURE_SITE.is_dir():
        pytest.skip(f"the bundled fixture niche is not generated at {FIXTURE_SITE} (make fixtures)")
    path = tmp_path_factory.mktemp("fixture-niche") / "fixture.db"
    summary = import_dir(FIXTURE_SITE, path)
    assert summary.outcome == "done" and summary.posts, summary
    return path


def _seed(request: pytest.FixtureRequest) -> Callable[[Database], object] | None:
    """The module's `seed_store(db)`, if it defines one: what its tests' store holds."""
    return getattr(request.module, "seed_store", None)


@pytest.fixture(scope="session")
def _empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One empty store with every migration applied, made once: a copy of it is a fresh store in a
    fraction of the time the migrations take."""
    path = tmp_path_factory.mktemp("template") / "empty.db"
    open_db(path).conn.close()  # the last connection out folds the WAL into the file
    return path


def _fresh_store(template: Path, path: Path) -> Database:
    shutil.copyfile(template, path)
    return open_db(path)


@pytest.fixture
def db(request: pytest.FixtureRequest, tmp_path: Path, _empty_store: Path) -> Iterator[Database]:
    """A fresh store for one test (migrations applied), closed after it.

    A test module fills it by defining `seed_store(db)` (its own known records); without one the
    store is empty. This is the only `db` fixture: modules differ by their seed, not by a fixture."""
    store = _fresh_store(_empty_store, tmp_path / "test.db")
    if (seed := _seed(request)) is not None:
        seed(store)
    yield store
    store.conn.close()


@pytest.fixture(scope="module")
def db_file(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, _empty_store: Path
) -> Path:
    """A store on disk, filled by the module's `seed_store` and closed (its WAL folded in): for tests
    that hand `--db PATH` to the CLI. Built once per module, so its tests must not change it."""
    path = tmp_path_factory.mktemp("store") / "test.db"
    store = _fresh_store(_empty_store, path)
    try:
        if (seed := _seed(request)) is not None:
            seed(store)
    finally:
        store.conn.close()
    return path


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sweep: a parametrized matrix; make test-fast runs a covering slice (every value of every "
        "parameter at least once), make test every combination",
    )


def _thin_sweeps(items: list[pytest.Item]) -> None:
    """`@pytest.mark.sweep` on a parametrized test: the cases that bring no parameter value not seen
    yet in that test are marked slow, so the inner loop still tries every command and every bad
    input once, and `make test` tries them all together."""
    seen: set[tuple[str, str, str]] = set()
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is None or item.get_closest_marker("sweep") is None:
            continue
        test = item.nodeid.split("[", 1)[0]
        values = {(test, name, repr(value)) for name, value in callspec.params.items()}
        if values <= seen:
            item.add_marker(pytest.mark.slow)
        seen |= values


@pytest.hookimpl(tryfirst=True)  # before `-m "not slow"` deselects
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Sweeps thinned for the inner loop (`_thin_sweeps`); `@pytest.mark.soak` tests are the long
    reliability runs: skipped unless LINKSCOUT_SOAK=1 (`make soak`)."""
    import os

    _thin_sweeps(items)
    if os.environ.get("LINKSCOUT_SOAK") == "1":
        return
    skip = pytest.mark.skip(reason="soak test: set LINKSCOUT_SOAK=1 (make soak) to run it")
    for item in items:
        if "soak" in item.keywords:
            item.add_marker(skip)
