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
from dataclasses import dataclass, field

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
    keywords: list[tuple[str, ...]] = field(default_factory=list)  # keywords each post matched


class NicheMatcher:
    def __init__(self, keywords: Sequence[str], tags: Sequence[str], *, cutoff: float = FUZZY_CUTOFF) -> None:
        self.keywords = tuple(dict.fromkeys(" ".join(words(k)) for k in keywords if words(k)))
        self._stemmed = [" ".join(stems(k)) for k in self.keywords]
        self.tags = frozenset(tag_slug(t) for t in tags if words(t))
        self.cutoff = cutoff
        self._sizes = sorted({len(k.split()) for k in self.keywords})

    def _match_vocab(self, vocab: list[str]) -> dict[str, tuple[str, ...]]:
        """Stemmed n-gram → the keywords it matches."""
        if not vocab or not self.keywords:
            return {}
        scores = process.cdist(vocab, self._stemmed, scorer=fuzz.ratio, dtype=np.uint8, workers=1)
        out: dict[str, tuple[str, ...]] = {}
        for j, kw in enumerate(self.keywords):
            need = 100 if len(kw) <= SHORT_KEYWORD else self.cutoff
            hits = np.nonzero(scores[:, j] >= need)[0]
            for i in hits.tolist():
                out[vocab[i]] = (*out.get(vocab[i], ()), kw)
        return out

    def _grams(self, text_words: list[str]) -> set[str]:
        grams: set[str] = set()
        for n in self._sizes:
            for i in range(len(text_words) - n + 1):
                grams.add(" ".join(text_words[i : i + n]))
        return grams

    def niche_tags(self, all_tags: Sequence[str]) -> frozenset[str]:
        """The niche's own tags plus stored tags whose words are a niche keyword."""
        found = set(self.tags)
        phrases = {" ".join(stems(t)): t for t in all_tags}
        hits = self._match_vocab(sorted(phrases))
        found.update(phrases[p] for p in hits)
        return frozenset(found)

    def match_posts(
        self,
        titles: Sequence[str | None],
        subtitles: Sequence[str | None],
        post_tags: Sequence[Sequence[str]],
        niche_tags: frozenset[str] | None = None,
    ) -> PostMatches:
        niche_tags = self.tags if niche_tags is None else niche_tags
        n = len(titles)
        grams: list[set[str]] = []
        vocab: set[str] = set()
        for i in range(n):
            g = self._grams(stems(titles[i])) | self._grams(stems(subtitles[i]))
            for t in post_tags[i]:
                g |= self._grams(stems(t))
            grams.append(g)
            vocab |= g
        hits = self._match_vocab(sorted(vocab))
        by_tag = np.array([any(t in niche_tags for t in post_tags[i]) for i in range(n)], dtype=bool)
        kws: list[tuple[str, ...]] = []
        for g in grams:
            found = sorted({k for gram in g if gram in hits for k in hits[gram]})
            kws.append(tuple(found))
        is_niche = by_tag | np.array([bool(k) for k in kws], dtype=bool)
        return PostMatches(is_niche=is_niche, by_tag=by_tag, keywords=kws)
