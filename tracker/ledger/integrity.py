"""`tracker db check`: does every claim agree with its own history?

The stored status, resolved_on and actual of each claim must equal the replay of
its history, its status spans (status_span, what `--as-of` and `--known-on` read) the
replay of its history in both times (tracker.rules.timeline), the links stored as in
force (claim_link) the replay of its link events, and its events must chain: `created`
first, then each event's from_status is the previous event's to_status, and the last
to_status is the stored status. Claims are checked in batches, so memory stays flat.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.db.models import SPAN_COPIES, Claim, ClaimEvent, ClaimLink, StatusSpan
from tracker.ledger.books import LinkStep, link_spans, read_books
from tracker.queries.views import ids_by_uid
from tracker.rules.timeline import Span

BATCH = 2000

# One event of a claim's chain: (id, kind, from_status, to_status).
ChainLink = tuple[int, str, str | None, str]
# A stored link of a claim: (kind, other claim's id, linked_on, unlinked_on).
StoredLink = tuple[str, int | None, date, date | None]


def problems(session: Session) -> Iterator[str]:
    """One line per disagreement found; none for a sound database."""
    last_id = 0
    while True:
        query = (
            select(Claim.id, Claim.status, Claim.resolved_on, Claim.withdrawn, Claim.actual)
            .where(Claim.id > last_id)
            .order_by(Claim.id)
            .limit(BATCH)
        )
        claims = session.execute(query).all()
        if not claims:
            return
        ids = [claim[0] for claim in claims]
        books = read_books(session.connection(), ids, lock=False)
        spans = {i: book.spans() for i, book in books.items()}
        copies = {i: tuple(book.row[c] for c in SPAN_COPIES) for i, book in books.items()}
        yield from _span_problems(session, ids, spans, copies)
        chains: dict[int, list[ChainLink]] = defaultdict(list)
        # (recorded_at, uid, withdrawn?): the latest sorts last.
        withdrawals: dict[int, list[tuple[datetime, str, bool]]] = defaultdict(list)
        link_steps: dict[int, list[LinkStep]] = defaultdict(list)
        events = (
            select(ClaimEvent.claim_id, ClaimEvent.id, ClaimEvent.event, ClaimEvent.from_status,
                   ClaimEvent.to_status, ClaimEvent.recorded_at, ClaimEvent.uid,
                   ClaimEvent.effective_on, ClaimEvent.changes)
            .where(ClaimEvent.claim_id.in_(ids))
            .order_by(ClaimEvent.claim_id, ClaimEvent.id)
        )  # fmt: skip
        for claim_id, event_id, kind, started, ended, at, uid, on, changes in session.execute(
            events
        ):
            chains[claim_id].append((event_id, kind, started, ended))
            if kind in ("withdrawn", "restored"):
                withdrawals[claim_id].append((at, uid, kind == "withdrawn"))
            elif kind in ("linked", "unlinked"):
                link_steps[claim_id].append(LinkStep.of_event(kind, on, at, uid, changes))
        yield from _link_problems(session, ids, link_steps)
        for claim_id, status, resolved_on, withdrawn, actual in claims:
            # The latest withdrawal or restoration decides, wherever it was recorded first.
            replayed_withdrawn = max(withdrawals[claim_id])[2] if withdrawals[claim_id] else False
            if bool(withdrawn) != replayed_withdrawn:
                yield (
                    f"claim {claim_id}: stored {'' if withdrawn else 'not '}withdrawn, its "
                    f"history says {'' if replayed_withdrawn else 'not '}withdrawn"
                )
            outcome = books[claim_id].fold.outcome
            replayed = (outcome.status, outcome.resolved_on)
            if (status, resolved_on) != replayed:
                yield (
                    f"claim {claim_id}: stored {status} (resolved {resolved_on}), "
                    f"its history replays to {replayed[0]} (resolved {replayed[1]})"
                )
            replayed_actual = outcome.actual
            if actual != replayed_actual:
                yield (
                    f"claim {claim_id}: stored actual {actual!r}, its history replays to "
                    f"{replayed_actual!r}"
                )
            yield from _chain_problems(claim_id, chains[claim_id], status)
        last_id = ids[-1]


def _span_problems(
    session: Session,
    ids: list[int],
    replayed: dict[int, list[Span]],
    copies: dict[int, tuple[Any, ...]],
) -> Iterator[str]:
    """The stored status spans against the replay of each claim's history, and the claim
    columns they copy against the claim's."""
    stored: dict[int, list[Span]] = defaultdict(list)
    copied: dict[int, set[tuple[Any, ...]]] = defaultdict(set)
    query = select(StatusSpan).where(StatusSpan.claim_id.in_(ids))
    for row in session.scalars(query):
        copied[row.claim_id].add(tuple(getattr(row, c) for c in SPAN_COPIES))
        stored[row.claim_id].append(
            Span(
                row.known_from,
                row.valid_from,
                row.valid_to,
                row.known_to,
                row.status,
                row.resolved_on,
                row.actual,
            )  # fmt: skip
        )
    for claim_id in ids:
        if sorted(stored[claim_id]) != replayed.get(claim_id, []):
            yield f"claim {claim_id}: its stored status spans differ from its history's replay"
        elif copied[claim_id] - {copies[claim_id]}:
            names = ", ".join(SPAN_COPIES)
            yield f"claim {claim_id}: its status spans' copies of its {names} differ from its own"


def _link_problems(
    session: Session, ids: list[int], steps: dict[int, list[LinkStep]]
) -> Iterator[str]:
    """The links stored as in force (a cache) against the replay of each claim's events."""
    uids = {step.other_uid for claim_steps in steps.values() for step in claim_steps}
    id_of = ids_by_uid(session, uids)
    stored: dict[int, set[StoredLink]] = defaultdict(set)
    query = select(ClaimLink.claim_id, ClaimLink.kind, ClaimLink.other_id, ClaimLink.linked_on,
                   ClaimLink.unlinked_on).where(ClaimLink.claim_id.in_(ids))  # fmt: skip
    for claim_id, kind, other_id, linked_on, unlinked_on in session.execute(query):
        stored[claim_id].add((kind, other_id, linked_on, unlinked_on))
    for claim_id in ids:
        replayed: set[StoredLink] = {(kind, id_of.get(uid), start, end)
                    for kind, uid, start, end in link_spans(steps.get(claim_id, []))}  # fmt: skip
        if stored.get(claim_id, set()) != replayed:
            yield f"claim {claim_id}: its stored links differ from its link events' replay"


def _chain_problems(claim_id: int, chain: list[ChainLink], status: str) -> Iterator[str]:
    if not chain or chain[0][1] != "created":
        yield f"claim {claim_id}: its history does not start with `created`"
        return
    # Each event must start where the last ended.
    for (_, _, _, ended), (event_id, _, started, _) in zip(chain, chain[1:], strict=False):
        if started != ended:
            yield f"claim {claim_id}: event {event_id} starts from {started}, not {ended}"
    if chain[-1][3] != status:
        yield f"claim {claim_id}: its last event ends at {chain[-1][3]}, the claim is {status}"


def counts(session: Session) -> tuple[int, int]:
    claims = session.scalar(select(func.count()).select_from(Claim)) or 0
    events = session.scalar(select(func.count()).select_from(ClaimEvent)) or 0
    return claims, events
