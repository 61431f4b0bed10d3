"""Ranking on a hand-built niche world with known answers, and each component on its own."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from helpers_graph import AS_OF, NICHE, post, small_db, world_db

from linkscout.core.records import AuthorRecord, PublicationRecord
from linkscout.graph.rank import prepare, publication_scores, rank, ranked_keys, resolve_as_of


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    return world_db(tmp_path_factory.mktemp("world") / "w.db")


@pytest.fixture(scope="module")
def ctx(world):
    return prepare(world, NICHE)


def keys(entries) -> list[str]:
    return [e.key for e in entries]


def test_steady_writers_lead_and_the_pretenders_stay_below(world) -> None:
    order = keys(rank(world, NICHE, kind="authors"))
    assert set(order[:3]) == {"steady1", "steady2", "steady3"}
    for pretender in ("celeb", "onehit", "inactive"):
        assert order.index(pretender) > 2, pretender
    assert "offniche" not in order  # no niche post by as_of: not a candidate at all


def test_entry_shape_and_immutability(world) -> None:
    top = rank(world, NICHE, kind="authors", limit=2)
    assert [e.rank for e in top] == [1, 2] and top[0].kind == "author"
    e = top[0]
    assert e.url == f"https://medium.com/@{e.key}" and e.name
    assert set(e.components) >= {"relevance", "engagement", "consistency", "followers", "backlinks"}
    assert top[0].score >= top[1].score
    with pytest.raises(FrozenInstanceError):
        e.score = 1.0  # type: ignore[misc]
    assert e.to_dict()["evidence"]["posts"][0]["url"].startswith("https://medium.com/")


def test_deterministic(world) -> None:
    a = [e.to_dict() for e in rank(world, NICHE, kind="authors")]
    b = [e.to_dict() for e in rank(world, NICHE, kind="authors")]
    assert a == b


def test_consistency_component(ctx) -> None:
    i = ctx.graph.keys["author"].index("steady1")  # niche posts 3, 13, ..., 73 days ago
    f = ctx.authors
    assert (f.niche_30[i], f.niche_90[i], f.active_weeks[i], f.last_niche_age[i]) == (3, 8, 8, 3)
    e = {x.key: x for x in rank(ctx.db, NICHE, context=ctx)}["steady1"]
    assert e.components["consistency"] == pytest.approx((1 + 1 + 8 / 13) / 3)


def test_engagement_uses_medians_over_niche_posts(ctx) -> None:
    f, names = ctx.authors, ctx.graph.keys["author"]
    i = names.index("steady1")  # claps 90, 100, ..., 160 → median 125; responses 4,5,6,4,5,6,4,5 → 5
    assert (f.median_claps[i], f.median_responses[i]) == (125, 5)
    j = names.index("onehit")  # the 20,000-clap post is one of six: median stays tiny
    assert f.median_claps[j] == 3.0
    k = names.index("celeb")  # 30 viral off-niche posts do not count: only the one niche post
    assert f.median_claps[k] == 12000


def test_one_hit_share_and_penalty(ctx) -> None:
    entries = {e.key: e for e in rank(ctx.db, NICHE, context=ctx)}
    f, i = ctx.authors, ctx.graph.keys["author"].index("onehit")
    total = 20000 + 10 * 500 + (2 + 3 + 4 + 2 + 3)
    assert f.best_share[i] == pytest.approx((20000 + 10 * 500) / total)
    assert entries["onehit"].components["one_hit_penalty"] == pytest.approx(
        0.5 * (f.best_share[i] - 0.5) / 0.5
    )
    assert entries["steady1"].components["one_hit_penalty"] == 0.0


def test_inactivity_and_off_niche_penalties(ctx) -> None:
    entries = {e.key: e for e in rank(ctx.db, NICHE, context=ctx)}
    days = (AS_OF - date(2022, 3, 26)).days  # the last of twelve posts, 40 days apart from 2021-01-10
    assert entries["inactive"].facts["days_since_niche_post"] == days
    assert entries["inactive"].components["inactivity_penalty"] == pytest.approx(
        1 - 0.5 ** ((days - 90) / 90)
    )
    assert entries["steady3"].components["inactivity_penalty"] == 0.0
    penalty = NICHE.weights.off_niche_penalty  # 0.9 by default (cross-validated, README)
    assert entries["celeb"].components["off_niche_penalty"] == pytest.approx(penalty * (1 - (1 / 31) / 0.5))
    assert entries["steady2"].components["off_niche_penalty"] == 0.0  # 6 of 8 posts on the niche


def test_a_link_to_the_users_site_fills_the_backlinks_component(ctx) -> None:
    entries = {e.key: e for e in rank(ctx.db, NICHE, context=ctx)}
    # steady1 links to example.com (the site) once and to an ahrefs.com guide (nofollow) once.
    assert entries["steady1"].components["backlinks"] == 1.0
    assert entries["steady2"].components["backlinks"] == 0.0
    why = list(entries["steady1"].rationale)
    site = next(i for i, s in enumerate(why) if s.startswith("Already links to example.com"))
    lead = next(i for i, s in enumerate(why) if s.startswith("Backlink lead: links to ahrefs.com"))
    assert site < lead  # the user's own site first
    assert "https://ahrefs.com/blog/link-building/ in post" in why[lead]
    assert why[lead].endswith(
        f"; 1 of {int((ctx.authors.niche_posts > 0).sum())} niche authors cite ahrefs.com."
    )
    assert [(x.domain, x.how) for x in ctx.leads] == [("ahrefs.com", "nofollow")]
    assert [(x.domain, x.how) for x in ctx.site_links] == [("example.com", "followed")]


def test_time_is_measured_against_as_of(world) -> None:
    early = rank(world, NICHE, kind="authors", as_of=date(2022, 4, 1))
    assert early[0].key == "inactive"  # in April 2022 they were the steady one
    assert {"steady1", "steady2"}.isdisjoint(keys(early))  # their posts did not exist yet
    later = rank(world, NICHE, kind="authors", as_of=date(2024, 7, 10))
    assert "offniche" in keys(later)  # the post dated 2024-07-05 now exists


def test_resolve_as_of() -> None:
    assert resolve_as_of(None, NICHE) == AS_OF
    assert resolve_as_of("2020-01-02", NICHE) == date(2020, 1, 2)
    undated = replace(NICHE, niche=replace(NICHE.niche, as_of=None))
    assert resolve_as_of(None, undated) == date.today()


def test_publications_active_above_dead(world) -> None:
    order = rank(world, NICHE, kind="publications")
    # crypto-pub has no niche post by as_of; dead-pub published nothing for over a year: not a venue
    assert keys(order) == ["growth-pub"]
    assert order[0].components["activity"] == 1.0 and order[0].components["submission"] == 1.0


def test_dead_publication_below_active_with_the_same_niche_share(tmp_path: Path) -> None:
    posts = []
    for pub, start in (("alive", 1), ("dead", 400)):
        for k in range(4):  # 3 niche posts + 1 off-niche each: share 0.75 in both
            posts.append(
                post(f"{pub}-w{k}", start + k, title=f"SEO case study {k}", tags=("seo",), claps=50, pub=pub)
            )
        posts.append(post(f"{pub}-w9", start, title="Team lunch", tags=("food",), claps=50, pub=pub))
    pubs = [PublicationRecord("alive", followers=100), PublicationRecord("dead", followers=100)]
    db = small_db(tmp_path / "p.db", posts, pubs=pubs)
    order = rank(db, NICHE, kind="publications")
    assert keys(order) == ["alive"]  # nothing from "dead" for 400 days: it is not listed at all
    ctx = prepare(db, NICHE)
    score, parts, _ = publication_scores(ctx)
    alive, dead = (ctx.graph.keys["publication"].index(k) for k in ("alive", "dead"))
    assert parts["niche_share"][alive] == parts["niche_share"][dead] == 0.8  # posts and readers alike
    assert parts["inactivity_penalty"][dead] > 0.9 and score[dead] < score[alive]


def test_ties_break_on_niche_posts_then_key(tmp_path: Path) -> None:
    posts = [post(u, d, title="SEO notes", tags=("seo",), claps=10, post_id=f"{k}0a0b0c0d0")
             for k, (u, d) in enumerate([("zed", 5), ("amy", 5)])]  # fmt: skip
    db = small_db(
        tmp_path / "t.db", posts, [AuthorRecord("zed", followers=10), AuthorRecord("amy", followers=10)]
    )
    assert ranked_keys(prepare(db, NICHE), "authors") == ["amy", "zed"]


def test_tag_suggestions_co_occur_with_the_niche(tmp_path: Path) -> None:
    posts = [
        post("a", 3 + k, title=f"SEO for founders {k}", tags=("seo", "saas"), claps=10) for k in range(3)
    ]
    posts += [post("b", 4, title="Link building in SaaS", tags=("link-building", "saas", "startup"), claps=5)]
    posts += [
        post("c", 4 + k, title=f"Startup fundraising {k}", tags=("startup",), claps=5) for k in range(5)
    ]
    posts += [post("d", 2, title="SEO once", tags=("seo", "travel"), claps=5)]
    db = small_db(tmp_path / "s.db", posts)
    tags = rank(db, NICHE, kind="tags")
    assert keys(tags) == ["saas"]  # startup: one niche post of six; travel: one; niche tags never suggested
    e = tags[0]
    assert e.facts["niche_posts"] == 4 and e.components["niche_share"] == 1.0
    assert e.facts["authors"] == {"a": 3, "b": 1}
    assert e.url == "https://medium.com/tag/saas"


def test_limit_unknown_kind_and_empty_store(world, tmp_path: Path) -> None:
    assert len(rank(world, NICHE, limit=1)) == 1
    with pytest.raises(ValueError, match="kind"):
        rank(world, NICHE, kind="people")
    empty = small_db(tmp_path / "e.db", [])
    assert rank(empty, NICHE) == [] and rank(empty, NICHE, kind="tags") == []


def test_unknown_values_are_not_zero(tmp_path: Path) -> None:
    posts = [post("u", 3 + k, title="SEO notes", tags=("seo",), claps=None, responses=None) for k in range(3)]
    db = small_db(tmp_path / "u.db", posts, [AuthorRecord("u")])
    (e,) = rank(db, NICHE)
    assert e.facts["median_claps"] is None and e.facts["followers"] is None
    assert e.components["engagement"] == 0.0 and np.isfinite(e.score)
    assert "Clap counts of the niche posts are unknown." in e.rationale
    assert "Follower count unknown." in e.rationale


def test_a_content_mill_nobody_reads_ranks_below_publications_with_readers(tmp_path: Path) -> None:
    # The mill posts twice as many niche posts, every one of them read by nobody (a few claps); the
    # magazine posts fewer, each read. A submission to the mill reaches no one: it must rank lower,
    # even though its niche-tag volume gives it more PageRank mass and it has more followers.
    posts = [post(f"mill-w{k % 5}", 1 + k, title=f"SEO tips {k}", tags=("seo",), claps=3, pub="mill")
             for k in range(12)]  # fmt: skip
    posts += [post(f"mag-w{k % 3}", 2 + 3 * k, title=f"SEO case study {k}", tags=("seo",), claps=400,
                   responses=12, pub="magazine") for k in range(6)]  # fmt: skip
    posts += [post(f"mag-w{k}", 3 + k, title=f"Company news {k}", tags=("startup",), claps=300, pub="magazine")
              for k in range(6)]  # fmt: skip
    pubs = [PublicationRecord("mill", followers=2600), PublicationRecord("magazine", followers=1800)]
    db = small_db(tmp_path / "m.db", posts, pubs=pubs)
    order = rank(db, NICHE, kind="publications")
    assert keys(order) == ["magazine"]  # the mill's niche posts reach almost nobody: not listed
    ctx = prepare(db, NICHE)
    score, parts, _ = publication_scores(ctx)
    mill, mag = (ctx.graph.keys["publication"].index(k) for k in ("mill", "magazine"))
    assert parts["reach_penalty"][mill] > 0.2 and parts["reach_penalty"][mag] == 0.0
    assert parts["engagement"][mill] < 0.2 and score[mill] < score[mag]


def test_where_filters_before_the_limit_and_keeps_ranks(world) -> None:
    everyone = rank(world, NICHE, kind="authors")
    kept = rank(world, NICHE, kind="authors", limit=1, where=lambda key: key != everyone[0].key)
    assert [(e.rank, e.key) for e in kept] == [(2, everyone[1].key)]  # its place in the full ranking


def test_order_rounds_scores_to_12_places_before_the_tiebreak() -> None:
    """Scores within a 12-place rounding step tie (then more niche posts, then the key, win);
    scores 1e-12 apart that round differently do not; both on the lexsort path and on the sort
    path taken when keys are not in index order."""
    from linkscout.graph.rank import _order

    step = 1e-12
    scores = np.array(
        [0.5, 0.5 + 0.4 * step, 0.5 - 0.4 * step, 0.5 + step, 0.25, 0.25, 0.9, 0.5 + 0.6 * step]
    )
    tiebreak = np.array([0, 2, 1, 5, 1, 1, 0, 3])
    cands = np.arange(len(scores))
    # 0.5+1e-12 and 0.5+0.6e-12 round to 0.500000000001: tiebreak 5 before 3. 0.5, 0.5±0.4e-12 all round
    # to 0.5: tiebreak 2, 1, 0. The two 0.25s tie on both: the smaller key first.
    want = [6, 3, 7, 1, 2, 0, 4, 5]
    keys = [f"k{i}" for i in range(len(scores))]
    assert _order(scores, tiebreak, keys, cands) == want
    shuffled = ["k0", "k1", "k2", "k3", "k5", "k4", "k6", "k7"]  # 4 and 5 swapped: not index order
    assert _order(scores, tiebreak, shuffled, cands) == [6, 3, 7, 1, 2, 0, 5, 4]
