"""The options several commands share, each declared once: --format, --as-of and
--known-on, --since, --limit, --output, --wrap and the claim filters. A command still says
in its own words what the option means to it (the help)."""

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
    """--as-of DATE: where the claims stood on a past day, and --known-on DATE: as it was
    known then (dates)."""
    as_of = click.option(
        "--as-of",
        type=DateParam(),
        metavar="DATE",
        help=help + " Evidence entered later counts on its own date.",
    )
    known_on = click.option(
        "--known-on",
        type=DateParam(),
        metavar="DATE",
        help="Count only what had been recorded by the end of DATE (local time); alone, it "
        "also sets --as-of DATE: the output as it could have been printed on DATE.",
    )

    def both(command: Decorated) -> Decorated:
        return as_of(known_on(command))

    return both


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


def claim_filters() -> Decorator:
    """--subject, --source and --tag: which claims `list`, `report` and `sources` read
    (tracker.queries.listing.claim_conditions)."""
    subject = click.option("--subject", help="Only claims whose subject contains this (any case).")
    source = click.option(
        "--source",
        metavar="NAME",
        help="Only claims by a source whose name contains this (any case).",
    )
    tags = click.option(
        "--tag", "tags", multiple=True, help="Only claims with this tag (repeatable: all of them)."
    )

    def all_three(command: Decorated) -> Decorated:
        return subject(source(tags(command)))

    return all_three
