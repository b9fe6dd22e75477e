"""On SQLite, status spans keep their days and instants as numbers.

A read as of a day tests four times on every span it scans, and SQLite stored them as
ISO text, compared byte by byte: at 1,000,000 claims the track records' scan as of a
day took 0.44 s on text and 0.28 s on integers (today's scan of the claims: 0.20 s).
So on SQLite a span's days (valid_from, valid_to, resolved_on, expected_end) are its
number of days since 1970-01-01 and its instants (known_from, known_to) microseconds
since then (tracker.db.numbered_times). SQLite cannot change a column's type: the table
is made again under a new name, filled with the converted rows, and put in place of the
old one, with its indexes. PostgreSQL and MariaDB compare their dates as numbers
already: there nothing changes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.types import TypeEngine

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

STATUSES = ("pending", "confirmed", "refuted", "disputed")
DAYS = ("valid_from", "valid_to", "resolved_on", "expected_end")
MOMENTS = ("known_from", "known_to")
COLUMNS = ("claim_id", "known_from", "valid_from", "valid_to", "known_to", "status",
           "resolved_on", "actual", "expected_end", "source_id", "likelihood")  # fmt: skip
TIMES = ["known_to", "known_from", "valid_from", "valid_to"]
INDEXES = {
    "ix_status_span_status_claim": ["status", "claim_id", *TIMES],
    "ix_status_span_status_due": ["status", "expected_end", "claim_id", *TIMES],
    "ix_status_span_source": ["source_id", "status", "likelihood", "expected_end", *TIMES],
    "ix_status_span_resolved_on": ["resolved_on", "status", *TIMES],
}


def _day_number(column: str) -> str:
    # julianday() of a day is its midnight, a whole number and a half: exact in a double.
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _moment_number(column: str) -> str:
    # 'YYYY-MM-DD HH:MM:SS.ffffff' (as SQLAlchemy stores a DateTime): whole seconds by
    # strftime, the microseconds from the text (a double would round them).
    return (f"CAST(strftime('%s', substr({column}, 1, 19)) AS INTEGER) * 1000000"
            f" + CAST(substr({column}, 21, 6) AS INTEGER)")  # fmt: skip


def _day_text(column: str) -> str:
    return f"date({column} * 86400, 'unixepoch')"


def _moment_text(column: str) -> str:
    # Seconds and microseconds by floor division (SQLite's / and % truncate toward zero).
    micro = f"(({column} % 1000000) + 1000000) % 1000000"
    seconds = f"({column} - {micro}) / 1000000"
    return f"strftime('%Y-%m-%d %H:%M:%S', {seconds}, 'unixepoch') || printf('.%06d', {micro})"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(sa.Integer(), sa.BigInteger(), _day_number, _moment_number)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(sa.Date(), sa.DateTime(), _day_text, _moment_text)


def _rebuild(
    day_type: TypeEngine[Any],
    moment_type: TypeEngine[Any],
    day: Callable[[str], str],
    moment: Callable[[str], str],
) -> None:
    """status_span made again with its days and instants of these types, converted by
    these SQL expressions."""
    new = "status_span_rebuilt"
    op.create_table(
        new,
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("known_from", moment_type, nullable=False),
        sa.Column("valid_from", day_type, nullable=False),
        sa.Column("valid_to", day_type, nullable=False),
        sa.Column("known_to", moment_type, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resolved_on", day_type, nullable=True),
        sa.Column("actual", sa.Text(), nullable=True),
        sa.Column("expected_end", day_type, nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("likelihood", sa.Float(), nullable=True),
        sa.CheckConstraint(
            "status IN (" + ", ".join(repr(s) for s in STATUSES) + ")",
            name=op.f("ck_status_span_status"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_status_span_claim_id_claim")
        ),
        sa.PrimaryKeyConstraint(
            "claim_id", "known_from", "valid_from", name=op.f("pk_status_span")
        ),
    )
    converted = [day(c) if c in DAYS else moment(c) if c in MOMENTS else c for c in COLUMNS]
    op.execute(
        f"INSERT INTO {new} ({', '.join(COLUMNS)}) SELECT {', '.join(converted)} FROM status_span"
    )
    op.drop_table("status_span")  # and its indexes
    op.rename_table(new, "status_span")
    for name, columns in INDEXES.items():
        op.create_index(name, "status_span", columns)
    op.execute("ANALYZE status_span")
