"""Claim records from files, validated into typed values; each error names its field.

A record is a dict in the import shape of design.md §10 (what
`export` writes): uid, key, text, subject, source, article {url, title, outlet,
published_on}, said_on, expected, hedge | likelihood, tags, quote, created_at,
updated_at, evidence [...], history [...], and, in files written by hand,
resolutions [...] and evidence `retracted`. An export's `history` is every
event as it was recorded (uid, who, when, why); `status`, `resolved_on`, `actual`
and `withdrawn` are written for readers and not read back: they are the replay of
the history. `cue` (the words `tracker extract` read the hedge from) is for the
reviewer of an extracted document: checked, not stored.

Each field is read by tracker.io.fields; this module knows which fields each part of
a record has. Over 300 lines on purpose: one reader per part of a record (claim,
article, evidence, history event, resolution), each naming the field an error is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tracker.db.models import EVENT_KINDS
from tracker.errors import InvalidInput, TrackerError
from tracker.io import fields
from tracker.ledger.provenance import ArticleRef
from tracker.ledger.rules import resolution_words
from tracker.ledger.sources import SOURCE_EVENTS
from tracker.rules import hedges
from tracker.rules.claim_fields import FIELD, FIELDS
from tracker.rules.identity import digest
from tracker.rules.kinds import LINK_KINDS
from tracker.rules.status import DECIDED, STANCES, STATUSES
from tracker.rules.tags import clean_tags
from tracker.rules.text import MAX_TEXT, check_key, checked_source_name, normalise

# A record's keys: the claim's fields (tracker.rules.claim_fields), then its identity,
# its history, and the state that history replays to.
CLAIM_FIELDS = {field.record_name.split(".")[0] for field in FIELDS} | {
    "uid", "handle", "status", "resolved_on", "withdrawn", "created_at", "updated_at",
    "evidence", "history", "resolutions", "quote", "cue", "actual", "duplicates",
}  # fmt: skip
ARTICLE_FIELDS = {field.record_name[len("article.") :] for field in FIELDS
                  if field.record_name.startswith("article.")}  # fmt: skip
EVIDENCE_FIELDS = {
    "uid", "stance", "source", "source_as_recorded", "url", "on", "note", "retracted",
    "retract_reason", "recorded_at", "recorded_by", "tier", "actual",
}  # fmt: skip
RESOLUTION_FIELDS = {"status", "on", "reason", "recorded_at", "by", "actual"}
EVENT_FIELDS = {
    "uid", "event", "from_status", "to_status", "effective_on", "recorded_at", "actor",
    "reason", "evidence_uid", "resolved_as", "changes", "db_user", "hash", "actual", "undoes",
}  # fmt: skip


@dataclass(frozen=True)
class EvidenceIn:
    stance: str
    source: str | None
    url: str | None
    on: date
    note: str | None
    retracted: bool
    retract_reason: str | None
    recorded_at: datetime | None
    recorded_by: str | None
    uid: str | None = None
    tier: str | None = None
    actual: str | None = None
    source_as_recorded: str | None = None  # the source's name then, if renamed since


@dataclass(frozen=True)
class EventIn:
    """One event of an exported history, as it was recorded."""

    uid: str
    event: str
    effective_on: date
    recorded_at: datetime
    actor: str
    reason: str | None
    evidence_uid: str | None
    resolved_as: str | None
    changes: dict[str, Any] | None
    db_user: str | None = None
    hash: str | None = None
    actual: str | None = None
    undoes: str | None = None  # the uid of the event this one reverses


@dataclass(frozen=True)
class ResolutionIn:
    status: str
    on: date
    reason: str
    recorded_at: datetime | None
    by: str | None
    actual: str | None = None


# How a record finds its stored claim: ("uid", uid), ("key", key), or ("text", the hash
# of its normalised text, its normalised source, said_on).
Match = tuple[Any, ...]


@dataclass
class ClaimIn:
    """A validated claim record. `given` holds the claim fields the record states."""

    where: str
    given: frozenset[str]
    uid: str | None = None
    key: str | None = None
    text: str | None = None
    subject: str | None = None
    source: str | None = None
    article: ArticleRef = field(default_factory=ArticleRef)
    said_on: date | None = None
    expected: str | None = None
    hedge: str | None = None
    likelihood: float | None = None
    tags: list[str] = field(default_factory=list)
    quote: str | None = None
    # Where a CSV row lists its claim as standing (`list` or `export` as CSV): a CSV file
    # has no evidence or history, so its `status`, `resolved_on`, `actual`, `withdrawn` and
    # `duplicates` (the uid of the claim it duplicates) are read (tracker.io.importer).
    listed_status: str | None = None
    listed_on: date | None = None
    listed_actual: str | None = None
    listed_withdrawn: bool | None = None
    listed_duplicates: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    evidence: list[EvidenceIn] = field(default_factory=list)
    history: list[EventIn] = field(default_factory=list)
    resolutions: list[ResolutionIn] = field(default_factory=list)

    @property
    def matches(self) -> list[Match]:
        """How the record finds its stored claim, best first: by uid, by key, and (a
        record without a key) by normalised text, source and date."""
        found: list[Match] = []
        if self.uid is not None:
            found.append(("uid", self.uid))
        if self.key is not None:
            found.append(("key", self.key))
        elif self.text is not None:
            found.append(("text", digest(normalise(self.text)), normalise(self.source or ""),
                          self.said))  # fmt: skip
        return found

    @property
    def decided_by_listing(self) -> bool:
        """A CSV row lists its claim as decided: a claim the row makes gets a resolution."""
        return self.listed_status not in (None, "pending")

    @property
    def listed_events(self) -> int:
        """The events a claim made from this CSV row gets for where the row lists it: a
        resolution, a withdrawal, a link."""
        return self.decided_by_listing + bool(self.listed_withdrawn) + bool(self.listed_duplicates)

    @property
    def said(self) -> date | None:
        return self.said_on if self.said_on is not None else self.article.published_on


def parse(
    record: Any, where: str, *, today: date, listed: bool = False, date_order: str | None = None
) -> ClaimIn:
    """Validate one record; an error names `where` (file and line) and the field.
    `listed`: the record is a CSV row, whose `status` and `resolved_on` are read.
    `date_order` ("dmy" or "mdy"): how the file writes numeric dates."""
    try:
        return _parse(record, where, fields.Dates(today, date_order), listed)
    except TrackerError as exc:
        raise InvalidInput(f"{where}: {exc}") from None


def _parse(raw: Any, where: str, today: fields.Dates, listed: bool) -> ClaimIn:
    raw = fields.mapping(raw, "claim", CLAIM_FIELDS)
    rec = ClaimIn(where=where, given=frozenset(k for k, v in raw.items() if v is not None))
    # `name` follows the field being read, so an error can name it. (One try
    # around the lot: a context manager per field costs more than the reading.)
    name = "uid"
    try:
        rec.uid = fields.uid(raw, "uid")
        name = "handle"  # made from the uid (for readers), as status is the replay: not read
        fields.string(raw, "handle")
        name = "key"
        key = fields.string(raw, "key")
        if key is not None:
            rec.key = check_key(key)
        name = "text"
        rec.text = fields.text(raw, "text", FIELD["text"].limit)
        name = "subject"
        rec.subject = fields.text(raw, "subject", FIELD["subject"].limit)
        name = "source"
        rec.source = fields.text(raw, "source")
        name = "article"
        article = fields.mapping(raw.get("article") or {}, "article", ARTICLE_FIELDS)
        if article:
            rec.article = ArticleRef(
                url=fields.text(article, "url", FIELD["article_url"].limit),
                title=fields.text(article, "title", FIELD["article_title"].limit),
                outlet=fields.text(article, "outlet", FIELD["article_outlet"].limit),
                published_on=fields.day(article, "published_on", today),
            )
        name = "said_on"
        rec.said_on = fields.day(raw, "said_on", today)
        name = "expected"
        rec.expected = fields.text(raw, "expected", FIELD["expected"].limit)
        name = "hedge"
        rec.hedge, rec.likelihood = hedges.resolve(fields.text(raw, "hedge"), None)
        name = "likelihood"
        if raw.get("likelihood") is not None:
            rec.likelihood = hedges.check_likelihood(fields.number(raw, "likelihood"))
        name = "tags"
        if raw.get("tags"):
            rec.tags = clean_tags(fields.strings(raw, "tags"))
        name = "quote"
        rec.quote = fields.text(raw, "quote", MAX_TEXT)
        name = "cue"
        fields.text(raw, "cue")
        # status, resolved_on, actual, withdrawn, duplicates: the replay of the history,
        # checked and not read, but for a CSV row, which has no history (see `listed`).
        name = "status"
        status = fields.word(raw, "status", STATUSES) if raw.get("status") is not None else None
        name = "resolved_on"
        resolved_on = fields.day(raw, "resolved_on", today)
        if listed and status is not None:
            if status in DECIDED and resolved_on is None:
                raise InvalidInput(f"required for a {status} claim")
            rec.listed_status, rec.listed_on = status, resolved_on
        name = "actual"
        actual = fields.text(raw, "actual", MAX_TEXT)
        if listed and actual is not None:
            # The ledger's rule, asked here: a row that resolves nothing never reaches it.
            rec.listed_actual = resolution_words(status or "pending", actual)[1]
        name = "withdrawn"
        if not isinstance(raw.get("withdrawn", False), bool):
            raise InvalidInput("must be true or false")
        if listed:
            rec.listed_withdrawn = raw.get("withdrawn")
        name = "duplicates"
        duplicates = fields.uid(raw, "duplicates")
        if listed:
            rec.listed_duplicates = duplicates
        name = "created_at"
        rec.created_at = fields.timestamp(raw, "created_at")
        name = "updated_at"
        rec.updated_at = fields.timestamp(raw, "updated_at")
    except TrackerError as exc:
        raise _in_field(name, exc) from None
    if rec.key is None and rec.text is None and rec.uid is None:
        raise InvalidInput("field 'text' is required (or the 'key' or 'uid' of a stored claim)")
    for index, item in enumerate(fields.items(raw, "evidence"), start=1):
        try:
            rec.evidence.append(_evidence(item, today))
        except TrackerError as exc:
            raise InvalidInput(f"evidence {index}: {exc}") from None
    for index, item in enumerate(fields.items(raw, "history"), start=1):
        try:
            rec.history.append(_event(item, today))
        except TrackerError as exc:
            raise InvalidInput(f"history event {index}: {exc}") from None
    for index, item in enumerate(fields.items(raw, "resolutions"), start=1):
        try:
            rec.resolutions.append(_resolution(item, today))
        except TrackerError as exc:
            raise InvalidInput(f"resolution {index}: {exc}") from None
    uids = [item.uid for item in rec.evidence if item.uid] + [e.uid for e in rec.history]
    if len(set(uids)) != len(uids):
        twice = next(uid for uid in uids if uids.count(uid) > 1)
        raise InvalidInput(f"uid {twice} is given twice")
    return rec


def _evidence(raw: Any, today: fields.Dates) -> EvidenceIn:
    raw = fields.mapping(raw, "evidence", EVIDENCE_FIELDS)
    name = "stance"
    try:
        stance = fields.word(raw, "stance", STANCES)
        name = "on"
        on = fields.required_day(raw, "on", today)
        name = "retracted"
        retracted = raw.get("retracted", False)
        if not isinstance(retracted, bool):
            raise InvalidInput("must be true or false")
        name = "recorded_at"
        recorded_at = fields.timestamp(raw, "recorded_at")
        name = "source"
        source = fields.text(raw, "source")
        name = "url"
        url = fields.text(raw, "url", MAX_TEXT)
        name = "note"
        note = fields.text(raw, "note", MAX_TEXT)
        name = "retract_reason"
        retract_reason = fields.text(raw, "retract_reason", MAX_TEXT)
        name = "recorded_by"
        recorded_by = fields.text(raw, "recorded_by")
        name = "uid"
        uid = fields.uid(raw, "uid")
        name = "tier"
        tier = fields.string(raw, "tier")  # tier and actual: the ledger's rules
        name = "actual"
        actual = fields.string(raw, "actual")
        name = "source_as_recorded"
        recorded_as = fields.text(raw, "source_as_recorded")
        if recorded_as is not None and source is None:
            raise InvalidInput("is the source's name when recorded: give the source too")
    except TrackerError as exc:
        raise _in_field(name, exc) from None
    return EvidenceIn(stance, source, url, on, note, retracted, retract_reason, recorded_at,
                      recorded_by, uid, tier, actual, recorded_as)  # fmt: skip


def _event(raw: Any, today: fields.Dates) -> EventIn:
    raw = fields.mapping(raw, "event", EVENT_FIELDS)
    name = "uid"
    try:
        uid = fields.uid(raw, "uid")
        name = "event"
        kind = fields.word(raw, "event", EVENT_KINDS)
        for name in ("from_status", "to_status"):  # the replay's: checked, not read
            if raw.get(name) is not None:
                fields.word(raw, name, STATUSES)
        name = "effective_on"
        effective_on = fields.required_day(raw, "effective_on", today)
        name = "recorded_at"
        recorded_at = fields.timestamp(raw, "recorded_at")
        name = "actor"
        actor = fields.text(raw, "actor")
        name = "reason"
        reason = fields.text(raw, "reason", MAX_TEXT)
        name = "evidence_uid"
        evidence_uid = fields.uid(raw, "evidence_uid")
        name = "resolved_as"
        resolved_as = fields.word(raw, "resolved_as", STATUSES) if raw.get("resolved_as") else None
        name = "changes"
        if kind in ("linked", "unlinked"):
            changes: dict[str, Any] | None = _link(raw)
        elif kind in SOURCE_EVENTS:
            changes = _source_changes(raw)
        else:
            changes = _changes(raw)
        name = "actual"
        actual = fields.string(raw, "actual")  # checked by the ledger with what it says
        name = "db_user"
        db_user = fields.text(raw, "db_user")
        name = "undoes"
        undoes = fields.uid(raw, "undoes")
        name = "hash"
        digest = fields.string(raw, "hash")
        if digest is not None and not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise InvalidInput("must be 64 lower-case hex digits (a SHA-256)")
        for name, value, needed in (  # noqa: B007 (the handler names the field)
            ("uid", uid, True),
            ("recorded_at", recorded_at, True),
            ("actor", actor, True),
            ("evidence_uid", evidence_uid, kind in ("evidence_added", "evidence_retracted")),
            ("resolved_as", resolved_as, kind == "resolved"),
            ("changes", changes, kind in ("edited", "linked", "unlinked", *SOURCE_EVENTS)),
            ("undoes", undoes, kind == "resolution_retracted"),
        ):
            if needed and value is None:
                raise InvalidInput(f"required for a{'n' if kind[0] == 'e' else ''} {kind} event")
    except TrackerError as exc:
        raise _in_field(name, exc) from None
    assert uid is not None and recorded_at is not None and actor is not None
    return EventIn(
        uid,
        kind,
        effective_on,
        recorded_at,
        actor,
        reason,
        evidence_uid,
        resolved_as,
        changes,
        db_user,
        digest,
        actual,
        undoes,
    )


def _changes(record: dict[str, Any]) -> dict[str, list[Any]] | None:
    value = record.get("changes")
    if value is None:
        return None
    if not isinstance(value, dict) or not value:
        raise InvalidInput("must be an object of {field: [old, new]}")
    for name, pair in value.items():
        if not isinstance(pair, list) or len(pair) != 2:
            raise InvalidInput(f"{name!r} must be [old, new]")
    return value


def _source_changes(record: dict[str, Any]) -> dict[str, list[str]] | None:
    """A rename or merge's changes: {"source": [old, new]} for the claim's own source,
    {"evidence_source": [old, new]} for its evidence's, or both (the same names)."""
    value = record.get("changes")
    if value is None:
        return None
    pairs = list(value.values()) if isinstance(value, dict) else []
    if (
        not pairs
        or not set(value) <= {"source", "evidence_source"}
        or any(pair != pairs[0] for pair in pairs)
        or not isinstance(pairs[0], list)
        or len(pairs[0]) != 2
        or not all(isinstance(name, str) for name in pairs[0])
    ):
        raise InvalidInput(
            'must be {"source": [old, new]} and/or {"evidence_source": [old, new]}, the same names'
        )
    for name in pairs[0]:
        checked_source_name(name)
    return {key: list(pair) for key, pair in value.items()}


def _link(record: dict[str, Any]) -> dict[str, str] | None:
    """A link event's changes: {kind, claim}, the other claim by uid."""
    value = record.get("changes")
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"kind", "claim"} or value["claim"] is None:
        raise InvalidInput("must be {kind, claim} for a link, the claim by uid")
    return {
        "kind": fields.word(value, "kind", LINK_KINDS),
        "claim": str(fields.uid(value, "claim")),
    }


def _resolution(raw: Any, today: fields.Dates) -> ResolutionIn:
    raw = fields.mapping(raw, "resolution", RESOLUTION_FIELDS)
    name = "status"
    try:
        status = fields.word(raw, "status", STATUSES)
        name = "on"
        on = fields.required_day(raw, "on", today)
        name = "reason"
        reason = fields.text(raw, "reason", MAX_TEXT)
        if reason is None:
            raise InvalidInput("required")
        name = "recorded_at"
        recorded_at = fields.timestamp(raw, "recorded_at")
        name = "by"
        by = fields.text(raw, "by")
        name = "actual"
        actual = fields.string(raw, "actual")  # checked by the ledger with the status
    except TrackerError as exc:
        raise _in_field(name, exc) from None
    return ResolutionIn(status, on, reason, recorded_at, by, actual)


def _in_field(name: str, error: TrackerError) -> InvalidInput:
    """The error, prefixed with the field it is about (once)."""
    message = str(error)
    if message.startswith("field ") or message.startswith("unknown "):
        return InvalidInput(message)
    return InvalidInput(f"field {name!r}: {message}")
