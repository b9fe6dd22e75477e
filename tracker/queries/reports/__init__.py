"""The status report (design.md §9), read as it is written.

`build_report` returns the report's JSON shape with every claim list as an
iterator that reads its claims a batch at a time, in the list's order, on an
index (keyset pagination): a writer that streams them (`--format json`) holds
one batch at a time, however many claims there are. Totals and "how many
more" are aggregates in SQL. A report as of an earlier date, or as known then, runs
the same queries on the claims' status spans (tracker.queries.timeline).

The parts: what is asked (`request`), the lists (`lists`), claims in context
(`context`), totals (`counts`), what changed since a date (`changes`), and each
listed claim's shape (`entries`); the sources' table is `tracker.queries.sources`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from tracker.queries.links import duplicate_ids
from tracker.queries.reports.changes import changes
from tracker.queries.reports.context import conflicts, limited, moot
from tracker.queries.reports.counts import report_counts
from tracker.queries.reports.lists import SECTIONS, listed, section_parts
from tracker.queries.reports.request import RECENT_DAYS, ReportRequest
from tracker.queries.sources import claim_tallies, source_rows

__all__ = ["RECENT_DAYS", "SECTIONS", "ReportRequest", "build_report"]


def build_report(session: Session, request: ReportRequest) -> dict[str, Any]:
    """The report's JSON shape; its claim lists are read as they are iterated, inside
    the caller's read transaction."""
    request = replace(request, aside=frozenset(duplicate_ids(session, request.reference)))
    tallies = claim_tallies(session, request.timeline, request.conditions)
    totals, counts = report_counts(session, request, tallies)
    report: dict[str, Any] = {
        "as_of": request.reference.isoformat(),
        "days": request.days,
        "totals": totals,
    }
    if request.since is not None:
        report["changes"] = changes(session, request)
    for section in SECTIONS:
        report[section] = listed(session, request, section_parts(section, request))
        if section == "disputed":  # the other lists that need a decision follow it
            report["moot"], counts["moot"] = limited(request, moot(session, request))
            report["conflicts"], counts["conflicts"] = limited(request, conflicts(session, request))
    report["sources"] = source_rows(session, request.timeline, request.claims, tallies)
    limit = request.limit
    report["more"] = {
        s: max(counts[s] - limit, 0) if limit else 0 for s in (*SECTIONS, "moot", "conflicts")
    }
    return report
