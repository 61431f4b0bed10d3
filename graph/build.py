"""The store as a heterogeneous graph: author, publication, tag, post and external-domain nodes.

Edges (in their natural direction): wrote (author → post), published-in (post → publication),
tagged (post → tag), links-to (post → post | author | domain, with nofollow/ugc), writes-for
(author → publication, weighted by post count).

`load_graph` reads the store once into integer-id numpy arrays (`StoreGraph`): that is what ranking
uses, so it scales to millions of edges. `to_networkx` turns the same arrays into a MultiDiGraph for
exploring, exporting (GraphML/GEXF) and as the test oracle; it is never on the ranking path.
"""

from __future__ import annotations

import re
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

_POST_ID = re.compile(r"(?:^|[-/])([0-9a-f]{8,12})/?(?:[?#]|$)")
_PROFILE = re.compile(r"^https?://(?:www\.)?medium\.com/@([^/?#]+)/?(?:[?#]|$)", re.I)


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


def _days(stamps: list[str | None]) -> np.ndarray:
    """ISO dates/times → float day numbers since 1970-01-01, NaN when unknown or unparseable."""
    out = np.full(len(stamps), np.nan)
    for i, s in enumerate(stamps):
        if s and len(s) >= 10:
            try:
                out[i] = np.datetime64(s[:10], "D").astype(np.int64)
            except ValueError:
                continue
    return out


def _index(keys: list[str]) -> dict[str, int]:
    return {k: i for i, k in enumerate(keys)}


def load_graph(db: Database) -> StoreGraph:
    """Read posts, tags, links and their owners into integer-id arrays (responses are not posts)."""
    conn = db.conn
    rows = conn.execute(
        "SELECT id, author, publication, published_at, claps, responses, title, subtitle FROM posts "
        "WHERE COALESCE(is_response, 0) = 0 ORDER BY id"
    ).fetchall()
    post_keys = [r[0] for r in rows]
    authors = [r[0] for r in conn.execute("SELECT username FROM authors ORDER BY username")]
    pubs = [r[0] for r in conn.execute("SELECT slug FROM publications ORDER BY slug")]
    tags = [r[0] for r in conn.execute("SELECT slug FROM tags ORDER BY slug")]
    pidx, aidx, bidx, tidx = _index(post_keys), _index(authors), _index(pubs), _index(tags)
    post_author = np.array([aidx.get(r[1], -1) if r[1] else -1 for r in rows], dtype=np.int64)
    post_pub = np.array([bidx.get(r[2], -1) if r[2] else -1 for r in rows], dtype=np.int64)
    post_day = _days([r[3] for r in rows])
    post_claps = np.array([np.nan if r[4] is None else r[4] for r in rows], dtype=float)
    post_resp = np.array([np.nan if r[5] is None else r[5] for r in rows], dtype=float)

    # post_tags is clustered by post id, the same order as post_keys.
    pt = [
        (pidx.get(p, -1), tidx[t])
        for p, t in conn.execute("SELECT post_id, tag FROM post_tags ORDER BY post_id, tag")
    ]
    pt_post = np.array([a for a, _ in pt], dtype=np.int64)
    pt_tag = np.array([b for _, b in pt], dtype=np.int64)
    keep = pt_post >= 0
    pt_post, pt_tag = pt_post[keep], pt_tag[keep]
    ptr = np.zeros(len(post_keys) + 1, dtype=np.int64)
    np.add.at(ptr, pt_post + 1, 1)
    ptr = np.cumsum(ptr)

    aliases = dict(conn.execute("SELECT host, slug FROM publication_aliases").fetchall())
    link_post, link_kind, link_target, link_w = _links(conn, pidx, aidx, set(aliases))
    domains = sorted({t for k, t in zip(link_kind, link_target, strict=True) if k == "domain"})
    didx = _index(domains)

    keys = {"post": post_keys, "author": authors, "publication": pubs, "tag": tags, "domain": domains}
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

    posts = np.arange(len(post_keys))
    has_a = post_author >= 0
    add(offset["author"] + post_author[has_a], posts[has_a], Edge.WROTE)
    has_b = post_pub >= 0
    add(posts[has_b], offset["publication"] + post_pub[has_b], Edge.PUBLISHED_IN)
    add(pt_post, offset["tag"] + pt_tag, Edge.TAGGED)
    lt = np.array(
        [
            offset["post"] + pidx[t] if k == "post" else offset["author"] + aidx[t] if k == "author"
            else offset["domain"] + didx[t]
            for k, t in zip(link_kind, link_target, strict=True)
        ],
        dtype=np.int64,
    )  # fmt: skip
    add(np.array(link_post, dtype=np.int64), lt, Edge.LINKS_TO, np.array(link_w, dtype=float))
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
        post_title=[r[6] for r in rows], post_subtitle=[r[7] for r in rows], post_tag_ptr=ptr, post_tag_idx=pt_tag,
    )  # fmt: skip


def _links(
    conn: Any, pidx: dict[str, int], aidx: dict[str, int], alias_hosts: set[str]
) -> tuple[list[int], list[str], list[str], list[float]]:
    """Body links as (post, target kind, target key, weight): a stored post, an author's profile,
    or an external domain (www. dropped). Links to Medium pages we do not know are left out."""
    out_post: list[int] = []
    out_kind: list[str] = []
    out_target: list[str] = []
    out_w: list[float] = []
    for post_id, url, host, nofollow, ugc, internal in conn.execute(
        "SELECT post_id, url, host, nofollow, ugc, internal FROM links"
    ):
        src = pidx.get(post_id)
        if src is None:
            continue
        w = NOFOLLOW_LINK_WEIGHT if (nofollow or ugc) else 1.0
        host = (host or "").lower()
        if internal or host in alias_hosts:
            m = _POST_ID.search(url.lower())
            if m and m.group(1) in pidx:
                kind, target = "post", m.group(1)
            else:
                p = _PROFILE.match(url)
                user = p.group(1).lower() if p else None
                if user is None or user not in aidx:
                    continue
                kind, target = "author", user
        elif host:
            kind, target = "domain", host.removeprefix("www.")
        else:
            continue
        out_post.append(src)
        out_kind.append(kind)
        out_target.append(target)
        out_w.append(w)
    return out_post, out_kind, out_target, out_w


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
