"""Parameter types of our own: text becomes a typed value here, once, at the boundary: a
file name that can be one, a word from a short list, a whole number in a range, a date, a
`--since`, a duration.

The date grammar (tracker.rules.dates) is imported when a value is converted, not when a
command is declared: compiling it would cost `--help` and every command given no date."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # click 8.2+ types ParamType by its value; 8.1's cannot be subscripted
    from datetime import date

    from tracker.rules.dates import Duration, Since

    WordType = click.ParamType[str]
    NumberType = click.ParamType[int]
    DateType = click.ParamType[date]
    SinceType = click.ParamType[Since]
    DurationType = click.ParamType[Duration]
else:
    WordType = NumberType = DateType = SinceType = DurationType = click.ParamType


class FilePath(click.Path):
    """A file or folder name; an empty one, or one holding a NUL (which no file name can),
    is refused."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if str(value) == "":
            self.fail("a file name is needed here ('-' is standard output)", param, ctx)
        if "\x00" in str(value):
            from tracker.errors import InvalidInput

            raise InvalidInput(f"{str(value)!r}: a file name cannot contain a NUL character")
        return super().convert(value, param, ctx)


class Word(WordType):
    """One of a few words (a stance, a status), whatever its case, with a "did you mean"."""

    def __init__(self, choices: tuple[str, ...], what: str):
        self.choices, self.what = choices, what
        self.name = what

    def get_metavar(  # click 8.1 and 8.2+ signatures
        self, param: click.Parameter, ctx: click.Context | None = None
    ) -> str:
        return "[" + "|".join(self.choices) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from tracker.errors import InvalidInput
        from tracker.rules.text import one_of

        try:
            return one_of(str(value), self.choices, self.what)
        except InvalidInput as exc:
            self.fail(str(exc), param, ctx)


class WholeNumber(NumberType):
    """A whole number from `least` to `most`, read (and refused, in the same words) as
    the team page reads its query's numbers (tracker.rules.numbers)."""

    name = "integer"

    def __init__(self, least: int, most: int):
        self.least, self.most = least, most

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from tracker.errors import InvalidInput
        from tracker.rules.numbers import whole_number

        if isinstance(value, int):
            return value
        try:
            return whole_number(str(value), self.least, self.most)
        except InvalidInput as exc:
            self.fail(str(exc), param, ctx)


def _today() -> date:
    from tracker import clock

    return clock.today()


class DateParam(DateType):
    """One date (tracker.rules.dates.parse_date): `2022-07-04`, `4 July 2022`, `yesterday`.
    A bad one is an `Error:` line (exit 1), as a bad date in a file. Whether a day may be in
    the future is the domain's rule (a claim's or evidence's day may not), not the type's."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from datetime import date

        if isinstance(value, date):
            return value
        from tracker.rules.dates import parse_date

        return parse_date(str(value), today=_today())


class SinceParam(SinceType):
    """`--since`: a date or a phrase, or a time back (`7d`, `2w`, `3m`) that the command
    counts from its own date (tracker.rules.dates.since_day)."""

    name = "since"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from datetime import date

        from tracker.rules.dates import Duration, parse_since

        if isinstance(value, date | Duration):
            return value
        return parse_since(str(value), _today())


class DurationParam(DurationType):
    """`7d`, `2w`, `3m`, or a number of days: how far ahead to look."""

    name = "duration"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from tracker.errors import InvalidInput
        from tracker.rules.dates import Duration, parse_duration

        if isinstance(value, Duration):
            return value
        try:
            return parse_duration(str(value), bare_days=True)
        except InvalidInput as exc:
            self.fail(str(exc), param, ctx)
