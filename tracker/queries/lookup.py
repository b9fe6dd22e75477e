"""Finding the claim a person names: by id or key."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.models import MAX_ID, Claim
from tracker.errors import ClaimNotFound
from tracker.queries.views import ClaimView, view
from tracker.rules.text import is_id, is_key


def claim_id(session: Session, ref: str) -> int:
    """The id of the claim with this id or key (no row read, nothing locked)."""
    ref = ref.strip()
    query = None
    if is_id(ref):
        if len(ref) <= 10 and int(ref) <= MAX_ID:
            query = select(Claim.id).where(Claim.id == int(ref))
    elif is_key(ref):  # anything else can name no claim: no query at all
        query = select(Claim.id).where(Claim.key == ref)
    found = session.scalars(query).first() if query is not None else None
    if found is None:
        raise ClaimNotFound(f"no claim with id or key {ref!r}; `tracker list` shows them")
    return found


def get_claim(session: Session, ref: str) -> ClaimView:
    """The claim with this id or key, to read."""
    return view(session, claim_id(session, ref))
