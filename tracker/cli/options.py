"""The options several commands share, each declared once: --format, --as-of, --since,
--limit, --output and --wrap. A command still says in its own words what the option means to it
(the help)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import click

from tracker.cli.params import DateParam, FilePath, SinceParam, WholeNumber
from tracker.rules.numbers import LIMIT_MAX

Decorated = TypeVar("Decorated", bound=Callable[..., Any])


class Decorator(Protocol):
    """What click.option gives: a decorator that returns the command it was given."""

    def __call__(self, command: Decorated, /) -> Decorated: ...


def output_format(*choices: str) -> Decorator:
    """--format: the first of `choices` is the default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="Output format.",
    )


def as_of_option(help: str) -> Decorator:
    """--as-of DATE: where the claims stood on a past day (a date)."""
    return click.option("--as-of", type=DateParam(), metavar="DATE", help=help)


def since_option(help: str) -> Decorator:
    """--since DATE: a date or phrase, or a time back (7d, 2w, 3m); the command counts it
    from its own date (tracker.rules.dates.since_day)."""
    return click.option("--since", type=SinceParam(), metavar="DATE", help=help)


def limit_option(help: str, *, least: int = 0) -> Decorator:
    """--limit N: at most N rows; `least` 0 lets 0 mean all of them."""
    return click.option("--limit", type=WholeNumber(least, LIMIT_MAX), metavar="N", help=help)


def wrap_option() -> Decorator:
    """--wrap: on a terminal, long claims go on over more lines instead of being cut."""
    return click.option(
        "--wrap",
        is_flag=True,
        help="On a terminal, wrap long claim texts onto more lines instead of cutting them "
        "(piped output is never cut).",
    )


def output_option(help: str) -> Decorator:
    """--output FILE: a file written whole or not at all (tracker.cli.output)."""
    return click.option("--output", type=FilePath(), metavar="FILE", help=help)
