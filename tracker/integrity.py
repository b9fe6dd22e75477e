"""`tracker db check`: does every claim agree with its own history?

The stored status and resolved_on of each claim must equal the replay of its
history, and its events must chain: `created` first, then each event's
from_status is the previous event's to_status, and the last to_status is the
stored status. Claims are checked in batches, so memory stays flat.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.history import outcomes_as_of
from tracker.models import Claim, ClaimEvent

BATCH = 2000


def problems(session: Session) -> Iterator[str]:
    """One line per disagreement found; none for a sound database."""
    last_id = 0
    while True:
        query = (
            select(Claim.id, Claim.status, Claim.resolved_on, Claim.withdrawn)
            .where(Claim.id > last_id)
            .order_by(Claim.id)
            .limit(BATCH)
        )
        claims = session.execute(query).all()
        if not claims:
            return
        ids = [claim[0] for claim in claims]
        outcomes = outcomes_as_of(session, ids, None)
        chains: dict[int, list[tuple]] = defaultdict(list)
        withdrawals: dict[int, list[tuple]] = defaultdict(list)
        events = (
            select(ClaimEvent.claim_id, ClaimEvent.id, ClaimEvent.event, ClaimEvent.from_status,
                   ClaimEvent.to_status, ClaimEvent.recorded_at, ClaimEvent.uid)
            .where(ClaimEvent.claim_id.in_(ids))
            .order_by(ClaimEvent.claim_id, ClaimEvent.id)
        )  # fmt: skip
        for claim_id, event_id, kind, started, ended, at, uid in session.execute(events):
            chains[claim_id].append((event_id, kind, started, ended))
            if kind in ("withdrawn", "restored"):
                withdrawals[claim_id].append((at, uid, kind == "withdrawn"))
        for claim_id, status, resolved_on, withdrawn in claims:
            # The latest withdrawal or restoration decides, wherever it was recorded first.
            replayed_withdrawn = max(withdrawals[claim_id])[2] if withdrawals[claim_id] else False
            if bool(withdrawn) != replayed_withdrawn:
                yield (
                    f"claim {claim_id}: stored {'' if withdrawn else 'not '}withdrawn, its "
                    f"history says {'' if replayed_withdrawn else 'not '}withdrawn"
                )
            outcome = outcomes.get(claim_id)
            replayed = (outcome.status, outcome.resolved_on) if outcome else ("pending", None)
            if (status, resolved_on) != replayed:
                yield (
                    f"claim {claim_id}: stored {status} (resolved {resolved_on}), "
                    f"its history replays to {replayed[0]} (resolved {replayed[1]})"
                )
            yield from _chain_problems(claim_id, chains[claim_id], status)
        last_id = ids[-1]


def _chain_problems(claim_id: int, chain: list[tuple], status: str) -> Iterator[str]:
    if not chain or chain[0][1] != "created":
        yield f"claim {claim_id}: its history does not start with `created`"
        return
    # Each event is (id, kind, from_status, to_status); each must start where the last ended.
    for (_, _, _, ended), (event_id, _, started, _) in zip(chain, chain[1:], strict=False):
        if started != ended:
            yield f"claim {claim_id}: event {event_id} starts from {started}, not {ended}"
    if chain[-1][3] != status:
        yield f"claim {claim_id}: its last event ends at {chain[-1][3]}, the claim is {status}"


def counts(session: Session) -> tuple[int, int]:
    claims = session.scalar(select(func.count()).select_from(Claim))
    events = session.scalar(select(func.count()).select_from(ClaimEvent))
    return claims, events
