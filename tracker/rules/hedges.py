"""Hedge words, as sources phrase their claims, and the likelihood each implies."""

from __future__ import annotations

from tracker.errors import InvalidInput
from tracker.rules.text import clean, one_of

LIKELIHOODS = {
    "official": 0.95,
    "confirmed": 0.95,
    "announced": 0.95,
    "will": 0.9,
    "expected": 0.75,
    "likely": 0.7,
    "rumoured": 0.5,
    "rumored": 0.5,
    "reportedly": 0.5,
    "could": 0.35,
    "may": 0.35,
    "might": 0.35,
}


def likelihood_of(hedge: str) -> float:
    return LIKELIHOODS[one_of(hedge, list(LIKELIHOODS), "hedge word")]


def check_likelihood(value: float) -> float:
    if not 0.0 <= value <= 1.0:  # also refuses NaN
        raise InvalidInput(f"likelihood must be between 0 and 1, got {value}")
    return value


def resolve(hedge: str | None, likelihood: float | None) -> tuple[str | None, float | None]:
    """The hedge word (case-folded) and the likelihood: given, else the hedge's."""
    if hedge is not None:
        hedge = clean(hedge, "hedge").casefold()
        implied = likelihood_of(hedge)
        likelihood = check_likelihood(likelihood) if likelihood is not None else implied
    elif likelihood is not None:
        likelihood = check_likelihood(likelihood)
    return hedge, likelihood
