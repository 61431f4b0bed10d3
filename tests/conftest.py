"""Shared test fixtures. Real Medium captures are read from ../shared when it is there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`@pytest.mark.soak` tests are the long reliability runs: skipped unless LINKSCOUT_SOAK=1 (`make soak`)."""
    import os

    if os.environ.get("LINKSCOUT_SOAK") == "1":
        return
    skip = pytest.mark.skip(reason="soak test: set LINKSCOUT_SOAK=1 (make soak) to run it")
    for item in items:
        if "soak" in item.keywords:
            item.add_marker(skip)
