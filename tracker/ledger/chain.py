"""Hash-chained history: each event sealed with the one before it (design.md §8).

An event's `hash` is SHA-256 over the hash before it in its claim's history (the
claim's uid for the first event) and a canonical encoding of the event: its
fields, and for `evidence_added` the evidence it added, by uid, with every
timestamp in ISO 8601 UTC to the microsecond. Nothing in it is local to one
database (no integer ids), so a copy on any backend gives the same hashes, and
the digest over all chain heads is the same. A row changed behind the
tracker's back, an event deleted or two swapped, breaks the chain from there on.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

# json.dumps with these options, made once: an import encodes two events per claim.
_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def moment(value: datetime) -> str:
    """A naive UTC timestamp as the chain spells it."""
    return value.isoformat(timespec="microseconds") + "Z"


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def canonical(
    *,
    uid: str,
    claim_uid: str,
    event: str,
    from_status: str | None,
    to_status: str,
    effective_on: date,
    recorded_at: datetime,
    actor: str,
    reason: str | None,
    resolved_as: str | None,
    changes: dict[str, Any] | None,
    db_user: str | None,
    evidence_uid: str | None,
    evidence: dict[str, Any] | None,
    actual: str | None = None,
    undoes: str | None = None,
) -> bytes:
    """The bytes an event's hash is taken over: sorted keys, no spacing, UTF-8. Fields
    added later (`actual`, `undoes`) are sealed when they are given, so older hashes
    still hold."""
    fields = {
        "uid": uid,
        "claim_uid": claim_uid,
        "event": event,
        "from_status": from_status,
        "to_status": to_status,
        "effective_on": _day(effective_on),
        "recorded_at": moment(recorded_at),
        "actor": actor,
        "reason": reason,
        "resolved_as": resolved_as,
        "changes": changes,
        "db_user": db_user,
        "evidence_uid": evidence_uid,  # which evidence a retraction retracts, sealed too
        "evidence": evidence,
    }
    if actual is not None:
        fields["actual"] = actual
    if undoes is not None:
        fields["undoes"] = undoes
    return _ENCODE(fields).encode("utf-8", "surrogatepass")


def evidence_fields(
    *,
    uid: str,
    stance: str,
    source: str | None,
    url: str | None,
    observed_on: date,
    note: str | None,
    recorded_at: datetime,
    recorded_by: str,
    tier: str | None = None,
) -> dict[str, Any]:
    """What an `evidence_added` event seals of the evidence it added (its tier when it has
    one: evidence from before tiers keeps its hash)."""
    sealed = {
        "uid": uid,
        "stance": stance,
        "source": source,
        "url": url,
        "observed_on": _day(observed_on),
        "note": note,
        "recorded_at": moment(recorded_at),
        "recorded_by": recorded_by,
    }
    if tier is not None:
        sealed["tier"] = tier
    return sealed


def link(previous: str, encoded: bytes) -> str:
    """The next hash of a chain."""
    return hashlib.sha256(previous.encode("ascii") + b"\n" + encoded).hexdigest()


class Digest:
    """One hash over every claim's chain head, fed in claim-uid order: note it, compare later."""

    def __init__(self) -> None:
        self.total = hashlib.sha256()

    def add(self, claim_uid: str, head: str) -> None:
        self.total.update(f"{claim_uid} {head}\n".encode("ascii"))

    def hexdigest(self) -> str:
        return self.total.hexdigest()
