"""Listing claims: which ones, in what order, and where each stood on a day.

A `ClaimState` is a claim as it stood on a reference day, as its query's timeline
(tracker.queries.timeline) read it: today's stored status, or its status span then.
`list`, the report and `sources` all read claims this way, with the same conditions.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, ColumnExpressionArgument, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from tracker.db.models import Claim, ClaimTag, Source
from tracker.queries.links import duplicates_on
from tracker.queries.timeline import Timeline
from tracker.queries.views import BATCH, ClaimView, batches, claim_query, read_views
from tracker.rules.status import is_overdue
from tracker.rules.tags import clean_tags
from tracker.rules.text import clean, normalise


@dataclass
class ClaimFilter:
    statuses: Sequence[str] = ()
    subject: str | None = None  # a part of the subject, any case
    source: str | None = None  # a part of the source's name, any case
    tags: Sequence[str] = ()  # every one of them
    search: str | None = None
    overdue: bool = False
    due_within: int | None = None  # days
    as_of: date | None = None
    known_on: date | None = None
    limit: int | None = None
    sort: str = "id"
    withdrawn: bool = False  # only the withdrawn claims (else only the others)
    duplicates: bool = False  # only the claims that duplicate another then (else the others)


@dataclass(frozen=True)
class ClaimState:
    """A claim as it stood on `reference`: its status then, not necessarily now."""

    claim: ClaimView
    status: str
    resolved_on: date | None
    reference: date
    actual: str | None = None  # what actually happened, as the steps by then said

    @property
    def overdue(self) -> bool:
        return is_overdue(self.status, self.claim.expected_end, self.reference)


def list_claims(session: Session, where: ClaimFilter, *, today: date) -> list[ClaimState]:
    """Claims matching `where`, in `sort` order, as they stand today or stood then."""
    timeline = Timeline(today, where.as_of, where.known_on)
    reference = timeline.reference
    query = claim_query(where.withdrawn, timeline)
    if where.duplicates:
        query = query.where(Claim.id.in_(duplicates_on(reference)))
    elif not where.withdrawn:  # a withdrawn claim is listed as such, duplicate or not
        query = query.where(Claim.id.not_in(duplicates_on(reference)))
    query = query.where(*claim_conditions(where))
    if where.statuses:
        query = query.where(timeline.status.in_(where.statuses))
    if where.overdue:
        query = query.where(timeline.overdue())
    if where.due_within is not None:
        horizon = reference + timedelta(days=where.due_within)
        query = query.where(
            timeline.status == "pending", timeline.expected_end.between(reference, horizon)
        )
    # --overdue and --due-within list only claims with a due date (so their order by due
    # date is an index's, not a sort of every match: 2.96 s for 50 at 1,000,000 claims).
    dated = where.overdue or where.due_within is not None
    query = query.order_by(*sort_keys(where.sort, timeline, dated=dated))
    if where.limit is not None:
        query = query.limit(where.limit)
    return states_of(read_views(session, query), reference)


def claim_conditions(where: ClaimFilter) -> list[ColumnElement[bool]]:
    """What `--subject`, `--source`, `--tag` and `--search` ask of a claim: `list`, the
    report and `sources` narrow their claims so."""
    found = []
    if where.subject is not None:
        found.append(_contains(Claim.subject_folded, clean(where.subject, "subject")))
    if where.source is not None:
        found.append(Claim.source_id.in_(sources_named(clean(where.source, "source"))))
    for tag in clean_tags(where.tags):
        tagged = select(ClaimTag.claim_id).where(ClaimTag.tag_folded == normalise(tag))
        found.append(Claim.id.in_(tagged))
    if where.search is not None:
        found.append(_contains(Claim.text_norm, clean(where.search, "search text")))
    return found


def sort_keys(
    sort: str, timeline: Timeline, *, dated: bool = False
) -> tuple[ColumnExpressionArgument[Any], ...]:
    """The order of `list --sort` (one of tracker.rules.kinds.SORTS), the claim's id last.
    `dated`: every claim listed has a due date (none sorts last, after them)."""
    due = (timeline.expected_end,)
    keys: dict[str, tuple[ColumnExpressionArgument[Any], ...]] = {
        "id": (),
        "due": due if dated else (timeline.expected_end.is_(None), *due),
        "said": (Claim.said_on,),
        "status": (timeline.status_rank(),),
        "source": (Source.name_folded.is_(None), Source.name_folded),
    }
    return (*keys[sort], timeline.id)


def sources_named(text: str) -> Select[int]:
    """The sources one of whose names holds `text` (any case): its own, or a former name or
    a source merged into it, so `--source take-two` still finds Take-Two Interactive's
    claims. A subquery over the sources, which are few."""
    return select(func.coalesce(Source.alias_of, Source.id)).where(
        _contains(Source.name_folded, text)
    )


def _contains(column: InstrumentedAttribute[str | None], text: str) -> ColumnElement[bool]:
    """The folded column holds the folded text somewhere: `--source kuo` finds Ming-Chi Kuo."""
    return column.like("%" + _escape_like(normalise(text)) + "%", escape="\\")


def state_batches(
    session: Session,
    query: Select[Any],
    reference: date,
    *,
    order: tuple[InstrumentedAttribute[Any], ...] = (Claim.id,),
    descending: bool = False,
    size: int = BATCH,
) -> Iterator[list[ClaimState]]:
    """The claims of `query` (from `claim_query`) in `order`, `size` at a time, as they
    stood on `reference` (the day of the query's timeline)."""
    for batch in batches(session, query, order, descending=descending, size=size):
        yield states_of(batch, reference)


def states_of(claims: list[ClaimView], reference: date) -> list[ClaimState]:
    """The claims as read (their state on the query's timeline), on `reference`."""
    return [ClaimState(c, c.status, c.resolved_on, reference, c.actual) for c in claims]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
