"""The one write path: every change to a claim goes through here.

A new claim, evidence, a retraction, a resolution, an edit: the ledger checks
it, gives it its uid, folds the claim's status (tracker.status) and queues its
rows; `flush` writes them, one executemany per table. The commands ask it for
one change; the importer hands it a whole batch. Nothing else inserts into
`evidence` or `claim_event`, so a rule written here holds for every path.

A claim being changed is held as a `Book`: its row, and the steps (evidence and
resolutions) its status is the replay of. Books of stored claims are read with
their row locked; books are dropped at each flush, so memory stays flat.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from tracker import chain, clock
from tracker.errors import DuplicateKey, InvalidField, InvalidInput, InvalidTransition
from tracker.history import Ordered
from tracker.identity import digest, new_uid
from tracker.models import Claim, ClaimEvent, ClaimTag, Evidence
from tracker.provenance import ArticleRef, Provenance
from tracker.rows import COLUMNS, Ids, Rows
from tracker.status import Fold, Step
from tracker.text import normalise

# Claim fields an edit may change, as `changes` names them.
EDITABLE = (
    "text", "subject", "expected", "likelihood", "tags", "source", "said_on", "hedge", "key",
    "article",
)  # fmt: skip
# The fields a claim without a key is known by: no two such claims may share them.
_IDENTITY = ("text", "source", "said_on", "key")


@lru_cache(maxsize=4096)
def _window(phrase: str, said_on: date, as_stored: bool = False):
    from tracker.dates import expected_window, parse_window  # read commands never need them

    return parse_window(phrase, said_on) if as_stored else expected_window(phrase, said_on)


@dataclass
class Stamp:
    """Who made an event and when; an import keeps the file's, a command takes now."""

    uid: str | None = None
    actor: str | None = None
    recorded_at: datetime | None = None
    effective_on: date | None = None
    copied: bool = False  # from another database's history: its db_user, not ours
    db_user: str | None = None


@dataclass
class ClaimDraft:
    """A claim's checked values, from the command line or a file."""

    text: str
    said_on: date
    key: str | None = None
    subject: str | None = None
    source: str | None = None
    article: ArticleRef = field(default_factory=ArticleRef)
    expected: str | None = None  # the phrase; read relative to said_on
    hedge: str | None = None
    likelihood: float | None = None
    tags: list[str] = field(default_factory=list)
    quote: str | None = None  # the article's sentence it was extracted from
    uid: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # Copied from a database: its window is taken as it was stored there, even one over
    # before the claim was said (the first version allowed those).
    exported: bool = False


@dataclass
class EvidenceDraft:
    stance: str
    on: date
    source: str | None = None
    url: str | None = None
    note: str | None = None
    uid: str | None = None
    recorded_at: datetime | None = None
    recorded_by: str | None = None
    tier: str | None = None
    actual: str | None = None  # what actually happened, when the evidence decides the claim


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
    def of_event(cls, event: str, on: date, at: datetime, uid: str, changes: dict) -> LinkStep:
        """A stored `linked`/`unlinked` event's step: its changes name the kind and claim."""
        return cls(on, at, uid, changes["kind"], changes["claim"], event == "linked")


LinkSpan = tuple[str, str, date, date | None]  # kind, other claim's uid, linked_on, unlinked_on


def link_spans(steps: Iterable[LinkStep]) -> list[LinkSpan]:
    """When each link was in force, replayed from its events: from `linked_on` until the
    day before `unlinked_on` (None: it still is). Undone and made again on one day, it
    never stopped."""
    spans: dict[tuple[str, str], list[list]] = {}
    for step in sorted(steps):
        held = spans.setdefault((step.kind, step.other_uid), [])
        last = held[-1] if held else None
        if step.linked:
            if last is not None and last[1] is None:
                continue  # in force already
            if last is not None and last[1] == step.effective_on:
                last[1] = None
            else:
                held.append([step.effective_on, None])
        elif last is not None and last[1] is None:
            if last[0] == step.effective_on:
                held.pop()  # in force for no day at all
            else:
                last[1] = step.effective_on
    return [(kind, other, start, end) for (kind, other), held in spans.items()
            for start, end in held]  # fmt: skip


@dataclass
class StoredEvidence:
    id: int
    uid: str
    content: tuple  # (stance, source_id, url, observed_on, note): what makes an exact repeat
    said: tuple = (None, None)  # (tier, actual): what else a copy of it must say


@dataclass
class Change:
    """What one change did: for the line a command prints."""

    claim_id: int
    event: str
    from_status: str | None
    to_status: str
    evidence_id: int | None = None
    stance: str | None = None
    resolved_as: str | None = None


@dataclass
class Book:
    """One claim while the ledger changes it."""

    id: int
    uid: str
    new: bool
    row: dict[str, Any]  # the claim's columns (tracker.rows.COLUMNS["claim"])
    tags: list[str]
    steps: list[Ordered] = field(default_factory=list)  # sorted, retracted ones included
    retracted: set[int] = field(default_factory=set)
    evidence: dict[int, StoredEvidence] = field(default_factory=dict)
    evidence_uids: dict[str, int] = field(default_factory=dict)
    event_uids: set[str] = field(default_factory=set)
    resolutions: dict[tuple, list[str]] = field(default_factory=dict)  # content -> uids
    edits: dict[tuple, list[str]] = field(default_factory=dict)  # content -> uids
    # The latest edit of each field, and of each tag ("tag:NAME"): (recorded_at, uid).
    edited: dict[str, tuple[datetime, str]] = field(default_factory=dict)
    # Each edited field's value before its first edit: {field: ((recorded_at, uid), old)}.
    originals: dict[str, tuple[tuple[datetime, str], Any]] = field(default_factory=dict)
    fold: Fold = field(default_factory=Fold)
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
        return self.row["said_on"]

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
            if item.evidence_id is None or item.evidence_id not in self.retracted:
                self.fold.add(item.step)

    def note_resolution(self, status: str, on: date, reason: str | None, uid: str) -> None:
        self.resolutions.setdefault((status, on, reason), []).append(uid)

    def note_edit(self, changes: dict[str, list], at: datetime, uid: str, actor: str,
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
                for folded in _changed_tags(old, new):
                    key = f"tag:{folded}"
                    self.edited[key] = max(self.edited.get(key, when), when)

    def known(self, index: dict[tuple, list[str]], content: tuple, *, exclude: set[str]) -> bool:
        """A resolution or edit with this content is stored, under a uid the file does not name."""
        return any(uid not in exclude for uid in index.get(content, ()))

    def live_repeat(self, content: tuple) -> int | None:
        """The non-retracted evidence with exactly this content, if any."""
        for stored in self.evidence.values():
            if stored.content == content and stored.id not in self.retracted:
                return stored.id
        return None

    def find_evidence(self, uid: str | None, content: tuple, *, exclude: set[str]) -> int | None:
        """The evidence a file's item is: by uid, else by content among the evidence whose
        uid the file does not name (a file may hold two items alike, one retracted)."""
        if uid is not None and uid in self.evidence_uids:
            return self.evidence_uids[uid]
        for stored in self.evidence.values():
            if stored.content == content and stored.uid not in exclude:
                return stored.id
        return None


class Ledger:
    """Checks, records and writes changes to claims, for one transaction."""

    def __init__(self, session: Session, *, actor: str, today: date, dry_run: bool = False):
        self.session = session
        self.conn: Connection = session.connection()
        self.actor = actor
        self.today = today
        self.now = clock.utcnow()
        self.ids = Ids(self.conn, counting=dry_run)
        self.rows = Rows(self.conn)
        self.provenance = Provenance(self.conn, self.rows, self.ids)
        self.books: dict[int, Book] = {}
        # Links to claims not written yet (a later batch of an import): claim id -> spans.
        self.unsettled: dict[int, list[LinkSpan]] = {}
        self.relinked: set[int] = set()  # every claim whose links this transaction changed
        # A file's claim uid -> the uid of the stored claim its record matched by key or
        # text: a link in the file names the claim as the file knows it.
        self.aliases: dict[str, str] = {}
        # Who the database says is writing (PostgreSQL's session_user, MariaDB's
        # user@host; `--by` cannot change it). SQLite has no users.
        self.db_user: str | None = None
        dialect = self.conn.dialect.name
        if dialect != "sqlite":
            who = "session_user" if dialect == "postgresql" else "SESSION_USER()"
            self.db_user = self.conn.exec_driver_sql(f"SELECT {who}").scalar()

    # -- finding and opening claims ----------------------------------------------------------

    def open(self, claim_ids: Iterable[int]) -> dict[int, Book]:
        """Books of stored claims, their rows locked until the transaction ends."""
        wanted = [i for i in dict.fromkeys(claim_ids) if i not in self.books]
        if wanted:
            self.books.update(_read_books(self.conn, wanted))
            # Now, once the rows are locked: a claim's events are timed in commit order.
            self.now = max(self.now, clock.utcnow())
        return {i: self.books[i] for i in claim_ids if i in self.books}

    def book(self, claim_id: int) -> Book:
        return self.open([claim_id])[claim_id]

    # -- the changes -------------------------------------------------------------------------

    def create(
        self, draft: ClaimDraft, created: Stamp | None = None, *, checked: bool = False
    ) -> Book:
        """A new claim. `checked`: the caller found no stored claim with its uid, key or twin."""
        created = created or Stamp()
        if not checked:
            self._refuse_taken(draft)
        window = None
        if draft.expected is not None:
            try:
                window = _window(draft.expected, draft.said_on, draft.exported)
            except InvalidInput as exc:
                raise InvalidField("expected", str(exc)) from None
        text_norm = normalise(draft.text)
        row = {
            "key": draft.key,
            "text": draft.text,
            "text_norm": text_norm,
            "text_hash": digest(text_norm),
            "twin_hash": None,
            "subject": draft.subject,
            "subject_folded": normalise(draft.subject) if draft.subject is not None else None,
            "source_id": self.provenance.source_id(draft.source),
            "article_id": self.provenance.article_id(draft.article),
            "said_on": draft.said_on,
            "expected_text": window.text if window else None,
            "expected_start": window.start if window else None,
            "expected_end": window.end if window else None,
            "hedge": draft.hedge,
            "likelihood": draft.likelihood,
            "status": "pending",
            "resolved_on": None,
            "withdrawn": False,
            "quote": draft.quote,
            "actual": None,
            "created_at": None,
            "updated_at": None,
        }
        book = Book(self.ids.take("claim"), draft.uid or new_uid(), True, row, sorted(draft.tags))
        _rehash(book)
        self.books[book.id] = book
        on = created.effective_on or draft.said_on
        self._event(book, "created", on, created, from_status=None)
        row["created_at"] = draft.created_at or row["created_at"]
        if draft.updated_at is not None:
            row["updated_at"] = max(row["updated_at"], draft.updated_at)
        return book

    def _refuse_taken(self, draft: ClaimDraft) -> None:
        if draft.key is not None:
            self._refuse_key(draft.key)
            return
        source_id = self.provenance.source_id(draft.source)
        self._refuse_twin(normalise(draft.text), source_id, draft.said_on)

    def _refuse_key(self, key: str, this: int | None = None) -> None:
        """A key names one claim: refuse it if another claim (not `this`) has it."""
        taken = self.conn.execute(select(Claim.id).where(Claim.key == key)).scalar()
        if taken is not None and taken != this:
            raise DuplicateKey(f"a claim with key {key!r} already exists (claim {taken})")

    def _refuse_twin(
        self, text_norm: str, source_id: int | None, said_on: date, this: int | None = None
    ) -> None:
        """A claim without a key is known by its text, source and date: no other claim may
        have them, or imports would take the two for one (the database refuses keyless
        twins itself; this says so clearly, and covers keyed claims too)."""
        query = select(Claim.id).where(
            Claim.text_hash == digest(text_norm),
            Claim.said_on == said_on,
            Claim.source_id.is_(None) if source_id is None else Claim.source_id == source_id,
            Claim.id != (this or 0),
        )
        twin = self.conn.execute(query.limit(1)).scalar()
        if twin is not None:
            raise DuplicateKey(
                f"claim {twin} already says this (same text, source and date); "
                "give each a --key to record both"
            )

    def add_evidence(self, book: Book, draft: EvidenceDraft, stamp: Stamp | None = None) -> Change:
        """Evidence for a claim. An exact repeat of live evidence is refused."""
        if draft.on < book.said_on:
            raise InvalidField(
                "on",
                f"evidence observed on {draft.on} predates claim {book.id}, said on {book.said_on}",
            )
        source_id = self.provenance.source_id(draft.source)
        content = (draft.stance, source_id, draft.url, draft.on, draft.note)
        repeat = book.live_repeat(content)
        if repeat is not None:
            raise InvalidInput(
                f"claim {book.id} already has this evidence (evidence {repeat}: same stance, "
                "source, url, date and note); add a --note to tell them apart"
            )
        stamp = stamp or Stamp()
        evidence_id = self.ids.take("evidence")
        uid = draft.uid or new_uid()
        at = draft.recorded_at or stamp.recorded_at or self.now
        by = draft.recorded_by or stamp.actor or self.actor
        day, moment = self.rows.day, self.rows.moment
        self.rows.add(
            "evidence",
            (evidence_id, uid, book.id, draft.stance, source_id, draft.url, day(draft.on),
             draft.note, moment(at), by, draft.tier),
        )  # fmt: skip
        book.evidence[evidence_id] = StoredEvidence(
            evidence_id, uid, content, (draft.tier, draft.actual)
        )
        book.evidence_uids[uid] = evidence_id
        before = book.status
        step = Step(draft.on, stance=draft.stance, actual=draft.actual)
        book.add_step(Ordered(draft.on, at, 0, uid, evidence_id, step))
        event_stamp = replace(stamp, actor=stamp.actor or by, recorded_at=stamp.recorded_at or at)
        sealed = chain.evidence_fields(
            uid=uid, stance=draft.stance, source=self.provenance.source_name(source_id),
            url=draft.url, observed_on=draft.on, note=draft.note, recorded_at=at, recorded_by=by,
            tier=draft.tier,
        )  # fmt: skip
        self._event(book, "evidence_added", draft.on, event_stamp, before, evidence_id=evidence_id,
                    evidence=sealed, actual=draft.actual)  # fmt: skip
        return Change(book.id, "evidence_added", before, book.status, evidence_id, draft.stance)

    def retract(
        self, book: Book, evidence_id: int, reason: str, stamp: Stamp | None = None
    ) -> Change:
        """Evidence withdrawn: it stops counting at every date, and the status is replayed."""
        if evidence_id in book.retracted:
            raise InvalidTransition(f"evidence {evidence_id} is already retracted")
        stamp = stamp or Stamp()
        before = book.status
        book.retracted.add(evidence_id)
        book.replay()
        on = stamp.effective_on or self.today
        self._event(book, "evidence_retracted", on, stamp, before, evidence_id=evidence_id,
                    reason=reason)  # fmt: skip
        return Change(book.id, "evidence_retracted", before, book.status, evidence_id)

    def resolve(self, book: Book, status: str, on: date, reason: str,
                stamp: Stamp | None = None, actual: str | None = None) -> Change:  # fmt: skip
        """A status set by hand; it takes its place in the replay at its `on` date."""
        if on < book.said_on:
            raise InvalidField(
                "on", f"resolution on {on} predates claim {book.id}, said on {book.said_on}"
            )
        stamp = stamp or Stamp()
        uid = stamp.uid or new_uid()
        at = stamp.recorded_at or self.now
        before = book.status
        book.add_step(Ordered(on, at, 1, uid, None, Step(on, resolved_as=status, actual=actual)))
        book.note_resolution(status, on, reason, uid)
        self._event(book, "resolved", on, replace(stamp, uid=uid, recorded_at=at), before,
                    resolved_as=status, reason=reason, actual=actual)  # fmt: skip
        return Change(book.id, "resolved", before, book.status, resolved_as=status)

    def withdraw(
        self, book: Book, withdrawn: bool, reason: str, stamp: Stamp | None = None
    ) -> Change:
        """Take a claim out of every list, report and track record (or put it back); its
        history stays. A command always applies; from another database's history, the
        latest withdrawal or restoration wins."""
        kind = "withdrawn" if withdrawn else "restored"
        stamp = stamp or Stamp()
        at, uid = stamp.recorded_at or self.now, stamp.uid or new_uid()
        if stamp.uid is None and book.row["withdrawn"] == withdrawn:
            state = "is already withdrawn" if withdrawn else "is not withdrawn"
            raise InvalidTransition(f"claim {book.id} {state}")
        # A command always applies; from another database, the latest one wins.
        if stamp.uid is None or (at, uid) >= book.edited.get("withdrawn", (at, uid)):
            book.row["withdrawn"] = withdrawn
        book.edited["withdrawn"] = max(book.edited.get("withdrawn", (at, uid)), (at, uid))
        on = stamp.effective_on or self.today
        self._event(book, kind, on, replace(stamp, uid=uid, recorded_at=at), book.status,
                    reason=reason)  # fmt: skip
        return Change(book.id, kind, book.status, book.status)

    def link(self, book: Book, kind: str, other_uid: str, *, linked: bool, reason: str | None,
             stamp: Stamp | None = None) -> Change:  # fmt: skip
        """CLAIM `kind` OTHER (by OTHER's uid), or undo it, from the day it is recorded. The
        command's rules are tracker.links'; another database's history is taken as it was
        (its replay decides what is in force)."""
        stamp = stamp or Stamp()
        at, uid = stamp.recorded_at or self.now, stamp.uid or new_uid()
        on = stamp.effective_on or self.today
        book.links.append(LinkStep(on, at, uid, kind, other_uid, linked))
        book.relink = True
        event = "linked" if linked else "unlinked"
        self._event(book, event, on, replace(stamp, uid=uid, recorded_at=at), book.status,
                    reason=reason, changes={"kind": kind, "claim": other_uid})  # fmt: skip
        return Change(book.id, event, book.status, book.status)

    def edit(self, book: Book, values: dict[str, Any], reason: str | None) -> Change:
        """Correct fields (`values` as `field_value` gives them); old values stay in history."""
        changes = {}
        for name, value in values.items():
            old = self.field_value(book, name)
            if value != old:
                changes[name] = [old, value]
                self._set(book, name, value)
        if not changes:
            raise InvalidInput(f"nothing to change: claim {book.id} already has these values")
        stamp = Stamp()
        self._event(book, "edited", self.today, stamp, book.status, reason=reason, changes=changes)
        return Change(book.id, "edited", book.status, book.status)

    def merge_edit(self, book: Book, changes: dict[str, list], reason: str | None,
                   stamp: Stamp, *, apply: bool) -> None:  # fmt: skip
        """An edit from another database's history: recorded as it was. With `apply`, each
        field takes its new value unless the claim holds a later edit of that field; tags
        are added and removed one by one, each unless a later edit changed that tag."""
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise InvalidInput(f"an edit of unknown field {unknown[0]!r}")
        for name, (_, value) in changes.items():  # the rules a command's edit obeys
            _checked(name, value, self.today)
        at, uid = stamp.recorded_at or self.now, stamp.uid or new_uid()
        when = (at, uid)
        for name, (old, value) in changes.items() if apply else ():
            if name == "tags":
                new = {normalise(tag): tag for tag in value or ()}
                tags = {normalise(tag): tag for tag in book.tags}
                for folded in _changed_tags(old, value):
                    if when >= book.edited.get(f"tag:{folded}", when):
                        if folded in new:
                            tags[folded] = new[folded]
                        else:
                            tags.pop(folded, None)
                if sorted(tags.values()) != book.tags:
                    self._set(book, "tags", sorted(tags.values()))
            elif when >= book.edited.get(name, when):
                self._set(book, name, value)
        self._event(book, "edited", stamp.effective_on or self.today,
                    replace(stamp, uid=uid, recorded_at=at), book.status, reason=reason,
                    changes=changes)  # fmt: skip

    # -- writing ----------------------------------------------------------------------------

    def flush(self) -> None:
        """Write every queued row; the books are dropped."""
        day, moment = self.rows.day, self.rows.moment
        self._queue_links()
        for book in self.books.values():
            row = book.row
            outcome = book.fold.outcome
            row["status"], row["resolved_on"], row["actual"] = (
                outcome.status,
                outcome.resolved_on,
                outcome.actual,
            )
            values = [row[column] for column in _CLAIM_VALUES]
            for index in _DAY_COLUMNS:
                values[index] = day(values[index])
            for index in _MOMENT_COLUMNS:
                values[index] = moment(values[index])
            if book.new:
                self.rows.add("claim", (book.id, book.uid, *values))
                self.rows.inserts["claim_tag"] += [
                    (book.id, tag, normalise(tag)) for tag in book.tags
                ]
            elif book.dirty:
                changed = [i for i, c in enumerate(_CLAIM_VALUES) if row[c] != book.stored[c]]
                if changed:
                    self.rows.update_claim(
                        book.id,
                        tuple(_CLAIM_VALUES[i] for i in changed),
                        [values[i] for i in changed],
                    )
                if book.retag:
                    self.rows.retagged.add(book.id)
                    self.rows.inserts["claim_tag"] += [
                        (book.id, tag, normalise(tag)) for tag in book.tags
                    ]
        self.rows.write()
        self.books.clear()
        self.provenance.forget_articles()

    def settle(self) -> None:
        """After the last flush: every link names a claim that exists."""
        self.flush()
        if self.unsettled:
            claim_id, spans = next(iter(self.unsettled.items()))
            missing = next(uid for _, uid, _, _ in spans if uid not in self._claim_ids([uid]))
            raise InvalidInput(f"claim {claim_id} is linked to claim uid {missing}, "
                               "which is neither stored nor in the file")  # fmt: skip

    def _queue_links(self) -> None:
        """The cache rows of the links in force (tracker.models.ClaimLink) of every claim
        whose links changed, for `rows.write`. A link may name a claim that a later batch
        of the same import adds: its rows wait for it."""
        for book in self.books.values():
            if book.relink:
                self.unsettled[book.id] = link_spans(book.links)
        if not self.unsettled:
            return
        ids = self._claim_ids({uid for spans in self.unsettled.values() for _, uid, _, _ in spans})
        day = self.rows.day
        for claim_id, spans in list(self.unsettled.items()):
            if any(uid not in ids for _, uid, _, _ in spans):
                continue
            del self.unsettled[claim_id]
            self.rows.relinked.add(claim_id)
            self.relinked.add(claim_id)
            self.rows.inserts["claim_link"] += [
                (claim_id, kind, ids[uid], day(start), day(end)) for kind, uid, start, end in spans
            ]

    def _claim_ids(self, uids: Iterable[str]) -> dict[str, int]:
        """Claims by uid: the ones this ledger is writing, and the stored ones."""
        from tracker.views import ids_by_uid

        wanted = set(uids)
        ids = {book.uid: book.id for book in self.books.values() if book.uid in wanted}
        return {**ids_by_uid(self.conn, wanted - ids.keys()), **ids}

    # -- inside ------------------------------------------------------------------------------

    def _event(self, book: Book, kind: str, on: date, stamp: Stamp, from_status: str | None, *,
               evidence_id: int | None = None, resolved_as: str | None = None,
               reason: str | None = None, changes: dict | None = None,
               evidence: dict | None = None, actual: str | None = None) -> None:  # fmt: skip
        """Append one event, sealed onto its claim's chain (tracker.chain)."""
        at = stamp.recorded_at or self.now
        uid = stamp.uid or new_uid()
        actor = stamp.actor or self.actor
        db_user = stamp.db_user if stamp.copied else self.db_user
        book.head = chain.link(book.head, chain.canonical(
            uid=uid, claim_uid=book.uid, event=kind, from_status=from_status,
            to_status=book.status, effective_on=on, recorded_at=at, actor=actor, reason=reason,
            resolved_as=resolved_as, changes=changes, db_user=db_user, evidence=evidence,
            evidence_uid=book.evidence[evidence_id].uid if evidence_id is not None else None,
            actual=actual,
        ))  # fmt: skip
        self.rows.add(
            "claim_event",
            (self.ids.take("claim_event"), uid, book.id, kind, from_status, book.status,
             evidence_id, resolved_as, self.rows.day(on), self.rows.moment(at), actor, reason,
             self.rows.json(changes), db_user, book.head, actual),
        )  # fmt: skip
        book.event_uids.add(uid)
        row = book.row
        row["created_at"] = row["created_at"] or at
        row["updated_at"] = max(row["updated_at"] or at, at)
        if changes and kind == "edited":
            book.note_edit(changes, at, uid, stamp.actor or self.actor, reason)
        book.dirty = True

    def _set(self, book: Book, name: str, value: Any) -> None:
        """One field to its new value (as `changes` record it), checked as a new claim's is."""
        row = book.row
        if name == "text":
            row["text"], row["text_norm"] = value, normalise(value)
            row["text_hash"] = digest(row["text_norm"])
        elif name == "subject":
            row["subject"] = value
            row["subject_folded"] = normalise(value) if value is not None else None
        elif name == "expected":
            window = value or {}
            end = _day(window.get("end"))
            if end is not None:
                from tracker.dates import refuse_over  # see _window

                refuse_over(window.get("text") or "", end, row["said_on"])
            row["expected_text"] = window.get("text")
            row["expected_start"], row["expected_end"] = _day(window.get("start")), end
        elif name == "likelihood":
            row["likelihood"] = value
        elif name == "tags":
            book.tags, book.retag = sorted(value), True
        elif name == "source":
            row["source_id"] = self.provenance.source_id(value)
        elif name == "said_on":
            self._move_said_on(book, date.fromisoformat(value))
        elif name == "hedge":
            row["hedge"] = value
        elif name == "key":
            if value is not None and value != row["key"]:
                self._refuse_key(value, book.id)
            row["key"] = value
        elif name == "article":
            row["article_id"] = self.provenance.article_set(row["article_id"], value)
        else:  # pragma: no cover - EDITABLE lists every name handled here
            raise AssertionError(name)
        if name in _IDENTITY:
            if row["key"] is None and not book.new:
                self._refuse_twin(row["text_norm"], row["source_id"], row["said_on"], book.id)
            _rehash(book)

    def _move_said_on(self, book: Book, said_on: date) -> None:
        row = book.row
        early = [item for item in book.steps if item.effective_on < said_on]
        if early:
            raise InvalidInput(
                f"claim {book.id} has evidence or a resolution on {early[0].effective_on}, "
                f"before {said_on}"
            )
        row["said_on"] = said_on  # the window, read again from here, is checked as it is set

    def field_value(self, book: Book, name: str) -> Any:
        """A claim field as an `edited` event's changes record it."""
        row = book.row
        if name == "expected":
            if row["expected_text"] is None:
                return None
            return {
                "text": row["expected_text"],
                "start": row["expected_start"].isoformat(),
                "end": row["expected_end"].isoformat(),
            }
        if name == "tags":
            return list(book.tags)
        if name == "source":
            return self.provenance.source_name(row["source_id"])
        if name == "said_on":
            return row["said_on"].isoformat()
        if name == "article":
            return self.provenance.article_value(row["article_id"])
        return row[name]


def _checked(name: str, value: Any, today: date) -> None:
    """A value an edit from a file gives a field, held to the rules a command's edit obeys
    (the window against said_on, and a new key's uniqueness, are checked as it is set)."""
    from tracker import hedges
    from tracker.claims import clean_tags
    from tracker.text import MAX_TEXT, check_key, checked_source_name, clean, not_after, one_of

    optional = name in ("subject", "expected", "likelihood", "hedge", "key", "article")
    try:
        if value is None and optional:
            return
        if name == "text":
            clean(value, "text", limit=MAX_TEXT)
        elif name == "subject":
            clean(value, "subject")
        elif name == "source":
            checked_source_name(value)
        elif name == "said_on":
            not_after(date.fromisoformat(value), today)
        elif name == "expected":
            clean(value["text"], "expected window", limit=MAX_TEXT)
            if date.fromisoformat(value["start"]) > date.fromisoformat(value["end"]):
                raise InvalidInput("the window ends before it starts")
        elif name == "likelihood":
            hedges.check_likelihood(float(value))
        elif name == "hedge":
            one_of(value, list(hedges.LIKELIHOODS), "hedge word")
        elif name == "key":
            check_key(value)
        elif name == "tags":
            if clean_tags(value) != sorted(value):
                raise InvalidInput("tags must be distinct, without ';' or ','")
        elif name == "article":
            unknown = set(value) - {"url", "title", "outlet", "published_on"}
            if unknown or not all(v is None or isinstance(v, str) for v in value.values()):
                raise InvalidInput("an article is {url, title, outlet, published_on}")
    except InvalidInput as exc:
        raise InvalidField(f"changes.{name}", str(exc)) from None
    except (TypeError, ValueError, AttributeError, KeyError):
        raise InvalidField(f"changes.{name}", f"{str(value)[:60]!r} is not a {name}") from None


def _changed_tags(old: list | None, new: list | None) -> set[str]:
    """The tags (case-folded) an edit added or removed."""
    return {normalise(t) for t in old or ()} ^ {normalise(t) for t in new or ()}


def _rehash(book: Book) -> None:
    row = book.row
    row["twin_hash"] = (
        digest(row["text_norm"], str(row["source_id"] or ""), row["said_on"].isoformat())
        if row["key"] is None
        else None
    )


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


_CLAIM_VALUES = COLUMNS["claim"][2:]
_DAY_COLUMNS = [i for i, c in enumerate(_CLAIM_VALUES) if c in
                ("said_on", "expected_start", "expected_end", "resolved_on")]  # fmt: skip
_MOMENT_COLUMNS = [i for i, c in enumerate(_CLAIM_VALUES) if c in ("created_at", "updated_at")]


# -- reading books -----------------------------------------------------------------------------


def _read_books(conn: Connection, claim_ids: list[int]) -> dict[int, Book]:
    """Stored claims with everything their changes are checked against, rows locked."""
    columns = [Claim.__table__.c[name] for name in COLUMNS["claim"]]
    query = select(*columns).where(Claim.id.in_(claim_ids))
    if conn.dialect.name != "sqlite":  # SQLite: BEGIN IMMEDIATE already holds the database
        query = query.with_for_update()
    books: dict[int, Book] = {}
    for row in conn.execute(query).mappings().all():  # fetchall: fewer driver calls
        values = dict(row)
        books[row["id"]] = Book(row["id"], row["uid"], False, values, [])
    tags = select(ClaimTag.claim_id, ClaimTag.tag).where(ClaimTag.claim_id.in_(claim_ids))
    for claim_id, tag in conn.execute(tags).all():
        books[claim_id].tags.append(tag)
    events = select(
        ClaimEvent.claim_id, ClaimEvent.uid, ClaimEvent.event, ClaimEvent.evidence_id,
        ClaimEvent.resolved_as, ClaimEvent.to_status, ClaimEvent.effective_on,
        ClaimEvent.recorded_at, ClaimEvent.reason, ClaimEvent.changes, ClaimEvent.actor,
        ClaimEvent.hash, ClaimEvent.actual,
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
        elif kind == "evidence_added" and row.actual is not None:
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
    evidence = select(
        Evidence.claim_id, Evidence.id, Evidence.uid, Evidence.stance, Evidence.source_id,
        Evidence.url, Evidence.observed_on, Evidence.note, Evidence.recorded_at, Evidence.tier,
    ).where(Evidence.claim_id.in_(claim_ids))  # fmt: skip
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
    return books
