"""Sources renamed and merged, as history (design.md §7).

- source.alias_of: a name that now means another source (a former name, or a source
  merged into another). Claims always name the source itself; evidence keeps the row it
  was recorded under, whose `name` is kept equal to its source's, so every reader shows
  the current name.
- evidence.source_name: the source's name when the evidence was recorded, which its
  `evidence_added` event seals (tracker.ledger.chain): a rename changes the name shown,
  never what was sealed. Filled in here from the names sources have had until now (no
  source was ever renamed before this revision).
- claim_event kinds `source_renamed` and `source_merged`, one on each claim whose source
  or evidence a rename or merge touched.

The history tables' insert-only triggers are dropped while evidence gets its names and
the event CHECK constraint is rebuilt (SQLite rebuilds the table), and made again.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy import Connection

from tracker.db.insert_only import create_triggers, drop_triggers

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

OLD_KINDS = (
    "created", "edited", "evidence_added", "evidence_retracted", "resolved", "withdrawn",
    "restored", "linked", "unlinked",
)  # fmt: skip
NEW_KINDS = (*OLD_KINDS, "source_renamed", "source_merged")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    with op.batch_alter_table("source") as batch:
        batch.add_column(sa.Column("alias_of", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_source_alias_of_source"), "source", ["alias_of"], ["id"])
    drop_triggers("claim_event")
    with op.batch_alter_table("claim_event") as batch:
        batch.drop_constraint(op.f("ck_claim_event_event"), type_="check")
        batch.create_check_constraint("event", _one_of("event", NEW_KINDS))
    create_triggers("claim_event")
    drop_triggers("evidence")
    op.add_column("evidence", sa.Column("source_name", sa.String(length=200), nullable=True))
    op.execute(
        "UPDATE evidence SET source_name = "
        "(SELECT source.name FROM source WHERE source.id = evidence.source_id)"
    )
    create_triggers("evidence")


def refusal(connection: Connection, target: str | None) -> str | None:
    """Why this revision cannot be undone on the way to `target` (None: base, where every
    table goes), before any revision is: tracker.db.migrate asks first."""
    used = connection.exec_driver_sql(
        "SELECT (SELECT count(*) FROM claim_event"
        " WHERE event IN ('source_renamed', 'source_merged'))"
        " + (SELECT count(*) FROM source WHERE alias_of IS NOT NULL)"
    ).scalar()
    if used and target is not None:
        return (
            "sources were renamed or merged: the revisions before 0008 cannot record that; "
            "export the claims first if you need to go back"
        )
    return None


def downgrade() -> None:
    refused = refusal(op.get_bind(), context.get_revision_argument())
    if refused:
        raise RuntimeError(refused)
    drop_triggers("evidence")
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("source_name")
    create_triggers("evidence")
    drop_triggers("claim_event")
    with op.batch_alter_table("claim_event") as batch:
        batch.drop_constraint(op.f("ck_claim_event_event"), type_="check")
        batch.create_check_constraint("event", _one_of("event", OLD_KINDS))
    create_triggers("claim_event")
    with op.batch_alter_table("source") as batch:
        batch.drop_constraint(op.f("fk_source_alias_of_source"), type_="foreignkey")
        batch.drop_column("alias_of")
