"""The niche report as one self-contained HTML page: inline CSS and SVG, no script, no fetches.

Every value from the store is escaped; URLs become links only when they are http(s). A Content
Security Policy forbids the browser any request, so the file works offline and as an attachment.
Data attributes (`data-count`, `data-key`, ...) carry the numbers, for tests and for people who
copy them out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from linkscout.outreach.queue import QueueRow
from linkscout.outreach.report_data import Board, Card, NicheMap, Report, Week

URL_RE = re.compile(r"https?://[^\s,;<>\"'“”()\[\]]+")
COLORS = {"author": "#2563eb", "publication": "#d97706", "tag": "#059669"}

CSS = """
:root{--ink:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#f9fafb}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0;background:#fff}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;border-bottom:2px solid var(--line);padding-bottom:4px}
.muted{color:var(--muted)}
.stats{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.stat{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:8px 12px;min-width:110px}
.stat b{display:block;font-size:20px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:10px;padding:12px 14px;break-inside:avoid;page-break-inside:avoid}
.card h3{margin:0;font-size:15px}.card .score{float:right;font-weight:600;color:var(--muted)}
.card ul{margin:8px 0 0;padding-left:18px}.card li{margin:3px 0}
.card .posts{margin-top:8px;font-size:13px}
a{color:#1d4ed8;overflow-wrap:anywhere}
svg{max-width:100%;height:auto;display:block}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:4px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid var(--line);padding:5px 6px;text-align:left;vertical-align:top}
th{background:var(--bg)}
td.num{text-align:right}
@media print{main{max-width:none;padding:0}h2{break-after:avoid}a{color:inherit}.card,.figure,tr{break-inside:avoid}}
"""


def render_html(r: Report) -> str:
    n = r.niche.niche
    title = f"linkscout report: {n.name}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body><main>",
        f"<h1>{_e(title)}</h1>",
        _summary(r),
        _map(r.map),
        _weeks(r.weeks),
        _cards("Top authors", "authors", r.authors),
        _cards("Top publications", "publications", r.publications),
        _leads(r.leads),
        _board(r.board),
        f'<p class="muted">Generated {_e(r.generated_at.isoformat())} by linkscout from public Medium pages. '
        "linkscout prepares; a person acts.</p>",
        "</main></body></html>",
    ]
    return "\n".join(parts) + "\n"


def _e(v: object) -> str:
    return escape("" if v is None else str(v), quote=True)


def _link(url: str | None, text: str | None = None) -> str:
    if not url or not URL_RE.fullmatch(url):
        return _e(text or url or "")
    return f'<a href="{_e(url)}">{_e(text or url)}</a>'


def linkify(text: str) -> str:
    """Escaped text with every http(s) URL in it made a link."""
    out, pos = [], 0
    for m in URL_RE.finditer(text):
        url = m.group(0).rstrip(".")
        out.append(_e(text[pos : m.start()]))
        out.append(_link(url))
        pos = m.start() + len(url)
    out.append(_e(text[pos:]))
    return "".join(out)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _summary(r: Report) -> str:
    s, n = r.summary, r.niche.niche
    crawled = ", ".join(
        f"{_plural(count, 'page')} {status.replace('_', ' ')}"
        for status, count in sorted(s.pages_by_status.items())
    )
    runs = "".join(
        f"<li>{_e(run.started_at)} to {_e(run.finished_at or 'unfinished')}: {_e(run.source)}, "
        f"{_e(run.strategy)}, {_plural(run.fetched, 'page')} ({_e(run.outcome or 'no outcome')})</li>"
        for run in s.runs
    )
    stats = [("niche posts", r.niche_posts), ("posts", s.posts), ("authors", s.authors),
             ("publications", s.publications), ("tags", s.tags), ("pages", s.pages)]  # fmt: skip
    words = ", ".join(n.keywords) or "none"
    return (
        '<section id="summary"><h2>The niche</h2>'
        f"<p><b>{_e(n.name)}</b>. Keywords: {_e(words)}. Tags: {_e(', '.join(n.tags) or 'none')}. "
        f"Competitors: {_e(', '.join(n.competitors) or 'none')}. Your site: {_e(n.site or 'not set')}.</p>"
        f'<p>Ranked as of <b data-as-of="{r.as_of.isoformat()}">{r.as_of.isoformat()}</b>. '
        f"Pages fetched {_e(s.first_fetch or 'never')} to {_e(s.last_fetch or 'never')}"
        f"{': ' + _e(crawled) if crawled else ''}.</p>"
        '<div class="stats">'
        + "".join(f'<div class="stat" data-stat="{_e(k)}"><b>{v}</b>{_e(k)}</div>' for k, v in stats)
        + "</div>"
        + (f"<details><summary>Crawl runs</summary><ul>{runs}</ul></details>" if runs else "")
        + "</section>"
    )


def _cards(heading: str, anchor: str, cards: Iterable[Card]) -> str:
    body = []
    for c in cards:
        sentences = "".join(f"<li>{linkify(s)}</li>" for s in c.sentences)
        posts = "".join(
            f"<li>{_link(p.url, p.title or p.url)}"
            f"{' · ' + _e(p.published) if p.published else ''}"
            f"{' · ' + _plural(p.claps, 'clap') if p.claps is not None else ''}</li>"
            for p in c.posts
            if p.url
        )
        body.append(
            f'<article class="card {_e(c.kind)}" data-key="{_e(c.key)}" data-rank="{c.rank}" '
            f'data-sentences="{len(c.sentences)}">'
            f'<span class="score">{c.score:.3f}</span>'
            f"<h3>{c.rank}. {_link(c.url, c.name or c.key)}</h3>"
            f'<div class="muted">{_e(c.key)}</div>'
            f'<ul class="evidence">{sentences}</ul>'
            + (f'<div class="posts"><b>Posts</b><ul>{posts}</ul></div>' if posts else "")
            + "</article>"
        )
    empty = '<p class="muted">None ranked yet: crawl the niche first.</p>'
    return f'<section id="{anchor}"><h2>{_e(heading)}</h2><div class="cards">{"".join(body) or empty}</div></section>'


def _map(m: NicheMap, width: int = 1000, height: int = 640, pad: int = 70) -> str:
    def xy(x: float, y: float) -> tuple[float, float]:
        return pad + x * (width - 2 * pad), pad + y * (height - 2 * pad)

    where = {n.id: xy(n.x, n.y) for n in m.nodes}
    lines = "".join(
        f'<line x1="{where[a][0]:.1f}" y1="{where[a][1]:.1f}" x2="{where[b][0]:.1f}" y2="{where[b][1]:.1f}"/>'
        for a, b in m.edges
    )
    nodes = []
    for n in sorted(m.nodes, key=lambda n: n.score):
        x, y = where[n.id]
        r = 6 + 22 * max(min(n.score, 1.0), 0.0)
        label = n.label if n.kind != "tag" else f"#{n.key}"
        circle = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{COLORS[n.kind]}" fill-opacity="0.75">'
            f"<title>{_e(n.kind)} {_e(label)}: score {n.score:.3f}</title></circle>"
            f'<text x="{x:.1f}" y="{y + r + 12:.1f}" text-anchor="middle">{_e(label)}</text>'
        )
        if n.url and URL_RE.fullmatch(n.url):
            circle = f'<a href="{_e(n.url)}">{circle}</a>'
        nodes.append(
            f'<g class="node {_e(n.kind)}" data-key="{_e(n.key)}" data-score="{n.score:.3f}">{circle}</g>'
        )
    legend = "".join(f'<span><i style="background:{c}"></i>{k}s</span>' for k, c in COLORS.items())
    return (
        '<section id="map" class="figure"><h2>Map of the niche</h2>'
        f'<p class="muted legend">{legend} Size: score. Lines: writes for, tagged, publishes.</p>'
        f'<svg class="niche-map" viewBox="0 0 {width} {height}" role="img" aria-label="Map of the niche" '
        f'data-nodes="{len(m.nodes)}" data-edges="{len(m.edges)}" font-size="12" fill="#1f2937">'
        f'<g stroke="#9ca3af" stroke-opacity="0.6">{lines}</g>{"".join(nodes)}</svg></section>'
    )


def _weeks(weeks: tuple[Week, ...], width: int = 1000, height: int = 220) -> str:
    top = max((w.posts for w in weeks), default=0) or 1
    left, bottom, plot_h = 34, 26, height - 40
    step = (width - left - 6) / max(len(weeks), 1)
    bars, ticks = [], []
    for i, w in enumerate(weeks):
        h = plot_h * w.posts / top
        x = left + i * step
        bars.append(
            f'<rect class="week" x="{x + 1:.1f}" y="{height - bottom - h:.1f}" width="{max(step - 2, 1):.1f}" '
            f'height="{h:.1f}" data-week="{w.start.isoformat()}" data-count="{w.posts}">'
            f"<title>week of {w.start.isoformat()}: {_plural(w.posts, 'niche post')}</title></rect>"
        )
        if i % 4 == 0:
            ticks.append(f'<text x="{x + step / 2:.1f}" y="{height - 8}" text-anchor="middle">'
                         f"{w.start.strftime('%d %b')}</text>")  # fmt: skip
    axis = (
        f'<text x="{left - 6}" y="{height - bottom - plot_h + 4:.1f}" text-anchor="end">{top}</text>'
        f'<text x="{left - 6}" y="{height - bottom:.1f}" text-anchor="end">0</text>'
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#9ca3af"/>'
    )
    total = sum(w.posts for w in weeks)
    first = weeks[0].start.isoformat() if weeks else ""
    return (
        '<section id="weeks" class="figure"><h2>Niche posts per week</h2>'
        f'<p class="muted">{_plural(total, "niche post")} in the {len(weeks)} weeks from {first}.</p>'
        f'<svg class="weekly" viewBox="0 0 {width} {height}" role="img" aria-label="Niche posts per week" '
        f'data-total="{total}" font-size="11" fill="#6b7280"><g fill="#2563eb">{"".join(bars)}</g>{axis}'
        f"{''.join(ticks)}</svg></section>"
    )


def _leads(rows: tuple[QueueRow, ...]) -> str:
    if not rows:
        return '<section id="leads"><h2>Competitor link leads</h2><p class="muted">No post links to a competitor.</p></section>'
    body = "".join(
        f'<tr class="lead"><td>{_link(r.url, r.name or r.handle)}</td><td>{_e(r.competitor)}</td>'
        f"<td>{_e(r.rel or 'followed (no rel)')}</td><td>{linkify(r.next_step)}</td></tr>"
        for r in rows
    )
    return (
        '<section id="leads"><h2>Competitor link leads</h2>'
        "<table><thead><tr><th>Who</th><th>Links to</th><th>rel</th><th>Next step</th></tr></thead>"
        f"<tbody>{body}</tbody></table></section>"
    )


def _board(b: Board) -> str:
    stages = "".join(
        f'<tr class="stage" data-kind="{_e(k)}" data-stage="{_e(s)}" data-count="{n}"><td>{_e(k)}</td>'
        f'<td>{_e(s.replace("_", " "))}</td><td class="num">{n}</td></tr>'
        for k, s, n in b.stages
    )
    due = "".join(
        f'<tr class="due"><td>{_e(i.due.isoformat())}</td><td>{_e(i.action.replace("_", " "))}</td>'
        f"<td>{'@' if i.target_kind == 'author' else ''}{_e(i.handle)}</td><td>{linkify(i.detail)}"
        f"{'<br>' + _link(i.post_url) if i.post_url else ''}</td></tr>"
        for i in b.due
    )
    return (
        '<section id="board"><h2>Outreach board</h2>'
        + (
            "<table><thead><tr><th>Kind</th><th>Stage</th><th>Prospects</th></tr></thead>"
            f"<tbody>{stages}</tbody></table>"
            if stages
            else '<p class="muted">Nothing tracked yet: <code>linkscout stage log HANDLE followed</code>.</p>'
        )
        + f"<h3>Due on {b.on.isoformat()}</h3>"
        + (
            "<table><thead><tr><th>Due</th><th>Action</th><th>Who</th><th>What</th></tr></thead>"
            f"<tbody>{due}</tbody></table>"
            if due
            else '<p class="muted">Nothing due.</p>'
        )
        + "</section>"
    )
