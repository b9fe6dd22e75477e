"""The two notions of now: the user's local date, and UTC instants for recorded_at.

Everything asks this module for the time (`clock.today()`, `clock.utcnow()`), so a
test pins it in one place.
"""

from datetime import UTC, date, datetime, time


def today() -> date:
    """The local date: what "today" means to the person at the keyboard."""
    return date.today()


def utcnow() -> datetime:
    """Now in UTC, naive (the database stores UTC without a zone)."""
    return datetime.now(UTC).replace(tzinfo=None)


def day_start_utc(day: date) -> datetime:
    """The first instant of a local day, in naive UTC like recorded_at."""
    return datetime.combine(day, time.min).astimezone(UTC).replace(tzinfo=None)
