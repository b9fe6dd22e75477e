"""What a change to a claim is made of, and what it did: the values the commands and the
importer hand the ledger (tracker.ledger.ledger), and the `Change` it hands back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tracker.ledger.provenance import ArticleRef


@dataclass
class Stamp:
    """Who made an event and when; an import keeps the file's, a command takes now."""

    uid: str | None = None
    actor: str | None = None
    recorded_at: datetime | None = None
    effective_on: date | None = None
    copied: bool = False  # from another database's history: its db_user, not ours
    db_user: str | None = None
    undoes: str | None = None  # the uid of the event this one reverses (`tracker undo`)


@dataclass
class ClaimDraft:
    """A claim's checked values, from the command line or a file."""

    text: str
    said_on: date
    key: str | None = None
    subject: str | None = None
    source: str | None = None
    article: ArticleRef = field(default_factory=ArticleRef)
    expected: str | None = None  # the phrase; read relative to said_on
    hedge: str | None = None
    likelihood: float | None = None
    tags: list[str] = field(default_factory=list)
    quote: str | None = None  # the article's sentence it was extracted from
    uid: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # Copied from a database: its window is taken as it was stored there, even one over
    # before the claim was said (the first version allowed those).
    exported: bool = False


@dataclass
class EvidenceDraft:
    stance: str
    on: date
    source: str | None = None
    url: str | None = None
    note: str | None = None
    uid: str | None = None
    recorded_at: datetime | None = None
    recorded_by: str | None = None
    tier: str | None = None
    actual: str | None = None  # what actually happened, when the evidence decides the claim
    # The source's name when another database recorded it, if it has been renamed since.
    source_as_recorded: str | None = None


@dataclass
class Change:
    """What one change did: for the line a command prints."""

    claim_id: int
    event: str
    from_status: str | None
    to_status: str
    evidence_id: int | None = None
    stance: str | None = None
    resolved_as: str | None = None
    changes: dict[str, list[Any]] | None = None  # an edit's {field: [old, new]}
    # The claim as it reads after the change: what the line names it by.
    handle: str = ""
    text: str = ""
