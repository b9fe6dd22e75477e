"""Handles, and changes that can be undone.

- claim.handle: what people type to name a claim, computed from its uid alone (so the
  same in every database), indexed and not unique (two claims may share one; naming it
  is then ambiguous). Existing claims get theirs, a page at a time.
- changeset: one row per command that wrote (its actor and time), and
  claim_event.changeset_id naming it: which events one command wrote here, so `undo`
  reverses all of them. Local to this database, like ids (neither sealed nor exported).
- claim_event.undoes: the uid of the event an event reverses, sealed by the hash chain
  and exported, so which changes were undone survives copies and merges.
- event kind `resolution_retracted`: a resolution (named by `undoes`) stops counting.

Events written before this revision belong to no changeset: they cannot be undone.
The history table's insert-only triggers are dropped while its CHECK constraint is
rebuilt, and made again.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import context, op

from tracker.db.insert_only import create_triggers, drop_triggers

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

OLD_KINDS = (
    "created", "edited", "evidence_added", "evidence_retracted", "resolved", "withdrawn",
    "restored", "linked", "unlinked", "source_renamed", "source_merged",
)  # fmt: skip
NEW_KINDS = (*OLD_KINDS, "resolution_retracted")
PAGE = 10_000  # claims read at a time: memory stays flat on a large database


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


# -- copied from tracker.rules.identity: a migration must not change with the code -----------

_HANDLE_LETTERS = "abcdefghijkmnpqrstuvwxyz"
_HANDLE_SYMBOLS = _HANDLE_LETTERS + "23456789"


def _handle(uid: str) -> str:
    number = int.from_bytes(hashlib.sha256(uid.encode("ascii")).digest()[:8], "big")
    number, first = divmod(number, len(_HANDLE_LETTERS))
    symbols = [_HANDLE_LETTERS[first]]
    for _ in range(9):
        number, index = divmod(number, len(_HANDLE_SYMBOLS))
        symbols.append(_HANDLE_SYMBOLS[index])
    return "".join(symbols)


# -- the upgrade -------------------------------------------------------------------------


def upgrade() -> None:
    op.create_table(
        "changeset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("undid", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["undid"], ["changeset.id"], name=op.f("fk_changeset_undid_changeset")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changeset")),
    )
    op.create_index("ix_changeset_actor", "changeset", ["actor", "id"])
    op.create_index("ix_changeset_undid", "changeset", ["undid"])
    drop_triggers("claim_event")
    with op.batch_alter_table("claim_event") as batch:
        batch.add_column(sa.Column("undoes", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("changeset_id", sa.Integer(), nullable=True))
    # The index first: MariaDB would make one of its own for the foreign key.
    op.create_index("ix_claim_event_changeset", "claim_event", ["changeset_id", "claim_id"])
    with op.batch_alter_table("claim_event") as batch:
        batch.create_foreign_key(
            op.f("fk_claim_event_changeset_id_changeset"), "changeset", ["changeset_id"], ["id"]
        )
        batch.drop_constraint(op.f("ck_claim_event_event"), type_="check")
        batch.create_check_constraint("event", _one_of("event", NEW_KINDS))
    create_triggers("claim_event")
    op.create_index(
        "ix_claim_event_undoes",
        "claim_event",
        ["undoes"],
        sqlite_where=sa.text("undoes IS NOT NULL"),
        postgresql_where=sa.text("undoes IS NOT NULL"),
    )
    op.add_column("claim", sa.Column("handle", sa.String(length=10), nullable=True))
    _fill_handles()
    with op.batch_alter_table("claim") as batch:
        batch.alter_column("handle", existing_type=sa.String(length=10), nullable=False)
    op.create_index("ix_claim_handle", "claim", ["handle"])


def _fill_handles() -> None:
    connection = op.get_bind()
    claim = sa.table("claim", sa.column("id"), sa.column("uid"), sa.column("handle"))
    statement = (
        claim.update()
        .where(claim.c.id == sa.bindparam("key_"))
        .values(handle=sa.bindparam("handle_"))
    )
    for rows in _pages(connection, claim):
        connection.execute(statement, [{"key_": id_, "handle_": _handle(uid)} for id_, uid in rows])


def _pages(connection: sa.Connection, claim: sa.TableClause) -> Iterator[Sequence[Any]]:
    last = 0
    while True:
        query = sa.select(claim.c.id, claim.c.uid).where(claim.c.id > last)
        rows = connection.execute(query.order_by(claim.c.id).limit(PAGE)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


# -- the downgrade -----------------------------------------------------------------------


def refusal(connection: sa.Connection, target: str | None) -> str | None:
    """Why this revision cannot be undone on the way to `target` (None: base, where every
    table goes), before any revision is: tracker.db.migrate asks first."""
    used = connection.exec_driver_sql(
        "SELECT count(*) FROM claim_event WHERE undoes IS NOT NULL"
        " OR event = 'resolution_retracted'"
    ).scalar()
    if used and target is not None:
        return (
            "changes were undone here: revisions before 0009 cannot record that (their "
            "hashes seal it); export the claims first if you need to go back"
        )
    return None


def downgrade() -> None:
    refused = refusal(op.get_bind(), context.get_revision_argument())
    if refused:
        raise RuntimeError(refused)
    op.drop_index("ix_claim_handle", table_name="claim")
    with op.batch_alter_table("claim") as batch:
        batch.drop_column("handle")
    drop_triggers("claim_event")
    with op.batch_alter_table("claim_event") as batch:  # the key before its index (MariaDB)
        batch.drop_constraint(op.f("fk_claim_event_changeset_id_changeset"), type_="foreignkey")
    op.drop_index("ix_claim_event_undoes", table_name="claim_event")
    op.drop_index("ix_claim_event_changeset", table_name="claim_event")
    with op.batch_alter_table("claim_event") as batch:
        batch.drop_constraint(op.f("ck_claim_event_event"), type_="check")
        batch.create_check_constraint("event", _one_of("event", OLD_KINDS))
        batch.drop_column("changeset_id")
        batch.drop_column("undoes")
    create_triggers("claim_event")
    op.drop_table("changeset")  # with its indexes (MariaDB keeps them for the foreign key)
