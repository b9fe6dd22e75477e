"""A claim's history as read back: the event log.

The ledger (tracker.ledger.ledger) writes history, and with it each claim's status over
time (status_span, which reads as of a day use: tracker.queries.timeline); this module
reads the events. Nothing here replays them: the replay lives with the ledger's books
(tracker.ledger.books) and `tracker db check` (tracker.ledger.integrity).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, Row, select
from sqlalchemy.orm import Session, aliased

from tracker.clock import day_start_utc
from tracker.db.models import Claim, ClaimEvent, Evidence
from tracker.queries.timeline import Timeline

# An event, its claim's uid, its evidence's uid (None: it names no evidence), and its
# claim's handle.
EventRow = Row[ClaimEvent, str, str | None, str]


def adding_event() -> tuple[type[ClaimEvent], ColumnElement[bool]]:
    """Each piece of evidence's `evidence_added` event, to outer-join: the alias and its
    condition. What the evidence said actually happened is kept on that event."""
    added = aliased(ClaimEvent)
    return added, (added.evidence_id == Evidence.id) & (added.event == "evidence_added")


def retracted_ids(session: Session, claim_id: int, known_by: datetime | None = None) -> set[int]:
    """The claim's retracted evidence (retracted before `known_by`, if given)."""
    query = select(ClaimEvent.evidence_id).where(
        ClaimEvent.claim_id == claim_id, ClaimEvent.event == "evidence_retracted"
    )
    if known_by is not None:
        query = query.where(ClaimEvent.recorded_at < known_by)
    return set(session.scalars(query))


def events(
    session: Session,
    *,
    claim_id: int | None = None,
    since: date | None = None,
    limit: int | None = None,
    oldest_first: bool = False,
    timeline: Timeline | None = None,
) -> list[EventRow]:
    """Events with their claim's and evidence's uids: rows of (event, claim_uid, evidence_uid).
    On a `timeline` as of a day, the events effective by then (and recorded by its
    `known_on`)."""
    query = (
        select(
            ClaimEvent,
            Claim.uid.label("claim_uid"),
            Evidence.uid.label("evidence_uid"),
            Claim.handle.label("claim_handle"),
        )  # fmt: skip
        .join(Claim, Claim.id == ClaimEvent.claim_id)
        .outerjoin(Evidence, Evidence.id == ClaimEvent.evidence_id)
    )
    if claim_id is not None:
        query = query.where(ClaimEvent.claim_id == claim_id)
    if since is not None:
        query = query.where(ClaimEvent.recorded_at >= day_start_utc(since))
    if timeline is not None and timeline.replayed:
        query = query.where(ClaimEvent.effective_on <= timeline.reference)
        recorded = timeline.recorded(ClaimEvent.recorded_at)
        if recorded is not None:
            query = query.where(recorded)
    # The order things were recorded in: an event merged from another database keeps its
    # time there but takes a new (higher) id here, so ids alone put an older change on top.
    order = (ClaimEvent.recorded_at, ClaimEvent.id)
    query = query.order_by(*(order if oldest_first else (c.desc() for c in order)))
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query))
