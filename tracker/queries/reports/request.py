"""What a report is asked for: its date, its window, its limits, and `--since`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.errors import InvalidInput
from tracker.rules.dates import read_date

RECENT_DAYS = 30  # the default window of "recently resolved" and "said lately"
_RELATIVE = re.compile(r"\s*(\d{1,5})\s*([dw])\s*", re.IGNORECASE | re.ASCII)


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


def since_date(text: str, reference: date, today: date) -> date:
    """`--since`: a date, or `7d` / `2w` before the reference date."""
    relative = _RELATIVE.fullmatch(text)
    if relative:
        count, unit = int(relative.group(1)), relative.group(2).lower()
        try:
            day = reference - timedelta(days=count * (7 if unit == "w" else 1))
        except OverflowError:
            day = date.min
        if day.year < 1900:
            raise InvalidInput(f"--since {text.strip()} goes back before 1900")
        return day

    day = read_date(text, today)
    if day > reference:
        raise InvalidInput(f"--since {day} is after the report's date, {reference}")
    return day
