"""Cue words: the phrases that say how sure a sentence sounds, and the hedge each implies.

The table grows the hedge table (tracker.rules.hedges) with the many words writers use for the
same few degrees of certainty: `tipped`, `is said to` and `leaked` read as `rumoured`,
`expects` as `expected`. When a sentence holds several cues, the one implying the lowest
likelihood wins ("will likely" is `likely`, not `will`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.rules.hedges import LIKELIHOODS

_NOT = r"(?<!\bnot )(?<!n't )(?<!n’t )(?<!\bnever )(?<!\bno )"

# (pattern, hedge word); patterns are case-insensitive unless they say otherwise.
# fmt: off
CUES: list[tuple[str, str]] = [
    (r"officially", "official"),
    (r"(?:has|have) (?:officially )?announced|announced (?:today|on \w+day)|announces"
     r"|today announced", "announced"),
    (_NOT + r"(?:has |have )?confirm(?:ed|s)", "confirmed"),
    (r"(?:press|joint) statement|press release|in a statement", "official"),
    (_NOT + r"(?:(?:will|'ll|’ll)\b|is set to|are set to|(?:is|are) (?:slated|scheduled|due"
     r"|planned) (?:to|for)|(?:is|are) going to|plans? to)", "will"),
    (r"(?:is|are|was|were) (?:widely )?expected to|expects?|anticipates?|forecasts?|guidance"
     r"|expected", "expected"),
    (r"will likely|(?:is|are) likely to|likely|probably", "likely"),
    (r"reportedly", "reportedly"),
    (r"rumou?red|rumou?rs? (?:say|suggest|has it)", "rumoured"),
    (r"(?:is|are) said to|tipped|tipster|leaked|leaks? (?:show|suggest|reveal|say|claim)s?"
     r"|a leak from|claim(?:s|ed)|allegedly|purportedly|unconfirmed|suggests"
     r"|documents? (?:seen by \w+ )?(?:show|reveal|suggest|indicate)s?"
     r"|according to (?:\w+ )?documents?", "rumoured"),
    (r"(?:people|persons?|sources?|insiders?|those) (?:familiar|briefed|close to|with knowledge"
     r"|who)|sources? (?:say|said|says|told|claim)|according to (?:\w+ )?(?:people|sources)"
     r"|we (?:spoke|talked) (?:to|with)", "rumoured"),
    (r"could|(?-i:may)|might|possibly|perhaps|potentially|would not be surprised", "could"),
]
# fmt: on
_COMPILED = [(re.compile(rf"\b(?:{pattern})(?!\w)", re.I), word) for pattern, word in CUES]

# Said by a named speaker and hedged by nothing else: the speaker's own statement.
OFFICIAL = "official"
QUESTION = "rumoured"  # a question (a question headline, too) only raises a possibility
UNNAMED = "rumoured"  # "people familiar with the matter", "sources say"


@dataclass(frozen=True)
class Cue:
    hedge: str  # a word of tracker.rules.hedges.LIKELIHOODS
    words: str  # as the sentence writes them; "?" for a question

    @property
    def likelihood(self) -> float:
        return LIKELIHOODS[self.hedge]


def cues_in(sentence: str) -> list[Cue]:
    """Every cue in the sentence, in the order they appear."""
    found = [
        (m.start(), Cue(word, m.group()))
        for pattern, word in _COMPILED
        for m in pattern.finditer(sentence)
    ]
    if sentence.rstrip("”’\"') ").endswith("?"):
        found.append((len(sentence), Cue(QUESTION, "?")))
    return [cue for _, cue in sorted(found, key=lambda pair: pair[0])]


def weakest(cues: list[Cue]) -> Cue | None:
    """The cue implying the lowest likelihood (the first of equals), or None."""
    return min(cues, key=lambda cue: cue.likelihood, default=None)


# -- headlines, and what an article does with a claim it reports ---------------------------

# Attribution: the writer tells who says so instead of saying it ("..., officials say",
# "Report:", "...: Analyst", "according to", "X claims"), or hedges the way headlines do
# ("apparently", "believed to", Title Case "May"). Read in headlines, where no sentence
# around names the speaker; a story's sentences have their speakers (speakers.py).
# fmt: off
ATTRIBUTION: list[tuple[str, str]] = [
    (r"(?:,|:|[-–—]) ?(?:\w+ ){0,3}(?:says?|said|claims?|reports?|sources?|officials?"
     r"|analysts?|police|witnesses|media|experts?)\s*[.!]?\s*$", "reportedly"),
    (r"^(?:\w+ ){0,2}(?:report|reports|rumou?r|official|sources?|analyst|exclusive)\s*:",
     "reportedly"),
    (r"says?|said|claims?|claimed|according to|told|tells|report(?:s|ed)?|alleg(?:es|edly)"
     r"|accus(?:es|ed)|sources?|insiders?|witness(?:es)?|suggests?|hints?|leaked?|tipped",
     "reportedly"),
    (r"purported(?:ly)?|apparent(?:ly)?|seemingly|believed|thought to|suspected|appears? to"
     r"|seems? to|unconfirmed|unverified|speculat\w*|rumou?r(?:s|ed)?|alleged", "rumoured"),
    (r"may(?! \d)|might|could|possibl[ey]|perhaps|maybe|in talks|considering|mull(?:s|ing)?"
     r"|weighs?|hopes?|wants?", "could"),
    (r"probabl[ey]|likely", "likely"),
    (r"expected|predicts?|forecasts?", "expected"),
]
# fmt: on
_ATTRIBUTION = [(re.compile(rf"\b(?:{p})(?!\w)", re.I), word) for p, word in ATTRIBUTION]


def headline_cues(text: str) -> list[Cue]:
    """The cues of a headline: the hedge table's, its attribution, and "?" anywhere (a
    headline asks "Is this the world's oldest burger? Man claims ...")."""
    found = cues_in(text)
    found += [Cue(word, m.group()) for pattern, word in _ATTRIBUTION
              for m in pattern.finditer(text)]  # fmt: skip
    if "?" in text and not any(cue.words == "?" for cue in found):
        found.append(Cue(QUESTION, "?"))
    return found


def hedged(text: str) -> bool:
    """Whether a headline reports rather than asserts: a cue weaker than a plain "will"."""
    return any(cue.likelihood < LIKELIHOODS["will"] for cue in headline_cues(text))


# Words that say a claim is false: a hoax, a denial, a debunking; "alive" of a death.
_REFUTING = re.compile(
    r"\b(?:hoax(?:es|ed)?|fake[ds]?|faked|false(?:ly)?|untrue|not true|debunk(?:s|ed|ing)?"
    r"|den(?:y|ies|ied|ying)|denial|myths?|bogus|bullshit|fabricat(?:ed|ion)|phon(?:y|ey)"
    r"|rumou?rs? (?:of \w+ (?:\w+ )?death )?(?:are|is) (?:greatly )?exaggerated|exaggerated"
    r"|alive(?: and (?:well|kicking))?|proof of life|not dead|record straight|dismiss(?:es|ed)?"
    r"|refut(?:es|ed|e)|rebut(?:s|ted)?|doubts?(?: that)?|doubtful|questions whether"
    r"|shoots? down|shot down|kills? (?:\w+ )?rumou?r|wrongly|misleading|no evidence"
    r"|not (?:real|genuine|authentic)|scam|spoof|satir(?:e|ical)|parody|photoshopped"
    r"|(?:was|were|is|are) (?:really|actually)|turns out|fooled|duped)\b",
    re.I,
)
# Words that say a thing will not happen when it was said to: a claim about when it would
# is refuted by them, one that it would not ("won't launch until 2026") is borne out.
DELAY = re.compile(
    r"\b(?:delay(?:s|ed)?|postpone[sd]?|push(?:es|ed)? back|pushed to|slip(?:s|ped)? to"
    r"|cancel(?:s|led|ed)?|scrap(?:s|ped)|shelve[sd]?)\b",
    re.I,
)
# A negation: "has NOT been arrested", "isn't", "no, ...", "never", "won't".
_NEGATION = re.compile(
    r"\b(?:not|never|no(?=[ ,:])|nor|none|nobody|neither)\b|n[’']t\b|\bwon[’']t\b", re.I
)


def refuted(text: str) -> bool:
    """Whether the text calls something false, denies it, or says it did not happen."""
    return bool(_REFUTING.search(text)) or delayed(text)


def delayed(text: str) -> bool:
    """Whether the text says something was delayed, postponed or cancelled."""
    return bool(DELAY.search(text))


def negated(text: str) -> bool:
    return bool(_NEGATION.search(text))
