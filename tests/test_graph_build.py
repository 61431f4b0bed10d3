"""The store as a graph: node kinds, the five edge kinds, link rel weights, exports."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from helpers_graph import seed_small, small_db
from sqlite_utils import Database

from linkscout.core.errors import ConfigError
from linkscout.core.records import AuthorRecord, LinkRecord, PostRecord, PublicationRecord
from linkscout.graph.build import NOFOLLOW_LINK_WEIGHT, build_graph, export_graph, load_graph

A = "0a1b2c3d4e"
B = "1b2c3d4e5f"
C = "2c3d4e5f60"
R = "3d4e5f6071"


def seed_store(db: Database) -> None:
    """What this module's `db` (tests/conftest.py) holds."""
    posts = [
        PostRecord(A, title="Link building 101", author="ann", publication="growth", tags=("seo", "saas"),
                   published_at="2024-06-01T00:00:00Z", claps=10, responses=2,
                   links=(LinkRecord(f"https://medium.com/@bob/other-post-{B}", None, "Bob's post"),
                          LinkRecord("https://www.ahrefs.com/blog", "nofollow noopener", "ahrefs"),
                          LinkRecord("https://ahrefs.com/tools?utm_source=x", None, "tools"),
                          LinkRecord("https://medium.com/@bob", None, "Bob"),
                          LinkRecord("https://medium.com/@nobody-known", None, "?"),
                          LinkRecord("https://growth.example.org/guest-post-" + C, "ugc", "guest"))),
        PostRecord(B, title="Other post", author="bob", publication="growth", tags=("seo",), claps=None),
        PostRecord(C, title="Guest post", author="ann", tags=(), published_at="2023-01-02"),
        PostRecord(R, title=None, author="bob", is_response=True, in_response_to=A, tags=("seo",)),
    ]  # fmt: skip
    pubs = [PublicationRecord("growth", name="Growth", domain="growth.example.org")]
    seed_small(db, posts, [AuthorRecord("ann", followers=5)], pubs)


def edges(G: nx.MultiDiGraph, kind: str) -> set[tuple[str, str]]:
    return {(u, v) for u, v, k in G.edges(data="kind") if k == kind}


def test_nodes_of_every_kind_and_responses_left_out(db) -> None:
    G = build_graph(db)
    kinds = {n: d["kind"] for n, d in G.nodes(data=True)}
    assert {n for n, k in kinds.items() if k == "post"} == {f"post:{A}", f"post:{B}", f"post:{C}"}
    assert {n for n, k in kinds.items() if k == "author"} == {"author:ann", "author:bob"}
    assert {n for n, k in kinds.items() if k == "publication"} == {"publication:growth"}
    assert {n for n, k in kinds.items() if k == "tag"} == {"tag:seo", "tag:saas"}
    assert {n for n, k in kinds.items() if k == "domain"} == {"domain:ahrefs.com"}


def test_edges_wrote_published_tagged_writes_for(db) -> None:
    G = build_graph(db)
    assert edges(G, "wrote") == {
        ("author:ann", f"post:{A}"),
        ("author:bob", f"post:{B}"),
        ("author:ann", f"post:{C}"),
    }
    assert edges(G, "published-in") == {
        (f"post:{A}", "publication:growth"),
        (f"post:{B}", "publication:growth"),
    }
    assert edges(G, "tagged") == {
        (f"post:{A}", "tag:seo"),
        (f"post:{A}", "tag:saas"),
        (f"post:{B}", "tag:seo"),
    }
    assert edges(G, "writes-for") == {
        ("author:ann", "publication:growth"),
        ("author:bob", "publication:growth"),
    }


def test_links_resolve_to_posts_profiles_and_domains_with_rel_weight(db) -> None:
    G = build_graph(db)
    links = [(u, v, d["weight"]) for u, v, d in G.edges(data=True) if d["kind"] == "links-to"]
    assert sorted(links) == sorted([
        (f"post:{A}", f"post:{B}", 1.0),  # a Medium post we stored
        (f"post:{A}", "domain:ahrefs.com", NOFOLLOW_LINK_WEIGHT),  # www. dropped, nofollow halves
        (f"post:{A}", "domain:ahrefs.com", 1.0),
        (f"post:{A}", "author:bob", 1.0),  # a profile link
        (f"post:{A}", f"post:{C}", NOFOLLOW_LINK_WEIGHT),  # custom domain of a publication; ugc halves
    ])  # fmt: skip


def test_post_attributes_and_walk_matrix(db) -> None:
    g = load_graph(db)
    i = g.keys["post"].index(A)
    assert g.post_claps[i] == 10 and g.post_responses[i] == 2
    assert np.isnan(g.post_claps[g.keys["post"].index(B)])  # unknown stays unknown
    assert np.isnan(g.post_day[g.keys["post"].index(B)])
    assert g.post_day[g.keys["post"].index(C)] == np.datetime64("2023-01-02", "D").astype(int)
    tags = {g.keys["tag"][t] for t in g.post_tag_idx[g.post_tag_ptr[i] : g.post_tag_ptr[i + 1]]}
    assert tags == {"seo", "saas"}
    M = g.walk_matrix()
    post, ann = g.offset["post"] + i, g.offset["author"] + g.keys["author"].index("ann")
    dom = g.offset["domain"] + g.keys["domain"].index("ahrefs.com")
    assert M[ann, post] == 1.0 and M[post, ann] == 1.0  # wrote walks both ways
    assert M[post, dom] == 1.0 + NOFOLLOW_LINK_WEIGHT and M[dom, post] == 0.0  # links only forward
    assert M.sum(axis=1)[dom] == 0  # an external domain is a dangling node


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_export_round_trips(db, tmp_path: Path, suffix: str) -> None:
    out = export_graph(db, tmp_path / f"g{suffix}")
    H = nx.read_graphml(out) if suffix == ".graphml" else nx.read_gexf(out)
    G = build_graph(db)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()


def test_export_refuses_unknown_format(db, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="graphml"):
        export_graph(db, tmp_path / "g.txt")


def test_empty_store(tmp_path: Path) -> None:
    g = load_graph(small_db(tmp_path / "e.db", []))
    assert g.n == 0 and g.walk_matrix().shape == (0, 0)
