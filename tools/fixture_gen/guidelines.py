"""The text of each publication's guidelines post: what it says varies by publication (how to submit,
exclusivity, reprints, link rules, response time, or nothing on some of them), so the guidelines
fields linkscout reads differ across publications. Deterministic from the world's seed and the
publication's slug; a publication that stopped taking submissions says so. All text is invented.
"""

from __future__ import annotations

import random

from tools.fixture_gen.model import Publication, World

_OPEN = (
    "{name} is open to submissions from writers at every level.",
    "We are always looking for new writers who care about {topic}.",
    "We welcome new contributors, whether this is your first story or your fiftieth.",
)
_CLOSED = (
    "We are not accepting new submissions at the moment.",
    "Submissions are closed while the editors catch up on the backlog.",
)
_ROUTES = (
    ("To be added as a writer, email your Medium handle and a short pitch to {email}.",),
    ("Pitch us through our Google form at https://forms.gle/{token} and we will add you as a writer.",),
    ("Send a direct message on Twitter to @{handle} with your Medium username and we will add you.",),
    ("Leave a response on this post with your Medium username and we will add you as a writer.",
     "Once added, use Submit to publication from your draft's menu."),
)  # fmt: skip
_EXCLUSIVE = (
    "We only accept unpublished drafts.",
    "Previously published stories are welcome too, as long as they fit the publication.",
)
_REPRINTS = (
    "If the story first appeared on your own blog, set a canonical link to the original.",
    "We do not accept reprints or cross-posts from other sites.",
)
_LINKS = (
    "No affiliate links, please.",
    "Include no more than {n} links to your own site.",
    "Self-promotional stories will be declined.",
)
_TIMING = (
    "We reply to every submission within {n} days.",
    "Expect an answer within two weeks.",
    "If you have not heard from us within {n} days, consider it a pass and feel free to submit elsewhere.",
)
_WHAT = (
    "We publish practical, experience-based stories about {topic}.",
    "Our readers want clear drafts, original ideas and practical advice on {topic}.",
)


def guideline_blocks(world: World, pub: Publication) -> list[tuple[str, str]]:
    """(kind, text) blocks of `pub`'s guidelines post: "P" paragraphs and "H3" headings, in order."""
    rng = random.Random(f"{world.seed}:guidelines:{pub.slug}")
    topic = world.domain.keywords[0] if world.domain is not None else "search and content marketing"
    handle = pub.slug.replace("-", "")[:15]
    fill = {
        "name": pub.name, "topic": topic, "handle": handle, "token": f"{rng.getrandbits(40):010x}",
        "email": f"editors@{pub.domain if pub.host == 'custom' and pub.domain else handle + '.example'}",
    }  # fmt: skip
    closed = pub.archetype in ("closed", "dead")
    out: list[tuple[str, str]] = [("P", rng.choice(_WHAT))]
    # Each publication says some things and leaves others unsaid (those fields stay unknown).
    out.append(("P", rng.choice(_CLOSED if closed else _OPEN)))
    out.append(("H3", "How to submit"))
    out += [("P", s) for s in rng.choice(_ROUTES)]
    if rng.random() < 0.7:
        out.append(("P", rng.choice(_EXCLUSIVE)))
    if rng.random() < 0.5:
        out.append(("P", rng.choice(_REPRINTS)))
    rules = [s for s in _LINKS if rng.random() < 0.5]
    if rules:
        out.append(("H3", "Links"))
        out += [("P", s.replace("{n}", str(rng.choice((1, 2, 3))))) for s in rules]
    if rng.random() < 0.75:
        out.append(("P", rng.choice(_TIMING).replace("{n}", str(rng.choice((7, 10, 14, 21))))))
    return [(kind, text.format(**fill)) for kind, text in out]
