"""Claims: logging them, finding them, correcting them (listing them: tracker.queries.listing)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from tracker.commands.links import refuse_duplicate_before_original
from tracker.errors import InvalidInput
from tracker.ledger.drafts import ClaimDraft
from tracker.ledger.ledger import Ledger
from tracker.ledger.provenance import ArticleRef
from tracker.queries.lookup import claim_id
from tracker.queries.views import ClaimView, view
from tracker.rules import hedges
from tracker.rules.dates import expected_window, read_date
from tracker.rules.tags import clean_tags, merge_tags
from tracker.rules.text import (
    MAX_TEXT,
    check_key,
    checked_source_name,
    clean,
    clean_optional,
    normalise,
)


@dataclass
class NewClaim:
    """A claim as given on the command line or in a file (dates still as text)."""

    text: str
    subject: str | None = None
    source: str | None = None
    article_url: str | None = None
    article_title: str | None = None
    article_outlet: str | None = None
    article_date: str | None = None
    said_on: str | None = None
    expected: str | None = None
    hedge: str | None = None
    likelihood: float | None = None
    tags: Sequence[str] = ()
    key: str | None = None


def add_claim(session: Session, new: NewClaim, *, actor: str, today: date) -> ClaimView:
    """Log a claim given as the command line gives it; said_on defaults to the
    article's date, else today."""

    ledger = Ledger(session, actor=actor, today=today)
    article = ArticleRef(
        url=clean_optional(new.article_url, "article URL", limit=MAX_TEXT),
        title=clean_optional(new.article_title, "article title", limit=MAX_TEXT),
        outlet=clean_optional(new.article_outlet, "article outlet"),
        published_on=_date_or_none(new.article_date, today),
    )
    if new.said_on is not None:
        said_on = read_date(new.said_on, today, past=True)
    else:
        published = ledger.provenance.published_on(article)
        said_on = published if published is not None else today
    hedge, likelihood = hedges.resolve(new.hedge, new.likelihood)
    draft = ClaimDraft(
        text=clean(new.text, "claim text", limit=MAX_TEXT),
        said_on=said_on,
        key=check_key(new.key) if new.key is not None else None,
        subject=clean_optional(new.subject, "subject"),
        source=new.source,
        article=article,
        expected=clean(new.expected, "expected window", limit=MAX_TEXT)
        if new.expected is not None
        else None,
        hedge=hedge,
        likelihood=likelihood,
        tags=clean_tags(new.tags),
    )
    book = ledger.create(draft)
    ledger.flush()
    return view(session, book.id)


@dataclass
class ClaimEdit:
    """A correction as the command line gives it (dates and words still as text)."""

    text: str | None = None
    subject: str | None = None
    expected: str | None = None
    clear_expected: bool = False
    likelihood: float | None = None
    hedge: str | None = None
    source: str | None = None
    said_on: str | None = None
    key: str | None = None
    article_url: str | None = None
    article_title: str | None = None
    article_outlet: str | None = None
    article_date: str | None = None
    add_tags: Sequence[str] = ()
    remove_tags: Sequence[str] = ()
    reason: str | None = None

    def is_empty(self) -> bool:
        given = [v for k, v in vars(self).items() if k != "reason"]
        # `is`, not `in`: a likelihood of 0 is a value (0 == False).
        return all(v is None or v is False or (isinstance(v, tuple) and not v) for v in given)


def edit_claim(
    session: Session, ref: str, edit: ClaimEdit, *, actor: str, today: date
) -> ClaimView:
    """Correct a claim's fields; the old values stay in the `edited` event."""

    if edit.is_empty():
        raise InvalidInput(
            "nothing to change: give --text, --subject, --expected, --clear-expected, "
            "--likelihood, --hedge, --source, --said-on, --key, --article-..., --tag or --untag"
        )
    if edit.expected is not None and edit.clear_expected:
        raise InvalidInput("give --expected or --clear-expected, not both")
    reason = clean_optional(edit.reason, "reason", limit=MAX_TEXT)
    ledger = Ledger(session, actor=actor, today=today)
    book = ledger.book(claim_id(session, ref))
    values: dict[str, Any] = {}
    if edit.text is not None:
        values["text"] = clean(edit.text, "claim text", limit=MAX_TEXT)
    if edit.subject is not None:
        values["subject"] = clean(edit.subject, "subject")
    if edit.source is not None:
        name = checked_source_name(edit.source)
        current = ledger.field_value(book, "source")
        values["source"] = current if normalise(name) == normalise(current or "") else name
    if edit.said_on is not None:
        values["said_on"] = read_date(edit.said_on, today, past=True).isoformat()

        refuse_duplicate_before_original(session, book.id, date.fromisoformat(values["said_on"]))
    said_on = date.fromisoformat(values.get("said_on") or book.said_on.isoformat())
    if edit.expected is not None:
        values["expected"] = window_value(edit.expected, said_on)
    elif "said_on" in values and not edit.clear_expected and book.row["expected_text"]:
        # "early next year" means another year from another day: read it again.
        values["expected"] = window_value(book.row["expected_text"], said_on)
    if edit.clear_expected:
        values["expected"] = None
    if edit.hedge is not None or edit.likelihood is not None:
        hedge, likelihood = hedges.resolve(edit.hedge, edit.likelihood)
        if edit.hedge is not None:
            values["hedge"] = hedge
        values["likelihood"] = likelihood
    if edit.key is not None:
        values["key"] = check_key(edit.key)
    article = _edited_article(ledger.field_value(book, "article"), edit, today)
    if article is not None:
        values["article"] = article
    old_tags = ledger.field_value(book, "tags")
    removed = clean_tags(edit.remove_tags)
    unknown = [tag for tag in removed if normalise(tag) not in {normalise(t) for t in old_tags}]
    if unknown:
        raise InvalidInput(f"claim {book.id} has no tag {unknown[0]!r}")
    if edit.add_tags or removed:
        values["tags"] = merge_tags(old_tags, clean_tags(edit.add_tags), removed)
    ledger.edit(book, values, reason)
    ledger.flush()
    return view(session, book.id)


def _edited_article(
    current: dict[str, Any] | None, edit: ClaimEdit, today: date
) -> dict[str, Any] | None:
    """The claim's article with the edit's --article-... options applied (None: untouched)."""
    given = {
        "url": clean_optional(edit.article_url, "article URL", limit=MAX_TEXT),
        "title": clean_optional(edit.article_title, "article title", limit=MAX_TEXT),
        "outlet": clean_optional(edit.article_outlet, "article outlet"),
        "published_on": (
            read_date(edit.article_date, today, past=True).isoformat()
            if edit.article_date is not None
            else None
        ),
    }
    given = {name: value for name, value in given.items() if value is not None}
    if not given:
        return None
    base = current or {"url": None, "title": None, "outlet": None, "published_on": None}
    return {**base, **given}


def withdraw_claim(
    session: Session, ref: str, *, withdrawn: bool, reason: str, actor: str, today: date
) -> ClaimView:
    """Take a claim logged by mistake out of every list (or put it back); history stays."""

    reason = clean(reason, "reason", limit=MAX_TEXT)
    ledger = Ledger(session, actor=actor, today=today)
    book = ledger.book(claim_id(session, ref))
    ledger.withdraw(book, withdrawn, reason)
    ledger.flush()
    return view(session, book.id)


def window_value(phrase: str, reference: date) -> dict[str, str]:
    """A window phrase read relative to `reference`, as claims and edits record it."""

    window = expected_window(clean(phrase, "expected window", limit=MAX_TEXT), reference)
    return {"text": window.text, "start": window.start.isoformat(), "end": window.end.isoformat()}


def _date_or_none(value: str | None, today: date) -> date | None:
    return None if value is None else read_date(value, today, past=True)
