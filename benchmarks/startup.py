"""Start-up: `linkscout --help` against `python -c "import typer"` (an empty interpreter plus the CLI
framework, the least any typer command-line tool pays) and `python -c pass`.

Each is a child process, timed wall-clock, interleaved run by run, median of 15. The commands import
their heavy modules (Scrapy, Twisted, numpy, scipy, networkx, rich) only when they run, so the help
of every command is shown without them.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from benchmarks.common import PY, REPO, Row, Section, run_measured

RUNS = 15
TARGET_RATIO = 2.0


def _argv() -> dict[str, list[str]]:
    exe = str(Path(PY).with_name("linkscout"))
    return {"pass": [PY, "-c", "pass"], "typer": [PY, "-c", "import typer"], "help": [exe, "--help"],
            "rank help": [exe, "rank", "--help"]}  # fmt: skip


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
    for name in ("help", "rank help"):
        ratio = med[name] / med["typer"]
        sec.rows.append(Row(
            "startup", f"`linkscout {'--help' if name == 'help' else 'rank --help'}`, median of {RUNS}",
            f"{med[name] * 1000:.0f} ms", f"python -c 'import typer' {med['typer'] * 1000:.0f} ms; "
            f"python -c pass {med['pass'] * 1000:.0f} ms", f"{ratio:.2f}× typer's start-up",
            f"≤{TARGET_RATIO:.0f}× typer's start-up", ratio <= TARGET_RATIO,
        ))  # fmt: skip
    if med["help"] > TARGET_RATIO * med["typer"]:
        sec.limits.append(
            f"- start-up: `linkscout --help` {med['help'] * 1000:.0f} ms against "
            f"{TARGET_RATIO:.0f}× `import typer` ({med['typer'] * 1000:.0f} ms); see `python -X importtime -m "
            f"linkscout.cli.main --help` for the modules it still imports."
        )
    return sec
