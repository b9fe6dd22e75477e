"""Links between claims as reports read them: which were in force on a day (`claim_link`
holds when each link was, replayed from the `linked` and `unlinked` events)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, or_, select
from sqlalchemy.orm import Session, aliased

from tracker.db.models import Claim, ClaimLink
from tracker.queries.timeline import Timeline
from tracker.queries.views import WITHDRAWN
from tracker.rules.kinds import LINK_KINDS, LINK_WORDS


def phrase(claim: int, kind: str, other: int, how: str = "") -> str:
    """'claim 3 duplicates claim 1'; `how`: 'already', 'no longer', or 'not' ('claim 3 does
    not duplicate claim 1')."""
    says, does, _ = LINK_WORDS[kind]
    verb = f"does not {does}" if how == "not" else f"{how} {says}".strip()
    return f"claim {claim} {verb} claim {other}"


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

    withdrawn = session.execute(columns.where(WITHDRAWN)).all()
    duplicates = Claim.id.in_(duplicates_on(on))
    return [*withdrawn, *session.execute(columns.where(duplicates, Claim.withdrawn.is_(False)))]


def duplicate_ids(session: Session, on: date) -> set[int]:
    """`duplicates_on`, read: for tests of claims already in memory."""
    return set(session.scalars(duplicates_on(on)))


def link_shapes(session: Session, claim: int, timeline: Timeline) -> list[dict[str, Any]]:
    """`show`'s links of one claim, both ways: `out` where it links, `in` where it is linked,
    with the other claim's status on the timeline's day (pending before it was said)."""

    found = links_on(session, timeline.reference, claim_ids=[claim])
    others = {item.other_id if item.claim_id == claim else item.claim_id for item in found}
    rows = session.execute(
        select(Claim.id, Claim.handle, Claim.key, Claim.text, Claim.withdrawn).where(
            Claim.id.in_(others)
        )
    ).all()
    by_id = {row.id: row for row in rows}
    then = timeline.join(select(Claim.id, timeline.status).where(Claim.id.in_(others)))
    status_of: dict[int, str] = dict(session.execute(then).all())
    shapes = []
    for item in found:
        outgoing = item.claim_id == claim
        other = by_id[item.other_id if outgoing else item.claim_id]
        shapes.append(
            {
                "kind": item.kind,
                "direction": "out" if outgoing else "in",
                "claim_id": other.id,
                "handle": other.handle,
                "key": other.key,
                "text": other.text,
                "status": status_of.get(other.id, "pending"),
                "withdrawn": bool(other.withdrawn),
            }
        )
    return shapes
