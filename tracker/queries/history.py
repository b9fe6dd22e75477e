"""A claim's history as read back: the event log, and status replayed from it in SQL.

The ledger (tracker.ledger.ledger) writes history; this module reads it. The replay
order is (effective_on, recorded_at, evidence before a resolution at the same
instant, uid): every part of it is copied with the rows, so a claim replays to
the same status in every database it is copied to.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Row, exists, select
from sqlalchemy.orm import Session, aliased

from tracker.clock import day_start_utc
from tracker.db.models import Claim, ClaimEvent, Evidence
from tracker.rules.status import Ordered, Outcome, Step, replay

# An event, its claim's uid, its evidence's uid (None: it names no evidence), and its
# claim's handle.
EventRow = Row[ClaimEvent, str, str | None, str]


def adding_event() -> tuple[type[ClaimEvent], ColumnElement[bool]]:
    """Each piece of evidence's `evidence_added` event, to outer-join: the alias and its
    condition. What the evidence said actually happened is kept on that event."""
    added = aliased(ClaimEvent)
    return added, (added.evidence_id == Evidence.id) & (added.event == "evidence_added")


def retracted_ids(session: Session, claim_id: int) -> set[int]:
    query = select(ClaimEvent.evidence_id).where(
        ClaimEvent.claim_id == claim_id, ClaimEvent.event == "evidence_retracted"
    )
    return set(session.scalars(query))


def outcomes_as_of(
    session: Session, claim_ids: list[int], as_of: date | None
) -> dict[int, Outcome]:
    """Where each claim stood on `as_of`, or now (claims with nothing yet are not in the map)."""
    retraction = aliased(ClaimEvent)
    added, adding = adding_event()
    evidence_query = select(
        Evidence.claim_id, Evidence.observed_on, Evidence.recorded_at, Evidence.uid,
        Evidence.stance, added.actual,
    ).outerjoin(added, adding).where(
        Evidence.claim_id.in_(claim_ids),
        ~exists().where(
            retraction.event == "evidence_retracted", retraction.evidence_id == Evidence.id
        ),
    )  # fmt: skip
    cancel = aliased(ClaimEvent)  # a resolution retracted counts at no date, as evidence
    resolution_query = select(
        ClaimEvent.claim_id, ClaimEvent.effective_on, ClaimEvent.recorded_at, ClaimEvent.uid,
        ClaimEvent.resolved_as, ClaimEvent.to_status, ClaimEvent.actual,
    ).where(
        ClaimEvent.claim_id.in_(claim_ids), ClaimEvent.event == "resolved",
        ~exists().where(
            cancel.event == "resolution_retracted", cancel.undoes == ClaimEvent.uid
        ),
    )  # fmt: skip
    if as_of is not None:
        evidence_query = evidence_query.where(Evidence.observed_on <= as_of)
        resolution_query = resolution_query.where(ClaimEvent.effective_on <= as_of)
    rows: dict[int, list[Ordered]] = {}
    for claim_id, on, at, uid, stance, actual in session.execute(evidence_query):
        step = Step(on, stance=stance, actual=actual)
        rows.setdefault(claim_id, []).append(Ordered(on, at, 0, uid, None, step))
    for claim_id, on, at, uid, resolved_as, to_status, actual in session.execute(resolution_query):
        # resolved_as is NULL in rows from before it existed
        step = Step(on, resolved_as=resolved_as or to_status, actual=actual)
        rows.setdefault(claim_id, []).append(Ordered(on, at, 1, uid, None, step))
    return {
        claim_id: replay(item.step for item in sorted(items)) for claim_id, items in rows.items()
    }


def replay_claim(session: Session, claim_id: int, *, as_of: date | None = None) -> Outcome:
    return outcomes_as_of(session, [claim_id], as_of).get(claim_id, Outcome("pending", None))


def events(
    session: Session,
    *,
    claim_id: int | None = None,
    since: date | None = None,
    limit: int | None = None,
    oldest_first: bool = False,
) -> list[EventRow]:
    """Events with their claim's and evidence's uids: rows of (event, claim_uid, evidence_uid)."""
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
    # The order they were recorded in: after a merge, an event copied from another
    # database has a newer id here than a later event recorded here.
    if oldest_first:
        query = query.order_by(ClaimEvent.recorded_at, ClaimEvent.id)
    else:
        query = query.order_by(ClaimEvent.recorded_at.desc(), ClaimEvent.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query))
