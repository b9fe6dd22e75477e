"""The status state machine: the only code that decides a claim's status.

A claim's status is the fold of `step` over its non-retracted evidence and its
resolutions, ordered by (effective_on, recorded_at, event id), from `pending`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

STATUSES = ("pending", "confirmed", "refuted", "disputed")
STANCES = ("confirms", "refutes", "supports", "contradicts")
CONCLUSIVE = frozenset({"confirms", "refutes"})
# The statuses that settle a claim: it came true or it did not. Accuracy, the Brier
# score and resolved_on count these.
DECIDED = frozenset({"confirmed", "refuted"})

# (current status, conclusive stance) -> new status; the spec's table.
_TRANSITIONS = {
    ("pending", "confirms"): "confirmed",
    ("pending", "refutes"): "refuted",
    ("confirmed", "confirms"): "confirmed",
    ("confirmed", "refutes"): "disputed",
    ("refuted", "refutes"): "refuted",
    ("refuted", "confirms"): "disputed",
    ("disputed", "confirms"): "disputed",
    ("disputed", "refutes"): "disputed",
}


@dataclass(frozen=True)
class Step:
    """One thing that bears on status: evidence (a stance) or a resolution (a status)."""

    effective_on: date
    stance: str | None = None  # evidence
    resolved_as: str | None = None  # resolution
    actual: str | None = None  # what actually happened, as this step says


@dataclass(frozen=True)
class Outcome:
    status: str
    resolved_on: date | None
    actual: str | None = None


@dataclass(frozen=True, order=True)
class Ordered:
    """One step of a claim's replay, sortable into replay order."""

    effective_on: date
    recorded_at: datetime
    rank: int  # 0 evidence, 1 resolution
    uid: str
    evidence_id: int | None = field(compare=False)
    step: Step = field(compare=False)


def step(status: str, stance: str | None) -> str:
    """The status after one piece of evidence; non-conclusive stances (and no stance: a
    step that is a resolution) change nothing."""
    if stance not in CONCLUSIVE:
        return status
    return _TRANSITIONS[(status, stance)]


class Fold:
    """The replay, one step at a time (for writers that add steps in order)."""

    def __init__(self) -> None:
        self.status = "pending"
        self._moved_on: date | None = None  # when it last moved into confirmed/refuted
        self.actual: str | None = None

    def add(self, item: Step) -> None:
        new = item.resolved_as if item.resolved_as is not None else step(self.status, item.stance)
        if new != self.status and new in DECIDED:
            self._moved_on = item.effective_on
        # What actually happened is the latest word of the steps that set the status: a
        # step that moves it starts afresh; one that keeps it may add its own.
        decides = item.resolved_as is not None or item.stance in CONCLUSIVE
        if decides and (new != self.status or item.actual is not None):
            self.actual = item.actual
        self.status = new

    @property
    def outcome(self) -> Outcome:
        """Where the fold stands; `actual` only for a claim confirmed or refuted (a disputed
        claim's latest word is still in dispute)."""
        resolved = self.status in DECIDED
        return Outcome(
            self.status, self._moved_on if resolved else None, self.actual if resolved else None
        )


def replay(steps: Iterable[Step]) -> Outcome:
    """Fold the steps (already in effective order) from `pending`.

    resolved_on is the effective date of the step that last moved the claim
    into confirmed or refuted; None while pending or disputed.
    """
    fold = Fold()
    for item in steps:
        fold.add(item)
    return fold.outcome


def is_overdue(status: str, expected_end: date | None, reference: date) -> bool:
    """Pending, and its expected window ended before the reference date."""
    return status == "pending" and expected_end is not None and expected_end < reference


def squared_error(status: str, likelihood: float | None) -> float | None:
    """A decided claim's Brier term: (likelihood - outcome)^2, outcome 1 if confirmed, 0 if
    refuted; None for a claim undecided or without a likelihood. A source's Brier score
    is the mean over its claims (tracker.queries.sources; in SQL there, the same formula)."""
    if status not in DECIDED or likelihood is None:
        return None
    outcome = 1 if status == "confirmed" else 0
    return (likelihood - outcome) * (likelihood - outcome)
