"""What changed since a date (`--since`): new claims, status changes, the newly overdue,
and how much evidence was added, from the history's recorded_at times."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, func, select
from sqlalchemy.orm import Session

from tracker.clock import day_start_utc
from tracker.db.models import Claim, ClaimEvent
from tracker.queries.links import duplicates_on
from tracker.queries.listing import states_of
from tracker.queries.reports.entries import report_claims
from tracker.queries.reports.lists import Part, listed
from tracker.queries.reports.request import ReportRequest
from tracker.queries.shapes import iso_date, iso_time
from tracker.queries.views import BATCH, views_by_id


def changes(session: Session, request: ReportRequest) -> dict[str, Any]:
    """What was recorded from the start of `since` to the end of the reference day (or of
    `known_on`, if earlier)."""
    since, timeline = request.since, request.timeline
    assert since is not None
    start = day_start_utc(since)
    end = day_start_utc(request.reference + timedelta(days=1))
    if timeline.known_by is not None:
        end = min(end, timeline.known_by)
    recorded = and_(ClaimEvent.recorded_at >= start, ClaimEvent.recorded_at < end)
    # Overdue from the day after the window ends: the ones that became so since `since`.
    newly_overdue = and_(timeline.overdue(), timeline.expected_end >= since - timedelta(days=1))
    live = _live(request)

    def events(*conditions: ColumnElement[bool]) -> int:
        query = (
            select(func.count())
            .select_from(ClaimEvent)
            .join(Claim, Claim.id == ClaimEvent.claim_id)
            .where(recorded, live, *conditions)
        )
        return session.scalar(query) or 0

    overdue_count = session.scalar(timeline.select(func.count()).where(live, newly_overdue))
    evidence_added = events(ClaimEvent.event == "evidence_added")
    counts = {
        "new": events(ClaimEvent.event == "created"),
        "status_changes": events(
            ClaimEvent.from_status.is_not(None), ClaimEvent.from_status != ClaimEvent.to_status
        ),
        "newly_overdue": overdue_count or 0,
    }
    overdue_part = Part(newly_overdue, (timeline.expected_end, timeline.id), False)
    return {
        "since": since.isoformat(),
        "new": _new_claims(session, request, recorded),
        "status_changes": _status_changes(session, request, recorded),
        "newly_overdue": listed(session, request, [overdue_part]),
        "evidence_added": evidence_added or 0,
        "counts": counts,  # how many each list holds, whatever --limit listed
    }


def _event_pages(
    session: Session, query: Select[*tuple[Any, ...]], limit: int | None
) -> Iterator[Sequence[Row[*tuple[Any, ...]]]]:
    """Rows of an event query (its first column the event id), in id order, a page at a time."""
    last, left = 0, limit
    while left is None or left > 0:
        size = BATCH if left is None else min(BATCH, left)
        rows = session.execute(query.where(ClaimEvent.id > last).order_by(ClaimEvent.id)
                               .limit(size)).all()  # fmt: skip
        if not rows:
            return
        yield rows
        last = rows[-1][0]
        left = None if left is None else left - len(rows)


def _live(request: ReportRequest) -> ColumnElement[bool]:
    """The claims a report of `request` shows: not withdrawn, no duplicate, and said by its
    date."""
    live: ColumnElement[bool] = and_(Claim.withdrawn.is_(False), *request.conditions)
    if request.aside:
        live = and_(live, Claim.id.not_in(duplicates_on(request.reference)))
    return and_(live, Claim.said_on <= request.reference)


def _new_claims(
    session: Session, request: ReportRequest, recorded: ColumnElement[bool]
) -> Iterator[dict[str, Any]]:
    created = (
        select(ClaimEvent.id, ClaimEvent.claim_id)
        .join(Claim, Claim.id == ClaimEvent.claim_id)
        .where(ClaimEvent.event == "created", recorded, _live(request))
    )
    for rows in _event_pages(session, created, request.limit):
        views = views_by_id(session, [claim_id for _, claim_id in rows], request.timeline)
        states = states_of([views[i] for _, i in rows if i in views], request.reference)
        yield from report_claims(session, request, states)


def _status_changes(
    session: Session, request: ReportRequest, recorded: ColumnElement[bool]
) -> Iterator[dict[str, Any]]:
    query = (
        select(ClaimEvent.id, ClaimEvent.claim_id, Claim.key, Claim.text, ClaimEvent.from_status,
               ClaimEvent.to_status, ClaimEvent.effective_on, ClaimEvent.recorded_at)
        .join(Claim, Claim.id == ClaimEvent.claim_id)
        .where(recorded, ClaimEvent.from_status.is_not(None), _live(request),
               ClaimEvent.from_status != ClaimEvent.to_status)
    )  # fmt: skip
    for rows in _event_pages(session, query, request.limit):
        for row in rows:
            yield {
                "claim_id": row.claim_id,
                "key": row.key,
                "text": row.text,
                "from_status": row.from_status,
                "to_status": row.to_status,
                "effective_on": iso_date(row.effective_on),
                "recorded_at": iso_time(row.recorded_at),
            }
