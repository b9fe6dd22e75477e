"""Applying claim records to the database: idempotent, all-or-nothing, in batches.

A record finds its stored claim by uid, else by key, else (a record without a
key) by normalised text, source and said_on; evidence is found by uid, else by
its content (stance, source, url, date and note); an event of an exported
history by its uid. What is found adds nothing; everything else is handed to
the ledger (tracker.ledger), which checks and writes it as it does every
command's changes. So a database's export imported anywhere adds exactly the
rows that are missing, with their uids, actors, times and reasons.

Records are matched BATCH at a time, with one query per kind of match, and
the ledger writes each batch with one executemany per table: a large file
imports at driver speed in flat memory. The caller runs the whole import in
one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from tracker.errors import InvalidField, InvalidInput, TrackerError
from tracker.io.records import ClaimIn, EventIn, EvidenceIn, parse
from tracker.ledger import Book, ClaimDraft, EvidenceDraft, Ledger, Stamp
from tracker.models import Claim, ClaimEvent, Evidence, Source, is_mysql
from tracker.text import normalise
from tracker.views import ids_by_uid

BATCH = 1000
ANALYZE_AFTER = 10_000  # rows added; smaller imports barely move the statistics
RETRACTED_IN_FILE = "retracted in an imported file"


@dataclass
class Tally:
    """What an import added, by kind, and how much it found already there."""

    claims: int = 0
    evidence: int = 0
    resolutions: int = 0
    other: int = 0  # retractions, edits, withdrawals and restorations
    unchanged: int = 0

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
        return f"{', '.join(parts)} added; {self.unchanged} unchanged"


# Indexes only reads use (lists, reports, sources), never the import's own lookups: into
# an empty SQLite database they are dropped for the import and built at its end, in the
# same transaction (a failed import puts them back with everything else).
DEFERRABLE = (
    "ix_claim_status_expected_end", "ix_claim_status_id", "ix_claim_status_resolved_on",
    "ix_claim_said_on", "ix_claim_source_status_cover", "ix_claim_subject_folded",
    "ix_claim_withdrawn", "ix_claim_tag_tag_folded", "ix_evidence_repeat",
    "ix_claim_event_recorded_at",
)  # fmt: skip


def _defer_indexes(conn: Any) -> list[str]:
    """Drop the deferrable indexes of an empty SQLite database; the statements that remake them."""
    if conn.dialect.name != "sqlite" or conn.exec_driver_sql("SELECT 1 FROM claim LIMIT 1").first():
        return []
    marks = ", ".join("?" * len(DEFERRABLE))
    query = f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ({marks})"
    found = conn.exec_driver_sql(query, DEFERRABLE).all()
    for name, _ in found:
        conn.exec_driver_sql(f"DROP INDEX {name}")
    return [sql for _, sql in found]


class Importer:
    def __init__(self, session: Any, *, actor: str, today: date, dry_run: bool = False):
        self.ledger = Ledger(session, actor=actor, today=today, dry_run=dry_run)
        self.conn = self.ledger.conn
        self.today = today
        self.pending: list[ClaimIn] = []
        self.tally = Tally()
        self.deferred = _defer_indexes(self.conn)

    def add(self, raw: Any, where: str) -> None:
        self.pending.append(parse(raw, where, today=self.today))
        if len(self.pending) >= BATCH:
            self.flush()

    def finish(self) -> Tally:
        self.flush()
        with _in_file():
            self.ledger.settle()  # every link names a claim the file or the database has
            if self.ledger.relinked:
                from tracker.links import check_links

                check_links(self.ledger.session, self.ledger.relinked, self.today)
        for statement in self.deferred:  # one sort per index, not one insert per row
            self.conn.exec_driver_sql(statement)
        if self.tally.added >= ANALYZE_AFTER:
            # Fresh statistics, so the planner picks the indexes for what is now there.
            # (InnoDB recounts by itself once a tenth of a table changed; and its
            # ANALYZE TABLE would commit the import halfway, dry run or not.)
            dialect = self.conn.dialect.name
            if dialect == "sqlite":
                self.conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
            if not is_mysql(dialect):
                self.conn.exec_driver_sql("ANALYZE")
        return self.tally

    # -- a batch -----------------------------------------------------------------------

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        stored = self._stored_matches(batch)
        self.ledger.open(stored.values())
        self.ledger.provenance.prefetch({r.article.url for r in batch if r.article.url})
        self.owners = self._uid_owners(batch)
        # The claims this batch makes, at most: records with text that match nothing
        # stored (two records that name one claim make it once). No more claim ids are
        # taken from a PostgreSQL sequence than used: users type them.
        seen: set[tuple] = set()
        creating = 0
        for rec in batch:
            if rec.text is not None and not any(m in stored or m in seen for m in rec.matches):
                creating += 1
            seen.update(rec.matches)
        self.ledger.ids.expect(
            claim=creating,
            evidence=sum(len(r.evidence) for r in batch),
            claim_event=sum(
                1 + len(r.history) + len(r.resolutions)
                + sum(1 + item.retracted for item in r.evidence)
                for r in batch
            ),
        )  # fmt: skip
        made: dict[tuple, int] = {}  # matches of the claims this batch creates
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
                raise InvalidInput(
                    message if message.startswith(rec.where) else f"{rec.where}: {message}"
                ) from None
        self.ledger.flush()

    def _stored_matches(self, batch: list[ClaimIn]) -> dict[tuple, int]:
        """Stored claims that records of this batch refer to, by match."""
        found: dict[tuple, int] = {}
        uids = {rec.uid for rec in batch if rec.uid is not None}
        found.update((("uid", uid), id_) for uid, id_ in ids_by_uid(self.conn, uids).items())
        keys = {rec.key for rec in batch if rec.key is not None}
        if keys:
            query = select(Claim.key, Claim.id).where(Claim.key.in_(keys))
            found.update((("key", key), id_) for key, id_ in self.conn.execute(query))
        hashes = {m[1] for rec in batch for m in rec.matches if m[0] == "text"}
        if hashes:
            query = (
                select(Claim.text_hash, Source.name_folded, Claim.said_on, Claim.id)
                .outerjoin(Source, Claim.source_id == Source.id)
                .where(Claim.text_hash.in_(hashes))
                .order_by(Claim.id)
            )
            twins: dict[int, tuple] = {}
            for text_hash, source, said_on, id_ in self.conn.execute(query):
                twins[id_] = ("text", text_hash, source or "", said_on)
                found.setdefault(twins[id_], id_)
            # A stored claim that a record names by uid is what that record says it is now:
            # if its text, source or date changed since, it is no longer a twin of another
            # record that says what it used to (that record is a claim of its own).
            for rec in batch:
                id_ = found.get(("uid", rec.uid))
                if id_ in twins and twins[id_] not in rec.matches and found[twins[id_]] == id_:
                    del found[twins[id_]]
        return found

    def _uid_owners(self, batch: list[ClaimIn]) -> dict[str, int]:
        """{uid: claim id} for the evidence and event uids of this batch already stored."""
        owners: dict[str, int] = {}
        for model, uids in (
            (Evidence, {i.uid for r in batch for i in r.evidence if i.uid is not None}),
            (ClaimEvent, {e.uid for r in batch for e in r.history}),
        ):
            if uids:
                query = select(model.uid, model.claim_id).where(model.uid.in_(uids))
                owners.update(self.conn.execute(query).all())  # .all(): a Result has .keys()
        return owners

    # -- one record ----------------------------------------------------------------------

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
        self._apply(book, rec, created=True)
        return book

    def _update(self, book: Book, rec: ClaimIn) -> None:
        check_same(self.ledger, book, rec)
        if rec.uid is not None and rec.uid != book.uid:  # matched by key or text
            self.ledger.aliases[rec.uid] = book.uid
        self.tally.unchanged += 1
        self._apply(book, rec, created=False)

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
                    _check_same_evidence(book, book.evidence_uids[item.uid], content, said)
                elif item.uid is not None:
                    self._own(item.uid, book)
            evidence_id = book.find_evidence(item.uid, content, exclude=named)
            if evidence_id is not None:
                found[index] = evidence_id
                tally.unchanged += 1
        by_uid = {item.uid: index for index, item in enumerate(rec.evidence) if item.uid}
        for number, event in enumerate(rec.history, start=1):
            if event.uid in book.event_uids:
                # Claims and evidence were counted with their records and items.
                tally.unchanged += event.event not in ("created", "evidence_added")
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
                    tally.unchanged += 1
            if index not in found:
                found[index] = self._add(book, item, index, Stamp())
            if item.retracted:
                if found[index] in book.retracted:
                    tally.unchanged += 1
                    continue
                reason = item.retract_reason or RETRACTED_IN_FILE
                ledger.retract(book, found[index], reason)
                tally.other += 1
        for number, resolution in enumerate(rec.resolutions, start=1):
            if (resolution.status, resolution.on, resolution.reason) in book.resolutions:
                tally.unchanged += 1
                continue
            with _numbered("resolution", number):
                stamp = Stamp(actor=resolution.by, recorded_at=resolution.recorded_at)
                ledger.resolve(book, resolution.status, resolution.on, resolution.reason, stamp,
                               actual=resolution.actual)  # fmt: skip
            tally.resolutions += 1

    def _event(self, book, rec, event, number, found, by_uid, named_events, created) -> None:
        """One event of the record's history that the claim lacks (by uid)."""
        ledger, tally = self.ledger, self.tally
        stamp = _stamp(event)
        if event.event == "created":  # a stored claim has its own creation
            if number != 1:
                raise InvalidInput("a claim is created once, by its first event")
        elif event.event == "evidence_added":
            index = by_uid.get(event.evidence_uid)
            if index is None:
                raise InvalidInput(
                    f"evidence_uid {event.evidence_uid} is not in the record's evidence"
                )
            if index not in found:
                found[index] = self._add(book, rec.evidence[index], index, stamp, event.actual)
        elif event.event == "evidence_retracted":
            evidence_id = found.get(by_uid.get(event.evidence_uid, -1))
            evidence_id = evidence_id or book.evidence_uids.get(event.evidence_uid or "")
            if evidence_id is None:
                raise InvalidInput(f"evidence_uid {event.evidence_uid} names no evidence")
            if evidence_id in book.retracted:
                tally.unchanged += 1
                return
            ledger.retract(book, evidence_id, event.reason or RETRACTED_IN_FILE, stamp)
            tally.other += 1
        elif event.event == "resolved":
            # The same resolution under another uid (a database copied before uids, or the
            # same hand-written file loaded twice) is the same resolution.
            assert event.resolved_as is not None
            content = (event.resolved_as, event.effective_on, event.reason)
            if book.known(book.resolutions, content, exclude=named_events):
                tally.unchanged += 1
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
        elif event.event in ("withdrawn", "restored"):
            ledger.withdraw(book, event.event == "withdrawn", event.reason or "", stamp)
            tally.other += 1
        elif event.event == "edited":
            assert event.changes is not None
            content = (event.recorded_at, event.actor, event.reason,
                       json.dumps(event.changes, sort_keys=True))  # fmt: skip
            if book.known(book.edits, content, exclude=named_events):
                tally.unchanged += 1
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
        )  # fmt: skip
        with _numbered("evidence", index + 1):
            change = self.ledger.add_evidence(book, draft, stamp)
        self.tally.evidence += 1
        assert change.evidence_id is not None
        return change.evidence_id

    def _content(self, item: EvidenceIn) -> tuple:
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
                 db_user=event.db_user)  # fmt: skip


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


EVIDENCE_CONTENT = ("stance", "source", "url", "on", "note", "tier", "actual")


def _check_same_evidence(book: Book, evidence_id: int, content: tuple, said: tuple) -> None:
    """An item with the uid of stored evidence must say what that evidence says. (Matched
    by content, hand-written, the stored evidence stands: it cannot change.)"""
    stored = book.evidence[evidence_id]
    pairs = zip(EVIDENCE_CONTENT, (*stored.content, *stored.said), (*content, *said), strict=True)
    for name, mine, theirs in pairs:
        if mine != theirs:
            raise InvalidInput(
                f"field {name!r} differs from stored evidence {evidence_id}, which has this "
                "uid; evidence cannot change (retract it and add the corrected one)"
            )


def check_same(ledger: Ledger, book: Book, rec: ClaimIn) -> None:
    """A record for a stored claim may repeat its fields, but not contradict them.

    A field that edits changed may hold the stored value, or the value the record's own
    history gives it: its latest edit's, else (the record's database never saw an edit)
    the value from before the first stored edit. An article field the claim lacks is
    filled in.
    """
    row = book.row
    recorded: dict[str, Any] = {}  # field -> its value after the record's latest edit of it
    edits = (e for e in rec.history if e.event == "edited" and e.changes)
    for event in sorted(edits, key=lambda e: (e.recorded_at, e.uid)):
        recorded.update((name, new) for name, (_, new) in (event.changes or {}).items())
    # Every value as an edit's `changes` records it: source names, ISO dates, windows.
    fields = ("key", "text", "subject", "source", "said_on", "expected", "hedge", "likelihood",
              "tags")  # fmt: skip
    stored = {name: ledger.field_value(book, name) for name in fields}
    given = {
        "key": rec.key, "text": rec.text, "subject": rec.subject, "source": rec.source,
        "said_on": rec.said_on.isoformat() if rec.said_on else None, "expected": rec.expected,
        "hedge": rec.hedge, "likelihood": rec.likelihood, "tags": rec.tags,
    }  # fmt: skip
    names = set(rec.given) & set(stored)
    if "hedge" in rec.given:
        names.add("likelihood")
    if "tags" in book.edited or "tags" in recorded:
        names.discard("tags")  # merged tag by tag: any mix of both sides' tags is right
    for name in sorted(names):
        allowed = [stored[name]]
        if name in recorded:
            allowed.append(recorded[name])
        elif name in book.originals:
            allowed.append(book.originals[name][1])
        if not any(_same_value(name, given[name], value) for value in allowed):
            shown = stored[name]["text"] if name == "expected" and stored[name] else stored[name]
            raise InvalidInput(
                f"field {name!r} differs from stored claim {book.id} "
                f"({shown!r} stored, {given[name]!r} given); `tracker edit` changes it"
            )
    # The article is the edits' to decide when either side edited it; else a field the
    # claim lacks is filled in, and one that contradicts it is an error.
    if rec.article and "article" not in book.edited and "article" not in recorded:
        article_id = ledger.provenance.article_id(rec.article, current=row["article_id"])
        if article_id != row["article_id"]:  # the claim had none: the record names it
            row["article_id"], book.dirty = article_id, True
    # The sentence a claim was extracted from: filled in if it had none, never replaced.
    if rec.quote is not None and rec.quote != row["quote"]:
        if row["quote"] is not None:
            raise InvalidInput(
                f"field 'quote' differs from stored claim {book.id}, which keeps the sentence "
                "it was first logged from"
            )
        row["quote"], book.dirty = rec.quote, True


def _same_value(name: str, given: Any, value: Any) -> bool:
    """A record's field against a stored value or an edit's (as `changes` record them)."""
    if name in ("text", "source"):  # the same text, the same source, whatever the case
        return value is not None and normalise(given or "") == normalise(value)
    if name == "expected":  # the record gives the phrase; an edit records the window
        return given == (value["text"] if isinstance(value, dict) else value)
    if name == "tags":
        return sorted(given or ()) == sorted(value or ())
    return bool(given == value)
