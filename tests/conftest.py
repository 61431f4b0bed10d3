"""Shared test fixtures. Real Medium captures are read from ../shared when it is there."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from linkscout.store.db import open_db

REPO = Path(__file__).resolve().parents[1]
# ../shared beside the repo; LINKSCOUT_SHARED points elsewhere (a git worktree one level deeper).
CAPTURES = Path(os.environ.get("LINKSCOUT_SHARED") or REPO.parent / "shared") / "medium-captures"


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


def _seed(request: pytest.FixtureRequest) -> Callable[[Database], object] | None:
    """The module's `seed_store(db)`, if it defines one: what its tests' store holds."""
    return getattr(request.module, "seed_store", None)


@pytest.fixture
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh store for one test (migrations applied), closed after it.

    A test module fills it by defining `seed_store(db)` (its own known records); without one the
    store is empty. This is the only `db` fixture: modules differ by their seed, not by a fixture."""
    store = open_db(tmp_path / "test.db")
    if (seed := _seed(request)) is not None:
        seed(store)
    yield store
    store.conn.close()


@pytest.fixture(scope="module")
def db_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store on disk, filled by the module's `seed_store` and closed (its WAL folded in): for tests
    that hand `--db PATH` to the CLI. Built once per module, so its tests must not change it."""
    path = tmp_path_factory.mktemp("store") / "test.db"
    store = open_db(path)
    try:
        if (seed := _seed(request)) is not None:
            seed(store)
    finally:
        store.conn.close()
    return path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`@pytest.mark.soak` tests are the long reliability runs: skipped unless LINKSCOUT_SOAK=1 (`make soak`)."""
    import os

    if os.environ.get("LINKSCOUT_SOAK") == "1":
        return
    skip = pytest.mark.skip(reason="soak test: set LINKSCOUT_SOAK=1 (make soak) to run it")
    for item in items:
        if "soak" in item.keywords:
            item.add_marker(skip)
