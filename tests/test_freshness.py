"""The history's mark (what the team page's ETag is made of): it changes exactly when an
event is committed, whatever order ids are committed in (on every backend)."""

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tracker.db.database import Database
from tracker.db.urls import resolve_url
from tracker.queries.freshness import history_mark

# An event's columns but its id and uid.
COPIED = ("claim_id", "event", "from_status", "to_status", "evidence_id", "resolved_as",
          "effective_on", "recorded_at", "actor", "reason", "changes", "db_user", "hash",
          "actual")  # fmt: skip


def mark(url: str):
    database = Database(resolve_url(url), read_only=True)
    try:
        return database.run(history_mark, write=False)
    finally:
        database.dispose()


def test_the_mark_changes_with_each_event_and_only_then(tracker, db_url):
    empty = mark(db_url)
    assert empty.last_id is None
    tracker.ok("add", "Claim one", "--key", "one", "--said-on", "2024-01-01")
    first = mark(db_url)
    assert first != empty and first.last_hash
    tracker.ok("list")
    tracker("confirm", "nothing")  # fails: writes nothing
    assert mark(db_url) == first
    tracker.ok("confirm", "one", "--on", "2024-02-01")
    assert mark(db_url) != first


def test_the_mark_sees_an_event_committed_after_a_higher_id(tracker, db_url, backend):
    """PostgreSQL's sequence hands a long writer a low id that it may commit after a later
    writer's higher one: the highest id alone would miss that event."""
    if backend != "postgresql":
        pytest.skip("ids are committed in order here: writers take turns (tracker.ledger.rows)")
    tracker.ok("add", "Claim one", "--said-on", "2024-01-01")
    engine = create_engine(resolve_url(db_url), poolclass=NullPool)
    try:
        with engine.connect() as slow:
            low = slow.execute(text("SELECT nextval('claim_event_id_seq')")).scalar()
            tracker.ok("add", "Claim two", "--said-on", "2024-01-01")  # a higher id, committed
            before = mark(db_url)
            assert before.last_id > low
            columns = ", ".join(COPIED)
            slow.execute(
                text(f"INSERT INTO claim_event (id, uid, {columns}) "
                     f"SELECT :id, :uid, {columns} FROM claim_event WHERE id = :copied"),
                {"id": low, "uid": str(uuid.uuid4()), "copied": before.last_id},
            )  # fmt: skip
            slow.commit()
        after = mark(db_url)
    finally:
        engine.dispose()
    assert after.last_id == before.last_id and after != before
