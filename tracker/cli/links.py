"""`link` and `unlink`: claims that duplicate, supersede, depend on or contradict others."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from tracker.cli.app import App, pass_app
from tracker.cli.options import output_format
from tracker.cli.params import Word
from tracker.cli.writing import by_option, claims_argument, dry_run_option, refs
from tracker.render import writes
from tracker.render.json_csv import emit_json
from tracker.render.terminal import say
from tracker.rules.kinds import LINK_KINDS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

KIND = click.argument("kind", type=Word(LINK_KINDS, "link kind"), metavar="KIND")


def _run(app: App, claims: tuple[str, ...], kind: str, other: str, *, linked: bool,
         reason: str | None, fmt: str, dry_run: bool) -> None:  # fmt: skip
    from tracker.commands.links import link
    from tracker.queries.links import link_shapes
    from tracker.queries.shapes import claim_shape
    from tracker.queries.timeline import Timeline
    from tracker.queries.views import views_by_id

    named = refs(claims)

    def work(session: Session) -> tuple[list[str], list[dict[str, Any]]]:
        changes, other_id = link(session, named, kind, other, linked=linked, reason=reason,
                                 actor=app.actor, today=app.today)  # fmt: skip
        ids = [change.claim_id for change in changes]
        shown = claim_shape(views_by_id(session, [other_id])[other_id], app.today)
        lines = [writes.linked(writes.claim_of(change), kind, shown, linked=linked,
                               dry_run=dry_run) for change in changes]  # fmt: skip
        if len(ids) > 1 or dry_run:
            verb = {True: ("linked", "would link"), False: ("unlinked", "would unlink")}
            lines.append(writes.summary(len(ids), verb[linked][dry_run], dry_run=dry_run))
        shapes = []
        if fmt == "json":
            views = views_by_id(session, ids)
            for claim in ids:
                shape = claim_shape(views[claim], app.today)
                shape["links"] = link_shapes(session, claim, Timeline(app.today))
                shapes.append(shape)
        return lines, shapes

    lines, shapes = app.write(work, dry_run=dry_run)
    if fmt == "json":
        emit_json(shapes if len(named) > 1 else shapes[0])
    else:
        say("\n".join(lines))


@click.command("link")
@claims_argument
@KIND
@click.argument("other")
@click.option("--reason", help="Why (kept in the history).")
@dry_run_option
@output_format("text", "json")
@by_option
@pass_app
def link_command(app: App, claims: tuple[str, ...], kind: str, other: str, reason: str | None,
                 dry_run: bool, fmt: str) -> None:  # fmt: skip
    """Link CLAIM to OTHER, from today: KIND is duplicates, supersedes, depends-on or
    contradicts.

    Several CLAIMs (`-` reads them from standard input, one a line) are one change: each
    is linked to OTHER, or none is.

    A claim that duplicates another stops counting in reports and source track
    records (the other counts for both); a pending claim that depends on a refuted
    one is listed as moot; two contradicting claims both confirmed are a conflict.
    `show` lists a link on both claims.

    \b
    Example:
      tracker link 12s-leak supersedes 12-ultra-name --reason "Newer leak, same phone"
      tracker link 7 duplicates 3
      tracker list --search "Pixel 9a" --format ids | tracker link - duplicates 3
    """
    _run(app, claims, kind, other, linked=True, reason=reason, fmt=fmt, dry_run=dry_run)


@click.command("unlink")
@claims_argument
@KIND
@click.argument("other")
@click.option("--reason", required=True, help="Why (kept in the history).")
@dry_run_option
@output_format("text", "json")
@by_option
@pass_app
def unlink_command(app: App, claims: tuple[str, ...], kind: str, other: str, reason: str,
                   dry_run: bool, fmt: str) -> None:  # fmt: skip
    """Undo a link, from today (it stays in force at earlier dates, and in the history).

    Several CLAIMs (`-` reads them from standard input) are one change.

    \b
    Example:
      tracker unlink 7 duplicates 3 --reason "Different phones after all"
    """
    _run(app, claims, kind, other, linked=False, reason=reason, fmt=fmt, dry_run=dry_run)


COMMANDS = [link_command, unlink_command]
