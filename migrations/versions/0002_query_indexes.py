"""Indexes the list, report and sources queries use, measured on a million claims.

- claim (status, id): `list --status S --limit N` walks one status in id order
  instead of sorting every claim of that status.
- claim (said_on, id): the report's latest claims, and point-in-time views.
- claim (status, resolved_on): the report's recently resolved claims.
- claim (source_id, status, likelihood, expected_end) replaces (source_id,
  status): it covers the per-source GROUP BY of `sources` and the report, so
  the aggregate reads the index alone.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_claim_status_id", "claim", ["status", "id"])
    op.create_index("ix_claim_said_on", "claim", ["said_on", "id"])
    op.create_index("ix_claim_status_resolved_on", "claim", ["status", "resolved_on"])
    op.drop_index("ix_claim_source_status", table_name="claim")
    op.create_index(
        "ix_claim_source_status_cover",
        "claim",
        ["source_id", "status", "likelihood", "expected_end"],
    )


def downgrade() -> None:
    op.drop_index("ix_claim_source_status_cover", table_name="claim")
    op.create_index("ix_claim_source_status", "claim", ["source_id", "status"])
    op.drop_index("ix_claim_status_resolved_on", table_name="claim")
    op.drop_index("ix_claim_said_on", table_name="claim")
    op.drop_index("ix_claim_status_id", table_name="claim")
