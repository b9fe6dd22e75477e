"""Everything that moves a claim's status, as the commands give it: evidence,
resolutions, retractions.

Each reads its options, then asks the ledger (tracker.ledger.ledger) for the change:
the ledger locks the claim, records what happened and stores the replayed
status, so the two never differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.models import MAX_ID, Evidence, Source
from tracker.errors import EvidenceNotFound
from tracker.ledger.drafts import Change, EvidenceDraft
from tracker.ledger.ledger import Ledger
from tracker.queries.lookup import claim_id
from tracker.rules.text import MAX_TEXT, clean, clean_optional, not_after


@dataclass
class NewEvidence:
    stance: str
    source: str | None = None
    url: str | None = None
    on: date | None = None  # default: today
    note: str | None = None
    tier: str | None = None
    actual: str | None = None  # what actually happened (a conclusive stance only)


def add_evidence(
    session: Session, ref: str, new: NewEvidence, *, actor: str, today: date
) -> Change:
    draft = EvidenceDraft(
        stance=new.stance,  # stance, tier and actual: the ledger's rules (ledger.rules)
        on=not_after(new.on, today) if new.on is not None else today,
        source=new.source,
        url=clean_optional(new.url, "evidence URL", limit=MAX_TEXT),
        note=clean_optional(new.note, "note", limit=MAX_TEXT),
        tier=new.tier,
        actual=new.actual,
    )
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
    on: date | None,
    actor: str,
    today: date,
    actual: str | None = None,
) -> Change:
    """Set a status by hand; it takes its place in the replay at its `on` date."""
    reason = clean(reason, "reason", limit=MAX_TEXT)  # status and actual: ledger.rules
    effective_on = not_after(on, today) if on is not None else today
    ledger = Ledger(session, actor=actor, today=today)
    book = ledger.book(claim_id(session, ref))
    change = ledger.resolve(book, status, effective_on, reason, actual=actual)
    ledger.flush()
    return change


def retract(
    session: Session, evidence_id: int, *, reason: str, actor: str, today: date
) -> tuple[Change, dict[str, Any]]:
    """Withdraw evidence: it stops counting at every date, and status is replayed. The
    change, and the evidence as a person recognises it (stance, source, date)."""
    reason = clean(reason, "reason", limit=MAX_TEXT)
    found = evidence_described(session, evidence_id)
    if found is None:
        raise EvidenceNotFound(f"no evidence with id {evidence_id}; `tracker show CLAIM` lists it")
    ledger = Ledger(session, actor=actor, today=today)
    change = ledger.retract(ledger.book(found["claim_id"]), evidence_id, reason)
    ledger.flush()
    return change, found


def evidence_described(session: Session, evidence_id: int) -> dict[str, Any] | None:
    """A piece of evidence's claim, stance, source and date (None: no such evidence)."""
    if not 0 < evidence_id <= MAX_ID:
        return None
    query = (
        select(Evidence.claim_id, Evidence.stance, Source.name.label("source"),
               Evidence.observed_on)
        .outerjoin(Source, Source.id == Evidence.source_id)
        .where(Evidence.id == evidence_id)
    )  # fmt: skip
    row = session.execute(query).mappings().first()
    if row is None:
        return None
    return {**row, "observed_on": row["observed_on"].isoformat()}
