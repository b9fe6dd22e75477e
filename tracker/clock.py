"""The two notions of now: the user's local date, and UTC instants for recorded_at."""

from datetime import UTC, date, datetime


def today() -> date:
    """The local date: what "today" means to the person at the keyboard."""
    return date.today()


def utcnow() -> datetime:
    """Now in UTC, naive (the database stores UTC without a zone)."""
    return datetime.now(UTC).replace(tzinfo=None)
