"""Withdrawn claims, and tags that are one tag whatever their case.

- claim.withdrawn (false for every existing claim; a partial index holds the few that
  are true), and the claim_event kinds
  `withdrawn` and `restored`: a claim logged by mistake leaves every list but
  keeps its history.
- claim_tag.tag_folded (indexed, in place of the index on tag): `--tag naming` finds
  `Naming`. Tags keep their spelling; a claim that held two spellings of one tag
  keeps the first.

The history table's insert-only triggers are dropped while its CHECK constraint is
rebuilt (SQLite rebuilds the table), and made again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import context, op

from tracker.db.insert_only import create_triggers, drop_triggers

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OLD_KINDS = ("created", "edited", "evidence_added", "evidence_retracted", "resolved")
NEW_KINDS = (*OLD_KINDS, "withdrawn", "restored")


def _kinds(kinds: tuple[str, ...]) -> str:
    return f"event IN ({', '.join(repr(k) for k in kinds)})"


def upgrade() -> None:
    with op.batch_alter_table("claim") as batch:
        batch.add_column(
            sa.Column("withdrawn", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_index(
        "ix_claim_withdrawn",
        "claim",
        ["id"],
        sqlite_where=sa.text("withdrawn = 1"),
        postgresql_where=sa.text("withdrawn"),
    )
    _set_event_kinds(NEW_KINDS)
    op.add_column("claim_tag", sa.Column("tag_folded", sa.String(length=300), nullable=True))
    _fold_tags()
    with op.batch_alter_table("claim_tag") as batch:
        batch.alter_column("tag_folded", existing_type=sa.String(length=300), nullable=False)
        batch.drop_index("ix_claim_tag_tag")
        batch.create_index("ix_claim_tag_tag_folded", ["tag_folded", "claim_id"])


def downgrade() -> None:
    connection = op.get_bind()
    withdrawals = connection.exec_driver_sql(
        "SELECT count(*) FROM claim_event WHERE event IN ('withdrawn', 'restored')"
    ).scalar()
    if withdrawals and context.get_revision_argument() is not None:  # None: base, all goes
        raise RuntimeError(
            "claims have been withdrawn or restored: revision 0003 cannot record that; "
            "export the claims first if you need to go back"
        )
    _set_event_kinds(OLD_KINDS)
    with op.batch_alter_table("claim_tag") as batch:
        batch.drop_index("ix_claim_tag_tag_folded")
        batch.drop_column("tag_folded")
        batch.create_index("ix_claim_tag_tag", ["tag", "claim_id"])
    op.drop_index("ix_claim_withdrawn", table_name="claim")
    with op.batch_alter_table("claim") as batch:
        batch.drop_column("withdrawn")


def _set_event_kinds(kinds: tuple[str, ...]) -> None:
    _drop_insert_only_triggers()
    with op.batch_alter_table("claim_event") as batch:
        batch.drop_constraint(op.f("ck_claim_event_event"), type_="check")
        batch.create_check_constraint("event", _kinds(kinds))
    _create_insert_only_triggers()


def _fold(text: str) -> str:
    # As tracker.rules.text.normalise; copied, since a migration must not change with the code.
    return " ".join(text.split()).casefold()


def _fold_tags() -> None:
    connection = op.get_bind()
    tags = sa.table("claim_tag", sa.column("claim_id"), sa.column("tag"), sa.column("tag_folded"))
    rows = connection.execute(
        sa.select(tags.c.claim_id, tags.c.tag).order_by(tags.c.claim_id, tags.c.tag)
    ).all()
    seen: set[tuple[int, str]] = set()
    updates, deletes = [], []
    for claim_id, tag in rows:
        if (claim_id, _fold(tag)) in seen:  # another spelling of a tag the claim has
            deletes.append({"c": claim_id, "t": tag})
            continue
        seen.add((claim_id, _fold(tag)))
        updates.append({"c": claim_id, "t": tag, "f": _fold(tag)})
    match = (tags.c.claim_id == sa.bindparam("c")) & (tags.c.tag == sa.bindparam("t"))
    if deletes:
        connection.execute(tags.delete().where(match), deletes)
    if updates:
        connection.execute(tags.update().where(match).values(tag_folded=sa.bindparam("f")), updates)


# -- the insert-only triggers on claim_event (as 0001 made them) --------------------------


def _drop_insert_only_triggers() -> None:
    drop_triggers("claim_event")


def _create_insert_only_triggers() -> None:
    create_triggers("claim_event")
