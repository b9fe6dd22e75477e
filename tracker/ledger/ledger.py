"""The one write path: every change to a claim goes through here.

A new claim, evidence, a retraction, a resolution, an edit: the ledger checks
it, gives it its uid, folds the claim's status (tracker.rules.status) and queues its
rows; `flush` writes them, one executemany per table. The commands ask it for
one change; the importer hands it a whole batch. Nothing else inserts into
`evidence` or `claim_event`, so a rule written here holds for every path.

A claim being changed is held as a `Book` (tracker.ledger.books): its row, and the
steps (evidence and resolutions) its status is the replay of. Books of stored
claims are read with their row locked; books are dropped at each flush, so
memory stays flat. What a change is made of lives in tracker.ledger.drafts, what an
edit means for each field in tracker.ledger.edits.

Over 300 lines on purpose: `Ledger` is the one place where each kind of change
is checked, sealed onto its claim's hash chain and queued; split further, a rule
would have to be read across modules to be seen whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, update
from sqlalchemy.orm import Session

from tracker import clock
from tracker.db.models import SPAN_COPIES, StatusSpan, Suggestion
from tracker.db.numbered_times import NumberedDay
from tracker.errors import InvalidField, InvalidInput, InvalidTransition
from tracker.ledger import chain, edits
from tracker.ledger.books import (
    Book,
    LinkSpan,
    LinkStep,
    StoredEvidence,
    changed_tags,
    link_spans,
    read_books,
)
from tracker.ledger.drafts import Change, ClaimDraft, EvidenceDraft, Stamp
from tracker.ledger.edits import (
    check_edit_value,
    refuse_key,
    refuse_twin,
    rehash,
    set_field,
)  # fmt: skip
from tracker.ledger.provenance import Provenance
from tracker.ledger.rows import COLUMNS, ChangesetRow, EventRow, EvidenceRow, Ids, Rows
from tracker.ledger.rules import evidence_words, resolution_words
from tracker.queries.views import ids_by_uid
from tracker.rules.claim_fields import EDITABLE
from tracker.rules.identity import digest, handle, new_uid
from tracker.rules.status import Ordered, Step
from tracker.rules.text import normalise

# Claim fields an edit may change, as `changes` names them.


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
        self.retracted: list[int] = []  # evidence retracted here: its suggestion reopens
        self.restored: dict[int, int] = {}  # retracted evidence brought back: its new id
        # The changeset of this command's events (tracker.db.models.Changeset), made with
        # the first one; `undid`: the changeset an undo reverses.
        self.changeset_id: int | None = None
        self.undid: int | None = None
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
            self.books.update(read_books(self.conn, wanted))
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
                window = edits.window(draft.expected, draft.said_on, draft.exported)
            except InvalidInput as exc:
                raise InvalidField("expected", str(exc)) from None
        text_norm = normalise(draft.text)
        uid = draft.uid or new_uid()
        row: dict[str, Any] = {
            "handle": handle(uid),
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
        book = Book(self.ids.take("claim"), uid, True, row, sorted(draft.tags))
        rehash(book)
        self.books[book.id] = book
        on = created.effective_on or draft.said_on
        self._event(book, "created", on, created, from_status=None)
        row["created_at"] = draft.created_at or row["created_at"]
        if draft.updated_at is not None:
            row["updated_at"] = max(row["updated_at"], draft.updated_at)
        return book

    def _refuse_taken(self, draft: ClaimDraft) -> None:
        if draft.key is not None:
            refuse_key(self.conn, draft.key)
            return
        source_id = self.provenance.source_id(draft.source)
        refuse_twin(self.conn, normalise(draft.text), source_id, draft.said_on)

    def add_evidence(self, book: Book, draft: EvidenceDraft, stamp: Stamp | None = None) -> Change:
        """Evidence for a claim. An exact repeat of live evidence is refused; its words are
        read and checked here (tracker.ledger.rules), whoever gives them."""
        draft.stance, draft.tier, draft.actual = evidence_words(
            draft.stance, draft.tier, draft.actual
        )
        if draft.on < book.said_on:
            raise InvalidField(
                "on",
                f"evidence observed on {draft.on} predates claim {book.id}, said on {book.said_on}",
            )
        named = self.provenance.source(draft.source)
        source_id, recorded_as = named if named is not None else (None, None)
        if named is not None and draft.source_as_recorded is not None:
            recorded_as = draft.source_as_recorded  # another database's record of it
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
        self.rows.add("evidence", EvidenceRow(
            id=evidence_id, uid=uid, claim_id=book.id, stance=draft.stance, source_id=source_id,
            url=draft.url, observed_on=day(draft.on), note=draft.note, recorded_at=moment(at),
            recorded_by=by, tier=draft.tier, source_name=recorded_as,
        ))  # fmt: skip
        book.evidence[evidence_id] = StoredEvidence(
            evidence_id, uid, content, (draft.tier, draft.actual)
        )
        book.evidence_uids[uid] = evidence_id
        book.recorded[evidence_id] = stamp.recorded_at or at  # its event's time, as below
        before = book.status
        step = Step(draft.on, stance=draft.stance, actual=draft.actual)
        book.add_step(Ordered(draft.on, at, 0, uid, evidence_id, step))
        event_stamp = replace(stamp, actor=stamp.actor or by, recorded_at=stamp.recorded_at or at)
        sealed = chain.evidence_fields(
            uid=uid, stance=draft.stance, source=recorded_as, url=draft.url,
            observed_on=draft.on, note=draft.note, recorded_at=at, recorded_by=by, tier=draft.tier,
        )  # fmt: skip
        self._event(book, "evidence_added", draft.on, event_stamp, before, evidence_id=evidence_id,
                    evidence=sealed, actual=draft.actual)  # fmt: skip
        return book.change("evidence_added", before, evidence_id=evidence_id, stance=draft.stance)

    def retract(
        self, book: Book, evidence_id: int, reason: str, stamp: Stamp | None = None
    ) -> Change:
        """Evidence withdrawn: it stops counting at every date, and the status is replayed."""
        if evidence_id in book.retracted:
            raise InvalidTransition(f"evidence {evidence_id} is already retracted")
        stamp = stamp or Stamp()
        before = book.status
        book.retracted.add(evidence_id)
        book.stopped[evidence_id] = stamp.recorded_at or self.now
        self.retracted.append(evidence_id)
        book.replay()
        on = stamp.effective_on or self.today
        self._event(book, "evidence_retracted", on, stamp, before, evidence_id=evidence_id,
                    reason=reason)  # fmt: skip
        return book.change("evidence_retracted", before, evidence_id=evidence_id)

    def resolve(self, book: Book, status: str, on: date, reason: str,
                stamp: Stamp | None = None, actual: str | None = None) -> Change:  # fmt: skip
        """A status set by hand; it takes its place in the replay at its `on` date."""
        status, actual = resolution_words(status, actual)
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
        return book.change("resolved", before, resolved_as=status)

    def retract_resolution(
        self, book: Book, resolution_uid: str, reason: str, stamp: Stamp | None = None
    ) -> Change:
        """A resolution (by its event's uid) stops counting at every date, as retracted
        evidence does; the status is replayed. What `undo` makes of a resolution."""
        if resolution_uid in book.cancelled:
            raise InvalidTransition(f"claim {book.id}'s resolution is already retracted")
        if not any(item.uid == resolution_uid and item.evidence_id is None for item in book.steps):
            raise InvalidInput(f"claim {book.id} has no resolution with uid {resolution_uid}")
        stamp = stamp or Stamp()
        before = book.status
        book.cancelled.add(resolution_uid)
        book.stopped[resolution_uid] = stamp.recorded_at or self.now
        book.replay()
        on = stamp.effective_on or self.today
        self._event(book, "resolution_retracted", on, replace(stamp, undoes=resolution_uid),
                    before, reason=reason)  # fmt: skip
        return book.change("resolution_retracted", before)

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
        return book.change(kind, book.status)

    def link(self, book: Book, kind: str, other_uid: str, *, linked: bool, reason: str | None,
             stamp: Stamp | None = None) -> Change:  # fmt: skip
        """CLAIM `kind` OTHER (by OTHER's uid), or undo it, from the day it is recorded. The
        command's rules are tracker.commands.links'; another database's history is taken as it was
        (its replay decides what is in force)."""
        stamp = stamp or Stamp()
        at, uid = stamp.recorded_at or self.now, stamp.uid or new_uid()
        on = stamp.effective_on or self.today
        book.links.append(LinkStep(on, at, uid, kind, other_uid, linked))
        book.relink = True
        event = "linked" if linked else "unlinked"
        self._event(book, event, on, replace(stamp, uid=uid, recorded_at=at), book.status,
                    reason=reason, changes={"kind": kind, "claim": other_uid})  # fmt: skip
        return book.change(event, book.status)

    def source_event(self, book: Book, kind: str, changes: dict[str, list[str]],
                     reason: str | None, stamp: Stamp | None = None) -> None:  # fmt: skip
        """A rename or merge of a source the claim or its evidence names, in its history
        (`source_renamed` or `source_merged`; tracker.ledger.sources changes the names and
        moves the claim): effective the day it is recorded."""
        stamp = stamp or Stamp()
        at, uid = stamp.recorded_at or self.now, stamp.uid or new_uid()
        on = stamp.effective_on or self.today
        stamp = replace(stamp, uid=uid, recorded_at=at, effective_on=on)
        self._event(book, kind, on, stamp, book.status, reason=reason, changes=changes)
        book.note_source_event(kind, changes, at, stamp.actor or self.actor, reason, uid)

    def edit(
        self, book: Book, values: dict[str, Any], reason: str | None, stamp: Stamp | None = None
    ) -> Change:
        """Correct fields (`values` as `field_value` gives them); old values stay in history."""
        changes = {}
        for name, value in values.items():
            old = self.field_value(book, name)
            if value != old:
                changes[name] = [old, value]
                set_field(self.provenance, book, name, value)
        if not changes:
            raise InvalidInput(f"nothing to change: claim {book.id} already has these values")
        self._event(book, "edited", self.today, stamp or Stamp(), book.status, reason=reason,
                    changes=changes)  # fmt: skip
        return book.change("edited", book.status, changes=changes)

    def merge_edit(self, book: Book, changes: dict[str, list[Any]], reason: str | None,
                   stamp: Stamp, *, apply: bool) -> None:  # fmt: skip
        """An edit from another database's history: recorded as it was. With `apply`, each
        field takes its new value unless the claim holds a later edit of that field; tags
        are added and removed one by one, each unless a later edit changed that tag."""
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise InvalidInput(f"an edit of unknown field {unknown[0]!r}")
        for name, (_, value) in changes.items():  # the rules a command's edit obeys
            check_edit_value(name, value, self.today)
        at, uid = stamp.recorded_at or self.now, stamp.uid or new_uid()
        when = (at, uid)
        for name, (old, value) in changes.items() if apply else ():
            if name == "tags":
                new = {normalise(tag): tag for tag in value or ()}
                tags = {normalise(tag): tag for tag in book.tags}
                for folded in changed_tags(old, value):
                    if when >= book.edited.get(f"tag:{folded}", when):
                        if folded in new:
                            tags[folded] = new[folded]
                        else:
                            tags.pop(folded, None)
                if sorted(tags.values()) != book.tags:
                    set_field(self.provenance, book, "tags", sorted(tags.values()))
            elif when >= book.edited.get(name, when):
                set_field(self.provenance, book, name, value)
        self._event(book, "edited", stamp.effective_on or self.today,
                    replace(stamp, uid=uid, recorded_at=at), book.status, reason=reason,
                    changes=changes)  # fmt: skip

    def _reopen_suggestions(self) -> None:
        """An inbox suggestion accepted as evidence that is now retracted (by `retract`,
        `undo`, an import) is open again: the decision it recorded no longer stands, and
        the article is offered for its claim as before. It keeps the evidence's id, so
        that an undo of the retraction, which brings the evidence back as a new piece,
        accepts it again as that piece."""
        for start in range(0, len(self.retracted), _BATCH):
            self.conn.execute(
                update(Suggestion)
                .where(Suggestion.state == "accepted",
                       Suggestion.evidence_id.in_(self.retracted[start : start + _BATCH]))
                .values(state="open", decided_at=None, decided_by=None)
            )  # fmt: skip
        self.retracted.clear()
        for old, new in self.restored.items():
            self.conn.execute(
                update(Suggestion)
                .where(Suggestion.state == "open", Suggestion.evidence_id == old)
                .values(state="accepted", evidence_id=new, decided_at=self.now,
                        decided_by=self.actor)
            )  # fmt: skip
        self.restored.clear()

    # -- writing ----------------------------------------------------------------------------

    def flush(self) -> None:
        """Write every queued row; the books are dropped."""
        day, moment = self.rows.day, self.rows.moment
        span_day, span_moment = self.rows.span_day, self.rows.span_moment
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
            spans = book.spans() if book.new or book.dirty else book.stored_spans
            recopied = not book.new and any(row[c] != book.stored[c] for c in SPAN_COPIES)
            # Its status over time, or the claim columns its spans copy, changed: rewritten
            # whole.
            if spans != book.stored_spans or recopied:
                if not book.new:
                    self.rows.respanned.add(book.id)
                copied = [span_day(row[c]) if c in _DAY_COPIES else row[c] for c in SPAN_COPIES]
                self.rows.inserts["status_span"] += [
                    (book.id, span_moment(span.known_from), span_day(span.valid_from),
                     span_day(span.valid_to), span_moment(span.known_to), span.status,
                     span_day(span.resolved_on), span.actual, *copied)
                    for span in spans
                ]  # fmt: skip
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
        self._reopen_suggestions()
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
        """The cache rows of the links in force (tracker.db.models.ClaimLink) of every claim
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

        wanted = set(uids)
        ids = {book.uid: book.id for book in self.books.values() if book.uid in wanted}
        return {**ids_by_uid(self.conn, wanted - ids.keys()), **ids}

    # -- inside ------------------------------------------------------------------------------

    def _event(self, book: Book, kind: str, on: date, stamp: Stamp, from_status: str | None, *,
               evidence_id: int | None = None, resolved_as: str | None = None,
               reason: str | None = None, changes: dict[str, Any] | None = None,
               evidence: dict[str, Any] | None = None,
               actual: str | None = None) -> None:  # fmt: skip
        """Append one event, sealed onto its claim's chain (tracker.ledger.chain)."""
        at = stamp.recorded_at or self.now
        uid = stamp.uid or new_uid()
        actor = stamp.actor or self.actor
        db_user = stamp.db_user if stamp.copied else self.db_user
        book.head = chain.link(book.head, chain.canonical(
            uid=uid, claim_uid=book.uid, event=kind, from_status=from_status,
            to_status=book.status, effective_on=on, recorded_at=at, actor=actor, reason=reason,
            resolved_as=resolved_as, changes=changes, db_user=db_user, evidence=evidence,
            evidence_uid=book.evidence[evidence_id].uid if evidence_id is not None else None,
            actual=actual, undoes=stamp.undoes,
        ))  # fmt: skip
        self.rows.add("claim_event", EventRow(
            id=self.ids.take("claim_event"), uid=uid, claim_id=book.id, event=kind,
            from_status=from_status, to_status=book.status, evidence_id=evidence_id,
            resolved_as=resolved_as, effective_on=self.rows.day(on),
            recorded_at=self.rows.moment(at), actor=actor, reason=reason, actual=actual,
            changes=self.rows.json(changes), db_user=db_user, hash=book.head,
            undoes=stamp.undoes, changeset_id=self._changeset(),
        ))  # fmt: skip
        book.event_uids.add(uid)
        row = book.row
        row["created_at"] = row["created_at"] or at
        row["updated_at"] = max(row["updated_at"] or at, at)
        if changes and kind == "edited":
            book.note_edit(changes, at, uid, stamp.actor or self.actor, reason)
        book.dirty = True

    def _changeset(self) -> int:
        """This command's changeset, made with its first event. Kept with the session: a
        command whose transaction uses several ledgers (`inbox accept` adds each piece of
        evidence through a command of its own) is still one change."""
        if self.changeset_id is None:
            shared = self.session.info.get(_CHANGESET)
            if shared is None:
                shared = self.ids.take("changeset")
                made_at = self.rows.moment(self.now)
                self.rows.add(
                    "changeset",
                    ChangesetRow(id=shared, actor=self.actor, made_at=made_at, undid=self.undid),
                )
                self.session.info[_CHANGESET] = shared
            self.changeset_id = shared
        return self.changeset_id

    def field_value(self, book: Book, name: str) -> Any:
        """A claim field as an `edited` event's changes record it (tracker.ledger.edits)."""
        return edits.field_value(self.provenance, book, name)


_BATCH = 500  # evidence ids named in one UPDATE of suggestions
_CHANGESET = "tracker.changeset"  # Session.info's key for the transaction's changeset id
_CLAIM_VALUES = COLUMNS["claim"][2:]
_DAY_COLUMNS = [i for i, c in enumerate(_CLAIM_VALUES) if c in
                ("said_on", "expected_start", "expected_end", "resolved_on")]  # fmt: skip
_MOMENT_COLUMNS = [i for i, c in enumerate(_CLAIM_VALUES) if c in ("created_at", "updated_at")]
# The span copies that are days (numbers on SQLite: tracker.db.numbered_times).
_DAY_COPIES = {c for c in SPAN_COPIES if isinstance(StatusSpan.__table__.c[c].type, NumberedDay)}
