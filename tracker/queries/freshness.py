"""How fresh a reader's copy is: a mark of the history that changes exactly when it does.

History is insert-only, so it changes exactly when an event is added anywhere. The
mark is the number of events, the highest id and that event's hash, read in one query
(the count scans the smallest index; the rest are primary-key lookups). The count is
there because ids are not given in commit order on PostgreSQL (a sequence: a long
import holding low ids can commit after a later writer's high ones); the hash because
two copies of one database may hold as many events with the same highest id and
still differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from tracker.db.models import ClaimEvent


@dataclass(frozen=True)
class HistoryMark:
    events: int
    last_id: int | None
    last_hash: str | None

    @property
    def token(self) -> str:
        """The mark as a short opaque word (for an HTTP ETag)."""
        return f"{self.events}-{self.last_id or 0}-{(self.last_hash or '')[:16]}"


def history_mark(session: Session) -> HistoryMark:
    """The history's mark, in the caller's transaction (so it names the state it reads)."""
    newest, latest = aliased(ClaimEvent), aliased(ClaimEvent)
    last_id = select(func.max(newest.id)).correlate(None).scalar_subquery()
    last_hash = select(latest.hash).where(latest.id == last_id).correlate(None).scalar_subquery()
    events, last, hashed = session.execute(
        select(func.count(), last_id, last_hash).select_from(ClaimEvent)
    ).one()
    return HistoryMark(int(events), last, hashed)
