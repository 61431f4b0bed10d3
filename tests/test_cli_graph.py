"""`linkscout graph`: the niche as GEXF/GraphML that loads back in networkx with labels and scores."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from helpers_graph import NICHE, world_db
from typer.testing import CliRunner

from linkscout.cli.main import app
from linkscout.graph.gephi import niche_graph

NICHE_TOML = """
[niche]
name = "seo-for-saas"
keywords = ["seo", "link building", "content marketing"]
tags = ["seo", "link-building", "content-marketing"]
competitors = ["ahrefs.com"]
site = "example.com"
as_of = "2024-06-30"
"""


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("graph")
    world_db(d / "w.db").conn.close()
    (d / "niche.toml").write_text(NICHE_TOML, encoding="utf-8")
    return d / "niche.toml", d / "w.db"


def run(paths: tuple[Path, Path], *args: str):
    niche, db = paths
    return CliRunner().invoke(app, ["graph", "--niche", str(niche), "--db", str(db), *args])


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_graph_loads_back_with_labels_scores_and_the_same_counts(paths, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"niche.{fmt}"
    r = run(paths, "--format", fmt, "--out", str(out))
    assert r.exit_code == 0, r.output
    G = nx.read_gexf(out) if fmt == "gexf" else nx.read_graphml(out)
    from linkscout.store.db import open_db

    expected = niche_graph(open_db(paths[1]), NICHE)
    assert (G.number_of_nodes(), G.number_of_edges()) == (
        expected.number_of_nodes(),
        expected.number_of_edges(),
    )
    nodes = dict(G.nodes(data=True))
    labelled = [n for n, a in nodes.items() if a.get("label") and "score" in a]
    assert len(labelled) >= 0.9 * len(nodes)
    assert {a["kind"] for a in nodes.values()} == {"author", "publication", "tag", "post", "competitor"}
    # names, not ids; followers where known, absent (not 0) where unknown
    assert (
        nodes["author:steady1"]["label"] == "Steady One" and int(nodes["author:steady1"]["followers"]) == 800
    )
    assert "followers" not in nodes["author:steady3"]
    assert nodes["publication:growth-pub"]["label"] == "Growth Pub"
    assert int(nodes["author:steady1"]["niche_posts"]) == 8
    # the ranking's order shows in the scores
    assert float(nodes["author:steady1"]["score"]) > float(nodes["author:celeb"]["score"])
    kinds = {d["kind"] for _, _, d in G.edges(data=True)}
    assert kinds == {"wrote", "published_in", "tagged", "links_to_competitor"}
    comp = [(s, d) for s, t, d in G.edges(data=True) if t == "competitor:ahrefs.com"]
    assert len(comp) == 1 and float(comp[0][1]["weight"]) == 0.5  # one nofollow link counts half
    assert "post:" + "SEO for crypto sites" not in nodes  # dated after as_of: left out
    assert not any(a.get("label") == "SEO for crypto sites" for a in nodes.values())


def test_graph_refuses_to_overwrite_and_bad_formats(paths, tmp_path: Path) -> None:
    out = tmp_path / "g.gexf"
    out.write_text("keep me", encoding="utf-8")
    r = run(paths, "--out", str(out))
    assert r.exit_code == 1 and r.stderr.startswith("Error:") and "--force" in r.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    assert run(paths, "--out", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<?xml")
    r = run(paths, "--format", "dot", "--out", str(tmp_path / "x.dot"))
    assert r.exit_code == 2 and r.stderr.startswith("Error:")
