"""Every claim out of the database: the import shape, and ClaimReview JSON-LD.

The records are the import shape (SPEC.md sections 7 and 12, `tracker.io.records`):
every claim with its uid, its evidence, and its whole history as recorded, so an
export imported into an empty database exports the same bytes. Claims are read in
uid order in batches, and each batch's tags, evidence and events with one query
each: memory stays flat however many claims there are, and the number of queries
grows with the batches, not the claims. Run it in one read transaction
(after `snapshot`) so the whole file is one consistent state.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from tracker.hedges import LIKELIHOODS
from tracker.history import adding_event
from tracker.io.readers import CSV_COLUMNS
from tracker.models import Article, Claim, ClaimEvent, ClaimTag, Evidence, Source
from tracker.shapes import iso_date

BATCH = 1000
# ClaimReview's rating scale: 5 is true, 1 is false.
RATINGS = {"confirmed": (5, "True"), "refuted": (1, "False")}


def items(session: Session, fmt: str, *, reviewer: str) -> Iterator[dict[str, Any]]:
    """What an export in `fmt` writes: claim records, or ClaimReviews by `reviewer`.

    Read in batches inside the caller's read transaction, whose snapshot
    (tracker.database.Database.run) keeps every batch in one state.
    """
    if fmt == "claimreview":
        return claim_reviews(session, reviewer=reviewer)
    return claim_records(session)


def count(session: Session, fmt: str) -> int:
    """How many claims an export in `fmt` writes (for a progress bar)."""
    query = select(func.count()).select_from(Claim)
    if fmt == "claimreview":
        query = query.where(Claim.status.in_(RATINGS))
    return session.scalar(query) or 0


def precise_time(value: datetime) -> str:
    """A recorded_at to the microsecond: it orders same-day entries on replay."""
    return value.isoformat(timespec="microseconds") + "Z"


# -- the import shape ------------------------------------------------------------------


def claim_records(session: Session) -> Iterator[dict[str, Any]]:
    """Every claim in the import shape, in uid order: creation order, in every database."""
    for rows in _batches(session):
        ids = [row.id for row in rows]
        tags = _tags(session, ids)
        evidence = _evidence(session, ids)
        history = _history(session, ids)
        for row in rows:
            yield _record(
                row,
                tags.get(row.id, []),
                [_evidence_item(e) for e in evidence.get(row.id, [])],
                [_event_item(e) for e in history.get(row.id, [])],
            )


def csv_values(record: dict[str, Any]) -> list[Any]:
    """A record as the values of one CSV row (`CSV_COLUMNS`); evidence has no place there."""
    article = record.get("article", {})
    flat = {
        **record,
        **{f"article_{name}": value for name, value in article.items()},
    }
    return [flat.get(column) for column in CSV_COLUMNS]


def _record(row: Row, tags: list[str], evidence: list, history: list) -> dict[str, Any]:
    article = _present(
        {
            "url": row.article_url,
            "title": row.article_title,
            "outlet": row.article_outlet,
            "published_on": iso_date(row.article_published_on),
        }
    )
    return _present(
        {
            "uid": row.uid,
            "key": row.key,
            "text": row.text,
            "subject": row.subject,
            "source": row.source,
            "article": article or None,
            "said_on": iso_date(row.said_on),
            "expected": row.expected_text,
            "hedge": row.hedge,
            "likelihood": _likelihood(row.hedge, row.likelihood),
            # Sorted here, not by the database: collations differ between backends.
            "tags": sorted(tags) or None,
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


def _evidence_item(row: Row) -> dict[str, Any]:
    return _present(
        {
            "uid": row.uid,
            "stance": row.stance,
            "source": row.source,
            "url": row.url,
            "on": iso_date(row.observed_on),
            "note": row.note,
            "recorded_at": precise_time(row.recorded_at),
            "recorded_by": row.recorded_by,
            "tier": row.tier,
            "actual": row.actual,
        }
    )


def _event_item(row: Row) -> dict[str, Any]:
    return _present(
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
        }
    )


def _present(values: dict[str, Any]) -> dict[str, Any]:
    """Without the fields that have no value: a record never says `null`."""
    return {name: value for name, value in values.items() if value is not None}


# -- ClaimReview -----------------------------------------------------------------------


def claim_reviews(session: Session, *, reviewer: str) -> Iterator[dict[str, Any]]:
    """schema.org ClaimReview items for the confirmed and refuted claims, by id."""
    # Filtered here, not in SQL: with a status condition the database walks the status
    # index and sorts every remaining reviewed claim for each batch (quadratic).
    for rows in _batches(session):
        for row in rows:
            if row.status in RATINGS and not row.withdrawn:  # a mistake is not a verdict
                yield _review(row, reviewer)


def _review(row: Row, reviewer: str) -> dict[str, Any]:
    value, verdict = RATINGS[row.status]
    appearance = _present(
        {
            "@type": "CreativeWork",
            "url": row.article_url,
            "headline": row.article_title,
            "datePublished": iso_date(row.article_published_on),
        }
    )
    has_article = len(appearance) > 1
    claim = {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": row.source or "Unknown"},
        "datePublished": iso_date(row.said_on),
    }
    if has_article:
        claim["appearance"] = [appearance]
    return _present(
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "datePublished": iso_date(row.resolved_on),
            "claimReviewed": row.text,
            "author": {"@type": "Organization", "name": reviewer},
            "itemReviewed": claim,
            "reviewRating": _present(
                {
                    "@type": "Rating",
                    "ratingValue": value,
                    "bestRating": 5,
                    "worstRating": 1,
                    "alternateName": verdict,
                    "ratingExplanation": row.actual,
                }
            ),
            "url": row.article_url,
        }
    )


# -- the queries: one per batch each ----------------------------------------------------


def _batches(session: Session) -> Iterator[list[Row]]:
    """The claims (with source and article) in uid order, `BATCH` at a time."""
    query = (
        select(
            Claim.id,
            Claim.uid,
            Claim.key,
            Claim.text,
            Claim.subject,
            Source.name.label("source"),
            Article.url.label("article_url"),
            Article.title.label("article_title"),
            Article.outlet.label("article_outlet"),
            Article.published_on.label("article_published_on"),
            Claim.said_on,
            Claim.expected_text,
            Claim.hedge,
            Claim.likelihood,
            Claim.status,
            Claim.resolved_on,
            Claim.withdrawn,
            Claim.quote,
            Claim.actual,
            Claim.created_at,
            Claim.updated_at,
        )
        .outerjoin(Source, Claim.source_id == Source.id)
        .outerjoin(Article, Claim.article_id == Article.id)
        .order_by(Claim.uid)
        .limit(BATCH)
    )
    last_uid = ""
    while True:
        rows = session.execute(query.where(Claim.uid > last_uid)).all()
        if not rows:
            return
        yield rows
        last_uid = rows[-1].uid


def _grouped(session: Session, query) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = {}
    for row in session.execute(query):
        grouped.setdefault(row.claim_id, []).append(row)
    return grouped


def _tags(session: Session, ids: list[int]) -> dict[int, list[str]]:
    query = select(ClaimTag.claim_id, ClaimTag.tag).where(ClaimTag.claim_id.in_(ids))
    return {
        claim_id: [row.tag for row in rows] for claim_id, rows in _grouped(session, query).items()
    }


def _evidence(session: Session, ids: list[int]) -> dict[int, list[Row]]:
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
        )
        .outerjoin(Source, Evidence.source_id == Source.id)
        .outerjoin(added, adding)
        .where(Evidence.claim_id.in_(ids))
        .order_by(Evidence.id)
    )
    return _grouped(session, query)


def _history(session: Session, ids: list[int]) -> dict[int, list[Row]]:
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
        )
        .outerjoin(Evidence, Evidence.id == ClaimEvent.evidence_id)
        .where(ClaimEvent.claim_id.in_(ids))
        .order_by(ClaimEvent.id)
    )
    return _grouped(session, query)
