"""Dates and expected windows (design.md §5).

`parse_date` is the one place a person's text becomes a date (options, commands and
files all come through it); `parse_window` and `expected_window` read windows.

The grammar is ours: regexes fix the structure and a month-name table the months, so a
missing day or year is never filled in from today and a numeric date is never guessed.
dateutil is used only for calendar arithmetic (relativedelta), never for parsing. One
module, long on purpose: rules are tried in the order they appear, so the grammar is
read top to bottom in one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from dateutil.relativedelta import relativedelta

from tracker import clock
from tracker.errors import InvalidDate, InvalidInput
from tracker.rules.kinds import DATE_ORDERS
from tracker.rules.numbers import DAYS_MAX
from tracker.rules.text import not_after

MIN_YEAR, MAX_YEAR = 1900, 2200  # other years are typos; also keeps arithmetic safe
MAX_LENGTH = 100  # no real phrase is longer; keeps messages and regex work small

_MONTH_NAMES = ["January", "February", "March", "April", "May", "June"]
_MONTH_NAMES += ["July", "August", "September", "October", "November", "December"]
MONTHS = {name.lower(): n for n, name in enumerate(_MONTH_NAMES, 1)}
MONTHS |= {name[:3]: n for name, n in list(MONTHS.items())} | {"sept": 9}
# Northern meteorological seasons, by their first month (winter runs into the next year).
SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
WEEKDAYS = {name: n for n, name in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}  # fmt: skip
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_NUMBERS |= {"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11}
_NUMBERS |= {"twelve": 12}

# Regex pieces; only plain strings hold `{n}` quantifiers, so f-strings below stay safe.
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d\d?)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_COUNT = r"(?P<n>\d+|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + ")"
_SEASON = "(?P<season>" + "|".join(SEASONS) + ")"
_UNIT = "(?P<unit>week|month|quarter|year)"  # calendar periods
_LENGTH = "(?P<unit>day|week|month|year)"  # relativedelta's units
_FLAGS = re.IGNORECASE | re.ASCII  # ASCII: `\d` must not match other scripts' digits

_EXACT = [  # each gives year, month (number or name) and day
    re.compile(_YEAR + r"(?P<sep>[-/.])(?P<month>\d\d?)(?P=sep)(?P<day>\d\d?)", _FLAGS),
    re.compile(r"(?P<year>\d{4})(?P<month>\d\d)(?P<day>\d\d)", _FLAGS),  # 20230912
    re.compile(rf"{_DAY} (?:of )?{_MONTH},? {_YEAR}", _FLAGS),  # 4 July 2022
    # July 4, 2022 / Jul 4 2022 / May 17,2019
    re.compile(rf"{_MONTH} {_DAY}(?: ?, ?| ){_YEAR}", _FLAGS),
]
_NUMERIC = re.compile(r"(?P<a>\d\d?)([-/.])(?P<b>\d\d?)\2(?P<y>\d+)", re.ASCII)
_DATE_WORD = re.compile(rf"\b(?:{_MONTH}|q[1-4]|h[12]|[12]h|mid|early|late|{_SEASON})\b", _FLAGS)

DATES_ACCEPTED = "2022-07-04, 4 July 2022, July 4, 2022, Jul 4 2022, 3 days ago, last Tuesday"
WINDOWS_ACCEPTED = (
    "2022-07-04, July 2022, Q3 2022, H2 2022, 2H24, 2022, mid-2022, late September 2022, "
    "fall 2022, Sept-Oct 2022, September or October, by 2022-09-30, before 2023, July, "
    "September 9, next month, Q1 next year, early next month, year-end, holiday season, "
    "in two weeks, in a few weeks"
)


@dataclass(frozen=True)
class Window:
    text: str  # the phrase as written (stripped)
    start: date
    end: date  # inclusive; start <= end always


Span = tuple[date, date]
Handler = Callable[[re.Match[str], date], Span | None]
Rule = tuple[re.Pattern[str], Handler]
AnyHandler = TypeVar("AnyHandler", bound=Handler)
_SIMPLE: list[Rule] = []
_COMPOSITE: list[Rule] = []  # "by X", "in X", "end of X" where X is a simple phrase


def _rule(table: list[Rule], pattern: str) -> Callable[[AnyHandler], AnyHandler]:
    """Register a handler; rules are tried in the order they appear in this module."""

    def register(handler: AnyHandler) -> AnyHandler:
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


def _exact(s: str, order: str | None = None) -> date | None:
    """An exact date, or None if `s` is not shaped like one. Never guesses: a numeric date
    with two readings needs `order` (a key of DATE_ORDERS) to be read."""
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
    if order is not None:  # the file says which comes first
        day, month = (a, b) if order == "dmy" else (b, a)
        if not 1 <= month <= 12:
            raise InvalidDate(
                f"{_q(s)} is not a {DATE_ORDERS[order]} date: there is no month {month}"
            )
        return _make_date(s, year, month, day)
    day_first = _make_date(s, year, b, a) if b <= 12 else None
    month_first = _make_date(s, year, a, b) if a <= 12 else None
    if day_first and month_first and day_first != month_first:
        raise InvalidDate(
            f"{_q(s)} is ambiguous: {a} {_MONTH_NAMES[b - 1]} {year} or "
            f"{_MONTH_NAMES[a - 1]} {b}, {year}; write {day_first} or {month_first}"
        )
    # One reading only (13/04/2023 can only be 13 April), or both the same day.
    only = day_first or month_first
    if only is None:
        raise InvalidDate(f"{_q(s)} is not a real date; write one that exists, e.g. 2022-07-04")
    return only


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


# -- added for the words people type (design.md §5) ------------------------------------------


def _next_ending(make: Callable[[int], Span], ref: date) -> Span:
    """The first of the yearly periods `make(year)` whose end is on or after `ref`."""
    for year in (ref.year - 1, ref.year, ref.year + 1):
        span = make(year)
        if span[1] >= ref:
            return span
    raise AssertionError("a yearly period always ends within a year")  # pragma: no cover


def _season(season: str, year: int) -> Span:
    """Northern meteorological seasons; winter YEAR is December YEAR to February YEAR+1."""
    start = date(year, SEASONS[season.lower()], 1)
    return start, start + relativedelta(months=3, days=-1)


@_rule(_SIMPLE, rf"(?:the )?{_SEASON},? (?:of )?{_YEAR}")
def _season_of_year(m: re.Match[str], ref: date) -> Span:
    return _season(m["season"], _year(m["year"]))


@_rule(_SIMPLE, rf"this {_SEASON}")
def _this_season(m: re.Match[str], ref: date) -> Span:
    """The one under way on the reference date, else the reference year's."""
    for year in (ref.year - 1, ref.year):
        span = _season(m["season"], year)
        if span[0] <= ref <= span[1]:
            return span
    return _season(m["season"], ref.year)


@_rule(_SIMPLE, rf"next {_SEASON}")
def _next_season(m: re.Match[str], ref: date) -> Span:
    """Next year's, unless this year's is still to come: then it could be either (as
    `next September`)."""
    this_year = _season(m["season"], ref.year)
    if this_year[0] > ref:
        name = m["season"].lower()
        raise InvalidDate(
            f"{_q(m[0])} could mean {name} {ref.year} or {name} {ref.year + 1}; write one of them"
        )
    return _season(m["season"], ref.year + 1)


@_rule(_SIMPLE, rf"(?:the )?{_SEASON}")  # `in the fall`: `in` is a composite
def _coming_season(m: re.Match[str], ref: date) -> Span:
    return _next_ending(lambda year: _season(m["season"], year), ref)


_MONTH_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}  # days of the month


def _part_of_month(part: str, month: int, year: int) -> Span:
    first, last = _MONTH_PARTS[part.lower()]
    end = _period("month", date(year, month, 1))[1]
    return date(year, month, first), min(date(year, month, min(last, end.day)), end)


@_rule(_SIMPLE, rf"(?P<part>early|mid|late)[ -]?{_MONTH},? (?:of )?{_YEAR}")
def _part_of_month_of_year(m: re.Match[str], ref: date) -> Span:
    return _part_of_month(m["part"], _month(m["month"]), _year(m["year"]))


@_rule(_SIMPLE, rf"(?P<part>early|mid|late)[ -]?{_MONTH}")
def _coming_part_of_month(m: re.Match[str], ref: date) -> Span:
    return _next_ending(lambda year: _part_of_month(m["part"], _month(m["month"]), year), ref)


@_rule(_SIMPLE, rf"next {_MONTH}")
def _next_month_named(m: re.Match[str], ref: date) -> Span:
    """Next year's, unless the month is still to come this year: then it could be either."""
    month = _month(m["month"])
    if month > ref.month:
        name = _MONTH_NAMES[month - 1]
        raise InvalidDate(
            f"{_q(m[0])} could mean {name} {ref.year} or {name} {ref.year + 1}; write one of them"
        )
    return _period("month", date(ref.year + 1, month, 1))


@_rule(_SIMPLE, r"(?P<part>early|mid|late)[ -]?(?P<which>this|next) year")
def _part_of_this_or_next_year(m: re.Match[str], ref: date) -> Span:
    year = ref.year + (m["which"].lower() == "next")
    first, last = _PARTS[m["part"].lower()]
    return date(year, first, 1), _period("month", date(year, last, 1))[1]


@_rule(_SIMPLE, r"later (?:this|in the) (?P<unit>week|month|quarter|year)")
def _later_this(m: re.Match[str], ref: date) -> Span:
    return ref, _period(m["unit"].lower(), ref)[1]


@_rule(_SIMPLE, rf"(?:(?P<n>[12])h|(?P<word>first|second) half(?: of)?)[ -]?{_YEAR}")
def _half_written(m: re.Match[str], ref: date) -> Span:
    half = 1 if m["n"] == "1" or (m["word"] or "").lower() == "first" else 2
    start = date(_year(m["year"]), 6 * half - 5, 1)
    return start, start + relativedelta(months=6, days=-1)


@_rule(_SIMPLE, r"(?:q(?P<q>[1-4])|h(?P<h>[12])|(?P<hh>[12])h)")
def _coming_quarter_or_half(m: re.Match[str], ref: date) -> Span:
    """Q3 or H2 without a year: the next one that ends on or after the reference date."""
    if m["q"]:
        return _next_ending(lambda year: _period("quarter", date(year, 3 * int(m["q"]) - 2, 1)),
                            ref)  # fmt: skip
    half = int(m["h"] or m["hh"])
    return _next_ending(
        lambda year: (date(year, 6 * half - 5, 1),
                      date(year, 6 * half - 5, 1) + relativedelta(months=6, days=-1)),
        ref,
    )  # fmt: skip


@_rule(_SIMPLE, rf"{_YEAR}[-/](?P<mm>\d\d)")
@_rule(_SIMPLE, rf"(?P<mm>\d\d?)[-/]{_YEAR}")
def _numeric_month(m: re.Match[str], ref: date) -> Span:
    """2022-09 or 09/2022: a month (a year and a month cannot be confused)."""
    month = int(m["mm"])
    if not 1 <= month <= 12:
        raise InvalidDate(f"{_q(m[0])} is not a real month; write e.g. 2022-09 or 09/2022")
    return _period("month", date(_year(m["year"]), month, 1))


@_rule(_SIMPLE, r"(?P<a>\d{4}) ?[-–—/] ?(?P<b>\d{4})")
def _years(m: re.Match[str], ref: date) -> Span:
    first, last = _year(m["a"]), _year(m["b"])
    if first > last:
        raise InvalidDate(f"{_q(m[0])} ends before it starts")
    return date(first, 1, 1), date(last, 12, 31)


@_rule(_SIMPLE, rf"(?P<which>this|next) {_UNIT}")
def _this_or_next(m: re.Match[str], ref: date) -> Span:
    unit = m["unit"].lower()
    start = _period(unit, ref)[0]
    return _period(unit, start + _STEP[unit] if m["which"].lower() == "next" else start)


@_rule(_SIMPLE, rf"(?:(?:in|within) (?:the next )?)?{_COUNT} {_LENGTH}s?")
def _count(m: re.Match[str], ref: date) -> Span:
    return ref, ref + _length(m)


_LENGTHS: dict[str, Callable[[int], relativedelta]] = {
    "day": lambda n: relativedelta(days=n),
    "week": lambda n: relativedelta(weeks=n),
    "month": lambda n: relativedelta(months=n),
    "year": lambda n: relativedelta(years=n),
}


def _length(m: re.Match[str]) -> relativedelta:
    """The length a `_COUNT` and a `_LENGTH` give: `3 days`, `two weeks`, `a year`."""
    n = m["n"].lower()
    return _LENGTHS[m["unit"].lower()](int(n) if n.isdigit() else _NUMBERS[n])


@_rule(_SIMPLE, rf"(?:by |before )?(?:the )?end of (?:(?:the|this) )?{_UNIT}")
def _to_end_of_period(m: re.Match[str], ref: date) -> Span:
    return ref, _period(m["unit"].lower(), ref)[1]


# -- added for the daily loop (design.md §5): what editors type while logging a rumour ------------


def _half_span(half: int, year: int) -> Span:
    start = date(year, 6 * half - 5, 1)
    return start, start + relativedelta(months=6, days=-1)


@_rule(_SIMPLE, r"(?P<n>[12])h(?P<yy>\d\d)")
@_rule(_SIMPLE, r"(?P<q>[1-4])q(?P<yy>\d\d)")
def _analyst_shorthand(m: re.Match[str], ref: date) -> Span:
    """An analyst's `2H24`, `1H25`, `3Q24` (Kuo's notation): always this century, and only
    written solid (`Q3 22`, with a space, is a year cut short and refused)."""
    year, found = 2000 + int(m["yy"]), m.groupdict()
    if found.get("n"):
        return _half_span(int(found["n"]), year)
    return _period("quarter", date(year, 3 * int(found["q"]) - 2, 1))


@_rule(_SIMPLE, r"(?:q(?P<q>[1-4])|h(?P<h>[12])|(?P<hh>[12])h|(?P<word>first|second) half)"
       r"[ -]?(?:of )?(?P<which>this|next) year")  # fmt: skip
def _period_of_this_or_next_year(m: re.Match[str], ref: date) -> Span:
    """`Q1 next year`, `H2 this year`, `second half of next year`."""
    year = ref.year + (m["which"].lower() == "next")
    if m["q"]:
        return _period("quarter", date(year, 3 * int(m["q"]) - 2, 1))
    word = (m["word"] or "").lower()
    return _half_span(1 if "1" in (m["h"], m["hh"]) or word == "first" else 2, year)


@_rule(_SIMPLE, r"(?P<part>early|mid|late)[ -]?(?P<which>this|next) month")
def _part_of_this_or_next_month(m: re.Match[str], ref: date) -> Span:
    month = date(ref.year, ref.month, 1) + relativedelta(months=m["which"].lower() == "next")
    return _part_of_month(m["part"], month.month, month.year)


@_rule(_SIMPLE, r"(?:(?:by|before|until|at) )?(?:the )?(?P<unit>week|month|quarter|year)[- ]?end")
def _to_period_end(m: re.Match[str], ref: date) -> Span:
    """`by year-end`, `at month end`: from the reference date to the end of its period."""
    return ref, _period(m["unit"].lower(), ref)[1]


def _next_day(s: str, month: int, day: int, ref: date) -> Span:
    """The first `month` `day` on or after `ref` (a 29 February may be years away)."""
    for year in range(ref.year, ref.year + 9):
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found >= ref:
            return found, found
    raise InvalidDate(f"{_q(s)} is not a real date; write one that exists, e.g. 2022-07-04")


_YEARLESS_DAYS = (rf"{_MONTH} {_DAY}", rf"(?:the )?{_DAY} (?:of )?{_MONTH}")


@_rule(_SIMPLE, _YEARLESS_DAYS[0])
@_rule(_SIMPLE, _YEARLESS_DAYS[1])
def _coming_day(m: re.Match[str], ref: date) -> Span:
    """`September 9` without a year, where a window is read: the next one on or after the
    reference date, as a month name alone is the next such month."""
    return _next_day(m[0], _month(m["month"]), int(m["day"]), ref)


_HOLIDAYS = r"(?:holiday season|holidays|holiday shopping season)"


@_rule(_SIMPLE, rf"(?:(?:the|this) )?{_HOLIDAYS}(?:,? (?:of )?{_YEAR})?")
@_rule(_SIMPLE, rf"(?:the )?{_YEAR} {_HOLIDAYS}")
def _holiday_season(m: re.Match[str], ref: date) -> Span:
    """The year-end holiday (shopping) season: November and December."""
    if m["year"]:
        return date(_year(m["year"]), 11, 1), date(_year(m["year"]), 12, 31)
    return _next_ending(lambda year: (date(year, 11, 1), date(year, 12, 31)), ref)


@_rule(_SIMPLE, rf"christmas(?P<eve> eve)?(?: day)?(?:,? {_YEAR})?")
def _christmas(m: re.Match[str], ref: date) -> Span:
    day = 24 if m["eve"] else 25
    if m["year"]:
        return date(_year(m["year"]), 12, day), date(_year(m["year"]), 12, day)
    return _next_day(m[0], 12, day, ref)


# "A few" weeks is read as up to six (the window's end is what counts: due, then overdue);
# "a couple" as two, as `in two weeks` is.
FEW = 6
_VAGUE = {"few": FEW, "several": FEW, "couple": 2}


@_rule(_SIMPLE, rf"(?:(?:in|within|over|during) )?(?:the )?(?:next|coming)"
                rf"(?: (?P<vague>few|several|couple)(?: of)?)? {_LENGTH}s")  # fmt: skip
@_rule(_SIMPLE, rf"(?:(?:in|within|over) )?(?:a )?(?P<vague>few|several|couple)(?: of)? {_LENGTH}s")
@_rule(_SIMPLE, rf"within {_LENGTH}s")
def _vague_count(m: re.Match[str], ref: date) -> Span:
    """`in the coming weeks`, `in a few weeks`, `within the next few months`, `in a couple
    of weeks`, `within weeks`: from the reference date to that many units later."""
    vague = (m.groupdict().get("vague") or "few").lower()
    return ref, ref + _LENGTHS[m["unit"].lower()](_VAGUE[vague])


@_rule(_COMPOSITE, r"(?:by |before )?(?:the )?end of (?P<inner>.+)")
@_rule(_COMPOSITE, r"(?:by|until|in time for) (?P<inner>.+)")
def _until(m: re.Match[str], ref: date) -> Span | None:
    span = _simple_span(m["inner"], ref)
    if span is None:
        return None
    if span[1] < ref:
        raise InvalidDate(f"{_q(m[0])} is before the reference date {ref}")
    return ref, span[1]


@_rule(_COMPOSITE, r"on (?P<inner>.+)")
def _on(m: re.Match[str], ref: date) -> Span | None:
    """`on September 9`, `on 2024-09-09`: a day, never a longer period (`on July`)."""
    span = _simple_span(m["inner"], ref)
    return span if span is not None and span[0] == span[1] else None


@_rule(_COMPOSITE, r"in (?P<inner>.+)")
def _in(m: re.Match[str], ref: date) -> Span | None:
    return _simple_span(m["inner"], ref)


@_rule(_COMPOSITE, r"before (?P<inner>.+)")
def _before(m: re.Match[str], ref: date) -> Span | None:
    span = _simple_span(m["inner"], ref)
    if span is None:
        return None
    end = span[0] - timedelta(days=1)
    if end < ref:
        raise InvalidDate(f"{_q(m[0])} is before the reference date {ref}")
    return ref, end


_NO_YEAR = re.compile(r"\d{4}", re.ASCII)


@_rule(_COMPOSITE, r"(?P<a>.+?) ?(?:[–—/-]| to | through | or ) ?(?P<b>.+)")
def _range(m: re.Match[str], ref: date) -> Span | None:
    """`Sept–Oct 2023`, `Q3/Q4 2023`, `July 2022 - March 2023`, `September or October`,
    `2H24-1H25`: the first's start to the last's end; a first part without a year takes
    the last part's (or the year before)."""
    last = _simple_span(m["b"], ref)
    if last is None:
        return None
    first = None
    if not _NO_YEAR.search(m["a"]):
        for year in (last[0].year, last[0].year - 1):
            first = _simple_span(f"{m['a']} {year}", ref)
            if first is None or first[0] <= last[0]:
                break
    if first is None:  # a part that names its own year, or needs none (`2H24`)
        first = _simple_span(m["a"], ref)
    if first is None:
        return None
    if first[0] > last[1]:
        raise InvalidDate(f"{_q(m[0])} ends before it starts")
    return first[0], last[1]


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
    if numbers and all(len(n) <= 2 for n in numbers) and (word := _DATE_WORD.search(s)):
        first = word[0].lower()
        example = {"q": "Q3 2022", "h": "H2 2022", "1": "1H 2022", "2": "2H 2022"}.get(
            first[0], "fall 2022" if first in SEASONS else "4 July 2022 or July 2022"
        )
        raise InvalidDate(f"{_q(s)} has no 4-digit year; write e.g. {example}")


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


def expected_window(text: str, said_on: date) -> Window:
    """A claim's expected window: read relative to the day it was said, and not over by then
    (a claim overdue the moment it is logged is a misread phrase)."""
    window = parse_window(text, said_on)
    refuse_over(window.text, window.end, said_on)
    return window


def refuse_over(text: str, end: date, said_on: date) -> None:
    """A window (`text`, ending on `end`) may not be over before its claim was said."""
    if end < said_on:
        raise InvalidDate(f"{_q(text)} ends on {end}, before the claim was said on {said_on}")


_YEARLESS_DATES = [re.compile(rf"(?:on )?{day}", _FLAGS) for day in _YEARLESS_DAYS]
_AGO = re.compile(rf"{_COUNT} {_LENGTH}s? ago", _FLAGS)
_LAST_WEEKDAY = re.compile(r"last (?P<day>" + "|".join(WEEKDAYS) + ")", _FLAGS)


def _counted_back(s: str) -> Callable[[date], date] | None:
    """How `today`, `yesterday`, `3 days ago`, `two weeks ago` and `last Tuesday` (strictly
    before) count back from a day; None for any other text. The counting is left to the
    caller, so a phrase is known to be relative before its arithmetic can fail."""
    back = {"today": 0, "yesterday": 1}.get(s.lower())
    if back is not None:
        return lambda today: today - timedelta(days=back)
    if ago := _AGO.fullmatch(s):
        return lambda today: today - _length(ago)
    if m := _LAST_WEEKDAY.fullmatch(s):
        weekday = WEEKDAYS[m["day"].lower()]
        return lambda today: today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
    return None


def parse_date(
    text: str, *, today: date | None = None, past: bool = False, absolute: bool = False,
    order: str | None = None, accepted: str = f"{DATES_ACCEPTED}, today or yesterday",
) -> date:  # fmt: skip
    """One exact date from what a person wrote: the one place user text becomes a date.

    `today`, `yesterday`, `N days ago` and `last Tuesday` count from `today` (default:
    tracker.clock's local date). `past`: a day something happened, so not after today. `absolute`:
    a date in a file, which must mean the same day whenever it is read, so none of those
    relative phrases. `order` ("dmy" or "mdy"): how a file's numeric dates are written, which
    reads 7/4/2022 without refusing it as ambiguous. A window phrase is refused: a single
    date is needed. `accepted`: the forms an unreadable value's message lists."""
    today = clock.today() if today is None else today
    s = _normalize(text)
    back = _counted_back(s)
    if back is not None and absolute:
        raise InvalidInput(f"{text.strip()!r} changes meaning from day to day; write the date")
    with _years_checked(s):
        d = back(today) if back is not None else _exact(s, order)
    if d is not None:
        if not MIN_YEAR <= d.year <= MAX_YEAR:
            raise _out_of_range(s)
        return not_after(d, today) if past else d
    # A window takes the next `July 4`; one date needs its year.
    if any(pattern.fullmatch(s) for pattern in _YEARLESS_DATES):
        raise InvalidDate(f"{_q(s)} has no 4-digit year; write e.g. 4 July 2022")
    try:
        parse_window(s, today)
    except InvalidDate:
        _refuse_missing_year(s)
        msg = f"{_q(s)} is not a single date; use {accepted}"
        raise InvalidDate(msg) from None
    raise InvalidDate(f"{_q(s)} is a window, but one date is needed: e.g. 2022-07-04")


def format_date(d: date) -> str:
    """ISO YYYY-MM-DD (built by hand so a datetime prints as a date too)."""
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


# Durations: how far back `--since` looks, how far ahead `--due-within` and `due --within`.
DURATIONS_ACCEPTED = "7d, 2w or 3m"
SINCE_ACCEPTED = f"{DATES_ACCEPTED}, today, or a time back: {DURATIONS_ACCEPTED}"
_DURATION = re.compile(r"\s*(?P<n>\d+)\s*(?P<unit>[dwm]?)\s*", _FLAGS)
_UNITS = {"d": relativedelta(days=1), "w": relativedelta(weeks=1), "m": relativedelta(months=1)}
_LONGEST = {"d": 1, "w": 7, "m": 31}  # days, a month at its longest: the bound's arithmetic


@dataclass(frozen=True)
class Duration:
    """`7d`, `2w` or `3m`: a count of days, weeks or calendar months."""

    count: int
    unit: str  # "d", "w" or "m"

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"

    def before(self, day: date) -> date:
        try:
            earlier: date = day - _UNITS[self.unit] * self.count
        except (ValueError, OverflowError):
            earlier = date.min
        if earlier.year < MIN_YEAR:
            raise InvalidDate(f"{self} goes back before {MIN_YEAR}")
        return earlier

    def after(self, day: date) -> date:
        with _years_checked(str(self)):
            later: date = day + _UNITS[self.unit] * self.count
        return later

    def days_after(self, day: date) -> int:
        """The duration in days from `day` on (months are calendar months)."""
        return (self.after(day) - day).days


def parse_duration(text: str, *, bare_days: bool = False) -> Duration:
    """`7d`, `2w`, `3m`; with `bare_days`, a number alone is days (`--due-within 30`). At
    most DAYS_MAX days, a month counted at its longest. Every refusal names the forms and
    the most."""
    alone = " (a number alone is days)" if bare_days else ""
    forms = f"give days, weeks or months, as {DURATIONS_ACCEPTED}{alone}, up to {DAYS_MAX} days"
    m = _DURATION.fullmatch(text)
    if m is None or (not m["unit"] and not bare_days):
        raise InvalidDate(f"{_q(text)} is not a duration: {forms}")
    digits, unit = m["n"].lstrip("0") or "0", (m["unit"] or "d").lower()
    # A number long enough to be too big however it is read is too long, not unreadable.
    if len(digits) > len(str(DAYS_MAX)) or int(digits) * _LONGEST[unit] > DAYS_MAX:
        raise InvalidDate(f"{_q(text)} is too long: {forms}")
    return Duration(int(digits), unit)


Since = date | Duration  # a day, or a time back from the command's reference date


def parse_since(text: str, today: date) -> Since:
    """`--since`: a date or a phrase (`2022-07-04`, `3 days ago`) or a time back (`7d`, `2w`,
    `3m`, counted from the command's reference date by `since_day`). An unreadable value's
    message shows every accepted form."""
    if _DURATION.fullmatch(text) and not text.strip().isdigit():
        return parse_duration(text)
    return parse_date(text, today=today, accepted=SINCE_ACCEPTED)


def since_day(since: Since, reference: date, *, refuse_after: str | None = None) -> date:
    """The first day `since` means for a command about `reference` (today, or its --as-of).
    `refuse_after` names the reference for a command that refuses a later day (a report:
    nothing it covers could have changed after its date)."""
    try:
        day = since.before(reference) if isinstance(since, Duration) else since
    except InvalidDate as exc:
        raise InvalidDate(f"--since {exc}") from None
    if refuse_after is not None and day > reference:
        raise InvalidDate(f"--since {day} is after {refuse_after}, {reference}")
    return day
