"""Start-up: `linkscout --help` and the help of the commands with the most to import (`rank`,
`crawl`, `stage log`) against `python -c "import typer"` (an empty interpreter plus the CLI
framework, the least any typer command-line tool pays) and `python -c pass`.

Each is a child process, timed wall-clock, interleaved run by run, median of 15. The commands import
their heavy modules (Scrapy, Twisted, numpy, scipy, networkx, rich, sqlite_utils) only when they run,
and unset help and completion options skip typer's pydantic coercion, so the help of every command is
shown without them (tests/test_cli_startup.py checks each command's help for those imports).
"""

from __future__ import annotations

import statistics
from pathlib import Path

from benchmarks.common import PY, REPO, Row, Section, run_measured

RUNS = 15
TARGET_RATIO = 2.0


HELPS = ("", "rank", "crawl", "stage log")  # "": `linkscout --help`


def _argv() -> dict[str, list[str]]:
    exe = str(Path(PY).with_name("linkscout"))
    out = {"pass": [PY, "-c", "pass"], "typer": [PY, "-c", "import typer"]}
    for cmd in HELPS:
        out[cmd] = [exe, *cmd.split(), "--help"]
    return out


def run() -> Section:
    sec = Section("startup")
    argv = _argv()
    for a in argv.values():  # .pyc files and the page cache
        run_measured(a, cwd=REPO)
    samples: dict[str, list[float]] = {k: [] for k in argv}
    for _ in range(RUNS):
        for k, a in argv.items():
            r = run_measured(a, cwd=REPO)
            if r.returncode != 0:
                raise RuntimeError(f"{' '.join(a)} failed ({r.returncode}): {r.stderr[-400:]}")
            samples[k].append(r.seconds)
    med = {k: statistics.median(v) for k, v in samples.items()}
    for cmd in HELPS:
        ratio = med[cmd] / med["typer"]
        sec.rows.append(Row(
            "startup", f"`linkscout {cmd + ' ' if cmd else ''}--help`, median of {RUNS}",
            f"{med[cmd] * 1000:.0f} ms", f"python -c 'import typer' {med['typer'] * 1000:.0f} ms; "
            f"python -c pass {med['pass'] * 1000:.0f} ms", f"{ratio:.2f}× typer's start-up",
            f"≤{TARGET_RATIO:.0f}× typer's start-up", ratio <= TARGET_RATIO,
        ))  # fmt: skip
        if ratio > TARGET_RATIO:
            sec.limits.append(
                f"- start-up: `linkscout {cmd + ' ' if cmd else ''}--help` {med[cmd] * 1000:.0f} ms against "
                f"{TARGET_RATIO:.0f}× `import typer` ({med['typer'] * 1000:.0f} ms); see `python -X importtime -m "
                f"linkscout {cmd + ' ' if cmd else ''}--help` for the modules it still imports."
            )
    return sec
