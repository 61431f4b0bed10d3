"""Our sparse PageRank against networkx's on random graphs, plus small cases with known answers."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from scipy import sparse

from linkscout.graph.pagerank import pagerank


def random_graph(seed: int, n: int, m: int) -> nx.MultiDiGraph:
    rng = np.random.default_rng(seed)
    G = nx.MultiDiGraph()
    G.add_nodes_from(range(n))
    for _ in range(m):
        a, b = (int(x) for x in rng.integers(0, n, 2))
        if a >= n - 3:  # the last three nodes have no out-edges: dangling
            continue
        G.add_edge(a, b, weight=float(rng.choice([0.5, 1.0, 2.0, 3.0])))
    return G


def as_matrix(G: nx.MultiDiGraph) -> sparse.csr_array:
    return nx.to_scipy_sparse_array(G, nodelist=list(range(len(G))), weight="weight", format="csr")


@pytest.mark.parametrize("seed", range(6))
def test_agrees_with_networkx_personalised(seed: int) -> None:
    n = 40 + 15 * seed
    G = random_graph(seed, n, 3 * n)  # sparse enough that several nodes are dangling
    rng = np.random.default_rng(100 + seed)
    teleport = {int(v): float(rng.random()) for v in rng.choice(n, size=5, replace=False)}
    alpha = [0.85, 0.5, 0.9][seed % 3]
    expected = nx.pagerank(G, alpha=alpha, personalization=teleport, tol=1e-13, max_iter=2000)
    p = np.zeros(n)
    for k, v in teleport.items():
        p[k] = v
    got = pagerank(as_matrix(G), alpha=alpha, personalization=p, tol=1e-13, max_iter=2000)
    assert got.converged
    assert any(G.out_degree(v) == 0 for v in G)  # the dangling case is exercised
    assert np.max(np.abs(got.scores - np.array([expected[i] for i in range(n)]))) < 1e-6
    assert got.scores.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("seed", range(3))
def test_agrees_with_networkx_uniform_and_dangling(seed: int) -> None:
    n = 60
    G = random_graph(seed, n, 150)
    expected = nx.pagerank(G, tol=1e-13, max_iter=2000)
    got = pagerank(as_matrix(G), tol=1e-13, max_iter=2000)
    assert np.max(np.abs(got.scores - np.array([expected[i] for i in range(n)]))) < 1e-6
    dangling = {0: 1.0, 1: 3.0}
    expected = nx.pagerank(G, dangling=dangling, tol=1e-13, max_iter=2000)
    d = np.zeros(n)
    d[0], d[1] = 1.0, 3.0
    got = pagerank(as_matrix(G), dangling=d, tol=1e-13, max_iter=2000)
    assert np.max(np.abs(got.scores - np.array([expected[i] for i in range(n)]))) < 1e-6


def test_known_answers() -> None:
    cycle = sparse.csr_array(np.array([[0.0, 1.0], [1.0, 0.0]]))
    assert pagerank(cycle).scores == pytest.approx([0.5, 0.5])
    # Everyone points at node 0, which is dangling and teleports to node 1 only.
    star = sparse.csr_array(np.array([[0, 0, 0], [1.0, 0, 0], [1.0, 0, 0]]))
    r = pagerank(star, personalization=np.array([0.0, 1.0, 0.0]), alpha=0.5, tol=1e-14).scores
    # x1 = 0.5 * x0 + 0.5, x0 = 0.5 * (x1 + x2), x2 = 0  →  x0 = 1/3, x1 = 2/3
    assert r == pytest.approx([1 / 3, 2 / 3, 0.0])


def test_stops_at_max_iter_and_says_so() -> None:
    G = random_graph(7, 50, 120)
    r = pagerank(as_matrix(G), max_iter=2, tol=1e-15)
    assert (r.iterations, r.converged) == (2, False)
    assert r.error > 1e-15


def test_rejects_bad_input() -> None:
    m = sparse.csr_array(np.eye(3))
    with pytest.raises(ValueError, match="positive"):
        pagerank(m, personalization=np.zeros(3))
    with pytest.raises(ValueError, match="one value per node"):
        pagerank(m, personalization=np.ones(2))
    with pytest.raises(ValueError, match="alpha"):
        pagerank(m, alpha=1.0)
    assert len(pagerank(sparse.csr_array((0, 0))).scores) == 0


@pytest.mark.parametrize("workers", [2, 3, 8])
def test_threads_give_the_same_scores_to_the_last_bit(workers: int) -> None:
    # A skewed graph (a few hub rows hold most weights) so the row parts differ in size, with
    # dangling nodes and a personalised teleport: every term of a step is exercised.
    rng = np.random.default_rng(7)
    n, m = 3000, 40000
    src = rng.integers(0, n - 50, m)  # the last 50 nodes are dangling
    dst = np.where(rng.random(m) < 0.3, rng.integers(0, 10, m), rng.integers(0, n, m))
    matrix = sparse.csr_array((rng.choice([0.5, 1.0, 2.0], m), (src, dst)), shape=(n, n))
    tele = np.where(rng.random(n) < 0.05, rng.random(n), 0.0)
    one = pagerank(matrix, personalization=tele, workers=1)
    many = pagerank(matrix, personalization=tele, workers=workers)
    assert one.converged and many.converged
    assert (many.iterations, many.error) == (one.iterations, one.error)
    assert np.array_equal(many.scores, one.scores)  # bit for bit, not approximately
    assert np.array_equal(one.scores, pagerank(matrix, personalization=tele, workers=None).scores)
