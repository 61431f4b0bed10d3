"""Store reads behind the prospect record: how to reach an author, what a publication is."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class AuthorContact:
    username: str
    name: str | None
    bio: str | None
    followers: int | None
    twitter: str | None  # screen name as Medium shows it, without @


@dataclass(frozen=True, slots=True)
class PublicationDetail:
    slug: str
    name: str | None
    domain: str | None
    description: str | None
    followers: int | None
    submission_url: str | None


def author_contacts(db: Database, handles: Collection[str] | None = None) -> dict[str, AuthorContact]:
    """Every author's contact details, or only those of `handles` (one query either way)."""
    sql = "SELECT username, name, bio, followers, twitter FROM authors"
    if handles is None:
        return {r[0]: AuthorContact(*r) for r in db.execute(sql)}
    rows = db.execute(
        sql + " WHERE username IN (SELECT value FROM json_each(?))", (json.dumps(sorted(handles)),)
    )
    return {r[0]: AuthorContact(*r) for r in rows}


def publication_details(db: Database) -> dict[str, PublicationDetail]:
    sql = "SELECT slug, name, domain, description, followers, submission_url FROM publications"
    return {r[0]: PublicationDetail(*r) for r in db.execute(sql)}


def tag_names(db: Database) -> dict[str, str | None]:
    return {slug: name for slug, name in db.execute("SELECT slug, name FROM tags")}
