"""Claims: logging them, finding them, correcting them (listing them: tracker.queries.listing)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from tracker.commands.links import refuse_duplicate_before_original
from tracker.errors import DuplicateKey, InvalidInput, InvalidTransition
from tracker.ledger.books import Book
from tracker.ledger.drafts import Change, ClaimDraft
from tracker.ledger.ledger import Ledger
from tracker.ledger.provenance import ArticleRef
from tracker.queries.lookup import Ref, claim_ids
from tracker.queries.views import ClaimView, view
from tracker.rules import hedges
from tracker.rules.claim_fields import FIELD, SHARED
from tracker.rules.dates import expected_window
from tracker.rules.tags import clean_tags, merge_tags
from tracker.rules.text import (
    MAX_TEXT,
    check_key,
    checked_source_name,
    clean,
    clean_optional,
    normalise,
    not_after,
)


@dataclass
class NewClaim:
    """A claim as given on the command line (words still as text, dates read)."""

    text: str
    subject: str | None = None
    source: str | None = None
    article_url: str | None = None
    article_title: str | None = None
    article_outlet: str | None = None
    article_date: date | None = None
    said_on: date | None = None
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
        url=FIELD["article_url"].cleaned_optional(new.article_url),
        title=FIELD["article_title"].cleaned_optional(new.article_title),
        outlet=FIELD["article_outlet"].cleaned_optional(new.article_outlet),
        published_on=_date_or_none(new.article_date, today),
    )
    if new.said_on is not None:
        said_on = not_after(new.said_on, today)
    else:
        published = ledger.provenance.published_on(article)
        said_on = published if published is not None else today
    hedge, likelihood = hedges.resolve(new.hedge, new.likelihood)
    draft = ClaimDraft(
        text=FIELD["text"].cleaned(new.text),
        said_on=said_on,
        key=check_key(new.key) if new.key is not None else None,
        subject=FIELD["subject"].cleaned_optional(new.subject),
        source=new.source,
        article=article,
        expected=FIELD["expected"].cleaned_optional(new.expected),
        hedge=hedge,
        likelihood=likelihood,
        tags=clean_tags(new.tags),
    )
    try:
        book = ledger.create(draft)
    except DuplicateKey as exc:
        raise _withdrawn_twin(session, exc) from None
    ledger.flush()
    return view(session, book.id)


def _withdrawn_twin(session: Session, error: DuplicateKey) -> DuplicateKey:
    """A claim that repeats a withdrawn one: say it is withdrawn, and how to restore it
    (it is in no list, so the plain message would name a claim nowhere to be seen)."""
    if error.claim_id is None:
        return error
    twin = view(session, error.claim_id)
    if not twin.withdrawn:
        return error
    return DuplicateKey(
        f"{error}; claim {twin.id} ({twin.handle}) is withdrawn: bring it back with "
        f"`tracker restore {twin.handle} --reason ...`"
    )


@dataclass
class ClaimEdit:
    """A correction as the command line gives it (words still as text, dates read)."""

    text: str | None = None
    subject: str | None = None
    expected: str | None = None
    clear_expected: bool = False
    likelihood: float | None = None
    hedge: str | None = None
    source: str | None = None
    said_on: date | None = None
    key: str | None = None
    article_url: str | None = None
    article_title: str | None = None
    article_outlet: str | None = None
    article_date: date | None = None
    tags: Sequence[str] = ()  # added
    remove_tags: Sequence[str] = ()
    reason: str | None = None

    def is_empty(self) -> bool:
        given = [v for k, v in vars(self).items() if k != "reason"]
        # `is`, not `in`: a likelihood of 0 is a value (0 == False).
        return all(v is None or v is False or (isinstance(v, tuple) and not v) for v in given)


def edit_claims(
    session: Session, refs: Sequence[Ref], edit: ClaimEdit, *, actor: str, today: date
) -> list[Change]:
    """Correct the fields of the claims named (one change, all or nothing); the old values
    stay in each `edited` event. Of several claims, the ones that already hold the
    values are left as they are (their Change says "unchanged")."""
    if edit.is_empty():
        raise InvalidInput(
            "nothing to change: give --text, --subject, --expected, --clear-expected, "
            "--likelihood, --hedge, --source, --said-on, --key, --article-..., --tag or --untag"
        )
    if edit.expected is not None and edit.clear_expected:
        raise InvalidInput("give --expected or --clear-expected, not both")
    reason = clean_optional(edit.reason, "reason", limit=MAX_TEXT)
    ids = claim_ids(session, refs)
    if len(ids) > 1:
        given = {k for k, v in vars(edit).items() if k != "reason" and v not in (None, False, ())}
        alone = sorted(given - SHARED)
        if alone:
            option = FIELD[alone[0]].option if alone[0] in FIELD else "--" + alone[0]
            raise InvalidInput(
                f"{option} changes one claim at a time; of several claims an edit changes "
                "--tag, --untag, --subject, --source, --expected, --clear-expected, --hedge "
                "and --likelihood"
            )
    ledger = Ledger(session, actor=actor, today=today)
    changes = []
    for book in opened(ledger, ids):
        values = _edit_values(session, ledger, book, edit, today)
        try:
            changes.append(ledger.edit(book, values, reason))
        except InvalidInput as exc:
            if len(ids) == 1 or not str(exc).startswith("nothing to change"):
                raise
            changes.append(book.change("unchanged", book.status))
    if all(change.event == "unchanged" for change in changes):
        raise InvalidInput("nothing to change: every claim named already has these values")
    return changes


def edit_claim(
    session: Session, ref: str, edit: ClaimEdit, *, actor: str, today: date
) -> ClaimView:
    """Correct one claim's fields; the claim as it now stands."""
    change = edit_claims(session, [Ref(ref)], edit, actor=actor, today=today)[0]
    return view(session, change.claim_id)


def _edit_values(
    session: Session, ledger: Ledger, book: Book, edit: ClaimEdit, today: date
) -> dict[str, Any]:
    """The fields an edit gives this claim, as `changes` record them."""
    values: dict[str, Any] = {}
    if edit.text is not None:
        values["text"] = FIELD["text"].cleaned(edit.text)
    if edit.subject is not None:
        values["subject"] = FIELD["subject"].cleaned(edit.subject)
    if edit.source is not None:
        name = checked_source_name(edit.source)
        current = ledger.field_value(book, "source")
        values["source"] = current if normalise(name) == normalise(current or "") else name
    if edit.said_on is not None:
        values["said_on"] = not_after(edit.said_on, today).isoformat()

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
    if edit.tags or removed:
        values["tags"] = merge_tags(old_tags, clean_tags(edit.tags), removed)
    return values


def _edited_article(
    current: dict[str, Any] | None, edit: ClaimEdit, today: date
) -> dict[str, Any] | None:
    """The claim's article with the edit's --article-... options applied (None: untouched)."""
    given = {
        "url": FIELD["article_url"].cleaned_optional(edit.article_url),
        "title": FIELD["article_title"].cleaned_optional(edit.article_title),
        "outlet": FIELD["article_outlet"].cleaned_optional(edit.article_outlet),
        "published_on": (
            not_after(edit.article_date, today).isoformat()
            if edit.article_date is not None
            else None
        ),
    }
    given = {name: value for name, value in given.items() if value is not None}
    if not given:
        return None
    base = current or {"url": None, "title": None, "outlet": None, "published_on": None}
    return {**base, **given}


def withdraw_claims(
    session: Session, refs: Sequence[Ref], *, withdrawn: bool, reason: str, actor: str,
    today: date,
) -> list[Change]:  # fmt: skip
    """Take claims logged by mistake out of every list (or put them back), as one change;
    history stays. Of several claims, those already so are left as they are."""

    reason = clean(reason, "reason", limit=MAX_TEXT)
    ids = claim_ids(session, refs)
    ledger = Ledger(session, actor=actor, today=today)
    changes = []
    for book in opened(ledger, ids):
        if len(ids) > 1 and book.row["withdrawn"] == withdrawn:
            changes.append(book.change("unchanged", book.status))
            continue
        changes.append(ledger.withdraw(book, withdrawn, reason))
    if all(change.event == "unchanged" for change in changes):
        state = "withdrawn" if withdrawn else "not withdrawn"
        raise InvalidTransition(f"nothing to change: every claim named is {state} already")
    return changes


BATCH = 1000  # claims a command on several opens, changes and writes at a time


def opened(ledger: Ledger, ids: Sequence[int]) -> Iterator[Book]:
    """The books of the claims, BATCH at a time, each batch written before the next is
    read: memory stays flat however many claims one command changes."""
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        books = ledger.open(batch)
        for claim in batch:
            yield books[claim]
        ledger.flush()


def window_value(phrase: str, reference: date) -> dict[str, str]:
    """A window phrase read relative to `reference`, as claims and edits record it."""

    window = expected_window(FIELD["expected"].cleaned(phrase), reference)
    return {"text": window.text, "start": window.start.isoformat(), "end": window.end.isoformat()}


def _date_or_none(value: date | None, today: date) -> date | None:
    return None if value is None else not_after(value, today)
