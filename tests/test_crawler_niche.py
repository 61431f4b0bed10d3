from __future__ import annotations

from pathlib import Path

import pytest

from linkscout.core.errors import ConfigError
from linkscout.core.niche import NICHE_TEMPLATE, load_niche


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "niche.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_template_loads_back(tmp_path: Path) -> None:
    niche = load_niche(write(tmp_path, NICHE_TEMPLATE))
    assert niche.niche.tags == ("seo", "content-marketing", "link-building")
    assert niche.niche.competitors == ("ahrefs.com", "semrush.com")
    assert niche.quality.min_followers == 200
    assert niche.outreach.min_days_between_comments == 4
    assert niche.crawl.delay_seconds == 4.0
    assert niche.db_path() == Path("linkscout.db").resolve()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[niche]\ntags = ["seo"]\n[quality]\nmin_followers = "200"\n',
            r"\[quality\]\.min_followers must be an integer, got a string '200'",
        ),
        ('[niche]\ntags = ["seo"]\n[quality]\nmin_follower = 3\n', r"\[quality\] unknown key 'min_follower'"),
        ('[niche]\ntags = "seo"\n', r"\[niche\]\.tags must be a list of strings"),
        (
            '[niche]\ntags = ["seo"]\n[outreach]\nmax_follow_ups = -1\n',
            r"max_follow_ups must not be negative",
        ),
        ('[niche]\ntags = ["seo"]\n[crawl]\ndelay_seconds = "slow"\n', r"delay_seconds must be a number"),
        ('[nich]\ntags = ["seo"]\n', r"unknown key 'nich'"),
        ('[niche]\nname = "x"\n', r"needs at least one of 'tags' or 'keywords'"),
        ('[niche\ntags = ["seo"]\n', r"is not valid TOML"),
    ],
)
def test_bad_niche_files_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        load_niche(write(tmp_path, text))
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="linkscout init"):
        load_niche(tmp_path / "nope.toml")


def test_db_key_is_relative_to_the_niche_file(tmp_path: Path) -> None:
    niche = load_niche(write(tmp_path, 'db = "data/x.db"\n[niche]\nkeywords = ["seo"]\n'))
    assert niche.db_path() == (tmp_path / "data" / "x.db").resolve()
