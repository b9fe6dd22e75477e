"""The rules every link keeps, whatever wrote it (a command, or another database's
history merged by an import): one link per pair of claims, and no loop of duplicates or
supersedes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.models import ClaimLink
from tracker.errors import InvalidInput
from tracker.queries.links import Link, links_on, phrase


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
        if item.kind in ("duplicates", "supersedes") and leads_to(
            session, item.other_id, item.kind, item.claim_id
        ):
            raise InvalidInput(
                f"{phrase(item.claim_id, item.kind, item.other_id)} closes a loop of "
                f"'{item.kind}' links; unlink one of them first"
            )


def leads_to(session: Session, start: int, kind: str, target: int) -> bool:
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
