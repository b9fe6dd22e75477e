"""Links between claims (SPEC 16): one duplicates, supersedes, depends on or contradicts
another. A link is history (a `linked` or `unlinked` event in the linking claim's
history, written by the ledger); `claim_link` holds when each was in force, so that
reports read the links of any date without replaying history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Row, Select, and_, or_, select
from sqlalchemy.orm import Session, aliased

from tracker.claims import claim_id
from tracker.errors import InvalidInput, InvalidTransition
from tracker.kinds import LINK_KINDS, LINK_WORDS
from tracker.models import Claim, ClaimLink
from tracker.text import MAX_TEXT, clean, clean_optional, one_of

if TYPE_CHECKING:
    from tracker.drafts import Change


def phrase(claim: int, kind: str, other: int, how: str = "") -> str:
    """'claim 3 duplicates claim 1'; `how`: 'already', 'no longer', or 'not' ('claim 3 does
    not duplicate claim 1')."""
    says, does, _ = LINK_WORDS[kind]
    verb = f"does not {does}" if how == "not" else f"{how} {says}".strip()
    return f"claim {claim} {verb} claim {other}"


# The claim linked to: id, uid, said_on, withdrawn.
OtherClaim = Row[int, str, date, bool]


def link(
    session: Session,
    ref: str,
    kind: str,
    other_ref: str,
    *,
    linked: bool,
    reason: str | None,
    actor: str,
    today: date,
) -> tuple[Change, int]:
    """`tracker link` / `unlink`: recorded in CLAIM's history, in force from today. The
    change, and OTHER's id."""
    from tracker.ledger import Ledger  # the write path: reads (list, report) never need it

    kind = one_of(kind, LINK_KINDS, "link kind")
    reason = (
        clean(reason or "", "reason", limit=MAX_TEXT)  # an unlink says why
        if not linked
        else clean_optional(reason, "reason", limit=MAX_TEXT)
    )
    ledger = Ledger(session, actor=actor, today=today)
    book = ledger.book(claim_id(session, ref))
    other = session.execute(
        select(Claim.id, Claim.uid, Claim.said_on, Claim.withdrawn).where(
            Claim.id == claim_id(session, other_ref)
        )
    ).one()
    if linked:
        _refuse_link(session, book.row, kind, other, today)
    elif not _in_force(session, book.id, kind, other.id, today):
        raise InvalidTransition(phrase(book.id, kind, other.id, "not"))
    change = ledger.link(book, kind, other.uid, linked=linked, reason=reason)
    ledger.flush()
    return change, other.id


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
    if kind in ("duplicates", "supersedes") and _leads_to(session, other.id, kind, claim["id"]):
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


def check_links(session: Session, claim_ids: set[int], on: date) -> None:
    """The links in force on `on` from or to these claims keep the rules whatever wrote
    them (another database's history merged into this one): one link per pair of claims,
    and no loop of duplicates or supersedes."""
    ids = sorted(claim_ids)
    found = [x for i in range(0, len(ids), 1000) for x in links_on(session, on,
             claim_ids=ids[i : i + 1000])]  # fmt: skip
    pairs: dict[frozenset[int], set[Link]] = {}
    for item in found:
        pairs.setdefault(frozenset((item.claim_id, item.other_id)), set()).add(item)
    for held in pairs.values():
        if len(held) > 1:
            first, second = sorted(held)[:2]
            raise InvalidInput(
                f"{phrase(first.claim_id, first.kind, first.other_id)} and "
                f"{phrase(second.claim_id, second.kind, second.other_id)}: two claims hold one "
                "link at a time; unlink one of them first"
            )
    for item in found:
        if item.kind in ("duplicates", "supersedes") and _leads_to(
            session, item.other_id, item.kind, item.claim_id
        ):
            raise InvalidInput(
                f"{phrase(item.claim_id, item.kind, item.other_id)} closes a loop of "
                f"'{item.kind}' links; unlink one of them first"
            )


def _in_force(session: Session, claim: int, kind: str, other: int, on: date) -> bool:
    query = select(ClaimLink.claim_id).where(
        in_force(on), ClaimLink.claim_id == claim, ClaimLink.kind == kind,
        ClaimLink.other_id == other,
    )  # fmt: skip
    return session.execute(query).first() is not None


def _leads_to(session: Session, start: int, kind: str, target: int) -> bool:
    """Following the `kind` links not undone from `start` reaches `target`."""
    seen, frontier = {start}, [start]
    while frontier:
        query = select(ClaimLink.other_id).where(
            ClaimLink.unlinked_on.is_(None), ClaimLink.kind == kind,
            ClaimLink.claim_id.in_(frontier),
        )  # fmt: skip
        frontier = [i for i in session.scalars(query) if i not in seen]
        if target in frontier:
            return True
        seen.update(frontier)
    return False


def in_force(on: date) -> ColumnElement[bool]:
    """The links in force on `on`."""
    return and_(
        ClaimLink.linked_on <= on,
        or_(ClaimLink.unlinked_on.is_(None), ClaimLink.unlinked_on > on),
    )


@dataclass(frozen=True, order=True)
class Link:
    claim_id: int  # the claim that links
    kind: str
    other_id: int  # the claim it links to


def links_on(session: Session, on: date, *, kinds: tuple[str, ...] = LINK_KINDS,
             claim_ids: list[int] | None = None) -> list[Link]:  # fmt: skip
    """The links in force on `on`, of `kinds`; with `claim_ids`, those from or to them."""
    query = select(ClaimLink.claim_id, ClaimLink.kind, ClaimLink.other_id).where(
        in_force(on), ClaimLink.kind.in_(kinds)
    )
    if claim_ids is not None:
        query = query.where(
            or_(ClaimLink.claim_id.in_(claim_ids), ClaimLink.other_id.in_(claim_ids))
        )
    # Sorted here: the few rows found on two indexes would need a temporary B-tree in SQL.
    return sorted(Link(*row) for row in session.execute(query))


def duplicates_on(on: date) -> Select[int]:
    """The ids of the claims that duplicate another on `on`: they count once, as the other
    (unless it was withdrawn: then the duplicate is all that is left of the claim, and
    counts). A subquery for SQL conditions, however many there are."""
    original = aliased(Claim)
    return (
        select(ClaimLink.claim_id)
        .join(original, original.id == ClaimLink.other_id)
        .where(in_force(on), ClaimLink.kind == "duplicates", original.withdrawn.is_(False))
    )


def set_aside(
    session: Session, columns: Select[*tuple[Any, ...]], on: date
) -> list[Row[*tuple[Any, ...]]]:
    """Rows (of `columns`) of the claims that do not count on `on`: the withdrawn ones and
    the duplicates. Few, each read on its own index: aggregates over the covering indexes
    subtract them, since a condition on them would make those read every row."""
    from tracker.views import WITHDRAWN  # (`= true()`, as its partial index is declared)

    withdrawn = session.execute(columns.where(WITHDRAWN)).all()
    duplicates = Claim.id.in_(duplicates_on(on))
    return [*withdrawn, *session.execute(columns.where(duplicates, Claim.withdrawn.is_(False)))]


def duplicate_ids(session: Session, on: date) -> set[int]:
    """`duplicates_on`, read: for tests of claims already in memory."""
    return set(session.scalars(duplicates_on(on)))


def link_shapes(session: Session, claim: int, on: date, *, replay: bool) -> list[dict[str, Any]]:
    """`show`'s links of one claim, both ways: `out` where it links, `in` where it is linked,
    with the other claim's status on `on` (`replay`ed, as of an earlier date)."""
    from tracker.history import outcomes_as_of

    found = links_on(session, on, claim_ids=[claim])
    others = {item.other_id if item.claim_id == claim else item.claim_id for item in found}
    rows = session.execute(
        select(Claim.id, Claim.key, Claim.text, Claim.status, Claim.withdrawn).where(
            Claim.id.in_(others)
        )
    ).all()
    by_id = {row.id: row for row in rows}
    status_of = {row.id: row.status for row in rows}
    if replay:
        outcomes = outcomes_as_of(session, list(others), on)
        status_of = {i: outcomes[i].status if i in outcomes else "pending" for i in others}
    shapes = []
    for item in found:
        outgoing = item.claim_id == claim
        other = by_id[item.other_id if outgoing else item.claim_id]
        shapes.append(
            {
                "kind": item.kind,
                "direction": "out" if outgoing else "in",
                "claim_id": other.id,
                "key": other.key,
                "text": other.text,
                "status": status_of[other.id],
                "withdrawn": bool(other.withdrawn),
            }
        )
    return shapes
