"""`tracker export --format claimreview`: schema.org ClaimReview JSON-LD for the claims
that were confirmed or refuted (design.md §10), which `import` reads back
(tracker.claimreview.records) as the same claims, decided the same way."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.db.models import Claim
from tracker.io.claim_batches import claim_batches
from tracker.queries.shapes import iso_date, without_nulls
from tracker.queries.views import ClaimView

# ClaimReview's rating scale: 5 is true, 1 is false.
RATINGS = {"confirmed": (5, "True"), "refuted": (1, "False")}


def claim_reviews(session: Session, *, reviewer: str) -> Iterator[dict[str, Any]]:
    """schema.org ClaimReview items for the confirmed and refuted claims, by id."""
    # Filtered here, not in SQL: with a status condition the database walks the status
    # index and sorts every remaining reviewed claim for each batch (quadratic).
    for rows in claim_batches(session):
        for row in rows:
            if row.status in RATINGS and not row.withdrawn:  # a mistake is not a verdict
                yield _review(row, reviewer)


def count(session: Session) -> int:
    """How many reviews an export writes, at most (for a progress bar)."""
    query = select(func.count()).select_from(Claim).where(Claim.status.in_(RATINGS))
    return session.scalar(query) or 0


def _review(row: ClaimView, reviewer: str) -> dict[str, Any]:
    value, verdict = RATINGS[row.status]
    article = row.article or {}
    appearance = without_nulls(
        {
            "@type": "CreativeWork",
            "url": article.get("url"),
            "headline": article.get("title"),
            "datePublished": iso_date(article.get("published_on")),
        }
    )
    has_article = len(appearance) > 1
    # A claim with no source has no author (not "Unknown", which would come back as a
    # source): import then gives it no source again.
    claim: dict[str, Any] = without_nulls(
        {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": row.source} if row.source else None,
            "datePublished": iso_date(row.said_on),
        }
    )
    if has_article:
        claim["appearance"] = [appearance]
    return without_nulls(
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "datePublished": iso_date(row.resolved_on),
            "claimReviewed": row.text,
            "author": {"@type": "Organization", "name": reviewer},
            "itemReviewed": claim,
            "reviewRating": without_nulls(
                {
                    "@type": "Rating",
                    "ratingValue": value,
                    "bestRating": 5,
                    "worstRating": 1,
                    "alternateName": verdict,
                    "ratingExplanation": row.actual,
                }
            ),
            "url": article.get("url"),
        }
    )
