"""Linking claims (`tracker link` / `unlink`): one duplicates, supersedes, depends on or
contradicts another. A link is history (a `linked` or `unlinked` event in the linking claim's
history, written by the ledger); its rules are tracker.ledger.links'.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, and_, or_, select
from sqlalchemy.orm import Session, aliased

from tracker.db.models import Claim, ClaimLink
from tracker.errors import InvalidInput, InvalidTransition
from tracker.ledger.drafts import Change
from tracker.ledger.ledger import Ledger
from tracker.ledger.links import check_links, leads_to
from tracker.queries.links import in_force, phrase
from tracker.queries.lookup import Ref, claim_id, claim_ids
from tracker.rules.kinds import LINK_KINDS
from tracker.rules.text import MAX_TEXT, clean, clean_optional, one_of

# The claim linked to: id, uid, said_on, withdrawn.
OtherClaim = Row[int, str, date, bool]


def link(
    session: Session,
    refs: Sequence[Ref],
    kind: str,
    other_ref: str,
    *,
    linked: bool,
    reason: str | None,
    actor: str,
    today: date,
) -> tuple[list[Change], int]:
    """`tracker link` / `unlink` of one claim or several to OTHER, as one change: recorded
    in each claim's history, in force from today. The changes, and OTHER's id."""

    kind = one_of(kind, LINK_KINDS, "link kind")
    reason = (
        clean(reason or "", "reason", limit=MAX_TEXT)  # an unlink says why
        if not linked
        else clean_optional(reason, "reason", limit=MAX_TEXT)
    )
    ids = claim_ids(session, refs)
    other = session.execute(
        select(Claim.id, Claim.uid, Claim.said_on, Claim.withdrawn).where(
            Claim.id == claim_id(session, other_ref)
        )
    ).one()
    ledger = Ledger(session, actor=actor, today=today)
    changes = []
    for start in range(0, len(ids), 1000):
        books = ledger.open(ids[start : start + 1000])
        for book in books.values():
            if linked:
                _refuse_link(session, book.row, kind, other, today)
            elif not _in_force(session, book.id, kind, other.id, today):
                raise InvalidTransition(phrase(book.id, kind, other.id, "not"))
            changes.append(ledger.link(book, kind, other.uid, linked=linked, reason=reason))
        ledger.flush()
    if linked and len(ids) > 1:  # the rules hold between the new links too
        check_links(session, ledger.relinked, today)
    return changes, other.id


def _refuse_link(session: Session, claim: dict[str, Any], kind: str, other: OtherClaim,
                 today: date) -> None:  # fmt: skip
    """The rules of a new link: two live claims, one link between them, and duplicates
    that point from the later claim to the earlier, never round in a loop."""
    if other.id == claim["id"]:
        raise InvalidInput(f"claim {claim['id']} cannot be linked to itself")
    for row in (claim, other._mapping):
        if row["withdrawn"]:
            raise InvalidTransition(f"claim {row['id']} is withdrawn; restore it to link it")
    pair = (claim["id"], other.id)
    between = session.execute(
        select(ClaimLink.claim_id, ClaimLink.kind, ClaimLink.other_id).where(
            in_force(today), ClaimLink.claim_id.in_(pair), ClaimLink.other_id.in_(pair)
        )
    ).first()
    if between is not None:
        same = tuple(between) == (claim["id"], kind, other.id)
        words = phrase(*between, how="already")
        raise InvalidTransition(words if same else f"{words}; unlink that first")
    if kind == "duplicates" and claim["said_on"] < other.said_on:
        raise InvalidInput(
            f"claim {claim['id']} was said before claim {other.id} ({claim['said_on']}, "
            f"{other.said_on}): the later one duplicates the earlier "
            f"(tracker link {other.id} duplicates {claim['id']})"
        )
    if kind in ("duplicates", "supersedes") and leads_to(session, other.id, kind, claim["id"]):
        raise InvalidInput(
            f"claim {other.id} already leads back to claim {claim['id']} through "
            f"'{kind}' links: this one would close a loop"
        )


def refuse_duplicate_before_original(session: Session, claim: int, said_on: date) -> None:
    """A claim that duplicates another, or is duplicated, keeps the later one as the
    duplicate when its date is corrected (the leak counts for whoever made it first)."""
    other = aliased(Claim)
    query = select(ClaimLink.claim_id, ClaimLink.other_id, other.said_on).where(
        ClaimLink.unlinked_on.is_(None), ClaimLink.kind == "duplicates",
        or_(and_(ClaimLink.claim_id == claim, other.id == ClaimLink.other_id,
                 other.said_on > said_on),
            and_(ClaimLink.other_id == claim, other.id == ClaimLink.claim_id,
                 other.said_on < said_on)),
    )  # fmt: skip
    found = session.execute(query).first()
    if found is not None:
        linked = found.other_id if found.claim_id == claim else found.claim_id
        raise InvalidInput(
            f"{phrase(found.claim_id, 'duplicates', found.other_id)}, and the original must "
            f"not be said after its duplicate (claim {linked} was said on {found.said_on}); "
            "unlink them first"
        )


def _in_force(session: Session, claim: int, kind: str, other: int, on: date) -> bool:
    query = select(ClaimLink.claim_id).where(
        in_force(on), ClaimLink.claim_id == claim, ClaimLink.kind == kind,
        ClaimLink.other_id == other,
    )  # fmt: skip
    return session.execute(query).first() is not None
