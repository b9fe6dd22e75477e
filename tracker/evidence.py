"""Everything that moves a claim's status: evidence, resolutions, retractions.

Each change locks the claim, records what happened, and sets the stored status
to the replay of the claim's history (tracker.status), so the two never differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.claims import get_claim, read_date
from tracker.clock import utcnow
from tracker.errors import EvidenceNotFound, InvalidInput, InvalidTransition
from tracker.history import pending_resolution, record, replay_claim, retracted_ids
from tracker.models import MAX_ID, Claim, ClaimEvent, Evidence
from tracker.provenance import source_named
from tracker.status import STANCES, STATUSES
from tracker.text import MAX_TEXT, clean, clean_optional


@dataclass
class Change:
    """What a status-changing command did, for the one line it prints."""

    claim: Claim
    from_status: str
    event: ClaimEvent
    evidence: Evidence | None = None


@dataclass
class NewEvidence:
    stance: str
    source: str | None = None
    url: str | None = None
    on: str | None = None
    note: str | None = None
    recorded_at: datetime | None = None  # when it was entered; an import keeps the original


def add_evidence(
    session: Session, ref: str, new: NewEvidence, *, actor: str, today: date
) -> Change:
    stance = new.stance.strip().lower()
    if stance not in STANCES:
        raise InvalidInput(f"unknown stance {new.stance!r}; use one of: {', '.join(STANCES)}")
    observed_on = read_date(new.on, today, past=True) if new.on is not None else today
    url = clean_optional(new.url, "evidence URL", limit=MAX_TEXT)
    note = clean_optional(new.note, "note", limit=MAX_TEXT)
    claim = get_claim(session, ref, lock=True)
    if observed_on < claim.said_on:
        raise InvalidInput(
            f"evidence observed on {observed_on} predates claim {claim.id}, said on {claim.said_on}"
        )
    evidence = Evidence(
        claim_id=claim.id,
        stance=stance,
        source=source_named(session, new.source) if new.source is not None else None,
        url=url,
        observed_on=observed_on,
        note=note,
        recorded_at=new.recorded_at or utcnow(),
        recorded_by=actor,
    )
    session.add(evidence)
    session.flush()
    old = _apply(session, claim)
    event = record(
        session,
        claim,
        "evidence_added",
        from_status=old,
        effective_on=observed_on,
        actor=actor,
        evidence_id=evidence.id,
        recorded_at=evidence.recorded_at,
    )
    return Change(claim, old, event, evidence)


def resolve(
    session: Session,
    ref: str,
    status: str,
    *,
    reason: str,
    on: str | None,
    actor: str,
    today: date,
    recorded_at: datetime | None = None,
) -> Change:
    """Set a status by hand; it takes its place in the replay at its `on` date."""
    status = status.strip().lower()
    if status not in STATUSES:
        raise InvalidInput(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
    reason = clean(reason, "reason", limit=MAX_TEXT)
    effective_on = read_date(on, today, past=True) if on is not None else today
    claim = get_claim(session, ref, lock=True)
    if effective_on < claim.said_on:
        raise InvalidInput(
            f"resolution on {effective_on} predates claim {claim.id}, said on {claim.said_on}"
        )
    now = recorded_at or utcnow()
    old = _apply(session, claim, extra=[pending_resolution(effective_on, now, status)])
    event = record(
        session,
        claim,
        "resolved",
        from_status=old,
        effective_on=effective_on,
        actor=actor,
        reason=reason,
        resolved_as=status,
        recorded_at=now,
    )
    return Change(claim, old, event)


def retract(session: Session, evidence_id: int, *, reason: str, actor: str, today: date) -> Change:
    """Withdraw evidence: it stops counting at every date, and status is replayed."""
    reason = clean(reason, "reason", limit=MAX_TEXT)
    evidence = session.get(Evidence, evidence_id) if 0 < evidence_id <= MAX_ID else None
    if evidence is None:
        raise EvidenceNotFound(f"no evidence with id {evidence_id}; `tracker show CLAIM` lists it")
    claim = get_claim(session, str(evidence.claim_id), lock=True)
    if evidence.id in retracted_ids(session, claim.id):
        raise InvalidTransition(f"evidence {evidence.id} is already retracted")
    old = _apply(session, claim, exclude_evidence=evidence.id)
    event = record(
        session,
        claim,
        "evidence_retracted",
        from_status=old,
        effective_on=today,
        actor=actor,
        reason=reason,
        evidence_id=evidence.id,
    )
    return Change(claim, old, event, evidence)


def _apply(session: Session, claim: Claim, **replay_args) -> str:
    """Store the replayed status on the claim; returns the status it had."""
    old = claim.status
    outcome = replay_claim(session, claim.id, **replay_args)
    claim.status, claim.resolved_on = outcome.status, outcome.resolved_on
    claim.updated_at = utcnow()
    session.flush()
    return old


def select_evidence(claim_id: int):
    return select(Evidence).where(Evidence.claim_id == claim_id).order_by(Evidence.id)
