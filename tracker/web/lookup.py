"""The claim a page's address names: an id, a key, or a handle.

Until claims store their handle, a handle is found by computing each claim's from its
uid (tracker.rules.identity.handle): a scan, kept here, small, for one page at a time.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.models import Claim
from tracker.errors import ClaimNotFound
from tracker.queries.lookup import get_claim
from tracker.queries.views import ClaimView, view
from tracker.rules.identity import handle


def find_claim(session: Session, ref: str) -> ClaimView:
    try:
        return get_claim(session, ref)
    except ClaimNotFound:
        if not (ref.isalnum() and ref.islower() and ref[:1].isalpha()):
            raise
    found = [i for i, uid in session.execute(select(Claim.id, Claim.uid)) if handle(uid) == ref]
    if len(found) != 1:
        raise ClaimNotFound(f"no claim has the handle, id or key {ref!r}") from None
    return view(session, found[0])
