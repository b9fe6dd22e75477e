"""The report's totals, and how many claims each list holds (whatever the limit lists)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from tracker.db.models import Claim
from tracker.queries.links import set_aside
from tracker.queries.reports.request import ReportRequest
from tracker.queries.sources import SourceTally
from tracker.rules.status import DECIDED, STATUSES

# (totals by status, and overdue; claims per list, by section name)
Counts = tuple[dict[str, int], dict[str, int]]


def report_counts(
    session: Session, request: ReportRequest, tallies: dict[int | None, SourceTally]
) -> Counts:
    """Totals and list sizes, today or then. Totals by status and overdue are the sums of
    the track records' `tallies` (tracker.queries.sources.claim_tallies, of the same
    claims); the others are aggregates their indexes cover, less the withdrawn claims and
    the duplicates (few, read through their own indexes): a condition on them would read
    every row."""
    timeline, narrowed = request.timeline, request.conditions
    reference, (start, end) = timeline.reference, request.window
    status, resolved_on = timeline.status, timeline.resolved_on
    columns = timeline.join(
        select(status.label("status"), resolved_on.label("resolved_on"), Claim.said_on)
        .select_from(Claim)
    ).where(*narrowed)  # fmt: skip
    gone = set_aside(session, columns, reference)
    by_status: Counter[str] = Counter()
    for tally in tallies.values():
        by_status.update(tally.counts)
    totals = {name: by_status[name] for name in STATUSES}

    # `gone` rows are the columns above; Any, as SQLAlchemy types a row of a Select built so.
    def count(
        state: ColumnElement[bool] | None,
        claims: ColumnElement[bool] | None,
        withdrawn: Callable[[Any], bool],
    ) -> int:
        query = timeline.count(state, *([] if claims is None else [claims]), *narrowed)
        return (session.scalar(query) or 0) - sum(map(withdrawn, gone))

    counts = {
        "pending": totals["pending"],
        "disputed": totals["disputed"],
        "overdue": sum(tally.overdue for tally in tallies.values()),
        "recently_resolved": count(
            and_(timeline.decided(), resolved_on.between(start, end)),
            None,
            lambda g: (
                g.status in DECIDED and g.resolved_on is not None and start <= g.resolved_on <= end
            ),
        ),
        "recent": count(
            None, Claim.said_on.between(start, end), lambda g: start <= g.said_on <= end
        ),
    }
    totals["overdue"] = counts["overdue"]
    return totals, counts
