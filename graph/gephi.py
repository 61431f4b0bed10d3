"""The niche as a picture for Gephi: GEXF or GraphML with names, kinds, scores and follower counts.

Nodes (id `kind:key`), each with `label` (the name a person reads), `kind`, `score`, `followers` and
`niche_posts` where they apply:
- author and publication: the ranking's score (the same formula `rank` uses, for every node, ranked
  or not), followers, niche posts;
- tag: its personalised-PageRank relevance share, niche posts carrying it;
- post: its relevance share (personalised-PageRank mass over the best post's), niche_posts 1 or 0;
- competitor: a competitor domain from niche.toml that some post links to (no score).

Edges are typed (`kind`) and weighted (`weight`): wrote (author → post), published_in (post →
publication), tagged (post → tag), links_to_competitor (post → competitor; nofollow/ugc count ½,
several links add up). A missing value is left off the node, never written as 0.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
from sqlite_utils import Database

from linkscout.core.errors import ConfigError
from linkscout.core.niche import Niche
from linkscout.graph.rank import Context, author_scores, prepare, publication_scores, tag_scores
from linkscout.store.prospects import author_contacts, publication_details, tag_names

GRAPH_FORMATS = ("gexf", "graphml")
EDGE_KINDS = ("wrote", "published_in", "tagged", "links_to_competitor")


def _num(v: Any) -> float | None:
    f = float(v)
    return None if np.isnan(f) else round(f, 6)


def _share(mass: np.ndarray) -> np.ndarray:
    top = float(mass.max()) if len(mass) else 0.0
    return mass / top if top > 0 else np.zeros_like(mass)


def niche_graph(
    db: Database, niche: Niche, as_of: date | str | None = None, *, context: Context | None = None
) -> Any:
    """The niche graph as a networkx DiGraph ready to write (attributes are plain str/int/float)."""
    import networkx as nx

    ctx = context or prepare(db, niche, as_of)
    g = ctx.graph
    G = nx.DiGraph()

    def add(node: str, **attrs: Any) -> None:
        G.add_node(node, **{k: v for k, v in attrs.items() if v is not None})

    contacts = author_contacts(db)
    a_score, _, _ = author_scores(ctx)
    for i, key in enumerate(g.keys["author"]):
        c = contacts.get(key)
        add(f"author:{key}", label=(c.name if c and c.name else f"@{key}"), kind="author",
            score=_num(a_score[i]), followers=c.followers if c else None,
            niche_posts=int(ctx.authors.niche_posts[i]))  # fmt: skip
    pubs = publication_details(db)
    p_score, _, _ = publication_scores(ctx)
    for i, key in enumerate(g.keys["publication"]):
        d = pubs.get(key)
        add(f"publication:{key}", label=(d.name if d and d.name else key), kind="publication",
            score=_num(p_score[i]), followers=d.followers if d else None,
            niche_posts=int(ctx.publications.niche_posts[i]))  # fmt: skip
    tnames = tag_names(db)
    _, t_parts, _ = tag_scores(ctx)
    post_of = np.repeat(np.arange(len(g.keys["post"])), np.diff(g.post_tag_ptr))
    tag_niche = np.bincount(
        g.post_tag_idx, weights=ctx.posts.niche[post_of].astype(float), minlength=len(g.keys["tag"])
    )
    for i, key in enumerate(g.keys["tag"]):
        add(f"tag:{key}", label=tnames.get(key) or key, kind="tag", score=_num(t_parts["relevance"][i]),
            niche_posts=int(tag_niche[i]))  # fmt: skip
    post_mass = _share(ctx.ppr[g.offset["post"] : g.offset["post"] + len(g.keys["post"])])
    for i, key in enumerate(g.keys["post"]):
        if not ctx.posts.valid[i]:
            continue  # dated after as_of
        add(f"post:{key}", label=g.post_title[i] or key, kind="post", score=_num(post_mass[i]),
            niche_posts=int(bool(ctx.posts.niche[i])))  # fmt: skip
        if g.post_author[i] >= 0:
            G.add_edge(
                f"author:{g.keys['author'][g.post_author[i]]}", f"post:{key}", kind="wrote", weight=1.0
            )
        if g.post_pub[i] >= 0:
            pub = g.keys["publication"][g.post_pub[i]]
            G.add_edge(f"post:{key}", f"publication:{pub}", kind="published_in", weight=1.0)
        for t in g.post_tag_idx[g.post_tag_ptr[i] : g.post_tag_ptr[i + 1]]:
            G.add_edge(f"post:{key}", f"tag:{g.keys['tag'][t]}", kind="tagged", weight=1.0)
    for link in ctx.leads:
        comp = f"competitor:{link.domain}"
        if comp not in G:
            add(comp, label=link.domain, kind="competitor")
        src = f"post:{link.post_id}"
        w = 0.5 if (link.nofollow or link.ugc) else 1.0
        if G.has_edge(src, comp):
            G[src][comp]["weight"] += w
        else:
            G.add_edge(src, comp, kind="links_to_competitor", weight=w)
    return G


def graph_text(G: Any, fmt: str) -> str:
    """The graph as GEXF 1.2 or GraphML text (UTF-8 XML), for the CLI's file writer."""
    import networkx as nx

    if fmt not in GRAPH_FORMATS:
        raise ConfigError(f"cannot write a graph as {fmt!r}: use --format gexf or graphml")
    lines = nx.generate_gexf(G) if fmt == "gexf" else nx.generate_graphml(G)
    text = "\n".join(lines) + "\n"
    return text if text.startswith("<?xml") else '<?xml version="1.0" encoding="utf-8"?>\n' + text
