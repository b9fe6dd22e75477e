"""A claim while the ledger changes it: its `Book`.

A book holds the claim's row and everything a change is checked against: the steps
(evidence and resolutions) its status is the replay of, its evidence by content and
uid, its events' uids, its edits and links. `read_books` reads the books of stored
claims, with their rows locked; the ledger (tracker.ledger.ledger) makes the books of new ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from tracker.db.models import Claim, ClaimEvent, ClaimTag, Evidence, Source
from tracker.ledger.drafts import Change
from tracker.ledger.rows import COLUMNS
from tracker.rules.status import Fold, Ordered, Step
from tracker.rules.text import normalise
from tracker.rules.timeline import Known, Span
from tracker.rules.timeline import spans as timeline_spans


@dataclass(frozen=True, order=True)
class LinkStep:
    """One `linked` or `unlinked` event, sortable into replay order."""

    effective_on: date
    recorded_at: datetime
    uid: str
    kind: str = field(compare=False)
    other_uid: str = field(compare=False)
    linked: bool = field(compare=False)

    @classmethod
    def of_event(
        cls, event: str, on: date, at: datetime, uid: str, changes: dict[str, str]
    ) -> LinkStep:
        """A stored `linked`/`unlinked` event's step: its changes name the kind and claim."""
        return cls(on, at, uid, changes["kind"], changes["claim"], event == "linked")


LinkSpan = tuple[str, str, date, date | None]  # kind, other claim's uid, linked_on, unlinked_on
# Evidence as an exact repeat is found: (stance, source_id, url, observed_on, note).
EvidenceContent = tuple[str, int | None, str | None, date, str | None]
# A resolution or an edit by what it says (a copy of it under another uid is the same).
Content = tuple[Any, ...]


def link_spans(steps: Iterable[LinkStep]) -> list[LinkSpan]:
    """When each link was in force, replayed from its events: from `linked_on` until the
    day before `unlinked_on` (None: it still is). Undone and made again on one day, it
    never stopped."""
    spans: dict[tuple[str, str], list[_Span]] = {}
    for step in sorted(steps):
        held = spans.setdefault((step.kind, step.other_uid), [])
        last = held[-1] if held else None
        if step.linked:
            if last is not None and last.end is None:
                continue  # in force already
            if last is not None and last.end == step.effective_on:
                last.end = None
            else:
                held.append(_Span(step.effective_on))
        elif last is not None and last.end is None:
            if last.start == step.effective_on:
                held.pop()  # in force for no day at all
            else:
                last.end = step.effective_on
    return [(kind, other, span.start, span.end) for (kind, other), held in spans.items()
            for span in held]  # fmt: skip


@dataclass
class _Span:
    """When one link was in force: from `start` until the day before `end` (None: it is)."""

    start: date
    end: date | None = None


@dataclass
class StoredEvidence:
    id: int
    uid: str
    content: EvidenceContent  # what makes an exact repeat
    said: tuple[str | None, str | None] = (None, None)  # (tier, actual): what else a copy says


@dataclass
class Book:
    """One claim while the ledger changes it."""

    id: int
    uid: str
    new: bool
    row: dict[str, Any]  # the claim's columns (tracker.ledger.rows.COLUMNS["claim"])
    tags: list[str]
    steps: list[Ordered] = field(default_factory=list)  # sorted, retracted ones included
    retracted: set[int] = field(default_factory=set)
    cancelled: set[str] = field(default_factory=set)  # uids of retracted resolutions
    evidence: dict[int, StoredEvidence] = field(default_factory=dict)
    evidence_uids: dict[str, int] = field(default_factory=dict)
    event_uids: set[str] = field(default_factory=set)
    resolutions: dict[Content, list[str]] = field(default_factory=dict)  # content -> uids
    edits: dict[Content, list[str]] = field(default_factory=dict)  # content -> uids
    source_events: dict[Content, list[str]] = field(default_factory=dict)  # content -> uids
    # The latest edit of each field, and of each tag ("tag:NAME"): (recorded_at, uid).
    edited: dict[str, tuple[datetime, str]] = field(default_factory=dict)
    # Each edited field's value before its first edit: {field: ((recorded_at, uid), old)}.
    originals: dict[str, tuple[tuple[datetime, str], Any]] = field(default_factory=dict)
    fold: Fold = field(default_factory=Fold)
    # When each step (evidence by id, a resolution by uid) was recorded here, and when a
    # retracted one stopped counting: its status spans' recorded time (tracker.rules.timeline).
    recorded: dict[int | str, datetime] = field(default_factory=dict)
    stopped: dict[int | str, datetime] = field(default_factory=dict)
    # A stored claim's status spans as read (its history's): rewritten only if they change.
    stored_spans: list[Span] = field(default_factory=list)
    links: list[LinkStep] = field(default_factory=list)
    relink: bool = False  # its links changed: their cache rows are rewritten
    head: str = ""  # the hash of its last event (its uid before the first: see __post_init__)
    dirty: bool = False
    retag: bool = False
    # A stored claim's columns as read: its UPDATE writes only those that changed (every
    # column written is an index entry rewritten).
    stored: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.head = self.head or self.uid
        if not self.new:
            self.stored = dict(self.row)

    @property
    def status(self) -> str:
        return self.fold.status

    @property
    def said_on(self) -> date:
        said_on: date = self.row["said_on"]
        return said_on

    def change(self, event: str, before: str | None, **details: Any) -> Change:
        """What a change did to this claim, naming the claim as it now reads."""
        row = self.row
        return Change(self.id, event, before, self.status, handle=row["handle"], text=row["text"],
                      **details)  # fmt: skip

    def add_step(self, item: Ordered) -> None:
        in_order = not self.steps or item > self.steps[-1]
        self.steps.append(item)
        if in_order:
            self.fold.add(item.step)
        else:
            self.steps.sort()
            self.replay()

    def replay(self) -> None:
        self.fold = Fold()
        for item in self.steps:
            if item.evidence_id is None:
                if item.uid not in self.cancelled:
                    self.fold.add(item.step)
            elif item.evidence_id not in self.retracted:
                self.fold.add(item.step)

    def spans(self) -> list[Span]:
        """Its status over time, in both times: the rows of `status_span`."""
        known = []
        for item in self.steps:
            key: int | str = item.evidence_id if item.evidence_id is not None else item.uid
            at = self.recorded.get(key, item.recorded_at)
            gone = item.uid in self.cancelled if item.evidence_id is None else key in self.retracted
            known.append(Known(item, at, self.stopped.get(key, at) if gone else None))
        return timeline_spans(known, self.said_on, self.row["created_at"])

    def note_resolution(self, status: str, on: date, reason: str | None, uid: str) -> None:
        self.resolutions.setdefault((status, on, reason), []).append(uid)

    def note_edit(self, changes: dict[str, list[Any]], at: datetime, uid: str, actor: str,
                  reason: str | None) -> None:  # fmt: skip
        """What an edit tells later merges: when each field (and tag) was last changed, what
        each field held before its first change, and the edit itself, by content."""
        when = (at, uid)
        content = (at, actor, reason, json.dumps(changes, sort_keys=True))
        self.edits.setdefault(content, []).append(uid)
        for name, (old, new) in changes.items():
            self.edited[name] = max(self.edited.get(name, when), when)
            if name not in self.originals or when < self.originals[name][0]:
                self.originals[name] = (when, old)
            if name == "tags":
                for folded in changed_tags(old, new):
                    key = f"tag:{folded}"
                    self.edited[key] = max(self.edited.get(key, when), when)

    def note_source_event(self, kind: str, changes: dict[str, list[str]], at: datetime,
                          actor: str, reason: str | None, uid: str) -> None:  # fmt: skip
        """A rename or merge in its history, by what it says: an import that applies one
        to every claim it touches gives each a copy, under its own uid."""
        self.source_events.setdefault(source_event_content(kind, changes, at, actor, reason),
                                      []).append(uid)  # fmt: skip

    def known(
        self, index: dict[Content, list[str]], content: Content, *, exclude: set[str]
    ) -> bool:
        """A resolution or edit with this content is stored, under a uid the file does not name."""
        return any(uid not in exclude for uid in index.get(content, ()))

    def live_repeat(self, content: EvidenceContent) -> int | None:
        """The non-retracted evidence with exactly this content, if any."""
        for stored in self.evidence.values():
            if stored.content == content and stored.id not in self.retracted:
                return stored.id
        return None

    def find_evidence(
        self, uid: str | None, content: EvidenceContent, *, exclude: set[str]
    ) -> int | None:
        """The evidence a file's item is: by uid, else by content among the evidence whose
        uid the file does not name (a file may hold two items alike, one retracted)."""
        if uid is not None and uid in self.evidence_uids:
            return self.evidence_uids[uid]
        for stored in self.evidence.values():
            if stored.content == content and stored.uid not in exclude:
                return stored.id
        return None


def source_event_content(kind: str, changes: dict[str, list[str]], at: datetime, actor: str,
                         reason: str | None) -> Content:  # fmt: skip
    """What a rename or merge says, whatever claim holds it: its kind, names, who, when, why."""
    names = next(iter(changes.values()))
    return (kind, *names, at, actor, reason)


def changed_tags(old: list[str] | None, new: list[str] | None) -> set[str]:
    """The tags (case-folded) an edit added or removed."""
    return {normalise(t) for t in old or ()} ^ {normalise(t) for t in new or ()}


# -- reading books -----------------------------------------------------------------------------


def read_books(conn: Connection, claim_ids: list[int], *, lock: bool = True) -> dict[int, Book]:
    """Stored claims with everything their changes are checked against, rows locked (unless
    only read: `tracker db check` replays them)."""
    columns = [Claim.__table__.c[name] for name in COLUMNS["claim"]]
    query = select(*columns).where(Claim.id.in_(claim_ids))
    if lock and conn.dialect.name != "sqlite":  # SQLite: BEGIN IMMEDIATE already holds the database
        query = query.with_for_update()
    books: dict[int, Book] = {}
    for claim in conn.execute(query).mappings().all():  # fetchall: fewer driver calls
        books[claim["id"]] = Book(claim["id"], claim["uid"], False, dict(claim), [])
    tags = select(ClaimTag.claim_id, ClaimTag.tag).where(ClaimTag.claim_id.in_(claim_ids))
    for claim_id, tag in conn.execute(tags).all():
        books[claim_id].tags.append(tag)
    events = select(
        ClaimEvent.claim_id, ClaimEvent.uid, ClaimEvent.event, ClaimEvent.evidence_id,
        ClaimEvent.resolved_as, ClaimEvent.to_status, ClaimEvent.effective_on,
        ClaimEvent.recorded_at, ClaimEvent.reason, ClaimEvent.changes, ClaimEvent.actor,
        ClaimEvent.hash, ClaimEvent.actual, ClaimEvent.undoes,
    ).where(ClaimEvent.claim_id.in_(claim_ids)).order_by(ClaimEvent.id)  # fmt: skip
    actuals: dict[int, str] = {}  # evidence id -> what its evidence_added event said happened
    for row in conn.execute(events).all():
        claim_id, uid, kind, evidence_id = row.claim_id, row.uid, row.event, row.evidence_id
        on, at, reason = row.effective_on, row.recorded_at, row.reason
        book = books[claim_id]
        book.event_uids.add(uid)
        book.head = row.hash  # in id order: the last one read is the chain's head
        if kind == "evidence_retracted":
            book.retracted.add(evidence_id)
            book.stopped[evidence_id] = at
        elif kind == "resolution_retracted":
            book.cancelled.add(row.undoes)
            book.stopped[row.undoes] = at
        elif kind == "evidence_added":
            book.recorded[evidence_id] = at
            if row.actual is not None:
                actuals[evidence_id] = row.actual
        elif kind == "resolved":
            status = row.resolved_as or row.to_status  # rows from before resolved_as existed
            step = Step(on, resolved_as=status, actual=row.actual)
            book.steps.append(Ordered(on, at, 1, uid, None, step))
            book.note_resolution(status, on, reason, uid)
        elif kind == "edited":
            book.note_edit(row.changes or {}, at, uid, row.actor, reason)
        elif kind in ("withdrawn", "restored"):
            book.edited["withdrawn"] = max(book.edited.get("withdrawn", (at, uid)), (at, uid))
        elif kind in ("linked", "unlinked"):
            book.links.append(LinkStep.of_event(kind, on, at, uid, row.changes))
        elif kind in ("source_renamed", "source_merged"):
            book.note_source_event(kind, row.changes, at, row.actor, reason, uid)
    # Evidence by the source it names now: recorded under a source since merged into
    # another, it is that other's (tracker.ledger.sources).
    evidence = select(
        Evidence.claim_id, Evidence.id, Evidence.uid, Evidence.stance,
        func.coalesce(Source.alias_of, Evidence.source_id), Evidence.url, Evidence.observed_on,
        Evidence.note, Evidence.recorded_at, Evidence.tier,
    ).outerjoin(Source, Source.id == Evidence.source_id).where(
        Evidence.claim_id.in_(claim_ids)
    )  # fmt: skip
    for claim_id, id_, uid, stance, source_id, url, on, note, at, tier in conn.execute(
        evidence
    ).all():
        book = books[claim_id]
        book.evidence[id_] = StoredEvidence(
            id_, uid, (stance, source_id, url, on, note), (tier, actuals.get(id_))
        )
        book.evidence_uids[uid] = id_
        step = Step(on, stance=stance, actual=actuals.get(id_))
        book.steps.append(Ordered(on, at, 0, uid, id_, step))
    for book in books.values():
        book.tags.sort()
        book.steps.sort()
        book.replay()
        book.stored_spans = book.spans()
    return books
