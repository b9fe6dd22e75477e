"""Source track records (SPEC.md section 6): how often each source's claims came true.

Today's rows are one GROUP BY over the stored statuses, on a covering index; as of
an earlier date, every claim said by then is replayed (in batches).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from tracker.claims import ClaimState, state_batches
from tracker.models import Claim, Source
from tracker.status import STATUSES
from tracker.views import WITHDRAWN

Z_95 = 1.959963984540054


def wilson_lower_bound(successes: int, trials: int, z: float = Z_95) -> float | None:
    """The lower end of the Wilson score interval: accuracy that small samples must earn."""
    if trials == 0:
        return None
    p = successes / trials
    centre = p + z * z / (2 * trials)
    margin = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return (centre - margin) / (1 + z * z / trials)


@dataclass
class SourceTally:
    name: str
    counts: Counter
    overdue: int = 0
    brier_sum: float = 0.0
    brier_n: int = 0

    def row(self) -> dict[str, Any]:
        confirmed, refuted = self.counts["confirmed"], self.counts["refuted"]
        decided = confirmed + refuted
        return {
            "name": self.name,
            "claims": sum(self.counts.values()),
            **{status: self.counts[status] for status in STATUSES},
            "overdue": self.overdue,
            "accuracy": confirmed / decided if decided else None,
            "accuracy_low": wilson_lower_bound(confirmed, decided),
            "brier": self.brier_sum / self.brier_n if self.brier_n else None,
        }


def _ranked(tallies: Iterable[SourceTally]) -> list[dict[str, Any]]:
    """Best record first: by the Wilson lower bound, unproven sources last."""
    rows = [tally.row() for tally in tallies]
    return sorted(
        rows,
        key=lambda r: (r["accuracy_low"] is None, -(r["accuracy_low"] or 0), r["name"].casefold()),
    )


def _outcome(status: str) -> int | None:
    return {"confirmed": 1, "refuted": 0}.get(status)


def source_rows(
    session: Session, *, today: date, as_of: date | None = None
) -> list[dict[str, Any]]:
    """One row per source that made at least one claim (said by `as_of`)."""
    if as_of is not None:
        tallies: dict[str, SourceTally] = {}
        for batch in _all_states(session, as_of):
            for state in batch:
                _tally_state(tallies, state)
        return _ranked(tallies.values())
    decided = Claim.status.in_(("confirmed", "refuted"))
    squared_error = case(
        (Claim.status == "confirmed", (1 - Claim.likelihood) * (1 - Claim.likelihood)),
        else_=Claim.likelihood * Claim.likelihood,
    )
    query = (
        select(
            Claim.source_id,
            Claim.status,
            func.count(),
            func.sum(case((Claim.expected_end < today, 1), else_=0)),
            func.sum(case((and_(decided, Claim.likelihood.is_not(None)), squared_error), else_=0)),
            func.count(case((and_(decided, Claim.likelihood.is_not(None)), 1))),
        )
        .where(Claim.source_id.is_not(None))
        .group_by(Claim.source_id, Claim.status)
    )
    # Everything the covering index holds, less the withdrawn claims (few, on their own
    # index): a `withdrawn` condition in the GROUP BY would make it read every row.
    tallies_by_id: dict[int, SourceTally] = {}
    for source_id, status, count, overdue, brier_sum, brier_n in session.execute(query):
        tally = tallies_by_id.setdefault(source_id, SourceTally("", Counter()))
        tally.counts[status] += count
        if status == "pending":
            tally.overdue += overdue or 0
        tally.brier_sum += float(brier_sum or 0)
        tally.brier_n += brier_n
    # WITHDRAWN alone, so that the planner takes the partial index (few rows), not a range.
    gone = select(Claim.source_id, Claim.status, Claim.expected_end, Claim.likelihood)
    for source_id, status, end, likelihood in session.execute(gone.where(WITHDRAWN)):
        if source_id is None:
            continue
        tally = tallies_by_id[source_id]
        tally.counts[status] -= 1
        tally.overdue -= status == "pending" and end is not None and end < today
        outcome = _outcome(status)
        if outcome is not None and likelihood is not None:
            tally.brier_sum -= (likelihood - outcome) ** 2
            tally.brier_n -= 1
    tallies_by_id = {i: t for i, t in tallies_by_id.items() if sum(t.counts.values())}
    # .all(): dict() would take a Result for a mapping, since it has .keys().
    query = select(Source.id, Source.name).where(Source.id.in_(list(tallies_by_id)))
    names = dict(session.execute(query).all())
    for source_id, tally in tallies_by_id.items():
        tally.name = names[source_id]
    return _ranked(tallies_by_id.values())


def _tally_state(tallies: dict[str, SourceTally], state: ClaimState) -> None:
    source = state.claim.source
    if source is None:
        return
    tally = tallies.setdefault(source, SourceTally(source, Counter()))
    tally.counts[state.status] += 1
    tally.overdue += state.overdue
    outcome = _outcome(state.status)
    if outcome is not None and state.claim.likelihood is not None:
        tally.brier_sum += (state.claim.likelihood - outcome) ** 2
        tally.brier_n += 1


def _all_states(session: Session, as_of: date):
    from tracker.views import claim_query

    return state_batches(session, claim_query().where(Claim.said_on <= as_of), as_of, replay=True)
