"""Listing claims: which ones, in what order, and where each stood on a day.

A `ClaimState` is a claim as it stood on a reference day: today its stored status
answers in SQL, on indexes; on an earlier day (`--as-of`) its history is replayed
(tracker.queries.history). `list`, the report and `sources` all read claims this way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, ColumnExpressionArgument, Select, case, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from tracker.db.models import Claim, ClaimTag, Source
from tracker.queries.history import outcomes_as_of
from tracker.queries.links import duplicates_on
from tracker.queries.views import BATCH, ClaimView, batches, claim_query, read_views
from tracker.rules.status import STATUSES, Outcome, is_overdue
from tracker.rules.tags import clean_tags
from tracker.rules.text import clean, normalise

SORTS = ("id", "due", "said", "status", "source")


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

    def due_within(self, days: int) -> bool:
        end = self.claim.expected_end
        return (
            self.status == "pending"
            and end is not None
            and self.reference <= end <= self.reference + timedelta(days=days)
        )


def list_claims(session: Session, where: ClaimFilter, *, today: date) -> list[ClaimState]:
    """Claims matching `where`, in `sort` order: today's stored status, or replayed to `as_of`."""

    reference = where.as_of or today
    query = claim_query(where.withdrawn)
    if where.duplicates:
        query = query.where(Claim.id.in_(duplicates_on(reference)))
    elif not where.withdrawn:  # a withdrawn claim is listed as such, duplicate or not
        query = query.where(Claim.id.not_in(duplicates_on(reference)))
    if where.subject is not None:
        query = query.where(_contains(Claim.subject_folded, clean(where.subject, "subject")))
    if where.source is not None:
        query = query.where(Claim.source_id.in_(sources_named(clean(where.source, "source"))))
    for tag in clean_tags(where.tags):
        tagged = select(ClaimTag.claim_id).where(ClaimTag.tag_folded == normalise(tag))
        query = query.where(Claim.id.in_(tagged))
    if where.search is not None:
        query = query.where(_contains(Claim.text_norm, clean(where.search, "search text")))
    if where.as_of is None:
        # Today: the stored status answers everything in SQL, on indexes.
        if where.statuses:
            query = query.where(Claim.status.in_(where.statuses))
        if where.overdue or where.due_within is not None:
            query = query.where(Claim.status == "pending")
        if where.overdue:
            query = query.where(Claim.expected_end < reference)
        if where.due_within is not None:
            horizon = reference + timedelta(days=where.due_within)
            query = query.where(Claim.expected_end.between(reference, horizon))
        query = query.order_by(*_SQL_ORDER[where.sort]())
        if where.limit is not None:
            query = query.limit(where.limit)
        return [
            ClaimState(claim, claim.status, claim.resolved_on, reference, claim.actual)
            for claim in read_views(session, query)
        ]
    states = []
    for state in states_as_of(session, query.where(Claim.said_on <= where.as_of), where.as_of):
        if where.statuses and state.status not in where.statuses:
            continue
        if where.overdue and not state.overdue:
            continue
        if where.due_within is not None and not state.due_within(where.due_within):
            continue
        states.append(state)
        if where.limit is not None and where.sort == "id" and len(states) >= where.limit:
            break
    states.sort(key=_ORDER[where.sort])
    return states[: where.limit]


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


_STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}
# The orders of `list --sort`: in SQL (today), and of replayed states (as of a date).
_SQL_ORDER: dict[str, Callable[[], tuple[ColumnExpressionArgument[Any], ...]]] = {
    "id": lambda: (Claim.id,),
    "due": lambda: (Claim.expected_end.is_(None), Claim.expected_end, Claim.id),
    "said": lambda: (Claim.said_on, Claim.id),
    "status": lambda: (case(_STATUS_RANK, value=Claim.status), Claim.id),
    "source": lambda: (Source.name_folded.is_(None), Source.name_folded, Claim.id),
}
_ORDER: dict[str, Any] = {
    "id": lambda s: s.claim.id,
    "due": lambda s: (s.claim.expected_end is None, s.claim.expected_end or date.min, s.claim.id),
    "said": lambda s: (s.claim.said_on, s.claim.id),
    "status": lambda s: (_STATUS_RANK[s.status], s.claim.id),
    "source": lambda s: (s.claim.source is None, normalise(s.claim.source or ""), s.claim.id),
}


def state_batches(
    session: Session,
    query: Select[Any],
    reference: date,
    *,
    replay: bool,
    order: tuple[InstrumentedAttribute[Any], ...] = (Claim.id,),
    descending: bool = False,
    size: int = BATCH,
) -> Iterator[list[ClaimState]]:
    """The claims of `query` (from `claim_query`) in `order`, `size` at a time, as they
    stand today (their stored status) or, `replay`ed, as they stood on `reference`."""
    for batch in batches(session, query, order, descending=descending, size=size):
        yield states_of(session, batch, reference, replay=replay)


def states_of(
    session: Session, claims: list[ClaimView], reference: date, *, replay: bool
) -> list[ClaimState]:
    """The claims as they stand (stored status), or as they stood on `reference` (replayed)."""
    if not replay:
        return [ClaimState(c, c.status, c.resolved_on, reference, c.actual) for c in claims]
    outcomes = outcomes_as_of(session, [claim.id for claim in claims], reference)
    states = []
    for claim in claims:
        outcome = outcomes.get(claim.id) or Outcome("pending", None)
        states.append(
            ClaimState(claim, outcome.status, outcome.resolved_on, reference, outcome.actual)
        )
    return states


def states_as_of(session: Session, query: Select[Any], as_of: date) -> Iterator[ClaimState]:
    """The claims of `query` (from `claim_query`) as they stood on `as_of`, by id."""
    for batch in state_batches(session, query, as_of, replay=True):
        yield from batch


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
