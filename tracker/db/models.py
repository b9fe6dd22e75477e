"""The database schema as typed SQLAlchemy models.

Evidence and claim events are history: insert-only, enforced by triggers in the
migration. A claim's `status` and `resolved_on` are a cache of the replay of its
history (see `tracker.rules.status`), kept for fast queries.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from tracker.db.numbered_times import NumberedDay, NumberedMoment
from tracker.rules.kinds import LINK_KINDS, TIERS
from tracker.rules.status import STANCES, STATUSES

# The Alembic revision these models describe. Ordinary commands compare the
# database's revision to this constant with one SELECT instead of importing
# Alembic; a test keeps it equal to the migrations' head.
SCHEMA_REVISION = "0012"

# Ids are 32-bit INTEGERs on PostgreSQL: a larger number cannot name a row.
MAX_ID = 2**31 - 1

EVENT_KINDS = (
    "created", "edited", "evidence_added", "evidence_retracted", "resolved", "withdrawn",
    "restored", "linked", "unlinked", "source_renamed", "source_merged", "resolution_retracted",
)  # fmt: skip


MYSQL_DIALECTS = ("mysql", "mariadb")


def is_mysql(dialect_name: str) -> bool:
    """MariaDB or MySQL: one server family to the tracker, under either dialect name."""
    return dialect_name in MYSQL_DIALECTS


# MariaDB/MySQL spell the generic types smaller than the other databases: TEXT holds
# 64 KB, DATETIME whole seconds, FLOAT four bytes. There (and in every migration)
# they become what SQLite and PostgreSQL store: 16 MB of text, microseconds, doubles.
# JSON is text there too: MySQL's own JSON type reorders an object's keys, and an export
# must come back as it went in.
_MYSQL_TYPES = {Text: "MEDIUMTEXT", DateTime: "DATETIME(6)", Float: "DOUBLE", JSON: "LONGTEXT"}
for _type, _spelling in _MYSQL_TYPES.items():
    for _dialect in MYSQL_DIALECTS:
        compiles(_type, _dialect)(lambda _t, _c, _s=_spelling, **_kw: _s)
# Index rows on MariaDB/MySQL hold at most 3,072 bytes: a text column is indexed by
# its first characters (a prefix still finds every equal value).
TEXT_INDEX_PREFIX = 255


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    # Every constraint gets a predictable name, so migrations (and SQLite batch
    # mode) can refer to it.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Source(Base):
    """Who made a claim or published evidence, or (`alias_of` set) another name for them:
    a former name, or a source merged into another (tracker.ledger.sources)."""

    __tablename__ = "source"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # What the source is called now; an alias row carries its source's name, so evidence
    # recorded under a former name shows the current one.
    name: Mapped[str] = mapped_column(String(200))
    # casefold of the name this row is found by: "Xiaomi" and "xiaomi" are one source.
    name_folded: Mapped[str] = mapped_column(String(200), unique=True)
    # The source this name now means (NULL: the row is the source itself). Claims name
    # the source itself; evidence keeps the row it was recorded under.
    alias_of: Mapped[int | None] = mapped_column(ForeignKey("source.id"))


class Article(Base):
    """Where a claim appeared."""

    __tablename__ = "article"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str | None] = mapped_column(Text)
    # digest(url): an article is known by its URL, which may be longer than an index row.
    url_hash: Mapped[str | None] = mapped_column(String(32), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(200))
    published_on: Mapped[date | None] = mapped_column(Date)


class Claim(Base):
    """One checkable statement."""

    __tablename__ = "claim"
    __table_args__ = (
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint("likelihood >= 0 AND likelihood <= 1", name="likelihood"),
        CheckConstraint("expected_start <= expected_end", name="expected_window"),
        # What the list, report and sources queries search by (migration 0002
        # says which query uses which); the source index covers its GROUP BY.
        Index("ix_claim_status_expected_end", "status", "expected_end"),
        Index("ix_claim_status_id", "status", "id"),
        Index("ix_claim_status_resolved_on", "status", "resolved_on"),
        Index("ix_claim_said_on", "said_on", "id"),
        Index("ix_claim_source_status_cover", "source_id", "status", "likelihood", "expected_end"),
        Index("ix_claim_text_hash", "text_hash"),
        Index("ix_claim_handle", "handle"),
        # ix_claim_subject_folded and ix_claim_withdrawn: see `declare_dialect_indexes`.
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    # tracker.rules.identity.handle(uid), what people type to name the claim: a cache of
    # its uid, indexed. Not unique: two claims may share one (naming it is then ambiguous).
    handle: Mapped[str] = mapped_column(String(10))
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    text: Mapped[str] = mapped_column(Text)
    # Lower-cased, whitespace-collapsed text: how imports recognise a claim without a key.
    text_norm: Mapped[str] = mapped_column(Text)
    # digest(text_norm), indexed: the text itself may be longer than an index row.
    text_hash: Mapped[str] = mapped_column(String(32))
    # digest(text_norm, source, said_on) of a claim without a key, else NULL: unique,
    # so two keyless claims saying the same thing cannot both be stored, however
    # concurrently they are added (imports would take them for one claim).
    twin_hash: Mapped[str | None] = mapped_column(String(32), unique=True)
    subject: Mapped[str | None] = mapped_column(String(200))
    # normalise(subject): `list --subject` matches case-insensitively in any script,
    # which SQL's lower() (ASCII-only in SQLite) cannot do.
    subject_folded: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("article.id"))
    said_on: Mapped[date] = mapped_column(Date)
    expected_text: Mapped[str | None] = mapped_column(Text)
    expected_start: Mapped[date | None] = mapped_column(Date)
    expected_end: Mapped[date | None] = mapped_column(Date)
    hedge: Mapped[str | None] = mapped_column(String(40))
    likelihood: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    resolved_on: Mapped[date | None] = mapped_column(Date)
    # Logged by mistake (or made moot): out of every list, report and track record, kept
    # with its history. The replay of its `withdrawn` and `restored` events.
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The article's sentence the claim was extracted from (design.md §11).
    quote: Mapped[str | None] = mapped_column(Text)
    # What actually happened, as the step that set the status said it: the replay's.
    actual: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ClaimTag(Base):
    __tablename__ = "claim_tag"
    __table_args__ = (Index("ix_claim_tag_tag_folded", "tag_folded", "claim_id"),)

    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)
    # normalise(tag): `--tag naming` finds `Naming`; a claim holds one tag per folded form.
    tag_folded: Mapped[str] = mapped_column(String(300))


class Evidence(Base):
    """Something later that bears on a claim. Insert-only: a retraction is an event."""

    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint(_one_of("stance", STANCES), name="stance"),
        CheckConstraint(_one_of("tier", TIERS), name="tier"),
        Index("ix_evidence_claim_id", "claim_id"),
        # ix_evidence_repeat: see `declare_dialect_indexes`.
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"))
    stance: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    url: Mapped[str | None] = mapped_column(Text)
    observed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str | None] = mapped_column(String(16))
    # The source's name when this was recorded, as its `evidence_added` event seals it
    # (the source may be renamed since: `source` gives its name now).
    source_name: Mapped[str | None] = mapped_column(String(200))

    source: Mapped[Source | None] = relationship(lazy="joined", innerjoin=False)


class ClaimEvent(Base):
    """One row of a claim's history. Insert-only."""

    __tablename__ = "claim_event"
    __table_args__ = (
        CheckConstraint(_one_of("event", EVENT_KINDS), name="event"),
        CheckConstraint(_one_of("to_status", STATUSES), name="to_status"),
        Index("ix_claim_event_claim_id", "claim_id", "id"),
        Index("ix_claim_event_recorded_at", "recorded_at"),
        Index("ix_claim_event_evidence_id", "evidence_id"),
        Index("ix_claim_event_changeset", "changeset_id", "claim_id"),
        # ix_claim_event_undoes: see `declare_dialect_indexes`.
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"))
    event: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    # For `resolved` events: the status the user asked for. `to_status` is what
    # the claim became, which differs when later evidence follows the resolution.
    resolved_as: Mapped[str | None] = mapped_column(String(16))
    effective_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    # What actually happened, given by a step that resolves the claim (`--actual`).
    actual: Mapped[str | None] = mapped_column(Text)
    # For `edited` events: {field: [old, new]}; for `linked`/`unlinked`: {kind, claim}.
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    # The database's own name for who wrote the row (PostgreSQL's session_user; NULL
    # on SQLite): `--by` names the actor, and cannot change this.
    db_user: Mapped[str | None] = mapped_column(String(200))
    # SHA-256 of the previous event's hash in this claim's history and this event
    # (tracker.ledger.chain): `tracker db verify` recomputes every chain.
    hash: Mapped[str] = mapped_column(String(64))
    # The uid of the event this one reverses (`tracker undo`; a `resolution_retracted`
    # names its resolution so), sealed with the rest: which changes were undone is history.
    undoes: Mapped[str | None] = mapped_column(String(36))
    # The command that wrote the row here (Changeset): local, neither sealed nor exported.
    changeset_id: Mapped[int | None] = mapped_column(ForeignKey("changeset.id"))


class Changeset(Base):
    """What one command wrote in this database: each event it wrote names it. `undo` finds
    an actor's latest change here by it. Local to this database, like ids: an import is
    one change of whoever ran it, whoever made the events it copies. Which events were
    undone is history (`ClaimEvent.undoes`); `undid` only says which change an undo
    reversed, so the next one looks further back without reading history."""

    __tablename__ = "changeset"
    __table_args__ = (
        Index("ix_changeset_actor", "actor", "id"),
        Index("ix_changeset_undid", "undid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor: Mapped[str] = mapped_column(String(200))
    made_at: Mapped[datetime] = mapped_column(DateTime)
    undid: Mapped[int | None] = mapped_column(ForeignKey("changeset.id"))


class ClaimLink(Base):
    """CLAIM `kind` OTHER, in force from `linked_on` until `unlinked_on` (NULL: still is).
    A cache of the replay of the `linked` and `unlinked` events in CLAIM's history, as a
    claim's status is of its steps: `--as-of` reads which links were in force then."""

    __tablename__ = "claim_link"
    __table_args__ = (
        CheckConstraint(_one_of("kind", LINK_KINDS), name="kind"),
        CheckConstraint("claim_id <> other_id", name="not_itself"),
        Index("ix_claim_link_other_id", "other_id"),
        Index("ix_claim_link_kind", "kind", "claim_id"),
    )

    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), primary_key=True)
    linked_on: Mapped[date] = mapped_column(Date, primary_key=True)
    unlinked_on: Mapped[date | None] = mapped_column(Date)


# A span's four times, last in each of its indexes: "in force then" is read from the index.
_SPAN_TIMES = ("known_to", "known_from", "valid_from", "valid_to")


class StatusSpan(Base):
    """A claim's status, resolved_on and actual on the days [valid_from, valid_to), as known
    over the instants [known_from, known_to) (tracker.rules.timeline): what `--as-of` and
    `--known-on` read. Written by the ledger with the events it replays, rewritten whole
    for a claim whose history changed; `tracker db check` proves it against the replay.
    An open end is a far date (timeline.OPEN_DAY, OPEN_MOMENT), not NULL: "in force then"
    is range conditions on an index."""

    __tablename__ = "status_span"
    # A read as of a day starts from the spans, as today's starts from the claims: so a
    # span carries copies of the claim columns those reads narrow, order and count by
    # (expected_end, source_id, likelihood: SPAN_COPIES, rewritten with the claim's), and
    # its indexes are the claims' status indexes with the four times after them: a list
    # then reads in order and skips the spans not in force, and a count reads the index
    # alone, as of a day or as known on one (times first made `--known-on` read every
    # span: 34 s for a report of 1,000,000 claims, against 2 s). The primary key finds
    # one claim's rows (`show`). tests/bench/read_path.py measured each index's read.
    __table_args__ = (
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        # Claims in a status by id (a list's page) and counted by status.
        Index("ix_status_span_status_claim", "status", "claim_id", *_SPAN_TIMES),
        # Claims in a status by due date (pending, overdue) and counted overdue.
        Index("ix_status_span_status_due", "status", "expected_end", "claim_id", *_SPAN_TIMES),
        # Track records: every source's claims by status, with what its scores need.
        Index("ix_status_span_source", "source_id", "status", "likelihood", "expected_end",
              *_SPAN_TIMES),
        # The recently resolved claims: the few spans resolved in a window.
        Index("ix_status_span_resolved_on", "resolved_on", "status", *_SPAN_TIMES),
    )  # fmt: skip

    # Days and instants are numbers on SQLite (tracker.db.numbered_times), dates and
    # datetimes elsewhere; read and bound as dates and datetimes everywhere.
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), primary_key=True)
    known_from: Mapped[datetime] = mapped_column(NumberedMoment, primary_key=True)
    valid_from: Mapped[date] = mapped_column(NumberedDay, primary_key=True)
    valid_to: Mapped[date] = mapped_column(NumberedDay)
    known_to: Mapped[datetime] = mapped_column(NumberedMoment)
    status: Mapped[str] = mapped_column(String(16))
    resolved_on: Mapped[date | None] = mapped_column(NumberedDay)
    actual: Mapped[str | None] = mapped_column(Text)
    # Copies of the claim's columns (SPAN_COPIES), the same in each of its spans.
    expected_end: Mapped[date | None] = mapped_column(NumberedDay)
    source_id: Mapped[int | None] = mapped_column(Integer)
    likelihood: Mapped[float | None] = mapped_column(Float)


# The claim columns each of its status spans carries a copy of (see StatusSpan).
SPAN_COPIES = ("expected_end", "source_id", "likelihood")


# -- the evidence inbox: feeds watched, articles read, suggestions made -------------------

# What a person decided about a suggestion; `superseded`: a later revision of its article
# was suggested for the same claim instead.
SUGGESTION_STATES = ("open", "accepted", "rejected", "superseded")
ARTICLE_STANCES = ("for", "against", "observing")


class Feed(Base):
    """A feed `tracker watch` reads when it is given no source, with what the server said
    last time (for a conditional GET)."""

    __tablename__ = "feed"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    url_hash: Mapped[str] = mapped_column(String(32), unique=True)  # digest(url)
    added_at: Mapped[datetime] = mapped_column(DateTime)
    added_by: Mapped[str] = mapped_column(String(200))
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime)


class WatchedArticle(Base):
    """One revision of an article `tracker watch` read: a feed item or a page. An item
    whose title or text changed since it was seen is stored again as its next revision."""

    __tablename__ = "watched_article"
    __table_args__ = (Index("ix_watched_article_url_hash", "url_hash", "revision", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text)  # the item's link (else its feed's id for it)
    url_hash: Mapped[str] = mapped_column(String(32))  # digest(url)
    revision: Mapped[int] = mapped_column(Integer)  # 1, 2, ...
    title: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(200))
    published_on: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str | None] = mapped_column(Text)  # read from the item or its page's HTML
    content_hash: Mapped[str] = mapped_column(String(32))  # digest(title, text)
    fetched_at: Mapped[datetime] = mapped_column(DateTime)
    feed_url: Mapped[str | None] = mapped_column(Text)  # where it was found


class Suggestion(Base):
    """An article that may be evidence for a claim, waiting for a person's decision."""

    __tablename__ = "suggestion"
    __table_args__ = (
        CheckConstraint(_one_of("stance", ARTICLE_STANCES), name="stance"),
        CheckConstraint(_one_of("state", SUGGESTION_STATES), name="state"),
        CheckConstraint("score >= 0 AND score <= 1", name="score"),
        Index("ix_suggestion_article_id", "article_id", "claim_id", unique=True),
        Index("ix_suggestion_state_claim_id", "state", "claim_id"),
        Index("ix_suggestion_claim_id", "claim_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("watched_article.id"))
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"))
    score: Mapped[float] = mapped_column(Float)
    stance: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="open")
    suggested_at: Mapped[datetime] = mapped_column(DateTime)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    # The evidence an accepted suggestion became (an open one keeps it when that evidence
    # was retracted: an undo of the retraction accepts it again). No foreign key: evidence
    # is never deleted (its triggers refuse it), and history tables stay referenced by
    # history alone.
    evidence_id: Mapped[int | None] = mapped_column(Integer)


def declare_dialect_indexes() -> None:
    """Add the indexes whose declaration names a dialect to the models' tables, once.

    Naming a dialect in a model (postgresql_where=...) imports that dialect's package when
    the class is made: the PostgreSQL and MySQL ones cost ~45 ms on every command, SQLite's
    included. Only Alembic's view of the schema needs them (migrations make the indexes,
    queries merely use them): migrations/env.py and the schema's tests call this.
    """
    claim_table = Claim.__table__
    assert isinstance(claim_table, Table)  # a model's table, though typed as any FromClause
    if "ix_claim_withdrawn" in {index.name for index in claim_table.indexes}:
        return
    claim, evidence = claim_table.c, Evidence.__table__.c
    # Only the withdrawn claims, which are few: counts take them away from aggregates
    # that the other indexes cover (a `withdrawn` condition would make them read rows).
    Index("ix_claim_withdrawn", claim.id, sqlite_where=text("withdrawn = 1"),
          postgresql_where=text("withdrawn"))  # fmt: skip
    # MariaDB/MySQL index a text column by its first characters.
    Index("ix_claim_subject_folded", claim.subject_folded, mysql_length=TEXT_INDEX_PREFIX)
    # Only the events that reverse another (few): `undo` asks which were reversed.
    Index("ix_claim_event_undoes", ClaimEvent.__table__.c.undoes,
          sqlite_where=text("undoes IS NOT NULL"),
          postgresql_where=text("undoes IS NOT NULL"))  # fmt: skip
    # Only the repeat-tier evidence, which sources' `repeated` counts read.
    Index("ix_evidence_repeat", evidence.claim_id, sqlite_where=text("tier = 'repeat'"),
          postgresql_where=text("tier = 'repeat'"))  # fmt: skip
