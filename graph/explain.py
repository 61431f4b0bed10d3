"""Rationale sentences for a ranked entry, worded only from its evidence.

The `explain_*` functions turn the facts and evidence `graph/evidence.py` gathered (posts, tags, body
links, publications, authors, all read from the store) into sentences, and never mention anything
that is not in the evidence, so every claim can be checked against the store (tests do exactly that).
What held an entry back is said as plainly as what lifted it. Nothing here reads the store.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from linkscout.core.records import Guidelines
from linkscout.graph.evidence import Evidence, PostRef
from linkscout.graph.leads import page_specificity

# A penalty lowers the score; it never removes an entry from a list. The ranking says "Ranked lower";
# the queue, which knows membership, says "In the queue, ranked lower" (`as_queued`), and what it
# leaves out it lists under "Not in the queue" with the reason (`queue --show-excluded`).
LOWER = "Ranked lower"
QUEUED_LOWER = "In the queue, ranked lower"


def as_queued(sentence: str) -> str:
    """A rationale sentence as a queued entry's card shows it: a penalty says the entry is still queued."""
    if sentence.startswith(LOWER + ":"):
        return QUEUED_LOWER + sentence[len(LOWER) :]
    return sentence


# --- sentences -------------------------------------------------------------------------------


def _post_phrase(p: PostRef, *, with_numbers: bool = True) -> str:
    bits = [b for b in ((p.published_at or "")[:10], _claps(p.claps) if with_numbers else "") if b]
    extra = f", {', '.join(bits)}" if bits else ""
    return f"“{p.title or p.id}” ({p.url or 'post ' + p.id}{extra})"


def _n(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _q(n: float, noun: str) -> str:
    """A counted or median quantity: '1 response', '0 responses', '2.5 claps'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _claps(n: int | None) -> str:
    return "" if n is None else f"{n} clap{'s' if n != 1 else ''}"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _tags_phrase(counts: dict[str, int]) -> str:
    return ", ".join(f"{t} ({n})" for t, n in counts.items())


def _activity(f: dict[str, Any], what: str) -> list[str]:
    out = []
    if f["niche_90"]:
        weeks = f", in {f['active_weeks']} of the last 13 weeks" if what == "author" else ""
        out.append(f"{f['niche_90']} niche post{'s' if f['niche_90'] != 1 else ''} in the 90 days to {f['as_of']} "
                   f"({f['niche_30']} in the last 30){weeks}.")  # fmt: skip
    elif f["days_since_niche_post"] is not None:
        out.append(f"{LOWER}: no niche post in {_q(f['days_since_niche_post'], 'day')} (as of {f['as_of']}).")
    else:
        out.append(f"{LOWER}: none of the niche posts has a known publication date.")
    return out


def _engagement(f: dict[str, Any]) -> list[str]:
    if f["median_claps"] is None:
        return ["Clap counts of the niche posts are unknown."]
    resp = "" if f["median_responses"] is None else f" and {_q(f['median_responses'], 'response')}"
    return [f"Median {_q(f['median_claps'], 'clap')}{resp} per niche post."]


def _links(f: dict[str, Any]) -> list[str]:
    """The user's own site first (the warmest lead), then each competitor: its most specific page
    linked, and how many of the niche's authors cite it (one everyone cites counts little)."""
    out = []
    shares = f.get("lead_shares") or {}
    for key, verb in (("site_links", "Already links to"), ("leads", "Backlink lead: links to")):
        by_domain: dict[str, list[Any]] = {}
        for x in f[key]:
            by_domain.setdefault(x.domain, []).append(x)
        for d, xs in sorted(by_domain.items()):
            hows = Counter(x.how for x in xs)
            how = ", ".join(f"{n} {h}" for h, n in sorted(hows.items()))
            example = max(xs, key=lambda x: page_specificity(x.url).weight)  # first of the most specific
            spec = page_specificity(example.url)
            page = {"homepage": " (its homepage)", "section": " (a section page)"}.get(
                spec.level, f" ({spec.what})" if spec.what else ""
            )
            text = f"{verb} {d} {_times(len(xs))} ({how}), e.g. {example.url}{page} in post {example.post_id}"
            share = shares.get(d) if key == "leads" else None
            if share is not None and share.of:
                text += f"; {share.authors} of {share.of} niche authors cite {d}"
                text += ", so it counts little" if share.common else ""
            out.append(text + ".")
    return out


def explain_author(f: dict[str, Any], ev: Evidence, comps: dict[str, float]) -> list[str]:
    out = _activity(f, "author")
    tags = f" tagged {_tags_phrase(f['tag_counts'])}" if f["tag_counts"] else ""
    held = f"{LOWER}: only " if comps.get("off_niche_penalty", 0) > 0 else ""
    verb = "is" if f["niche_posts"] == 1 else "are"
    out.append(f"{held}{f['niche_posts']} of {_n(f['posts'], 'stored post')} {verb} on the niche{tags}.")
    if f["recent_posts"]:
        out.append("Latest niche posts: " + "; ".join(_post_phrase(p) for p in f["recent_posts"]) + ".")
    out += _engagement(f)
    out.append(
        f"{_q(f['followers'], 'follower')}." if f["followers"] is not None else "Follower count unknown."
    )
    out += _links(f)
    if f["counterparts"]:
        names = f["counterpart_names"]
        out.append("Writes for " + ", ".join(f"{names.get(s) or s} ({n} niche post{'s' if n != 1 else ''})"
                                            for s, n in f["counterparts"].items()) + ".")  # fmt: skip
    if comps.get("one_hit_penalty", 0) > 0 and f["best_post"] is not None:
        b = f["best_post"]
        year = f" {b.published_at[:4]}" if b.published_at else ""
        out.append(f"{LOWER}: {math.floor(100 * f['best_share'])}% of their claps and responses come from one{year} "
                   f"post, {_post_phrase(b)}.")  # fmt: skip
    return out


def explain_publication(f: dict[str, Any], ev: Evidence, comps: dict[str, float]) -> list[str]:
    share = round(100 * f["niche_posts"] / f["posts"]) if f["posts"] else 0
    tags = f", tagged {_tags_phrase(f['tag_counts'])}" if f["tag_counts"] else ""
    verb = "is" if f["niche_posts"] == 1 else "are"
    out = [f"{f['niche_posts']} of {_n(f['posts'], 'stored post')} ({share}%) {verb} on the niche{tags}."]
    d = f["days_since_post"]
    if d is None:
        out.append(f"{LOWER}: no post has a known publication date.")
    elif d <= 10 and f["authors_30"] >= 3:
        out.append(
            f"Active: latest post {_q(d, 'day')} before {f['as_of']}, {f['authors_30']} distinct authors in 30 days."
        )
    else:
        out.append(f"{LOWER}: latest post {_q(d, 'day')} before {f['as_of']}, "
                   f"{f['authors_30']} distinct author{'s' if f['authors_30'] != 1 else ''} in 30 days.")  # fmt: skip
    if f["recent_posts"]:
        out.append("Latest niche posts: " + "; ".join(_post_phrase(p) for p in f["recent_posts"]) + ".")
    if f["counterparts"]:
        out.append("Niche writers: " + ", ".join(f"@{a} ({n})" for a, n in f["counterparts"].items()) + ".")
    out += _engagement(f)
    if comps.get("reach_penalty", 0) > 0 and f["median_claps"] is not None:
        out.append(f"{LOWER}: few readers, a median of {_q(f['median_claps'], 'clap')} per niche post.")
    out.append(
        f"{_q(f['followers'], 'follower')}." if f["followers"] is not None else "Follower count unknown."
    )
    if f["submission_url"]:
        out.append(f"Submission page: {f['submission_url']}.")
    else:
        out.append("No submission page found.")
    out += describe_guidelines(f.get("guidelines"))
    out += _links(f)
    return out


_UNSTATED = {"accepts_submissions": "whether it takes submissions", "how_to_submit": "how to submit",
             "exclusivity": "exclusivity", "reprints": "reprints/canonical", "link_policy": "link rules",
             "response_time": "response time"}  # fmt: skip


def describe_guidelines(g: Guidelines | None) -> list[str]:
    """One sentence of what the publication's guidelines page states, and what it leaves unsaid
    (unknown, never assumed); the sentences behind each field are in the facts' evidence."""
    if g is None:
        return []
    if not g.said():
        return [f"Guidelines page {g.url} says nothing about taking submissions."]
    parts = []
    if g.accepts_submissions is not None:
        parts.append("takes submissions" if g.accepts_submissions else "NOT taking submissions")
    if g.how_to_submit:
        to = f" ({g.submit_to.replace('; ', ', ')})" if g.submit_to else ""
        parts.append(f"submit by {g.how_to_submit.replace('; ', ' / ')}{to}")
    if g.exclusivity:
        parts.append(g.exclusivity)
    if g.reprints:
        parts.append(g.reprints)
    if g.link_policy:
        parts.append(f"links: {g.link_policy.replace('; ', ', ')}")
    if g.response_time:
        parts.append(f"response: {g.response_time.replace('; ', ', ')}")
    unsaid = [label for name, label in _UNSTATED.items() if getattr(g, name) is None]
    tail = f"; not stated: {', '.join(unsaid)}" if unsaid else ""
    return [f"Guidelines ({g.url}): {'; '.join(parts)}{tail}."]


def explain_tag(f: dict[str, Any], ev: Evidence, comps: dict[str, float]) -> list[str]:
    share = round(100 * f["niche_posts"] / f["posts"]) if f["posts"] else 0
    out = [f"On {_n(f['niche_posts'], 'niche post')} ({share}% of its {_n(f['posts'], 'stored post')})."]
    if f["co_tags"]:
        out.append(f"Appears with niche tags {_tags_phrase(f['co_tags'])}.")
    if f["authors"]:
        out.append("Used by " + ", ".join(f"@{a} ({n})" for a, n in f["authors"].items()) + ".")
    if f["recent_posts"]:
        out.append("For example " + "; ".join(_post_phrase(p) for p in f["recent_posts"]) + ".")
    return out
