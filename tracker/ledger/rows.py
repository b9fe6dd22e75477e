"""How the ledger's rows reach the database: ids up front, one executemany per table.

Rows go straight to the driver (`exec_driver_sql`) as tuples in `COLUMNS`
order, with their values already as the driver stores them: SQLAlchemy's
per-row parameter processing would cost more than the inserts themselves.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, text

from tracker.db.models import SPAN_COPIES, is_mysql
from tracker.db.numbered_times import day_number, moment_number

Row = tuple[Any, ...]  # one row's values, in its table's COLUMNS order


# Rows made by name, so mypy sees a misspelled or missing column and no two values can
# swap places; each holds its model's columns in their order (tests/test_database.py).
# Values are as the driver stores them (Rows.day, Rows.moment, Rows.json).
class ChangesetRow(NamedTuple):
    id: int
    actor: str
    made_at: Any
    undid: int | None


class ArticleRow(NamedTuple):
    id: int
    url: str | None
    url_hash: str | None
    title: str | None
    outlet: str | None
    published_on: Any


class EvidenceRow(NamedTuple):
    id: int
    uid: str
    claim_id: int
    stance: str
    source_id: int | None
    url: str | None
    observed_on: Any
    note: str | None
    recorded_at: Any
    recorded_by: str
    tier: str | None
    source_name: str | None


class EventRow(NamedTuple):
    id: int
    uid: str
    claim_id: int
    event: str
    from_status: str | None
    to_status: str
    evidence_id: int | None
    resolved_as: str | None
    effective_on: Any
    recorded_at: Any
    actor: str
    reason: str | None
    actual: str | None
    changes: str | None
    db_user: str | None
    hash: str
    undoes: str | None
    changeset_id: int


# The columns each insert writes, in order (foreign keys first: articles before
# claims, evidence before the events that name it). Sources are written at once
# (tracker.ledger.provenance).
COLUMNS = {
    "changeset": ChangesetRow._fields,
    "article": ArticleRow._fields,
    "claim": (
        "id", "uid", "handle", "key", "text", "text_norm", "text_hash", "twin_hash", "subject",
        "subject_folded", "source_id", "article_id", "said_on", "expected_text",
        "expected_start", "expected_end", "hedge", "likelihood", "status", "resolved_on",
        "withdrawn", "quote", "actual", "created_at", "updated_at",
    ),
    "claim_tag": ("claim_id", "tag", "tag_folded"),
    "evidence": EvidenceRow._fields,
    "claim_event": EventRow._fields,
    "claim_link": ("claim_id", "kind", "other_id", "linked_on", "unlinked_on"),
    "status_span": (
        "claim_id", "known_from", "valid_from", "valid_to", "known_to", "status", "resolved_on",
        "actual", *SPAN_COPIES,
    ),
}  # fmt: skip


class Ids:
    """Primary keys handed out before the rows are written, so executemany needs no RETURNING.

    SQLite: the write lock is ours for the whole transaction, so max(id) + 1
    onwards is free. PostgreSQL: blocks of the table's own sequence, as large
    as `expect` says (claim ids are what users type: no more are taken than used).
    MariaDB/MySQL have no sequences: a writer first locks the one row of
    alembic_version, which every writer that takes ids locks too, then counts
    from max(id) + 1 as on SQLite (READ COMMITTED: max sees every committed row).
    So writers that add rows take turns there, as on SQLite.
    """

    def __init__(self, conn: Connection, *, counting: bool = False):
        self.conn = conn
        # Ids counted from max(id) + 1: SQLite, MariaDB/MySQL, or a dry run (rolled back:
        # a sequence would keep the gap it left).
        self.locking = not counting and is_mysql(conn.dialect.name)
        self.counting = counting or self.locking or conn.dialect.name == "sqlite"
        self.free: dict[str, list[int]] = defaultdict(list)
        self.next: dict[str, int] = {}
        self.wanted: dict[str, int] = {}

    def expect(self, **counts: int) -> None:
        """How many ids each table will need next, at most."""
        self.free.clear()
        self.wanted = counts

    def take(self, table: str) -> int:
        if self.counting:
            if table not in self.next:
                if self.locking and not self.next:
                    self.conn.exec_driver_sql("SELECT version_num FROM alembic_version FOR UPDATE")
                query = text(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608 (a table name)
                self.next[table] = self.conn.execute(query).scalar_one() + 1
            self.next[table] += 1
            return self.next[table] - 1
        if not self.free[table]:
            query = text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            )
            n = max(self.wanted.pop(table, 1), 1)
            taken = self.conn.execute(query, {"table": table, "n": n}).scalars()
            self.free[table] = sorted(taken, reverse=True)  # handed out smallest first
        return self.free[table].pop()


def _same(value: Any) -> Any:
    return value


def _sqlite_day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _sqlite_moment(value: datetime | None) -> str | None:
    # As SQLAlchemy stores DateTime in SQLite (the driver's own adapter differs).
    return None if value is None else value.isoformat(" ", "microseconds")


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


@dataclass
class Rows:
    """Rows waiting to be written: inserts per table, then updates of stored rows."""

    conn: Connection
    inserts: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    # Stored claims' new values, by the columns that changed (one statement per set).
    claim_updates: dict[tuple[str, ...], list[Row]] = field(
        default_factory=lambda: defaultdict(list)
    )
    article_updates: dict[int, Row] = field(default_factory=dict)
    retagged: set[int] = field(default_factory=set)
    relinked: set[int] = field(default_factory=set)  # claims whose links are rewritten whole
    respanned: set[int] = field(default_factory=set)  # ... whose status spans are

    def __post_init__(self) -> None:
        sqlite = self.conn.dialect.name == "sqlite"
        self.day = _sqlite_day if sqlite else _same
        self.moment = _sqlite_moment if sqlite else _same
        # A status span's days and instants (tracker.db.numbered_times).
        self.span_day = day_number if sqlite else _same
        self.span_moment = moment_number if sqlite else _same
        self.mark = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"
        # `key` is a reserved word on MariaDB/MySQL: every column name as the dialect quotes it.
        self.name = self.conn.dialect.identifier_preparer.quote

    def add(self, table: str, row: Row) -> None:
        self.inserts[table].append(row)

    def update_claim(self, claim_id: int, columns: tuple[str, ...], values: list[Any]) -> None:
        self.claim_updates[columns].append((*values, claim_id))

    def write(self) -> None:
        mark = self.mark
        if self.retagged:  # tags are rewritten whole: delete first, the inserts follow
            self.conn.exec_driver_sql(
                f"DELETE FROM claim_tag WHERE claim_id = {mark}", [(i,) for i in self.retagged]
            )
            self.retagged.clear()
        if self.relinked:
            self.conn.exec_driver_sql(
                f"DELETE FROM claim_link WHERE claim_id = {mark}", [(i,) for i in self.relinked]
            )
            self.relinked.clear()
        if self.respanned:
            self.conn.exec_driver_sql(
                f"DELETE FROM status_span WHERE claim_id = {mark}", [(i,) for i in self.respanned]
            )
            self.respanned.clear()
        self._insert("article")
        # Stored claims change before new ones are written: a claim whose text, key or
        # source an import changes frees its old twin hash or key for a new claim.
        if self.article_updates:
            sql = (
                f"UPDATE article SET title = {mark}, outlet = {mark}, published_on = {mark} "
                f"WHERE id = {mark}"
            )
            self.conn.exec_driver_sql(sql, list(self.article_updates.values()))
            self.article_updates.clear()
        for columns, rows in self.claim_updates.items():
            assignments = ", ".join(f"{self.name(column)} = {mark}" for column in columns)
            self.conn.exec_driver_sql(f"UPDATE claim SET {assignments} WHERE id = {mark}", rows)
        self.claim_updates.clear()
        for table in COLUMNS:
            self._insert(table)

    def _insert(self, table: str) -> None:
        rows = self.inserts.get(table)
        if not rows:
            return
        names = ", ".join(map(self.name, COLUMNS[table]))
        if self.conn.dialect.name == "postgresql":
            # COPY streams the rows in one statement, faster than executemany's.
            driver = self.conn.connection.dbapi_connection
            assert driver is not None  # the connection is open: the transaction is on it
            cursor = driver.cursor()
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join([self.mark] * len(COLUMNS[table]))
            self.conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        rows.clear()

    # -- values as the driver stores them -------------------------------------------------

    json = staticmethod(_json)
