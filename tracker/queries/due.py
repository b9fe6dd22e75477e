"""Reminders (`tracker due`): the pending claims whose expected window has ended, and
those whose window ends within a horizon, read through `list`'s own filters (its
`overdue` and `due_within` rules), so a reminder and a list never disagree."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from tracker.queries.listing import ClaimFilter, ClaimState, list_claims
from tracker.queries.shapes import state_shape
from tracker.rules.identity import handle


def due_report(
    session: Session, today: date, days: int, where: ClaimFilter | None = None
) -> dict[str, Any]:
    """`{as_of, within_days, until, overdue: [claims], due: [claims]}`, each list in order
    of the window's end (the longest overdue first, then the soonest due); each claim
    with its `handle` and `days_left` (negative when overdue). `where` narrows both lists
    (subject, source, tags)."""
    where = where or ClaimFilter()
    overdue = list_claims(session, _narrowed(where, overdue=True), today=today)
    due = list_claims(session, _narrowed(where, due_within=days), today=today)
    return {
        "as_of": today.isoformat(),
        "within_days": days,
        "until": (today + timedelta(days=days)).isoformat(),
        "overdue": [_due_shape(state) for state in overdue],
        "due": [_due_shape(state) for state in due],
    }


def _narrowed(where: ClaimFilter, **rule: Any) -> ClaimFilter:
    return ClaimFilter(
        subject=where.subject, source=where.source, tags=where.tags, sort="due", **rule
    )


def _due_shape(state: ClaimState) -> dict[str, Any]:
    shape = state_shape(state)
    shape.setdefault("handle", handle(state.claim.uid))
    end = state.claim.expected_end
    shape["days_left"] = (end - state.reference).days if end is not None else None
    return shape
