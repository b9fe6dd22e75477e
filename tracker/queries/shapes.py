"""The JSON shapes of claims, evidence and events: built here and nowhere else.

Field names are the spec's contract (design.md §1): add, never rename.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.models import ClaimEvent, Evidence
from tracker.errors import InvalidInput
from tracker.queries.history import EventRow, events, retracted_ids
from tracker.queries.links import link_shapes
from tracker.queries.listing import ClaimState
from tracker.queries.timeline import Timeline
from tracker.queries.views import ClaimView, ids_by_uid, views_by_id
from tracker.rules.status import CONCLUSIVE, is_overdue


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def iso_time(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None


def without_nulls(values: dict[str, Any]) -> dict[str, Any]:
    """Without the fields that have no value: an exported record never says `null`."""
    return {name: value for name, value in values.items() if value is not None}


def claim_shape(
    claim: ClaimView,
    reference: date,
    *,
    status: str | None = None,
    resolved_on: date | None = None,
    actual: str | None = None,
) -> dict[str, Any]:
    """A claim as JSON. `status`, `resolved_on` and `actual` override the stored ones (for
    --as-of)."""
    if status is None:
        status, resolved_on, actual = claim.status, claim.resolved_on, claim.actual
    article = claim.article
    return {
        "id": claim.id,
        "uid": claim.uid,
        "handle": claim.handle,
        "key": claim.key,
        "text": claim.text,
        "subject": claim.subject,
        "status": status,
        "source": claim.source,
        "article": None
        if article is None
        else {**article, "published_on": iso_date(article["published_on"])},
        "said_on": iso_date(claim.said_on),
        "expected": None
        if claim.expected_text is None
        else {
            "text": claim.expected_text,
            "start": iso_date(claim.expected_start),
            "end": iso_date(claim.expected_end),
        },
        "likelihood": claim.likelihood,
        "hedge": claim.hedge,
        "tags": claim.tags,
        "overdue": is_overdue(status, claim.expected_end, reference) and not claim.withdrawn,
        "resolved_on": iso_date(resolved_on),
        "actual": actual,
        "quote": claim.quote,
        "withdrawn": claim.withdrawn,
        "created_at": iso_time(claim.created_at),
        "updated_at": iso_time(claim.updated_at),
    }


def state_shape(state: ClaimState) -> dict[str, Any]:
    """A claim as it stood on the state's reference date."""
    return claim_shape(
        state.claim,
        state.reference,
        status=state.status,
        resolved_on=state.resolved_on,
        actual=state.actual,
    )


def evidence_shape(evidence: Evidence, claim_uid: str, *, retracted: bool) -> dict[str, Any]:
    return {
        "id": evidence.id,
        "uid": evidence.uid,
        "claim_id": evidence.claim_id,
        "claim_uid": claim_uid,
        "stance": evidence.stance,
        "conclusive": evidence.stance in CONCLUSIVE,
        "source": evidence.source.name if evidence.source else None,
        "url": evidence.url,
        "observed_on": iso_date(evidence.observed_on),
        "note": evidence.note,
        "recorded_at": iso_time(evidence.recorded_at),
        "recorded_by": evidence.recorded_by,
        "tier": evidence.tier,
        "retracted": retracted,
    }


def event_shape(row: EventRow) -> dict[str, Any]:
    """An event, from a row of `tracker.queries.history.events` (the event and its uids)."""
    event: ClaimEvent = row.ClaimEvent
    shape = {
        "id": event.id,
        "uid": event.uid,
        "claim_id": event.claim_id,
        "claim_uid": row.claim_uid,
        "claim_handle": row.claim_handle,
        "event": event.event,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "evidence_id": event.evidence_id,
        "evidence_uid": row.evidence_uid,
        "effective_on": iso_date(event.effective_on),
        "recorded_at": iso_time(event.recorded_at),
        "actor": event.actor,
        "reason": event.reason,
        "db_user": event.db_user,
        "hash": event.hash,
    }
    if event.resolved_as is not None:
        shape["resolved_as"] = event.resolved_as
    if event.actual is not None:
        shape["actual"] = event.actual
    if event.changes is not None:
        shape["changes"] = event.changes
    if event.undoes is not None:
        shape["undoes"] = event.undoes
    return shape


def event_shapes(session: Session, rows: list[EventRow]) -> list[dict[str, Any]]:
    """Events as JSON; a link event also names its other claim by id (`linked_claim_id`),
    which its `changes` name by uid."""
    shapes = [event_shape(row) for row in rows]
    linked = [s for s in shapes if s["event"] in ("linked", "unlinked")]
    ids = ids_by_uid(session, {s["changes"]["claim"] for s in linked})
    for shape in linked:
        shape["linked_claim_id"] = ids.get(shape["changes"]["claim"])
    reversing = [s for s in shapes if "undoes" in s]
    if reversing:  # an event that reverses another names it by uid; text shows its id
        query = select(ClaimEvent.uid, ClaimEvent.id).where(
            ClaimEvent.uid.in_({s["undoes"] for s in reversing})
        )
        event_ids: dict[str, int] = dict(session.execute(query).all())
        for shape in reversing:
            shape["undoes_event_id"] = event_ids.get(shape["undoes"])
    return shapes


def claim_detail(session: Session, claim: ClaimView, timeline: Timeline) -> dict[str, Any]:
    """`show`: the claim with its evidence and its history, oldest first, as it stood on the
    timeline's day (and as known then)."""
    reference, known_by = timeline.reference, timeline.known_by
    then = views_by_id(session, [claim.id], timeline).get(claim.id)
    if then is None:
        if claim.said_on > reference:
            raise InvalidInput(
                f"claim {claim.id} was said on {claim.said_on}, after --as-of {reference}"
            )
        raise InvalidInput(f"claim {claim.id} was recorded after --known-on {timeline.known_on}")
    shape = claim_shape(then, reference)
    retracted = retracted_ids(session, claim.id, known_by)
    shape["evidence"] = [
        evidence_shape(item, claim.uid, retracted=item.id in retracted)
        for item in session.scalars(
            select(Evidence).where(Evidence.claim_id == claim.id).order_by(Evidence.id)
        )
        if not timeline.replayed
        or (item.observed_on <= reference and (known_by is None or item.recorded_at < known_by))
    ]
    shape["links"] = link_shapes(session, claim.id, timeline)
    shape["history"] = event_shapes(session, [
        row
        for row in events(session, claim_id=claim.id, oldest_first=True)
        if not timeline.replayed
        or (row.ClaimEvent.effective_on <= reference
            and (known_by is None or row.ClaimEvent.recorded_at < known_by))
    ])  # fmt: skip
    return shape
