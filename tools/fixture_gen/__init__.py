"""Deterministic, seeded generator of the bundled fixture niche (SEO and content marketing for SaaS).

    generate(out: Path, *, seed=7, posts=None) -> Summary
    build_world(seed=7, posts=None) -> World          (the in-memory world model)
    python -m tools.fixture_gen --out DIR [--posts N] [--seed S]

Modules: `words` (invented word banks), `world` (archetypes and the planted world), `render`
(Apollo-era HTML pages), `extras` (RSS, robots.txt, challenge and 410 pages), `truth` (graded
labels), `site` (writes files and `index.json`).
"""

from __future__ import annotations

from tools.fixture_gen.model import AS_OF, World
from tools.fixture_gen.site import Summary, generate
from tools.fixture_gen.world import build_world

__all__ = ["AS_OF", "Summary", "World", "build_world", "generate"]
