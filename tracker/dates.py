"""Dates and expected windows (SPEC section 4).

The grammar is ours: regexes fix the structure and a month-name table the months, so a
missing day or year is never filled in from today and a numeric date is never guessed.
dateutil is used only for calendar arithmetic (relativedelta), never for parsing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from tracker.errors import InvalidDate

MIN_YEAR, MAX_YEAR = 1900, 2200  # other years are typos; also keeps arithmetic safe
MAX_LENGTH = 100  # no real phrase is longer; keeps messages and regex work small

_MONTH_NAMES = ["January", "February", "March", "April", "May", "June"]
_MONTH_NAMES += ["July", "August", "September", "October", "November", "December"]
MONTHS = {name.lower(): n for n, name in enumerate(_MONTH_NAMES, 1)}
MONTHS |= {name[:3]: n for name, n in list(MONTHS.items())} | {"sept": 9}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_NUMBERS |= {"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11}
_NUMBERS |= {"twelve": 12}

# Regex pieces; only plain strings hold `{n}` quantifiers, so f-strings below stay safe.
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d\d?)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_COUNT = r"(?P<n>\d+|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + ")"
_UNIT = "(?P<unit>week|month|quarter|year)"  # calendar periods
_LENGTH = "(?P<unit>day|week|month|year)"  # relativedelta's units
_FLAGS = re.IGNORECASE | re.ASCII  # ASCII: `\d` must not match other scripts' digits

_EXACT = [  # each gives year, month (number or name) and day
    re.compile(_YEAR + r"(?P<sep>[-/.])(?P<month>\d\d?)(?P=sep)(?P<day>\d\d?)", _FLAGS),
    re.compile(rf"{_DAY} (?:of )?{_MONTH},? {_YEAR}", _FLAGS),  # 4 July 2022
    # July 4, 2022 / Jul 4 2022 / May 17,2019
    re.compile(rf"{_MONTH} {_DAY}(?: ?, ?| ){_YEAR}", _FLAGS),
]
_NUMERIC = re.compile(r"(?P<a>\d\d?)([-/.])(?P<b>\d\d?)\2(?P<y>\d+)", re.ASCII)
_DATE_WORD = re.compile(rf"\b(?:{_MONTH}|q[1-4]|h[12]|mid|early|late)\b", _FLAGS)

DATES_ACCEPTED = "2022-07-04, 4 July 2022, July 4, 2022, Jul 4 2022"
WINDOWS_ACCEPTED = (
    "2022-07-04, July 2022, Q3 2022, H2 2022, 2022, mid-2022, early/late 2022, "
    "by 2022-09-30, July, this July, this/next month, next quarter, next year, "
    "end of the year, in two weeks, within 30 days"
)


@dataclass(frozen=True)
class Window:
    text: str  # the phrase as written (stripped)
    start: date
    end: date  # inclusive; start <= end always


Span = tuple[date, date]
Rule = tuple[re.Pattern[str], Callable[[re.Match[str], date], Span | None]]
_SIMPLE: list[Rule] = []
_COMPOSITE: list[Rule] = []  # "by X", "in X", "end of X" where X is a simple phrase


def _rule(table: list[Rule], pattern: str) -> Callable:
    """Register a handler; rules are tried in the order they appear in this module."""

    def register(handler: Callable) -> Callable:
        table.append((re.compile(pattern, _FLAGS), handler))
        return handler

    return register


def _q(text: str) -> str:
    """Quote input on one line: repr escapes control characters; long input is cut."""
    return repr(text[:60]) + ("..." if len(text) > 60 else "")


def _year(digits: str) -> int:
    if not MIN_YEAR <= int(digits) <= MAX_YEAR:
        raise ValueError(digits)  # _years_checked refuses it, quoting the input
    return int(digits)


def _out_of_range(s: str) -> InvalidDate:
    return InvalidDate(f"{_q(s)} falls outside the years {MIN_YEAR}..{MAX_YEAR}")


@contextmanager
def _years_checked(s: str) -> Iterator[None]:
    """Refuse `s` for a year outside the range (see _year) or arithmetic past 9999."""
    try:
        yield
    except (ValueError, OverflowError):
        raise _out_of_range(s) from None


def _month(name: str) -> int:
    return MONTHS[name.lower()]


def _make_date(s: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        msg = f"{_q(s)} is not a real date; write one that exists, e.g. 2022-07-04"
        raise InvalidDate(msg) from None


def _exact(s: str) -> date | None:
    """An exact date, or None if `s` is not shaped like one. Never guesses."""
    for pattern in _EXACT:
        if m := pattern.fullmatch(s):
            month = m["month"]
            number = int(month) if month.isdigit() else _month(month)
            return _make_date(s, _year(m["year"]), number, int(m["day"]))
    if not (m := _NUMERIC.fullmatch(s)):
        return None
    # Day-first and month-first are both common: refuse and name the readings.
    if len(m["y"]) != 4:
        raise InvalidDate(f"{_q(s)} needs a 4-digit year; write e.g. 2022-07-04")
    year, a, b = _year(m["y"]), int(m["a"]), int(m["b"])
    day_first = _make_date(s, year, b, a) if b <= 12 else None
    month_first = _make_date(s, year, a, b) if a <= 12 else None
    if day_first and month_first and day_first != month_first:
        raise InvalidDate(
            f"{_q(s)} is ambiguous: {a} {_MONTH_NAMES[b - 1]} {year} or "
            f"{_MONTH_NAMES[a - 1]} {b}, {year}; write {day_first} or {month_first}"
        )
    only = day_first or month_first
    raise InvalidDate(f"{_q(s)}: numeric dates must be year first; write {only}")


def _period(unit: str, d: date) -> Span:
    """The calendar week (Monday first), month, quarter or year containing `d`."""
    if unit == "week":
        start = d - timedelta(days=d.weekday())
        return start, start + timedelta(days=6)
    if unit == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    months = 1 if unit == "month" else 3
    start = date(d.year, (d.month - 1) // months * months + 1, 1)
    return start, start + relativedelta(months=months, days=-1)


_STEP = {"week": relativedelta(weeks=1), "month": relativedelta(months=1)}
_STEP |= {"quarter": relativedelta(months=3), "year": relativedelta(years=1)}
_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}  # months, first to last


@_rule(_SIMPLE, rf"{_MONTH},? (?:of )?{_YEAR}")
def _month_of_year(m: re.Match[str], ref: date) -> Span:
    return _period("month", date(_year(m["year"]), _month(m["month"]), 1))


@_rule(_SIMPLE, r"q(?P<q>[1-4])[ -]?" + _YEAR)
def _quarter(m: re.Match[str], ref: date) -> Span:
    return _period("quarter", date(_year(m["year"]), 3 * int(m["q"]) - 2, 1))


@_rule(_SIMPLE, r"h(?P<h>[12])[ -]?" + _YEAR)
def _half(m: re.Match[str], ref: date) -> Span:
    start = date(_year(m["year"]), 6 * int(m["h"]) - 5, 1)
    return start, start + relativedelta(months=6, days=-1)


@_rule(_SIMPLE, _YEAR)
def _whole_year(m: re.Match[str], ref: date) -> Span:
    return _period("year", date(_year(m["year"]), 1, 1))


@_rule(_SIMPLE, r"(?P<part>early|mid|late)[ -]?" + _YEAR)
def _part_of_year(m: re.Match[str], ref: date) -> Span:
    first, last = _PARTS[m["part"].lower()]
    year = _year(m["year"])
    return date(year, first, 1), _period("month", date(year, last, 1))[1]


@_rule(_SIMPLE, rf"{_MONTH} this year")
@_rule(_SIMPLE, rf"this {_MONTH}")
def _month_this_year(m: re.Match[str], ref: date) -> Span:
    return _period("month", date(ref.year, _month(m["month"]), 1))


@_rule(_SIMPLE, _MONTH)
def _next_such_month(m: re.Match[str], ref: date) -> Span:
    month = _month(m["month"])  # on or after the reference: its own month counts
    return _period("month", date(ref.year + (month < ref.month), month, 1))


@_rule(_SIMPLE, rf"(?P<which>this|next) {_UNIT}")
def _this_or_next(m: re.Match[str], ref: date) -> Span:
    unit = m["unit"].lower()
    start = _period(unit, ref)[0]
    return _period(unit, start + _STEP[unit] if m["which"].lower() == "next" else start)


@_rule(_SIMPLE, rf"(?:in|within) (?:the next )?{_COUNT} {_LENGTH}s?")
def _count(m: re.Match[str], ref: date) -> Span:
    n = m["n"].lower()
    step = {m["unit"].lower() + "s": int(n) if n.isdigit() else _NUMBERS[n]}
    return ref, ref + relativedelta(**step)


@_rule(_SIMPLE, rf"(?:by )?(?:the )?end of (?:(?:the|this) )?{_UNIT}")
def _to_end_of_period(m: re.Match[str], ref: date) -> Span:
    return ref, _period(m["unit"].lower(), ref)[1]


@_rule(_COMPOSITE, r"(?:by )?(?:the )?end of (?P<inner>.+)")
@_rule(_COMPOSITE, r"by (?P<inner>.+)")
def _until(m: re.Match[str], ref: date) -> Span | None:
    span = _simple_span(m["inner"], ref)
    if span is None:
        return None
    if span[1] < ref:
        raise InvalidDate(f"{_q(m[0])} is before the reference date {ref}")
    return ref, span[1]


@_rule(_COMPOSITE, r"in (?P<inner>.+)")
def _in(m: re.Match[str], ref: date) -> Span | None:
    return _simple_span(m["inner"], ref)


def _first_span(s: str, ref: date, rules: list[Rule]) -> Span | None:
    for pattern, handler in rules:
        if (m := pattern.fullmatch(s)) and (span := handler(m, ref)) is not None:
            return span
    return None


def _simple_span(s: str, ref: date) -> Span | None:
    d = _exact(s)
    return (d, d) if d else _first_span(s, ref, _SIMPLE)


def _normalize(text: str) -> str:
    s = " ".join(text.split())
    if not s:
        raise InvalidDate(f"no date given; use e.g. {DATES_ACCEPTED}")
    if len(s) > MAX_LENGTH:
        raise InvalidDate(f"{_q(s)} is too long to be a date")
    return s


def _refuse_missing_year(s: str) -> None:
    """`July 4`, `Jul '22`, `Q3 22`: a year is missing or cut short; never guess it."""
    numbers = re.findall(r"\d+", s, re.ASCII)
    if numbers and all(len(n) <= 2 for n in numbers) and _DATE_WORD.search(s):
        msg = f"{_q(s)} has no 4-digit year; write e.g. 4 July 2022 or July 2022"
        raise InvalidDate(msg)


def parse_window(text: str, reference: date) -> Window:
    """An expected window relative to `reference` (the claim's said_on).

    An exact date is a one-day window."""
    s = _normalize(text)
    with _years_checked(s):
        span = _simple_span(s, reference) or _first_span(s, reference, _COMPOSITE)
    if span is None:
        _refuse_missing_year(s)
        raise InvalidDate(f"{_q(s)} is not a window I know; use {WINDOWS_ACCEPTED}")
    start, end = span
    if start > end:  # cannot happen by construction; never hand one out anyway
        raise InvalidDate(f"{_q(s)} ends before it starts")
    if start.year < MIN_YEAR or end.year > MAX_YEAR:
        raise _out_of_range(s)
    return Window(text.strip(), start, end)


def parse_date(text: str, *, today: date | None = None) -> date:
    """One exact date; `today` and `yesterday` count from `today` (default: local date).

    A window phrase is refused: a single date is needed."""
    today = date.today() if today is None else today
    s = _normalize(text)
    with _years_checked(s):
        back = {"today": 0, "yesterday": 1}.get(s.lower())
        d = _exact(s) if back is None else today - timedelta(days=back)
    if d is not None:
        if not MIN_YEAR <= d.year <= MAX_YEAR:
            raise _out_of_range(s)
        return d
    try:
        parse_window(s, today)
    except InvalidDate:
        _refuse_missing_year(s)
        msg = f"{_q(s)} is not a single date; use {DATES_ACCEPTED}, today or yesterday"
        raise InvalidDate(msg) from None
    raise InvalidDate(f"{_q(s)} is a window, but one date is needed: e.g. 2022-07-04")


def format_date(d: date) -> str:
    """ISO YYYY-MM-DD (built by hand so a datetime prints as a date too)."""
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
