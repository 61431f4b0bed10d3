"""`rank`, `queue` and `export` print byte for byte what they printed before the performance work
(issue 16), on the bundled fixture niche, with the store-derived caches cold and warm.

The expected files in tests/data/fixture_outputs/ were written by the code on main before any cache
existed (`UPDATE_FIXTURE_OUTPUTS=1 pytest tests/test_perf_outputs.py` rewrites them: only do that
for an intended change of output). The store is the session's `fixture_niche_store`: the fixture
site's saved pages read once, the way `crawl --source fixtures/site` reads them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from typer.testing import CliRunner

from linkscout.cli.main import app

REPO = Path(__file__).resolve().parents[1]
NICHE = REPO / "fixtures" / "niche.toml"
EXPECTED = Path(__file__).resolve().parent / "data" / "fixture_outputs"
UPDATE = os.environ.get("UPDATE_FIXTURE_OUTPUTS") == "1"

# (file name, argv after `--niche N --db D`), run in this order: rank and queue remember their
# rankings in the store, so a later command sees the same store state every time.
COMMANDS: list[tuple[str, list[str]]] = [
    *[
        (f"rank-{kind}.{fmt}", ["rank", "--kind", kind, "--format", fmt, "--limit", "1000"])
        for kind in ("authors", "publications", "tags")
        for fmt in ("json", "csv")
    ],
    ("rank-authors-top5.json", ["rank", "--format", "json", "--limit", "5"]),
    *[
        (f"queue-{kind}.{fmt}", ["queue", "--kind", kind, "--format", fmt, "--limit", "1000"])
        for kind in ("authors", "publications", "links")
        for fmt in ("json", "csv")
    ],
    ("queue-authors-excluded.json", ["queue", "--show-excluded", "--format", "json"]),
    *[
        (f"export-{kind}.{fmt}", ["export", "--kind", kind, "--format", fmt, "--out", "-"])
        for kind in ("authors", "publications", "links")
        for fmt in ("json", "csv")
    ],
    ("export-authors-all.csv", ["export", "--kind", "authors", "--all", "--out", "-"]),
]


def _copy(db: Path, to: Path) -> Path:
    to.mkdir(parents=True, exist_ok=True)
    target = to / db.name
    shutil.copy2(db, target)
    return target


def run_all(db: Path) -> Iterator[tuple[str, bytes]]:
    runner = CliRunner()
    for name, argv in COMMANDS:
        r = runner.invoke(app, [argv[0], "--niche", str(NICHE), "--db", str(db), *argv[1:]])
        assert r.exit_code == 0, (name, r.output)
        yield name, r.stdout_bytes


def _check(outputs: dict[str, bytes]) -> None:
    if UPDATE:
        EXPECTED.mkdir(parents=True, exist_ok=True)
        for name, data in outputs.items():
            (EXPECTED / name).write_bytes(data)
    differ = [n for n, data in outputs.items() if (EXPECTED / n).read_bytes() != data]
    assert not differ, f"outputs changed: {differ}"
    assert all(outputs[n] for n in outputs if not n.startswith("queue-links")), "an empty output"


def test_outputs_match_before_the_caches(fixture_niche_store: Path, tmp_path: Path) -> None:
    """Cold (fresh store, nothing cached) then warm (the same commands again on the same store)."""
    db = _copy(fixture_niche_store, tmp_path / "a")
    cold = dict(run_all(db))
    _check(cold)
    warm = dict(run_all(db))
    assert warm == cold
