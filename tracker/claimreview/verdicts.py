"""A fact-checker's rating as a stance (design.md §10).

Ratings are free text in any wording ("Pants on Fire!", "Four Pinocchios", "False. The
photo is from 2015."): the words are looked up in VERDICTS, first whole, then their
first clause. A rating the table does not know is read from its number on the scale the
review gives, which may run either way (worstRating above bestRating). Anything else is
unread: the claim is kept, with no evidence.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

# Common verdicts in English, as `verdict_words` normalises them.
VERDICTS = {
    "confirms": ("true", "correct", "accurate", "verified", "confirmed"),
    "refutes": (
        "false", "pants on fire", "four pinocchios", "4 pinocchios", "fake", "incorrect",
        "not true", "wrong", "fabricated", "hoax", "baseless",
    ),
    "supports": ("mostly true", "mostly correct", "mostly accurate", "largely accurate"),
    "contradicts": (
        "mostly false", "misleading", "half true", "exaggerated", "partly false",
        "partially false", "barely true", "missing context", "lacks context", "out of context",
        "three pinocchios", "3 pinocchios", "two pinocchios", "2 pinocchios", "distorts the facts",
    ),
}  # fmt: skip
STANCE_OF = {words: stance for stance, all_words in VERDICTS.items() for words in all_words}

# What introduces a verdict without being one: "This is false", "Rating: Misleading".
_LEAD = re.compile(r"^(?:this is|that is|it is|this claim is|the claim is|rating|verdict)\b:?\s*")
_CLAUSE = re.compile(r"[.;:,!?()\u2013\u2014]| - ")
# schema.org's default scale when a review gives none.
DEFAULT_BEST, DEFAULT_WORST = 5.0, 1.0


def verdict_words(text: str) -> str:
    """A verdict as the table spells it: case, hyphens and punctuation aside."""
    words = text.casefold().replace("-", " ").replace("\u2019", "'")
    words = re.sub(r"[!\"'\u201c\u201d*]", "", words)
    return " ".join(words.split()).strip(" .")


def verdict_stance(text: str) -> str | None:
    """The stance a verdict's words give, or None when the table does not know them."""
    words = _LEAD.sub("", verdict_words(text))
    for candidate in (words, _CLAUSE.split(words, maxsplit=1)[0].strip()):
        if candidate in STANCE_OF:
            return STANCE_OF[candidate]
    return None


@dataclass(frozen=True)
class Rating:
    """A review's rating as published: each part may be missing, text or a number."""

    verdict: str | None = None  # alternateName, or the API's textualRating
    value: Any = None
    best: Any = None
    worst: Any = None

    def stance(self) -> str | None:
        """confirms / refutes / supports / contradicts, or None when it cannot be read."""
        if self.verdict:
            found = verdict_stance(self.verdict)
            if found is not None:
                return found
        return scale_stance(self.value, self.best, self.worst)

    def note(self) -> str | None:
        """What the evidence keeps of the rating: its words, else its number on its scale."""
        if self.verdict and self.verdict.strip():
            return " ".join(self.verdict.split())
        value = number(self.value)
        if value is None:
            return None
        best, worst = number(self.best), number(self.worst)
        best = DEFAULT_BEST if best is None else best
        worst = DEFAULT_WORST if worst is None else worst
        scale = f"from {_shown(worst)} (worst) to {_shown(best)} (best)"
        return f"rated {_shown(value)} on a scale {scale}"


def scale_stance(value: Any, best: Any, worst: Any) -> str | None:
    """A numeric rating as a stance: the best end confirms, the worst refutes, between
    leans (above the middle supports, else contradicts). A value off its scale (-1, the
    common "no rating") is unread."""
    rated = number(value)
    if rated is None:
        return None
    top, bottom = number(best), number(worst)
    top = DEFAULT_BEST if top is None else top
    bottom = DEFAULT_WORST if bottom is None else bottom
    if top == bottom:
        return None
    position = (rated - bottom) / (top - bottom)  # 0 the worst, 1 the best, either way round
    if not 0 <= position <= 1:
        return None
    if position == 1:
        return "confirms"
    if position == 0:
        return "refutes"
    return "supports" if position > 0.5 else "contradicts"


def number(value: Any) -> float | None:
    """A rating number, written as a number or as text ("5", " 4.5 "); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, int | float) and math.isfinite(value):  # NaN is no rating
        return float(value)
    return None


def _shown(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)
