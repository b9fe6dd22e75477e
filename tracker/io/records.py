"""Claim records from files (seeds, imports) applied to the database, idempotently.

A record is a dict in the import shape (SPEC.md section 7). A claim is matched
by key, else by (normalised text, source, said_on); evidence by (claim, stance,
source, url, observed_on); a resolution by (claim, status, date, reason). What
matches adds nothing; a key whose stored claim differs in a field the record
gives is an error naming that field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import dates, hedges
from tracker.claims import NewClaim, add_claim, get_claim
from tracker.errors import ClaimNotFound, InvalidInput, TrackerError
from tracker.evidence import NewEvidence, add_evidence, resolve, retract
from tracker.history import retracted_ids
from tracker.models import Claim, ClaimEvent, Evidence, Source
from tracker.provenance import find_source, fold
from tracker.text import normalise

CLAIM_FIELDS = {
    "key",
    "text",
    "subject",
    "source",
    "article",
    "said_on",
    "expected",
    "hedge",
    "likelihood",
    "tags",
    "evidence",
    "resolutions",
}
ARTICLE_FIELDS = {"url", "title", "outlet", "published_on"}
EVIDENCE_FIELDS = {"stance", "source", "url", "on", "note", "retracted", "retract_reason"}
RESOLUTION_FIELDS = {"status", "on", "reason"}


@dataclass
class Tally:
    added: int = 0
    unchanged: int = 0

    def __iadd__(self, other: Tally) -> Tally:
        self.added += other.added
        self.unchanged += other.unchanged
        return self


def apply_record(session: Session, record: Any, where: str, *, actor: str, today: date) -> Tally:
    """Apply one claim record; errors name `where` (file and record) and the field."""
    try:
        return _apply(session, record, actor=actor, today=today)
    except TrackerError as exc:
        raise InvalidInput(f"{where}: {exc}") from None


def _apply(session: Session, record: Any, *, actor: str, today: date) -> Tally:
    record = _mapping(record, "claim", CLAIM_FIELDS)
    tally = Tally()
    claim = _existing_claim(session, record, today)
    if claim is None:
        if "text" not in record:
            raise InvalidInput("field 'text' is required")
        article = _mapping(record.get("article") or {}, "article", ARTICLE_FIELDS)
        if "said_on" not in record and "published_on" not in article:
            raise InvalidInput("field 'said_on' (or article 'published_on') is required")
        new = NewClaim(
            text=_str(record, "text"),
            subject=_str(record, "subject"),
            source=_str(record, "source"),
            article_url=_str(article, "url"),
            article_title=_str(article, "title"),
            article_outlet=_str(article, "outlet"),
            article_date=_str(article, "published_on"),
            said_on=_str(record, "said_on"),
            expected=_str(record, "expected"),
            hedge=_str(record, "hedge"),
            likelihood=_number(record, "likelihood"),
            tags=_str_list(record, "tags"),
            key=_str(record, "key"),
        )
        claim = add_claim(session, new, actor=actor, today=today)
        tally.added += 1
    else:
        _check_same(session, claim, record, today)
        tally.unchanged += 1
    for index, item in enumerate(_list(record, "evidence"), start=1):
        try:
            tally += _apply_evidence(session, claim, item, actor=actor, today=today)
        except TrackerError as exc:
            raise InvalidInput(f"evidence {index}: {exc}") from None
    for index, item in enumerate(_list(record, "resolutions"), start=1):
        try:
            tally += _apply_resolution(session, claim, item, actor=actor, today=today)
        except TrackerError as exc:
            raise InvalidInput(f"resolution {index}: {exc}") from None
    return tally


def _existing_claim(session: Session, record: dict, today: date) -> Claim | None:
    key = _str(record, "key")
    if key is not None:
        try:
            return get_claim(session, key)
        except ClaimNotFound:
            if "text" not in record:
                raise InvalidInput(f"no claim with key {key!r}, and no 'text' to add one") from None
            return None
    if "text" not in record:
        return None
    said_on = _said_on(record, today)
    if said_on is None:
        return None
    query = select(Claim).where(
        Claim.text_norm == normalise(_str(record, "text")), Claim.said_on == said_on
    )
    source = _str(record, "source")
    if source is None:
        query = query.where(Claim.source_id.is_(None))
    else:
        query = query.join(Source, Claim.source_id == Source.id).where(
            Source.name_folded == fold(source)
        )
    return session.scalars(query.limit(1)).first()


def _said_on(record: dict, today: date) -> date | None:
    said_on = _str(record, "said_on")
    if said_on is None:
        said_on = _str(record.get("article") or {}, "published_on")
    return dates.parse_date(said_on, today=today) if said_on is not None else None


def _check_same(session: Session, claim: Claim, record: dict, today: date) -> None:
    """A record for a stored claim may repeat its fields, but not contradict them."""
    stored: dict[str, Any] = {
        "text": normalise(claim.text),
        "subject": claim.subject,
        "source": claim.source.name_folded if claim.source else None,
        "said_on": claim.said_on,
        "expected": claim.expected_text,
        "hedge": claim.hedge,
        "likelihood": claim.likelihood,
        "tags": sorted(claim.tags),
    }
    given: dict[str, Any] = {}
    for name in ("subject", "expected"):
        if name in record:
            given[name] = _str(record, name)
    if "text" in record:
        given["text"] = normalise(_str(record, "text"))
    if "source" in record:
        given["source"] = fold(_str(record, "source"))
    if "said_on" in record:
        given["said_on"] = _said_on(record, today)
    if "hedge" in record:
        given["hedge"] = _str(record, "hedge").strip().casefold()
        if "likelihood" not in record and claim.likelihood != hedges.likelihood_of(given["hedge"]):
            given["likelihood"] = hedges.likelihood_of(given["hedge"])
    if "likelihood" in record:
        given["likelihood"] = _number(record, "likelihood")
    if "tags" in record:
        given["tags"] = sorted({tag.strip() for tag in _str_list(record, "tags")})
    for name, value in given.items():
        if value != stored[name]:
            raise InvalidInput(
                f"field {name!r} differs from stored claim {claim.id} "
                f"({stored[name]!r} stored, {value!r} given); use `tracker edit` to change it"
            )
    article = record.get("article")
    if article:
        article = _mapping(article, "article", ARTICLE_FIELDS)
        stored_url = claim.article.url if claim.article else None
        if "url" in article and _str(article, "url") != stored_url:
            raise InvalidInput(f"field 'article.url' differs from stored claim {claim.id}")


def _apply_evidence(session: Session, claim: Claim, item: Any, *, actor: str, today: date) -> Tally:
    item = _mapping(item, "evidence", EVIDENCE_FIELDS)
    if "on" not in item:
        raise InvalidInput("field 'on' is required")
    new = NewEvidence(
        stance=_str(item, "stance") or "",
        source=_str(item, "source"),
        url=_str(item, "url"),
        on=_str(item, "on"),
        note=_str(item, "note"),
    )
    observed_on = dates.parse_date(new.on, today=today)
    source = find_source(session, new.source) if new.source is not None else None
    query = select(Evidence).where(
        Evidence.claim_id == claim.id,
        Evidence.stance == new.stance.strip().lower(),
        Evidence.observed_on == observed_on,
        Evidence.url.is_(None) if new.url is None else Evidence.url == new.url.strip(),
        Evidence.source_id.is_(None) if source is None else Evidence.source_id == source.id,
    )
    evidence = None
    if new.source is None or source is not None:
        evidence = session.scalars(query.limit(1)).first()
    tally = Tally()
    if evidence is None:
        evidence = add_evidence(session, str(claim.id), new, actor=actor, today=today).evidence
        tally.added += 1
    else:
        tally.unchanged += 1
    if item.get("retracted") is True and evidence.id not in retracted_ids(session, claim.id):
        reason = _str(item, "retract_reason") or "retracted in an imported file"
        retract(session, evidence.id, reason=reason, actor=actor, today=today)
        tally.added += 1
    elif item.get("retracted") not in (None, True, False):
        raise InvalidInput("field 'retracted' must be true or false")
    return tally


def _apply_resolution(
    session: Session, claim: Claim, item: Any, *, actor: str, today: date
) -> Tally:
    item = _mapping(item, "resolution", RESOLUTION_FIELDS)
    for name in ("status", "on", "reason"):
        if name not in item:
            raise InvalidInput(f"field {name!r} is required")
    status, reason = _str(item, "status"), _str(item, "reason")
    effective_on = dates.parse_date(_str(item, "on"), today=today)
    query = select(ClaimEvent.id).where(
        ClaimEvent.claim_id == claim.id,
        ClaimEvent.event == "resolved",
        ClaimEvent.resolved_as == status.strip().lower(),
        ClaimEvent.effective_on == effective_on,
        ClaimEvent.reason == reason.strip(),
    )
    if session.scalars(query.limit(1)).first() is not None:
        return Tally(unchanged=1)
    resolve(
        session,
        str(claim.id),
        status,
        reason=reason,
        on=effective_on.isoformat(),
        actor=actor,
        today=today,
    )
    return Tally(added=1)


# -- field readers: each error names the field ----------------------------------


def _mapping(value: Any, what: str, allowed: set[str]) -> dict:
    if not isinstance(value, dict):
        raise InvalidInput(f"a {what} must be an object, not {type(value).__name__}")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise InvalidInput(
            f"unknown {what} field {unknown[0]!r}; known: {', '.join(sorted(allowed))}"
        )
    return value


def _str(record: dict, name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, date):  # TOML has native dates
        return value.isoformat()
    if not isinstance(value, str):
        raise InvalidInput(f"field {name!r} must be text, not {type(value).__name__}")
    return value


def _number(record: dict, name: str) -> float | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInput(f"field {name!r} must be a number, not {type(value).__name__}")
    return float(value)


def _str_list(record: dict, name: str) -> list[str]:
    value = record.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"field {name!r} must be a list of text")
    return value


def _list(record: dict, name: str) -> list:
    value = record.get(name) or []
    if not isinstance(value, list):
        raise InvalidInput(f"field {name!r} must be a list")
    return value
