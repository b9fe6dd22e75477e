"""`tracker db verify`: is the history exactly what was recorded?

Every claim's chain is recomputed from the stored rows (tracker.ledger.chain), in
insertion order, and each event's stored hash must match: a row changed by
someone who disabled the triggers, an event deleted or two swapped, breaks its
claim's chain at that event. Every piece of evidence must have the event that
added it. The digest over all chain heads, in claim-uid order, changes if a
claim is deleted whole: a team notes it and compares it later. Claims are read
in batches, so memory stays flat.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, Select, exists, select
from sqlalchemy.orm import Session, aliased

from tracker.db.models import Claim, ClaimEvent, Evidence
from tracker.ledger import chain

BATCH = 2000

# A row of `_events`: an event, and the evidence it names or added.
EventRow = Row[*tuple[Any, ...]]


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)
    claims: int = 0
    events: int = 0
    digest: str = ""


def verify(session: Session) -> Verdict:
    verdict = Verdict()
    heads = chain.Digest()  # fed as the claims come, in uid order: memory stays flat
    for claims in _claim_batches(session):
        ids = {claim_id: uid for claim_id, uid in claims}
        chains: dict[int, list[EventRow]] = {claim_id: [] for claim_id in ids}
        for row in session.execute(_events(list(ids))):
            chains[row.claim_id].append(row)
        for claim_id, claim_uid in claims:
            verdict.claims += 1
            verdict.events += len(chains[claim_id])
            head, problem = _check_chain(claim_id, claim_uid, chains[claim_id])
            if problem:
                verdict.problems.append(problem)
            heads.add(claim_uid, head)
        verdict.problems += _evidence_without_event(session, list(ids))
    verdict.digest = heads.hexdigest()
    return verdict


def _claim_batches(session: Session) -> Iterator[list[tuple[int, str]]]:
    last = ""
    while True:
        query = select(Claim.id, Claim.uid).where(Claim.uid > last).order_by(Claim.uid)
        batch = [(claim_id, uid) for claim_id, uid in session.execute(query.limit(BATCH))]
        if not batch:
            return
        yield batch
        last = batch[-1][1]


def _events(claim_ids: list[int]) -> Select[*tuple[Any, ...]]:
    added = ClaimEvent.event == "evidence_added"
    named = aliased(Evidence)  # the evidence any event names, by uid
    return (
        select(
            ClaimEvent.claim_id, ClaimEvent.id, ClaimEvent.uid, ClaimEvent.event,
            ClaimEvent.from_status, ClaimEvent.to_status, ClaimEvent.effective_on,
            ClaimEvent.recorded_at, ClaimEvent.actor, ClaimEvent.reason, ClaimEvent.resolved_as,
            ClaimEvent.changes, ClaimEvent.db_user, ClaimEvent.hash, ClaimEvent.actual,
            ClaimEvent.undoes, named.uid.label("evidence_uid"), Evidence.uid.label("e_uid"),
            Evidence.stance,
            Evidence.source_name.label("source"),  # as recorded: a rename changes not this
            Evidence.url, Evidence.observed_on, Evidence.note,
            Evidence.recorded_at.label("e_recorded_at"), Evidence.recorded_by, Evidence.tier,
        )
        .outerjoin(named, named.id == ClaimEvent.evidence_id)
        .outerjoin(Evidence, (Evidence.id == ClaimEvent.evidence_id) & added)
        .where(ClaimEvent.claim_id.in_(claim_ids))
        .order_by(ClaimEvent.claim_id, ClaimEvent.id)
    )  # fmt: skip


def _check_chain(claim_id: int, claim_uid: str, rows: list[EventRow]) -> tuple[str, str | None]:
    """The chain's recomputed head, and the first event that does not match, if any."""
    head = claim_uid
    for row in rows:
        sealed = None
        if row.event == "evidence_added" and row.e_uid is not None:
            sealed = chain.evidence_fields(
                uid=row.e_uid, stance=row.stance, source=row.source, url=row.url,
                observed_on=row.observed_on, note=row.note, recorded_at=row.e_recorded_at,
                recorded_by=row.recorded_by, tier=row.tier,
            )  # fmt: skip
        head = chain.link(head, chain.canonical(
            uid=row.uid, claim_uid=claim_uid, event=row.event, from_status=row.from_status,
            to_status=row.to_status, effective_on=row.effective_on, recorded_at=row.recorded_at,
            actor=row.actor, reason=row.reason, resolved_as=row.resolved_as,
            changes=row.changes, db_user=row.db_user, evidence=sealed,
            evidence_uid=row.evidence_uid, actual=row.actual, undoes=row.undoes,
        ))  # fmt: skip
        if head != row.hash:
            return head, (
                f"claim {claim_id}: event {row.id} ({row.event}, uid {row.uid}) does not match "
                "its hash: it, or the evidence it added, was changed, or an event before it "
                "was deleted or moved"
            )
    return head, None


def _evidence_without_event(session: Session, claim_ids: list[int]) -> list[str]:
    event = aliased(ClaimEvent)
    query = select(Evidence.claim_id, Evidence.id).where(
        Evidence.claim_id.in_(claim_ids),
        ~exists().where(event.evidence_id == Evidence.id, event.event == "evidence_added"),
    )
    return [
        f"claim {claim_id}: evidence {evidence_id} has no evidence_added event: it was deleted"
        for claim_id, evidence_id in session.execute(query)
    ]
