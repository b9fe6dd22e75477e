"""Every claim out of the database: the import shape, and ClaimReview JSON-LD.

The records are the import shape (SPEC.md section 7, `tracker.io.records`), so an
export imported into an empty database exports the same bytes. Claims are read by
id in batches, and each batch's tags, evidence, retractions and resolutions with one
query each: memory stays flat however many claims there are, and the number of
queries grows with the batches, not the claims. Run it in one read transaction
(after `snapshot`) so the whole file is one consistent state.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from tracker.hedges import LIKELIHOODS
from tracker.io.readers import CSV_COLUMNS
from tracker.models import Article, Claim, ClaimEvent, ClaimTag, Evidence, Source
from tracker.shapes import iso_date

# The columns `tracker.io.readers` reads back, in this order.
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
    """Every claim in the import shape, by id."""
    for rows in _batches(session):
        first, last = rows[0].id, rows[-1].id
        tags = _tags(session, first, last)
        evidence = _evidence(session, first, last)
        retractions = _retractions(session, first, last)
        resolutions = _resolutions(session, first, last)
        for row in rows:
            yield _record(
                row,
                tags.get(row.id, []),
                [_evidence_item(e, retractions) for e in evidence.get(row.id, [])],
                [_resolution_item(r) for r in resolutions.get(row.id, [])],
            )


def csv_values(record: dict[str, Any]) -> list[Any]:
    """A record as the values of one CSV row (`CSV_COLUMNS`); evidence has no place there."""
    article = record.get("article", {})
    flat = {
        **record,
        **{f"article_{name}": value for name, value in article.items()},
    }
    return [flat.get(column) for column in CSV_COLUMNS]


def _record(row: Row, tags: list[str], evidence: list, resolutions: list) -> dict[str, Any]:
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
            "evidence": evidence or None,
            "resolutions": resolutions or None,
        }
    )


def _likelihood(hedge: str | None, likelihood: float | None) -> float | None:
    """Only what a re-import would not set by itself from the hedge."""
    if hedge is not None and LIKELIHOODS.get(hedge) == likelihood:
        return None
    return likelihood


def _evidence_item(row: Row, retractions: dict[int, str | None]) -> dict[str, Any]:
    retracted = row.id in retractions
    return _present(
        {
            "stance": row.stance,
            "source": row.source,
            "url": row.url,
            "on": iso_date(row.observed_on),
            "note": row.note,
            "recorded_at": precise_time(row.recorded_at),
            "recorded_by": row.recorded_by,
            "retracted": True if retracted else None,
            "retract_reason": retractions.get(row.id),
        }
    )


def _resolution_item(row: Row) -> dict[str, Any]:
    return _present(
        {
            # to_status for rows written before resolved_as existed.
            "status": row.resolved_as or row.to_status,
            "on": iso_date(row.effective_on),
            "reason": row.reason,
            "recorded_at": precise_time(row.recorded_at),
            "by": row.actor,
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
            if row.status in RATINGS:
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
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": value,
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": verdict,
            },
            "url": row.article_url,
        }
    )


# -- the queries: one per batch each ----------------------------------------------------


def _batches(session: Session) -> Iterator[list[Row]]:
    """The claims (with source and article) by id, `BATCH` at a time."""
    query = (
        select(
            Claim.id,
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
        )
        .outerjoin(Source, Claim.source_id == Source.id)
        .outerjoin(Article, Claim.article_id == Article.id)
        .order_by(Claim.id)
        .limit(BATCH)
    )
    last_id = 0
    while True:
        rows = session.execute(query.where(Claim.id > last_id)).all()
        if not rows:
            return
        yield rows
        last_id = rows[-1].id


# A batch is every claim with an id in [first, last], so the related rows of a
# batch are those whose claim_id is in that range: an index range scan each.


def _tags(session: Session, first: int, last: int) -> dict[int, list[str]]:
    query = select(ClaimTag.claim_id, ClaimTag.tag).where(ClaimTag.claim_id.between(first, last))
    tags: dict[int, list[str]] = {}
    for claim_id, tag in session.execute(query):
        tags.setdefault(claim_id, []).append(tag)
    return tags


def _evidence(session: Session, first: int, last: int) -> dict[int, list[Row]]:
    query = (
        select(
            Evidence.claim_id,
            Evidence.id,
            Evidence.stance,
            Source.name.label("source"),
            Evidence.url,
            Evidence.observed_on,
            Evidence.note,
            Evidence.recorded_at,
            Evidence.recorded_by,
        )
        .outerjoin(Source, Evidence.source_id == Source.id)
        .where(Evidence.claim_id.between(first, last))
        .order_by(Evidence.id)
    )
    evidence: dict[int, list[Row]] = {}
    for row in session.execute(query):
        evidence.setdefault(row.claim_id, []).append(row)
    return evidence


def _retractions(session: Session, first: int, last: int) -> dict[int, str | None]:
    """{evidence id: the reason it was retracted}."""
    query = (
        select(ClaimEvent.evidence_id, ClaimEvent.reason)
        .where(
            ClaimEvent.claim_id.between(first, last),
            ClaimEvent.event == "evidence_retracted",
        )
        .order_by(ClaimEvent.id.desc())  # the first retraction wins, should there be two
    )
    return {evidence_id: reason for evidence_id, reason in session.execute(query)}


def _resolutions(session: Session, first: int, last: int) -> dict[int, list[Row]]:
    query = (
        select(
            ClaimEvent.claim_id,
            ClaimEvent.resolved_as,
            ClaimEvent.to_status,
            ClaimEvent.effective_on,
            ClaimEvent.reason,
            ClaimEvent.recorded_at,
            ClaimEvent.actor,
        )
        .where(ClaimEvent.claim_id.between(first, last), ClaimEvent.event == "resolved")
        .order_by(ClaimEvent.id)
    )
    resolutions: dict[int, list[Row]] = {}
    for row in session.execute(query):
        resolutions.setdefault(row.claim_id, []).append(row)
    return resolutions
