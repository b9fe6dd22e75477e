"""Which open claim an article is about: word and character TF-IDF, on the machine.

Every open claim is indexed by its words (lower-cased, accents and apostrophes dropped,
light suffix stripping, no stop words) and by the character 4-grams of those words. An
article's words find the claims that share any of them (an inverted index: the cost grows
with the matches, not with the number of claims); each is then scored by the cosine of the
two word vectors and of the two character vectors, averaged, so "Quarter-Pounder" meets
"Quarter Pounder" and "hoaxes" meets "hoax". Weights are IDF over the claims themselves:
a word every claim has says nothing. The score is in 0..1: 1 for the claim's own words.
"""

from __future__ import annotations

import functools
import heapq
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Words that say nothing about which claim an article is about.
# fmt: off
_STOP = """
a about above after again against all also am an and any are as at be been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours out
over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself says said say report reports
reportedly new news via amid
"""
# fmt: on
STOP_WORDS = frozenset(_STOP.split())
_APOSTROPHES = re.compile(r"['’‘`]")
_WORD = re.compile(r"[a-z0-9]+")
# The score from which an article is suggested for a claim: chosen on Emergent's train
# split (README, "The evidence inbox") so that, with half of the claims not logged, about
# one article in ten of the other half is suggested for some claim.
THRESHOLD = 0.22
CANDIDATES = 50  # claims scored in full for an article: those sharing the most words
GRAM = 4  # characters: long enough to mean something, short enough to survive an inflection


def words(text: str) -> list[str]:
    """The words that carry meaning, normalised: "Hoaxes!" -> "hoax"."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = _APOSTROPHES.sub("", folded)
    return [stem(w) for w in _WORD.findall(folded) if w not in STOP_WORDS]


def stem(word: str) -> str:
    """A light suffix stripper: plurals, -ing, -ed; enough for headlines."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, keep in (
        ("ies", "y"),
        ("sses", "ss"),
        ("es", ""),
        ("s", ""),
        ("ing", ""),
        ("ed", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            if suffix == "es" and not word.endswith(("ches", "shes", "xes", "zes", "sses")):
                continue
            return word[: -len(suffix)] + keep
    return word


def grams(tokens: Iterable[str]) -> list[str]:
    """Character n-grams of each word, the word's ends marked: " hoax" and "hoax "."""
    return [gram for token in tokens for gram in _word_grams(token)]


@functools.lru_cache(maxsize=65536)
def _word_grams(token: str) -> tuple[str, ...]:
    padded = f" {token} "
    if len(padded) <= GRAM:
        return (padded,)
    return tuple(padded[i : i + GRAM] for i in range(len(padded) - GRAM + 1))


Vector = dict[str, float]


def _weighted(counts: Counter[str], idf: dict[str, float], unseen: float) -> Vector:
    vector = {t: (1.0 + math.log(n)) * idf.get(t, unseen) for t, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


def _idf(documents: Sequence[set[str]]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for document in documents:
        df.update(document)
    total = len(documents)
    return {t: math.log((total + 1) / (n + 1)) + 1.0 for t, n in df.items()}


@dataclass(frozen=True)
class Match:
    claim_id: int
    score: float  # 0..1
    words: float = 0.0  # the cosine of the word vectors
    grams: float = 0.0  # of the character vectors


class Matcher:
    """The open claims, indexed once; `matches(text)` for each article."""

    def __init__(self, claims: Sequence[tuple[int, str]]):
        self.ids = [claim_id for claim_id, _ in claims]
        self.tokens = [words(text) for _, text in claims]
        word_sets = [set(t) for t in self.tokens]
        self.word_idf = _idf(word_sets)
        self.gram_idf = _idf([set(grams(t)) for t in self.tokens])
        total = len(claims)
        self.unseen_word = math.log(total + 1) + 1.0
        self.unseen_gram = self.unseen_word
        self.word_vectors = [
            _weighted(Counter(t), self.word_idf, self.unseen_word) for t in self.tokens
        ]
        # A claim's character vector is made when an article first finds it: most are never.
        self.gram_vectors: dict[int, Vector] = {}
        # Words to the claims that have them: a claim shares a word with an article, or
        # is no candidate. A word in more than one claim in 50 finds too many to
        # read one by one (with only such words, the two rarest find them); it still
        # counts in the scores of the claims found.
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, vector in enumerate(self.word_vectors):
            for word, weight in vector.items():
                self.postings[word].append((index, weight))
        self.common = max(50, total // 50)

    def matches(self, text: str, limit: int = 3) -> list[Match]:
        """The best-scoring claims for the text, best first (at most `limit`)."""
        tokens = words(text)
        if not tokens or not self.ids:
            return []
        word_vector = _weighted(Counter(tokens), self.word_idf, self.unseen_word)
        found: dict[int, float] = defaultdict(float)
        known = sorted(
            (w for w in word_vector if w in self.postings), key=lambda w: len(self.postings[w])
        )
        rare = [w for w in known if len(self.postings[w]) <= self.common] or known[:2]
        for word in rare:
            weight = word_vector[word]
            for index, other in self.postings.get(word, ()):
                found[index] += weight * other
        if not found:
            return []
        gram_vector = _weighted(Counter(grams(tokens)), self.gram_idf, self.unseen_gram)
        scored = []
        for index, _ in heapq.nlargest(CANDIDATES, found.items(), key=lambda pair: pair[1]):
            claim_words, claim_grams = self.word_vectors[index], self._grams(index)
            word_score = sum(w * claim_words.get(t, 0.0) for t, w in word_vector.items())
            gram_score = sum(w * claim_grams.get(g, 0.0) for g, w in gram_vector.items())
            score = min(1.0, (gram_score + word_score) / 2)
            scored.append(Match(self.ids[index], score, word_score, gram_score))
        scored.sort(key=lambda m: (-m.score, m.claim_id))
        return scored[:limit]

    def _grams(self, index: int) -> Vector:
        vector = self.gram_vectors.get(index)
        if vector is None:
            counts = Counter(grams(self.tokens[index]))
            vector = self.gram_vectors[index] = _weighted(counts, self.gram_idf, self.unseen_gram)
        return vector
