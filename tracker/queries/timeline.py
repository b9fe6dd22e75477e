"""When a read looks at the claims: today, or as they stood on a day (`--as-of`), as known
at the end of a day (`--known-on`). One read path serves all three.

Today a claim's state is its stored status, resolved_on and actual (a cache of the
replay of its history). On another day, or as known then, it is the claim's row of
`status_span` in force then (tracker.rules.timeline): a join and range conditions. Every
query that reads a claim's state takes its columns from a `Timeline` and lets it add
the join, so `list`, `show`, `report` and `sources` run the same conditions, orders and
aggregates whatever the day; nothing is replayed in Python to read.

A span also carries copies of the claim columns those reads narrow, order and count by
(its id, due date, source and likelihood: tracker.db.models.SPAN_COPIES), and a
`Timeline` names them too: so a read then starts from the spans' indexes, as today's
starts from the claims', and a count or track record then needs no claim at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal, select
from sqlalchemy.orm import InstrumentedAttribute

from tracker.clock import day_start_utc
from tracker.db.models import SPAN_COPIES, Claim, StatusSpan
from tracker.rules.status import DECIDED, STATUSES
from tracker.rules.timeline import OPEN_MOMENT

Columns = TypeVarTuple("Columns")


@dataclass(frozen=True)
class Timeline:
    """Today, or `as_of` a day (evidence placed on its own day), or as it was `known_on` a day
    (only what was recorded by that day's end, local time; alone it also sets `as_of`)."""

    today: date
    as_of: date | None = None
    known_on: date | None = None
    # The state's columns, and the claim's the spans copy: the claim's today, else the
    # span's in force then.
    status: Any = field(init=False, repr=False, compare=False)
    resolved_on: Any = field(init=False, repr=False, compare=False)
    actual: Any = field(init=False, repr=False, compare=False)
    id: Any = field(init=False, repr=False, compare=False)
    expected_end: Any = field(init=False, repr=False, compare=False)
    source_id: Any = field(init=False, repr=False, compare=False)
    likelihood: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.as_of is None and self.known_on is not None:
            object.__setattr__(self, "as_of", self.known_on)
        state = StatusSpan if self.replayed else Claim
        for name in ("status", "resolved_on", "actual", *SPAN_COPIES):
            object.__setattr__(self, name, getattr(state, name))
        object.__setattr__(self, "id", StatusSpan.claim_id if self.replayed else Claim.id)

    @property
    def reference(self) -> date:
        """The day the claims are read on: overdue, days left and windows count from it."""
        return self.as_of or self.today

    @property
    def replayed(self) -> bool:
        return self.as_of is not None

    @property
    def known_by(self) -> datetime | None:
        """The first instant after `known_on` (local time), in UTC as times are stored."""
        if self.known_on is None:
            return None
        return day_start_utc(self.known_on + timedelta(days=1))

    def in_force(self) -> ColumnElement[bool]:
        """The span rows that hold on the reference day, as known now or by `known_on`."""
        day = self.reference
        known = (
            StatusSpan.known_to == literal(OPEN_MOMENT, StatusSpan.known_to.type)
            if self.known_by is None
            else and_(StatusSpan.known_from < self.known_by, StatusSpan.known_to >= self.known_by)
        )
        return and_(known, StatusSpan.valid_from <= day, StatusSpan.valid_to > day)

    def join(self, query: Select[*Columns]) -> Select[*Columns]:
        """`query` over claims, narrowed to the claims said (and recorded) by then, with
        their state then joined in. (A claim's spans start on the day it was said: none is
        in force before.)"""
        if not self.replayed:
            return query
        return query.join(StatusSpan, and_(StatusSpan.claim_id == Claim.id, self.in_force()))

    def select(self, *columns: Any, claims: bool = True) -> Select[Any]:
        """An aggregate over the claims' states: from the claims today, else from the spans
        in force then (their index holds what a count by status needs), joined to the
        claims when `claims` columns or conditions are wanted."""
        if not self.replayed:
            return select(*columns).select_from(Claim)
        query = select(*columns).select_from(StatusSpan).where(self.in_force())
        if claims:
            query = query.join(Claim, Claim.id == StatusSpan.claim_id)
        return query

    def count(self, state: ColumnElement[bool] | None, *claims: ColumnElement[bool]) -> Select[Any]:
        """How many claims are in a `state` (a condition on the timeline's columns) and meet
        the `claims` conditions. Then, the spans in force in that state are read first and
        each one's claim looked up by its key (a join lets the planner start from a claims'
        index that matches nearly all of them, and look up every span)."""
        states = [] if state is None else [state]
        if not self.replayed:
            return select(func.count()).select_from(Claim).where(*states, *claims)
        if state is None:  # the claims' conditions alone: from their indexes, as today
            return self.select(func.count()).where(*claims)
        query = self.select(func.count(), claims=False).where(state)
        if claims:
            query = query.where(exists().where(Claim.id == StatusSpan.claim_id, *claims))
        return query

    def recorded(self, column: InstrumentedAttribute[datetime]) -> ColumnElement[bool] | None:
        """The condition that a history row (its recorded_at `column`) was known then."""
        return None if self.known_by is None else column < self.known_by

    # -- the rules, in SQL, on the state's columns ------------------------------------------

    def decided(self) -> ColumnElement[bool]:
        """Confirmed or refuted then."""
        return self.status.in_(sorted(DECIDED))  # type: ignore[no-any-return]

    def overdue(self) -> ColumnElement[bool]:
        """Pending then, and its expected window ended before the reference day
        (tracker.rules.status.is_overdue, in SQL)."""
        return and_(self.status == "pending", self.ended())

    def ended(self) -> ColumnElement[bool]:
        """The claim's expected window ended before the reference day."""
        return self.expected_end < self.reference  # type: ignore[no-any-return]

    def status_rank(self) -> ColumnElement[int]:
        """The status's place in STATUSES: `--sort status`."""
        return case({status: rank for rank, status in enumerate(STATUSES)}, value=self.status)


def squared_error_sql(status: Any, likelihood: Any) -> ColumnElement[float]:
    """tracker.rules.status.squared_error, in SQL, for a decided claim with a likelihood."""
    outcome = case((status == "confirmed", 1.0), else_=0.0)
    return (likelihood - outcome) * (likelihood - outcome)  # type: ignore[no-any-return]
