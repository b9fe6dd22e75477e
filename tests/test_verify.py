"""Trust on a shared database (design.md §8): hash chains an attacker cannot quietly break,
the database's own user on every event, and backups taken while others write.

Each attack is made as someone who can disable the insert-only triggers would make it,
on SQLite and on PostgreSQL; `db verify` must name the event.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Connection, text
from support import Tracker, assert_error

from tracker.db.database import Database
from tracker.db.urls import resolve_url

DIGEST = "digest "


def history(tracker: Tracker) -> None:
    tracker.ok("seed")
    tracker.ok("--by", "ann", "retract", "5", "--reason", "a misread")
    tracker.ok("--by", "bob", "edit", "3", "--subject", "Xiaomi 12S Ultra", "--reason", "named")
    tracker.ok("resolve", "4", "confirmed", "--reason", "launched", "--on", "2022-07-04")


def verified(tracker: Tracker) -> str:
    result = tracker.ok("db", "verify")
    lines = result.stdout.splitlines()
    assert lines[0].endswith(" events verified")
    assert lines[-1].startswith(DIGEST) and len(lines[-1]) == len(DIGEST) + 64
    return lines[-1][len(DIGEST) :]


def tamper(url: str, *statements: str | Callable[[Connection], None]) -> None:
    """Raw SQL with the history's triggers out of the way, as a table owner could."""
    database = Database(resolve_url(url))
    try:
        with database.connect() as conn, conn.begin():
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("ALTER TABLE claim_event DISABLE TRIGGER USER")
                conn.exec_driver_sql("ALTER TABLE evidence DISABLE TRIGGER USER")
            else:
                for name in ("claim_event_no_update", "claim_event_no_delete",
                             "evidence_no_update", "evidence_no_delete"):  # fmt: skip
                    conn.exec_driver_sql(f"DROP TRIGGER {name}")
            for statement in statements:
                if callable(statement):
                    statement(conn)
                else:
                    conn.exec_driver_sql(statement)
    finally:
        database.dispose()


def event_id(tracker: Tracker, claim: str, kind: str) -> int:
    return next(e["id"] for e in tracker.json("show", claim)["history"] if e["event"] == kind)


def test_an_untouched_history_verifies_and_a_copy_gives_the_same_digest(
    tracker, new_database, tmp_path
):
    history(tracker)
    digest = verified(tracker)
    exported = tracker.ok("export").stdout
    assert all(len(e["hash"]) == 64 for c in json.loads(exported)["claims"] for e in c["history"])
    (tmp_path / "copy.json").write_text(exported, encoding="utf-8")
    server = next((b for b in ("postgresql", "mariadb") if b in tracker.url), None)
    for backend in ("sqlite", server) if server else ("sqlite",):
        copy = Tracker(new_database(backend))
        copy.ok("import", str(tmp_path / "copy.json"))
        assert verified(copy) == digest
        assert copy.ok("export").stdout == exported


@pytest.mark.parametrize(
    ("attack", "named"),
    [
        ("UPDATE claim_event SET reason = 'a different reason' WHERE id = {retraction}",
         "event {retraction} (evidence_retracted"),
        ("UPDATE evidence SET note = 'rewritten' WHERE id = 4", "event {added} (evidence_added"),
        ("DELETE FROM claim_event WHERE id = {created}", "event {added} (evidence_added"),
        ("UPDATE claim_event SET recorded_at = recorded_at WHERE id = {created};"
         "UPDATE claim_event SET actor = 'someone else' WHERE id = {created}",
         "event {created} (created"),
    ],
    ids=["reason-rewritten", "evidence-note-rewritten", "event-deleted", "actor-rewritten"],
)  # fmt: skip
def test_a_changed_or_deleted_event_is_named(tracker, db_url, attack, named):
    history(tracker)
    ids = {
        "retraction": event_id(tracker, "4", "evidence_retracted"),
        "created": event_id(tracker, "3", "created"),
        "added": event_id(tracker, "3", "evidence_added"),
    }
    tamper(db_url, *attack.format(**ids).split(";"))
    result = tracker("db", "verify")
    assert_error(result, "problem(s)")
    assert named.format(**ids) in result.stdout


def test_two_events_swapped_are_named(tracker, db_url):
    """The rows of two events of one claim exchange their contents (ids stay in place)."""
    history(tracker)
    first, second = (e["id"] for e in tracker.json("show", "4")["history"][1:3])
    columns = ("event", "from_status", "to_status", "evidence_id", "effective_on",
               "recorded_at", "actor")  # fmt: skip

    def swap(conn: Connection) -> None:
        read = text(f"SELECT {', '.join(columns)} FROM claim_event WHERE id = :id")
        rows = {i: conn.execute(read, {"id": i}).one()._asdict() for i in (first, second)}
        write = text(
            f"UPDATE claim_event SET {', '.join(f'{c} = :{c}' for c in columns)} WHERE id = :id"
        )
        for target, source in ((first, second), (second, first)):
            conn.execute(write, {**rows[source], "id": target})

    statements = [swap]
    tamper(db_url, *statements)
    result = tracker("db", "verify")
    assert_error(result, "problem(s)")
    assert f"event {first} (" in result.stdout


def test_a_claim_deleted_whole_changes_the_digest(tracker, db_url):
    history(tracker)
    before = verified(tracker)
    tamper(
        db_url,
        "DELETE FROM claim_event WHERE claim_id = 2",
        "DELETE FROM evidence WHERE claim_id = 2",
        "DELETE FROM claim_tag WHERE claim_id = 2",
        "DELETE FROM status_span WHERE claim_id = 2",
        "DELETE FROM claim WHERE id = 2",
    )
    assert verified(tracker) != before  # nothing left to name: the digest noted elsewhere is


@pytest.mark.parametrize("backend", ["postgresql", "mariadb"])
def test_the_database_user_is_recorded_whatever_by_says(tracker, backend):
    tracker.ok("--by", "alice", "add", "A claim", "--said-on", "2024-01-01")
    event = tracker.json("history")[0]
    # PostgreSQL's session_user; MariaDB's user@host, as the client connected
    user = "postgres" if backend == "postgresql" else "root@127.0.0.1"
    assert (event["actor"], event["db_user"]) == ("alice", user)
    assert f"alice (db: {user})" in tracker.ok("history").stdout


@pytest.mark.parametrize("backend", ["sqlite"])
def test_sqlite_has_no_database_user(tracker):
    tracker.ok("--by", "alice", "add", "A claim", "--said-on", "2024-01-01")
    event = tracker.json("history")[0]
    assert event["db_user"] is None and "(db:" not in tracker.ok("history").stdout


# -- backups -------------------------------------------------------------------------------

WRITER = """
import sys
from click.testing import CliRunner
from tracker.cli import main

url, n = sys.argv[1], sys.argv[2]
runner = CliRunner()
for i in range(40):
    result = runner.invoke(main, ["--db", url, "add", f"Writer {n} claim {i}", "--key", f"w{n}-{i}",
                                  "--said-on", "2024-01-01"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["--db", url, "confirm", f"w{n}-{i}", "--on", "2024-01-02"])
    assert result.exit_code == 0, result.output
"""


def test_a_backup_taken_while_four_processes_write_restores_and_verifies(
    tracker, db_url, new_database, tmp_path
):
    history(tracker)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, db_url, str(n)], stderr=subprocess.PIPE)
        for n in range(4)
    ]
    try:
        # The backup runs among them: once their first claims are in, while they still write.
        before, deadline = len(tracker.json("list")), time.monotonic() + 60
        while len(tracker.json("list")) == before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(tracker.json("list")) > before, "no writer wrote within a minute"
        assert any(writer.poll() is None for writer in writers), "the writers were done"
        target = tmp_path / ("backup.json" if "://" in db_url else "backup.db")
        result = tracker.ok("db", "backup", str(target))
        assert result.stdout.startswith("Backed up ")
    finally:
        for writer in writers:
            assert writer.wait(timeout=240) == 0, writer.stderr.read().decode()
    if "://" in db_url:  # a server: the backup is an export
        restored = Tracker(new_database())
        restored.ok("import", str(target))
    else:
        restored = Tracker(str(target))
    claims = len(restored.json("list"))
    assert 4 <= claims <= 4 + 160
    assert restored.ok("db", "verify").exit_code == 0
    assert restored.ok("db", "check").exit_code == 0
    assert not [p for p in Path(tmp_path).iterdir() if p.name.startswith(".tracker-")]


def test_a_backup_over_the_database_itself_is_refused(tracker, db_url):
    if "://" in db_url:
        pytest.skip("a server's database is not a file")
    assert_error(tracker("db", "backup", db_url), "is the database itself")


def test_a_backup_never_replaces_an_earlier_one_without_force(tracker, tmp_path):
    """Issue 23: `db backup FILE` silently replaced yesterday's backup."""
    history(tracker)
    target = tmp_path / "team-backup"
    target.write_bytes(b"yesterday's backup")
    assert_error(tracker("db", "backup", str(target)), f"{target} already exists; give --force")
    assert target.read_bytes() == b"yesterday's backup"
    link = tmp_path / "latest"
    link.symlink_to(target)  # a symlink to it names the same earlier backup
    assert_error(tracker("db", "backup", str(link)), "already exists; give --force")
    assert target.read_bytes() == b"yesterday's backup"
    tracker.ok("db", "backup", str(target), "--force")
    assert target.read_bytes() != b"yesterday's backup"


def test_a_sqlite_backup_copied_back_in_place_is_a_wal_database_of_its_own(
    tracker, db_url, tmp_path
):
    """The README's restore on SQLite copies the backup over the database: it must work as
    the tracker's own files do (WAL: readers and a writer at once), with nothing beside it."""
    if "://" in db_url:
        pytest.skip("a server's backup is an export")
    history(tracker)
    target = tmp_path / "backups" / "claims.db"
    target.parent.mkdir()
    tracker.ok("db", "backup", str(target))
    assert sorted(p.name for p in target.parent.iterdir()) == ["claims.db"]
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    restored = tmp_path / "restored.db"
    restored.write_bytes(target.read_bytes())
    assert verified(Tracker(str(restored))) == verified(tracker)


@pytest.mark.parametrize("name", ["team-backup", "claims.json", "backup.bak"])
def test_import_restores_a_backup_whatever_its_name(tracker, new_database, tmp_path, name):
    """Issue 23: a backup named without an extension was refused as "unknown file type ''".
    A SQLite backup is a database (even under a .json name), a server's is an export: the
    import reads what the file holds, into a copy that verifies with the same digest."""
    history(tracker)
    target = tmp_path / name
    tracker.ok("db", "backup", str(target))
    restored = Tracker(new_database())
    result = restored.ok("import", str(target))
    assert result.stdout == (
        f"{name}: 4 claims, 5 evidence, 1 resolution, 2 other changes added; 0 claims unchanged\n"
    )
    assert verified(restored) == verified(tracker)
    assert restored.ok("import", str(target)).stdout.endswith("; 4 claims unchanged\n")


def test_import_says_what_a_file_is_not(tracker, tmp_path):
    sheet = tmp_path / "notes"
    sheet.write_text("just some notes\n", encoding="utf-8")
    assert_error(tracker("import", str(sheet)), "unknown file type ''", "say which with --format")
    other = tmp_path / "other.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE notes (line TEXT)")
    connection.commit()
    connection.close()
    assert_error(tracker("import", str(other)), "a SQLite database, but not a tracker's")


def test_a_backup_from_an_older_tracker_is_migrated_in_a_copy_and_restored(
    tracker, db_url, tmp_path
):
    """A SQLite backup an older tracker wrote: read through a migrated copy, itself left as
    it was."""
    if "://" in db_url:
        pytest.skip("a server's backup is an export")
    old = tmp_path / "old-backup"
    Tracker(str(old)).ok("add", "An old claim", "--said-on", "2022-01-01", "--key", "old")
    database = Database(resolve_url(str(old)))
    from tracker.db import schema_gate

    schema_gate.downgrade(database, "0004")
    database.dispose()
    before = old.read_bytes()
    result = tracker.ok("import", str(old))
    assert (
        result.stdout
        == "old-backup: 1 claim, 0 evidence, 0 resolutions added; 0 claims unchanged\n"
    )
    assert tracker.json("show", "old")["text"] == "An old claim"
    assert old.read_bytes() == before


def test_a_retraction_moved_to_other_evidence_is_named(tracker, db_url):
    """Retract a leak, then point the retraction at the confirmation instead: the leak would
    count again; the chain seals which evidence a retraction names."""
    tracker.ok("add", "x", "--key", "x", "--said-on", "2024-01-01")
    tracker.ok("confirm", "x", "--on", "2024-01-02", "--note", "real")
    tracker.ok("refute", "x", "--on", "2024-01-03", "--note", "fake leak")
    tracker.ok("retract", "2", "--reason", "fake")
    retraction = event_id(tracker, "x", "evidence_retracted")
    tamper(db_url, f"UPDATE claim_event SET evidence_id = 1 WHERE id = {retraction}")
    result = tracker("db", "verify")
    assert_error(result, "problem(s)")
    assert f"event {retraction} (evidence_retracted" in result.stdout
