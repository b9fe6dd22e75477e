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
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("es", ""), ("s", ""), ("ing", ""),
                         ("ed", "")):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            if suffix == "es" and not word.endswith(("ches", "shes", "xes", "zes", "sses")):
                continue
            return word[: -len(suffix)] + keep
    return word


def grams(tokens: Iterable[str]) -> list[str]:
    """Character n-grams of each word, the word's ends marked: " hoax" and "hoax "."""
    found = []
    for token in tokens:
        padded = f" {token} "
        if len(padded) <= GRAM:
            found.append(padded)
        else:
            found.extend(padded[i : i + GRAM] for i in range(len(padded) - GRAM + 1))
    return found


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
        tokens = [words(text) for _, text in claims]
        word_sets = [set(t) for t in tokens]
        gram_lists = [grams(t) for t in tokens]
        self.word_idf = _idf(word_sets)
        self.gram_idf = _idf([set(g) for g in gram_lists])
        total = len(claims)
        self.unseen_word = math.log(total + 1) + 1.0
        self.unseen_gram = self.unseen_word
        self.word_vectors = [_weighted(Counter(t), self.word_idf, self.unseen_word) for t in tokens]
        self.gram_vectors = [
            _weighted(Counter(g), self.gram_idf, self.unseen_gram) for g in gram_lists
        ]
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, vector in enumerate(self.gram_vectors):
            for gram, weight in vector.items():
                self.postings[gram].append((index, weight))

    def matches(self, text: str, limit: int = 3) -> list[Match]:
        """The best-scoring claims for the text, best first (at most `limit`)."""
        tokens = words(text)
        if not tokens or not self.ids:
            return []
        gram_vector = _weighted(Counter(grams(tokens)), self.gram_idf, self.unseen_gram)
        gram_scores: dict[int, float] = defaultdict(float)
        for gram, weight in gram_vector.items():
            for index, other in self.postings.get(gram, ()):
                gram_scores[index] += weight * other
        word_vector = _weighted(Counter(tokens), self.word_idf, self.unseen_word)
        best = sorted(gram_scores.items(), key=lambda pair: -pair[1])[: max(limit, 20)]
        scored = []
        for index, gram_score in best:
            claim = self.word_vectors[index]
            word_score = sum(w * claim.get(t, 0.0) for t, w in word_vector.items())
            scored.append(
                Match(
                    self.ids[index], min(1.0, (gram_score + word_score) / 2), word_score, gram_score
                )
            )
        scored.sort(key=lambda m: (-m.score, m.claim_id))
        return scored[:limit]
