"""Status spans carry copies of their claim's due date, source and likelihood.

A read as of another day starts from the spans in force then, as today's starts from the
claims: its counts by status, its overdue claims, its lists by due date and its track
records then need no join to the claims (tests/bench/read_path.py measured `report
--as-of` at 1.33x the plain report with the join, at 100,000 claims). So each span holds
the claim's expected_end, source_id and likelihood, the same in each of its spans
(tracker.db.models.SPAN_COPIES: the ledger rewrites them with the claim, `tracker db
check` compares them), and the spans get the claims' status indexes with the four times
after them (so a read as known on a day uses them too) and one for the track records; the
one by resolved_on gets the times. The claims' index by due date, which 0010 made for
lists by due date as of another day, goes: those now read the spans' own.

The copies are filled before the indexes are made (one write of each index), after the
last column is added: on MariaDB, where a failed revision is undone by dropping what it
added, the filled columns go with it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

COPIES = (
    ("expected_end", sa.Date()),
    ("source_id", sa.Integer()),
    ("likelihood", sa.Float()),
)
TIMES = ["known_to", "known_from", "valid_from", "valid_to"]
# Made new; the index by resolved_on (0010's) is made again with the times.
INDEXES = {
    "ix_status_span_status_claim": ["status", "claim_id", *TIMES],
    "ix_status_span_status_due": ["status", "expected_end", "claim_id", *TIMES],
    "ix_status_span_source": ["source_id", "status", "likelihood", "expected_end", *TIMES],
}
RESOLVED = "ix_status_span_resolved_on"


def upgrade() -> None:
    for name, type_ in COPIES:
        op.add_column("status_span", sa.Column(name, type_, nullable=True))
    # One correlated UPDATE, which every backend runs as a lookup by the claim's key.
    claim = sa.table("claim", *(sa.column(name) for name, _ in COPIES), sa.column("id"))
    span = sa.table("status_span", *(sa.column(name) for name, _ in COPIES),
                    sa.column("claim_id"))  # fmt: skip
    op.execute(
        span.update().values({
            name: sa.select(claim.c[name]).where(claim.c.id == span.c.claim_id)
            .scalar_subquery()
            for name, _ in COPIES
        })
    )  # fmt: skip
    for name, columns in INDEXES.items():
        op.create_index(name, "status_span", columns)
    op.drop_index(RESOLVED, table_name="status_span")
    op.create_index(RESOLVED, "status_span", ["resolved_on", "status", *TIMES])
    op.drop_index("ix_claim_expected_end", table_name="claim")
    # The planner's statistics for the new indexes (InnoDB makes its own as it builds them):
    # without them SQLite takes any index led by the status to match a few rows.
    if op.get_bind().dialect.name in ("sqlite", "postgresql"):
        op.execute("ANALYZE status_span")


def downgrade() -> None:
    op.create_index("ix_claim_expected_end", "claim", ["expected_end", "id"])
    op.drop_index(RESOLVED, table_name="status_span")
    op.create_index(RESOLVED, "status_span", ["resolved_on", "status"])
    for name in INDEXES:
        op.drop_index(name, table_name="status_span")
    with op.batch_alter_table("status_span") as batch:
        for name, _ in COPIES:
            batch.drop_column(name)
