"""What a report is asked for: its date, its window, its limits, and `--since` (a date,
read by tracker.rules.dates.since_day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

RECENT_DAYS = 30  # the default window of "recently resolved" and "said lately"


@dataclass
class ReportRequest:
    today: date
    as_of: date | None = None
    limit: int | None = 50  # claims per list; None: every one
    days: int = RECENT_DAYS
    since: date | None = None
    details: bool = False  # each listed claim's evidence and resolutions (for HTML)
    # The claims that duplicate another on the reference date: they count once, as it.
    aside: frozenset[int] = frozenset()

    @property
    def reference(self) -> date:
        return self.as_of or self.today

    @property
    def window(self) -> tuple[date, date]:
        """The `days` days up to and including the reference date."""
        return self.reference - timedelta(days=self.days - 1), self.reference
