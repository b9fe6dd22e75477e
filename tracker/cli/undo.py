"""`tracker undo`: take back your latest change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from tracker.cli.app import App, pass_app
from tracker.cli.options import output_format
from tracker.cli.writing import by_option, dry_run_option
from tracker.render import writes
from tracker.render.json_csv import emit_json
from tracker.render.terminal import say

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@click.command("undo")
@click.option("--reason", help="Why (kept in the history) [default: undo].")
@dry_run_option
@output_format("text", "json")
@by_option
@pass_app
def undo_command(app: App, reason: str | None, dry_run: bool, fmt: str) -> None:
    """Undo your latest change in this database: what one command of yours (--by, else the
    OS user) wrote, reversed as new history, an import or a command on many claims whole.
    Run again, it goes one change further back (an undo is not itself undone by the next
    one). Another person's changes are never touched. Evidence added is retracted, an
    edit edited back, an added claim withdrawn, a resolution retracted, a link unlinked,
    a withdrawal restored...; the undone change stays in the history.

    \b
    Example:
      tracker undo --dry-run
      tracker undo
      tracker --by alice undo --reason "confirmed the wrong claim"
    """
    from tracker.commands.undo import undo_latest
    from tracker.queries.shapes import claim_shape
    from tracker.queries.views import views_by_id

    def work(session: Session) -> tuple[list[str], list[dict[str, Any]]]:
        done = undo_latest(session, actor=app.actor, today=app.today, reason=reason,
                           dry_run=dry_run)  # fmt: skip
        touched = list(dict.fromkeys(item.claim_id for item in done.reversed))
        others = {item.other_id for item in done.reversed if item.other_id is not None}
        views = views_by_id(session, [*others, *(touched if fmt == "json" else [])])
        shapes = {claim: claim_shape(view, app.today) for claim, view in views.items()}
        lines = writes.undone(done, shapes, dry_run=dry_run)
        return lines, [shapes[c] for c in touched] if fmt == "json" else []

    lines, shapes = app.write(work, dry_run=dry_run)
    if fmt == "json":
        emit_json(shapes)
        return
    say("\n".join(lines))


COMMANDS = [undo_command]
