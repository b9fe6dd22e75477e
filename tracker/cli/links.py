"""`link` and `unlink`: claims that duplicate, supersede, depend on or contradict others."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from tracker.cli.app import App, pass_app
from tracker.cli.options import output_format
from tracker.cli.params import Word
from tracker.render.json_csv import emit_json
from tracker.render.terminal import say
from tracker.rules.kinds import LINK_KINDS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

KIND = click.argument("kind", type=Word(LINK_KINDS, "link kind"), metavar="KIND")


def _run(app: App, claim: str, kind: str, other: str, *, linked: bool, reason: str | None,
         fmt: str) -> None:  # fmt: skip
    from tracker.commands.links import link
    from tracker.queries.links import link_shapes, phrase
    from tracker.queries.shapes import claim_shape
    from tracker.queries.views import view

    def work(session: Session) -> tuple[str, dict[str, Any]]:
        change, other_id = link(session, claim, kind, other, linked=linked, reason=reason,
                                actor=app.actor, today=app.today)  # fmt: skip
        shape = claim_shape(view(session, change.claim_id), app.today)
        shape["links"] = link_shapes(session, change.claim_id, app.today, replay=False)
        return phrase(change.claim_id, kind, other_id, "" if linked else "no longer"), shape

    line, shape = app.write(work)
    if fmt == "json":
        emit_json(shape)
    else:
        say(f"{'Linked' if linked else 'Unlinked'}: {line}")


@click.command("link")
@click.argument("claim")
@KIND
@click.argument("other")
@click.option("--reason", help="Why (kept in the history).")
@output_format("text", "json")
@pass_app
def link_command(app: App, claim: str, kind: str, other: str, reason: str | None,
                 fmt: str) -> None:  # fmt: skip
    """Link CLAIM to OTHER, from today: KIND is duplicates, supersedes, depends-on or
    contradicts.

    A claim that duplicates another stops counting in reports and source track
    records (the other counts for both); a pending claim that depends on a refuted
    one is listed as moot; two contradicting claims both confirmed are a conflict.
    `show` lists a link on both claims.

    \b
    Example:
      tracker link 12s-leak supersedes 12-ultra-name --reason "Newer leak, same phone"
      tracker link 7 duplicates 3
    """
    _run(app, claim, kind, other, linked=True, reason=reason, fmt=fmt)


@click.command("unlink")
@click.argument("claim")
@KIND
@click.argument("other")
@click.option("--reason", required=True, help="Why (kept in the history).")
@output_format("text", "json")
@pass_app
def unlink_command(app: App, claim: str, kind: str, other: str, reason: str, fmt: str) -> None:
    """Undo a link, from today (it stays in force at earlier dates, and in the history).

    \b
    Example:
      tracker unlink 7 duplicates 3 --reason "Different phones after all"
    """
    _run(app, claim, kind, other, linked=False, reason=reason, fmt=fmt)


COMMANDS = [link_command, unlink_command]
