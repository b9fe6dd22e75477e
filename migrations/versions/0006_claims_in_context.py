"""Claims in context and claims from articles (design.md §4 and §11).

- claim.quote: the sentence of the article a claim was extracted from.
- claim.actual and claim_event.actual: what actually happened, as a resolving step
  said it; the claim's is the replay of its steps' (a cache, as its status is).
- evidence.tier: official, first-hand, document, leak or repeat (NULL: not said).
- claim_event kinds `linked` and `unlinked`; the link (kind and the other claim's
  uid) is in the event's `changes`, which its hash seals.
- claim_link: when each link was in force (linked_on, and unlinked_on once it is
  undone), a cache of the replay of those events, so that reports (as of any date)
  find duplicates, dependencies and contradictions without reading history.

The history table's insert-only triggers are dropped while its CHECK constraint is
rebuilt (SQLite rebuilds the table), and made again.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import context, op

from tracker.db.insert_only import create_triggers, drop_triggers

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

OLD_KINDS = (
    "created", "edited", "evidence_added", "evidence_retracted", "resolved", "withdrawn",
    "restored",
)  # fmt: skip
NEW_KINDS = (*OLD_KINDS, "linked", "unlinked")
TIERS = ("official", "first-hand", "document", "leak", "repeat")
LINK_KINDS = ("duplicates", "supersedes", "depends-on", "contradicts")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    with op.batch_alter_table("claim") as batch:
        batch.add_column(sa.Column("quote", sa.Text(), nullable=True))
        batch.add_column(sa.Column("actual", sa.Text(), nullable=True))
    drop_triggers("evidence")
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("tier", sa.String(length=16), nullable=True))
        batch.create_check_constraint("tier", _one_of("tier", TIERS))
    create_triggers("evidence")
    op.create_index(
        "ix_evidence_repeat",
        "evidence",
        ["claim_id"],
        sqlite_where=sa.text("tier = 'repeat'"),
        postgresql_where=sa.text("tier = 'repeat'"),
    )
    drop_triggers("claim_event")
    with op.batch_alter_table("claim_event") as batch:
        batch.add_column(sa.Column("actual", sa.Text(), nullable=True))
        batch.drop_constraint(op.f("ck_claim_event_event"), type_="check")
        batch.create_check_constraint("event", _one_of("event", NEW_KINDS))
    create_triggers("claim_event")
    op.create_table(
        "claim_link",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("linked_on", sa.Date(), nullable=False),
        sa.Column("unlinked_on", sa.Date(), nullable=True),
        sa.CheckConstraint(_one_of("kind", LINK_KINDS), name=op.f("ck_claim_link_kind")),
        sa.CheckConstraint("claim_id <> other_id", name=op.f("ck_claim_link_not_itself")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_link_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["other_id"], ["claim.id"], name=op.f("fk_claim_link_other_id_claim")
        ),
        sa.PrimaryKeyConstraint(
            "claim_id", "kind", "other_id", "linked_on", name=op.f("pk_claim_link")
        ),
    )
    op.create_index("ix_claim_link_other_id", "claim_link", ["other_id"])
    op.create_index("ix_claim_link_kind", "claim_link", ["kind", "claim_id"])


def refusal(connection: sa.Connection, target: str | None) -> str | None:
    """Why this revision cannot be undone on the way to `target` (None: base, where every
    table goes), before any revision is: tracker.db.migrate asks first."""
    used = connection.exec_driver_sql(
        "SELECT (SELECT count(*) FROM claim_event WHERE event IN ('linked', 'unlinked')"
        " OR actual IS NOT NULL) + (SELECT count(*) FROM evidence WHERE tier IS NOT NULL)"
        " + (SELECT count(*) FROM claim WHERE quote IS NOT NULL)"
    ).scalar()
    if used and target is not None:
        return (
            "claims have links, tiers, quotes or what actually happened: revision 0005 "
            "cannot record them; export the claims first if you need to go back"
        )
    return None


def downgrade() -> None:
    refused = refusal(op.get_bind(), context.get_revision_argument())
    if refused:
        raise RuntimeError(refused)
    op.drop_table("claim_link")  # with its indexes (MariaDB keeps them for the foreign keys)
    drop_triggers("claim_event")
    with op.batch_alter_table("claim_event") as batch:
        batch.drop_constraint(op.f("ck_claim_event_event"), type_="check")
        batch.create_check_constraint("event", _one_of("event", OLD_KINDS))
        batch.drop_column("actual")
    create_triggers("claim_event")
    op.drop_index("ix_evidence_repeat", table_name="evidence")
    drop_triggers("evidence")
    with op.batch_alter_table("evidence") as batch:
        batch.drop_constraint(op.f("ck_evidence_tier"), type_="check")
        batch.drop_column("tier")
    create_triggers("evidence")
    with op.batch_alter_table("claim") as batch:
        batch.drop_column("actual")
        batch.drop_column("quote")
