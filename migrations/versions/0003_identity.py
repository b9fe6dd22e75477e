"""Identity that survives copying, and hashes instead of long text in indexes.

- claim, evidence and claim_event get a `uid` (UUID version 7, unique): the same
  row has the same uid in every database it is copied to. Existing rows get one
  dated by their created_at / recorded_at, increasing in id order.
- claim.text_hash (digest of text_norm, indexed) replaces the index on text_norm,
  and article.url_hash (unique) the unique constraint on url: PostgreSQL refuses
  index rows over ~2,700 bytes, which a long claim or URL exceeds.
- claim.twin_hash: for a claim without a key, the digest of (text_norm,
  source_id, said_on); unique, so two keyless twins cannot both be stored.
Rows are read and written a page at a time, so a large database upgrades in flat memory.

The history tables' insert-only triggers are dropped while their rows get uids,
and made again.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from alembic import op

from tracker.db.insert_only import create_triggers, drop_triggers

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

HISTORY_TABLES = ("evidence", "claim_event")


# -- copied from tracker.rules.identity: a migration must not change with the code -----------


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


class _Uids:
    """UUIDv7s dated by each row's own time, strictly increasing in the order asked for."""

    def __init__(self) -> None:
        self.last = (0, 0)  # (milliseconds, the 74 random bits)

    def __call__(self, moment: datetime) -> str:
        milliseconds = int(moment.replace(tzinfo=timezone.utc).timestamp() * 1000)  # noqa: UP017
        random = int.from_bytes(os.urandom(9)) >> 1  # 71 bits: room to count on
        if milliseconds <= self.last[0]:
            milliseconds, random = self.last[0], self.last[1] + 1
        self.last = (milliseconds, random)
        rand_a, rand_b = random >> 62, random & ((1 << 62) - 1)
        value = (milliseconds << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
        digits = f"{value:032x}"
        return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _moment(value: datetime | str) -> datetime:
    """A DateTime as read by a plain select: a datetime, or SQLite's ISO text."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


# -- the upgrade -------------------------------------------------------------------------


def upgrade() -> None:
    _drop_insert_only_triggers()
    for table in ("claim", "evidence", "claim_event"):
        op.add_column(table, sa.Column("uid", sa.String(length=36), nullable=True))
    op.add_column("claim", sa.Column("text_hash", sa.String(length=32), nullable=True))
    op.add_column("claim", sa.Column("twin_hash", sa.String(length=32), nullable=True))
    op.add_column("article", sa.Column("url_hash", sa.String(length=32), nullable=True))
    _fill()
    on_mysql = op.get_bind().dialect.name in ("mysql", "mariadb")
    with op.batch_alter_table("claim") as batch:
        batch.alter_column("uid", existing_type=sa.String(length=36), nullable=False)
        batch.alter_column("text_hash", existing_type=sa.String(length=32), nullable=False)
        batch.drop_index("ix_claim_text_norm")
        batch.create_index("ix_claim_text_hash", ["text_hash"])
        batch.create_unique_constraint(op.f("uq_claim_uid"), ["uid"])
        batch.create_unique_constraint(op.f("uq_claim_twin_hash"), ["twin_hash"])
    with op.batch_alter_table("article") as batch:
        if not on_mysql:  # revision 0001 made no such constraint there
            batch.drop_constraint("uq_article_url", type_="unique")
        batch.create_unique_constraint(op.f("uq_article_url_hash"), ["url_hash"])
    for table in HISTORY_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("uid", existing_type=sa.String(length=36), nullable=False)
            batch.create_unique_constraint(op.f(f"uq_{table}_uid"), ["uid"])
    _create_insert_only_triggers()


def _fill() -> None:
    connection = op.get_bind()
    claim = sa.table(
        "claim",
        *(sa.column(name) for name in ("id", "key", "text_norm", "source_id", "said_on")),
        sa.column("created_at"),
        sa.column("uid"),
        sa.column("text_hash"),
        sa.column("twin_hash"),
    )
    columns = (claim.c.id, claim.c.key, claim.c.text_norm, claim.c.source_id, claim.c.said_on,
               claim.c.created_at)  # fmt: skip
    uids = _Uids()
    twins: set[str | None] = set()
    for rows in _pages(connection, claim, columns):
        updates = []
        for id_, key, text_norm, source_id, said_on, created_at in rows:
            twin = None
            if key is None:
                twin = _digest(text_norm, str(source_id or ""), str(said_on)[:10])
                # The tracker never stored keyless twins; should a database hold some
                # anyway, the first keeps the hash and the others have none.
                twin = None if twin in twins else twin
                twins.add(twin)
            updates.append(
                {
                    "key_": id_,
                    "uid_": uids(_moment(created_at)),
                    "text_": _digest(text_norm),
                    "twin_": twin,
                }
            )
        _update(connection, claim, updates, uid="uid_", text_hash="text_", twin_hash="twin_")
    for name in HISTORY_TABLES:
        uids = _Uids()  # each table's uids dated by its own rows' times
        table = sa.table(name, sa.column("id"), sa.column("recorded_at"), sa.column("uid"))
        for rows in _pages(connection, table, (table.c.id, table.c.recorded_at)):
            updates = [{"key_": id_, "uid_": uids(_moment(at))} for id_, at in rows]
            _update(connection, table, updates, uid="uid_")
    article = sa.table("article", sa.column("id"), sa.column("url"), sa.column("url_hash"))
    for rows in _pages(connection, article, (article.c.id, article.c.url)):
        updates = [{"key_": id_, "url_": _digest(url)} for id_, url in rows if url is not None]
        _update(connection, article, updates, url_hash="url_")


PAGE = 10_000  # rows read at a time: memory stays flat on a large database


def _pages(
    connection: sa.Connection, table: sa.TableClause, columns: tuple[sa.ColumnClause[Any], ...]
) -> Iterator[Sequence[sa.Row[*tuple[Any, ...]]]]:
    """The rows of `table` (the first column its id) in id order, PAGE at a time."""
    last = 0
    while True:
        rows = connection.execute(
            sa.select(*columns).where(table.c.id > last).order_by(table.c.id).limit(PAGE)
        ).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _update(
    connection: sa.Connection, table: sa.TableClause, rows: list[dict[str, Any]], **columns: str
) -> None:
    if rows:
        statement = (
            table.update()
            .where(table.c.id == sa.bindparam("key_"))
            .values({column: sa.bindparam(name) for column, name in columns.items()})
        )
        connection.execute(statement, rows)


def downgrade() -> None:
    on_mysql = op.get_bind().dialect.name in ("mysql", "mariadb")
    _drop_insert_only_triggers()
    for table in HISTORY_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"uq_{table}_uid"), type_="unique")
            batch.drop_column("uid")
    with op.batch_alter_table("article") as batch:
        batch.drop_constraint(op.f("uq_article_url_hash"), type_="unique")
        batch.drop_column("url_hash")
        if not on_mysql:
            batch.create_unique_constraint("uq_article_url", ["url"])
    with op.batch_alter_table("claim") as batch:
        batch.drop_constraint(op.f("uq_claim_twin_hash"), type_="unique")
        batch.drop_constraint(op.f("uq_claim_uid"), type_="unique")
        batch.drop_index("ix_claim_text_hash")
        batch.drop_column("twin_hash")
        batch.drop_column("text_hash")
        batch.drop_column("uid")
        batch.create_index("ix_claim_text_norm", ["text_norm"], mysql_length=255)
    _create_insert_only_triggers()


# -- the insert-only triggers (as 0001 made them; the PostgreSQL function stays) ----------


def _drop_insert_only_triggers() -> None:
    for table in HISTORY_TABLES:
        drop_triggers(table)


def _create_insert_only_triggers() -> None:
    for table in HISTORY_TABLES:
        create_triggers(table)
