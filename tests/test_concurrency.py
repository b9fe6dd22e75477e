"""Many tracker processes writing one database at once lose nothing (design.md §12).

Real processes on SQLite and PostgreSQL: 8 writers x 25 evidence additions, and a
reader listing claims and reading reports all the while. Starting a Python process per command costs
about 0.35 s of CPU (200 of them: ~35 s on two cores), so each worker process
runs its 25 commands in turn through click's CliRunner: every one is still a whole
`tracker --db URL evidence ...` with its own engine, connection and transaction.
"""

from __future__ import annotations

import json
import select as os_select  # sqlalchemy's select is the one named select here
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from tracker.db.database import Database
from tracker.db.models import Claim, ClaimEvent, Evidence
from tracker.db.urls import resolve_url
from tracker.ledger.books import read_books
from tracker.ledger.ledger import Ledger

WRITERS = 8
COMMANDS_EACH = 25
STANCES = ("confirms", "refutes", "supports", "contradicts")
SAID_ON = date(2022, 1, 1)
TIMEOUT = 120  # seconds for the whole run; it takes a few
BLOCKED_WITHIN = 30  # seconds for a second writer to start and be seen waiting on a lock

# argv: URL GO_FILE COMMANDS_JSON, or URL GO_FILE --reader STOP_FILE.
# Waits for GO_FILE so that every process has imported the tracker before the
# first write: the writes overlap for real. Exits 1 naming the first failed command.
WORKER = """
import json, sys, time
from pathlib import Path

from click.testing import CliRunner

from tracker.cli import main

url, go = sys.argv[1], Path(sys.argv[2])
runner = CliRunner()


def run(args):
    result = runner.invoke(main, ["--db", url, *args])
    if result.exit_code != 0:
        sys.exit(f"tracker {' '.join(args)}: exit {result.exit_code}: {result.output.strip()}")
    return result.stdout


while not go.exists():
    time.sleep(0.005)
if sys.argv[3] == "--reader":
    stop, reads = Path(sys.argv[4]), 0
    while reads == 0 or not stop.exists():
        claims = json.loads(run(["list", "--format", "json"]))
        assert all(c["status"] in ("pending", "confirmed", "refuted", "disputed") for c in claims)
        # A report read mid-write sees one consistent state: its totals add up.
        report = json.loads(run(["report", "--format", "json"]))
        totals = report["totals"]
        counted = sum(totals[s] for s in ("pending", "confirmed", "refuted", "disputed"))
        assert counted == len(claims), totals
        assert counted == sum(row["claims"] for row in report["sources"]), report["sources"]
        reads += 1
        time.sleep(0.01)  # leave the CPU to the writers
    print(reads)
else:
    for args in json.loads(sys.argv[3]):
        run(args)
"""


def plan(worker: int, claims: list[str]) -> list[list[str]]:
    """One writer's commands: every stance, dates out of order, on its claim."""
    claim = claims[worker % len(claims)]
    commands = []
    for i in range(COMMANDS_EACH):
        stance = STANCES[(worker + i) % len(STANCES)]
        on = SAID_ON + timedelta(days=(worker * COMMANDS_EACH + i) * 37 % 365)
        commands.append(["evidence", claim, stance, "--on", on.isoformat()])
    return commands


def spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_concurrently(url: str, claims: list[str], tmp_path: Path) -> int:
    """8 writers and a reader at once; every process must exit 0. Returns the reads made."""
    go, stop = tmp_path / "go", tmp_path / "stop"
    reader = spawn(url, str(go), "--reader", str(stop))
    writers = [spawn(url, str(go), json.dumps(plan(w, claims))) for w in range(WRITERS)]
    go.touch()
    deadline = time.monotonic() + TIMEOUT
    try:
        outcomes = [p.communicate(timeout=deadline - time.monotonic()) for p in writers]
        stop.touch()
        reads, reader_err = reader.communicate(timeout=deadline - time.monotonic())
    finally:
        for process in [reader, *writers]:
            if process.poll() is None:
                process.kill()
                process.wait()
    failures = [
        f"writer {w}: exit {p.returncode}: {err.strip()}"
        for w, (p, (_, err)) in enumerate(zip(writers, outcomes, strict=True))
        if p.returncode != 0
    ]
    assert not failures, "\n".join(failures)
    assert reader.returncode == 0, f"the reader failed while the writers ran: {reader_err}"
    return int(reads)


def stored_and_replayed(url: str, claim_id: int) -> dict:
    """What the database holds for one claim, next to the replay of its history."""

    def work(session):
        claim = session.get(Claim, claim_id)
        count = session.scalar(select(func.count()).where(Evidence.claim_id == claim_id))
        added = session.scalar(
            select(func.count()).where(
                ClaimEvent.claim_id == claim_id, ClaimEvent.event == "evidence_added"
            )
        )
        outcome = read_books(session.connection(), [claim_id], lock=False)[claim_id].fold.outcome
        return {
            "evidence": count,
            "evidence_added": added,
            "stored": (claim.status, claim.resolved_on),
            "replayed": (outcome.status, outcome.resolved_on),
        }

    database = Database(resolve_url(url))
    try:
        return database.run(work, write=False)
    finally:
        database.dispose()


def assert_history_is_a_chain(tracker, claim: str) -> list[tuple[str | None, str]]:
    """Each event starts from the status the one before it left: no update was lost."""
    events = list(reversed(tracker.json("history", claim)))  # oldest first
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    assert events[0]["event"] == "created" and events[0]["from_status"] is None
    for before, after in zip(events, events[1:], strict=False):
        assert after["from_status"] == before["to_status"], (before, after)
    return [(e["from_status"], e["to_status"]) for e in events]


@pytest.mark.parametrize(
    "claims",
    [pytest.param(["1"], id="one-claim"), pytest.param(["1", "2"], id="two-claims")],
)
def test_concurrent_evidence_loses_nothing(tracker, db_url, tmp_path, claims):
    """200 evidence commands from 8 processes at once: all recorded, status = replay."""
    for n in claims:
        tracker.ok(
            "add", f"Claim {n} comes true", "--said-on", SAID_ON.isoformat(), "--source", "Wire"
        )

    reads = run_concurrently(db_url, claims, tmp_path)

    assert reads >= 1
    total = 0
    for n in claims:
        expected = sum(1 for w in range(WRITERS) if claims[w % len(claims)] == n) * COMMANDS_EACH
        found = stored_and_replayed(db_url, int(n))
        assert found["evidence"] == expected
        assert found["evidence_added"] == expected
        assert found["stored"] == found["replayed"]
        total += found["evidence"]

        steps = assert_history_is_a_chain(tracker, n)
        assert len(steps) == 1 + expected  # created, then one event per evidence
        # The status really moved: pending -> confirmed or refuted -> disputed.
        changes = [(a, b) for a, b in steps[1:] if a != b]
        assert len(changes) == 2, changes
        shown = tracker.json("show", n)
        assert shown["status"] == found["replayed"][0] == "disputed"
        assert len(shown["evidence"]) == expected
    assert total == WRITERS * COMMANDS_EACH


def wait_until_blocked(process: subprocess.Popen[str], url: str, backend: str) -> None:
    """Return once the process is seen waiting on a lock; fail if it exits first or is not
    seen waiting within BLOCKED_WITHIN seconds (then the test would prove nothing)."""
    deadline = time.monotonic() + BLOCKED_WITHIN
    assert process.stderr is not None  # a pipe: while_held opens it
    if backend == "sqlite":  # no server to ask: the tracker says so itself, after 2 s
        notice = "is locked by another writer; waiting"
        while time.monotonic() < deadline:
            if os_select.select([process.stderr], [], [], 0.1)[0]:
                line = process.stderr.readline()  # consumed: not part of the stderr returned
                assert notice in line, f"the other writer did not wait: {line}"
                return
        raise AssertionError(f"the other writer did not say it waits within {BLOCKED_WITHIN} s")
    engine = create_engine(resolve_url(url))
    if backend == "mariadb":  # a statement of another client that has run for 300 ms: a wait
        # (innodb_trx, read from this process, never showed the waiting transaction)
        query = text(
            "SELECT count(*) FROM information_schema.processlist WHERE db = DATABASE()"
            " AND id <> CONNECTION_ID() AND command = 'Query' AND time_ms > 300"
        )
    else:
        query = text(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
    try:
        while time.monotonic() < deadline:
            assert process.poll() is None, (
                f"the other writer exited before it waited: {process.stderr.read()}"
            )
            with engine.connect() as conn:
                if conn.scalar(query):
                    return
            time.sleep(0.05)
    finally:
        engine.dispose()
    raise AssertionError(f"the other writer was not seen waiting within {BLOCKED_WITHIN} s")


def while_held(
    url: str, backend: str, first: Callable[[Session], object], args: list[str]
) -> tuple[subprocess.Popen[str], str, str]:
    """Run `tracker ARGS` in another process while `first(session)` holds its writes in an
    open transaction; commit once the other waits on a lock. (process, stdout, stderr)"""
    command = [sys.executable, "-m", "tracker", "--db", url, *args]
    database = Database(resolve_url(url))
    other: subprocess.Popen[str] | None = None
    try:
        with database.connect() as conn:
            conn.execution_options(tracker_write=True)  # SQLite: BEGIN IMMEDIATE
            with conn.begin(), Session(bind=conn) as session:
                first(session)
                other = subprocess.Popen(
                    command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
                )
                wait_until_blocked(other, url, backend)
        out, err = other.communicate(timeout=60)
    finally:
        if other is not None and other.poll() is None:
            other.kill()
            other.wait()
        database.dispose()
    return other, out, err


def test_two_writers_naming_one_new_source_both_succeed(tracker, db_url, backend):
    """Two people logging claims from the same new source at once: both are recorded.

    One writer holds the first mention of "Reuters" in an open transaction (as
    every command does through the ledger) while a second
    process runs `tracker add ... --source Reuters`; then the first commits.
    """

    def first(session):
        ledger = Ledger(session, actor="first", today=date(2022, 1, 1))
        ledger.provenance.source_id("Reuters")
        ledger.flush()

    other, out, err = while_held(db_url, backend, first, ["add", "B", "--source", "reuters"])
    assert other.returncode == 0, err
    shown = tracker.json("show", "1")
    assert out == f'Added claim 1 ({shown["handle"]}) "B": pending\n'
    assert shown["source"] == "Reuters"


def test_two_writers_adding_one_keyless_claim_store_it_once(tracker, db_url, backend):
    """The same claim without a key, added by two people at once: one add succeeds, the
    other is refused as a twin (the database's unique twin hash, not a check-then-insert)."""
    from tracker.commands.claims import NewClaim, add_claim

    def first(session):
        new = NewClaim("Same words", source="leaker", said_on=date(2024, 1, 1))
        add_claim(session, new, actor="first", today=date(2024, 6, 1))

    command = ["add", "Same words", "--said-on", "2024-01-01", "--source", "Leaker"]
    other, out, err = while_held(db_url, backend, first, command)
    assert other.returncode == 1, out
    assert err == (
        "Error: claim 1 already says this (same text, source and date); give each a --key "
        "to record both\n"
    )
    assert [c["text"] for c in tracker.json("list")] == ["Same words"]
