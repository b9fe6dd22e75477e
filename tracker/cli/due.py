"""Reminders: `tracker due`, the claims whose window has ended or is about to."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from tracker.cli.app import App, pass_app
from tracker.cli.options import output_format
from tracker.cli.params import DurationParam
from tracker.render.terminal import displayed, say

if TYPE_CHECKING:
    from tracker.rules.dates import Duration

DUE_FOUND = 3  # --exit-code: something is due (0: nothing), as `diff` says 1 for "differs"


@click.command("due")
@click.option(
    "--within",
    "horizon",
    type=DurationParam(),
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
    horizon: Duration,
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

    days = horizon.days_after(app.today)
    where = ClaimFilter(subject=subject, source=source, tags=tags)
    due = app.read(lambda s: due_report(s, app.today, days, where))
    if fmt == "json":
        click.echo(render.as_json(due), nl=False)
    else:
        say((render.markdown if fmt == "markdown" else render.text)(displayed(due)), nl=False)
    if exit_code and (due["overdue"] or due["due"]):
        raise click.exceptions.Exit(DUE_FOUND)


COMMANDS = [due_show]
