"""Indexes the list, report and sources queries use, measured on a million claims,
and a case-folded subject for `list --subject`.

- claim (status, id): `list --status S --limit N` walks one status in id order
  instead of sorting every claim of that status.
- claim (said_on, id): the report's latest claims, and point-in-time views.
- claim (status, resolved_on): the report's recently resolved claims.
- claim (source_id, status, likelihood, expected_end) replaces (source_id,
  status): it covers the per-source GROUP BY of `sources` and the report, so
  the aggregate reads the index alone.
- claim.subject_folded (indexed) replaces the index on subject, which no query
  could use: `--subject` matches case-insensitively, and SQLite's lower() folds
  ASCII only, so the fold is Python's, stored.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op


def _fold(text: str) -> str:
    # As tracker.rules.text.normalise; copied, since a migration must not change with the code.
    return " ".join(text.split()).casefold()


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claim") as batch:
        batch.add_column(sa.Column("subject_folded", sa.Text(), nullable=True))
    claim = sa.table(
        "claim", sa.column("id", sa.Integer), sa.column("subject"), sa.column("subject_folded")
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(claim.c.id, claim.c.subject).where(claim.c.subject.is_not(None))
    )
    updates = [{"key": id_, "folded": _fold(subject)} for id_, subject in rows]
    if updates:
        connection.execute(
            claim.update()
            .where(claim.c.id == sa.bindparam("key"))
            .values(subject_folded=sa.bindparam("folded")),
            updates,
        )
    op.drop_index("ix_claim_subject", table_name="claim")
    op.create_index("ix_claim_subject_folded", "claim", ["subject_folded"], mysql_length=255)
    op.create_index("ix_claim_status_id", "claim", ["status", "id"])
    op.create_index("ix_claim_said_on", "claim", ["said_on", "id"])
    op.create_index("ix_claim_status_resolved_on", "claim", ["status", "resolved_on"])
    # Made before the index it replaces is dropped: MariaDB/MySQL keep one index on
    # source_id at all times, for its foreign key.
    op.create_index(
        "ix_claim_source_status_cover",
        "claim",
        ["source_id", "status", "likelihood", "expected_end"],
    )
    op.drop_index("ix_claim_source_status", table_name="claim")


def downgrade() -> None:
    op.drop_index("ix_claim_subject_folded", table_name="claim")
    op.create_index("ix_claim_subject", "claim", ["subject"])
    with op.batch_alter_table("claim") as batch:
        batch.drop_column("subject_folded")
    op.create_index("ix_claim_source_status", "claim", ["source_id", "status"])
    op.drop_index("ix_claim_source_status_cover", table_name="claim")
    op.drop_index("ix_claim_status_resolved_on", table_name="claim")
    op.drop_index("ix_claim_said_on", table_name="claim")
    op.drop_index("ix_claim_status_id", table_name="claim")
