"""Undoing a change: what one command wrote, reversed as new history.

A change is a changeset (tracker.db.models.Changeset): every event one command wrote in
this database, an import's or a command's on many claims included. Each event is
reversed by its inverse, an event that names it (`undoes`, sealed by the hash chain
and exported, so which events were undone survives copies and merges):

| event                | its inverse                                                     |
|----------------------|-----------------------------------------------------------------|
| created              | withdrawn: the claim leaves every list (the rest of the change  |
|                      | on it goes with it)                                             |
| edited               | edited back: each field that still holds the edit's value gets  |
|                      | its old one                                                     |
| evidence_added       | evidence_retracted                                              |
| evidence_retracted   | evidence_added: the same evidence again, as recorded then (a    |
|                      | retraction is never taken back: the evidence comes back anew)   |
| resolved             | resolution_retracted: the resolution counts at no date          |
| resolution_retracted | resolved: the same resolution again                             |
| withdrawn            | restored                                                        |
| restored             | withdrawn                                                       |
| linked               | unlinked                                                        |
| unlinked             | linked                                                          |
| source_renamed       | the source renamed back, once for the whole change (its events  |
|                      | on every claim it touched name the ones they take back)         |
| source_merged        | none yet: a merged source's names and claims are one source's,  |
|                      | and which of them were the other's is not kept; `undo` refuses  |

Nothing is reversed twice, and nothing a later change made is overwritten: an event
already reversed (some event `undoes` it), or whose effect is gone (evidence retracted
since, a field edited since, a claim withdrawn since), is left alone. An event that
reverses another of the same change cancels with it. A kind of event with no inverse
here (a new kind) makes `undo` refuse the change, naming it: add its inverse here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import aliased

from tracker.db.models import ClaimEvent, Evidence
from tracker.errors import InvalidTransition, TrackerError
from tracker.ledger import sources
from tracker.ledger.books import Book, link_spans
from tracker.ledger.drafts import Change, EvidenceDraft, Stamp
from tracker.ledger.ledger import Ledger
from tracker.ledger.links import check_links
from tracker.queries.views import ids_by_uid

BATCH = 1000  # claims reversed at a time: memory stays flat for an import's change
# Fields an edit back sets in this order: a window is read against the claim's date.
_FIELD_ORDER = ("said_on", "expected")

# An event of the change: id, uid, claim_id, event, evidence_id, changes, undoes.
EventRow = Row[int, str, int, str, int | None, dict[str, Any] | None, str | None]


@dataclass
class Reversed:
    """One event reversed: what its inverse did, for the line `undo` prints."""

    claim_id: int
    reversed: str  # the kind of event reversed
    change: Change | None  # None: a source renamed back (`moved` says what it did)
    evidence: dict[str, Any] | None = None  # {stance, source, observed_on}, and `id` re-added
    resolution: dict[str, Any] | None = None  # {resolved_as, effective_on}
    other_id: int | None = None  # a link's other claim
    kind: str | None = None  # a link's kind
    kept: list[str] = field(default_factory=list)  # fields left as a later edit set them
    moved: sources.Moved | None = None  # a source renamed back


class Reversal:
    """Reverses the events of one changeset through a ledger (one transaction)."""

    def __init__(self, ledger: Ledger, changeset_id: int, reason: str):
        self.ledger = ledger
        self.changeset_id = changeset_id
        self.reason = reason

    def run(self) -> list[Reversed]:
        """Reverse the change, claim by claim, newest event first; what was reversed. A
        source renamed is renamed back first, once for every claim it touched."""
        done: list[Reversed] = self._sources()
        for claim_ids in self._claim_batches():
            books = self.ledger.open(claim_ids)  # locked first: what is read next is current
            events = self._events(claim_ids)
            undone = self._undone([event.uid for event in events])
            by_claim: dict[int, list[EventRow]] = {}
            for event in events:
                by_claim.setdefault(event.claim_id, []).append(event)
            for claim_id in claim_ids:
                done += self._claim(books[claim_id], by_claim.get(claim_id, []), undone)
            self.ledger.flush()
        if self.ledger.relinked:  # links made again keep the rules every link keeps
            check_links(self.ledger.session, self.ledger.relinked, self.ledger.today)
        return done

    def _sources(self) -> list[Reversed]:
        """The change's renames of sources, taken back; a merge refuses the undo."""
        query = (
            select(ClaimEvent.claim_id, ClaimEvent.uid, ClaimEvent.event, ClaimEvent.changes,
                   ClaimEvent.undoes)
            .where(ClaimEvent.changeset_id == self.changeset_id,
                   ClaimEvent.event.in_(sources.SOURCE_EVENTS))
            .order_by(ClaimEvent.id)
        )  # fmt: skip
        events = self.ledger.session.execute(query).all()
        uids = {event.uid for event in events}
        undone = self._undone(list(uids)) | {e.undoes for e in events if e.undoes in uids}
        events = [e for e in events if e.uid not in undone and e.undoes not in uids]
        if any(event.event == sources.MERGED for event in events):
            raise InvalidTransition(
                "this change merged two sources, which undo cannot take apart yet (which "
                "names and claims were the other source's is not kept); rename or edit by hand"
            )
        renames: dict[tuple[str, str], dict[int, str]] = {}
        for event in events:
            old, new = next(iter((event.changes or {}).values()))
            renames.setdefault((old, new), {})[event.claim_id] = event.uid
        done = []
        for (old, new), undoing in reversed(renames.items()):
            found = sources.find(self.ledger.conn, new)
            if found is None or found.name != new:
                continue  # renamed again since: left as a later change made it
            try:
                moved = sources.rename(self.ledger, new, old, self.reason, undoing=undoing)
            except TrackerError as exc:
                raise InvalidTransition(f"cannot rename source {new!r} back: {exc}") from None
            done.append(Reversed(min(undoing), sources.RENAMED, None, moved=moved))
        return done

    def _claim(self, book: Book, events: list[EventRow], undone: set[str]) -> list[Reversed]:
        events = [e for e in events if e.event not in sources.SOURCE_EVENTS]  # done above
        uids = {event.uid for event in events}
        # An event and the one that reverses it, both in this change, cancel out.
        pairs = {event.undoes for event in events if event.undoes in uids}
        live = [e for e in events if e.uid not in pairs and e.undoes not in uids]
        created = next((e for e in live if e.event == "created"), None)
        if created is not None:  # withdrawn, the claim takes the rest of the change with it
            live = [created]
        # Evidence this change added and retracted is gone either way: the add is reversed.
        added = {e.evidence_id for e in live if e.event == "evidence_added"}
        live = [e for e in live if not (e.event == "evidence_retracted" and e.evidence_id in added)]
        done = []
        for event in reversed(live):
            if event.uid in undone:
                continue
            inverse = INVERSES.get(event.event)
            if inverse is None:
                raise InvalidTransition(
                    f"claim {book.id}: a {event.event} event cannot be undone yet"
                )
            try:
                found = inverse(self, book, event, Stamp(undoes=event.uid))
            except TrackerError as exc:
                raise InvalidTransition(
                    f"cannot undo the {event.event} event of claim {book.id}: {exc}"
                ) from None
            if found is not None:
                done.append(found)
        return done

    # -- reading the change --------------------------------------------------------------

    def _claim_batches(self) -> Iterator[list[int]]:
        last = 0
        while True:
            query = (
                select(ClaimEvent.claim_id)
                .where(ClaimEvent.changeset_id == self.changeset_id, ClaimEvent.claim_id > last)
                .group_by(ClaimEvent.claim_id)
                .order_by(ClaimEvent.claim_id)
                .limit(BATCH)
            )
            batch = list(self.ledger.session.scalars(query))
            if not batch:
                return
            yield batch
            last = batch[-1]

    def _events(self, claim_ids: list[int]) -> list[EventRow]:
        query = (
            select(ClaimEvent.id, ClaimEvent.uid, ClaimEvent.claim_id, ClaimEvent.event,
                   ClaimEvent.evidence_id, ClaimEvent.changes, ClaimEvent.undoes)
            .where(ClaimEvent.changeset_id == self.changeset_id,
                   ClaimEvent.claim_id.in_(claim_ids))
            .order_by(ClaimEvent.claim_id, ClaimEvent.id)
        )  # fmt: skip
        return list(self.ledger.session.execute(query).all())

    def _undone(self, uids: list[str]) -> set[str]:
        """Which of these events some event reverses already."""
        found: set[str] = set()
        for start in range(0, len(uids), BATCH):
            query = select(ClaimEvent.undoes).where(
                ClaimEvent.undoes.in_(uids[start : start + BATCH])
            )
            found.update(u for u in self.ledger.session.scalars(query) if u is not None)
        return found


# -- the inverses: one function per kind of event -------------------------------------------

Inverse = Callable[[Reversal, Book, EventRow, Stamp], Reversed | None]


def _withdraw(withdrawn: bool) -> Inverse:
    def inverse(run: Reversal, book: Book, event: EventRow, stamp: Stamp) -> Reversed | None:
        if book.row["withdrawn"] == withdrawn:
            return None  # withdrawn (or restored) since
        change = run.ledger.withdraw(book, withdrawn, run.reason, stamp)
        return Reversed(book.id, event.event, change)

    return inverse


def _edited(run: Reversal, book: Book, event: EventRow, stamp: Stamp) -> Reversed | None:
    changes = event.changes or {}
    order = sorted(changes, key=lambda n: _FIELD_ORDER.index(n) if n in _FIELD_ORDER else 9)
    values, kept = {}, []
    for name in order:
        old, new = changes[name]
        if run.ledger.field_value(book, name) == new:
            values[name] = old
        else:
            kept.append(name)
    if not values:
        return None
    change = run.ledger.edit(book, values, run.reason, stamp)
    return Reversed(book.id, event.event, change, kept=kept)


def _evidence_added(run: Reversal, book: Book, event: EventRow, stamp: Stamp) -> Reversed | None:
    assert event.evidence_id is not None
    evidence_id = _living(run, book, event.evidence_id)
    if evidence_id is None:
        return None
    change = run.ledger.retract(book, evidence_id, run.reason, stamp)
    return Reversed(book.id, event.event, change, evidence=_described(run, book, evidence_id))


def _living(run: Reversal, book: Book, evidence_id: int) -> int | None:
    """The evidence as it lives now: itself; or, retracted and brought back by an undo of
    the retraction (as a new piece), that piece, followed as far as it goes. None: it was
    retracted for good."""
    while evidence_id in book.retracted:
        retraction = aliased(ClaimEvent)
        query = select(ClaimEvent.evidence_id).join(
            retraction, retraction.uid == ClaimEvent.undoes
        ).where(
            retraction.event == "evidence_retracted", retraction.evidence_id == evidence_id,
            ClaimEvent.event == "evidence_added",
        )  # fmt: skip
        back = run.ledger.session.scalars(query).first()
        if back is None or back not in book.evidence:
            return None
        evidence_id = back
    return evidence_id


def _evidence_retracted(run: Reversal, book: Book, event: EventRow,
                        stamp: Stamp) -> Reversed | None:  # fmt: skip
    """The retracted evidence comes back as a new piece, recorded as the first was (its
    time keeps its place among same-day steps); the event that brings it is now's."""
    assert event.evidence_id is not None
    stored = book.evidence[event.evidence_id]
    if event.evidence_id not in book.retracted or book.live_repeat(stored.content) is not None:
        return None  # back already
    stance, source_id, url, on, note = stored.content
    recorded = run.ledger.session.execute(
        select(Evidence.recorded_at, Evidence.recorded_by).where(Evidence.id == event.evidence_id)
    ).one()
    tier, actual = stored.said
    draft = EvidenceDraft(
        stance=stance, on=on, source=run.ledger.provenance.source_name(source_id), url=url,
        note=note, recorded_at=recorded.recorded_at, recorded_by=recorded.recorded_by,
        tier=tier, actual=actual,
    )  # fmt: skip
    now = Stamp(undoes=stamp.undoes, actor=run.ledger.actor, recorded_at=run.ledger.now)
    change = run.ledger.add_evidence(book, draft, now)
    assert change.evidence_id is not None
    run.ledger.restored[event.evidence_id] = change.evidence_id
    evidence = _described(run, book, event.evidence_id)
    return Reversed(book.id, event.event, change, evidence={**evidence, "id": event.evidence_id})


def _resolved(run: Reversal, book: Book, event: EventRow, stamp: Stamp) -> Reversed | None:
    if event.uid in book.cancelled:
        return None
    resolution = _resolution(book, event.uid)
    change = run.ledger.retract_resolution(book, event.uid, run.reason, stamp)
    return Reversed(book.id, event.event, change, resolution=resolution)


def _resolution_retracted(run: Reversal, book: Book, event: EventRow,
                          stamp: Stamp) -> Reversed | None:  # fmt: skip
    """The retracted resolution given again (a new one: the retraction stays)."""
    assert event.undoes is not None
    first = run.ledger.session.execute(
        select(ClaimEvent.resolved_as, ClaimEvent.effective_on, ClaimEvent.reason,
               ClaimEvent.actual).where(ClaimEvent.uid == event.undoes)
    ).one()  # fmt: skip
    again = [item for item in book.steps if item.evidence_id is None and item.uid not in
             book.cancelled and item.step.resolved_as == first.resolved_as and
             item.effective_on == first.effective_on]  # fmt: skip
    if again:
        return None  # resolved so again since
    change = run.ledger.resolve(book, first.resolved_as, first.effective_on, first.reason or "",
                                stamp, actual=first.actual)  # fmt: skip
    resolution = {"resolved_as": first.resolved_as, "effective_on": first.effective_on}
    return Reversed(book.id, event.event, change, resolution=resolution)


def _link(linked: bool) -> Inverse:
    def inverse(run: Reversal, book: Book, event: EventRow, stamp: Stamp) -> Reversed | None:
        assert event.changes is not None
        kind, other = event.changes["kind"], event.changes["claim"]
        in_force = any(k == kind and o == other and end is None
                       for k, o, _, end in link_spans(book.links))  # fmt: skip
        if in_force == linked:
            return None  # linked (or unlinked) so since
        change = run.ledger.link(book, kind, other, linked=linked, reason=run.reason, stamp=stamp)
        other_id = ids_by_uid(run.ledger.conn, [other]).get(other)
        return Reversed(book.id, event.event, change, other_id=other_id, kind=kind)

    return inverse


INVERSES: dict[str, Inverse] = {
    "created": _withdraw(True),
    "edited": _edited,
    "evidence_added": _evidence_added,
    "evidence_retracted": _evidence_retracted,
    "resolved": _resolved,
    "resolution_retracted": _resolution_retracted,
    "withdrawn": _withdraw(False),
    "restored": _withdraw(True),
    "linked": _link(False),
    "unlinked": _link(True),
    # source_renamed and source_merged: a change's whole, in `Reversal._sources`.
}


def _described(run: Reversal, book: Book, evidence_id: int) -> dict[str, Any]:
    stance, source_id, _, on, _ = book.evidence[evidence_id].content
    source = run.ledger.provenance.source_name(source_id)
    return {"stance": stance, "source": source, "observed_on": on.isoformat()}


def _resolution(book: Book, uid: str) -> dict[str, Any]:
    item = next(item for item in book.steps if item.uid == uid)
    return {"resolved_as": item.step.resolved_as, "effective_on": item.effective_on}
