"""A claim's history: recording events, reading the log, and replaying status from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from tracker.clock import utcnow
from tracker.models import Claim, ClaimEvent, Evidence
from tracker.status import Outcome, Step, replay


def record(
    session: Session,
    claim: Claim,
    kind: str,
    *,
    from_status: str | None,
    effective_on: date,
    actor: str,
    reason: str | None = None,
    evidence_id: int | None = None,
    resolved_as: str | None = None,
    changes: dict[str, Any] | None = None,
    recorded_at: datetime | None = None,
) -> ClaimEvent:
    """Append one event; its to_status is the claim's status now."""
    event = ClaimEvent(
        claim_id=claim.id,
        event=kind,
        from_status=from_status,
        to_status=claim.status,
        evidence_id=evidence_id,
        resolved_as=resolved_as,
        effective_on=effective_on,
        recorded_at=recorded_at or utcnow(),
        actor=actor,
        reason=reason,
        changes=changes,
    )
    session.add(event)
    session.flush()
    return event


def retracted_ids(session: Session, claim_id: int) -> set[int]:
    query = select(ClaimEvent.evidence_id).where(
        ClaimEvent.claim_id == claim_id, ClaimEvent.event == "evidence_retracted"
    )
    return set(session.scalars(query))


@dataclass(frozen=True, order=True)
class Ordered:
    # The replay order: world date, then entry time; evidence before a
    # resolution entered at the same instant; then entry order.
    effective_on: date
    recorded_at: datetime
    rank: int
    id: int
    step: Step


def steps_of(
    session: Session,
    claim_id: int,
    *,
    as_of: date | None = None,
    extra: list[Ordered] | None = None,
    exclude_evidence: int | None = None,
) -> list[Step]:
    """The claim's non-retracted evidence and resolutions, in replay order."""
    rows = _step_rows(session, [claim_id], as_of=as_of, exclude_evidence=exclude_evidence)
    ordered = rows.get(claim_id, []) + (extra or [])
    return [item.step for item in sorted(ordered)]


def outcomes_as_of(
    session: Session, claim_ids: list[int], as_of: date | None
) -> dict[int, Outcome]:
    """Where each claim stood on `as_of`, or now (claims with nothing yet are not in the map)."""
    rows = _step_rows(session, claim_ids, as_of=as_of)
    return {
        claim_id: replay(item.step for item in sorted(items)) for claim_id, items in rows.items()
    }


def _step_rows(
    session: Session,
    claim_ids: list[int],
    *,
    as_of: date | None,
    exclude_evidence: int | None = None,
) -> dict[int, list[Ordered]]:
    retraction = aliased(ClaimEvent)
    evidence_query = select(
        Evidence.claim_id, Evidence.observed_on, Evidence.recorded_at, Evidence.id, Evidence.stance
    ).where(
        Evidence.claim_id.in_(claim_ids),
        ~exists().where(
            retraction.event == "evidence_retracted", retraction.evidence_id == Evidence.id
        ),
    )
    resolution_query = select(
        ClaimEvent.claim_id,
        ClaimEvent.effective_on,
        ClaimEvent.recorded_at,
        ClaimEvent.id,
        ClaimEvent.resolved_as,
    ).where(ClaimEvent.claim_id.in_(claim_ids), ClaimEvent.event == "resolved")
    if exclude_evidence is not None:
        evidence_query = evidence_query.where(Evidence.id != exclude_evidence)
    if as_of is not None:
        evidence_query = evidence_query.where(Evidence.observed_on <= as_of)
        resolution_query = resolution_query.where(ClaimEvent.effective_on <= as_of)
    rows: dict[int, list[Ordered]] = {}
    for claim_id, on, at, id_, stance in session.execute(evidence_query):
        rows.setdefault(claim_id, []).append(Ordered(on, at, 0, id_, Step(on, stance=stance)))
    for claim_id, on, at, id_, status in session.execute(resolution_query):
        step = Step(on, resolved_as=status)
        rows.setdefault(claim_id, []).append(Ordered(on, at, 1, id_, step))
    return rows


def pending_resolution(effective_on: date, recorded_at: datetime, status: str) -> Ordered:
    """A resolution about to be recorded, to replay before its event exists."""
    # It sorts after every stored entry made at the same instant.
    return Ordered(effective_on, recorded_at, 1, 2**62, Step(effective_on, resolved_as=status))


def replay_claim(session: Session, claim_id: int, **kwargs) -> Outcome:
    return replay(steps_of(session, claim_id, **kwargs))


def events(
    session: Session,
    *,
    claim_id: int | None = None,
    since: date | None = None,
    limit: int | None = None,
    oldest_first: bool = False,
) -> list[ClaimEvent]:
    query = select(ClaimEvent)
    if claim_id is not None:
        query = query.where(ClaimEvent.claim_id == claim_id)
    if since is not None:  # the start of that local day, in UTC like recorded_at
        start = datetime.combine(since, time.min).astimezone(UTC).replace(tzinfo=None)
        query = query.where(ClaimEvent.recorded_at >= start)
    query = query.order_by(ClaimEvent.id if oldest_first else ClaimEvent.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))
