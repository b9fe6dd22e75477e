"""What a report is asked for: its date, its window, its limits, and `--since` (a date,
read by tracker.rules.dates.since_day)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import ColumnElement

from tracker.queries.listing import ClaimFilter, claim_conditions
from tracker.queries.timeline import Timeline

RECENT_DAYS = 30  # the default window of "recently resolved" and "said lately"


@dataclass
class ReportRequest:
    today: date
    as_of: date | None = None
    known_on: date | None = None  # only what was recorded by this day's end (sets as_of)
    # Which claims (`--tag`, `--subject`, `--source`, as `list` takes them): totals,
    # sections, changes and track records count these only.
    claims: ClaimFilter = field(default_factory=ClaimFilter)
    limit: int | None = 50  # claims per list; None: every one
    days: int = RECENT_DAYS
    since: date | None = None
    details: bool = False  # each listed claim's evidence and resolutions (for HTML)
    # The claims that duplicate another on the reference date: they count once, as it.
    aside: frozenset[int] = frozenset()

    @property
    def timeline(self) -> Timeline:
        return Timeline(self.today, self.as_of, self.known_on)

    @property
    def reference(self) -> date:
        return self.timeline.reference

    @property
    def conditions(self) -> list[ColumnElement[bool]]:
        """The claim conditions of `claims` (as `list` applies them)."""
        return claim_conditions(self.claims)

    @property
    def window(self) -> tuple[date, date]:
        """The `days` days up to and including the reference date."""
        return self.reference - timedelta(days=self.days - 1), self.reference
