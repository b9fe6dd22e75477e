"""Applying claim records to the database: idempotent, all-or-nothing, in batches.

A record finds its stored claim by uid, else by key, else (a record without a
key) by normalised text, source and said_on; evidence is found by uid, else by
its content (stance, source, url, date and note); an event of an exported
history by its uid. What is found adds nothing; everything else is handed to
the ledger (tracker.ledger.ledger), which checks and writes it as it does every
command's changes. So a database's export imported anywhere adds exactly the
rows that are missing, with their uids, actors, times and reasons.

Records are matched BATCH at a time, with one query per kind of match, and
the ledger writes each batch with one executemany per table: a large file
imports at driver speed in flat memory (tracker.io.bulk tunes a large one). The
caller runs the whole import in one transaction. How records find what they are
about, and what they may say about it, is tracker.io.matching.

Over 300 lines on purpose: `_apply` and `_event` are one walk through a record's
evidence, history and resolutions, in the order the ledger must see them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from tracker.db.models import is_mysql
from tracker.errors import BadRecords, InvalidField, InvalidInput, TrackerError
from tracker.io.bulk import defer_indexes
from tracker.io.matching import (
    canonical_sources,
    check_same,
    check_same_evidence,
    stored_matches,
    uid_owners,
)
from tracker.io.readers import Unreadable
from tracker.io.records import ClaimIn, EventIn, EvidenceIn, Match, parse
from tracker.ledger import sources
from tracker.ledger.books import Book, EvidenceContent
from tracker.ledger.drafts import ClaimDraft, EvidenceDraft, Stamp
from tracker.ledger.ledger import Ledger
from tracker.ledger.links import check_links
from tracker.ledger.sources import SOURCE_EVENTS

BATCH = 1000
MAX_BAD = 50  # bad records named before a refused import stops looking for more
ANALYZE_AFTER = 10_000  # rows added; smaller imports barely move the statistics
RETRACTED_IN_FILE = "retracted in an imported file"
# Why a claim made from a CSV row has the status the row lists, is withdrawn, duplicates.
LISTED_STATUS = "the status its CSV row gave"
LISTED_WITHDRAWAL = "withdrawn in its CSV row"
LISTED_LINK = "a duplicate in its CSV row"


@dataclass
class Tally:
    """What an import added, by kind, and how much it found already there."""

    claims: int = 0
    evidence: int = 0
    resolutions: int = 0
    other: int = 0  # retractions, edits, withdrawals and restorations
    unread: int = 0  # ratings of a ClaimReview file that said no stance (tracker.claimreview)
    # Claims the files name that were stored before the import and gained nothing from it:
    # a claim named by two records (its file, an outcomes file) is one claim, and one the
    # import itself made is not "unchanged" when a later record names it again.
    stored_untouched: set[int] = field(default_factory=set)
    stored_touched: set[int] = field(default_factory=set)

    @property
    def unchanged(self) -> int:
        return len(self.stored_untouched - self.stored_touched)

    @property
    def added(self) -> int:
        return self.claims + self.evidence + self.resolutions + self.other

    def __str__(self) -> str:
        def counted(n: int, one: str, many: str) -> str:
            return f"{n} {one if n == 1 else many}"

        parts = [counted(self.claims, "claim", "claims"), f"{self.evidence} evidence",
                 counted(self.resolutions, "resolution", "resolutions")]  # fmt: skip
        if self.other:
            parts.append(counted(self.other, "other change", "other changes"))
        line = f"{', '.join(parts)} added; {counted(self.unchanged, 'claim', 'claims')} unchanged"
        if self.unread:
            line += (
                f"; {counted(self.unread, 'rating', 'ratings')} unread (claims kept, no evidence)"
            )
        return line


class Importer:
    """Applies records in batches. A bad record does not stop the import at once: the
    records after it are read and applied too, so that a refused file names every bad
    record (up to MAX_BAD) and the whole import then writes nothing."""

    def __init__(self, session: Session, *, actor: str, today: date, dry_run: bool = False,
                 date_order: str | None = None):  # fmt: skip
        self.ledger = Ledger(session, actor=actor, today=today, dry_run=dry_run)
        self.conn = self.ledger.conn
        self.today = today
        self.date_order = date_order
        self.pending: list[ClaimIn] = []
        self.tally = Tally()
        self.deferred = defer_indexes(self.conn)
        self.read = 0  # records read so far: a bad one's place in the files
        self.places: dict[str, int] = {}  # the pending records' places, by `where`
        self.bad: list[tuple[int, str]] = []  # (place, what is wrong with it, naming it)
        # A resolution of a file found stored under another uid: file uid -> stored uid.
        self.resolution_aliases: dict[str, str] = {}
        # The first claim id this import made: ids only grow, so a claim numbered below it
        # was stored before (a set of every id made would weigh on a million-claim import).
        self.first_created: int | None = None

    def add(self, raw: Any, where: str, *, listed: bool = False) -> None:
        """One record; `listed`: a CSV row (tracker.io.records.parse)."""
        self.read += 1
        if isinstance(raw, Unreadable):
            return self._refuse(self.read, raw.message)
        try:
            record = parse(raw, where, today=self.today, listed=listed, date_order=self.date_order)
        except TrackerError as exc:
            return self._refuse(self.read, str(exc))
        self.places[record.where] = self.read
        self.pending.append(record)
        if len(self.pending) >= BATCH:
            self.flush()

    def finish(self) -> Tally:
        self.flush()
        if self.bad:  # what follows would only find what the bad records left undone
            raise self._refused()
        with _in_file():
            self.ledger.settle()  # every link names a claim the file or the database has
            if self.ledger.relinked:
                check_links(self.ledger.session, self.ledger.relinked, self.today)
        for statement in self.deferred:  # one sort per index, not one insert per row
            self.conn.exec_driver_sql(statement)
        # Fresh statistics, so the planner picks the indexes for what is now there.
        # (InnoDB recounts by itself once a tenth of a table changed; and its ANALYZE
        # TABLE would commit the import halfway, dry run or not.) Every row read: with
        # SQLite's analysis_limit of 1,000 rows an index led by a status was counted as
        # 1,001 claims a status, and `report --as-of` read every decided span instead of
        # the few resolved in its window (1.2 s against 0.02 s at 1,000,000 claims); a
        # whole ANALYZE of those took 3.3 s.
        if self.tally.added >= ANALYZE_AFTER and not is_mysql(self.conn.dialect.name):
            self.conn.exec_driver_sql("ANALYZE")
        return self.tally

    # -- a batch -----------------------------------------------------------------------

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        canonical_sources(self.conn, batch)
        stored = stored_matches(self.conn, batch)
        self.ledger.open(stored.values())
        self.ledger.provenance.prefetch({r.article.url for r in batch if r.article.url})
        self.owners = uid_owners(self.conn, batch)
        # The claims this batch makes, at most: records with text that match nothing
        # stored (two records that name one claim make it once). No more claim ids are
        # taken from a PostgreSQL sequence than used: users type them.
        seen: set[Match] = set()
        creating = 0
        for rec in batch:
            if rec.text is not None and not any(m in stored or m in seen for m in rec.matches):
                creating += 1
            seen.update(rec.matches)
        self.ledger.ids.expect(
            claim=creating,
            evidence=sum(len(r.evidence) for r in batch),
            claim_event=sum(
                1 + len(r.history) + len(r.resolutions) + r.listed_events
                + sum(1 + item.retracted for item in r.evidence)
                for r in batch
            ),
        )  # fmt: skip
        made: dict[Match, int] = {}  # matches of the claims this batch creates
        for rec in batch:
            try:
                claim_id = next(
                    (stored.get(m) or made.get(m) for m in rec.matches if m in stored or m in made),
                    None,
                )
                if claim_id is None:
                    book = self._create(rec)
                    made.update((m, book.id) for m in rec.matches)
                else:
                    self._update(self.ledger.book(claim_id), rec)
            except TrackerError as exc:
                message = described(exc)
                named = message if message.startswith(rec.where) else f"{rec.where}: {message}"
                self._refuse(self.places.get(rec.where, self.read), named)
        if not self.bad:
            self.places.clear()
            self.ledger.flush()
            return
        try:  # written only for the records after them to be checked against; rolled back
            self.ledger.flush()
        except Exception:  # what the bad records left half done: name those, not this
            raise self._refused() from None
        finally:
            self.places.clear()

    def _refuse(self, place: int, message: str) -> None:
        """A bad record: named, and the import goes on to find the others (up to MAX_BAD)."""
        self.bad.append((place, message))
        if len(self.bad) >= MAX_BAD:
            raise self._refused(stopped=True)

    def _refused(self, *, stopped: bool = False) -> BadRecords:
        """The bad records, in the order the files hold them."""
        return BadRecords([message for _, message in sorted(self.bad)], stopped=stopped)

    def _create(self, rec: ClaimIn) -> Book:
        if rec.text is None:
            what = f"key {rec.key!r}" if rec.key is not None else f"uid {rec.uid!r}"
            raise InvalidInput(f"no claim with {what}, and no 'text' to add one")
        said_on = rec.said
        if said_on is None:
            raise InvalidInput("field 'said_on' (or article 'published_on') is required")
        draft = ClaimDraft(
            text=rec.text, said_on=said_on, key=rec.key, subject=rec.subject, source=rec.source,
            article=rec.article, expected=rec.expected, hedge=rec.hedge,
            likelihood=rec.likelihood, tags=rec.tags, quote=rec.quote, uid=rec.uid,
            created_at=rec.created_at, updated_at=rec.updated_at, exported=bool(rec.history),
        )  # fmt: skip
        created = None
        if rec.history and rec.history[0].event == "created":
            first = rec.history[0]
            created = _stamp(first)
        book = self.ledger.create(draft, created, checked=True)
        with _numbered("history event", 1):
            for uid in book.event_uids:
                self._own(uid, book)
        self.tally.claims += 1
        if self.first_created is None:
            self.first_created = book.id
        self._apply(book, rec, created=True)
        self._stand_as_listed(book, rec, said_on)
        return book

    def _stand_as_listed(self, book: Book, rec: ClaimIn, said_on: date) -> None:
        """A claim made from a CSV row stands where the row lists it. A CSV file has no
        evidence or history, so a resolution decides it, on its `resolved_on` (a list
        dates no dispute: a disputed one from the day it was said), saying what actually
        happened; a withdrawal withdraws it, and a link makes it the duplicate it was."""
        if rec.decided_by_listing:
            assert rec.listed_status is not None
            on = rec.listed_on or said_on
            try:
                self.ledger.resolve(book, rec.listed_status, on, LISTED_STATUS,
                                    actual=rec.listed_actual)  # fmt: skip
            except InvalidField as exc:  # the row's field, as the file names it
                field = "resolved_on" if exc.field == "on" else exc.field
                raise InvalidField(field, str(exc)) from None
            self.tally.resolutions += 1
        if rec.listed_withdrawn:
            self.ledger.withdraw(book, True, LISTED_WITHDRAWAL)
            self.tally.other += 1
        if rec.listed_duplicates is not None:
            other = self.ledger.aliases.get(rec.listed_duplicates, rec.listed_duplicates)
            if other == book.uid:
                raise InvalidField("duplicates", "a claim cannot duplicate itself")
            self.ledger.link(book, "duplicates", other, linked=True, reason=LISTED_LINK)
            self.tally.other += 1

    def _update(self, book: Book, rec: ClaimIn) -> None:
        check_same(self.ledger, book, rec)
        if rec.uid is not None and rec.uid != book.uid:  # matched by key or text
            self.ledger.aliases[rec.uid] = book.uid
        before = self.tally.added
        self._apply(book, rec, created=False)
        if self.first_created is None or book.id < self.first_created:  # stored before
            tally = self.tally
            gained = tally.added != before
            (tally.stored_touched if gained else tally.stored_untouched).add(book.id)

    def _apply(self, book: Book, rec: ClaimIn, *, created: bool) -> None:
        """The record's evidence, history, retractions and resolutions that the claim lacks.
        `created`: the claim was made from this record, which holds its current fields."""
        ledger, tally = self.ledger, self.tally
        named = {item.uid for item in rec.evidence if item.uid is not None}
        named_events = {event.uid for event in rec.history}
        found: dict[int, int] = {}  # index in rec.evidence -> evidence id
        for index, item in enumerate(rec.evidence):
            with _numbered("evidence", index + 1):
                content = self._content(item)
                if item.uid is not None and item.uid in book.evidence_uids:
                    said = (item.tier, item.actual)
                    check_same_evidence(book, book.evidence_uids[item.uid], content, said)
                elif item.uid is not None:
                    self._own(item.uid, book)
            evidence_id = book.find_evidence(item.uid, content, exclude=named)
            if evidence_id is not None:
                found[index] = evidence_id
        by_uid = {item.uid: index for index, item in enumerate(rec.evidence) if item.uid}
        for number, event in enumerate(rec.history, start=1):
            if event.uid in book.event_uids:
                # Claims and evidence were counted with their records and items.
                continue
            with _numbered("history event", number):
                self._own(event.uid, book)
                self._event(book, rec, event, number, found, by_uid, named_events, created)
        # What a hand-written record says without a history.
        for index, item in enumerate(rec.evidence):
            if index not in found and item.uid is None:  # the same item twice in the record
                found_id = book.find_evidence(None, self._content(item), exclude=named)
                if found_id is not None:
                    found[index] = found_id
            if index not in found:
                found[index] = self._add(book, item, index, Stamp())
            if item.retracted:
                if found[index] in book.retracted:
                    continue
                reason = item.retract_reason or RETRACTED_IN_FILE
                ledger.retract(book, found[index], reason)
                tally.other += 1
        for number, resolution in enumerate(rec.resolutions, start=1):
            if (resolution.status, resolution.on, resolution.reason) in book.resolutions:
                continue
            with _numbered("resolution", number):
                stamp = Stamp(actor=resolution.by, recorded_at=resolution.recorded_at)
                ledger.resolve(book, resolution.status, resolution.on, resolution.reason, stamp,
                               actual=resolution.actual)  # fmt: skip
            tally.resolutions += 1

    def _event(self, book: Book, rec: ClaimIn, event: EventIn, number: int, found: dict[int, int],
               by_uid: dict[str, int], named_events: set[str], created: bool) -> None:  # fmt: skip
        """One event of the record's history that the claim lacks (by uid)."""
        ledger, tally = self.ledger, self.tally
        stamp = _stamp(event)
        if event.event == "created":  # a stored claim has its own creation
            if number != 1:
                raise InvalidInput("a claim is created once, by its first event")
        elif event.event == "evidence_added":
            index = by_uid.get(event.evidence_uid or "")
            if index is None:
                raise InvalidInput(
                    f"evidence_uid {event.evidence_uid} is not in the record's evidence"
                )
            if index not in found:
                found[index] = self._add(book, rec.evidence[index], index, stamp, event.actual)
        elif event.event == "evidence_retracted":
            evidence_id = found.get(by_uid.get(event.evidence_uid or "", -1))
            evidence_id = evidence_id or book.evidence_uids.get(event.evidence_uid or "")
            if evidence_id is None:
                raise InvalidInput(f"evidence_uid {event.evidence_uid} names no evidence")
            if evidence_id in book.retracted:
                return
            ledger.retract(book, evidence_id, event.reason or RETRACTED_IN_FILE, stamp)
            tally.other += 1
        elif event.event == "resolved":
            # The same resolution under another uid (a database copied before uids, or the
            # same hand-written file loaded twice) is the same resolution.
            assert event.resolved_as is not None
            content = (event.resolved_as, event.effective_on, event.reason)
            if book.known(book.resolutions, content, exclude=named_events):
                # A retraction of it in the file names it by the file's uid.
                stored = [u for u in book.resolutions[content] if u not in named_events]
                self.resolution_aliases[event.uid] = stored[0]
                return
            ledger.resolve(book, event.resolved_as, event.effective_on, event.reason or "", stamp,
                           actual=event.actual)  # fmt: skip
            tally.resolutions += 1
        elif event.event in ("linked", "unlinked"):
            assert event.changes is not None
            kind = event.changes["kind"]
            other = ledger.aliases.get(event.changes["claim"], event.changes["claim"])
            if other == book.uid:
                raise InvalidInput(f"claim {book.id} cannot be linked to itself")
            ledger.link(book, kind, other, linked=event.event == "linked", reason=event.reason,
                        stamp=stamp)  # fmt: skip
            tally.other += 1
        elif event.event == "resolution_retracted":
            assert event.undoes is not None
            resolution = self.resolution_aliases.get(event.undoes, event.undoes)
            if resolution in book.cancelled:
                return
            ledger.retract_resolution(book, resolution, event.reason or "", stamp)
            tally.other += 1
        elif event.event in ("withdrawn", "restored"):
            ledger.withdraw(book, event.event == "withdrawn", event.reason or "", stamp)
            tally.other += 1
        elif event.event in SOURCE_EVENTS:  # a source renamed or merged there: here too
            assert event.changes is not None
            if sources.replay(ledger, book, event.event, event.changes, event.reason, stamp,
                              named=named_events):  # fmt: skip
                tally.other += 1
        elif event.event == "edited":
            assert event.changes is not None
            edit = (event.recorded_at, event.actor, event.reason,
                    json.dumps(event.changes, sort_keys=True))  # fmt: skip
            if book.known(book.edits, edit, exclude=named_events):
                return
            ledger.merge_edit(book, event.changes, event.reason, stamp, apply=not created)
            tally.other += 1

    def _add(self, book: Book, item: EvidenceIn, index: int, stamp: Stamp,
             actual: str | None = None) -> int:  # fmt: skip
        if item.uid is not None:
            self._own(item.uid, book)
        draft = EvidenceDraft(
            stance=item.stance, on=item.on, source=item.source, url=item.url, note=item.note,
            uid=item.uid, recorded_at=item.recorded_at, recorded_by=item.recorded_by,
            tier=item.tier, actual=item.actual or actual,
            source_as_recorded=item.source_as_recorded,
        )  # fmt: skip
        with _numbered("evidence", index + 1):
            change = self.ledger.add_evidence(book, draft, stamp)
        self.tally.evidence += 1
        assert change.evidence_id is not None
        return change.evidence_id

    def _content(self, item: EvidenceIn) -> EvidenceContent:
        source_id = self.ledger.provenance.source_id(item.source)
        return (item.stance, source_id, item.url, item.on, item.note)

    def _own(self, uid: str, book: Book) -> None:
        """Refuse a uid that already names a row of another claim (stored, or in this file)."""
        owner = self.owners.get(uid)
        if owner is not None and owner != book.id:
            raise InvalidInput(f"uid {uid} already names a row of claim {owner}")
        self.owners[uid] = book.id


def _stamp(event: EventIn) -> Stamp:
    """An event of a file's history, stamped as it was recorded (its db_user included)."""
    return Stamp(event.uid, event.actor, event.recorded_at, event.effective_on, copied=True,
                 db_user=event.db_user, undoes=event.undoes)  # fmt: skip


@contextmanager
def _in_file() -> Iterator[None]:
    """An error found after the last record (a link to a claim nowhere): the file's."""
    try:
        yield
    except TrackerError as exc:
        raise InvalidInput(f"in the file: {described(exc)}") from None


@contextmanager
def _numbered(what: str, number: int) -> Iterator[None]:
    """Name the part of a record (by its place in the record) an error is about."""
    prefix = f"{what} {number}: "
    try:
        yield
    except TrackerError as exc:
        message = described(exc)
        raise InvalidInput(message if message.startswith(prefix) else prefix + message) from None


def described(error: TrackerError) -> str:
    """The error's message, naming its field first if it is about one."""
    message = str(error)
    if isinstance(error, InvalidField) and not message.startswith("field "):
        return f"field {error.field!r}: {message}"
    return message
