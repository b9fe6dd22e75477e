"""A page's query parameters, read as the CLI reads the same options: the same words, the
same rules and the same messages (a bad one is a 400 that says what the CLI would)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tracker.errors import InvalidInput
from tracker.queries.listing import ClaimFilter, claim_conditions
from tracker.queries.reports import RECENT_DAYS, ReportRequest
from tracker.queries.timeline import Timeline
from tracker.rules.dates import parse_date, parse_since, since_day
from tracker.rules.numbers import REPORT_DAYS, REPORT_LIMIT, whole_number

# Each route's parameters, as its command's options (`report`, `sources`, `show`); `tag`
# may be given more than once (all of them), others once.
DAYS = ("as_of", "known_on")
FILTERS = ("tag", "subject", "source")
REPORT = ("as_of", "known_on", "since", "days", *FILTERS, "limit")
SOURCES = (*DAYS, *FILTERS)
CLAIM = DAYS
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


def _date(params: dict[str, list[str]], name: str, today: date) -> date | None:
    text = one(params, name)
    return None if text is None else parse_date(text, today=today)


def timeline(params: dict[str, list[str]], today: date) -> Timeline:
    """When the page looks at the claims: `as_of` and `known_on`, as --as-of and --known-on
    (tracker.cli.app.App.timeline)."""
    return Timeline(today, _date(params, "as_of", today), _date(params, "known_on", today))


def claims(params: dict[str, list[str]]) -> ClaimFilter:
    """Which claims: `tag` (each one given), `subject` and `source`, as the CLI's
    --tag/--subject/--source build the filter. Its conditions are made here, so a bad value
    (an empty tag) is refused before a page starts, in the words the CLI uses."""
    where = ClaimFilter(
        subject=one(params, "subject"), source=one(params, "source"), tags=params.get("tag", [])
    )
    claim_conditions(where)
    return where


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
    when = timeline(params, today)
    request = ReportRequest(
        today=today,
        as_of=when.as_of,
        known_on=when.known_on,
        days=_number(params, "days", REPORT_DAYS) or RECENT_DAYS,
        claims=claims(params),
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
