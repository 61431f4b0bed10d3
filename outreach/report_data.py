"""The niche report's data: everything `linkscout report` shows, gathered into plain records.

No HTML here (that is `report_html`); this module only reads (through store/, graph/ and the other
outreach modules) and computes: the summary, the ranked cards with their evidence, a deterministic
map layout of the niche (networkx, seeded), niche posts per week, link leads and the outreach board.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import networkx as nx
from sqlite_utils import Database

from linkscout.core.dates import day_moment
from linkscout.core.niche import Niche
from linkscout.graph.rank import RankedEntry, prepare, rank, resolve_as_of
from linkscout.outreach.agenda import AgendaItem, todays_agenda
from linkscout.outreach.posts import NichePosts, load_niche_posts
from linkscout.outreach.queue import QueueRow, build_queue
from linkscout.outreach.tracker import tracked
from linkscout.store.summary import StoreSummary, store_summary

WEEKS = 52
LAYOUT_SEED = 7


@dataclass(frozen=True)
class PostLink:
    title: str | None
    url: str | None
    published: str | None  # YYYY-MM-DD
    claps: int | None


@dataclass(frozen=True)
class Card:
    kind: str  # author | publication
    rank: int
    key: str
    name: str | None
    url: str | None
    score: float
    sentences: tuple[str, ...]  # every evidence sentence, as the ranking wrote it
    posts: tuple[PostLink, ...]


@dataclass(frozen=True)
class MapNode:
    id: str  # "author:ann", "publication:growth", "tag:seo"
    kind: str
    key: str
    label: str
    score: float
    url: str | None
    x: float  # layout position in [0, 1]
    y: float


@dataclass(frozen=True)
class NicheMap:
    nodes: tuple[MapNode, ...]
    edges: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Week:
    start: date  # Monday
    posts: int


@dataclass(frozen=True)
class Board:
    stages: tuple[tuple[str, str, int], ...]  # (kind, stage, how many)
    due: tuple[AgendaItem, ...]
    on: date


@dataclass(frozen=True)
class Report:
    niche: Niche
    as_of: date
    generated_at: datetime
    summary: StoreSummary
    niche_posts: int  # niche posts in the store (responses excluded)
    authors: tuple[Card, ...]
    publications: tuple[Card, ...]
    map: NicheMap
    weeks: tuple[Week, ...]
    leads: tuple[QueueRow, ...]
    board: Board
    notes: tuple[str, ...] = field(default_factory=tuple)


def build_report(
    db: Database,
    niche: Niche,
    *,
    as_of: date | None = None,
    on: date | None = None,
    now: datetime | None = None,
    top: int = 10,
    map_size: tuple[int, int, int] = (15, 8, 12),
    leads: int = 20,
) -> Report:
    """Everything the report shows. `as_of` is the ranking's today (default: the niche's as_of, else
    today); `on` the agenda's day (default: that same day); `map_size` how many authors, publications, tags."""
    now = now or datetime.now(UTC).replace(microsecond=0)
    day = resolve_as_of(as_of, niche)
    ctx = prepare(db, niche, day)
    n_authors, n_pubs, n_tags = map_size
    authors = rank(db, niche, kind="authors", limit=max(top, n_authors), context=ctx)
    pubs = rank(db, niche, kind="publications", limit=max(top, n_pubs), context=ctx)
    tags = rank(db, niche, kind="tags", limit=n_tags, context=ctx)
    posts = load_niche_posts(db, niche)
    board_day = on or day  # the one "today" (core/dates.py), as `next` and `queue` use
    states = tracked(db, niche.outreach, now=day_moment(board_day))
    stage_counts = Counter((s.target_kind, s.stage) for s in states)
    return Report(
        niche=niche,
        as_of=day,
        generated_at=now,
        summary=store_summary(db),
        niche_posts=len(_unique(posts)),
        authors=tuple(_card(e) for e in authors[:top]),
        publications=tuple(_card(e) for e in pubs[:top]),
        map=niche_map(authors[:n_authors], pubs[:n_pubs], tags),
        weeks=weekly(posts, day),
        leads=tuple(build_queue(db, niche, kind="links", as_of=day, limit=leads)),
        board=Board(
            stages=tuple(sorted(((k, s, n) for (k, s), n in stage_counts.items()), key=_stage_order)),
            due=tuple(todays_agenda(db, niche, on=board_day, posts=posts)),
            on=board_day,
        ),
    )


def _card(e: RankedEntry) -> Card:
    links = tuple(
        PostLink(p.title, p.url, (p.published_at or "")[:10] or None, p.claps) for p in e.evidence.posts
    )
    return Card(e.kind, e.rank, e.key, e.name, e.url, e.score, tuple(e.rationale), links)


def _unique(posts: NichePosts) -> dict[str, datetime | None]:
    seen: dict[str, datetime | None] = {}
    for group in (posts.by_author, posts.by_publication):
        for items in group.values():
            for p in items:
                seen[p.id] = p.published_at
    return seen


def weekly(posts: NichePosts, as_of: date, weeks: int = WEEKS) -> tuple[Week, ...]:
    """Niche posts per calendar week (Monday to Sunday) for the `weeks` weeks ending with as_of's."""
    last = as_of - timedelta(days=as_of.weekday())
    starts = [last - timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]
    counts: Counter[date] = Counter()
    for published in _unique(posts).values():
        if published is None:
            continue
        d = published.date()
        if starts[0] <= d <= as_of:
            counts[d - timedelta(days=d.weekday())] += 1
    return tuple(Week(s, counts[s]) for s in starts)


def niche_map(authors: list[RankedEntry], pubs: list[RankedEntry], tags: list[RankedEntry]) -> NicheMap:
    """Authors, publications and tags joined by who writes for whom and what is tagged what, laid out
    by networkx's spring layout with a fixed seed: the same store draws the same map."""
    g: nx.Graph = nx.Graph()
    entries = {f"{e.kind}:{e.key}": e for e in (*authors, *pubs, *tags)}
    for nid in entries:
        g.add_node(nid)
    for e in (*authors, *pubs, *tags):
        here = f"{e.kind}:{e.key}"
        for kind, keys in (("publication", e.evidence.publications), ("tag", e.evidence.tags),
                           ("author", e.evidence.authors)):  # fmt: skip
            for k in keys:
                there = f"{kind}:{k}"
                if there in entries and there != here:
                    g.add_edge(*sorted((here, there)))
    pos = _layout(g)
    nodes = tuple(
        MapNode(nid, e.kind, e.key, e.name or e.key, e.score, e.url, pos[nid][0], pos[nid][1])
        for nid, e in entries.items()
    )
    return NicheMap(nodes, tuple(sorted(tuple(sorted(edge)) for edge in g.edges)))


def _layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """The largest connected group fills the top of the square by a seeded spring layout; the
    loners and small groups (linked to nothing else on the map) line up along the bottom edge."""
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c))
    out: dict[str, tuple[float, float]] = {}
    if not comps:
        return out
    main = g.subgraph(comps[0])
    raw = nx.spring_layout(main, seed=LAYOUT_SEED, k=2.0 / max(len(main), 1) ** 0.5, iterations=200)
    names = sorted(raw)
    xs = _spread([float(raw[n][0]) for n in names])
    ys = _spread([float(raw[n][1]) for n in names])
    rest = [n for c in comps[1:] for n in c]
    height = 0.84 if rest else 1.0
    for n, x, y in zip(names, xs, ys, strict=True):
        out[n] = (x, round(y * height, 4))
    for i, n in enumerate(rest):
        out[n] = (round((i + 0.5) / len(rest), 4), 1.0)
    return out


def _spread(values: list[float]) -> list[float]:
    """Coordinates scaled to [0, 1], half by value and half by rank: the spring layout keeps who is
    near whom, the rank term spreads a dense middle so labels do not sit on each other."""
    if not values:
        return []
    lo, hi = min(values), max(values)
    order = sorted(range(len(values)), key=lambda i: (values[i], i))
    rank = {i: r / max(len(values) - 1, 1) for r, i in enumerate(order)}
    return [round(0.3 * ((v - lo) / ((hi - lo) or 1.0)) + 0.7 * rank[i], 4) for i, v in enumerate(values)]


_STAGE_RANK = {
    s: i
    for i, s in enumerate(
        (
            "discovered",
            "following",
            "engaging",
            "conversation",
            "pitched",
            "won",
            "declined",
            "no_response",
            "guidelines_read",
            "submitted",
            "accepted",
            "rejected",
            "do_not_contact",
        )  # fmt: skip
    )
}


def _stage_order(row: tuple[str, str, int]) -> tuple[str, int, str]:
    return (row[0], _STAGE_RANK.get(row[1], 99), row[1])
