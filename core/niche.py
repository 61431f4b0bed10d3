"""The niche file (niche.toml): what the user is looking for, their quality bar and outreach rules.

Loading validates every key against the dataclasses below, so a typo or a wrong type is one line
naming the key and what was expected, never a traceback later in a crawl.
"""

from __future__ import annotations

import importlib.resources
import math
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any

from linkscout.core.dates import parse_day
from linkscout.core.errors import ConfigError

# The bundled fixture niche ships as package data (linkscout.fixtures), in a wheel and in a checkout alike.
BUNDLED_NICHE = Path(str(importlib.resources.files("linkscout.fixtures"))) / "niche.toml"


@dataclass(frozen=True)
class NicheSection:
    name: str = "my-niche"
    keywords: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    publications: tuple[str, ...] = ()
    site: str | None = None
    competitors: tuple[str, ...] = ()
    product: str | None = None
    as_of: date | None = (
        None  # fixed "today" (YYYY-MM-DD or a TOML date) for reproducible ranking; else the clock
    )


@dataclass(frozen=True)
class QualitySection:
    min_followers: int = 200
    min_niche_posts_90d: int = 2


@dataclass(frozen=True)
class OutreachSection:
    min_comments_before_pitch: int = 3
    min_days_between_comments: int = 4
    max_comments_per_day: int = 5
    follow_up_after_days: int = 7
    max_follow_ups: int = 2
    max_unanswered_comments: int = 3  # this many comments with no reply: the relationship is cold
    recent_contact_days: int = 14  # queues hide entries contacted this recently


@dataclass(frozen=True)
class CrawlSection:
    delay_seconds: float = 4.0  # live mode floor; lower values are raised to 4
    max_pages: int = 2000
    max_depth: int = 4
    user_agent: str | None = None  # default: linkscout/<version> (+contact URL)
    contact_url: str = "https://github.com/linkscout/linkscout"
    max_consecutive_blocks: int = 5


@dataclass(frozen=True)
class WeightsSection:
    relevance: float = 0.40
    engagement: float = 0.25
    consistency: float = 0.35
    followers: float = 0.05
    backlinks: float = 0.05
    one_hit_penalty: float = 0.5
    reach_penalty: float = 0.5  # authors and publications whose niche posts few people read
    off_niche_penalty: float = 0.9  # up to this share removed when under half of an author's posts are niche
    # Added for ranking (graph/rank.py); all optional.
    response_weight: float = 10.0  # one response counts as this many claps
    niche_share: float = 0.15  # publications: share of their posts and readers on the niche
    submission: float = 0.05  # publications: a submission/guidelines page was found
    stale_after_days: float = 90.0  # no niche post for longer than this: score halves every 90 days
    focus_penalty: float = 0.8  # publications: up to this share removed when little of them is on the niche


@dataclass(frozen=True)
class Asset:
    """One of the user's pages to offer in a pitch (`[assets.<key>]` in niche.toml)."""

    key: str
    url: str
    title: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Niche:
    niche: NicheSection = field(default_factory=NicheSection)
    quality: QualitySection = field(default_factory=QualitySection)
    outreach: OutreachSection = field(default_factory=OutreachSection)
    crawl: CrawlSection = field(default_factory=CrawlSection)
    weights: WeightsSection = field(default_factory=WeightsSection)
    db: str | None = None  # database path, relative to the niche file
    path: Path | None = None  # where it was loaded from (not a key)
    assets: tuple[Asset, ...] = ()  # [assets.<key>] tables: url, title, keywords

    def db_path(self) -> Path:
        if self.db:
            base = self.path.parent if self.path else Path.cwd()
            return (base / self.db).resolve()
        return Path("linkscout.db").resolve()


# The documented range of every [weights] key (anything else, or a non-finite number, is refused on load).
WEIGHT_RANGES: dict[str, tuple[float, float]] = {
    "one_hit_penalty": (0.0, 1.0),
    "reach_penalty": (0.0, 1.0),
    "off_niche_penalty": (0.0, 1.0),
    "focus_penalty": (0.0, 1.0),
    "response_weight": (0.0, 1000.0),
    "stale_after_days": (1.0, 3650.0),
}
DEFAULT_WEIGHT_RANGE = (0.0, 10.0)  # component weights: relevance, engagement, consistency, ...


def _check_weights(w: WeightsSection, where: str) -> None:
    for f in fields(w):
        value = getattr(w, f.name)
        lo, hi = WEIGHT_RANGES.get(f.name, DEFAULT_WEIGHT_RANGE)
        if not math.isfinite(value) or not lo <= value <= hi:
            raise ConfigError(f"{where}.{f.name} must be a number from {lo:g} to {hi:g}, got {value!r}")


def is_bundled(niche: Niche) -> bool:
    """True for the bundled fixture niche (also a byte-for-byte copy of it)."""
    if niche.path is None:
        return False
    try:
        return niche.path.resolve() == BUNDLED_NICHE.resolve() or (
            niche.path.read_bytes() == BUNDLED_NICHE.read_bytes()
        )
    except OSError:
        return False


_TYPE_WORDS = {int: "an integer", float: "a number", str: "a string", bool: "true or false"}


def load_niche(path: str | Path | None = None) -> Niche:
    """Load `path`, else ./niche.toml, else the bundled fixture niche."""
    if path is None:
        local = Path("niche.toml")
        p = local if local.exists() else BUNDLED_NICHE
    else:
        p = Path(path)
    if not p.exists():
        raise ConfigError(f"no niche file at {p}; run `linkscout init {p}` to write one")
    if not p.is_file():
        raise ConfigError(f"{p} is not a file; pass --niche FILE")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{p} is not valid TOML: {e}") from e
    except OSError as e:
        raise ConfigError(f"cannot read {p}: {e.strerror}") from e
    return parse_niche(data, source=str(p), path=p)


def parse_niche(data: dict[str, Any], *, source: str = "niche.toml", path: Path | None = None) -> Niche:
    kwargs: dict[str, Any] = {}
    hints = typing.get_type_hints(Niche)
    for key, value in data.items():
        if key == "assets":
            kwargs[key] = _assets(value, source)
            continue
        if key == "path" or key not in hints:
            allowed = ", ".join(f.name for f in fields(Niche) if f.name != "path")
            raise ConfigError(f"{source}: unknown key '{key}' (expected one of: {allowed})")
        hint = hints[key]
        if is_dataclass(hint):
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: [{key}] must be a table")
            kwargs[key] = _section(hint, value, f"{source}: [{key}]")  # type: ignore[arg-type]
            if hint is WeightsSection:
                _check_weights(kwargs[key], f"{source}: [{key}]")
        else:
            kwargs[key] = _coerce(value, hint, f"{source}: '{key}'")
    niche = Niche(**kwargs, path=path)
    if not niche.niche.tags and not niche.niche.keywords:
        raise ConfigError(f"{source}: [niche] needs at least one of 'tags' or 'keywords'")
    for tag in niche.niche.tags:
        check_tag_slug(tag, where=f"{source}: [niche].tags")
    return niche


_TAG_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def tag_slug(text: str) -> str:
    """The Medium tag slug a phrase most likely means: "Content Marketing" -> "content-marketing"."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)


def check_tag_slug(tag: str, *, where: str = "tag") -> None:
    """Medium tag slugs are lower-case letters, digits and single hyphens; anything else is refused
    with the slug to use instead (when there is one)."""
    if _TAG_SLUG.fullmatch(tag):
        return
    slug = tag_slug(tag)
    hint = f'; write "{slug}" (the slug in https://medium.com/tag/{slug})' if slug else ""
    raise ConfigError(
        f"{where}: {tag!r} is not a Medium tag slug (lower-case letters, digits, hyphens){hint}"
    )


def require_seeds(niche: Niche) -> None:
    """A crawl starts from the niche's tags and publications: refuse one with neither."""
    if not niche.niche.tags and not niche.niche.publications:
        where = niche.path or "the niche file"
        raise ConfigError(
            f"{where}: [niche] has no tags and no publications, so a crawl has nowhere to start; "
            'add tags = ["your-tag"] (Medium tag slugs) or publications = ["a-publication"]'
        )


def _assets(value: Any, source: str) -> tuple[Asset, ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: [assets] must hold one table per page, e.g. [assets.guide]")
    out = []
    for key, table in value.items():
        where = f"{source}: [assets.{key}]"
        if not isinstance(table, dict):
            raise ConfigError(f"{where} must be a table with url, title and keywords")
        unknown = set(table) - {"url", "title", "keywords"}
        if unknown:
            raise ConfigError(
                f"{where} unknown key '{sorted(unknown)[0]}' (expected one of: url, title, keywords)"
            )
        url = _coerce(table.get("url"), str, f"{where}.url")
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"{where}.url must be an http(s) URL, got {url[:60]!r}")
        title = _coerce(table.get("title", key), str, f"{where}.title")
        keywords = _coerce(table.get("keywords", []), tuple[str, ...], f"{where}.keywords")
        out.append(Asset(key, url, title, keywords))
    return tuple(out)


def _section(cls: type, table: dict[str, Any], where: str) -> Any:
    hints = typing.get_type_hints(cls)
    out = {}
    for key, value in table.items():
        if key not in hints:
            raise ConfigError(f"{where} unknown key '{key}' (expected one of: {', '.join(hints)})")
        out[key] = _coerce(value, hints[key], f"{where}.{key}")
    return cls(**out)


def _coerce(value: Any, hint: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in args if a is not type(None)]
        return _coerce(value, inner[0], where)
    if origin is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where} must be a list of strings, got {_describe(value)}")
        return tuple(v.strip() for v in value if v.strip())
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise ConfigError(f"{where} must not be negative, got {value}")
        return value
    if hint is str and isinstance(value, str):
        return value
    if hint is bool and isinstance(value, bool):
        return value
    if hint is date:
        return parse_day(value, where=where)
    raise ConfigError(f"{where} must be {_TYPE_WORDS.get(hint, str(hint))}, got {_describe(value)}")


def _describe(value: Any) -> str:
    kind = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        list: "a list",
        dict: "a table",
    }
    return f"{kind.get(type(value), type(value).__name__)} {value!r}"[:80]


NICHE_TEMPLATE = """\
# linkscout niche file. Every command reads it (--niche PATH; default ./niche.toml).
# Lists are TOML arrays of strings; unknown keys are an error, so typos cannot hide.

# db = "linkscout.db"          # where the database lives, relative to this file

[niche]
name = "seo-for-saas"            # used in UTM campaign names and file names
keywords = ["seo", "link building", "content marketing"]   # matched fuzzily in titles and subtitles
tags = ["seo", "content-marketing", "link-building"]       # Medium tag slugs: the crawl starts here
publications = ["better-marketing"]                        # seed publications: slugs or custom domains
site = "example.com"             # your domain: a link to it in a post is a win
competitors = ["ahrefs.com", "semrush.com"]                # who links to them is a backlink lead
product = "One or two sentences on what you sell, used for fit wording."

[quality]                        # the bar a collaborator must clear to enter the queue
min_followers = 200
min_niche_posts_90d = 2

[outreach]                       # comment-then-pitch rules, enforced by `linkscout stage log`
min_comments_before_pitch = 3
min_days_between_comments = 4
max_comments_per_day = 5
follow_up_after_days = 7
max_follow_ups = 2
max_unanswered_comments = 3      # this many comments with no reply and the relationship goes cold

[crawl]
delay_seconds = 4                # live mode floor: never less than 4 s between requests
max_pages = 2000                 # page budget per crawl
max_depth = 4

[weights]                        # how the ranking mixes its components (see `linkscout rank --help`)
                                 # each 0 to 10; penalties 0 to 1; response_weight 0 to 1000; stale_after_days 1 to 3650
relevance = 0.40
engagement = 0.25
consistency = 0.35
followers = 0.05                 # weak and capped: early Medium auto-followed Twitter contacts
backlinks = 0.05
one_hit_penalty = 0.5            # up to this share of the score is removed when one post carries it all
off_niche_penalty = 0.9          # ... and when under half of an author's posts are on the niche
reach_penalty = 0.5              # when niche posts have few readers (spam volume, a content mill)
response_weight = 10             # one response counts as this many claps
niche_share = 0.15               # publications: share of their posts and readers on the niche
submission = 0.05                # publications: a submission page was found
stale_after_days = 90            # no niche post for longer: the score halves every further 90 days
focus_penalty = 0.8              # publications: when little of their posts and readers is on the niche
"""
