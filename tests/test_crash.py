"""A failed or killed command changes nothing (design.md §12: one transaction per command).

Ways a write can die half-way, on SQLite and PostgreSQL:
- SIGKILL of a real `tracker` process at random moments of a large import: the
  database holds either none of the import or all of it, and the next command works;
- an exception at each statement of a status change and of an import in turn (and at
  the commit): each attempt fails and leaves every table as it was; on PostgreSQL a
  serialization failure at each statement is retried and the work lands exactly once;
- SQLite running out of room (`PRAGMA max_page_count`): one clear "disk is full"
  error, nothing written, and the file still sound.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from support import SERVERS, Tracker

from tracker.commands.evidence import NewEvidence, add_evidence
from tracker.db.database import Database, close_idle_connections
from tracker.db.urls import resolve_url
from tracker.errors import DatabaseError
from tracker.io.loading import load_files

TABLES = ("source", "article", "claim", "claim_tag", "evidence", "claim_event", "alembic_version")
BULK_CLAIMS = 8_000  # ~1.0 s on SQLite, ~2.0 s on PostgreSQL, as a whole process
# Kills spread over the import's duration, one in each of KILLS equal parts of it, so the
# moments near the commit are always tried. The statement-by-statement faults below prove
# each transaction boundary; these prove a real SIGKILL at any moment leaves none or all.
KILLS = 8
SEED = 20220523  # the random kill moments are the same in every run
MIN_DELAY = 0.05
TODAY = date(2022, 12, 31)

Dump = dict[str, list[tuple]]


# -- helpers ------------------------------------------------------------------------------


def dump(url: str) -> Dump:
    """Every row of every table, in primary-key order."""
    engine = create_engine(resolve_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return {table: _rows(conn, table) for table in TABLES}
    finally:
        engine.dispose()


def _rows(conn: Connection, table: str) -> list[tuple]:
    key = ", ".join(inspect(conn).get_pk_constraint(table)["constrained_columns"])
    rows = conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY {key}")  # noqa: S608
    return [tuple(_hashable(value) for value in row) for row in rows]


def _hashable(value):
    """JSON columns come back as dicts from psycopg: compare them as canonical text."""
    return json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else value


def is_sqlite(url: str) -> bool:
    return "://" not in url


def backend_of(url: str) -> str:
    return "sqlite" if is_sqlite(url) else "mariadb" if url.startswith("mariadb") else "postgresql"


def assert_sqlite_sound(url: str) -> None:
    """SQLite's own checks: the file's structure, and every foreign key."""
    if not is_sqlite(url):
        return
    conn = sqlite3.connect(url)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def wait_for_other_clients(url: str, timeout: float = 10.0) -> None:
    """A server: wait until no other session is connected to this database.

    A killed client's server process may still be finishing: it could even commit a
    COMMIT that was already in its socket. Only once it is gone is the state final.
    """
    if is_sqlite(url):
        return
    close_idle_connections()  # this process's own, kept for its next command
    if backend_of(url) == "mariadb":
        query = (
            "SELECT count(*) FROM information_schema.processlist"
            " WHERE db = DATABASE() AND id <> CONNECTION_ID()"
        )
    else:
        query = (
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
    engine = create_engine(resolve_url(url), poolclass=NullPool)
    deadline = time.monotonic() + timeout
    try:
        with engine.connect() as conn:
            while conn.exec_driver_sql(query).scalar():
                assert time.monotonic() < deadline, "a killed client's session never ended"
                conn.rollback()
                time.sleep(0.01)
    finally:
        engine.dispose()


class Snapshot:
    """A copy of the database as it is now, to put back after a run that committed."""

    def __init__(self, url: str, request: pytest.FixtureRequest):
        self.url = url
        if is_sqlite(url):
            conn = sqlite3.connect(url)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
            self.copy = f"{url}.before"
            shutil.copyfile(url, self.copy)
            return
        self.server = request.getfixturevalue(SERVERS[backend_of(url)])
        self.name = make_url(url).database
        self.copy = f"{self.name}_before"
        wait_for_other_clients(url)
        self.server.create(self.copy, template=self.name)

    def restore(self) -> None:
        if is_sqlite(self.url):
            for suffix in ("-wal", "-shm"):
                Path(self.url + suffix).unlink(missing_ok=True)
            shutil.copyfile(self.copy, self.url)
            return
        self.server.drop(self.name)
        self.server.create(self.name, template=self.copy)

    def close(self) -> None:
        if not is_sqlite(self.url):
            self.server.drop(self.copy)


def start_import(url: str, path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", url, "import", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def import_killed_after(url: str, path: Path, delay: float) -> bool:
    """Start an import and SIGKILL it after `delay` seconds; False if it finished first."""
    process = start_import(url, path)
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)  # not sent if it has just exited
    _, stderr = process.communicate()
    if process.returncode == -signal.SIGKILL:
        return True
    assert process.returncode == 0, stderr.decode()
    return False


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bulk_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BULK_CLAIMS new claims with one piece of evidence each, alone in a directory."""
    path = tmp_path_factory.mktemp("bulk") / "claims.jsonl"
    records = (
        {
            "key": f"bulk-{i}",
            "text": f"Bulk claim number {i} will come true",
            "subject": f"Subject {i % 50}",
            "source": f"Bulk source {i % 20}",
            "said_on": "2022-01-01",
            "tags": ["bulk"],
            "evidence": [
                {"stance": "supports", "source": f"Bulk source {i % 20}", "on": "2022-02-01"}
            ],
        }
        for i in range(BULK_CLAIMS)
    )
    with path.open("w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(record) + "\n" for record in records)
    return path


# -- 1. SIGKILL during a large import -------------------------------------------------


def test_sigkill_during_import_leaves_none_or_all_of_it(
    db_url: str, tracker, bulk_file: Path, request: pytest.FixtureRequest
) -> None:
    """A process killed at any moment of an import commits all of it or none of it.

    One full import is measured first (and must add every claim); then KILLS imports
    are killed after random delays spread over that duration, each from the seeded state.
    """
    tracker.ok("seed")
    before = dump(db_url)
    assert len(before["claim"]) == 4
    snapshot = Snapshot(db_url, request)
    try:
        started = time.monotonic()
        process = start_import(db_url, bulk_file)
        _, stderr = process.communicate(timeout=120)
        duration = time.monotonic() - started
        assert process.returncode == 0, stderr.decode()
        full = dump(db_url)
        growth = {table: len(full[table]) - len(before[table]) for table in TABLES}
        assert growth["claim"] == growth["evidence"] == growth["claim_tag"] == BULK_CLAIMS
        assert growth["claim_event"] == 2 * BULK_CLAIMS  # created, evidence_added
        tracker.ok("db", "check")
        snapshot.restore()

        def whole_import(state: Dump) -> bool:
            """Everything there was before, and exactly what the import adds."""
            return all(
                set(before[table]) <= set(state[table])
                and len(state[table]) - len(before[table]) == growth[table]
                for table in TABLES
            )

        rng = random.Random(SEED)
        outcomes: Counter[str] = Counter()
        for run in range(KILLS):
            part = (duration - MIN_DELAY) / KILLS
            delay = MIN_DELAY + part * (run + rng.random())
            killed = import_killed_after(db_url, bulk_file, delay)
            wait_for_other_clients(db_url)
            tracker.ok("list", "--limit", "1")  # the first command after the crash
            state = dump(db_url)
            where = f"run {run}: killed={killed} after {delay:.3f}s of {duration:.3f}s"
            if state == before:
                assert killed, f"{where}: the import finished but left nothing"
                outcomes["killed before commit"] += 1
            else:
                assert whole_import(state), f"{where}: part of the import was committed"
                outcomes["killed after commit" if killed else "finished"] += 1
            assert_sqlite_sound(db_url)
            tracker.ok("db", "check")
            if state != before:
                snapshot.restore()
        print(f"\n{backend_of(db_url)}: import {duration:.2f}s; {dict(outcomes)}")
        assert sum(outcomes.values()) == KILLS
        assert outcomes["killed before commit"] > 0
    finally:
        snapshot.close()


# -- 2. an exception at every statement ------------------------------------------------


class Injected(Exception):
    """The fault the tests inject."""


class Fault:
    """Counts the statements a connection executes; raises at statement `at` (0: never)."""

    def __init__(self, at: int = 0, error: Callable[[str], Exception] = Injected):
        self.at = at
        self.error = error
        self.count = 0
        self.statements: list[str] = []

    def __call__(self, _conn, _cursor, statement, _parameters, _context, _executemany):
        self.count += 1
        self.statements.append(" ".join(statement.split())[:80])
        if self.count == self.at:
            raise self.error(f"injected at statement {self.at}: {self.statements[-1]}")


def attempt(
    url: str,
    work: Callable,
    hook: str = "before_cursor_execute",
    at: int = 0,
    *,
    error: Callable[[str], Exception] = Injected,
    dry_run: bool = False,
) -> Fault:
    """Run `work` as one write command would, with a fault at statement `at`."""
    database = Database(resolve_url(url))
    fault = Fault(at, error)
    event.listen(database.engine, hook, fault)
    try:
        database.run(work, write=True, dry_run=dry_run)
    finally:
        event.remove(database.engine, hook, fault)  # the engine outlives this attempt
        database.dispose()
    return fault


def status_change(session):
    """Claim 1 (confirmed by the seeds) refuted: it becomes disputed."""
    new = NewEvidence("refutes", source="A rival", on=date(2022, 7, 4))
    return add_evidence(session, "1", new, actor="t", today=TODAY)


SMALL_IMPORT = [
    {
        "key": f"small-{i}",
        "text": f"Small claim {i}",
        "source": "Small source",
        "article": {"url": f"https://example.com/{i}", "published_on": "2022-05-01"},
        "tags": ["small", f"t{i}"],
        "evidence": [{"stance": "confirms", "source": "Small source", "on": "2022-06-01"}],
    }
    for i in range(3)
] + [
    {
        "key": "xiaomi-leica-name-12-ultra",
        "evidence": [{"stance": "confirms", "source": "A rival", "on": "2022-07-05"}],
    }
]


def small_import(tmp_path: Path) -> Callable:
    path = write_jsonl(tmp_path / "small.jsonl", SMALL_IMPORT)
    return lambda session: load_files(session, [path], actor="t", today=TODAY)


@pytest.mark.parametrize("hook", ["before_cursor_execute", "after_cursor_execute"])
@pytest.mark.parametrize("command", ["status change", "import"])
def test_a_fault_at_any_statement_changes_nothing(
    db_url: str, tracker, tmp_path: Path, command: str, hook: str
) -> None:
    """All or nothing, whichever statement fails: before it runs, or just after.

    The statements are counted on a dry run (K); then each of 1..K fails in turn, and
    every attempt must fail and leave every table as it was. A clean run then works.
    """
    tracker.ok("seed")
    work = small_import(tmp_path) if command == "import" else status_change
    before = dump(db_url)

    statements = attempt(db_url, work, hook, dry_run=True).statements
    assert dump(db_url) == before, "a dry run wrote something"
    print(f"\n{command}: K = {len(statements)}")
    for at in range(1, len(statements) + 1):
        with pytest.raises(Injected):
            attempt(db_url, work, hook, at)
        assert dump(db_url) == before, f"a fault at statement {at} ({statements[at - 1]})"

    clean = attempt(db_url, work, hook)
    assert clean.statements == statements
    after = dump(db_url)
    if command == "import":
        assert len(after["claim"]) == len(before["claim"]) + 3
        assert len(after["evidence"]) == len(before["evidence"]) + 4
    else:
        assert [c["status"] for c in tracker.json("list") if c["id"] == 1] == ["disputed"]
    assert_sqlite_sound(db_url)
    tracker.ok("db", "check")


@pytest.mark.parametrize("command", ["status change", "import"])
def test_a_retried_serialization_failure_lands_the_work_once(
    db_url: str, tracker, tmp_path: Path, request: pytest.FixtureRequest, command: str
) -> None:
    """A server's serialization failure (PostgreSQL) or deadlock (MariaDB) is retried from
    the start (Database.run): wherever it strikes, the retry must apply the command exactly
    once, never twice or in part.

    Ids (sequences) and timestamps differ between runs, so runs compare by row counts.
    """
    if is_sqlite(db_url):
        pytest.skip("SQLite takes its write lock up front and never retries")
    if backend_of(db_url) == "mariadb":
        from pymysql.err import OperationalError

        def retried(message: str) -> Exception:  # what InnoDB says of a deadlock victim
            return OperationalError(1213, f"Deadlock found when trying to get lock ({message})")
    else:
        from psycopg.errors import SerializationFailure as retried

    tracker.ok("seed")
    work = small_import(tmp_path) if command == "import" else status_change
    before = dump(db_url)
    snapshot = Snapshot(db_url, request)
    try:
        statements = attempt(db_url, work).statements
        expected = {table: len(rows) for table, rows in dump(db_url).items()}
        assert expected != {table: len(rows) for table, rows in before.items()}
        for at in range(1, len(statements) + 1):
            snapshot.restore()
            fault = attempt(db_url, work, at=at, error=retried)
            assert fault.count == at + len(statements), "not retried once from the start"
            counts = {table: len(rows) for table, rows in dump(db_url).items()}
            assert counts == expected, f"a failure at statement {at} ({statements[at - 1]})"
        tracker.ok("db", "check")
    finally:
        snapshot.close()


def test_a_fault_at_commit_changes_nothing(db_url: str, tracker) -> None:
    """The work all done, then the commit fails: still nothing is written."""
    tracker.ok("seed")
    before = dump(db_url)
    database = Database(resolve_url(db_url))

    def refuse(_conn):
        raise Injected("commit")

    event.listen(database.engine, "commit", refuse)
    try:
        with pytest.raises(Injected):
            database.run(status_change, write=True)
    finally:
        event.remove(database.engine, "commit", refuse)  # the engine outlives this test
        database.dispose()
    assert dump(db_url) == before
    assert_sqlite_sound(db_url)
    tracker.ok("evidence", "1", "refutes", "--on", "2022-07-04")


# -- 3. disk full (SQLite) ---------------------------------------------------------------

SPARE_PAGES = 8

# Runs the tracker CLI with every SQLite connection limited to SPARE_PAGES more pages.
CAPPED_CLI = f"""
import sys
from sqlalchemy import event
from sqlalchemy.pool import Pool
from tracker.cli import main


def cap(dbapi_connection, _record):
    pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
    dbapi_connection.execute(f"PRAGMA max_page_count = {{pages + {SPARE_PAGES}}}")


event.listen(Pool, "connect", cap)
main(sys.argv[1:], prog_name="tracker")
"""


def cap_pages(dbapi_connection, _record) -> None:
    pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
    dbapi_connection.execute(f"PRAGMA max_page_count = {pages + SPARE_PAGES}")


def test_disk_full_during_import_is_one_clear_error(sqlite_url: str, bulk_file: Path) -> None:
    """SQLITE_FULL mid-import: a DatabaseError saying so, and the file as it was."""
    tracker = Tracker(sqlite_url)
    tracker.ok("seed")
    before = dump(sqlite_url)
    database = Database(resolve_url(sqlite_url))
    event.listen(database.engine, "connect", cap_pages)
    try:
        with pytest.raises(DatabaseError, match="the disk is full; nothing was written"):
            database.run(lambda s: load_files(s, [bulk_file], actor="t", today=TODAY), write=True)
    finally:
        event.remove(database.engine, "connect", cap_pages)  # the engine outlives this test
        database.dispose()
    assert dump(sqlite_url) == before
    assert_sqlite_sound(sqlite_url)
    tracker.ok("add", "The disk has room again", "--said-on", "2022-12-01")
    tracker.ok("db", "check")


def test_disk_full_through_the_cli_exits_1_with_one_line(sqlite_url: str, bulk_file: Path) -> None:
    """The same, as a user sees it: exit 1, one `Error:` line, no traceback."""
    tracker = Tracker(sqlite_url)
    tracker.ok("seed")
    before = dump(sqlite_url)
    result = subprocess.run(
        [sys.executable, "-c", CAPPED_CLI, "--db", sqlite_url, "import", str(bulk_file)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "the disk is full" in lines[0]
    assert dump(sqlite_url) == before
    assert_sqlite_sound(sqlite_url)
    tracker.ok("list", "--limit", "1")
