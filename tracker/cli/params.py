"""Parameter types of our own: a file name that can be one, a word from a short list, and a
whole number in a range."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # click 8.2+ types ParamType by its value; 8.1's cannot be subscripted
    WordType = click.ParamType[str]
    NumberType = click.ParamType[int]
else:
    WordType = NumberType = click.ParamType


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
