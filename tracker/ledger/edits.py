"""A claim's fields as edits see them: read as an `edited` event's `changes` record
them, set to a new value under the rules a new claim's values obey (a key names one
claim, a keyless claim's text, source and date name one claim, a window fits its
claim). The ledger (tracker.ledger.ledger) records the edit; this module is what it means.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from tracker.db.models import Claim
from tracker.errors import DuplicateKey, InvalidField, InvalidInput
from tracker.ledger.books import Book
from tracker.ledger.provenance import Provenance
from tracker.rules import hedges
from tracker.rules.claim_fields import FIELD
from tracker.rules.dates import expected_window, parse_window, refuse_over
from tracker.rules.identity import digest
from tracker.rules.tags import clean_tags
from tracker.rules.text import (
    check_key,
    checked_source_name,
    normalise,
    not_after,
    one_of,
)

if TYPE_CHECKING:
    from tracker.rules.dates import Window

# The fields a claim without a key is known by: no two such claims may share them.
IDENTITY = ("text", "source", "said_on", "key")


@lru_cache(maxsize=4096)
def window(phrase: str, said_on: date, as_stored: bool = False) -> Window:
    """A new claim's window: an exported claim's as it was stored, else checked to fit."""

    return parse_window(phrase, said_on) if as_stored else expected_window(phrase, said_on)


def refuse_key(conn: Connection, key: str, this: int | None = None) -> None:
    """A key names one claim: refuse it if another claim (not `this`) has it."""
    taken = conn.execute(select(Claim.id).where(Claim.key == key)).scalar()
    if taken is not None and taken != this:
        raise DuplicateKey(f"a claim with key {key!r} already exists (claim {taken})", taken)


def refuse_twin(
    conn: Connection, text_norm: str, source_id: int | None, said_on: date, this: int | None = None
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
    twin = conn.execute(query.limit(1)).scalar()
    if twin is not None:
        raise DuplicateKey(
            f"claim {twin} already says this (same text, source and date); "
            "give each a --key to record both",
            twin,
        )


def set_field(provenance: Provenance, book: Book, name: str, value: Any) -> None:
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
            refuse_over(window.get("text") or "", end, row["said_on"])
        row["expected_text"] = window.get("text")
        row["expected_start"], row["expected_end"] = _day(window.get("start")), end
    elif name == "likelihood":
        row["likelihood"] = value
    elif name == "tags":
        book.tags, book.retag = sorted(value), True
    elif name == "source":
        row["source_id"] = provenance.source_id(value)
    elif name == "said_on":
        _move_said_on(book, date.fromisoformat(value))
    elif name == "hedge":
        row["hedge"] = value
    elif name == "key":
        if value is not None and value != row["key"]:
            refuse_key(provenance.conn, value, book.id)
        row["key"] = value
    elif name == "article":
        row["article_id"] = provenance.article_set(row["article_id"], value)
    else:  # pragma: no cover - claim_fields.EDITABLE lists every name handled here
        raise AssertionError(name)
    if name in IDENTITY:
        if row["key"] is None and not book.new:
            refuse_twin(
                provenance.conn, row["text_norm"], row["source_id"], row["said_on"], book.id
            )
        rehash(book)


def _move_said_on(book: Book, said_on: date) -> None:
    row = book.row
    early = [item for item in book.steps if item.effective_on < said_on]
    if early:
        raise InvalidInput(
            f"claim {book.id} has evidence or a resolution on {early[0].effective_on}, "
            f"before {said_on}"
        )
    row["said_on"] = said_on  # the window, read again from here, is checked as it is set


def field_value(provenance: Provenance, book: Book, name: str) -> Any:
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
        return provenance.source_name(row["source_id"])
    if name == "said_on":
        return row["said_on"].isoformat()
    if name == "article":
        return provenance.article_value(row["article_id"])
    return row[name]


def check_edit_value(name: str, value: Any, today: date) -> None:
    """A value an edit from a file gives a field, held to the rules a command's edit obeys
    (the window against said_on, and a new key's uniqueness, are checked as it is set)."""

    optional = name not in ("text", "source", "said_on", "tags")  # every claim has these
    try:
        if value is None and optional:
            return
        if name == "text":
            FIELD["text"].cleaned(value)
        elif name == "subject":
            FIELD["subject"].cleaned(value)
        elif name == "source":
            checked_source_name(value)
        elif name == "said_on":
            not_after(date.fromisoformat(value), today)
        elif name == "expected":
            FIELD["expected"].cleaned(value["text"])
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


def rehash(book: Book) -> None:
    row = book.row
    row["twin_hash"] = (
        digest(row["text_norm"], str(row["source_id"] or ""), row["said_on"].isoformat())
        if row["key"] is None
        else None
    )


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None
