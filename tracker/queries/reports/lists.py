"""The report's claim lists: which claims each holds, in which order, read a batch at a time.

A list is read in parts, each a claim condition and an order of claim columns (the
last one unique), and kept by a test of the claim's state (its replayed state, as of
an earlier date); parts are read in turn until the list is full. Every order is an
index's, so each batch is an index range (keyset pagination).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from tracker.db.models import Claim, ClaimEvent, Evidence
from tracker.queries.listing import ClaimState, state_batches
from tracker.queries.reports.entries import report_claims
from tracker.queries.reports.request import ReportRequest
from tracker.queries.views import BATCH, claim_query

SECTIONS = ("pending", "overdue", "disputed", "recently_resolved", "recent")

Order = tuple[InstrumentedAttribute[Any], ...]


class Part(NamedTuple):
    condition: ColumnElement[bool]
    order: Order  # empty: no order the database can give (see `_state_batches`)
    descending: bool
    keep: Callable[[ClaimState], bool]


def section_parts(section: str, request: ReportRequest) -> list[Part]:
    """The parts of one of SECTIONS."""
    return _PARTS[section](request)


def _pending(request: ReportRequest) -> list[Part]:
    is_pending = _status_is("pending")
    stored = Claim.status == "pending" if request.as_of is None else true()
    return [
        Part(and_(stored, Claim.expected_end.is_not(None)), (Claim.expected_end, Claim.id),
             False, is_pending),
        Part(and_(stored, Claim.expected_end.is_(None)), (Claim.id,), False, is_pending),
    ]  # fmt: skip


def _overdue(request: ReportRequest) -> list[Part]:
    stored = Claim.status == "pending" if request.as_of is None else true()
    condition = and_(stored, Claim.expected_end < request.reference)
    return [Part(condition, (Claim.expected_end, Claim.id), False, lambda state: state.overdue)]


def _disputed(request: ReportRequest) -> list[Part]:
    stored = Claim.status == "disputed" if request.as_of is None else true()
    return [Part(stored, (Claim.id,), False, _status_is("disputed"))]


def _recently_resolved(request: ReportRequest) -> list[Part]:
    start, end = request.window

    def resolved_lately(state: ClaimState) -> bool:
        return state.resolved_on is not None and start <= state.resolved_on <= end

    if request.as_of is None:
        condition = and_(Claim.status.in_(("confirmed", "refuted")),
                         Claim.resolved_on.between(start, end))  # fmt: skip
        return [Part(condition, (Claim.resolved_on, Claim.id), True, resolved_lately)]
    # As of an earlier date the stored resolved_on says nothing: the candidates are the
    # claims with a step in the window, ordered after their replay (few, in a window).
    return [Part(_stepped_between(start, end), (), True, resolved_lately)]


def _recent(request: ReportRequest) -> list[Part]:
    start, end = request.window
    return [Part(Claim.said_on.between(start, end), (Claim.said_on, Claim.id), True, _any)]


_PARTS: dict[str, Callable[[ReportRequest], list[Part]]] = {
    "pending": _pending,
    "overdue": _overdue,
    "disputed": _disputed,
    "recently_resolved": _recently_resolved,
    "recent": _recent,
}


def _status_is(status: str) -> Callable[[ClaimState], bool]:
    return lambda state: state.status == status


def _any(state: ClaimState) -> bool:
    return True


def _stepped_between(start: date, end: date) -> ColumnElement[bool]:
    evidence = select(Evidence.claim_id).where(Evidence.observed_on.between(start, end))
    resolved = select(ClaimEvent.claim_id).where(
        ClaimEvent.event == "resolved", ClaimEvent.effective_on.between(start, end)
    )
    return or_(Claim.id.in_(evidence), Claim.id.in_(resolved))


def listed(session: Session, request: ReportRequest, parts: list[Part]) -> Iterator[dict[str, Any]]:
    """The list's claims as report shapes, at most `limit`, read a batch at a time."""
    left, aside = request.limit, request.aside
    for condition, order, descending, keep in parts:
        if left is not None and left <= 0:
            return
        # Today each claim read is kept (the duplicates aside), so a list of 50 reads 50:
        # a first batch of 2,000 took most of a report's time. As of an earlier date
        # the replay keeps some of each batch: whole batches.
        size = BATCH
        if left is not None and request.as_of is None:
            size = min(BATCH, left + len(aside))
        for batch in _state_batches(session, request, condition, order, descending, size):
            kept = [state for state in batch if keep(state) and state.claim.id not in aside]
            if left is not None:
                kept, left = kept[:left], left - len(kept[:left])
            yield from report_claims(session, request, kept)
            if left is not None and left <= 0:
                return


def _state_batches(
    session: Session,
    request: ReportRequest,
    condition: ColumnElement[bool],
    order: Order,
    descending: bool,
    size: int,
) -> Iterator[list[ClaimState]]:
    as_of, replay = request.reference, request.as_of is not None
    query: Select[*tuple[Any, ...]] = claim_query().where(condition)
    if replay:
        query = query.where(Claim.said_on <= as_of)
    if order:
        yield from state_batches(
            session, query, as_of, replay=replay, order=order, descending=descending, size=size
        )
        return
    # No order the database can give (resolved_on as of an earlier date): sort the
    # replayed states, which the condition keeps few.
    states = [s for batch in state_batches(session, query, as_of, replay=replay) for s in batch]
    states.sort(key=lambda s: (s.resolved_on or date.min, s.claim.id), reverse=descending)
    for start in range(0, len(states), BATCH):
        yield states[start : start + BATCH]
