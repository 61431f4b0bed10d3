"""What every benchmark shares: interleaved medians, peak memory of a child process, the result row.

The machine these run on is shared and noisy, so a claim is always a ratio of two things measured in
the same run, interleaved (A, B, A, B, ...), and each figure is the median of several runs.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the benchmark table: our figure, the anchor's, and whether the target is met."""

    bench: str
    measure: str
    ours: str
    anchor: str
    ratio: str
    target: str
    met: bool | None  # None: informational row, no target
    note: str = ""


@dataclass(slots=True)
class Section:
    name: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)  # markdown: why a missed target is missed, with evidence


def median_times(
    fns: dict[str, Callable[[], object]],
    runs: int,
    *,
    warmup: int = 1,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, float]:
    """Median time (s) of each callable on `clock` (wall time unless told), interleaved run by run so
    drift hits them all alike."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    samples: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            t0 = clock()
            fn()
            samples[name].append(clock() - t0)
    return {k: statistics.median(v) for k, v in samples.items()}


@dataclass(frozen=True, slots=True)
class ChildRun:
    seconds: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str


def run_measured(
    argv: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 600
) -> ChildRun:
    """Run a command: wall time, output and its own peak RSS in MB (Linux ru_maxrss is in KiB).

    Uses fork/exec + os.wait4 so the rusage is that one child's, not the max over all children.
    """
    r_out, w_out = os.pipe()
    r_err, w_err = os.pipe()
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child
        try:
            if cwd is not None:
                os.chdir(cwd)
            os.dup2(w_out, 1)
            os.dup2(w_err, 2)
            os.close(r_out)
            os.close(r_err)
            os.execvpe(argv[0], list(argv), env if env is not None else os.environ.copy())
        finally:
            os._exit(127)
    os.close(w_out)
    os.close(w_err)
    out, err = _drain(r_out, r_err, pid, timeout)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - t0
    return ChildRun(seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status),
                    out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))  # fmt: skip


def _drain(r_out: int, r_err: int, pid: int, timeout: float) -> tuple[bytes, bytes]:
    import selectors

    sel = selectors.DefaultSelector()
    bufs = {r_out: bytearray(), r_err: bytearray()}
    for fd in bufs:
        sel.register(fd, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    open_fds = set(bufs)
    while open_fds:
        left = deadline - time.monotonic()
        if left <= 0:
            os.kill(pid, 9)
            break
        for key, _ in sel.select(timeout=min(left, 1.0)):
            chunk = os.read(key.fd, 65536)
            if chunk:
                bufs[key.fd] += chunk
            else:
                sel.unregister(key.fd)
                open_fds.discard(key.fd)
    for fd in bufs:
        os.close(fd)
    return bytes(bufs[r_out]), bytes(bufs[r_err])


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs (nproc), {cpu}, Python {platform.python_version()}, {platform.system()}"


def fmt_rate(x: float, unit: str) -> str:
    return f"{x:,.0f} {unit}" if x >= 100 else f"{x:,.1f} {unit}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "n/a"


def render_table(sections: Sequence[Section]) -> str:
    """A GitHub-markdown table (also readable in a terminal)."""
    head = "| benchmark | measure | linkscout | anchor | ratio | target | status |"
    lines = [head, "|---|---|---|---|---|---|---|"]
    for s in sections:
        for r in s.rows:
            status = "info" if r.met is None else ("**met**" if r.met else "**not met**")
            if r.note:
                status += f": {r.note}"
            lines.append(
                f"| {r.bench} | {r.measure} | {r.ours} | {r.anchor} | {r.ratio} | {r.target} | {status} |"
            )
    return "\n".join(lines)
