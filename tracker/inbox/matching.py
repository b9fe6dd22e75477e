"""Which open claim an article is about: word and character TF-IDF, on the machine.

Every open claim is indexed by its words (lower-cased, accents and apostrophes dropped,
light suffix stripping, no stop words) and by the character 4-grams of those words. An
article's words find the claims that share any of them (an inverted index: the cost grows
with the matches, not with the number of claims); each is then scored by the cosine of the
two word vectors and of the two character vectors, averaged, so "Quarter-Pounder" meets
"Quarter Pounder" and "hoaxes" meets "hoax". Weights are IDF over the claims themselves:
a word every claim has says nothing. The score is in 0..1: 1 for the claim's own words.

The words that say what an article thinks of a claim ("delayed", "hoax", "denies",
"reportedly", "won't") are the stance's business, not the match's: they are no words here,
so "GTA VI delayed" is matched by "GTA VI", whichever claim happens to say "delay".
"Grand Theft Auto" also reads as "GTA", "VI" and "third" as "6" and "3", "50ft" as "50 ft",
and a short table makes common English words of one sense one word ("murder", "killed").

A batch of articles teaches the claims the words their stories use (`learn`, pseudo-
relevance feedback as search engines do it): a claim that an article matches surely
(CONFIDENT) takes the mean of those articles' vectors into its own, so a claim then finds
the headlines that name it in other words through the sure matches that said both.
What a claim learned finds it more sure matches: this is repeated until they settle.
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
# Stance words (tracker.extract.cues reads them), as `words` leaves them: not about a topic.
_STANCE = """
hoax fake false untrue true real rumor rumour rumo claim deny deni debunk delay postpon
postpone cancel cancell scrap shelv confirm report alleg allegedly apparently may might could
probably likely wont dont doesnt isnt arent wasnt werent didnt cant hasnt havent
"""
# fmt: on
STOP_WORDS = frozenset(_STOP.split())
# The same thing said another way, as `words` leaves it (after `stem`): numbers in letters
# ("third" is 3), and a few common English words of the same sense.
_SAME = """
one:1 two:2 three:3 four:4 five:5 six:6 seven:7 eight:8 nine:9 ten:10 eleven:11 twelve:12
first:1 second:2 third:3 fourth:4 fifth:5 sixth:6 seventh:7 eighth:8 ninth:9 tenth:10
million:m billion:bn killed:kill murder:kill dead:die death:die died:die
wife:spouse husband:spouse kid:child children:child son:child daughter:child
woman:women man:men buy:purchase bought:purchase purchas:purchase acquir:purchase
acquire:purchase feet:ft foot:ft meter:m metr:m metre:m
thousand:k mln:m bln:bn
"""
SAME = dict(pair.split(":") for pair in _SAME.split())
STANCE_WORDS = frozenset(_STANCE.split())
_APOSTROPHES = re.compile(r"['’‘`]")
# A number run into its unit ("50ft", "72million", "$3bn") is the number and the unit.
_UNIT = re.compile(r"\b(\d+(?:[.,]\d+)?)(k|m|bn|mln|bln|ft|km|kg|million|billion|thousand)\b")
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")  # "3rd" is "3", as "third" is
_WORD = re.compile(r"\d+(?:[.,]\d+)+|[a-z0-9]+")  # "4,999" is one number, "2.5" too
# Three or more capitalised words, read also as their initials: "Grand Theft Auto" is "GTA".
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+){2,}\b")
_ROMAN = {"II": "2", "III": "3", "IV": "4", "VI": "6", "VII": "7", "VIII": "8", "IX": "9"}
_ROMAN_WORD = re.compile(r"\b(?:" + "|".join(sorted(_ROMAN, key=len, reverse=True)) + r")\b")
# The score from which an article is suggested for a claim: chosen on Emergent's train
# split (README, "The evidence inbox") so that, with half of the claims not logged, about
# one article in ten of the other half is suggested for some claim.
THRESHOLD = 0.28
CONFIDENT = 0.35  # a match this sure teaches the claim the article's words (`learn`)
CANDIDATES = 50  # claims scored in full for an article: those sharing the most words
LEARNING = 5  # rounds of `learn` at most: on Emergent the sure matches settle in 3-4
SURE_CANDIDATES = 10  # as many, when only a sure match is looked for (`learn`)
GRAM = 4  # characters: long enough to mean something, short enough to survive an inflection


def words(text: str) -> list[str]:
    """The words that carry meaning, normalised: "Hoaxes!" -> "hoax"."""
    initials = ["".join(word[0] for word in re.split("[ -]", name)) for name in _NAME.findall(text)]
    text = _ROMAN_WORD.sub(lambda m: _ROMAN[m.group()], text)
    folded = unicodedata.normalize("NFKD", " ".join([text, *initials]).casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = _UNIT.sub(r"\1 \2", _ORDINAL.sub(r"\1", _APOSTROPHES.sub("", folded)))
    found = (stem(w.replace(",", "")) for w in _WORD.findall(folded) if w not in STOP_WORDS)
    return [SAME.get(w, w) for w in found if w not in STANCE_WORDS]


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


def _mean(vectors: list[Vector]) -> Vector:
    total: defaultdict[str, float] = defaultdict(float)
    for vector in vectors:
        for key, value in vector.items():
            total[key] += value / len(vectors)
    return dict(total)


def _plus(one: Vector, other: Vector) -> Vector:
    """The sum of two vectors, of length 1 again."""
    total = dict(one)
    for key, value in other.items():
        total[key] = total.get(key, 0.0) + value
    norm = math.sqrt(sum(v * v for v in total.values())) or 1.0
    return {key: value / norm for key, value in total.items()}


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
        self.word_vectors = [self._vector(Counter(t)) for t in self.tokens]
        # A claim's character vector is made when an article first finds it: most are never.
        self.gram_vectors: dict[int, Vector] = {}
        self.queries: dict[str, tuple[Vector, Vector] | None] = {}
        self.common = max(50, total // 50)
        self._index()

    def _index(self) -> None:
        """Words to the claims that have them: a claim shares a word with an article, or
        is no candidate. A word in more than one claim in 50 finds too many to read one by
        one (with only such words, the two rarest find them); it still counts in the scores
        of the claims found."""
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, vector in enumerate(self.word_vectors):
            for word, weight in vector.items():
                self.postings[word].append((index, weight))

    def learn(self, texts: Iterable[str]) -> None:
        """Each claim that some of the texts match surely (CONFIDENT) takes the mean of
        their vectors, as much as its own (Rocchio's feedback with equal weights). What a
        claim learns lets it find more articles surely, so this is repeated, each time from
        the claims' own words, until the sure matches no longer change (LEARNING rounds at
        most)."""
        texts = list(texts)
        own_words, own_grams = list(self.word_vectors), dict(self.gram_vectors)
        at = {claim_id: index for index, claim_id in enumerate(self.ids)}
        before: dict[int, list[str]] | None = None
        for _ in range(LEARNING):
            sure: dict[int, list[str]] = defaultdict(list)
            for text in texts:
                # A sure match shares many words: it is among the few sharing the most.
                best = self.matches(text, limit=1, candidates=SURE_CANDIDATES)
                if best and best[0].score >= CONFIDENT:
                    sure[at[best[0].claim_id]].append(text)
            if sure == before:
                return
            before = sure
            self.word_vectors, self.gram_vectors = list(own_words), dict(own_grams)
            for index, found in sure.items():
                queries = [q for text in found if (q := self._query(text)) is not None]
                word_mean = _mean([word_vector for word_vector, _ in queries])
                gram_mean = _mean([gram_vector for _, gram_vector in queries])
                self.word_vectors[index] = _plus(own_words[index], word_mean)
                self.gram_vectors[index] = _plus(self._grams(index), gram_mean)
            self._index()

    def _vector(self, counts: Counter[str]) -> Vector:
        return _weighted(counts, self.word_idf, self.unseen_word)

    def _gram_vector(self, counts: Counter[str]) -> Vector:
        return _weighted(counts, self.gram_idf, self.unseen_gram)

    def matches(self, text: str, limit: int = 3, candidates: int = CANDIDATES) -> list[Match]:
        """The best-scoring claims for the text, best first (at most `limit`), of the
        `candidates` claims sharing the most of its words."""
        query = self._query(text)
        if query is None or not self.ids:
            return []
        word_vector, gram_vector = query
        found: dict[int, float] = defaultdict(float)
        known = sorted(
            (w for w in word_vector if w in self.postings), key=lambda w: len(self.postings[w])
        )
        rare = [w for w in known if len(self.postings[w]) <= self.common] or known[:2]
        for word in rare:
            weight = word_vector[word]
            for index, other in self.postings.get(word, ()):
                found[index] += weight * other
        scored = []
        for index, _ in heapq.nlargest(candidates, found.items(), key=lambda pair: pair[1]):
            claim_words, claim_grams = self.word_vectors[index], self._grams(index)
            word_score = sum(w * claim_words.get(t, 0.0) for t, w in word_vector.items())
            gram_score = sum(w * claim_grams.get(g, 0.0) for g, w in gram_vector.items())
            score = min(1.0, (gram_score + word_score) / 2)
            scored.append(Match(self.ids[index], score, word_score, gram_score))
        scored.sort(key=lambda m: (-m.score, m.claim_id))
        return scored[:limit]

    def _query(self, text: str) -> tuple[Vector, Vector] | None:
        """A text's word and character vectors: made once (`learn` reads each text
        before it is matched), as the weights never change."""
        if text not in self.queries:
            tokens = words(text)
            self.queries[text] = (
                (self._vector(Counter(tokens)), self._gram_vector(Counter(grams(tokens))))
                if tokens
                else None
            )
        return self.queries[text]

    def _grams(self, index: int) -> Vector:
        vector = self.gram_vectors.get(index)
        if vector is None:
            counts = Counter(grams(self.tokens[index]))
            vector = self.gram_vectors[index] = self._gram_vector(counts)
        return vector
