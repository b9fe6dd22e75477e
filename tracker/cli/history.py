"""The event log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from tracker.cli.app import App, pass_app
from tracker.cli.options import as_of_option, limit_option, output_format, since_option
from tracker.render import listings as render

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session

    from tracker.rules.dates import Since


@click.command("history")
@click.argument("claim", required=False)
@since_option("Only events recorded on or after DATE (or 7d, 2w, 3m before today).")
@as_of_option("Only events effective by DATE.")
@limit_option("At most N events.", least=1)
@output_format("text", "json", "csv")
@pass_app
def history_list(
    app: App,
    claim: str | None,
    since: Since | None,
    as_of: date | None,
    known_on: date | None,
    limit: int | None,
    fmt: str,
) -> None:
    """Show the event log, newest first: every change to every claim, or to one.

    \b
    Example:
      tracker history --since 2022-07-01
      tracker history --since 7d
      tracker history leica-launch --format json
    """
    from tracker.queries.history import events
    from tracker.queries.lookup import claim_id as find_claim
    from tracker.queries.shapes import event_shapes
    from tracker.rules.dates import since_day

    since_date = since_day(since, app.today) if since is not None else None
    timeline = app.timeline(as_of, known_on)

    def work(session: Session) -> list[dict[str, Any]]:
        claim_id = find_claim(session, claim) if claim is not None else None
        found = events(session, claim_id=claim_id, since=since_date, limit=limit,
                       timeline=timeline)  # fmt: skip
        return event_shapes(session, found)

    render.events(app.read(work), fmt)


COMMANDS = [history_list]
