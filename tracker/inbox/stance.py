"""An article's stance toward a claim: `for` (it asserts it), `against` (it denies or
refutes it) or `observing` (it repeats it without taking a side), from cue words.

Rules, no model: a refuting word the claim itself does not use ("hoax", "denies", "not
true", "is alive" of a claim that someone died, "delayed" of a claim about when), or a
negation the claim lacks ("has NOT been arrested"), is `against`; a delay of a claim that
says it would not happen then ("won't launch until 2026") is `for`. A hedge, a question
or an attribution ("reportedly", "may", "?", "..., officials say", "Report:") is
`observing`; otherwise the headline states the claim as fact: `for`. The cue table is
tracker.extract.cues, the one `extract` reads.
"""

from __future__ import annotations

from tracker.extract.cues import DELAY, delayed, hedged, negated, refuted

STANCES = ("for", "against", "observing")


def stance_of(article: str, claim: str) -> str:
    """The stance of the article's text (a headline, a summary) toward the claim's text."""
    if _delay_bears_out(article, claim):
        return "observing" if hedged(article) else "for"
    if refuted(article) and not refuted(claim):
        return "against"
    if negated(article) and not negated(claim):
        return "against"
    if hedged(article):
        return "observing"
    return "for"


def _delay_bears_out(article: str, claim: str) -> bool:
    """A delay and nothing else refuting, of a claim that it would not happen when said
    ("won't launch until 2026", "will be delayed"): the article bears the claim out."""
    if not delayed(article) or refuted(DELAY.sub(" ", article)):
        return False
    return negated(claim) or delayed(claim)
