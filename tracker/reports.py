"""The status report and the source track records (SPEC.md sections 6 and 8).

Today's report aggregates the stored statuses in SQL, on indexes. A report
`as_of` an earlier date replays every claim said by then (in batches), since
stored statuses only describe today.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, exists, func, select, true
from sqlalchemy.orm import Session, aliased

from tracker.claims import ClaimState, states_as_of
from tracker.models import Claim, ClaimEvent, Evidence, Source
from tracker.shapes import state_shape
from tracker.status import STATUSES

RECENT_DAYS = 30  # "recently resolved": within the 30 days up to the reference date
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
        for state in _all_states(session, as_of):
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
    tallies_by_id: dict[int, SourceTally] = {}
    for source_id, status, count, overdue, brier_sum, brier_n in session.execute(query):
        tally = tallies_by_id.setdefault(source_id, SourceTally("", Counter()))
        tally.counts[status] += count
        if status == "pending":
            tally.overdue += overdue or 0
        tally.brier_sum += float(brier_sum or 0)
        tally.brier_n += brier_n
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
    tally = tallies.setdefault(source.name, SourceTally(source.name, Counter()))
    tally.counts[state.status] += 1
    tally.overdue += state.overdue
    outcome = _outcome(state.status)
    if outcome is not None and state.claim.likelihood is not None:
        tally.brier_sum += (state.claim.likelihood - outcome) ** 2
        tally.brier_n += 1


def _all_states(session: Session, as_of: date):
    return states_as_of(
        session, select(Claim).where(Claim.said_on <= as_of).order_by(Claim.id), as_of
    )


# -- the report ---------------------------------------------------------------------

SECTIONS = ("pending", "overdue", "disputed", "recently_resolved", "recent")


def build_report(
    session: Session, *, today: date, as_of: date | None = None, limit: int | None = 50
) -> dict[str, Any]:
    """The report's JSON shape; each claim list holds at most `limit` claims."""
    reference = as_of or today
    if as_of is None:
        totals, lists, counts = _stored_sections(session, reference, limit)
        sources = source_rows(session, today=today)
    else:
        totals, lists, counts = _replayed_sections(session, as_of, limit)
        sources = source_rows(session, today=today, as_of=as_of)
    leans = _leans(session, {s.claim.id for s in lists["pending"]}, reference)
    report: dict[str, Any] = {"as_of": reference.isoformat(), "totals": totals}
    for section in SECTIONS:
        report[section] = [_report_claim(state, leans) for state in lists[section]]
    report["sources"] = sources
    report["more"] = {s: counts[s] - len(lists[s]) for s in SECTIONS if s != "recent"}
    return report


def _report_claim(state: ClaimState, leans: dict[int, int]) -> dict[str, Any]:
    shape = state_shape(state)
    end = state.claim.expected_end
    shape["days_left"] = (end - state.reference).days if end is not None else None
    shape["lean"] = leans.get(state.claim.id, 0)
    return shape


def _recent_window(reference: date) -> tuple[date, date]:
    return reference - timedelta(days=RECENT_DAYS - 1), reference


def _stored_sections(session: Session, reference: date, limit: int | None):
    by_status = dict(
        session.execute(select(Claim.status, func.count()).group_by(Claim.status)).all()
    )
    totals = {status: by_status.get(status, 0) for status in STATUSES}
    pending = Claim.status == "pending"
    overdue = and_(pending, Claim.expected_end < reference)
    start, end = _recent_window(reference)
    recently = and_(
        Claim.status.in_(("confirmed", "refuted")), Claim.resolved_on.between(start, end)
    )
    # Each section is one or more (condition, order) parts, read in turn until
    # `limit` claims are found; each part can walk an index in its order.
    sections = {
        "pending": [
            (and_(pending, Claim.expected_end.is_not(None)), (Claim.expected_end, Claim.id)),
            (and_(pending, Claim.expected_end.is_(None)), (Claim.id,)),  # no window: last
        ],
        "overdue": [(overdue, (Claim.expected_end, Claim.id))],
        "disputed": [(Claim.status == "disputed", (Claim.id,))],
        "recently_resolved": [(recently, (Claim.resolved_on.desc(), Claim.id))],
        "recent": [(true(), (Claim.said_on.desc(), Claim.id.desc()))],
    }
    lists: dict[str, list[ClaimState]] = {}
    counts: dict[str, int] = {}
    for section, parts in sections.items():
        found: list[Claim] = []
        for condition, order in parts:
            query = select(Claim).where(condition).order_by(*order)
            if limit is not None:
                if len(found) >= limit:
                    break
                query = query.limit(limit - len(found))
            found += session.scalars(query).unique()
        lists[section] = [ClaimState(c, c.status, c.resolved_on, reference) for c in found]
        if section in ("pending", "disputed"):
            counts[section] = totals[section]
        elif section == "recent":
            counts[section] = sum(totals.values())
        else:
            condition = parts[0][0]
            counts[section] = session.scalar(
                select(func.count()).select_from(Claim).where(condition)
            )
    totals["overdue"] = counts["overdue"]
    return totals, lists, counts


class _Smallest:
    """The `limit` smallest states by `key`, seen one at a time in bounded memory."""

    def __init__(self, key, limit: int | None):
        self.key, self.limit = key, limit
        self.items: list[ClaimState] = []
        self.count = 0

    def add(self, state: ClaimState) -> None:
        self.count += 1
        self.items.append(state)
        if self.limit is not None and len(self.items) > 2 * self.limit + 100:
            self.items = self.result()

    def result(self) -> list[ClaimState]:
        return sorted(self.items, key=self.key)[: self.limit]


def _replayed_sections(session: Session, as_of: date, limit: int | None):
    start, end = _recent_window(as_of)
    sections = {
        "pending": (
            lambda s: s.status == "pending",
            lambda s: (s.claim.expected_end is None, s.claim.expected_end or as_of, s.claim.id),
        ),
        "overdue": (lambda s: s.overdue, lambda s: (s.claim.expected_end, s.claim.id)),
        "disputed": (lambda s: s.status == "disputed", lambda s: s.claim.id),
        "recently_resolved": (
            lambda s: s.resolved_on is not None and start <= s.resolved_on <= end,
            lambda s: (-s.resolved_on.toordinal(), s.claim.id),
        ),
        "recent": (lambda s: True, lambda s: (-s.claim.said_on.toordinal(), -s.claim.id)),
    }
    kept = {name: _Smallest(key, limit) for name, (_, key) in sections.items()}
    totals: Counter = Counter()
    for state in _all_states(session, as_of):
        totals[state.status] += 1
        for name, (belongs, _) in sections.items():
            if belongs(state):
                kept[name].add(state)
    lists = {name: top.result() for name, top in kept.items()}
    counts = {name: top.count for name, top in kept.items()}
    return {**{s: totals[s] for s in STATUSES}, "overdue": counts["overdue"]}, lists, counts


def _leans(session: Session, claim_ids: set[int], reference: date) -> dict[int, int]:
    """Evidence lean per claim: supports minus contradicts, retracted evidence left out."""
    if not claim_ids:
        return {}
    retraction = aliased(ClaimEvent)
    retracted = exists().where(
        retraction.evidence_id == Evidence.id, retraction.event == "evidence_retracted"
    )
    lean = func.sum(
        case((Evidence.stance == "supports", 1), (Evidence.stance == "contradicts", -1), else_=0)
    )
    query = (
        select(Evidence.claim_id, lean)
        .where(
            Evidence.claim_id.in_(claim_ids),
            Evidence.observed_on <= reference,
            ~retracted,
        )
        .group_by(Evidence.claim_id)
    )
    return {claim_id: int(value or 0) for claim_id, value in session.execute(query)}
