"""`tracker undo`: the latest change an actor made in this database, reversed as new
history (what each kind of event's inverse is: tracker.ledger.undo)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from tracker.db.models import Changeset
from tracker.errors import InvalidTransition
from tracker.ledger.ledger import Ledger
from tracker.ledger.undo import Reversal, Reversed
from tracker.rules.text import MAX_TEXT, clean_optional

REASON = "undo"  # the reason an undo's events give, unless --reason says another
PAGE = 50  # changesets read at a time, newest first


@dataclass
class Undone:
    """A change reversed: whose, when it was made, and what its reversal did."""

    actor: str
    made_at: datetime
    reversed: list[Reversed]
    skipped: int  # later changes of the actor's whose effects were gone already


def undo_latest(
    session: Session, *, actor: str, today: date, reason: str | None = None,
    dry_run: bool = False,
) -> Undone:  # fmt: skip
    """Reverse the latest change `actor` made here that is not undone. An undo is not
    undone by the next: that one goes a change further back. A change whose every effect
    a later change took away already is passed over (and counted)."""
    reason = clean_optional(reason, "reason", limit=MAX_TEXT) or REASON
    ledger = Ledger(session, actor=actor, today=today, dry_run=dry_run)
    skipped = 0
    for changeset in _not_undone(session, actor):
        ledger.undid = changeset.id
        done = Reversal(ledger, changeset.id, reason).run()
        if done:
            return Undone(actor, changeset.made_at, done, skipped)
        skipped += 1
    passed = f" ({skipped} whose effects were gone already)" if skipped else ""
    raise InvalidTransition(
        f"nothing to undo: {actor} has no change in this database that is not undone{passed}"
    )


def _not_undone(session: Session, actor: str) -> Iterator[Changeset]:
    """The actor's changes here, newest first: not undos, and not undone."""
    undo = aliased(Changeset)
    query = select(Changeset).where(
        Changeset.actor == actor,
        Changeset.undid.is_(None),
        ~exists().where(undo.undid == Changeset.id),
    )
    last: int | None = None
    while True:
        page = query if last is None else query.where(Changeset.id < last)
        found = list(session.scalars(page.order_by(Changeset.id.desc()).limit(PAGE)))
        yield from found
        if len(found) < PAGE:
            return
        last = found[-1].id
