"""Reading one field of a claim record: its type checked, its text cleaned, its date
exact; an error says what the field should be (tracker.io.records names the field)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from tracker import clock
from tracker.errors import InvalidInput
from tracker.rules import dates
from tracker.rules.identity import is_uid
from tracker.rules.text import clean, one_of


def mapping(value: Any, what: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(f"a {what} must be an object, not {type(value).__name__}")
    unknown = value.keys() - allowed
    if unknown:
        first = sorted(str(k) for k in unknown)[0]
        raise InvalidInput(f"unknown {what} field {first!r}; known: {', '.join(sorted(allowed))}")
    return value


def string(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):  # TOML has native dates
        return value.isoformat()
    if not isinstance(value, str):
        raise InvalidInput(f"field {name!r} must be text, not {type(value).__name__}")
    return value


def text(record: dict[str, Any], name: str, limit: int = 200) -> str | None:
    value = string(record, name)
    return None if value is None else clean(value, name, limit=limit)


@dataclass(frozen=True)
class Dates:
    """How a file's dates are read: none after `today`; numeric ones (7/4/2022) in `order`
    ("dmy" or "mdy", as `import --date-order` says), else only where one reading exists."""

    today: date
    order: str | None = None


@lru_cache(maxsize=4096)  # an import reads the same few dates again and again
def _parse_date(text: str, when: Dates) -> date:
    # Files need dates that mean the same on any day: no `today`, `3 days ago`, `last Tuesday`.
    return dates.parse_date(text, today=when.today, past=True, absolute=True, order=when.order)


def day(record: dict[str, Any], name: str, when: Dates) -> date | None:
    value = string(record, name)
    return None if value is None else _parse_date(value, when)


def required_day(record: dict[str, Any], name: str, when: Dates) -> date:
    on = day(record, name, when)
    if on is None:
        raise InvalidInput("required")
    return on


def uid(record: dict[str, Any], name: str) -> str | None:
    value = string(record, name)
    if value is None:
        return None
    if not is_uid(value):
        raise InvalidInput(f"{value[:40]!r} is not a uid (a lower-case UUID)")
    return value


def word(record: dict[str, Any], name: str, choices: tuple[str, ...]) -> str:
    """One of `choices`, whatever its case."""
    try:
        return one_of(string(record, name) or "", choices, name.replace("_", " "))
    except InvalidInput as exc:
        raise InvalidInput(f"field {name!r}: {exc}") from None


def timestamp(record: dict[str, Any], name: str) -> datetime | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, datetime):  # TOML
        moment = value
    else:
        text = string(record, name) or ""
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInput(f"{text[:40]!r} is not an ISO 8601 timestamp") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    # Never later than now (a day's grace for clocks that disagree): a time in the future
    # would win every "latest edit" merge from then on.
    if moment > clock.utcnow() + timedelta(days=1):
        raise InvalidInput(f"{moment.isoformat()} is in the future")
    return moment


def number(record: dict[str, Any], name: str) -> float:
    value = record.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInput(f"must be a number, not {type(value).__name__}")
    return float(value)


def strings(record: dict[str, Any], name: str) -> list[str]:
    value = record.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput("must be a list of text")
    return value


def items(record: dict[str, Any], name: str) -> list[Any]:
    value = record.get(name) or []
    if not isinstance(value, list):
        raise InvalidInput(f"field {name!r} must be a list")
    return value
