"""Claims in context: pending claims made moot by a refuted one they depend on, and
contradicting claims both confirmed. Few: read whole, then cut to the limit."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tracker.queries.links import links_on
from tracker.queries.listing import ClaimState, states_of
from tracker.queries.reports.entries import report_claims
from tracker.queries.reports.request import ReportRequest
from tracker.queries.views import views_by_id


def limited(
    request: ReportRequest, items: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], int]:
    """The items the limit lets through, and how many there were."""
    return (items if request.limit is None else items[: request.limit]), len(items)


def moot(session: Session, request: ReportRequest) -> list[dict[str, Any]]:
    """Pending claims that depend on a refuted one: whatever happens, they cannot come true
    as said. Each with the refuted claims it depends on."""
    links = links_on(session, request.reference, kinds=("depends-on",))
    states = _states_by_id(session, request, {i for x in links for i in (x.claim_id, x.other_id)})
    because: dict[int, list[ClaimState]] = {}
    for link in links:
        claim, other = states.get(link.claim_id), states.get(link.other_id)
        if link.claim_id in request.aside:  # it counts as the claim it duplicates
            continue
        if claim and other and claim.status == "pending" and other.status == "refuted":
            because.setdefault(claim.claim.id, []).append(other)
    shapes = list(report_claims(session, request, [states[i] for i in sorted(because)]))
    for shape in shapes:
        shape["depends_on"] = [_brief(other) for other in because[shape["id"]]]
    return shapes


def conflicts(session: Session, request: ReportRequest) -> list[dict[str, Any]]:
    """Pairs of claims said to contradict each other that were both confirmed: one of the
    confirmations (or the link) is wrong."""
    links = links_on(session, request.reference, kinds=("contradicts",))
    states = _states_by_id(session, request, {i for x in links for i in (x.claim_id, x.other_id)})
    pairs = [
        (states[link.claim_id], states[link.other_id])
        for link in links
        if link.claim_id in states and link.other_id in states
        and not {link.claim_id, link.other_id} & request.aside
        and states[link.claim_id].status == states[link.other_id].status == "confirmed"
    ]  # fmt: skip
    found = []
    for claim, other in pairs:
        first, second = report_claims(session, request, [claim, other])
        found.append({"claim": first, "other": second})
    return found


def _states_by_id(session: Session, request: ReportRequest, ids: set[int]) -> dict[int, ClaimState]:
    """The claims of `ids` that are live on the report's date (duplicates too: a claim may
    depend on one), as they stood then."""
    found = views_by_id(session, sorted(ids), request.timeline).values()
    states = states_of([view for view in found if not view.withdrawn], request.reference)
    return {state.claim.id: state for state in states}


def _brief(state: ClaimState) -> dict[str, Any]:
    claim = state.claim
    return {"claim_id": claim.id, "key": claim.key, "text": claim.text,
            "status": state.status, "actual": state.actual}  # fmt: skip
