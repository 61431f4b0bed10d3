"""The store as a heterogeneous graph: author, publication, tag, post and external-domain nodes.

Edges (in their natural direction): wrote (author → post), published-in (post → publication),
tagged (post → tag), links-to (post → post | author | domain, with nofollow/ugc), writes-for
(author → publication, weighted by post count).

`load_graph` reads the store once into integer-id numpy arrays (`StoreGraph`): that is what ranking
uses, so it scales to millions of edges. `to_networkx` turns the same arrays into a MultiDiGraph for
exploring, exporting (GraphML/GEXF) and as the test oracle; it is never on the ranking path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sqlite_utils import Database

from linkscout.store import graph_read

NODE_KINDS = ("post", "author", "publication", "tag", "domain")


class Edge(IntEnum):
    WROTE = 0
    PUBLISHED_IN = 1
    TAGGED = 2
    LINKS_TO = 3
    WRITES_FOR = 4


EDGE_NAMES = {Edge.WROTE: "wrote", Edge.PUBLISHED_IN: "published-in", Edge.TAGGED: "tagged",
              Edge.LINKS_TO: "links-to", Edge.WRITES_FOR: "writes-for"}  # fmt: skip

# Weights of each edge kind in the walk, (forward, backward). Links are endorsements and only go
# forward; writes-for repeats wrote + published-in, so the walk leaves it out.
WALK_WEIGHTS: dict[Edge, tuple[float, float]] = {
    Edge.WROTE: (1.0, 1.0),
    Edge.PUBLISHED_IN: (1.0, 1.0),
    Edge.TAGGED: (1.0, 1.0),
    Edge.LINKS_TO: (1.0, 0.0),
    Edge.WRITES_FOR: (0.0, 0.0),
}
NOFOLLOW_LINK_WEIGHT = 0.5
EXTERNAL = "(external)"  # the one domain node when load_graph(domains=False)


@dataclass(frozen=True)
class StoreGraph:
    """Nodes are numbered kind by kind in NODE_KINDS order; `offset[kind]` is where a kind starts."""

    keys: dict[str, list[str]]  # kind -> node keys (post id, username, slug, tag slug, host)
    offset: dict[str, int]
    src: np.ndarray  # global node ids
    dst: np.ndarray
    kind: np.ndarray  # Edge codes
    weight: np.ndarray  # parallel edges counted; nofollow/ugc links carry NOFOLLOW_LINK_WEIGHT
    # Per post (aligned with keys["post"]): local author/publication index (-1 unknown), day number
    # of publication (NaN unknown), claps and responses (NaN unknown), title and subtitle.
    post_author: np.ndarray
    post_pub: np.ndarray
    post_day: np.ndarray
    post_claps: np.ndarray
    post_responses: np.ndarray
    post_title: list[str | None]
    post_subtitle: list[str | None]
    post_tag_ptr: np.ndarray  # CSR over posts: tags of post i are post_tag_idx[ptr[i]:ptr[i+1]]
    post_tag_idx: np.ndarray
    # Per author (aligned with keys["author"]) and per publication (keys["publication"]), read in the
    # same rows as the keys, so they cannot fall out of line: followers (None unknown), submission page.
    author_followers: list[int | None]
    pub_followers: list[int | None]
    pub_submission_url: list[str | None]
    # walk_matrix results by weights (the store cache fills the ranking's own from disk): building
    # one sorts every edge, seconds at 10M edges, and the matrix depends only on the store.
    walks: dict[tuple[tuple[float, float], ...], sparse.csr_array] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def n(self) -> int:
        return sum(len(v) for v in self.keys.values())

    def ids(self, kind: str, local: np.ndarray | int) -> Any:
        return self.offset[kind] + local

    def walk_matrix(self, weights: dict[Edge, tuple[float, float]] = WALK_WEIGHTS) -> sparse.csr_array:
        """The n × n matrix M[i, j] = weight of the walk step i → j (parallel edges summed), in
        canonical form (sorted columns, no duplicates). Computed once per weights; do not modify it."""
        key = walk_key(weights)
        if key not in self.walks:
            self.walks[key] = self._walk_matrix(weights)
        return self.walks[key]

    def _walk_matrix(self, weights: dict[Edge, tuple[float, float]]) -> sparse.csr_array:
        fw = np.array([weights[Edge(k)][0] for k in range(len(Edge))])[self.kind] * self.weight
        bw = np.array([weights[Edge(k)][1] for k in range(len(Edge))])[self.kind] * self.weight
        rows = np.concatenate([self.src, self.dst])
        cols = np.concatenate([self.dst, self.src])
        vals = np.concatenate([fw, bw])
        keep = vals > 0
        m = sparse.coo_array((vals[keep], (rows[keep], cols[keep])), shape=(self.n, self.n))
        out: sparse.csr_array = m.tocsr()  # duplicates summed, columns sorted
        if max(self.n, out.nnz) < 2**31:  # 32-bit positions: a quarter less memory at 10M edges
            out.indices, out.indptr = out.indices.astype(np.int32), out.indptr.astype(np.int32)
        return out


def walk_key(weights: dict[Edge, tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    return tuple(weights.get(Edge(k), (0.0, 0.0)) for k in range(len(Edge)))


def _col(rows: list[tuple[Any, ...]], i: int, dtype: Any = float) -> np.ndarray:
    """Column i of fetched rows as an array; NULL becomes NaN."""
    return np.array([r[i] for r in rows], dtype=dtype) if rows else np.zeros(0, dtype=dtype)


def _floats(values: Sequence[Any]) -> np.ndarray:
    """A column of numbers as float64; NULL becomes NaN."""
    return np.array(values, dtype=float) if len(values) else np.zeros(0)


def _map(keys: Iterable[Any], index: dict[Any, int], count: int) -> np.ndarray:
    """Positions of `keys` in `index` (-1 when absent), one C-level dict lookup each."""
    return np.fromiter(map(index.get, keys, repeat(-1)), dtype=np.int64, count=count)


_HEX = "0123456789abcdef"
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def internal_targets(rows: Iterable[tuple[str, str, int]]) -> list[tuple[str, str, str | None, int]]:
    """(post_id, trailing post id, profile username, weak) of internal links that name a post or a profile.

    A link names a post by the hex id ending its path ("…-<id>" or "/p/<id>", 8-12 hex digits) and a
    profile by "/@name" as its last segment; query string and trailing slashes are dropped and ASCII
    letters lower-cased first (SQLite's lower(): the rule this replaced ran in SQL)."""
    out: list[tuple[str, str, str | None, int]] = []
    add = out.append
    for post_id, url, weak in rows:
        u = url.partition("?")[0].rstrip("/")
        u = u.lower() if u.isascii() else u.translate(_ASCII_LOWER)
        pid = u[len(u.rstrip(_HEX)) :]
        at = u.find("/@")
        if at >= 0:
            rest = u[at + 2 :]
            add((post_id, pid, None if "/" in rest else rest, weak))
        elif 8 <= len(pid) <= 12:
            add((post_id, pid, None, weak))
    return out


_SEP = graph_read.TAG_SEP


def _ascending(major: np.ndarray, minor: np.ndarray) -> bool:
    """Whether (major, minor) pairs are sorted (ties allowed)."""
    dm = np.diff(major)
    return bool((dm >= 0).all() and (np.diff(minor)[dm == 0] >= 0).all())


def _post_tags(db: Database, pidx: dict[str, int], tidx: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(post, tag) local ids of every post_tags row (-1 where unknown), in no particular order.

    One row per post with its tags joined: a third of the rows and of the post-id lookups."""
    rows = graph_read.post_tags_grouped(db)
    counts = np.fromiter((r[2] for r in rows), dtype=np.int64, count=len(rows))
    tags = _SEP.join(r[1] for r in rows).split(_SEP) if rows else []
    if len(tags) != int(counts.sum()):  # a tag holding the separator itself: read row by row
        pairs = graph_read.post_tag_pairs(db)
        return (_map((r[0] for r in pairs), pidx, len(pairs)), _map((r[1] for r in pairs), tidx, len(pairs)))
    posts = _map((r[0] for r in rows), pidx, len(rows))
    return np.repeat(posts, counts), _map(tags, tidx, len(tags))


def load_graph(db: Database, *, domains: bool = True) -> StoreGraph:
    """Read posts, tags, links and their owners into integer-id arrays (responses are not posts).

    `domains=False` (ranking) folds every external domain into one node, EXTERNAL, with the summed
    link weight: the scores of all other nodes are unchanged and a million links cost one
    GROUP BY instead of a million rows."""
    rows = graph_read.post_rows(db)
    cols: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [()] * 8
    post_keys = list(cols[0])
    author_rows = graph_read.author_rows(db)
    pub_rows = graph_read.publication_rows(db)
    authors = [a.username for a in author_rows]
    pubs = [p.slug for p in pub_rows]
    tags = graph_read.tag_slugs(db)
    aidx = {k: i for i, k in enumerate(authors)}
    post_author = _map(cols[1], aidx, len(rows))
    post_pub = _map(cols[2], {k: i for i, k in enumerate(pubs)}, len(rows))
    post_day = _floats(cols[3])
    post_claps = _floats(cols[4])
    post_resp = _floats(cols[5])

    pidx = {k: i for i, k in enumerate(post_keys)}
    pt_post, pt_tag = _post_tags(db, pidx, {k: i for i, k in enumerate(tags)})
    ok = (pt_post >= 0) & (pt_tag >= 0)
    pt_post, pt_tag = pt_post[ok], pt_tag[ok]
    # Rows come in primary-key order (post id, tag), which is already (post, tag) index order.
    if len(pt_post) > 1 and not _ascending(pt_post, pt_tag):
        order = np.lexsort((pt_tag, pt_post))
        pt_post, pt_tag = pt_post[order], pt_tag[order]
    ptr = np.concatenate([[0], np.cumsum(np.bincount(pt_post, minlength=len(post_keys)))]).astype(np.int64)

    internal = internal_targets(graph_read.internal_links(db))
    lp = [(r[0], r[1], r[3]) for r in internal if r[1] in pidx]
    la = [(r[0], r[2], r[3]) for r in internal if r[2] and r[1] not in pidx]
    # All external domains as one sink when ranking: every domain node is dangling and hands its mass
    # back to the teleport, so one node per domain changes nothing for the other nodes' scores.
    ld = (
        graph_read.domain_links(db)
        if domains
        else graph_read.external_links(db, EXTERNAL, NOFOLLOW_LINK_WEIGHT)
    )
    if domains:
        ld = [(r[0], r[1].lower(), r[2]) for r in ld]
    domains_list = sorted({r[1] for r in ld})
    didx = {k: i for i, k in enumerate(domains_list)}

    keys = {"post": post_keys, "author": authors, "publication": pubs, "tag": tags, "domain": domains_list}
    offset, at = {}, 0
    for k in NODE_KINDS:
        offset[k] = at
        at += len(keys[k])

    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    kinds: list[np.ndarray] = []
    wts: list[np.ndarray] = []

    def add(s: np.ndarray, d: np.ndarray, kind: Edge, w: np.ndarray | None = None) -> None:
        src.append(s.astype(np.int64))
        dst.append(d.astype(np.int64))
        kinds.append(np.full(len(s), int(kind), dtype=np.int8))
        wts.append(np.ones(len(s)) if w is None else w)

    def add_links(r: list[tuple[Any, ...]], kind: str, index: dict[str, int], weights: np.ndarray) -> None:
        a, b = _map((x[0] for x in r), pidx, len(r)), _map((x[1] for x in r), index, len(r))
        ok = (a >= 0) & (b >= 0)
        add(a[ok], offset[kind] + b[ok], Edge.LINKS_TO, weights[ok])

    def weak(r: list[tuple[Any, ...]]) -> np.ndarray:
        return np.where(_col(r, 2) > 0, NOFOLLOW_LINK_WEIGHT, 1.0)

    posts = np.arange(len(post_keys))
    has_a = post_author >= 0
    add(offset["author"] + post_author[has_a], posts[has_a], Edge.WROTE)
    has_b = post_pub >= 0
    add(posts[has_b], offset["publication"] + post_pub[has_b], Edge.PUBLISHED_IN)
    add(pt_post, offset["tag"] + pt_tag, Edge.TAGGED)
    add_links(lp, "post", pidx, weak(lp))
    add_links(la, "author", aidx, weak(la))
    add_links(ld, "domain", didx, weak(ld) if domains else _col(ld, 2))
    both = has_a & has_b
    if both.any():
        pairs, counts = np.unique(np.stack([post_author[both], post_pub[both]]), axis=1, return_counts=True)
        add(
            offset["author"] + pairs[0],
            offset["publication"] + pairs[1],
            Edge.WRITES_FOR,
            counts.astype(float),
        )
    return StoreGraph(
        keys=keys, offset=offset, src=np.concatenate(src), dst=np.concatenate(dst),
        kind=np.concatenate(kinds), weight=np.concatenate(wts), post_author=post_author, post_pub=post_pub,
        post_day=post_day, post_claps=post_claps, post_responses=post_resp,
        post_title=list(cols[6]), post_subtitle=list(cols[7]), post_tag_ptr=ptr, post_tag_idx=pt_tag,
        author_followers=[a.followers for a in author_rows], pub_followers=[p.followers for p in pub_rows],
        pub_submission_url=[p.submission_url for p in pub_rows],
    )  # fmt: skip


def node_name(kind: str, key: str) -> str:
    return f"{kind}:{key}"


def to_networkx(g: StoreGraph) -> Any:
    """The same graph as a networkx MultiDiGraph with `kind` on nodes and `kind`/`weight` on edges."""
    import networkx as nx

    G = nx.MultiDiGraph()
    names: list[str] = []
    for k in NODE_KINDS:
        for key in g.keys[k]:
            name = node_name(k, key)
            names.append(name)
            G.add_node(name, kind=k, key=key)
    for s, d, k, w in zip(g.src.tolist(), g.dst.tolist(), g.kind.tolist(), g.weight.tolist(), strict=True):
        G.add_edge(names[s], names[d], kind=EDGE_NAMES[Edge(k)], weight=float(w))
    return G


def build_graph(db: Database) -> Any:
    """Store → networkx MultiDiGraph (small stores: exploring, exporting, tests)."""
    return to_networkx(load_graph(db))


def export_graph(db: Database, path: str | Path) -> Path:
    """Write the graph as GraphML (.graphml) or GEXF (.gexf), chosen by the file's suffix."""
    import networkx as nx

    p = Path(path)
    G = build_graph(db)
    if p.suffix.lower() == ".gexf":
        nx.write_gexf(G, p)
    elif p.suffix.lower() == ".graphml":
        nx.write_graphml(G, p)
    else:
        from linkscout.core.errors import ConfigError

        raise ConfigError(f"cannot export to {p.name}: use a .graphml or .gexf file name")
    return p
