"""Every claim out of the database, as the import shape or as CSV rows.

The records are the import shape (design.md §10, `tracker.io.records`):
every claim with its uid, its evidence, and its whole history as recorded, so an
export imported into an empty database exports the same bytes. Claims are read in
uid order in batches (`tracker.io.claim_batches`); ClaimReview items are made from the
same batches (`tracker.claimreview.export`). Run it in one read transaction (after
`snapshot`) so the whole file is one consistent state.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.db.models import Claim
from tracker.io.claim_batches import (
    ExportRow,
    claim_batches,
    duplicated_by_claim,
    evidence_by_claim,
    history_by_claim,
)
from tracker.queries.shapes import iso_date, without_nulls
from tracker.queries.views import ClaimView
from tracker.rules.hedges import LIKELIHOODS
from tracker.rules.kinds import CSV_COLUMNS as CSV_COLUMNS  # a CSV export's columns
from tracker.rules.status import is_overdue


def items(session: Session, fmt: str, *, today: date) -> Iterator[dict[str, Any]]:
    """What an export in `fmt` (json, jsonl or csv) writes: claim records, or CSV rows
    (as of `today`).

    Read in batches inside the caller's read transaction, whose snapshot
    (tracker.db.database.Database.run) keeps every batch in one state.
    """
    if fmt == "csv":
        return csv_records(session, today)
    return claim_records(session)


def count(session: Session) -> int:
    """How many claims an export writes (for a progress bar)."""
    return session.scalar(select(func.count()).select_from(Claim)) or 0


def precise_time(value: datetime) -> str:
    """A recorded_at to the microsecond: it orders same-day entries on replay."""
    return value.isoformat(timespec="microseconds") + "Z"


def claim_records(session: Session) -> Iterator[dict[str, Any]]:
    """Every claim in the import shape, in uid order: creation order, in every database."""
    for rows in claim_batches(session):
        ids = [row.id for row in rows]
        evidence = evidence_by_claim(session, ids)
        history = history_by_claim(session, ids)
        for row in rows:
            yield _record(
                row,
                [_evidence_item(e) for e in evidence.get(row.id, [])],
                [_event_item(e) for e in history.get(row.id, [])],
            )


def csv_records(session: Session, today: date) -> Iterator[dict[str, Any]]:
    """Every claim as a CSV row's cells (`CSV_COLUMNS`), in uid order: its fields and where
    it stands (status, resolved_on, actual, withdrawn, the claim it duplicates today), so a
    copy made from the file stands where the claims stand. Evidence and history are JSON's."""
    for rows in claim_batches(session):
        duplicated = duplicated_by_claim(session, [row.id for row in rows], today)
        for row in rows:
            article = row.article or {}
            yield {
                "id": row.id,
                "handle": row.handle,
                "key": row.key,
                "text": row.text,
                "subject": row.subject,
                "status": row.status,
                "source": row.source,
                "said_on": iso_date(row.said_on),
                "expected": row.expected_text,
                "expected_start": iso_date(row.expected_start),
                "expected_end": iso_date(row.expected_end),
                "hedge": row.hedge,
                "likelihood": row.likelihood,  # always: a sheet shows the number
                "tags": row.tags,
                "overdue": is_overdue(row.status, row.expected_end, today) and not row.withdrawn,
                "resolved_on": iso_date(row.resolved_on),
                "actual": row.actual,
                "withdrawn": row.withdrawn,
                "duplicates": duplicated.get(row.id),
                "article_url": article.get("url"),
                "article_title": article.get("title"),
                "article_outlet": article.get("outlet"),
                "article_published_on": iso_date(article.get("published_on")),
                "quote": row.quote,
                "uid": row.uid,
            }


def _record(
    row: ClaimView,
    evidence: list[dict[str, Any]],
    history: list[dict[str, Any]],
) -> dict[str, Any]:
    article = row.article or {}
    shown = without_nulls(
        {
            "url": article.get("url"),
            "title": article.get("title"),
            "outlet": article.get("outlet"),
            "published_on": iso_date(article.get("published_on")),
        }
    )
    return without_nulls(
        {
            "uid": row.uid,
            "handle": row.handle,
            "key": row.key,
            "text": row.text,
            "subject": row.subject,
            "source": row.source,
            "article": shown or None,
            "said_on": iso_date(row.said_on),
            "expected": row.expected_text,
            "hedge": row.hedge,
            "likelihood": _likelihood(row.hedge, row.likelihood),
            # Sorted by the view in Python, not by the database: collations differ.
            "tags": row.tags or None,
            "quote": row.quote,
            "status": row.status,
            "resolved_on": iso_date(row.resolved_on),
            "actual": row.actual,
            "withdrawn": True if row.withdrawn else None,
            "created_at": precise_time(row.created_at),
            "updated_at": precise_time(row.updated_at),
            "evidence": evidence or None,
            "history": history or None,
        }
    )


def _likelihood(hedge: str | None, likelihood: float | None) -> float | None:
    """Only what a re-import would not set by itself from the hedge."""
    if hedge is not None and LIKELIHOODS.get(hedge) == likelihood:
        return None
    return likelihood


def _evidence_item(row: ExportRow) -> dict[str, Any]:
    return without_nulls(
        {
            "uid": row.uid,
            "stance": row.stance,
            "source": row.source,
            # Recorded under a name the source has since changed: what its event sealed.
            "source_as_recorded": row.source_name if row.source_name != row.source else None,
            "url": row.url,
            "on": iso_date(row.observed_on),
            "note": row.note,
            "recorded_at": precise_time(row.recorded_at),
            "recorded_by": row.recorded_by,
            "tier": row.tier,
            "actual": row.actual,
        }
    )


def _event_item(row: ExportRow) -> dict[str, Any]:
    return without_nulls(
        {
            "uid": row.uid,
            "event": row.event,
            "from_status": row.from_status,
            "to_status": row.to_status,
            "effective_on": iso_date(row.effective_on),
            "recorded_at": precise_time(row.recorded_at),
            "actor": row.actor,
            "reason": row.reason,
            "evidence_uid": row.evidence_uid,
            # to_status for rows written before resolved_as existed.
            "resolved_as": (row.resolved_as or row.to_status) if row.event == "resolved" else None,
            "changes": row.changes,
            "db_user": row.db_user,
            "hash": row.hash,
            "actual": row.actual,
            "undoes": row.undoes,
        }
    )
