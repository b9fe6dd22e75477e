"""Source track records (SPEC.md sections 6 and 16): how often each source's claims
came true, and how often the claims it only repeated did.

Today's rows are one GROUP BY over the stored statuses, on a covering index; as of
an earlier date, every claim said by then is replayed (in batches). A claim that
duplicates another counts once, as that one. Repeating a claim (`repeat`-tier
evidence) never counts as making it: it is tallied apart, as `repeated`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, literal_column, select
from sqlalchemy.orm import Session, aliased

from tracker.db.models import Claim, ClaimEvent, Evidence, Source
from tracker.queries.history import outcomes_as_of
from tracker.queries.links import duplicates_on, set_aside
from tracker.queries.listing import ClaimState, state_batches
from tracker.queries.views import claim_query
from tracker.rules.kinds import UNATTRIBUTED
from tracker.rules.status import STATUSES

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
    counts: Counter[str]  # claims by status
    overdue: int = 0
    brier_sum: float = 0.0
    brier_n: int = 0
    repeats: int = 0  # live repeat-tier evidence, whatever became of its claims
    repeated: int = 0  # ... for claims since confirmed or refuted
    repeated_right: int = 0  # ... of which the claim was confirmed

    def row(self) -> dict[str, Any]:
        confirmed, refuted = self.counts["confirmed"], self.counts["refuted"]
        decided = confirmed + refuted
        claims = sum(self.counts.values())
        return {
            "name": self.name,
            "claims": claims,
            **{status: self.counts[status] for status in STATUSES},
            "overdue": self.overdue,
            "accuracy": confirmed / decided if decided else None,
            "accuracy_low": wilson_lower_bound(confirmed, decided),
            "brier": self.brier_sum / self.brier_n if self.brier_n else None,
            "originated": claims,
            "repeated": self.repeated,
            "repeat_accuracy": self.repeated_right / self.repeated if self.repeated else None,
        }


def _ranked(tallies: Iterable[SourceTally]) -> list[dict[str, Any]]:
    """Originators first, best record first (by the Wilson lower bound, unproven sources
    last); then the sources that only repeat others' claims, by how often those came true
    (any source with repeat-tier evidence has a row, decided or not). `Unattributed` (the
    claims fact-checkers pin on no one: "Facebook posts") is no source to rank."""
    rows = [
        tally.row()
        for tally in tallies
        if (sum(tally.counts.values()) or tally.repeats) and not is_unattributed(tally.name)
    ]

    def rank(r: dict[str, Any]) -> tuple[int, bool, float, str]:
        if r["originated"]:
            return (0, r["accuracy_low"] is None, -(r["accuracy_low"] or 0), r["name"].casefold())
        return (1, r["repeat_accuracy"] is None, -(r["repeat_accuracy"] or 0),
                r["name"].casefold())  # fmt: skip

    return sorted(rows, key=rank)


def is_unattributed(name: str) -> bool:
    return name.casefold() == UNATTRIBUTED.casefold()


def _outcome(status: str) -> int | None:
    return {"confirmed": 1, "refuted": 0}.get(status)


def source_rows(
    session: Session, *, today: date, as_of: date | None = None
) -> list[dict[str, Any]]:
    """One row per source that made at least one claim (said by `as_of`), or published
    repeat-tier evidence. A claim that duplicates another then counts as that one."""

    aside = duplicates_on(as_of or today)
    if as_of is not None:
        aside_ids = set(session.scalars(aside))
        tallies: dict[str, SourceTally] = {}
        for batch in _all_states(session, as_of):
            for state in batch:
                if state.claim.id not in aside_ids:
                    _tally_state(tallies, state)
        for name, status in _repeats(session, as_of, aside):  # names of the same source rows
            _tally_repeat(tallies.setdefault(name, SourceTally(name, Counter())), status)
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
            func.count(case((Claim.expected_end < today, 1))),  # an int everywhere (not SUM)
            func.sum(case((and_(decided, Claim.likelihood.is_not(None)), squared_error), else_=0)),
            func.count(case((and_(decided, Claim.likelihood.is_not(None)), 1))),
        )
        .where(Claim.source_id.is_not(None))
        .group_by(Claim.source_id, Claim.status)
    )
    # Everything the covering index holds, less the claims set aside (few, on their own
    # indexes): a condition on them in the GROUP BY would make it read every row.
    tallies_by_id: dict[int, SourceTally] = {}
    for source_id, status, count, overdue, brier_sum, brier_n in session.execute(query):
        tally = tallies_by_id.setdefault(source_id, SourceTally("", Counter()))
        tally.counts[status] += count
        if status == "pending":
            tally.overdue += overdue
        tally.brier_sum += float(brier_sum or 0)
        tally.brier_n += brier_n
    gone = select(Claim.source_id, Claim.status, Claim.expected_end, Claim.likelihood)
    for source_id, status, end, likelihood in set_aside(session, gone, today):
        if source_id is None:
            continue
        tally = tallies_by_id[source_id]
        tally.counts[status] -= 1
        tally.overdue -= status == "pending" and end is not None and end < today
        outcome = _outcome(status)
        if outcome is not None and likelihood is not None:
            tally.brier_sum -= (likelihood - outcome) ** 2
            tally.brier_n -= 1
    for source_id, status in _repeat_ids(session, aside):
        _tally_repeat(tallies_by_id.setdefault(source_id, SourceTally("", Counter())), status)
    # .all(): dict() would take a Result for a mapping, since it has .keys().
    named = select(Source.id, Source.name).where(Source.id.in_(list(tallies_by_id)))
    names: dict[int, str] = dict(session.execute(named).all())
    for source_id, tally in tallies_by_id.items():
        tally.name = names[source_id]
    return _ranked(tallies_by_id.values())


def _tally_repeat(tally: SourceTally, status: str) -> None:
    tally.repeats += 1
    if status in ("confirmed", "refuted"):
        tally.repeated += 1
        tally.repeated_right += status == "confirmed"


def _repeat_query(aside: Select[int]) -> Select[int | None, str, int, str]:
    """Live repeat-tier evidence (few: read on their partial index) with its claim."""
    retraction = aliased(ClaimEvent)
    # Evidence keeps the source row it was recorded under: a former name, or a source since
    # merged into another, counts for the source it names now.
    query = (
        select(
            func.coalesce(Source.alias_of, Evidence.source_id).label("source_id"),
            Source.name,
            Evidence.claim_id,
            Claim.status,
        )
        .join(Claim, Claim.id == Evidence.claim_id)
        .join(Source, Source.id == Evidence.source_id)
        .where(
            Evidence.tier == literal_column("'repeat'"),  # a literal: the partial index's term
            Claim.withdrawn.is_(False),
            ~exists().where(
                retraction.evidence_id == Evidence.id, retraction.event == "evidence_retracted"
            ),
        )
    )
    return query.where(Claim.id.not_in(aside))


def _repeat_ids(session: Session, aside: Select[int]) -> list[tuple[int, str]]:
    """(source id, its claim's status) for each piece of repeat-tier evidence, today."""
    return [(row.source_id, row.status) for row in session.execute(_repeat_query(aside))]


def _repeats(session: Session, as_of: date, aside: Select[int]) -> list[tuple[str, str]]:
    """(source name, its claim's status then) for each piece of repeat-tier evidence
    published by `as_of`, on a claim said by then."""

    query = _repeat_query(aside).where(Evidence.observed_on <= as_of, Claim.said_on <= as_of)
    rows = session.execute(query).all()
    outcomes = outcomes_as_of(session, sorted({row.claim_id for row in rows}), as_of)
    return [
        (row.name, outcomes[row.claim_id].status if row.claim_id in outcomes else "pending")
        for row in rows
    ]


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


def _all_states(session: Session, as_of: date) -> Iterator[list[ClaimState]]:

    return state_batches(session, claim_query().where(Claim.said_on <= as_of), as_of, replay=True)
