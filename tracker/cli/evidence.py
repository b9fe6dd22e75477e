"""Commands that move a claim's status: evidence, confirm, refute, resolve, retract."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.app import App, pass_app
from tracker.cli.options import Decorated, output_format
from tracker.cli.params import DateParam, Word
from tracker.cli.writing import by_option
from tracker.render import writes
from tracker.render.json_csv import emit_json
from tracker.render.terminal import say
from tracker.rules.kinds import TIERS
from tracker.rules.status import STANCES, STATUSES  # no SQLAlchemy: --help stays light

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session

    from tracker.ledger.drafts import Change

ACTUAL = click.option(
    "--actual",
    metavar="TEXT",
    help='What actually happened ("Xiaomi 12S Ultra, launched 4 July 2022").',
)


def evidence_options(command: Decorated) -> Decorated:
    for option in reversed(
        [
            click.option("--source", metavar="NAME", help="Who published the evidence."),
            click.option("--url", metavar="URL", help="Where the evidence is."),
            click.option(
                "--on",
                type=DateParam(),
                metavar="DATE",
                help="When the evidence appeared [default: today].",
            ),
            click.option("--note", metavar="TEXT", help="What the evidence says."),
            click.option(
                "--tier",
                type=Word(TIERS, "tier"),
                help="How close its publisher is to the fact; `repeat`: only passes on "
                "someone else's claim.",
            ),
            ACTUAL,
            output_format("text", "json"),
            by_option,
        ]
    ):
        command = option(command)
    return command


def _add_evidence(app: App, claim: str, stance: str, fmt: str, **options: Any) -> None:
    from tracker.commands.evidence import NewEvidence, add_evidence

    new = NewEvidence(stance=stance, **options)
    _run_change(app, lambda s: add_evidence(s, claim, new, actor=app.actor, today=app.today), fmt)


def _run_change(app: App, change_claim: Callable[[Session], Change], fmt: str) -> None:
    """Run a status change and print what it did: one line, or the claim as JSON."""
    from tracker.queries.shapes import claim_shape
    from tracker.queries.views import view

    def work(session: Session) -> tuple[str, dict[str, Any]]:
        change = change_claim(session)
        shape = claim_shape(view(session, change.claim_id), app.today)
        return writes.status_changed(writes.claim_of(change), change), shape

    line, shape = app.write(work)
    if fmt == "json":
        emit_json(shape)
    else:
        say(line)


@click.command("evidence")
@click.argument("claim")
@click.argument("stance", type=Word(STANCES, "stance"), metavar="STANCE")
@evidence_options
@pass_app
def evidence_add(app: App, /, claim: str, stance: str, fmt: str, **options: Any) -> None:
    """Add evidence for or against a claim.

    STANCE is confirms or refutes (conclusive: they move the status), or
    supports or contradicts (recorded, status unchanged).

    \b
    Example:
      tracker evidence leica-launch supports --source Xiaomi --on 2022-06-28 \\
        --note "Launch event set for 4 July"
    """
    _add_evidence(app, claim, stance, fmt, **options)


@click.command("confirm")
@click.argument("claim")
@evidence_options
@pass_app
def evidence_confirm(app: App, /, claim: str, fmt: str, **options: Any) -> None:
    """Add conclusive evidence that a claim came true.

    \b
    Example:
      tracker confirm leica-launch --on 2022-07-04 --source Xiaomi
    """
    _add_evidence(app, claim, "confirms", fmt, **options)


@click.command("refute")
@click.argument("claim")
@evidence_options
@pass_app
def evidence_refute(app: App, /, claim: str, fmt: str, **options: Any) -> None:
    """Add conclusive evidence that a claim is false.

    \b
    Example:
      tracker refute 12-ultra-name --on 2022-06-28 --actual "Xiaomi 12S Ultra" --tier official
    """
    _add_evidence(app, claim, "refutes", fmt, **options)


@click.command("resolve")
@click.argument("claim")
@click.argument("status", type=Word(STATUSES, "status"), metavar="STATUS")
@click.option("--reason", required=True, help="Why (kept in the history).")
@click.option(
    "--on", type=DateParam(), metavar="DATE", help="When it took effect [default: today]."
)
@ACTUAL
@output_format("text", "json")
@by_option
@pass_app
def evidence_resolve(
    app: App, claim: str, status: str, reason: str, on: date | None, actual: str | None, fmt: str
) -> None:
    """Set a claim's status by hand: to settle a dispute or correct a mistake.

    \b
    Example:
      tracker resolve 7 confirmed --reason "Both reports describe the same chip"
      tracker resolve 12-ultra-name refuted --reason "Launched under another name" \\
        --on 2022-07-04 --actual "Xiaomi 12S Ultra, launched 4 July 2022"
    """
    from tracker.commands.evidence import resolve

    def change(session: Session) -> Change:
        return resolve(session, claim, status, reason=reason, on=on, actor=app.actor,
                       today=app.today, actual=actual)  # fmt: skip

    _run_change(app, change, fmt)


@click.command("retract")
@click.argument("evidence_id", type=click.IntRange(min=1), metavar="EVIDENCE_ID")
@click.option("--reason", required=True, help="Why the evidence is withdrawn.")
@output_format("text", "json")
@by_option
@pass_app
def evidence_retract(app: App, evidence_id: int, reason: str, fmt: str) -> None:
    """Withdraw a piece of evidence (by its id, as `show` lists it; not a claim's); the
    claim's status is recomputed without it.

    \b
    Example:
      tracker retract 5 --reason "The leak was a fake"
    """
    from tracker.commands.evidence import retract
    from tracker.queries.shapes import claim_shape
    from tracker.queries.views import view

    def work(session: Session) -> tuple[str, dict[str, Any]]:
        change, evidence = retract(session, evidence_id, reason=reason, actor=app.actor,
                                   today=app.today)  # fmt: skip
        shape = claim_shape(view(session, change.claim_id), app.today)
        return writes.retracted(writes.claim_of(change), change, evidence), shape

    line, shape = app.write(work)
    if fmt == "json":
        emit_json(shape)
    else:
        say(line)


COMMANDS = [evidence_add, evidence_confirm, evidence_refute, evidence_resolve, evidence_retract]
