"""The parser's fast paths give exactly what the slow paths they skip would give.

Each shortcut taken for speed (issue 16) stands in for a general routine on the common case; these
tests run both on the same inputs, boundary cases and seeded random ones, and compare.
"""

from __future__ import annotations

import dataclasses
import random
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from linkscout.core.records import LinkRecord, PostRecord
from linkscout.crawler.parse import contract, detect, norm
from linkscout.crawler.parse.embedded import _SCRIPT_END, _script_end, _strip_tail, _tail_end


def _iso_from_ms_by_datetime(value: Any) -> str | None:
    ms = norm.as_int(value)
    if not ms:
        return None
    try:
        return norm.iso_utc(datetime.fromtimestamp(ms / 1000, tz=UTC))
    except (OverflowError, OSError, ValueError):
        return None


def test_iso_from_ms_integer_path_matches_the_datetime_path() -> None:
    rng = random.Random(16)
    edges = [norm._MS_FIRST, norm._MS_END]
    values: list[Any] = [e + d for e in edges for d in (-1001, -1000, -999, -1, 0, 1, 999, 1000)]
    values += [rng.randrange(norm._MS_FIRST, norm._MS_END) for _ in range(20_000)]
    values += [rng.randrange(0, 10**14) for _ in range(5_000)]
    values += [1616074153000.7, 1e17, 2**63, -5, 0, "1616074153000", True, None, "junk"]
    for v in values:
        assert norm.iso_from_ms(v) == _iso_from_ms_by_datetime(v), v
    assert norm.iso_from_ms(1616074153000) == "2021-03-18T13:29:13Z"


def test_slug_cache_normalises_like_before() -> None:
    assert norm.slug("  Software Development ") == "software-development"
    assert norm.slug("Software Development") == "software-development"  # cached entry, same answer
    assert norm.slug("___") is None
    assert norm.slug(" ") is None
    assert norm.slug(["seo"]) is None  # not a string: never cached, never an error


def test_state_tail_is_cut_by_index_like_strip_tail() -> None:
    rng = random.Random(7)
    parts = [" ", "\n", "\u00a0", "\u2003", ";", ")", "]]>", "//", "x", "}", "]", ">", "/", "\x1c"]
    for _ in range(20_000):
        pre = "".join(rng.choice(parts) for _ in range(rng.randrange(4)))
        body = "".join(rng.choice(parts) for _ in range(rng.randrange(10)))
        text = pre + body + "".join(rng.choice(parts) for _ in range(rng.randrange(4)))
        lo, hi = len(pre), len(pre) + len(body)
        assert text[lo : _tail_end(text, lo, hi)] == _strip_tail(text[lo:hi]), repr(text)


def test_script_end_is_the_first_case_insensitive_close_tag() -> None:
    rng = random.Random(8)
    parts = ["</", "<", "/", "</script", "</SCRIPT", "</Script>", "</ſcript", "x", "<</script", "</scrip"]
    for _ in range(20_000):
        text = "".join(rng.choice(parts) for _ in range(rng.randrange(8)))
        pos = rng.randrange(len(text) + 1)
        m = _SCRIPT_END.search(text, pos)
        assert _script_end(text, pos) == (m.start() if m else len(text)), repr(text)
    many = ["<", "x", "</scrip", "/", "<x", "< /script"] * 30 + ["</script", "</SCRIPT", "</ſcript"]
    for _ in range(2_000):  # more `<` than it jumps between before searching for "</"
        text = "".join(rng.choice(many) for _ in range(rng.randrange(40, 400)))
        pos = rng.randrange(len(text) + 1)
        m = _SCRIPT_END.search(text, pos)
        assert _script_end(text, pos) == (m.start() if m else len(text)), repr(text)


def _slow_fix(post: PostRecord, monkeypatch: pytest.MonkeyPatch) -> tuple[PostRecord | None, list[str]]:
    notes: list[str] = []
    with monkeypatch.context() as m:
        m.setattr(contract, "_valid_post", lambda p: False)
        return contract._fix_post(post, notes), notes


def test_contract_guard_fast_check_never_skips_a_repair(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(9)
    strings: list[Any] = [None, "x", "", "  ", "@ann", "ann", 5, "https://medium.com/p/abc123def456"]
    urls: list[Any] = [
        None, "https://medium.com/@ann/post-abc123def456", "https://medium.com/x?source=rss", "ftp://x",
        "https://ex.com/a&b", "http://", "https://[::1/x", "https://a.b/c#d", "/relative", 7,
    ]  # fmt: skip
    counts: list[Any] = [None, 0, 3, -1, True, 2.5, "4"]
    links: list[Any] = [
        None, (), (LinkRecord("https://a.com", "nofollow", "a"),), (LinkRecord("https://a.com", " ", "a"),),
        (LinkRecord(" ", None, "a"),), (LinkRecord("https://a.com", None, None),),  # type: ignore[arg-type]
        [LinkRecord("https://a.com", None, "a")],
    ]  # fmt: skip
    for _ in range(3_000):
        post = PostRecord(
            id=rng.choice(["abc123def456", "abc123def4567890", "xyz"]),
            title=rng.choice(strings),
            url=rng.choice(urls),
            canonical_url=rng.choice(strings),
            author=rng.choice(strings),
            author_name=rng.choice(strings),
            publication=rng.choice(strings),
            tags=rng.choice([(), ("seo",), ("seo", ""), ("seo", 3), ["seo"]]),
            published_at=rng.choice([None, "2021-03-18T13:29:13Z", "2021-03-18", 5]),
            claps=rng.choice(counts),
            responses=rng.choice(counts),
            reading_time=rng.choice([None, 3, 2.5, -1.0, float("nan"), float("inf"), True, "3"]),
            locked=rng.choice([None, True, False, 0, "yes"]),
            links=rng.choice(links),
            in_response_to=rng.choice([None, "abc123def456", "nope"]),
        )
        fast_notes: list[str] = []
        assert contract._fix_post(post, fast_notes) == _slow_fix(post, monkeypatch)[0], post
        assert fast_notes == _slow_fix(post, monkeypatch)[1], post


def test_suspended_prefilter_never_hides_a_phrase() -> None:
    # Only U+0130 and U+212A lower-case to ASCII letters; the prefilter's reasoning rests on it.
    assert re.findall(r"[\x00-\x7f]", "".join(map(chr, range(0x80, 0x110000))).lower()) == ["i", "k"]
    assert "\u0130".lower() == "i\u0307" and "\u212a".lower() == "k"
    rng = random.Random(10)
    words = [w.decode() for w in detect._SUSPENDED_WORDS]
    noise = ["é", "💡", "\u0130", "\u212a", "ſ", " ", "x", "ACCOUNT", "Suspended", "<!-- -->", "—"]
    for _ in range(5_000):
        word = rng.choice(words)
        cased = "".join(c.upper() if rng.random() < 0.5 else c for c in word)
        text = "".join(rng.choice(noise) for _ in range(rng.randrange(6))) + cased + rng.choice(noise)
        assert detect._may_contain(text, detect._SUSPENDED_WORDS), repr(text)
    page = '{"isSuspended":false} café ' * 100
    assert not detect._may_contain(page, detect._SUSPENDED_WORDS)  # the word alone is on every page


def test_suspended_pages_are_still_detected_with_non_ascii_text() -> None:
    body = "<html><head><title>Medium</title></head><body>Caf\u00e9 \u2014 "
    hit = detect.detect(body + "This account is under investigation or was found in violation of the "
                        "Medium Rules.</body></html>", 200)  # fmt: skip
    assert hit is not None and "suspended" in hit.reason
    assert detect.detect(body + "Account Suspended \u2014 Medium</body></html>", 200) is not None
    assert detect.detect(body + '{"isSuspended":false}</body></html>', 200) is None


def test_records_built_through_slots_behave_like_dataclasses() -> None:
    post = PostRecord("abc123def456", title="t")
    assert post == PostRecord(id="abc123def456", title="t") and hash(post) == hash(
        PostRecord("abc123def456", "t")
    )
    assert post.tags == () and post.links is None and post.layers == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        post.title = "x"  # type: ignore[misc]
    assert dataclasses.replace(post, claps=3).claps == 3
    with pytest.raises(TypeError, match="anchor"):
        LinkRecord("https://a.com", None)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        PostRecord("abc123def456", nope=1)  # type: ignore[call-arg]
    assert re.search(r"\bid, title=None\b", str(__import__("inspect").signature(PostRecord)))


def test_body_href_prefilter_never_hides_a_skipped_href() -> None:
    from linkscout.crawler.parse import dom

    rng = random.Random(11)
    parts = ["#", "j", "J", "javascript:", "JavaScript:", "data:", "DATA:", "d", "/_/stat", "/_/STAT", "/_/stats",
             "/m/signin", "/M/SignIn", "/m/callback/", "/m/global-identity", "/m/", "/M/", "/_/", "ſ", "é",
             "https://", "a.com", "/", "x", "?", "K"]  # fmt: skip
    for _ in range(20_000):
        href = "".join(rng.choice(parts) for _ in range(rng.randrange(1, 6)))
        if dom._NOT_BODY_HREF.search(href) is not None:
            assert dom._may_skip(href), repr(href)
        if href.startswith(("https://", "http://")):  # body_links keeps these without urlsplit
            assert dom._absolute(href, "https://medium.com/p/abc") == href, repr(href)
    for href in ("https://a.com/x", "http://b.org/guide/1", "/relative", "mailto:x@y.z"):
        assert not dom._may_skip(href) and dom._NOT_BODY_HREF.search(href) is None


def test_binary_check_one_pass_gives_the_two_counts_answer() -> None:
    from linkscout.crawler.parse.decode import _CONTROL_BYTES, _looks_binary_bytes

    def by_counts(raw: bytes) -> bool:
        head = raw[:65536]
        if not head:
            return False
        nul = head.count(0)
        controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
        return nul * 20 > len(head) or controls * 10 > len(head)

    rng = random.Random(12)
    for _ in range(5_000):
        n = rng.randrange(1, 400)
        p_nul, p_ctl = rng.choice([0, 0.02, 0.05, 0.06, 0.3]), rng.choice([0, 0.05, 0.1, 0.11, 0.5])
        raw = bytes(
            0 if (r := rng.random()) < p_nul else rng.choice(_CONTROL_BYTES) if r < p_nul + p_ctl else 97
            for _ in range(n)
        )
        assert _looks_binary_bytes(raw) == by_counts(raw), raw


def test_detect_with_the_pages_utf8_bytes_answers_as_from_text() -> None:
    from linkscout.crawler.parse import parse_page

    body = "<html><head><title>Medium</title></head><body>Caf\u00e9 \u2014 "
    pages = [
        body
        + "This account is under investigation or was found in violation of the Medium Rules.</body></html>",
        body + "ACCOUNT SUSPENDED \u2014 Medium</body></html>",
        body + "acc\u00e9ount suspended \u2014 Medium</body></html>",
        body + '{"isSuspended":false}</body></html>',
        body + "<!-- account --> suspended \u2014 Medium</body></html>",
    ]
    for text in pages:
        data = text.encode()
        assert detect.detect(text, 200, utf8=data) == detect.detect(text, 200), text
        from_bytes = parse_page(data, "https://medium.com/@x", status=200, content_type="text/html")
        from_text = parse_page(text, "https://medium.com/@x", status=200, content_type="text/html")
        assert (from_bytes.kind, from_bytes.warnings) == (from_text.kind, from_text.warnings), text
    assert detect.detect(pages[1], 200, utf8=pages[1].encode()) is not None
    assert detect.detect(pages[3], 200, utf8=pages[3].encode()) is None
