"""An article's stance toward a claim: `for` (it asserts it), `against` (it denies or
refutes it) or `observing` (it repeats it without taking a side), from cue words.

Rules, no model: a refuting word the claim itself does not use ("hoax", "denies", "not
true", "is alive" of a claim that someone died), or a negation the claim lacks ("has NOT
been arrested"), is `against`; a hedge, a question or an attribution ("reportedly",
"may", "?", "..., officials say", "Report:") is `observing`; otherwise the headline states
the claim as fact: `for`. The cue table is tracker.extract.cues, the one `extract` reads.
"""

from __future__ import annotations

from tracker.extract.cues import hedged, negated, refuted

STANCES = ("for", "against", "observing")


def stance_of(article: str, claim: str) -> str:
    """The stance of the article's text (a headline, a summary) toward the claim's text."""
    if refuted(article) and not refuted(claim):
        return "against"
    if negated(article) and not negated(claim):
        return "against"
    if hedged(article):
        return "observing"
    return "for"
