"""Personalised PageRank by power iteration on a scipy.sparse CSR matrix of integer node ids.

Same model as `networkx.pagerank` (row-normalised weights, parallel edges summed, teleport to the
personalisation vector, a dangling node's mass redistributed like the teleport unless `dangling` is
given), so the two agree to the tolerance; networkx is the oracle in tests. The difference is the
stopping rule: networkx stops when the L1 change is below N·tol, which on a 200k-node graph is a
loose 0.2 and stopped it after five iterations; here `tol` is the absolute L1 change.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy import sparse
from scipy.sparse import _sparsetools

DEFAULT_ALPHA = 0.85
DEFAULT_TOL = 1e-10
DEFAULT_MAX_ITER = 200
# Below this many stored weights one step takes well under a millisecond and threads only add overhead.
PARALLEL_MIN_NNZ = 500_000
# A step waits on memory, not arithmetic: past a few threads more only add parts to hand out.
MAX_WORKERS = 8

_Part = tuple[int, int, np.ndarray, np.ndarray, np.ndarray]  # rows a..b: (a, b, indptr, indices, weights)


@dataclass(frozen=True)
class PageRankResult:
    scores: np.ndarray  # sums to 1
    iterations: int
    converged: bool
    error: float  # last L1 change


def _distribution(v: np.ndarray | None, n: int, what: str) -> np.ndarray:
    if v is None:
        return np.full(n, 1.0 / n)
    v = np.asarray(v, dtype=float)
    if v.shape != (n,):
        raise ValueError(f"{what} must have one value per node ({n}), got shape {v.shape}")
    if (v < 0).any():
        raise ValueError(f"{what} must not be negative")
    total = v.sum()
    if total <= 0:
        raise ValueError(f"{what} must have at least one positive value")
    out: np.ndarray = v / total
    return out


def pagerank(
    matrix: sparse.sparray | sparse.spmatrix,
    *,
    alpha: float = DEFAULT_ALPHA,
    personalization: np.ndarray | None = None,
    dangling: np.ndarray | None = None,
    tol: float = DEFAULT_TOL,
    max_iter: int = DEFAULT_MAX_ITER,
    workers: int | None = None,
) -> PageRankResult:
    """PageRank of the graph whose step weights are `matrix[i, j]` (i → j).

    `personalization` is the teleport distribution (uniform when None), normalised here;
    `dangling` is where the mass of nodes without out-edges goes (the teleport when None).
    Stops when the L1 change of one iteration is below `tol`, or after `max_iter` iterations
    (then `converged` is False and the last iterate is returned: callers decide).
    `workers` threads share each step, by rows (default: every CPU this process may use, up to
    MAX_WORKERS, on a matrix of at least PARALLEL_MIN_NNZ weights); the result is the same to the
    last bit.
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    A = sparse.csr_array(matrix, dtype=float)
    n = A.shape[0]
    if A.shape != (n, n):
        raise ValueError(f"matrix must be square, got {A.shape}")
    if n == 0:
        return PageRankResult(np.zeros(0), 0, True, 0.0)
    out = np.asarray(A.sum(axis=1)).ravel()
    is_dangling = out == 0
    inv = np.zeros(n)
    inv[~is_dangling] = 1.0 / out[~is_dangling]
    # Row-normalise, then transpose once so each iteration is one CSR mat-vec. Each weight is scaled
    # by its row's 1/out directly (what diag(inv) @ A computes, without a sparse product); the
    # transpose lists every row of P in column order whatever the order within A's rows.
    rows = np.repeat(np.arange(n), np.diff(A.indptr))
    vals, cols, indptr = inv[rows] * A.data, A.indices, A.indptr
    if not vals.all():  # the product leaves no stored zeros
        ok = vals != 0
        vals, cols, rows = vals[ok], cols[ok], rows[ok]
        indptr = np.zeros(n + 1, dtype=A.indptr.dtype)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    del rows  # edge-sized temporaries go before the transpose allocates P (peak memory at 10M edges)
    P = sparse.csr_array((vals, cols, indptr), shape=(n, n)).T.tocsr()
    del vals, cols
    p = _distribution(personalization, n, "personalization")
    d = p if dangling is None else _distribution(dangling, n, "dangling")
    sinks = np.flatnonzero(is_dangling)
    rest = (1 - alpha) * p
    x = np.full(n, 1.0 / n)
    x_new = np.empty(n)
    tmp = np.empty(n)
    err = np.inf
    if workers is None:
        workers = min(_cpus(), MAX_WORKERS) if P.nnz >= PARALLEL_MIN_NNZ else 1
    parts = _row_parts(P, 1 if workers <= 1 else 2 * workers)

    def step(part: _Part, *, x: np.ndarray, x_new: np.ndarray, lost: float) -> None:
        # x_new = alpha * (P @ x + lost * d) + rest for rows a..b, operation by operation in place:
        # the same roundings as the whole-vector expression, and no fresh n-sized arrays (whose page
        # faults cost as much as the step at 10M edges). csr_matvec adds each row's products, in
        # stored order, to the zero it finds in the output, exactly as `P @ x` does.
        a, b, indptr, indices, data = part
        y, t = x_new[a:b], tmp[a:b]
        y.fill(0.0)
        _sparsetools.csr_matvec(b - a, n, indptr, indices, data, x, y)
        np.multiply(d[a:b], lost, out=t)
        np.add(y, t, out=y)
        np.multiply(y, alpha, out=y)
        np.add(y, rest[a:b], out=y)
        np.subtract(y, x[a:b], out=t)
        np.abs(t, out=t)

    pool = ThreadPoolExecutor(workers) if workers > 1 and len(parts) > 1 else None
    try:
        for it in range(1, max_iter + 1):
            work = partial(step, x=x, x_new=x_new, lost=float(x[sinks].sum()))
            for _ in map(work, parts) if pool is None else pool.map(work, parts):
                pass
            err = float(tmp.sum())  # over the whole vector in one call: the same sum as one thread
            x, x_new = x_new, x
            if err < tol:
                return PageRankResult(x, it, True, err)
    finally:
        if pool is not None:
            pool.shutdown()
    return PageRankResult(x, max_iter, False, err)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _row_parts(P: sparse.csr_array, count: int) -> list[_Part]:
    """`count` runs of consecutive rows with about the same number of stored weights each, as
    (first row, end row, the run's own indptr from 0, its indices, its weights); views, not copies,
    except the indptr."""
    n = P.shape[0]
    cuts = np.searchsorted(P.indptr, np.linspace(0, P.nnz, count + 1)[1:-1]).astype(np.int64)
    bounds = [0, *sorted({int(c) for c in cuts if 0 < c < n}), n]
    parts = []
    for a, b in zip(bounds[:-1], bounds[1:], strict=False):
        lo, hi = int(P.indptr[a]), int(P.indptr[b])
        parts.append((a, b, P.indptr[a : b + 1] - P.indptr[a], P.indices[lo:hi], P.data[lo:hi]))
    return parts
