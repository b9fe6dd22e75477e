"""Each claim's status over time, in both of its times (status_span).

Also an index of claims by due date, for lists by due date as of another day, and one of
spans by resolved_on, for the recently resolved claims as of another day.

One row per state a claim was in on the days [valid_from, valid_to), as known over the
instants [known_from, known_to) (tracker.rules.timeline): `--as-of` and `--known-on`
read it with conditions instead of replaying history. Existing claims get theirs from
their history, a page at a time: each step is known from its event's recorded_at, and
stops counting at its retraction's.

This fill replays with tracker.rules.status and tracker.rules.timeline, the rules
themselves (pure functions of the history): a copy here could disagree with the rows
the ledger writes, and `tracker db check` proves every row against those rules.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from tracker.rules.status import Ordered, Step
from tracker.rules.timeline import Known, spans

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PAGE = 5_000  # claims read at a time: memory stays flat on a large database
STATUSES = ("pending", "confirmed", "refuted", "disputed")


def upgrade() -> None:
    op.create_table(
        "status_span",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("known_from", sa.DateTime(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("known_to", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("actual", sa.Text(), nullable=True),
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
    # Lists by due date as of another day: the status then is the span's, so the claims'
    # (status, expected_end) index cannot give their order.
    op.create_index("ix_claim_expected_end", "claim", ["expected_end", "id"])
    _fill()
    # The recently resolved claims as of another day: the few spans resolved in a window
    # (made after the fill, which then writes no index).
    op.create_index("ix_status_span_resolved_on", "status_span", ["resolved_on", "status"])


_claim = sa.table("claim", sa.column("id", sa.Integer()), sa.column("said_on", sa.Date()),
                  sa.column("created_at", sa.DateTime()))  # fmt: skip
_evidence = sa.table(
    "evidence", sa.column("id", sa.Integer()), sa.column("uid", sa.String()),
    sa.column("claim_id", sa.Integer()), sa.column("stance", sa.String()),
    sa.column("observed_on", sa.Date()), sa.column("recorded_at", sa.DateTime()),
)  # fmt: skip
_event = sa.table(
    "claim_event", sa.column("id", sa.Integer()), sa.column("uid", sa.String()),
    sa.column("claim_id", sa.Integer()), sa.column("event", sa.String()),
    sa.column("evidence_id", sa.Integer()), sa.column("resolved_as", sa.String()),
    sa.column("to_status", sa.String()), sa.column("effective_on", sa.Date()),
    sa.column("recorded_at", sa.DateTime()), sa.column("actual", sa.Text()),
    sa.column("undoes", sa.String()),
)  # fmt: skip
_span = sa.table(
    "status_span", sa.column("claim_id", sa.Integer()), sa.column("known_from", sa.DateTime()),
    sa.column("valid_from", sa.Date()), sa.column("valid_to", sa.Date()),
    sa.column("known_to", sa.DateTime()), sa.column("status", sa.String()),
    sa.column("resolved_on", sa.Date()), sa.column("actual", sa.Text()),
)  # fmt: skip


def _fill() -> None:
    connection = op.get_bind()
    last = 0
    while True:
        claims = connection.execute(
            sa.select(_claim.c.id, _claim.c.said_on, _claim.c.created_at)
            .where(_claim.c.id > last)
            .order_by(_claim.c.id)
            .limit(PAGE)
        ).all()
        if not claims:
            return
        last = claims[-1][0]
        rows = _rows(
            connection, claims[0][0], last, {c.id: (c.said_on, c.created_at) for c in claims}
        )
        if rows:
            connection.execute(_span.insert(), rows)


def _rows(connection: sa.Connection, first: int, last: int,
          claims: dict[int, tuple[Any, datetime]]) -> list[dict[str, Any]]:  # fmt: skip
    """The span rows of the claims with ids first..last, replayed from their history."""
    added: dict[int, tuple[datetime, str | None]] = {}  # evidence id -> (its event's time, actual)
    stopped: dict[int | str, datetime] = {}  # evidence id / resolution uid -> retracted at
    steps: dict[int, list[Ordered]] = defaultdict(list)
    events = sa.select(_event).where(_event.c.claim_id.between(first, last))
    for row in connection.execute(events.order_by(_event.c.id)):
        if row.event == "evidence_added":
            added[row.evidence_id] = (row.recorded_at, row.actual)
        elif row.event == "evidence_retracted":
            stopped.setdefault(row.evidence_id, row.recorded_at)
        elif row.event == "resolution_retracted":
            stopped.setdefault(row.undoes, row.recorded_at)
        elif row.event == "resolved":
            step = Step(row.effective_on, resolved_as=row.resolved_as or row.to_status,
                        actual=row.actual)  # fmt: skip
            item = Ordered(row.effective_on, row.recorded_at, 1, row.uid, None, step)
            steps[row.claim_id].append(item)
    known: dict[int, list[Known]] = defaultdict(list)
    evidence = sa.select(_evidence).where(_evidence.c.claim_id.between(first, last))
    for row in connection.execute(evidence):
        at, actual = added.get(row.id, (row.recorded_at, None))
        step = Step(row.observed_on, stance=row.stance, actual=actual)
        item = Ordered(row.observed_on, row.recorded_at, 0, row.uid, row.id, step)
        known[row.claim_id].append(Known(item, at, stopped.get(row.id)))
    for claim_id, items in steps.items():
        known[claim_id] += [Known(item, item.recorded_at, stopped.get(item.uid)) for item in items]
    rows = []
    for claim_id, (said_on, created_at) in claims.items():
        for span in spans(known.get(claim_id, []), said_on, created_at):
            rows.append({"claim_id": claim_id, "known_from": span.known_from,
                         "valid_from": span.valid_from, "valid_to": span.valid_to,
                         "known_to": span.known_to, "status": span.status,
                         "resolved_on": span.resolved_on, "actual": span.actual})  # fmt: skip
    return rows


def downgrade() -> None:
    op.drop_index("ix_status_span_resolved_on", table_name="status_span")
    op.drop_table("status_span")
    op.drop_index("ix_claim_expected_end", table_name="claim")
