"""The store as a heterogeneous graph: author, publication, tag, post and external-domain nodes.

Edges (in their natural direction): wrote (author → post), published-in (post → publication),
tagged (post → tag), links-to (post → post | author | domain, with nofollow/ugc), writes-for
(author → publication, weighted by post count).

`load_graph` reads the store once into integer-id numpy arrays (`StoreGraph`): that is what ranking
uses, so it scales to millions of edges. `to_networkx` turns the same arrays into a MultiDiGraph for
exploring, exporting (GraphML/GEXF) and as the test oracle; it is never on the ranking path.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sqlite_utils import Database

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

    @property
    def n(self) -> int:
        return sum(len(v) for v in self.keys.values())

    def ids(self, kind: str, local: np.ndarray | int) -> Any:
        return self.offset[kind] + local

    def walk_matrix(self, weights: dict[Edge, tuple[float, float]] = WALK_WEIGHTS) -> sparse.csr_array:
        """The n × n matrix M[i, j] = weight of the walk step i → j (parallel edges summed)."""
        fw = np.array([weights[Edge(k)][0] for k in range(len(Edge))])[self.kind] * self.weight
        bw = np.array([weights[Edge(k)][1] for k in range(len(Edge))])[self.kind] * self.weight
        rows = np.concatenate([self.src, self.dst])
        cols = np.concatenate([self.dst, self.src])
        vals = np.concatenate([fw, bw])
        keep = vals > 0
        m = sparse.coo_array((vals[keep], (rows[keep], cols[keep])), shape=(self.n, self.n))
        return m.tocsr()


def _col(rows: list[tuple[Any, ...]], i: int, dtype: Any = float) -> np.ndarray:
    """Column i of fetched rows as an array; NULL becomes NaN."""
    return np.array([r[i] for r in rows], dtype=dtype) if rows else np.zeros(0, dtype=dtype)


def _lookup(rowids: np.ndarray, table_rowids: np.ndarray) -> np.ndarray:
    """Map SQLite rowids (NaN = none) to positions in `table_rowids` order; -1 when absent."""
    known = rowids[~np.isnan(rowids)] if rowids.dtype.kind == "f" else rowids
    size = int(max(known.max() if len(known) else 0, table_rowids.max() if len(table_rowids) else 0)) + 2
    pos = np.full(size, -1, dtype=np.int64)
    pos[table_rowids] = np.arange(len(table_rowids))
    r = np.nan_to_num(rowids, nan=size - 1).astype(np.int64)  # the last slot stays -1
    return pos[r]


# Internal links name a post by the hex id ending their path ("…-<id>" or "/p/<id>"); SQLite's
# rtrim with the hex alphabet cuts it off, so the per-link string work happens in SQL, not Python.
_URL = (
    "lower(rtrim(CASE WHEN instr(url, '?') > 0 THEN substr(url, 1, instr(url, '?') - 1) ELSE url END, '/'))"
)
_INTERNAL = "(internal = 1 OR host IN (SELECT host FROM publication_aliases))"
_WEAK = "CASE WHEN nofollow OR ugc THEN 1 ELSE 0 END"
_LINK_SQL = {
    # One scan of the internal links yields both targets: the trailing post id and a profile's username.
    "internal": f"""SELECT post_id, pid, CASE WHEN instr(u, '/@') > 0 AND instr(substr(u, instr(u, '/@') + 2), '/') = 0
        THEN substr(u, instr(u, '/@') + 2) END, weak FROM (
        SELECT post_id, u, weak, substr(u, length(rtrim(u, '0123456789abcdef')) + 1) AS pid FROM (
            SELECT post_id, {_URL} AS u, {_WEAK} AS weak FROM links WHERE {_INTERNAL}))
        WHERE length(pid) BETWEEN 8 AND 12 OR instr(u, '/@') > 0""",
    "domain": f"""SELECT post_id, CASE WHEN host LIKE 'www.%' THEN substr(host, 5) ELSE host END, {_WEAK}
        FROM links WHERE NOT {_INTERNAL} AND host IS NOT NULL AND host != ''""",
    # All external domains as one sink: for ranking, every domain node is dangling and hands its mass
    # back to the teleport, so one node per domain changes nothing for the other nodes' scores.
    "external": f"""SELECT post_id, '{EXTERNAL}', SUM(CASE WHEN nofollow OR ugc THEN {NOFOLLOW_LINK_WEIGHT} ELSE 1.0 END)
        FROM links WHERE NOT {_INTERNAL} AND host IS NOT NULL AND host != '' GROUP BY post_id""",
}


def _map(rows: list[tuple[Any, ...]], col: int, index: dict[str, int]) -> np.ndarray:
    get = index.get
    return np.array([get(r[col], -1) for r in rows], dtype=np.int64)


def load_graph(db: Database, *, domains: bool = True) -> StoreGraph:
    """Read posts, tags, links and their owners into integer-id arrays (responses are not posts).

    `domains=False` (ranking) folds every external domain into one node, EXTERNAL, with the summed
    link weight: the scores of all other nodes are unchanged and a million links cost one
    GROUP BY instead of a million rows."""
    conn = db.conn
    rows = conn.execute(
        "SELECT NULL, p.id, a.rowid, b.rowid, julianday(substr(p.published_at, 1, 10)) - 2440587.5, "
        "p.claps, p.responses, p.title, p.subtitle FROM posts p "
        "LEFT JOIN authors a ON a.username = p.author LEFT JOIN publications b ON b.slug = p.publication "
        "WHERE COALESCE(p.is_response, 0) = 0 ORDER BY p.id"
    ).fetchall()
    post_keys = [r[1] for r in rows]
    arows = conn.execute("SELECT rowid, username FROM authors ORDER BY username").fetchall()
    brows = conn.execute("SELECT rowid, slug FROM publications ORDER BY slug").fetchall()
    trows = conn.execute("SELECT rowid, slug FROM tags ORDER BY slug").fetchall()
    authors, pubs, tags = [r[1] for r in arows], [r[1] for r in brows], [r[1] for r in trows]
    a_rowids, b_rowids = _col(arows, 0, np.int64), _col(brows, 0, np.int64)
    post_author = _lookup(_col(rows, 2), a_rowids)
    post_pub = _lookup(_col(rows, 3), b_rowids)
    post_day = _col(rows, 4)
    post_claps = _col(rows, 5)
    post_resp = _col(rows, 6)

    pidx = {k: i for i, k in enumerate(post_keys)}
    pt = conn.execute("SELECT post_id, tag FROM post_tags").fetchall()
    pt_post = _map(pt, 0, pidx)
    pt_tag = _map(pt, 1, {k: i for i, k in enumerate(tags)})
    ok = (pt_post >= 0) & (pt_tag >= 0)
    order = np.lexsort((pt_tag[ok], pt_post[ok]))
    pt_post, pt_tag = pt_post[ok][order], pt_tag[ok][order]
    ptr = np.zeros(len(post_keys) + 1, dtype=np.int64)
    np.add.at(ptr, pt_post + 1, 1)
    ptr = np.cumsum(ptr)

    aidx = {k: i for i, k in enumerate(authors)}
    internal = conn.execute(_LINK_SQL["internal"]).fetchall()
    lp = [(r[0], r[1], r[3]) for r in internal if r[1] in pidx]
    la = [(r[0], r[2], r[3]) for r in internal if r[1] not in pidx and r[2]]
    ld = conn.execute(_LINK_SQL["domain" if domains else "external"]).fetchall()
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
        a, b = _map(r, 0, pidx), _map(r, 1, index)
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
        post_title=[r[7] for r in rows], post_subtitle=[r[8] for r in rows], post_tag_ptr=ptr, post_tag_idx=pt_tag,
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
        from crawler.errors import ConfigError

        raise ConfigError(f"cannot export to {p.name}: use a .graphml or .gexf file name")
    return p
