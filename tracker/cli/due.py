"""Reminders: `tracker due`, the claims whose window has ended or is about to."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.app import App, pass_app
from tracker.cli.options import output_format
from tracker.render.terminal import displayed, say
from tracker.rules.numbers import DAYS_MAX

if TYPE_CHECKING:
    from datetime import date

    HorizonType = click.ParamType[tuple[int, str]]  # click 8.1's cannot be subscripted
else:
    HorizonType = click.ParamType

DUE_FOUND = 3  # --exit-code: something is due (0: nothing), as `diff` says 1 for "differs"
_UNIT_DAYS = {"d": 1, "w": 7, "m": 31}  # a month at its longest, to bound the horizon
_HORIZON = re.compile(r"\s*(\d+)\s*([dwm]?)\s*", re.IGNORECASE | re.ASCII)
# Said by every refusal: what a horizon may be written as, and how far it may reach.
FORMS = (
    f"give days, weeks or months, as 7d, 2w or 3m (a number alone is days), up to {DAYS_MAX} days"
)


class Horizon(HorizonType):
    """`7d`, `2w`, `3m` (calendar months) or a number of days: (count, unit)."""

    name = "horizon"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        match = _HORIZON.fullmatch(str(value))
        if match is None:
            self.fail(f"{value!r} is not a horizon: {FORMS}", param, ctx)
        digits, unit = match.group(1).lstrip("0") or "0", (match.group(2) or "d").lower()
        if len(digits) > len(str(DAYS_MAX)) or int(digits) * _UNIT_DAYS[unit] > DAYS_MAX:
            self.fail(f"{value!r} is too far ahead: {FORMS}", param, ctx)
        return int(digits), unit


def _days(app: App, horizon: tuple[int, str]) -> int:
    """The horizon in days from today (months are calendar months)."""
    count, unit = horizon
    if unit != "m":
        return count * _UNIT_DAYS[unit]
    from dateutil.relativedelta import relativedelta

    until: date = app.today + relativedelta(months=count)
    return (until - app.today).days


@click.command("due")
@click.option(
    "--within",
    "horizon",
    type=Horizon(),
    default="7d",
    show_default=True,
    help="How far ahead to look: 7d, 2w, 3m, or a number of days.",
)
@click.option("--subject", help="Only claims whose subject contains this (any case).")
@click.option(
    "--source", metavar="NAME", help="Only claims by a source whose name contains this (any case)."
)
@click.option("--tag", "tags", multiple=True, help="Only claims with this tag (repeatable: all).")
@click.option(
    "--exit-code",
    is_flag=True,
    help=f"Exit {DUE_FOUND} when any claim is listed, 0 when none (for cron and timers).",
)
@output_format("text", "json", "markdown")
@pass_app
def due_show(
    app: App,
    horizon: tuple[int, str],
    subject: str | None,
    source: str | None,
    tags: tuple[str, ...],
    exit_code: bool,
    fmt: str,
) -> None:
    """Claims due: pending claims whose expected window ends within the horizon, and
    those already overdue, with the days left or overdue, the source and the handle.

    With --exit-code it exits 3 when it lists anything and 0 when not, so a cron job or
    a systemd timer can speak up only when something is due.

    \b
    Example:
      tracker due
      tracker due --within 2w --source gurman
      tracker due --within 7d --format markdown --exit-code
    """
    from tracker.queries.due import due_report
    from tracker.queries.listing import ClaimFilter
    from tracker.render import due as render

    days = _days(app, horizon)
    where = ClaimFilter(subject=subject, source=source, tags=tags)
    due = app.read(lambda s: due_report(s, app.today, days, where))
    if fmt == "json":
        click.echo(render.as_json(due), nl=False)
    else:
        say((render.markdown if fmt == "markdown" else render.text)(displayed(due)), nl=False)
    if exit_code and (due["overdue"] or due["due"]):
        raise click.exceptions.Exit(DUE_FOUND)


COMMANDS = [due_show]
