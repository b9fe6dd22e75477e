"""Claims: logging them, finding them, correcting them, listing them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import hedges
from tracker.clock import utcnow
from tracker.errors import ClaimNotFound, DuplicateKey, InvalidInput
from tracker.history import outcomes_as_of, record
from tracker.models import MAX_ID, Claim, ClaimTag, Source
from tracker.provenance import ArticleRef, article_for, source_named
from tracker.status import is_overdue
from tracker.text import MAX_TEXT, check_key, clean, clean_optional, is_id, is_key, normalise


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


def add_claim(session: Session, new: NewClaim, *, actor: str, today: date) -> Claim:
    text = clean(new.text, "claim text", limit=MAX_TEXT)
    key = check_key(new.key) if new.key is not None else None
    if key is not None:
        existing = session.scalars(select(Claim.id).where(Claim.key == key)).first()
        if existing is not None:
            raise DuplicateKey(f"a claim with key {key!r} already exists (claim {existing})")
    article = article_for(
        session,
        ArticleRef(
            url=clean_optional(new.article_url, "article URL", limit=MAX_TEXT),
            title=clean_optional(new.article_title, "article title", limit=MAX_TEXT),
            outlet=clean_optional(new.article_outlet, "article outlet"),
            published_on=_date_or_none(new.article_date, today),
        ),
    )
    if new.said_on is not None:
        said_on = read_date(new.said_on, today, past=True)
    elif article is not None and article.published_on is not None:
        said_on = article.published_on
    else:
        said_on = today
    likelihood = None
    hedge = None
    if new.hedge is not None:
        hedge = clean(new.hedge, "hedge").casefold()
        likelihood = hedges.likelihood_of(hedge)
    if new.likelihood is not None:
        likelihood = hedges.check_likelihood(new.likelihood)
    now = utcnow()
    claim = Claim(
        key=key,
        text=text,
        text_norm=normalise(text),
        subject=clean_optional(new.subject, "subject"),
        subject_folded=normalise(new.subject) if new.subject is not None else None,
        source=source_named(session, new.source) if new.source is not None else None,
        article=article,
        said_on=said_on,
        hedge=hedge,
        likelihood=likelihood,
        status="pending",
        created_at=now,
        updated_at=now,
    )
    if new.expected is not None:
        _set_window(claim, new.expected)
    claim.tag_rows = [ClaimTag(tag=tag) for tag in clean_tags(new.tags)]
    if key is None:
        _refuse_twin(session, claim)
    session.add(claim)
    session.flush()
    record(
        session,
        claim,
        "created",
        from_status=None,
        effective_on=said_on,
        actor=actor,
        recorded_at=now,
    )
    return claim


def _refuse_twin(session: Session, claim: Claim) -> None:
    """A claim without a key is known by its text, source and date: it must be the only
    claim with them, or an import (a re-import of an export) would merge the two.
    """
    query = select(Claim.id).where(
        Claim.text_norm == claim.text_norm,
        Claim.said_on == claim.said_on,
        Claim.source_id.is_(None) if claim.source is None else Claim.source_id == claim.source.id,
    )
    twin = session.scalars(query.limit(1)).first()
    if twin is not None:
        raise DuplicateKey(
            f"claim {twin} already says this (same text, source and date); "
            "give each a --key to record both"
        )


def get_claim(session: Session, ref: str, *, lock: bool = False) -> Claim:
    """The claim with this id or key. `lock` holds its row until the transaction ends."""
    ref = ref.strip()
    query = None
    if is_id(ref):
        if len(ref) <= 10 and int(ref) <= MAX_ID:
            query = select(Claim).where(Claim.id == int(ref))
    elif is_key(ref):  # anything else can name no claim: no query at all
        query = select(Claim).where(Claim.key == ref)
    if query is not None and lock:
        # Every status change of a claim passes here: on PostgreSQL two writers
        # to one claim queue on its row, so each replays what the other wrote.
        query = query.with_for_update(of=Claim)
    claim = session.scalars(query).first() if query is not None else None
    if claim is None:
        raise ClaimNotFound(f"no claim with id or key {ref!r}; `tracker list` shows them")
    return claim


@dataclass
class ClaimEdit:
    text: str | None = None
    subject: str | None = None
    expected: str | None = None
    likelihood: float | None = None
    add_tags: Sequence[str] = ()
    remove_tags: Sequence[str] = ()
    reason: str | None = None

    def is_empty(self) -> bool:
        values = (self.text, self.subject, self.expected, self.likelihood)
        return all(v is None for v in values) and not self.add_tags and not self.remove_tags


def edit_claim(session: Session, ref: str, edit: ClaimEdit, *, actor: str, today: date) -> Claim:
    """Correct a claim's fields; the old values stay in the `edited` event."""
    if edit.is_empty():
        raise InvalidInput(
            "nothing to change: give --text, --subject, --expected, --likelihood, --tag or --untag"
        )
    reason = clean_optional(edit.reason, "reason", limit=MAX_TEXT)
    claim = get_claim(session, ref, lock=True)
    changes: dict[str, list] = {}
    if edit.text is not None:
        text = clean(edit.text, "claim text", limit=MAX_TEXT)
        if text != claim.text:
            changes["text"] = [claim.text, text]
            claim.text, claim.text_norm = text, normalise(text)
    if edit.subject is not None:
        subject = clean(edit.subject, "subject")
        if subject != claim.subject:
            changes["subject"] = [claim.subject, subject]
            claim.subject, claim.subject_folded = subject, normalise(subject)
    if edit.expected is not None:
        old = _window_of(claim)
        _set_window(claim, edit.expected)
        if _window_of(claim) != old:
            changes["expected"] = [old, _window_of(claim)]
    if edit.likelihood is not None:
        likelihood = hedges.check_likelihood(edit.likelihood)
        if likelihood != claim.likelihood:
            changes["likelihood"] = [claim.likelihood, likelihood]
            claim.likelihood = likelihood
    old_tags = claim.tags
    removed = [clean(tag, "tag", limit=100) for tag in edit.remove_tags]
    unknown = [tag for tag in removed if tag not in old_tags]
    if unknown:
        raise InvalidInput(f"claim {claim.id} has no tag {unknown[0]!r}")
    new_tags = sorted((set(old_tags) | set(clean_tags(edit.add_tags))) - set(removed))
    if new_tags != old_tags:
        changes["tags"] = [old_tags, new_tags]
        claim.tag_rows = [ClaimTag(tag=tag) for tag in new_tags]
    if not changes:
        raise InvalidInput(f"nothing to change: claim {claim.id} already has these values")
    claim.updated_at = utcnow()
    session.flush()
    record(
        session,
        claim,
        "edited",
        from_status=claim.status,
        effective_on=today,
        actor=actor,
        reason=reason,
        changes=changes,
        recorded_at=claim.updated_at,
    )
    return claim


@dataclass
class ClaimFilter:
    statuses: Sequence[str] = ()
    subject: str | None = None
    source: str | None = None
    tag: str | None = None
    search: str | None = None
    overdue: bool = False
    due_within: int | None = None  # days
    as_of: date | None = None
    limit: int | None = None


@dataclass(frozen=True)
class ClaimState:
    """A claim as it stood on `reference`: its status then, not necessarily now."""

    claim: Claim
    status: str
    resolved_on: date | None
    reference: date

    @property
    def overdue(self) -> bool:
        return is_overdue(self.status, self.claim.expected_end, self.reference)

    def due_within(self, days: int) -> bool:
        end = self.claim.expected_end
        return (
            self.status == "pending"
            and end is not None
            and self.reference <= end <= self.reference + timedelta(days=days)
        )


# Point-in-time listings replay this many claims at a time: memory stays flat.
AS_OF_BATCH = 2000


def list_claims(session: Session, where: ClaimFilter, *, today: date) -> list[ClaimState]:
    """Claims matching `where`, by id: today's stored status, or replayed to `as_of`."""
    reference = where.as_of or today
    query = select(Claim).order_by(Claim.id)
    if where.subject is not None:
        query = query.where(Claim.subject_folded == normalise(clean(where.subject, "subject")))
    if where.source is not None:
        query = query.join(Source, Claim.source_id == Source.id).where(
            Source.name_folded == normalise(clean(where.source, "source"))
        )
    if where.tag is not None:
        tagged = select(ClaimTag.claim_id).where(ClaimTag.tag == clean(where.tag, "tag"))
        query = query.where(Claim.id.in_(tagged))
    if where.search is not None:
        pattern = "%" + _escape_like(normalise(clean(where.search, "search text"))) + "%"
        query = query.where(Claim.text_norm.like(pattern, escape="\\"))
    if where.as_of is None:
        # Today: the stored status answers everything in SQL, on indexes.
        if where.statuses:
            query = query.where(Claim.status.in_(where.statuses))
        if where.overdue or where.due_within is not None:
            query = query.where(Claim.status == "pending")
        if where.overdue:
            query = query.where(Claim.expected_end < reference)
        if where.due_within is not None:
            horizon = reference + timedelta(days=where.due_within)
            query = query.where(Claim.expected_end.between(reference, horizon))
        if where.limit is not None:
            query = query.limit(where.limit)
        return [
            ClaimState(claim, claim.status, claim.resolved_on, reference)
            for claim in session.scalars(query).unique()
        ]
    states = []
    for state in states_as_of(session, query.where(Claim.said_on <= where.as_of), where.as_of):
        if where.statuses and state.status not in where.statuses:
            continue
        if where.overdue and not state.overdue:
            continue
        if where.due_within is not None and not state.due_within(where.due_within):
            continue
        states.append(state)
        if where.limit is not None and len(states) >= where.limit:
            break
    return states


def states_as_of(session: Session, query, as_of: date) -> Iterator[ClaimState]:
    """The claims of `query` (ordered by id) as they stood on `as_of`, replayed in batches."""
    last_id = 0
    while True:
        batch = list(session.scalars(query.where(Claim.id > last_id).limit(AS_OF_BATCH)).unique())
        if not batch:
            return
        outcomes = outcomes_as_of(session, [claim.id for claim in batch], as_of)
        for claim in batch:
            outcome = outcomes.get(claim.id)
            status, resolved_on = (
                (outcome.status, outcome.resolved_on) if outcome else ("pending", None)
            )
            yield ClaimState(claim, status, resolved_on, as_of)
        last_id = batch[-1].id


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _set_window(claim: Claim, phrase: str) -> None:
    from tracker.dates import parse_window  # see read_date

    window = parse_window(clean(phrase, "expected window", limit=MAX_TEXT), claim.said_on)
    claim.expected_text, claim.expected_start, claim.expected_end = (
        window.text,
        window.start,
        window.end,
    )


def _window_of(claim: Claim) -> dict | None:
    if claim.expected_text is None:
        return None
    return {
        "text": claim.expected_text,
        "start": claim.expected_start.isoformat(),
        "end": claim.expected_end.isoformat(),
    }


def clean_tags(tags: Sequence[str]) -> list[str]:
    cleaned = sorted({clean(tag, "tag", limit=100) for tag in tags})
    if any(";" in tag for tag in cleaned):  # CSV files separate tags with ';'
        raise InvalidInput("a tag cannot contain ';'")
    return cleaned


def _date_or_none(value: str | None, today: date) -> date | None:
    return None if value is None else read_date(value, today, past=True)


def read_date(value: str, today: date, *, past: bool = False) -> date:
    """A single date, relative to today; `past`: a date something happened, so not after today.

    The grammar is imported here: compiling it costs ordinary read commands,
    which never parse a date, a sixth of their run time.
    """
    from tracker.dates import parse_date

    return (
        not_after(parse_date(value, today=today), today) if past else parse_date(value, today=today)
    )


def not_after(day: date, today: date) -> date:
    """Claims, articles, evidence and resolutions happened: none is dated in the future."""
    if day > today:
        raise InvalidInput(f"{day} is in the future (today is {today})")
    return day
