"""What the commands that write share: several CLAIMs (`-` reads them from standard
input, one a line), --dry-run, and --by after the command's name."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tracker.cli.app import App

if TYPE_CHECKING:
    from tracker.queries.lookup import Ref

Decorated = TypeVar("Decorated", bound=Callable[..., Any])
STDIN = "-"


def claims_argument(command: Decorated) -> Decorated:
    """CLAIM...: ids, keys, handles or handle prefixes; `-` reads more from standard input."""
    return click.argument("claims", nargs=-1, required=True, metavar="CLAIM...")(command)


def refs(claims: tuple[str, ...]) -> list[Ref]:
    """The claims named on the command line, `-` replaced by standard input's lines (blank
    lines skipped), each remembered by where it was given for the error that names it."""
    from tracker.queries.lookup import Ref

    if claims.count(STDIN) > 1:
        raise click.UsageError("standard input ('-') can be read once")
    found: list[Ref] = []
    for claim in claims:
        if claim != STDIN:
            found.append(Ref(claim))
            continue
        for number, text in enumerate(sys.stdin, start=1):
            if text.strip():
                found.append(Ref(text.strip(), f"line {number} of standard input"))
    if not found:
        raise click.UsageError("no CLAIM given (standard input was empty)")
    return found


def dry_run_option(command: Decorated) -> Decorated:
    return click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")(
        command
    )


def _by(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        from tracker.rules.text import clean

        app = ctx.find_object(App)
        assert app is not None  # the group made it before parsing the command's options
        app.actor = clean(value, "--by")


def by_option(command: Decorated) -> Decorated:
    """--by NAME after the command's name, as well as before it (where TRACKER_USER is
    read too): who is making the change."""
    return click.option(
        "--by",
        metavar="NAME",
        expose_value=False,
        callback=_by,
        help="Who is making the change, recorded on every event [default: tracker --by, "
        "TRACKER_USER, or the OS user].",
    )(command)
