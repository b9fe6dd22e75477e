"""How fresh a reader's copy is: a mark of the history that changes exactly when it does.

History is insert-only, so it changes exactly when an event is committed anywhere. On
SQLite and MariaDB/MySQL writers take turns and number their rows from the highest id
(tracker.ledger.rows), so ids are committed in order: the highest id and its event's
hash are the mark, two primary-key lookups. On PostgreSQL ids come from a sequence and
are not committed in order (a long import holding low ids can commit after a later
writer's high ones), so the mark also counts the events (a scan of the smallest index).
The hash tells apart two copies that hold the same highest id and still differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from tracker.db.models import ClaimEvent


@dataclass(frozen=True)
class HistoryMark:
    last_id: int | None
    last_hash: str | None
    events: int | None = None  # counted where ids may commit out of order (PostgreSQL)

    @property
    def token(self) -> str:
        """The mark as a short opaque word (for an HTTP ETag)."""
        counted = "" if self.events is None else f"{self.events}-"
        return f"{counted}{self.last_id or 0}-{(self.last_hash or '')[:16]}"


def history_mark(session: Session) -> HistoryMark:
    """The history's mark, in the caller's transaction (so it names the state it reads)."""
    newest, latest = aliased(ClaimEvent), aliased(ClaimEvent)
    last_id = select(func.max(newest.id)).scalar_subquery()
    last_hash = select(latest.hash).where(latest.id == last_id).scalar_subquery()
    if session.get_bind().dialect.name != "postgresql":
        last, hashed = session.execute(select(last_id, last_hash)).one()
        return HistoryMark(last, hashed)
    events, last, hashed = session.execute(
        select(func.count(), last_id.correlate(None), last_hash.correlate(None)).select_from(
            ClaimEvent
        )
    ).one()
    return HistoryMark(last, hashed, int(events))
