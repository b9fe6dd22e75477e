"""A page's query parameters, read as the CLI reads the same options: the same words, the
same rules and the same messages (a bad one is a 400 that says what the CLI would)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tracker.errors import InvalidInput
from tracker.queries.reports import RECENT_DAYS, ReportRequest
from tracker.rules.dates import parse_date, parse_since, since_day
from tracker.rules.numbers import REPORT_DAYS, REPORT_LIMIT, whole_number

# Each route's parameters; `tag` may be given more than once (all of them), others once.
REPORT = ("as_of", "since", "days", "limit")
AS_OF = ("as_of",)
REPEATABLE = frozenset({"tag"})


def read(items: Sequence[tuple[str, str]], allowed: Sequence[str]) -> dict[str, list[str]]:
    """The parameters by name; an unknown or repeated one is refused, not ignored (a page
    that silently ignored `asof=2022-06-01` would show today's report as if it were
    June's)."""
    found: dict[str, list[str]] = {}
    for name, value in items:
        if name not in allowed:
            known = ", ".join(allowed) if allowed else "none"
            raise InvalidInput(f"unknown parameter {name!r}; this page takes: {known}")
        if name in found and name not in REPEATABLE:
            raise InvalidInput(f"parameter {name!r} given more than once")
        found.setdefault(name, []).append(value)
    return found


def one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[0] if values else None


def as_of(params: dict[str, list[str]], today: date) -> date | None:
    text = one(params, "as_of")
    return None if text is None else parse_date(text, today=today)


def _number(params: dict[str, list[str]], name: str, bounds: tuple[int, int]) -> int | None:
    """A number as the CLI's option reads it, refused in its words: click says "Invalid
    value for '--days': ...", the page "Invalid value for 'days': ..." """
    text = one(params, name)
    if text is None:
        return None
    try:
        return whole_number(text, *bounds)
    except InvalidInput as exc:
        raise InvalidInput(f"Invalid value for {name!r}: {exc}") from None


def report_request(params: dict[str, list[str]], today: date, *, html: bool) -> ReportRequest:
    """The request `report --format html` (or `json`) makes with these options: the page
    lists 50 claims of each list by default, with their evidence; JSON every claim."""
    request = ReportRequest(
        today=today,
        as_of=as_of(params, today),
        days=_number(params, "days", REPORT_DAYS) or RECENT_DAYS,
        details=html,
    )
    since = one(params, "since")
    if since is not None:
        request.since = since_day(
            parse_since(since, today), request.reference, refuse_after="the report's date"
        )
    limit = _number(params, "limit", REPORT_LIMIT)
    if limit is None:
        limit = 50 if html else 0
    request.limit = limit or None
    return request
