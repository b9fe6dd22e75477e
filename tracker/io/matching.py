"""How an imported record finds what it is about, and what it may say about it.

A record finds its stored claim by uid, else by key, else (a record without a key)
by normalised text, source and said_on; a uid already stored names a row of one
claim only. A record for a stored claim may repeat that claim's fields, not
contradict them; an evidence item with a stored uid must say what that evidence says.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import aliased

from tracker.db.models import Claim, ClaimEvent, Evidence, Source
from tracker.errors import InvalidInput
from tracker.io.records import ClaimIn, Match
from tracker.ledger.books import Book, EvidenceContent, link_spans
from tracker.ledger.ledger import Ledger
from tracker.ledger.sources import SOURCE_EVENTS
from tracker.queries.views import ids_by_uid
from tracker.rules.text import normalise


def stored_matches(conn: Connection, batch: list[ClaimIn]) -> dict[Match, int]:
    """Stored claims that records of this batch refer to, by match."""
    found: dict[Match, int] = {}
    uids = {rec.uid for rec in batch if rec.uid is not None}
    found.update((("uid", uid), id_) for uid, id_ in ids_by_uid(conn, uids).items())
    keys = {rec.key for rec in batch if rec.key is not None}
    if keys:
        by_key = select(Claim.key, Claim.id).where(Claim.key.in_(keys))
        found.update((("key", key), id_) for key, id_ in conn.execute(by_key))
    hashes = {m[1] for rec in batch for m in rec.matches if m[0] == "text"}
    if hashes:
        query = (
            select(Claim.text_hash, Source.name_folded, Claim.said_on, Claim.id)
            .outerjoin(Source, Claim.source_id == Source.id)
            .where(Claim.text_hash.in_(hashes))
            .order_by(Claim.id)
        )
        twins: dict[int, Match] = {}
        for text_hash, source, said_on, id_ in conn.execute(query):
            twins[id_] = ("text", text_hash, source or "", said_on)
            found.setdefault(twins[id_], id_)
        # A stored claim that a record names by uid is what that record says it is now:
        # if its text, source or date changed since, it is no longer a twin of another
        # record that says what it used to (that record is a claim of its own).
        # (Two keyed claims may say the same: the first record to name one may have
        # dropped that content already.)
        for rec in batch:
            named = found.get(("uid", rec.uid))
            twin = twins.get(named) if named is not None else None
            if twin is not None and twin not in rec.matches and found.get(twin) == named:
                del found[twin]
    return found


def uid_owners(conn: Connection, batch: list[ClaimIn]) -> dict[str, int]:
    """{uid: claim id} for the evidence and event uids of this batch already stored."""
    owners: dict[str, int] = {}
    for model, uids in (
        (Evidence, {i.uid for r in batch for i in r.evidence if i.uid is not None}),
        (ClaimEvent, {e.uid for r in batch for e in r.history}),
    ):
        if uids:
            query = select(model.uid, model.claim_id).where(model.uid.in_(uids))
            owners.update(conn.execute(query).all())  # .all(): a Result has .keys()
    return owners


# -- one record ----------------------------------------------------------------------


EVIDENCE_CONTENT = ("stance", "source", "url", "on", "note", "tier", "actual")


def check_same_evidence(
    book: Book, evidence_id: int, content: EvidenceContent, said: tuple[str | None, str | None]
) -> None:
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
    filled in, and so is a hedge word that gives the likelihood the claim has. A CSV
    row's listed status must be the claim's.
    """
    row = book.row
    recorded: dict[str, Any] = {}  # field -> its value after the record's latest edit of it
    edits = (e for e in rec.history if e.event == "edited" and e.changes)
    for event in sorted(edits, key=lambda e: (e.recorded_at, e.uid)):
        recorded.update((name, new) for name, (_, new) in (event.changes or {}).items())
    # Every value as an edit's `changes` records it: source names, ISO dates, windows.
    fields = ("key", "text", "subject", "source", "said_on", "expected", "hedge", "likelihood",
              "tags")  # fmt: skip
    names = set(rec.given).intersection(fields)
    if "hedge" in rec.given:
        names.add("likelihood")
    if "tags" in book.edited or "tags" in recorded:
        names.discard("tags")  # merged tag by tag: any mix of both sides' tags is right
    _check_listed(book, rec, ledger.today, ledger.aliases)
    # A hedge the claim lacks is filled in when the record's likelihood is the claim's (a
    # claim copied from `list --format csv`, which lists the likelihood alone).
    lacks_hedge = row["hedge"] is None and "hedge" not in book.edited and "hedge" not in recorded
    if lacks_hedge and rec.hedge is not None and rec.likelihood == row["likelihood"]:
        row["hedge"], book.dirty = rec.hedge, True
    # Only the fields the record gives (a weekly evidence batch gives its key alone).
    stored = {name: ledger.field_value(book, name) for name in names}
    given = {
        "key": rec.key, "text": rec.text, "subject": rec.subject, "source": rec.source,
        "said_on": rec.said_on.isoformat() if rec.said_on else None, "expected": rec.expected,
        "hedge": rec.hedge, "likelihood": rec.likelihood, "tags": rec.tags,
    }  # fmt: skip
    for name in sorted(names):
        if name == "source" and _same_source(ledger, book, rec):
            continue
        allowed = [stored[name]]
        if name in recorded:
            allowed.append(recorded[name])
        elif name in book.originals:
            allowed.append(book.originals[name][1])
        if not any(_same_value(name, given[name], value) for value in allowed):
            shown = stored[name]["text"] if name == "expected" and stored[name] else stored[name]
            raise _differs(name, book, shown, given[name], "tracker edit")
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


def _same_source(ledger: Ledger, book: Book, rec: ClaimIn) -> bool:
    """The record names the claim's source: by a name of it here (a former name, one merged
    into it), or by a name that the record's own history renames or merges it to (the
    other database renamed it; the record's events do so here next)."""
    stored = book.row["source_id"]
    if rec.source is None or stored is None:
        return False
    names = {normalise(rec.source)}
    moves = (e for e in rec.history if e.event in SOURCE_EVENTS and e.changes)
    for event in sorted(moves, key=lambda e: (e.recorded_at, e.uid), reverse=True):
        old, new = next(iter((event.changes or {}).values()))
        if normalise(new) in names:
            names.add(normalise(old))
    return any(ledger.provenance.find_source(name) == stored for name in names)


def canonical_sources(conn: Connection, batch: list[ClaimIn]) -> None:
    """Records that name a source by another name of it (a former name, one merged into it)
    name it by its own: an import naming the old spelling lands on the new one, and finds
    the claims stored under it."""
    names = {normalise(rec.source) for rec in batch if rec.source is not None}
    if not names:
        return
    own = aliased(Source)
    query = (
        select(Source.name_folded, own.name)
        .join(own, own.id == Source.alias_of)
        .where(Source.name_folded.in_(names))
    )
    current = dict(conn.execute(query).all())  # .all(): a Result has .keys()
    for rec in batch:
        if rec.source is not None and normalise(rec.source) in current:
            rec.source = current[normalise(rec.source)]


def _same_value(name: str, given: Any, value: Any) -> bool:
    """A record's field against a stored value or an edit's (as `changes` record them)."""
    if name in ("text", "source"):  # the same text, the same source, whatever the case
        return value is not None and normalise(given or "") == normalise(value)
    if name == "expected":  # the record gives the phrase; an edit records the window
        return bool(given == (value["text"] if isinstance(value, dict) else value))
    if name == "tags":
        return sorted(given or ()) == sorted(value or ())
    return bool(given == value)


def _check_listed(book: Book, rec: ClaimIn, today: date, aliases: dict[str, str]) -> None:
    """A CSV row lists where its claim stood; the stored claim must stand there too. (A
    list from before a retraction, or of an earlier day, would otherwise rewrite what
    happened; a status changed in the sheet is `tracker resolve`'s to record, a
    withdrawal `tracker withdraw`'s, a link `tracker link`'s.) A cell left empty says
    nothing."""
    if rec.listed_status is not None and rec.listed_status != book.status:
        raise _differs("status", book, book.status, rec.listed_status, "tracker resolve")
    resolved_on = book.row["resolved_on"]
    if rec.listed_on is not None and rec.listed_on != resolved_on:
        stored = resolved_on.isoformat() if resolved_on is not None else None
        given = rec.listed_on.isoformat()
        raise _differs("resolved_on", book, stored, given, "tracker resolve")
    actual = book.fold.outcome.actual
    if rec.listed_actual is not None and rec.listed_actual != actual:
        raise _differs("actual", book, actual, rec.listed_actual, "tracker resolve --actual")
    withdrawn = bool(book.row["withdrawn"])
    if rec.listed_withdrawn is not None and rec.listed_withdrawn != withdrawn:
        command = "tracker restore" if withdrawn else "tracker withdraw"
        raise _differs("withdrawn", book, withdrawn, rec.listed_withdrawn, command)
    if rec.listed_duplicates is not None:
        held = [
            other
            for kind, other, start, end in link_spans(book.links)
            if kind == "duplicates" and start <= today and (end is None or end > today)
        ]
        if aliases.get(rec.listed_duplicates, rec.listed_duplicates) not in held:
            stored = held[0] if held else None
            raise _differs("duplicates", book, stored, rec.listed_duplicates, "tracker link")


def _differs(name: str, book: Book, stored: Any, given: Any, command: str) -> InvalidInput:
    """A record's field that contradicts its stored claim, and the command that changes it."""
    return InvalidInput(
        f"field {name!r} differs from stored claim {book.id} ({stored!r} stored, {given!r} "
        f"given); `{command}` changes it"
    )
