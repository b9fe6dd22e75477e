"""The claim a page's address names: an id, a key, a handle or the start of one, read as
every command reads CLAIM (tracker.queries.lookup, where claims' handles are indexed)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tracker.queries.lookup import get_claim
from tracker.queries.views import ClaimView


def find_claim(session: Session, ref: str) -> ClaimView:
    return get_claim(session, ref)
