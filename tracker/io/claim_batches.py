"""The claims an export reads, `BATCH` at a time (the views every read shows, with their
tags), and each batch's evidence and history with one query each: memory stays flat
however many claims there are, and the number of queries grows with the batches, not
the claims.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session, aliased

from tracker.db.models import Claim, ClaimEvent, ClaimLink, Evidence, Source
from tracker.queries.history import adding_event
from tracker.queries.links import in_force
from tracker.queries.views import ClaimView, batches, claim_query

BATCH = 1000

# A row of the evidence or history queries below, read by its column names.
ExportRow = Row[*tuple[Any, ...]]


def claim_batches(session: Session) -> Iterator[list[ClaimView]]:
    """Every claim (withdrawn ones too) as read for showing, with its source, article and
    tags, in uid order, `BATCH` at a time."""
    return batches(session, claim_query(None), (Claim.uid,), size=BATCH)


def duplicated_by_claim(session: Session, ids: list[int], on: date) -> dict[int, str]:
    """The uid of the claim each of these duplicates on `on`, for those that do."""
    other = aliased(Claim)
    query = (
        select(ClaimLink.claim_id, other.uid)
        .join(other, other.id == ClaimLink.other_id)
        .where(ClaimLink.claim_id.in_(ids), ClaimLink.kind == "duplicates", in_force(on))
    )
    return dict(session.execute(query).all())  # .all(): a Result has .keys()


def evidence_by_claim(session: Session, ids: list[int]) -> dict[int, list[ExportRow]]:
    """The claims' evidence, in the order recorded, with what each said actually happened."""
    added, adding = adding_event()
    query = (
        select(
            Evidence.claim_id,
            Evidence.uid,
            Evidence.stance,
            Source.name.label("source"),
            Evidence.url,
            Evidence.observed_on,
            Evidence.note,
            Evidence.recorded_at,
            Evidence.recorded_by,
            Evidence.tier,
            added.actual,
            Evidence.source_name,
        )
        .outerjoin(Source, Evidence.source_id == Source.id)
        .outerjoin(added, adding)
        .where(Evidence.claim_id.in_(ids))
        .order_by(Evidence.id)
    )
    return _grouped(session, query)


def history_by_claim(session: Session, ids: list[int]) -> dict[int, list[ExportRow]]:
    """Every event of the claims, in the order recorded."""
    query = (
        select(
            ClaimEvent.claim_id,
            ClaimEvent.uid,
            ClaimEvent.event,
            ClaimEvent.from_status,
            ClaimEvent.to_status,
            ClaimEvent.effective_on,
            ClaimEvent.recorded_at,
            ClaimEvent.actor,
            ClaimEvent.reason,
            Evidence.uid.label("evidence_uid"),
            ClaimEvent.resolved_as,
            ClaimEvent.changes,
            ClaimEvent.db_user,
            ClaimEvent.hash,
            ClaimEvent.actual,
            ClaimEvent.undoes,
        )
        .outerjoin(Evidence, Evidence.id == ClaimEvent.evidence_id)
        .where(ClaimEvent.claim_id.in_(ids))
        .order_by(ClaimEvent.id)
    )
    return _grouped(session, query)


def _grouped(session: Session, query: Select[*tuple[Any, ...]]) -> dict[int, list[ExportRow]]:
    """The rows of `query` (whose first column is `claim_id`) by claim."""
    grouped: dict[int, list[ExportRow]] = {}
    for row in session.execute(query):
        grouped.setdefault(row.claim_id, []).append(row)
    return grouped
