"""A tiny hand-built niche world for the graph tests, written through store.write like a crawl would.

as_of is 2024-06-30. Niche: SEO for SaaS (tags seo / link-building / content-marketing), competitor
ahrefs.com, site example.com. Who is who, and what a careful marketer would conclude:
- steady1, steady2, steady3: regular recent niche writers with honest engagement → the top;
- celeb: a million followers, 30 viral self-help posts, ONE post tagged seo → not a niche pick;
- onehit: recent niche posts with 2–4 claps and one 2019 post with 20,000 claps → held back;
- inactive: a dozen well-clapped niche posts in 2021–22, nothing since → held back;
- offniche: only crypto posts → not ranked at all.
Publications: growth-pub (active, 3 authors in the last 10 days), dead-pub (same niche share, last
post in 2023), crypto-pub (off-niche).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

from sqlite_utils import Database

from linkscout.core.niche import parse_niche
from linkscout.core.records import (
    AuthorRecord,
    LinkRecord,
    PageKind,
    PageResult,
    PostRecord,
    PublicationRecord,
)
from linkscout.store.db import open_db, transaction
from linkscout.store.write import write_results

AS_OF = date(2024, 6, 30)
NICHE = parse_niche(
    {
        "niche": {
            "name": "seo-for-saas",
            "keywords": ["seo", "link building", "content marketing"],
            "tags": ["seo", "link-building", "content-marketing"],
            "competitors": ["ahrefs.com"],
            "site": "example.com",
            "as_of": AS_OF.isoformat(),
        }
    }
)

_counter = iter(range(1, 10_000))


def pid() -> str:
    return f"{next(_counter):04d}a1b2c3"  # 10 hex chars with digits: a valid Medium post id


def post(
    author: str,
    days_ago: int | None,
    *,
    title: str,
    tags: tuple[str, ...],
    claps: int | None,
    responses: int | None = 0,
    pub: str | None = None,
    links: tuple[LinkRecord, ...] = (),
    post_id: str | None = None,
    published: date | None = None,
) -> PostRecord:
    i = post_id or pid()
    when = published or (AS_OF - timedelta(days=days_ago) if days_ago is not None else None)
    slug = "-".join(title.lower().split())[:40]
    base = f"https://medium.com/{pub}" if pub else f"https://medium.com/@{author}"
    return PostRecord(
        id=i, title=title, url=f"{base}/{slug}-{i}", author=author, publication=pub, tags=tags,
        published_at=f"{when.isoformat()}T09:00:00Z" if when else None, claps=claps, responses=responses,
        links=links,
    )  # fmt: skip


def world_records() -> PageResult:
    posts: list[PostRecord] = []
    niche_tags = ("seo", "content-marketing")
    for k in range(8):  # steady1: every 10 days, well received
        links = (LinkRecord("https://ahrefs.com/blog/link-building/", "nofollow", "guide"),) if k == 1 else ()
        if k == 2:
            links = (LinkRecord("https://www.example.com/pricing", None, "this tool"),)
        posts.append(post("steady1", 3 + 10 * k, title=f"Link building for SaaS part {k}", tags=niche_tags,
                          claps=90 + 10 * k, responses=4 + k % 3, pub="growth-pub", links=links))  # fmt: skip
    for k in range(6):  # steady2
        posts.append(post("steady2", 5 + 14 * k, title=f"SEO lessons from month {k}", tags=("seo",),
                          claps=50 + 5 * k, responses=3, pub="growth-pub"))  # fmt: skip
    for k in range(5):  # steady3, no publication
        posts.append(post("steady3", 8 + 17 * k, title=f"Content marketing notes {k}", tags=("content-marketing",),
                          claps=35 + k, responses=2))  # fmt: skip
    posts.append(post("steady3", 2, title="Guest posts that earn links", tags=("link-building",), claps=40,
                      responses=2, pub="growth-pub"))  # fmt: skip
    for k in range(30):  # celeb: viral off-niche
        posts.append(post("celeb", 2 + 3 * k, title=f"Morning routine secret {k}", tags=("self-improvement",),
                          claps=9000 + k, responses=300))  # fmt: skip
    posts.append(post("celeb", 40, title="Why I finally tried SEO", tags=("seo", "self-improvement"), claps=12000,
                      responses=400))  # fmt: skip
    posts.append(post("onehit", None, title="The SEO trick that got us 1M visits", tags=("seo",), claps=20000,
                      responses=500, published=date(2019, 3, 4)))  # fmt: skip
    for k in range(5):
        posts.append(post("onehit", 6 + 15 * k, title=f"More SEO thoughts {k}", tags=("seo",), claps=2 + k % 3,
                          responses=0))  # fmt: skip
    for k in range(12):  # inactive since 2022
        posts.append(post("inactive", None, title=f"Link building checklist {k}", tags=("link-building", "seo"),
                          claps=300, responses=10, published=date(2021, 1, 10) + timedelta(days=40 * k),
                          pub="dead-pub"))  # fmt: skip
    posts.append(post("dead2", None, title="Content marketing in 2023", tags=("content-marketing",), claps=30,
                      published=date(2023, 5, 1), pub="dead-pub"))  # fmt: skip
    for k in range(6):
        posts.append(post("offniche", 4 + 9 * k, title=f"Bitcoin staking explained {k}", tags=("crypto",),
                          claps=70, responses=2, pub="crypto-pub"))  # fmt: skip
    # growth-pub also carries two off-niche posts, dead-pub two: the same niche share (14/16 vs 13/15 ≈ 0.87).
    for k in range(2):
        posts.append(post("steady2", 12 + k, title=f"Team offsite photos {k}", tags=("culture",), claps=5,
                          pub="growth-pub"))  # fmt: skip
        posts.append(post("dead2", None, title=f"Office plants {k}", tags=("culture",), claps=5,
                          published=date(2023, 4, 1), pub="dead-pub"))  # fmt: skip
    # A post dated after as_of: invisible to a ranking as of 2024-06-30.
    posts.append(
        post("offniche", -5, title="SEO for crypto sites", tags=("seo",), claps=999, pub="crypto-pub")
    )
    authors = [
        AuthorRecord("steady1", name="Steady One", followers=800),
        AuthorRecord("steady2", name="Steady Two", followers=300),
        AuthorRecord("steady3", name="Steady Three", followers=None),
        AuthorRecord("celeb", name="Celebrity", followers=1_200_000),
        AuthorRecord("onehit", name="One Hit", followers=25_000),
        AuthorRecord("inactive", name="Gone Quiet", followers=4000),
        AuthorRecord("dead2", name="Dead Two", followers=50),
        AuthorRecord("offniche", name="Crypto Person", followers=900),
    ]
    pubs = [
        PublicationRecord("growth-pub", name="Growth Pub", followers=5000,
                          submission_url="https://medium.com/growth-pub/write-for-us-0a1b2c3d4e"),
        PublicationRecord("dead-pub", name="Dead Pub", followers=5000),
        PublicationRecord("crypto-pub", name="Crypto Pub", followers=20000),
    ]  # fmt: skip
    return PageResult(kind=PageKind.OTHER, posts=posts, authors=authors, publications=pubs)


def seed_world(db: Database) -> None:
    """Write the small world's records into `db`."""
    with transaction(db):
        write_results(db, [world_records()], "2024-06-30T12:00:00Z")


_built_world: list[Path] = []  # the world's store, built once per test process


def world_db(path: Path) -> Database:
    """A store at `path` holding the small world: a copy of one built once (the migrations and the
    writes are the slow part, and every copy is the same)."""
    if not _built_world:
        folder = tempfile.mkdtemp(prefix="linkscout-world-")
        atexit.register(shutil.rmtree, folder, True)
        first = Path(folder) / "world.db"
        store = open_db(first)
        seed_world(store)
        store.conn.close()  # the last connection out folds the WAL into the file
        _built_world.append(first)
    shutil.copyfile(_built_world[0], path)
    return open_db(path)


def seed_small(db: Database, posts: list[PostRecord], authors: list[AuthorRecord] = (),
               pubs: list[PublicationRecord] = ()) -> None:  # fmt: skip
    with transaction(db):
        write_results(db, [PageResult(PageKind.OTHER, posts=posts, authors=list(authors), publications=list(pubs))],
                      "2024-06-30T12:00:00Z")  # fmt: skip


def small_db(path: Path, posts: list[PostRecord], authors: list[AuthorRecord] = (),
             pubs: list[PublicationRecord] = ()) -> Database:  # fmt: skip
    db = open_db(path)
    seed_small(db, posts, authors, pubs)
    return db
