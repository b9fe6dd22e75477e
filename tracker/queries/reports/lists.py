"""The report's claim lists: which claims each holds, in which order, read a batch at a time.

A list is read in parts, each a condition on the claim and its state (today's, or its
status span then: tracker.queries.timeline) and an order of columns (the last one
unique); parts are read in turn until the list is full. Every order is an index's, so
each batch is an index range (keyset pagination).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import InstrumentedAttribute, Session

from tracker.db.models import Claim
from tracker.queries.listing import ClaimState, state_batches
from tracker.queries.reports.entries import report_claims
from tracker.queries.reports.request import ReportRequest
from tracker.queries.views import BATCH, claim_query

SECTIONS = ("pending", "overdue", "disputed", "recently_resolved", "recent")

Order = tuple[InstrumentedAttribute[Any], ...]


class Part(NamedTuple):
    condition: ColumnElement[bool]
    order: Order
    descending: bool


def section_parts(section: str, request: ReportRequest) -> list[Part]:
    """The parts of one of SECTIONS."""
    return _PARTS[section](request)


def _pending(request: ReportRequest) -> list[Part]:
    timeline = request.timeline
    pending, end = timeline.status == "pending", timeline.expected_end
    return [
        Part(and_(pending, end.is_not(None)), (end, timeline.id), False),
        Part(and_(pending, end.is_(None)), (timeline.id,), False),
    ]


def _overdue(request: ReportRequest) -> list[Part]:
    timeline = request.timeline
    return [Part(timeline.overdue(), (timeline.expected_end, timeline.id), False)]


def _disputed(request: ReportRequest) -> list[Part]:
    timeline = request.timeline
    return [Part(timeline.status == "disputed", (timeline.id,), False)]


def _recently_resolved(request: ReportRequest) -> list[Part]:
    timeline, (start, end) = request.timeline, request.window
    condition = and_(timeline.decided(), timeline.resolved_on.between(start, end))
    return [Part(condition, (timeline.resolved_on, timeline.id), True)]


def _recent(request: ReportRequest) -> list[Part]:
    start, end = request.window
    return [Part(Claim.said_on.between(start, end), (Claim.said_on, Claim.id), True)]


_PARTS: dict[str, Callable[[ReportRequest], list[Part]]] = {
    "pending": _pending,
    "overdue": _overdue,
    "disputed": _disputed,
    "recently_resolved": _recently_resolved,
    "recent": _recent,
}


def listed(session: Session, request: ReportRequest, parts: list[Part]) -> Iterator[dict[str, Any]]:
    """The list's claims as report shapes, at most `limit`, read a batch at a time."""
    left, aside = request.limit, request.aside
    for condition, order, descending in parts:
        if left is not None and left <= 0:
            return
        # Each claim read is kept (the duplicates aside), so a list of 50 reads 50: a
        # first batch of 2,000 took most of a report's time.
        size = BATCH if left is None else min(BATCH, left + len(aside))
        for batch in _state_batches(session, request, condition, order, descending, size):
            kept = [state for state in batch if state.claim.id not in aside]
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
    timeline = request.timeline
    query = claim_query(timeline=timeline).where(condition, *request.conditions)
    yield from state_batches(
        session, query, timeline.reference, order=order, descending=descending, size=size
    )
