"""Write a generated world straight into a linkscout store, as the records a full crawl would parse.

For niches too big to crawl through the loopback server in a test (the large niche's ~10k posts):
the same authors, publications, posts, tags and body links a crawl stores, through the store's own
writer (`write_results`), in seconds. The small niche is crawled end to end in the tests, and a test
checks that both paths rank its top ten alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from linkscout.core.records import (
    AuthorRecord,
    Guidelines,
    LinkRecord,
    PageKind,
    PageResult,
    PostRecord,
    PublicationRecord,
)
from linkscout.crawler.parse.guidelines import read_guidelines
from linkscout.store.db import open_db
from linkscout.store.write import write_results
from tools.fixture_gen.model import Post, World
from tools.fixture_gen.render import body_paragraphs


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _guidelines(world: World, post: Post) -> Guidelines:
    """What the guidelines post says, read as a crawl would read its page."""
    return read_guidelines([text for _, _, text, _ in body_paragraphs(world, post)], (), post.url)


def world_records(world: World) -> PageResult:
    by_id = {p.pid: p for p in world.posts}
    authors = [
        AuthorRecord(a.username, a.uid, a.name, a.bio, a.followers, a.twitter, a.following)
        for a in world.authors.values()
        if a.username not in world.suspended
    ]
    pubs = [
        PublicationRecord(
            p.slug, p.cid, p.name, p.domain, p.description, p.subscribers,
            by_id[p.guideline_post].url if p.guideline_post else None,
            guidelines=_guidelines(world, by_id[p.guideline_post]) if p.guideline_post else None,
        )
        for p in world.pubs.values()
    ]  # fmt: skip
    posts = [
        PostRecord(
            p.pid, p.title, p.url, p.canonical or p.url, p.author, world.authors[p.author].name, p.pub, p.tags,
            _iso(p.published_ms), p.claps, p.responses, p.reading_time, p.locked,
            tuple(LinkRecord(u, r, t) for u, r, t in p.links), subtitle=p.subtitle, is_response=False,
            updated_at=_iso(p.updated_ms), voters=p.voters,
        )
        for p in world.posts
        if p.special is None
    ]  # fmt: skip
    return PageResult(PageKind.OTHER, posts=posts, authors=authors, publications=pubs)


def write_world(world: World, db_path: Path) -> Path:
    """Store every record of `world` in a (new) database at `db_path`."""
    db = open_db(db_path)
    seen = _iso(world.as_of_ms)
    with db.conn:
        write_results(db, [world_records(world)], seen)
    return db_path
