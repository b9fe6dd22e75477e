"""Sources renamed and merged (`tracker source rename` / `merge`): what the command asks of
the ledger, whose tracker.ledger.sources records it in the history of every claim it
touches."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tracker.ledger import sources
from tracker.ledger.ledger import Ledger
from tracker.ledger.sources import Moved
from tracker.rules.text import MAX_TEXT, clean


def rename_source(
    session: Session, old: str, new: str, *, reason: str, actor: str, today: date
) -> Moved:
    """The source OLD names is called NEW from today; OLD still finds it."""
    reason = clean(reason, "reason", limit=MAX_TEXT)
    ledger = Ledger(session, actor=actor, today=today)
    moved = sources.rename(ledger, clean(old, "source"), new, reason)
    ledger.flush()
    return moved


def merge_source(
    session: Session, old: str, into: str, *, reason: str, actor: str, today: date
) -> Moved:
    """Source OLD's claims and evidence are INTO's from today: one source, one track record;
    OLD (and every other name of it) finds INTO."""
    reason = clean(reason, "reason", limit=MAX_TEXT)
    ledger = Ledger(session, actor=actor, today=today)
    moved = sources.merge(ledger, clean(old, "source"), clean(into, "source"), reason)
    ledger.flush()
    return moved
