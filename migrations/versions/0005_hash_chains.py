"""Hash-chained history, and the database's own name for who wrote each event.

- claim_event.hash: SHA-256 of the previous event's hash in the claim's history
  (the claim's uid before the first) and a canonical encoding of the event; the
  chains of existing history are computed here, in insertion order.
- claim_event.db_user: the session user that wrote the row (PostgreSQL; NULL on
  SQLite and for the rows written before this revision).

The history table's insert-only triggers are dropped while existing rows get
their hashes, and made again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

import hashlib
import json
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from tracker.db.insert_only import create_triggers, drop_triggers

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


# -- copied from tracker.ledger.chain: a migration must not change with the code -------------------


def _moment(value: datetime | str) -> str:
    value = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return value.isoformat(timespec="microseconds") + "Z"


def _day(value: date | str | None) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def _encode(fields: dict[str, Any]) -> bytes:
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8", "surrogatepass")


def _link(previous: str, encoded: bytes) -> str:
    return hashlib.sha256(previous.encode("ascii") + b"\n" + encoded).hexdigest()


# -- the upgrade -------------------------------------------------------------------------------


def upgrade() -> None:
    _drop_insert_only_triggers()
    op.add_column("claim_event", sa.Column("db_user", sa.String(length=200), nullable=True))
    op.add_column("claim_event", sa.Column("hash", sa.String(length=64), nullable=True))
    _fill()
    with op.batch_alter_table("claim_event") as batch:
        batch.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
    _create_insert_only_triggers()


PAGE = 5000  # events read and hashed at a time: memory stays flat on any database


def _fill() -> None:
    connection = op.get_bind()
    table = sa.table("claim_event", sa.column("id"), sa.column("hash"))
    update = (
        table.update().where(table.c.id == sa.bindparam("key_")).values(hash=sa.bindparam("hash_"))
    )
    claim, head, last = None, "", (0, 0)
    while True:
        rows = connection.execute(
            sa.text(
                "SELECT e.id, e.claim_id, c.uid, e.uid, e.event, e.from_status, e.to_status,"
                " e.effective_on, e.recorded_at, e.actor, e.reason, e.resolved_as, e.changes,"
                " n.uid, v.uid, v.stance, s.name, v.url, v.observed_on, v.note, v.recorded_at,"
                " v.recorded_by"
                " FROM claim_event e JOIN claim c ON c.id = e.claim_id"
                " LEFT JOIN evidence n ON n.id = e.evidence_id"
                " LEFT JOIN evidence v ON v.id = e.evidence_id AND e.event = 'evidence_added'"
                " LEFT JOIN source s ON s.id = v.source_id"
                " WHERE e.claim_id > :claim OR (e.claim_id = :claim AND e.id > :event)"
                " ORDER BY e.claim_id, e.id LIMIT :page"
            ),
            {"claim": last[0], "event": last[1], "page": PAGE},
        ).all()
        if not rows:
            return
        updates = []
        for row in rows:
            (event_id, claim_id, claim_uid, uid, kind, from_status, to_status, effective_on,
             recorded_at, actor, reason, resolved_as, changes, evidence_uid,
             *evidence) = row  # fmt: skip
            if claim_id != claim:
                claim, head = claim_id, claim_uid
            if isinstance(changes, str):
                changes = json.loads(changes)
            sealed = None
            if kind == "evidence_added" and evidence[0] is not None:
                e_uid, stance, source, url, observed_on, note, e_at, e_by = evidence
                sealed = {
                    "uid": e_uid, "stance": stance, "source": source, "url": url,
                    "observed_on": _day(observed_on), "note": note, "recorded_at": _moment(e_at),
                    "recorded_by": e_by,
                }  # fmt: skip
            encoded = _encode(
                {
                    "uid": uid, "claim_uid": claim_uid, "event": kind,
                    "from_status": from_status, "to_status": to_status,
                    "effective_on": _day(effective_on), "recorded_at": _moment(recorded_at),
                    "actor": actor, "reason": reason, "resolved_as": resolved_as,
                    "changes": changes, "db_user": None, "evidence_uid": evidence_uid,
                    "evidence": sealed,
                }
            )  # fmt: skip
            head = _link(head, encoded)
            updates.append({"key_": event_id, "hash_": head})
            last = (claim_id, event_id)
        connection.execute(update, updates)


def downgrade() -> None:
    _drop_insert_only_triggers()
    with op.batch_alter_table("claim_event") as batch:
        batch.drop_column("hash")
        batch.drop_column("db_user")
    _create_insert_only_triggers()


# -- the insert-only triggers on claim_event (as 0001 made them) --------------------------


def _drop_insert_only_triggers() -> None:
    drop_triggers("claim_event")


def _create_insert_only_triggers() -> None:
    create_triggers("claim_event")
