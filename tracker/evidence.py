"""Everything that moves a claim's status, as the commands give it: evidence,
resolutions, retractions.

Each reads its options, then asks the ledger (tracker.ledger) for the change:
the ledger locks the claim, records what happened and stores the replayed
status, so the two never differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.claims import claim_id, read_date
from tracker.drafts import Change, EvidenceDraft
from tracker.errors import EvidenceNotFound, InvalidInput
from tracker.kinds import TIERS
from tracker.ledger import Ledger
from tracker.models import MAX_ID, Evidence
from tracker.status import CONCLUSIVE, STANCES, STATUSES
from tracker.text import MAX_TEXT, clean, clean_optional, one_of


@dataclass
class NewEvidence:
    stance: str
    source: str | None = None
    url: str | None = None
    on: str | None = None
    note: str | None = None
    tier: str | None = None
    actual: str | None = None  # what actually happened (a conclusive stance only)


def checked_tier(tier: str | None, stance: str) -> str | None:
    """A tier word; `repeat` only for a lean: passing a claim on never settles it."""
    tier = one_of(tier, TIERS, "tier") if tier is not None else None
    if tier == "repeat" and stance in CONCLUSIVE:
        raise InvalidInput(
            "repeat-tier evidence only passes a claim on: it cannot confirm or refute it "
            "(give it as supports or contradicts)"
        )
    return tier


def checked_actual(actual: str | None, decides: bool) -> str | None:
    """What actually happened: said by a step that decides the claim, never by a mere lean."""
    actual = clean_optional(actual, "actual", limit=MAX_TEXT)
    if actual is not None and not decides:
        raise InvalidInput(
            "what actually happened is said by a step that decides the claim: confirms or "
            "refutes evidence, or a resolution as confirmed or refuted"
        )
    return actual


def add_evidence(
    session: Session, ref: str, new: NewEvidence, *, actor: str, today: date
) -> Change:
    draft = EvidenceDraft(
        stance=one_of(new.stance, STANCES, "stance"),
        on=read_date(new.on, today, past=True) if new.on is not None else today,
        source=new.source,
        url=clean_optional(new.url, "evidence URL", limit=MAX_TEXT),
        note=clean_optional(new.note, "note", limit=MAX_TEXT),
        tier=checked_tier(new.tier, new.stance),
    )
    draft.actual = checked_actual(new.actual, draft.stance in CONCLUSIVE)
    ledger = Ledger(session, actor=actor, today=today)
    change = ledger.add_evidence(ledger.book(claim_id(session, ref)), draft)
    ledger.flush()
    return change


def resolve(
    session: Session,
    ref: str,
    status: str,
    *,
    reason: str,
    on: str | None,
    actor: str,
    today: date,
    actual: str | None = None,
) -> Change:
    """Set a status by hand; it takes its place in the replay at its `on` date."""
    status = one_of(status, STATUSES, "status")
    reason = clean(reason, "reason", limit=MAX_TEXT)
    actual = checked_actual(actual, decides=status in ("confirmed", "refuted"))
    effective_on = read_date(on, today, past=True) if on is not None else today
    ledger = Ledger(session, actor=actor, today=today)
    book = ledger.book(claim_id(session, ref))
    change = ledger.resolve(book, status, effective_on, reason, actual=actual)
    ledger.flush()
    return change


def retract(session: Session, evidence_id: int, *, reason: str, actor: str, today: date) -> Change:
    """Withdraw evidence: it stops counting at every date, and status is replayed."""
    reason = clean(reason, "reason", limit=MAX_TEXT)
    owner = None
    if 0 < evidence_id <= MAX_ID:
        owner = session.scalar(select(Evidence.claim_id).where(Evidence.id == evidence_id))
    if owner is None:
        raise EvidenceNotFound(f"no evidence with id {evidence_id}; `tracker show CLAIM` lists it")
    ledger = Ledger(session, actor=actor, today=today)
    change = ledger.retract(ledger.book(owner), evidence_id, reason)
    ledger.flush()
    return change
