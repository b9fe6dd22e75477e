"""`tracker db check` passes a sound database and names every claim that disagrees."""

from datetime import datetime

from sqlalchemy import text
from support import assert_error

from tracker.db.database import Database
from tracker.db.urls import resolve_url
from tracker.rules.identity import new_uid


def execute(url: str, sql: str, **params) -> None:
    database = Database(resolve_url(url))
    try:
        database.run(lambda s: s.execute(text(sql), params), write=True)
    finally:
        database.dispose()


def test_a_sound_database_passes(tracker):
    tracker.ok("seed")
    tracker.ok("retract", "5", "--reason", "test")
    result = tracker.ok("db", "check")
    assert result.stdout.endswith(": 4 claims and 10 events agree with their history\n")


def test_a_status_that_is_not_the_replay_is_reported(tracker, db_url):
    tracker.ok("seed")
    execute(db_url, "UPDATE claim SET status = 'disputed', resolved_on = NULL WHERE id = 2")
    result = tracker("db", "check")
    assert_error(result, "2 problem(s) in 4 claims and 9 events")
    assert result.stdout.splitlines() == [
        "claim 2: stored disputed (resolved None), its history replays to confirmed "
        "(resolved 2022-07-04)",
        "claim 2: its last event ends at confirmed, the claim is disputed",
    ]


def test_a_broken_chain_is_reported(tracker, db_url):
    tracker.ok("add", "x", "--said-on", "2022-01-01")
    execute(
        db_url,
        "INSERT INTO claim_event (uid, claim_id, event, from_status, to_status, effective_on,"
        " recorded_at, actor, hash) VALUES (:uid, 1, 'edited', 'refuted', 'pending', :on, :at,"
        " 'vandal', :hash)",
        hash="0" * 64,
        uid=new_uid(),
        on=datetime(2022, 1, 2).date(),
        at=datetime(2022, 1, 2),
    )
    result = tracker("db", "check")
    assert_error(result, "1 problem(s)")
    assert result.stdout == "claim 1: event 2 starts from refuted, not pending\n"
