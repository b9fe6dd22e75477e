"""A listed claim as the report shows it: its state then, the days left, its evidence
lean, and (for HTML) its evidence and resolutions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Exists, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from tracker.db.models import ClaimEvent, Evidence, Source
from tracker.queries.listing import ClaimState
from tracker.queries.reports.request import ReportRequest
from tracker.queries.shapes import iso_date, state_shape


def report_claims(
    session: Session, request: ReportRequest, states: list[ClaimState]
) -> Iterator[dict[str, Any]]:
    """The claims' report shapes, in the order given (one query for their leans, and for
    their details when the request asks for them)."""
    if not states:
        return
    ids = [state.claim.id for state in states]
    leans = _leans(session, ids, request.reference)
    details = _details(session, ids, request.reference) if request.details else {}
    for state in states:
        shape = state_shape(state)
        end = state.claim.expected_end
        shape["days_left"] = (end - state.reference).days if end is not None else None
        shape["lean"] = leans.get(state.claim.id, 0)
        if request.details:
            shape.update(details.get(state.claim.id, {"evidence": [], "resolutions": []}))
        yield shape


def _retracted() -> Exists:
    retraction = aliased(ClaimEvent)
    return exists().where(
        retraction.evidence_id == Evidence.id, retraction.event == "evidence_retracted"
    )


def _leans(session: Session, claim_ids: list[int], reference: date) -> dict[int, int]:
    """Evidence lean per claim: supports minus contradicts, retracted evidence left out, and
    repeat-tier evidence too (passing a claim on is not evidence for it)."""
    lean = func.sum(
        case((Evidence.stance == "supports", 1), (Evidence.stance == "contradicts", -1), else_=0)
    )
    own = or_(Evidence.tier.is_(None), Evidence.tier != "repeat")
    query = (
        select(Evidence.claim_id, lean)
        .where(Evidence.claim_id.in_(claim_ids), Evidence.observed_on <= reference, own,
               ~_retracted())
        .group_by(Evidence.claim_id)
    )  # fmt: skip
    return {claim_id: int(value or 0) for claim_id, value in session.execute(query)}


def _details(
    session: Session, claim_ids: list[int], reference: date
) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """Each claim's evidence (retracted marked) and resolutions with their reasons."""
    found: dict[int, dict[str, list[dict[str, Any]]]] = {
        i: {"evidence": [], "resolutions": []} for i in claim_ids
    }
    evidence = (
        select(Evidence.claim_id, Evidence.stance, Evidence.observed_on, Source.name, Evidence.url,
               Evidence.note, _retracted().label("retracted"), Evidence.tier)
        .outerjoin(Source, Source.id == Evidence.source_id)
        .where(Evidence.claim_id.in_(claim_ids), Evidence.observed_on <= reference)
        .order_by(Evidence.observed_on, Evidence.id)
    )  # fmt: skip
    for claim_id, stance, on, source, url, note, retracted, tier in session.execute(evidence):
        found[claim_id]["evidence"].append(
            {
                "stance": stance,
                "on": iso_date(on),
                "source": source,
                "url": url,
                "note": note,
                "tier": tier,
                "retracted": bool(retracted),
            }  # fmt: skip
        )
    resolutions = (
        select(ClaimEvent.claim_id, ClaimEvent.resolved_as, ClaimEvent.to_status,
               ClaimEvent.effective_on, ClaimEvent.reason, ClaimEvent.actor)
        .where(ClaimEvent.claim_id.in_(claim_ids), ClaimEvent.event == "resolved",
               ClaimEvent.effective_on <= reference)
        .order_by(ClaimEvent.effective_on, ClaimEvent.id)
    )  # fmt: skip
    for claim_id, resolved_as, to_status, on, reason, actor in session.execute(resolutions):
        found[claim_id]["resolutions"].append(
            {
                "status": resolved_as or to_status,
                "on": iso_date(on),
                "reason": reason,
                "by": actor,
            }  # fmt: skip
        )
    return found
