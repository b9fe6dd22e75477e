"""The status state machine: the only code that decides a claim's status.

A claim's status is the fold of `step` over its non-retracted evidence and its
resolutions, ordered by (effective_on, recorded_at, event id), from `pending`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

CONCLUSIVE = frozenset({"confirms", "refutes"})

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


@dataclass(frozen=True)
class Outcome:
    status: str
    resolved_on: date | None


def step(status: str, stance: str) -> str:
    """The status after one piece of evidence; non-conclusive stances change nothing."""
    if stance not in CONCLUSIVE:
        return status
    return _TRANSITIONS[(status, stance)]


def replay(steps: Iterable[Step]) -> Outcome:
    """Fold the steps (already in effective order) from `pending`.

    resolved_on is the effective date of the step that last moved the claim
    into confirmed or refuted; None while pending or disputed.
    """
    status, resolved_on = "pending", None
    for item in steps:
        new = item.resolved_as if item.resolved_as is not None else step(status, item.stance)
        if new != status and new in ("confirmed", "refuted"):
            resolved_on = item.effective_on
        status = new
    if status not in ("confirmed", "refuted"):
        resolved_on = None
    return Outcome(status, resolved_on)


def is_overdue(status: str, expected_end: date | None, reference: date) -> bool:
    """Pending, and its expected window ended before the reference date."""
    return status == "pending" and expected_end is not None and expected_end < reference
