"""Commands on claims: add, edit, show, list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from tracker.cli.app import App, pass_app
from tracker.cli.options import (
    Decorated,
    Decorator,
    as_of_option,
    claim_filters,
    limit_option,
    output_format,
    wrap_option,
)
from tracker.cli.params import DateParam, DurationParam, Word
from tracker.cli.writing import by_option, claims_argument, dry_run_option, refs
from tracker.render import listings as render
from tracker.render import writes
from tracker.render.json_csv import emit_json
from tracker.render.terminal import say
from tracker.rules.claim_fields import FIELDS
from tracker.rules.kinds import SORTS
from tracker.rules.status import STATUSES

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session

    from tracker.ledger.drafts import Change
    from tracker.rules.dates import Duration


write_format = output_format("text", "json")


def field_options(command: str) -> Decorator:
    """The options of `add` or `edit` for a claim's fields, made from the one table of
    them (tracker.rules.claim_fields): both commands name and read a field alike."""

    def apply(decorated: Decorated) -> Decorated:
        for field in reversed(FIELDS):
            help = field.add_help if command == "add" else field.edit_help
            if help is None:
                continue
            read: dict[str, Any] = {"metavar": field.metavar, "help": help}
            if field.kind == "date":
                read["type"] = DateParam()
            elif field.kind == "number":
                read["type"] = float
            elif field.kind == "tags":
                read["multiple"] = True
            decorated = click.option(field.option, field.name, **read)(decorated)
        return decorated

    return apply


@click.command("add")
@click.argument("text")
@field_options("add")
@write_format
@by_option
@pass_app
def claim_add(app: App, /, fmt: str, **options: Any) -> None:
    """Log a claim.

    \b
    Example:
      tracker add "The first Xiaomi-Leica phone launches in July" \\
        --subject "Xiaomi-Leica flagship" --source Xiaomi --hedge official \\
        --said-on 2022-05-23 --expected "July this year" --key leica-launch
    """
    from tracker.commands.claims import NewClaim, add_claim
    from tracker.queries.shapes import claim_shape

    new = NewClaim(**options)
    shape = app.write(
        lambda s: claim_shape(add_claim(s, new, actor=app.actor, today=app.today), app.today)
    )
    if fmt == "json":
        return emit_json(shape)
    hedged = options["hedge"] is not None or options["likelihood"] is not None
    say("\n".join(writes.added(shape, expected=options["expected"] is not None, hedged=hedged)))


@click.command("edit")
@claims_argument
@field_options("edit")
@click.option("--clear-expected", is_flag=True, help="The claim names no window after all.")
@click.option(
    "--untag", "remove_tags", multiple=True, metavar="TAG", help="Remove a tag (repeatable)."
)
@click.option("--reason", help="Why the correction was made.")
@dry_run_option
@write_format
@by_option
@pass_app
def claim_edit(
    app: App, /, claims: tuple[str, ...], fmt: str, dry_run: bool, **options: Any
) -> None:
    """Correct claims; the old values stay in their history. Of several claims at once
    (`-` reads them from standard input, one a line), an edit changes tags, subject,
    source, window, hedge or likelihood; it is one change: all of it, or nothing.

    \b
    Example:
      tracker edit 3 --subject "Xiaomi 12S Ultra" --reason "name announced"
      tracker edit 7 --source "Ming-Chi Kuo" --said-on 2023-03-01 --key kuo-usbc
      tracker list --source kuo --format ids | tracker edit - --tag kuo --dry-run
    """
    from tracker.commands.claims import ClaimEdit, edit_claims

    edit = ClaimEdit(**options)
    named = refs(claims)

    def work(session: Session) -> tuple[list[str], list[dict[str, Any]]]:
        changes = edit_claims(session, named, edit, actor=app.actor, today=app.today)
        lines = []
        for change in changes:
            claim = writes.claim_of(change)
            if change.event == "unchanged":
                unchanged = writes.line("Unchanged ", *writes.named(claim), ": it has these values")
                lines.append(unchanged)
            else:
                assert change.changes is not None
                lines += writes.edited(claim, change.changes,
                                       verb="Would edit" if dry_run else "Edited")  # fmt: skip
        if len(changes) > 1 or dry_run:
            done = sum(change.event != "unchanged" for change in changes)
            lines.append(writes.summary(done, "would edit" if dry_run else "edited",
                                        dry_run=dry_run))  # fmt: skip
        return lines, _shapes(session, changes, app.today, fmt)

    _print(app.write(work, dry_run=dry_run), fmt, several=len(named) > 1)


def _shapes(session: Session, changes: list[Change], today: date, fmt: str) -> list[dict[str, Any]]:
    """The changed claims' JSON shapes, in this order, as they now stand (for --format json:
    the lines need none)."""
    from tracker.queries.shapes import claim_shape
    from tracker.queries.views import views_by_id

    if fmt != "json":
        return []
    ids = [change.claim_id for change in changes]
    views = views_by_id(session, ids)
    return [claim_shape(views[claim], today) for claim in ids]


def _print(done: tuple[list[str], list[dict[str, Any]]], fmt: str, *, several: bool) -> None:
    """A write's lines, or its claims as JSON: the claim object, or a list of them when
    several claims were named."""
    lines, shapes = done
    if fmt == "json":
        return emit_json(shapes if several else shapes[0])
    say("\n".join(lines))


def _withdrawal(
    app: App, claims: tuple[str, ...], reason: str, fmt: str, dry_run: bool, *, withdrawn: bool
) -> None:
    from tracker.commands.claims import withdraw_claims

    named = refs(claims)

    def work(session: Session) -> tuple[list[str], list[dict[str, Any]]]:
        changes: list[Change] = withdraw_claims(
            session, named, withdrawn=withdrawn, reason=reason, actor=app.actor, today=app.today
        )
        lines = []
        for change in changes:
            claim = writes.claim_of(change)
            if change.event == "unchanged":
                state = "withdrawn" if withdrawn else "not withdrawn"
                lines.append(writes.line("Unchanged ", *writes.named(claim), f": {state} already"))
            else:
                lines.append(writes.withdrawn(claim, withdrawn=withdrawn, dry_run=dry_run))
        if len(changes) > 1 or dry_run:
            done = sum(change.event != "unchanged" for change in changes)
            verb = {True: ("withdrew", "would withdraw"), False: ("restored", "would restore")}
            lines.append(writes.summary(done, verb[withdrawn][dry_run], dry_run=dry_run))
        return lines, _shapes(session, changes, app.today, fmt)

    _print(app.write(work, dry_run=dry_run), fmt, several=len(named) > 1)


@click.command("withdraw")
@claims_argument
@click.option("--reason", required=True, help="Why (kept in the history).")
@dry_run_option
@write_format
@by_option
@pass_app
def claim_withdraw(app: App, claims: tuple[str, ...], reason: str, dry_run: bool, fmt: str) -> None:
    """Withdraw claims logged by mistake (or made moot): they leave every list, report and
    track record, and stay in the database with their history (`list --withdrawn`).
    Several claims (`-` reads them from standard input, one a line) are one change: all
    of them, or none.

    \b
    Example:
      tracker withdraw 12 --reason "logged twice; see claim 11"
      tracker list --tag wire --format ids | tracker withdraw - --reason "bad import"
    """
    _withdrawal(app, claims, reason, fmt, dry_run, withdrawn=True)


@click.command("restore")
@claims_argument
@click.option("--reason", required=True, help="Why (kept in the history).")
@dry_run_option
@write_format
@by_option
@pass_app
def claim_restore(app: App, claims: tuple[str, ...], reason: str, dry_run: bool, fmt: str) -> None:
    """Undo a withdrawal: the claims are back in the lists, reports and track records.

    \b
    Example:
      tracker restore 12 --reason "not a duplicate after all"
      tracker list --withdrawn --tag wire --format ids | tracker restore - --reason "kept"
    """
    _withdrawal(app, claims, reason, fmt, dry_run, withdrawn=False)


@click.command("show")
@click.argument("claim")
@as_of_option("Show the claim as it stood on DATE.")
@output_format("text", "json")
@pass_app
def claim_show(app: App, claim: str, as_of: date | None, known_on: date | None, fmt: str) -> None:
    """Show a claim with its evidence and its history, oldest first.

    \b
    Example:
      tracker show leica-launch
      tracker show 2 --as-of 2022-06-01 --format json
      tracker show 2 --known-on 2022-06-01
    """
    from tracker.queries.lookup import get_claim
    from tracker.queries.shapes import claim_detail

    timeline = app.timeline(as_of, known_on)
    shape = app.read(lambda s: claim_detail(s, get_claim(s, claim), timeline))
    render.claim_detail(shape, fmt)


@click.command("list")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=Word(STATUSES, "status"),
    help="Only claims with this status (repeatable).",
)
@claim_filters()
@click.option("--search", metavar="TEXT", help="Only claims whose text contains TEXT.")
@click.option("--overdue", is_flag=True, help="Only pending claims whose window has ended.")
@click.option(
    "--due-within",
    "due_within",
    type=DurationParam(),
    metavar="DAYS",
    help="Only pending claims whose window ends within DAYS (or 2w, 3m).",
)
@as_of_option("The claims as they stood on DATE.")
@limit_option("At most N claims (0: all, the default).")
@click.option(
    "--sort",
    type=Word(SORTS, "sort order"),
    default="id",
    show_default=True,
    help="Order: id, due (expected end), said, status or source.",
)
@click.option("--withdrawn", is_flag=True, help="Only the claims withdrawn as logged by mistake.")
@click.option(
    "--duplicates",
    is_flag=True,
    help="Only the claims linked as duplicates of another (left out otherwise, as they count "
    "once, as the other).",
)
@wrap_option()
@output_format("text", "json", "csv", "ids")
@pass_app
def claim_list(
    app: App,
    /,
    fmt: str,
    as_of: date | None,
    known_on: date | None,
    due_within: Duration | None,
    limit: int | None,
    wrap: bool,
    **filters: Any,
) -> None:
    """List claims, filtered. On a terminal, subject and source are shortened before the
    claim text is; --wrap wraps the text instead of cutting it.

    \b
    Example:
      tracker list --status pending --source Xiaomi
      tracker list --due-within 2w --wrap
      tracker list --source kuo --sort due
      tracker list --tag leica --as-of 2022-06-01 --format csv > claims.csv
      tracker list --tag wire --format ids | tracker withdraw - --reason "bad import"
    """
    from tracker.queries.listing import ClaimFilter, list_claims
    from tracker.queries.shapes import state_shape

    reference = app.timeline(as_of, known_on).reference
    days = due_within.days_after(reference) if due_within is not None else None
    where = ClaimFilter(**filters, as_of=as_of, known_on=known_on, due_within=days,
                        limit=limit or None)  # fmt: skip
    items = app.read(lambda s: [state_shape(c) for c in list_claims(s, where, today=app.today)])
    render.claims(items, fmt, wrap=wrap)


COMMANDS = [claim_add, claim_edit, claim_withdraw, claim_restore, claim_show, claim_list]
