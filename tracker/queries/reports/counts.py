"""The report's totals, and how many claims each list holds (whatever the limit lists)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from tracker.db.models import Claim
from tracker.queries.links import set_aside
from tracker.queries.listing import state_batches
from tracker.queries.reports.request import ReportRequest
from tracker.queries.views import claim_query
from tracker.rules.status import STATUSES

# (totals by status, and overdue; claims per list, by section name)
Counts = tuple[dict[str, int], dict[str, int]]


def stored_counts(session: Session, request: ReportRequest) -> Counts:
    """Totals and list sizes: aggregates every index covers, less the withdrawn claims and
    the duplicates (few, read through their own indexes): a condition on them would read
    every row."""
    reference, (start, end) = request.reference, request.window
    columns = select(Claim.status, Claim.expected_end, Claim.resolved_on, Claim.said_on)
    gone = set_aside(session, columns, reference)
    by_status = Counter(
        dict(session.execute(select(Claim.status, func.count()).group_by(Claim.status)).all())
    )
    by_status.subtract(row.status for row in gone)
    totals = {status: by_status[status] for status in STATUSES}

    # `gone` rows are the columns above; Any, as SQLAlchemy types a row of a Select built so.
    def count(condition: ColumnElement[bool], withdrawn: Callable[[Any], bool]) -> int:
        query = select(func.count()).select_from(Claim).where(condition)
        return (session.scalar(query) or 0) - sum(map(withdrawn, gone))

    counts = {
        "pending": totals["pending"],
        "disputed": totals["disputed"],
        "overdue": count(
            and_(Claim.status == "pending", Claim.expected_end < reference),
            lambda g: (
                g.status == "pending" and g.expected_end is not None and g.expected_end < reference
            ),
        ),
        "recently_resolved": count(
            and_(Claim.status.in_(("confirmed", "refuted")), Claim.resolved_on.between(start, end)),
            lambda g: (
                g.status in ("confirmed", "refuted")
                and g.resolved_on is not None
                and start <= g.resolved_on <= end
            ),
        ),
        "recent": count(Claim.said_on.between(start, end), lambda g: start <= g.said_on <= end),
    }
    totals["overdue"] = counts["overdue"]
    return totals, counts


def replayed_counts(session: Session, request: ReportRequest) -> Counts:
    """The same, as of an earlier date: every claim said by then, replayed."""
    as_of, (start, end) = request.reference, request.window
    statuses: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    query = claim_query().where(Claim.said_on <= as_of)
    for batch in state_batches(session, query, as_of, replay=True):
        for state in batch:
            if state.claim.id in request.aside:
                continue
            statuses[state.status] += 1
            counts[state.status] += 1
            counts["overdue"] += state.overdue
            counts["recently_resolved"] += (
                state.resolved_on is not None and start <= state.resolved_on <= end
            )
            counts["recent"] += start <= state.claim.said_on <= end
    totals = {status: statuses[status] for status in STATUSES}
    totals["overdue"] = counts["overdue"]
    return totals, counts
