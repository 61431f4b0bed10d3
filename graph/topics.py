"""Which posts and tags belong to the niche.

A tag is a niche tag when it is one of the niche's tags, or its words are one of the niche's
keywords (fuzzily: "link-building" ≈ "link building"). A post is a niche post when it carries a
niche tag, or a keyword matches a run of words in its title, subtitle or tags. Keywords are matched
against word n-grams with rapidfuzz's `ratio` after a crude stemming, so "content marketers" and
"linkbuilding" match, "content makers" does not, and "seo" never matches inside "seoul"; keywords
of four letters or fewer must match a word exactly.

Matching runs once per distinct n-gram of the whole store (rapidfuzz `cdist`), not once per post,
so it stays cheap on large stores.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

_NON_WORD = re.compile(r"[^0-9a-z]+")
SHORT_KEYWORD = 4  # this many characters or fewer: exact word match only
FUZZY_CUTOFF = 90.0
_SUFFIXES = ("ings", "ing", "ers", "er", "es", "s")


def words(text: str | None) -> list[str]:
    return [w for w in _NON_WORD.split((text or "").lower()) if w]


def stem(word: str) -> str:
    """A crude English stem, enough that "marketers", "marketing" and "markets" meet at "market"."""
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def stems(text: str | None) -> list[str]:
    return [stem(w) for w in words(text)]


def tag_slug(tag: str) -> str:
    return "-".join(words(tag))


@dataclass(frozen=True)
class PostMatches:
    """Niche membership of posts, aligned with the input order."""

    is_niche: np.ndarray  # bool
    by_tag: np.ndarray  # bool: carries a niche tag
    hits: np.ndarray  # (posts × keywords) bool: keyword j matched post i
    names: tuple[str, ...]  # the keywords, in column order

    def keywords(self, i: int) -> tuple[str, ...]:
        """The keywords post i matched (in its title, subtitle or tags)."""
        return tuple(sorted(self.names[j] for j in np.nonzero(self.hits[i])[0].tolist()))


_END = "\x00"  # marks the end of each text in the joined token stream
_TOKEN = re.compile(r"[0-9a-z]+|\x00")


def _tokens(texts: Sequence[str | None]) -> list[str] | None:
    """Every text's words (lower-cased, split on non-[0-9a-z]) followed by _END, from one regex pass
    over all texts joined; None when no text has a word. Per-text splitting gives the same words
    (lower() maps characters one by one, and every non-ASCII character is a separator), except
    for a text that itself holds NUL: then the texts are split one by one."""
    joined = _END.join(t or "" for t in texts) + _END
    if joined.count(_END) != len(texts):
        tokens: list[str] = []
        for t in texts:
            tokens.extend(w for w in _NON_WORD.split((t or "").lower()) if w)
            tokens.append(_END)
    else:
        tokens = _TOKEN.findall(joined.lower())
    return tokens if len(tokens) > len(texts) else None


def _unique_rows(rows: np.ndarray, base: int) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(rows, axis=0) via one int64 key per row when it fits (much faster than row sorting)."""
    n = rows.shape[1]
    if base**n < 2**62:
        key = np.zeros(len(rows), dtype=np.int64)
        for j in range(n):
            key = key * base + rows[:, j]
        _, first, inv = np.unique(key, return_index=True, return_inverse=True)
        return rows[first], inv.ravel()
    uniq, inv = np.unique(rows, axis=0, return_inverse=True)
    return uniq, inv.ravel()


class NicheMatcher:
    def __init__(self, keywords: Sequence[str], tags: Sequence[str], *, cutoff: float = FUZZY_CUTOFF) -> None:
        self.keywords = tuple(dict.fromkeys(" ".join(words(k)) for k in keywords if words(k)))
        self._stemmed = [" ".join(stems(k)) for k in self.keywords]
        self.tags = frozenset(tag_slug(t) for t in tags if words(t))
        self.cutoff = cutoff
        self._sizes = sorted({len(k.split()) for k in self.keywords})

    def match_texts(self, texts: Sequence[str | None]) -> np.ndarray:
        """(len(texts) × len(keywords)) bool: which keywords match a run of words in each text.

        Texts become arrays of stem ids; n-grams are windows over them; only distinct n-grams whose
        length could reach the cutoff (ratio ≥ 90 needs lengths within ~20%) are scored, once."""
        n_kw = len(self.keywords)
        out = np.zeros((len(texts), n_kw), dtype=bool)
        if not n_kw or not texts:
            return out
        tokens = _tokens(texts)
        if tokens is None:
            return out
        # Distinct words in first-seen order (the end-of-text mark among them), then one C-level
        # lookup per token: no Python loop per word.
        vocab = {w: i for i, w in enumerate(dict.fromkeys(tokens))}
        raw = np.fromiter(map(vocab.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        stem_of: dict[str, int] = {}
        word_stem = np.array(
            [-1 if w == _END else stem_of.setdefault(stem(w), len(stem_of)) for w in vocab], dtype=np.int64
        )
        stem_list = list(stem_of)
        stem_len = np.array([len(x) for x in stem_list] + [0], dtype=np.int64)
        seq = word_stem[raw]
        ends = seq < 0
        owner: np.ndarray = np.cumsum(ends) - ends  # the text of each token: the ends seen before it
        for n in self._sizes:
            if len(seq) < n:
                continue
            win = np.lib.stride_tricks.sliding_window_view(seq, n)
            ok = (win >= 0).all(axis=1)
            glen = stem_len[np.where(win >= 0, win, -1)].sum(axis=1) + n - 1
            near = self._near_length(int(glen.max()))[glen]
            keep = np.nonzero(ok & near)[0]
            if len(keep) == 0:
                continue
            uniq, inv = _unique_rows(win[keep], len(stem_list))
            grams = [" ".join(stem_list[x] for x in row) for row in uniq.tolist()]
            hit = self._score(grams)
            for j in range(n_kw):
                out[owner[keep[hit[inv, j]]], j] = True
        return out

    def _near_length(self, longest: int) -> np.ndarray:
        """near[L]: an n-gram of L characters is within 0.8-1.25× some keyword's length."""
        lengths = np.arange(max(longest, 0) + 1)
        near = np.zeros(len(lengths), dtype=bool)
        for lk in (len(k) for k in self._stemmed):
            near |= (lengths >= 0.8 * lk) & (lengths <= 1.25 * lk)
        return near

    def _score(self, grams: list[str]) -> np.ndarray:
        scores = process.cdist(grams, self._stemmed, scorer=fuzz.ratio, dtype=np.uint8, workers=1)
        need = np.array([100 if len(k) <= SHORT_KEYWORD else self.cutoff for k in self.keywords])
        return scores >= need

    def niche_tags(self, all_tags: Sequence[str]) -> frozenset[str]:
        """The niche's own tags plus stored tags whose words are a niche keyword."""
        found = set(self.tags)
        phrases = {" ".join(stems(t)): t for t in all_tags}
        if phrases and self.keywords:
            keys = list(phrases)
            hit = self._score(keys).any(axis=1)
            found.update(phrases[keys[i]] for i in np.nonzero(hit)[0].tolist())
        return frozenset(found)

    def match_posts(
        self,
        titles: Sequence[str | None],
        subtitles: Sequence[str | None],
        post_tags: Sequence[Sequence[str]],
        niche_tags: frozenset[str] | None = None,
    ) -> PostMatches:
        """Lists in, for small inputs and tests; `match_arrays` is the same on CSR tag arrays."""
        names = sorted({t for ts in post_tags for t in ts})
        pos = {t: i for i, t in enumerate(names)}
        ptr = np.cumsum([0] + [len(ts) for ts in post_tags]).astype(np.int64)
        idx = np.array([pos[t] for ts in post_tags for t in ts], dtype=np.int64)
        return self.match_arrays(titles, subtitles, names, ptr, idx, niche_tags)

    def match_arrays(
        self,
        titles: Sequence[str | None],
        subtitles: Sequence[str | None],
        tag_names: Sequence[str],
        tag_ptr: np.ndarray,
        tag_idx: np.ndarray,
        niche_tags: frozenset[str] | None = None,
    ) -> PostMatches:
        """Post i carries tags tag_names[tag_idx[tag_ptr[i]:tag_ptr[i+1]]]."""
        niche_tags = self.tags if niche_tags is None else niche_tags
        n = len(titles)
        hits = self.match_texts(titles) | self.match_texts(subtitles)
        tag_hits = self.match_texts(list(tag_names))
        is_niche_tag = np.array([t in niche_tags for t in tag_names], dtype=bool)
        post_of = np.repeat(np.arange(n), np.diff(tag_ptr))
        by_tag = np.zeros(n, dtype=bool)
        if len(tag_idx):
            by_tag[post_of[is_niche_tag[tag_idx]]] = True
            for j in range(len(self.keywords)):
                hits[post_of[tag_hits[tag_idx, j]], j] = True
        return PostMatches(is_niche=by_tag | hits.any(axis=1), by_tag=by_tag, hits=hits, names=self.keywords)
