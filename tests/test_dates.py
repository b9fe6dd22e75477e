"""Every phrase of design.md §5, its refusals, and property tests of the parsers."""

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import PinnedClock

from tracker.errors import InvalidDate, InvalidInput
from tracker.rules.dates import (
    Duration,
    Window,
    expected_window,
    format_date,
    parse_date,
    parse_duration,
    parse_since,
    parse_window,
    since_day,
)
from tracker.rules.numbers import DAYS_MAX

SAID = date(2022, 5, 23)  # the seed article's date, a Monday
AUGUST = date(2022, 8, 10)  # past July: "July" alone now means next year's
DECEMBER = date(2022, 12, 15)  # "next month" and "next quarter" cross the year

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July"]
MONTH_NAMES += ["August", "September", "October", "November", "December"]

# (reference, phrase, start, end)
PHRASES = [
    # exact dates: one-day windows
    (SAID, "2022-07-04", "2022-07-04", "2022-07-04"),
    (SAID, "4 July 2022", "2022-07-04", "2022-07-04"),
    (SAID, "July 4, 2022", "2022-07-04", "2022-07-04"),
    (SAID, "Jul 4 2022", "2022-07-04", "2022-07-04"),
    (SAID, "4 Jul 2022", "2022-07-04", "2022-07-04"),
    (SAID, "July 4 2022", "2022-07-04", "2022-07-04"),
    (SAID, "4th of July 2022", "2022-07-04", "2022-07-04"),
    (SAID, "Sept 30, 2022", "2022-09-30", "2022-09-30"),
    (SAID, "2024-11-06", "2024-11-06", "2024-11-06"),  # trap: not June 11
    (SAID, "May 17,2019", "2019-05-17", "2019-05-17"),  # trap: not the current year
    (SAID, "2024-02-29", "2024-02-29", "2024-02-29"),
    # windows
    (SAID, "July 2022", "2022-07-01", "2022-07-31"),
    (SAID, "Feb 2024", "2024-02-01", "2024-02-29"),
    (SAID, "Q1 2023", "2023-01-01", "2023-03-31"),
    (SAID, "Q2 2022", "2022-04-01", "2022-06-30"),
    (SAID, "Q3 2022", "2022-07-01", "2022-09-30"),
    (SAID, "q4 2022", "2022-10-01", "2022-12-31"),
    (SAID, "H1 2023", "2023-01-01", "2023-06-30"),
    (SAID, "H2 2022", "2022-07-01", "2022-12-31"),
    (SAID, "2022", "2022-01-01", "2022-12-31"),
    (SAID, "2023", "2023-01-01", "2023-12-31"),
    (SAID, "mid-2022", "2022-05-01", "2022-08-31"),
    (SAID, "mid 2023", "2023-05-01", "2023-08-31"),
    (SAID, "late 2022", "2022-09-01", "2022-12-31"),
    (SAID, "early 2022", "2022-01-01", "2022-04-30"),
    (SAID, "early 2023", "2023-01-01", "2023-04-30"),
    (SAID, "by 2022-09-30", "2022-05-23", "2022-09-30"),
    (SAID, "by 30 September 2022", "2022-05-23", "2022-09-30"),
    (SAID, "by September 30, 2022", "2022-05-23", "2022-09-30"),
    (SAID, "by Sep 30 2022", "2022-05-23", "2022-09-30"),
    (SAID, "by 2022-05-23", "2022-05-23", "2022-05-23"),  # the reference itself
    (SAID, "by July 2022", "2022-05-23", "2022-07-31"),
    (SAID, "by Q3 2022", "2022-05-23", "2022-09-30"),
    # relative phrases
    (SAID, "July this year", "2022-07-01", "2022-07-31"),
    (SAID, "this July", "2022-07-01", "2022-07-31"),
    (SAID, "next month", "2022-06-01", "2022-06-30"),
    (SAID, "next quarter", "2022-07-01", "2022-09-30"),
    (SAID, "next year", "2023-01-01", "2023-12-31"),
    (SAID, "end of the year", "2022-05-23", "2022-12-31"),
    (SAID, "by the end of the year", "2022-05-23", "2022-12-31"),
    (SAID, "by end of year", "2022-05-23", "2022-12-31"),
    (SAID, "end of this year", "2022-05-23", "2022-12-31"),
    (SAID, "in two weeks", "2022-05-23", "2022-06-06"),
    (SAID, "in 2 weeks", "2022-05-23", "2022-06-06"),
    (SAID, "within 30 days", "2022-05-23", "2022-06-22"),
    (SAID, "in 3 months", "2022-05-23", "2022-08-23"),
    (SAID, "in three months", "2022-05-23", "2022-08-23"),
    (SAID, "within twelve months", "2022-05-23", "2023-05-23"),
    (SAID, "in a year", "2022-05-23", "2023-05-23"),
    (SAID, "in one day", "2022-05-23", "2022-05-24"),
    (SAID, "within the next 6 months", "2022-05-23", "2022-11-23"),
    (SAID, "July", "2022-07-01", "2022-07-31"),
    (SAID, "Jul", "2022-07-01", "2022-07-31"),
    (SAID, "May", "2022-05-01", "2022-05-31"),  # the reference's own month counts
    (SAID, "April", "2023-04-01", "2023-04-30"),
    # sensible additions
    (SAID, "this month", "2022-05-01", "2022-05-31"),
    (SAID, "this quarter", "2022-04-01", "2022-06-30"),
    (SAID, "this year", "2022-01-01", "2022-12-31"),
    (SAID, "this week", "2022-05-23", "2022-05-29"),
    (SAID, "next week", "2022-05-30", "2022-06-05"),
    (SAID, "end of the month", "2022-05-23", "2022-05-31"),
    (SAID, "by the end of the quarter", "2022-05-23", "2022-06-30"),
    (SAID, "by the end of 2022", "2022-05-23", "2022-12-31"),
    (SAID, "end of Q3 2022", "2022-05-23", "2022-09-30"),
    (SAID, "end of next year", "2022-05-23", "2023-12-31"),
    (SAID, "by July", "2022-05-23", "2022-07-31"),
    (SAID, "in July", "2022-07-01", "2022-07-31"),
    (SAID, "in July 2022", "2022-07-01", "2022-07-31"),
    (SAID, "in H2 2022", "2022-07-01", "2022-12-31"),
    (SAID, "in July this year", "2022-07-01", "2022-07-31"),
    # case and whitespace
    (SAID, "  NEXT   Month \n", "2022-06-01", "2022-06-30"),
    (SAID, "jULY\t2022", "2022-07-01", "2022-07-31"),
    # a reference after July: "July" alone moves on, "this July" does not
    (AUGUST, "July", "2023-07-01", "2023-07-31"),
    (AUGUST, "Jul", "2023-07-01", "2023-07-31"),
    (AUGUST, "August", "2022-08-01", "2022-08-31"),
    (AUGUST, "this July", "2022-07-01", "2022-07-31"),
    (AUGUST, "July this year", "2022-07-01", "2022-07-31"),
    (AUGUST, "next quarter", "2022-10-01", "2022-12-31"),
    (AUGUST, "end of the year", "2022-08-10", "2022-12-31"),
    (AUGUST, "in 3 months", "2022-08-10", "2022-11-10"),
    # a reference in December
    (DECEMBER, "next month", "2023-01-01", "2023-01-31"),
    (DECEMBER, "next quarter", "2023-01-01", "2023-03-31"),
    (DECEMBER, "next week", "2022-12-19", "2022-12-25"),
    (DECEMBER, "January", "2023-01-01", "2023-01-31"),
    (DECEMBER, "December", "2022-12-01", "2022-12-31"),
    (date(2022, 1, 31), "in 1 month", "2022-01-31", "2022-02-28"),  # clamped
]

# design.md §5: the phrases a user tried, and the ones they would try next, each read against
# a reference before (MAY) and after (OCTOBER) the periods they name.
MAY, OCTOBER = date(2023, 5, 15), date(2023, 10, 15)
TYPED = {
    # seasons (Northern, meteorological: Mar-May, Jun-Aug, Sep-Nov, Dec-Feb)
    "this fall": (("2023-09-01", "2023-11-30"), ("2023-09-01", "2023-11-30")),
    "fall 2023": (("2023-09-01", "2023-11-30"), ("2023-09-01", "2023-11-30")),
    "autumn 2023": (("2023-09-01", "2023-11-30"), ("2023-09-01", "2023-11-30")),
    "winter 2023": (("2023-12-01", "2024-02-29"), ("2023-12-01", "2024-02-29")),
    "summer": (("2023-06-01", "2023-08-31"), ("2024-06-01", "2024-08-31")),
    "this winter": (("2023-12-01", "2024-02-29"), ("2023-12-01", "2024-02-29")),
    "next spring": (("2024-03-01", "2024-05-31"), ("2024-03-01", "2024-05-31")),
    "next summer": (None, ("2024-06-01", "2024-08-31")),  # said in May: this one, or 2024's?
    "before the end of the year": (("2023-05-15", "2023-12-31"), ("2023-10-15", "2023-12-31")),
    "before the end of September": (("2023-05-15", "2023-09-30"), ("2023-10-15", "2024-09-30")),
    # parts of a month: days 1-10, 11-20, 21 to the end
    "late September": (("2023-09-21", "2023-09-30"), ("2024-09-21", "2024-09-30")),
    "mid-September": (("2023-09-11", "2023-09-20"), ("2024-09-11", "2024-09-20")),
    "early Sept": (("2023-09-01", "2023-09-10"), ("2024-09-01", "2024-09-10")),
    "early September 2023": (("2023-09-01", "2023-09-10"), ("2023-09-01", "2023-09-10")),
    "late Feb 2024": (("2024-02-21", "2024-02-29"), ("2024-02-21", "2024-02-29")),
    "mid October": (("2023-10-11", "2023-10-20"), ("2023-10-11", "2023-10-20")),
    # next MONTH: next year's, once this year's has come
    "next April": (("2024-04-01", "2024-04-30"), ("2024-04-01", "2024-04-30")),
    "next October": (None, ("2024-10-01", "2024-10-31")),
    # this year, next year
    "early next year": (("2024-01-01", "2024-04-30"), ("2024-01-01", "2024-04-30")),
    "late next year": (("2024-09-01", "2024-12-31"), ("2024-09-01", "2024-12-31")),
    "mid next year": (("2024-05-01", "2024-08-31"), ("2024-05-01", "2024-08-31")),
    "later this year": (("2023-05-15", "2023-12-31"), ("2023-10-15", "2023-12-31")),
    "later this month": (("2023-05-15", "2023-05-31"), ("2023-10-15", "2023-10-31")),
    # lengths without "in"
    "2 weeks": (("2023-05-15", "2023-05-29"), ("2023-10-15", "2023-10-29")),
    "3 months": (("2023-05-15", "2023-08-15"), ("2023-10-15", "2024-01-15")),
    "ten days": (("2023-05-15", "2023-05-25"), ("2023-10-15", "2023-10-25")),
    # numeric months
    "2022-09": (("2022-09-01", "2022-09-30"), ("2022-09-01", "2022-09-30")),
    "2024/09": (("2024-09-01", "2024-09-30"), ("2024-09-01", "2024-09-30")),
    "09/2022": (("2022-09-01", "2022-09-30"), ("2022-09-01", "2022-09-30")),
    "9/2024": (("2024-09-01", "2024-09-30"), ("2024-09-01", "2024-09-30")),
    # ranges
    "2023-2024": (("2023-01-01", "2024-12-31"), ("2023-01-01", "2024-12-31")),
    "2023–2025": (("2023-01-01", "2025-12-31"), ("2023-01-01", "2025-12-31")),
    "Sept–Oct 2023": (("2023-09-01", "2023-10-31"), ("2023-09-01", "2023-10-31")),
    "September-October 2023": (("2023-09-01", "2023-10-31"), ("2023-09-01", "2023-10-31")),
    "Nov–Jan 2024": (("2023-11-01", "2024-01-31"), ("2023-11-01", "2024-01-31")),
    "Q3/Q4 2023": (("2023-07-01", "2023-12-31"), ("2023-07-01", "2023-12-31")),
    "Q3-Q4 2023": (("2023-07-01", "2023-12-31"), ("2023-07-01", "2023-12-31")),
    "July 2023 - March 2024": (("2023-07-01", "2024-03-31"), ("2023-07-01", "2024-03-31")),
    # halves and quarters
    "2H 2023": (("2023-07-01", "2023-12-31"), ("2023-07-01", "2023-12-31")),
    "1H 2024": (("2024-01-01", "2024-06-30"), ("2024-01-01", "2024-06-30")),
    "second half of 2023": (("2023-07-01", "2023-12-31"), ("2023-07-01", "2023-12-31")),
    "first half of 2024": (("2024-01-01", "2024-06-30"), ("2024-01-01", "2024-06-30")),
    "Q4": (("2023-10-01", "2023-12-31"), ("2023-10-01", "2023-12-31")),
    "Q2": (("2023-04-01", "2023-06-30"), ("2024-04-01", "2024-06-30")),
    "H2": (("2023-07-01", "2023-12-31"), ("2023-07-01", "2023-12-31")),
    "H1": (("2023-01-01", "2023-06-30"), ("2024-01-01", "2024-06-30")),
    "Sept–Nov": (("2023-09-01", "2023-11-30"), ("2023-09-01", "2023-11-30")),
    "2H": (("2023-07-01", "2023-12-31"), ("2023-07-01", "2023-12-31")),
    # before, end of
    "before 2024": (("2023-05-15", "2023-12-31"), ("2023-10-15", "2023-12-31")),
    "before July 2024": (("2023-05-15", "2024-06-30"), ("2023-10-15", "2024-06-30")),
    "before 2023-12-01": (("2023-05-15", "2023-11-30"), ("2023-10-15", "2023-11-30")),
    "before Q4 2024": (("2023-05-15", "2024-09-30"), ("2023-10-15", "2024-09-30")),
    "end of Q3": (("2023-05-15", "2023-09-30"), ("2023-10-15", "2024-09-30")),
    "end of Q4 2023": (("2023-05-15", "2023-12-31"), ("2023-10-15", "2023-12-31")),
    "end of September": (("2023-05-15", "2023-09-30"), ("2023-10-15", "2024-09-30")),
    "end of March 2024": (("2023-05-15", "2024-03-31"), ("2023-10-15", "2024-03-31")),
    # abbreviations
    "Sep. 2023": (("2023-09-01", "2023-09-30"), ("2023-09-01", "2023-09-30")),
    "Sept 2024": (("2024-09-01", "2024-09-30"), ("2024-09-01", "2024-09-30")),
}
PHRASES += [
    (reference, phrase, *span)
    for phrase, spans in TYPED.items()
    for reference, span in zip((MAY, OCTOBER), spans, strict=True)
    if span is not None
]

# design.md §5: the windows a desk typed while logging a season of rumours, for a claim said on
# 2024-06-15 (a Saturday), exactly as the spec's table gives them.
JUNE = date(2024, 6, 15)
DAILY = {
    "2H24": ("2024-07-01", "2024-12-31"),
    "2H 2024": ("2024-07-01", "2024-12-31"),
    "1H25": ("2025-01-01", "2025-06-30"),
    "Q1 next year": ("2025-01-01", "2025-03-31"),
    "by year-end": ("2024-06-15", "2024-12-31"),
    "by the end of the year": ("2024-06-15", "2024-12-31"),
    "early next month": ("2024-07-01", "2024-07-10"),
    "September or October": ("2024-09-01", "2024-10-31"),
    "on September 9": ("2024-09-09", "2024-09-09"),
    "in the fall": ("2024-09-01", "2024-11-30"),
    "this fall": ("2024-09-01", "2024-11-30"),
    "holiday season": ("2024-11-01", "2024-12-31"),
    "in the coming weeks": ("2024-06-15", "2024-07-27"),
    "in a few weeks": ("2024-06-15", "2024-07-27"),
    # the trial's others
    "by Christmas": ("2024-06-15", "2024-12-25"),
    "in a couple of weeks": ("2024-06-15", "2024-06-29"),
    "within the next few months": ("2024-06-15", "2024-12-15"),
    "end of Feb": ("2024-06-15", "2025-02-28"),  # by the end of February, not late February
    # and the forms around them
    "3Q24": ("2024-07-01", "2024-09-30"),
    "1q25": ("2025-01-01", "2025-03-31"),
    "2H24-1H25": ("2024-07-01", "2025-06-30"),
    "H2 this year": ("2024-07-01", "2024-12-31"),
    "second half of next year": ("2025-07-01", "2025-12-31"),
    "Q3 of next year": ("2025-07-01", "2025-09-30"),
    "year end": ("2024-06-15", "2024-12-31"),
    "at quarter-end": ("2024-06-15", "2024-06-30"),
    "by month end": ("2024-06-15", "2024-06-30"),
    "late this month": ("2024-06-21", "2024-06-30"),
    "mid next month": ("2024-07-11", "2024-07-20"),
    "Sept or Oct": ("2024-09-01", "2024-10-31"),
    "Q3 or Q4 2024": ("2024-07-01", "2024-12-31"),
    "September 9": ("2024-09-09", "2024-09-09"),
    "9 September": ("2024-09-09", "2024-09-09"),
    "on the 9th of September": ("2024-09-09", "2024-09-09"),
    "by September 9": ("2024-06-15", "2024-09-09"),
    "June 15": ("2024-06-15", "2024-06-15"),  # the reference's own day counts
    "June 14": ("2025-06-14", "2025-06-14"),
    "February 29": ("2028-02-29", "2028-02-29"),  # the next one there is
    "on 2024-09-09": ("2024-09-09", "2024-09-09"),
    "in the spring": ("2025-03-01", "2025-05-31"),  # this spring is over: the coming one
    "in the winter": ("2024-12-01", "2025-02-28"),
    "by the fall": ("2024-06-15", "2024-11-30"),
    "in the fall of 2025": ("2025-09-01", "2025-11-30"),
    "the holiday season": ("2024-11-01", "2024-12-31"),
    "this holiday season": ("2024-11-01", "2024-12-31"),
    "by the holidays": ("2024-06-15", "2024-12-31"),
    "in time for the holidays": ("2024-06-15", "2024-12-31"),
    "holiday season 2025": ("2025-11-01", "2025-12-31"),
    "the 2025 holiday season": ("2025-11-01", "2025-12-31"),
    "Christmas": ("2024-12-25", "2024-12-25"),
    "before Christmas": ("2024-06-15", "2024-12-24"),
    "in time for Christmas": ("2024-06-15", "2024-12-25"),
    "Christmas Eve 2025": ("2025-12-24", "2025-12-24"),
    "over the coming weeks": ("2024-06-15", "2024-07-27"),
    "in the next few weeks": ("2024-06-15", "2024-07-27"),
    "within weeks": ("2024-06-15", "2024-07-27"),
    "several weeks": ("2024-06-15", "2024-07-27"),
    "in a couple weeks": ("2024-06-15", "2024-06-29"),
    "within the next couple of months": ("2024-06-15", "2024-08-15"),
    "in the coming months": ("2024-06-15", "2024-12-15"),
    "in the coming days": ("2024-06-15", "2024-06-21"),
}
PHRASES += [(JUNE, phrase, *span) for phrase, span in DAILY.items()]


@pytest.mark.parametrize(("reference", "phrase", "start", "end"), PHRASES)
def test_every_phrase(reference: date, phrase: str, start: str, end: str) -> None:
    window = parse_window(phrase, reference)
    expected = (date.fromisoformat(start), date.fromisoformat(end))
    assert (window.start, window.end) == expected
    assert window.text == phrase.strip()


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("2022-07-04", date(2022, 7, 4)),
        ("4 July 2022", date(2022, 7, 4)),
        ("July 4, 2022", date(2022, 7, 4)),
        ("Jul 4 2022", date(2022, 7, 4)),
        ("4 Jul 2022", date(2022, 7, 4)),
        ("July 4 2022", date(2022, 7, 4)),
        ("today", SAID),
        ("Yesterday", date(2022, 5, 22)),
    ],
)
def test_parse_date(phrase: str, expected: date) -> None:
    assert parse_date(phrase, today=SAID) == expected


def test_today_defaults_to_the_clock_s_date(pinned_clock: PinnedClock) -> None:
    pinned_clock.set("2025-06-16")
    assert parse_date("today") == date(2025, 6, 16)
    assert parse_date("3 days ago") == date(2025, 6, 13)


def test_trap_iso_is_never_read_day_first() -> None:
    assert parse_date("2024-11-06") == date(2024, 11, 6)


def test_trap_missing_space_before_the_year_keeps_the_year() -> None:
    assert parse_date("May 17,2019") == date(2019, 5, 17)
    assert parse_date("May 17,2019", today=date(2030, 1, 1)) == date(2019, 5, 17)


def test_trap_dotted_day_month_is_not_read_as_december() -> None:
    with pytest.raises(InvalidDate, match="ambiguous") as refused:
        parse_date("12.07.2022")
    assert "12 July 2022" in str(refused.value)
    assert "December 7, 2022" in str(refused.value)


@pytest.mark.parametrize("parse", [parse_date, lambda t: parse_window(t, SAID)])
@pytest.mark.parametrize("text", ["03/04/2022", "03.04.2022", "03-04-2022"])
def test_ambiguous_numeric_dates_name_both_readings(parse, text: str) -> None:
    with pytest.raises(InvalidDate) as refused:
        parse(text)
    message = str(refused.value)
    assert "3 April 2022" in message and "March 4, 2022" in message
    assert "2022-04-03" in message and "2022-03-04" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [("13/04/2022", date(2022, 4, 13)), ("04/13/2022", date(2022, 4, 13)),
     ("03/03/2022", date(2022, 3, 3)), ("31.12.2023", date(2023, 12, 31)),
     ("20230912", date(2023, 9, 12))],
)  # fmt: skip
def test_numeric_dates_with_one_reading_are_accepted(text: str, expected: date) -> None:
    """A number over 12 can only be the day: 13/04/2023 is 13 April, whichever the order."""
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [("2 days ago", "2023-09-14", "2023-09-12"), ("a week ago", "2023-09-14", "2023-09-07"),
     ("two weeks ago", "2023-09-14", "2023-08-31"), ("1 day ago", "2023-03-01", "2023-02-28"),
     ("last Tuesday", "2023-09-14", "2023-09-12"), ("last Thursday", "2023-09-14", "2023-09-07"),
     ("LAST monday", "2023-09-11", "2023-09-04"), ("last sunday", "2023-09-11", "2023-09-10")],
)  # fmt: skip
def test_days_ago_and_last_weekday(text: str, today: str, expected: str) -> None:
    """`last Thursday` on a Thursday is a week ago: the last one before today."""
    assert parse_date(text, today=date.fromisoformat(today)) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("phrase", "reference", "message"),
    [("next September", MAY, "'next September' could mean September 2023 or September 2024; "
      "write one of them"),
     ("next December", OCTOBER, "'next December' could mean December 2023 or December 2024; "
      "write one of them"),
     ("next summer", MAY, "'next summer' could mean summer 2023 or summer 2024; "
      "write one of them")],
)  # fmt: skip
def test_next_month_still_to_come_names_both_readings(phrase, reference, message) -> None:
    with pytest.raises(InvalidDate) as refused:
        parse_window(phrase, reference)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("phrase", "said_on", "message"),
    [("this September", "2022-10-15",
      "'this September' ends on 2022-09-30, before the claim was said on 2022-10-15"),
     ("Q3 2021", "2022-09-15",
      "'Q3 2021' ends on 2021-09-30, before the claim was said on 2022-09-15")],
)  # fmt: skip
def test_an_expected_window_over_before_the_claim_is_refused(phrase, said_on, message) -> None:
    with pytest.raises(InvalidDate) as refused:
        expected_window(phrase, date.fromisoformat(said_on))
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [("Q3 22", "'Q3 22' has no 4-digit year; write e.g. Q3 2022"),
     ("fall 22", "'fall 22' has no 4-digit year; write e.g. fall 2022"),
     ("Sept–soon", "'Sept–soon' is not a window I know"),
     ("2024-2023", "'2024-2023' ends before it starts"),
     ("2024-13", "'2024-13' is not a real month; write e.g. 2022-09 or 09/2022"),
     ("before 2020", "'before 2020' is before the reference date 2023-05-15")],
)  # fmt: skip
def test_refusals_of_the_new_phrases_say_what_to_write(text: str, message: str) -> None:
    with pytest.raises(InvalidDate) as refused:
        parse_window(text, MAY)
    assert str(refused.value).startswith(message)


@pytest.mark.parametrize("text", ["2022-02-30", "31 April 2022", "February 29, 2023", "2022-13-01"])
def test_impossible_dates_quote_the_input(text: str) -> None:
    for parse in (parse_date, lambda t: parse_window(t, SAID)):
        with pytest.raises(InvalidDate, match="not a real date") as refused:
            parse(text)
        assert repr(text) in str(refused.value)


@pytest.mark.parametrize("text", ["soon", "the next July", "Q5 2022", "2022-07-04 noon"])
def test_unknown_phrases_quote_the_input(text: str) -> None:
    for parse in (parse_date, lambda t: parse_window(t, SAID)):
        with pytest.raises(InvalidDate) as refused:
            parse(text)
        assert repr(text) in str(refused.value)
        assert "2022-07-04" in str(refused.value)  # says what is accepted


@pytest.mark.parametrize(
    "text",
    ["July 2022", "Q3 2022", "H2 2022", "2022", "mid-2022", "late 2022", "July"]
    + ["next month", "by 2022-09-30", "in two weeks", "end of the year"],
)
def test_a_window_is_refused_where_one_date_is_needed(text: str) -> None:
    with pytest.raises(InvalidDate, match="one date is needed"):
        parse_date(text, today=SAID)


@pytest.mark.parametrize("text", ["by 2022-05-22", "by 1 January 2022", "by 2021"])
def test_by_a_date_before_the_reference_is_refused(text: str) -> None:
    with pytest.raises(InvalidDate, match="before the reference date 2022-05-23"):
        parse_window(text, SAID)


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_input_is_refused(text: str) -> None:
    with pytest.raises(InvalidDate, match="no date given"):
        parse_date(text)
    with pytest.raises(InvalidDate, match="no date given"):
        parse_window(text, SAID)


@pytest.mark.parametrize(
    "text", ["4 July 22", "July 4, 22", "04/07/22", "Jul '22", "Q3 22", "mid-22", "2H 24"]
)
def test_two_digit_and_missing_years_are_refused(text: str) -> None:
    for parse in (parse_date, lambda t: parse_window(t, SAID)):
        with pytest.raises(InvalidDate, match="4-digit year"):
            parse(text)


@pytest.mark.parametrize("text", ["July 4", "on September 9", "9 September"])
def test_a_day_without_its_year_is_a_window_but_never_a_date(text: str) -> None:
    """A window reads `July 4` as the next July 4 (as `July` is the next July); where one
    date is asked for (--on, --said-on), a missing year is never filled in."""
    assert parse_window(text, SAID).start == parse_window(text, SAID).end
    with pytest.raises(InvalidDate, match="has no 4-digit year; write e.g. 4 July 2022"):
        parse_date(text, today=SAID)


@pytest.mark.parametrize(
    ("text", "message"),
    [("February 30", "'February 30' is not a real date"),
     ("next September", "'next September' could mean September 2024 or September 2025"),
     ("on July", "'on July' is not a window I know"),
     ("2H 24", "'2H 24' has no 4-digit year")],
)  # fmt: skip
def test_the_daily_words_still_refuse_what_they_cannot_read(text: str, message: str) -> None:
    with pytest.raises(InvalidDate) as refused:
        parse_window(text, JUNE)
    assert str(refused.value).startswith(message)


@pytest.mark.parametrize("text", ["1899", "2201-01-01", "Q1 9999", "0000-01-01", "in 300 years"])
def test_years_out_of_range_are_refused(text: str) -> None:
    with pytest.raises(InvalidDate, match="outside the years 1900..2200"):
        parse_window(text, SAID)


def test_messages_stay_on_one_line_and_short() -> None:
    for text in ["2022-07-04\nDROP TABLE", "x\x00\x1b[31m" * 5, "9" * 10_000]:
        with pytest.raises(InvalidDate) as refused:
            parse_window(text, SAID)
        message = str(refused.value)
        assert "\n" not in message and "\x00" not in message and "\x1b" not in message
        assert len(message) < 400


@pytest.mark.parametrize("text", ["today", " Yesterday ", "3 days ago", "last Tuesday",
                                  "5000 years ago", "99999999999999 days ago"])  # fmt: skip
def test_an_absolute_date_is_one_that_means_the_same_day_tomorrow(text: str) -> None:
    """Files need dates that read the same whenever they are read; a relative phrase is
    refused before its arithmetic (which for 5000 years ago would fail) is done."""
    with pytest.raises(InvalidInput, match="changes meaning from day to day; write the date"):
        parse_date(text, today=SAID, absolute=True)
    assert parse_date("2022-05-01", today=SAID, absolute=True) == date(2022, 5, 1)


def test_a_past_date_is_not_after_today() -> None:
    assert parse_date("2022-05-23", today=SAID, past=True) == SAID
    assert parse_date("yesterday", today=SAID, past=True) == date(2022, 5, 22)
    with pytest.raises(
        InvalidInput, match=r"^2022-05-24 is in the future \(today is 2022-05-23\)$"
    ):
        parse_date("2022-05-24", today=SAID, past=True)
    assert parse_date("2022-05-24", today=SAID) == date(2022, 5, 24)  # an --as-of may be ahead


def test_format_date_is_iso() -> None:
    assert format_date(date(2022, 7, 4)) == "2022-07-04"


# Property tests

DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


def written_forms(d: date) -> list[str]:
    month = MONTH_NAMES[d.month - 1]
    return [
        format_date(d),
        f"{d.day} {month} {d.year}",
        f"{month} {d.day}, {d.year}",
        f"{month[:3]} {d.day} {d.year}",
    ]


@given(DATES, st.dates())
def test_every_written_date_reads_back_as_itself(d: date, reference: date) -> None:
    for text in written_forms(d):
        assert parse_date(text, today=reference) == d
        assert parse_window(text, reference) == Window(text, d, d)


DATEISH = "0123456789 -/.,'QqHhJjulyMmayAprSsepDecNnextinbywhofmidlaterrsdtk\n\x00"
TEXT = st.one_of(
    st.text(),
    st.text(alphabet=DATEISH, max_size=30),
    st.text(min_size=50, max_size=2_000),
    st.builds(
        "{} {} {}".format,
        st.sampled_from(["in", "within", "by", "end of", "this", "next", "", "Q3"]),
        st.one_of(st.integers(-5, 10**12).map(str), st.sampled_from(MONTH_NAMES)),
        st.sampled_from(["days", "weeks", "months", "years", "quarter", "2022", ""]),
    ),
)


@given(TEXT, st.dates())
def test_any_text_gives_a_value_or_invalid_date(text: str, reference: date) -> None:
    try:
        window = parse_window(text, reference)
    except InvalidDate as refused:
        assert "\n" not in str(refused)
    else:
        assert window.start <= window.end
    try:
        assert isinstance(parse_date(text, today=reference), date)
    except InvalidDate as refused:
        assert "\n" not in str(refused)


PHRASE = st.builds(
    str.format,
    st.sampled_from(
        ["{m}", "this {m}", "{m} this year", "{m} {y}", "Q{q} {y}", "H{h} {y}", "{y}"]
        + ["mid-{y}", "late {y}", "early {y}", "in {n} {u}", "within {n} {u}"]
        + ["next {p}", "this {p}", "end of the {p}", "by {m} {y}", "by the end of {y}"]
        + ["{s} {y}", "this {s}", "next {s}", "{s}", "{part} {m}", "{part} {m} {y}"]
        + ["{y}-{y}", "{m}-{m} {y}", "Q{q}/Q{q} {y}", "before {y}", "end of Q{q}", "Q{q}"]
        + ["{h}H {y}", "{n} {u}", "next {m}", "later this {p}"]
    ),
    m=st.sampled_from(MONTH_NAMES),
    y=st.integers(1900, 2200),
    q=st.integers(1, 4),
    h=st.integers(1, 2),
    n=st.integers(0, 400),
    u=st.sampled_from(["days", "weeks", "months", "years"]),
    p=st.sampled_from(["week", "month", "quarter", "year"]),
    s=st.sampled_from(["spring", "summer", "fall", "autumn", "winter"]),
    part=st.sampled_from(["early", "mid", "late", "mid-", "early-"]),
)


@given(PHRASE, DATES)
def test_every_window_starts_on_or_before_its_end(phrase: str, ref: date) -> None:
    try:
        window = parse_window(phrase, ref)
    except InvalidDate:
        return  # e.g. "by" a date before the reference, or past year 2200
    assert window.start <= window.end


# The structure of the daily words: shorthand is its long form, `A or B` is `A–B`, a day
# without a year is the first such day on or after the reference, a vague count starts on
# the reference and ends weeks (or months) later.


@given(st.integers(1, 2), st.integers(0, 99), DATES)
def test_analyst_halves_are_the_written_halves(half: int, yy: int, ref: date) -> None:
    assert _span(f"{half}H{yy:02d}", ref) == _span(f"H{half} {2000 + yy}", ref)
    assert _span(f"{half}h{yy:02d}", ref) == _span(f"{half}H {2000 + yy}", ref)


@given(st.integers(1, 4), st.integers(0, 99), DATES)
def test_analyst_quarters_are_the_written_quarters(quarter: int, yy: int, ref: date) -> None:
    assert _span(f"{quarter}Q{yy:02d}", ref) == _span(f"Q{quarter} {2000 + yy}", ref)


@given(st.sampled_from(MONTH_NAMES), st.sampled_from(MONTH_NAMES), st.integers(1950, 2150), DATES)
def test_a_or_b_is_the_range_from_a_to_b(a: str, b: str, year: int, ref: date) -> None:
    try:
        expected = _span(f"{a}–{b} {year}", ref)
    except InvalidDate:
        return
    assert _span(f"{a} or {b} {year}", ref) == expected


@given(DATES, DATES)
def test_a_day_without_a_year_is_the_next_one_on_or_after_the_reference(
    day: date, ref: date
) -> None:
    if (day.month, day.day) == (2, 29) or ref.year >= 2200:
        return
    start, end = _span(f"{MONTH_NAMES[day.month - 1]} {day.day}", ref)
    assert start == end >= ref
    assert (start.month, start.day) == (day.month, day.day)
    assert start.year in (ref.year, ref.year + 1)


@given(
    st.sampled_from(["in the coming {u}", "in a few {u}", "within the next few {u}",
                     "over the next few {u}", "within {u}", "several {u}"]),
    st.sampled_from(["days", "weeks", "months"]),
    DATES.filter(lambda d: d.year < 2200),
)  # fmt: skip
def test_vague_counts_start_on_the_reference_and_end_a_few_units_later(
    phrase: str, unit: str, ref: date
) -> None:
    start, end = _span(phrase.format(u=unit), ref)
    assert start == ref
    if unit == "weeks":  # design.md §5: within 14 days of said-on, ending 4 to 8 weeks after it
        assert 28 <= (end - ref).days <= 56
    assert end > ref


def _span(phrase: str, ref: date) -> tuple[date, date]:
    window = parse_window(phrase, ref)
    return window.start, window.end


# -- durations and --since: one grammar for every command that takes them (design.md §5) --------

UNIT_DAYS = {"d": 1, "w": 7}


@given(
    count=st.integers(0, 999),
    unit=st.sampled_from("dwmDWM"),
    pad=st.sampled_from(["", " ", "  "]),
    reference=st.dates(date(2000, 1, 1), date(2150, 12, 31)),
)
def test_a_time_back_is_counted_from_the_reference(count, unit, pad, reference):
    text = f"{pad}{count}{pad}{unit}{pad}"
    since = parse_since(text, today=date(2024, 6, 15))
    assert since == parse_duration(text) == Duration(count, unit.lower())
    assert parse_duration(str(since)) == since  # what it prints reads back as itself
    day = since_day(since, reference)
    if unit.lower() == "m":  # calendar months: the same day of the month, or its last
        year, month = divmod(reference.year * 12 + reference.month - 1 - count, 12)
        last = calendar.monthrange(year, month + 1)[1]
        assert day == date(year, month + 1, min(reference.day, last))
    else:
        assert (reference - day).days == count * UNIT_DAYS[unit.lower()]
    assert since.days_after(day) >= 0


@given(day=st.dates(date(1900, 1, 1), date(2200, 12, 31)))
def test_a_date_since_is_that_date(day):
    assert parse_since(day.isoformat(), today=date(2024, 6, 15)) == day
    assert since_day(day, date(2201, 1, 1)) == day


@given(text=st.text(max_size=12))
def test_since_reads_anything_or_says_what_it_takes(text):
    """Any text is a date, a time back, or one error; never a traceback or a guess."""
    try:
        since = parse_since(text, today=date(2024, 6, 15))
    except InvalidInput as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(since, date | Duration)


def test_an_unreadable_since_shows_the_accepted_forms():
    with pytest.raises(InvalidDate) as refused:
        parse_since("a while", today=SAID)
    message = str(refused.value)
    assert message.startswith("'a while' is not a single date; use 2022-07-04")
    assert "3 days ago" in message and "7d, 2w or 3m" in message
    with pytest.raises(InvalidDate, match="7d, 2w or 3m"):
        parse_since("7", today=SAID)  # a number alone is a day count only where days are asked


@pytest.mark.parametrize("text", ["", "7y", "-1d", "7 days", "d", "1.5w", "7dd"])
def test_a_bad_duration_names_the_forms(text):
    with pytest.raises(InvalidDate, match="is not a duration: give days, weeks or months, as 7d"):
        parse_duration(text)


def test_durations_have_bounds():
    assert parse_duration("30", bare_days=True) == Duration(30, "d")
    assert parse_duration(f"{DAYS_MAX}d") == Duration(DAYS_MAX, "d")
    assert parse_duration("007d") == Duration(7, "d")
    for text in (f"{DAYS_MAX + 1}d", "1178m", "9" * 5000 + "d"):
        with pytest.raises(InvalidDate, match=f"is too long: .* up to {DAYS_MAX} days"):
            parse_duration(text)
    with pytest.raises(InvalidDate, match="--since 2m goes back before 1900"):
        since_day(Duration(2, "m"), date(1900, 1, 31))
    with pytest.raises(InvalidDate, match="is after the report's date, 2024-06-15"):
        since_day(date(2024, 6, 16), date(2024, 6, 15), refuse_after="the report's date")
    assert Duration(3, "m").days_after(date(2024, 6, 15)) == 92
