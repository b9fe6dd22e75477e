"""The migrations, checked as pytest-alembic would, on SQLite and PostgreSQL (design.md §12).

Written against Alembic's own API (no pytest-alembic): one head, which the models
name; up and down through every revision; nothing left after a downgrade; models
equal to the migrated schema; history insert-only in the database itself; the
checkout's `alembic upgrade head` equal to `tracker db upgrade`; and the `db`
commands as a user runs them.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from click.testing import CliRunner, Result
from sqlalchemy import CheckConstraint, Connection, inspect, text
from sqlalchemy.exc import DBAPIError
from support import SERVERS, Tracker, assert_error

from tracker.cli import main
from tracker.db import migrate
from tracker.db.database import Database
from tracker.db.models import SCHEMA_REVISION, Base, declare_dialect_indexes
from tracker.db.urls import display_url, resolve_url
from tracker.errors import Terminated

declare_dialect_indexes()  # the models as Alembic sees them

REPO = Path(__file__).resolve().parents[1]
ALEMBIC = Path(sys.executable).parent / "alembic"
SECRET_URL = "postgresql+psycopg://u:p%40ss@127.0.0.1:1/x"  # password "p@ss"; nothing listens


# -- databases and helpers -------------------------------------------------------------


@pytest.fixture
def new_empty_database(backend: str, request: pytest.FixtureRequest, tmp_path: Path):
    """Makes empty databases (no tables at all): a new file path, or a new server db."""
    server = request.getfixturevalue(SERVERS[backend]) if backend != "sqlite" else None
    made: list[str] = []

    def make() -> str:
        made.append(f"{uuid.uuid4().hex[:8]}")
        if server is None:
            return str(tmp_path / f"empty-{made[-1]}.db")
        return server.create(f"{server.prefix}_empty_{made[-1]}")

    yield make
    if server is not None:
        for suffix in made:
            server.drop(f"{server.prefix}_empty_{suffix}")


@pytest.fixture
def empty_url(new_empty_database: Callable[[], str]) -> str:
    """An empty database: Alembic has never touched it."""
    return new_empty_database()


@contextmanager
def connected(url: str) -> Iterator[Connection]:
    """A connection as the tracker makes it (SQLite: our BEGIN, WAL, foreign keys)."""
    database = Database(resolve_url(url))
    try:
        with database.connect() as conn:
            yield conn
    finally:
        database.dispose()


def alembic(action: Callable[..., None], url: str, revision: str) -> str | None:
    """Run one Alembic command on the database; return the revision it is at after."""
    with connected(url) as conn:
        action(migrate.config(conn), revision)
    with connected(url) as conn:
        return MigrationContext.configure(conn).get_current_revision()


def revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(migrate.config())
    return [r.revision for r in reversed(list(script.walk_revisions("base", "heads")))]


def alembic_upgrade_head(url: str) -> None:
    """`alembic upgrade head` from the checkout, as a developer types it."""
    done = subprocess.run(
        [str(ALEMBIC), "-c", str(REPO / "alembic.ini"), "-x", f"db={url}", "upgrade", "head"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def run_tracker(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", url, *args], catch_exceptions=False)


def schema(url: str) -> dict:
    """Tables with their columns, types, indexes and constraints, and the triggers."""
    with connected(url) as conn:
        inspector = inspect(conn)
        tables = {
            name: {
                "columns": [
                    (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(name)
                ],
                "primary_key": inspector.get_pk_constraint(name)["constrained_columns"],
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in inspector.get_indexes(name)
                ),
                "unique": sorted(u["name"] for u in inspector.get_unique_constraints(name)),
                "foreign_keys": sorted(
                    (fk["name"], tuple(fk["constrained_columns"]), fk["referred_table"])
                    for fk in inspector.get_foreign_keys(name)
                ),
                "checks": sorted(c["name"] for c in inspector.get_check_constraints(name)),
            }
            for name in inspector.get_table_names()
        }
        return {"tables": tables, "triggers": triggers(conn)}


def triggers(conn: Connection) -> list[str]:
    if conn.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    else:
        query = (
            "SELECT DISTINCT trigger_name FROM information_schema.triggers"
            f" WHERE trigger_schema = {this_schema(conn)} ORDER BY trigger_name"
        )
    return list(conn.exec_driver_sql(query).scalars())


def this_schema(conn: Connection) -> str:
    return "current_schema()" if conn.dialect.name == "postgresql" else "DATABASE()"


def leftovers(url: str) -> dict[str, list[str]]:
    """Every schema object in the database, by kind (SQLite's own excepted)."""
    with connected(url) as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(
                "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            )
            found: dict[str, list[str]] = {}
            for kind, name in rows:
                found.setdefault(kind, []).append(name)
            return found
        schema = this_schema(conn)
        queries = {
            "table": "SELECT table_name FROM information_schema.tables"
            f" WHERE table_schema = {schema}",
            "trigger": "SELECT trigger_name FROM information_schema.triggers"
            f" WHERE trigger_schema = {schema}",
            "routine": "SELECT routine_name FROM information_schema.routines"
            f" WHERE routine_schema = {schema}",
        }
        if conn.dialect.name == "postgresql":
            queries |= {
                "sequence": "SELECT sequence_name FROM information_schema.sequences"
                " WHERE sequence_schema = current_schema()",
                "type": "SELECT t.typname FROM pg_type t"
                " JOIN pg_namespace n ON n.oid = t.typnamespace"
                " WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd')",
            }
        found = {kind: sorted(conn.exec_driver_sql(q).scalars()) for kind, q in queries.items()}
        return {kind: names for kind, names in found.items() if names}


def table_rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table the database has (sorted, to compare)."""
    with connected(url) as conn:
        present = set(inspect(conn).get_table_names())
        names = [t.name for t in Base.metadata.sorted_tables if t.name in present]
        names.append("alembic_version")
        return {
            name: sorted(
                (tuple(row) for row in conn.exec_driver_sql(f"SELECT * FROM {name}")), key=repr
            )
            for name in names
        }


def without_changesets(rows: dict[str, list[tuple]], url: str) -> dict[str, list[tuple]]:
    """`table_rows` as a downgrade below 0009 and back leaves them: no changesets, and no
    event naming one (which command wrote which event is local to a database)."""
    at = table_columns(url)["claim_event"].index("changeset_id")
    events = [row[:at] + (None,) + row[at + 1 :] for row in rows["claim_event"]]
    return {**rows, "changeset": [], "claim_event": sorted(events, key=repr)}


def table_columns(url: str) -> dict[str, list[str]]:
    """Each table's columns, in the order `table_rows` gives their values."""
    with connected(url) as conn:
        inspector = inspect(conn)
        return {
            t: [c["name"] for c in inspector.get_columns(t)] for t in inspector.get_table_names()
        }


# -- the revision graph ----------------------------------------------------------------


def test_one_head_and_the_models_name_it():
    """Ordinary commands compare against SCHEMA_REVISION without importing Alembic."""
    heads = ScriptDirectory.from_config(migrate.config()).get_heads()
    assert heads == [SCHEMA_REVISION]


def test_the_checkout_and_the_package_see_the_same_migrations():
    """alembic.ini's script_location and the tracker's (packaged) one hold the same graph."""
    checkout = ScriptDirectory.from_config(Config(str(REPO / "alembic.ini")))
    packaged = ScriptDirectory.from_config(migrate.config())
    assert [r.revision for r in checkout.walk_revisions()] == [
        r.revision for r in packaged.walk_revisions()
    ]
    assert checkout.get_heads() == [SCHEMA_REVISION]


def test_up_and_down_through_every_revision(empty_url):
    """Each revision upgrades, downgrades and upgrades again, one step at a time."""
    steps = revisions()
    assert steps, "no migrations found"
    for revision in steps:
        assert alembic(command.upgrade, empty_url, revision) == revision
    for revision, below in reversed(list(zip(steps, [None, *steps[:-1]], strict=True))):
        assert alembic(command.downgrade, empty_url, below or "base") == below, revision
    for revision in steps:
        assert alembic(command.upgrade, empty_url, revision) == revision
    assert set(schema(empty_url)["tables"]) == {*Base.metadata.tables, "alembic_version"}


def test_downgrade_to_base_leaves_no_trace(empty_url):
    """After upgrade and downgrade only Alembic's (empty) version table remains."""
    assert alembic(command.upgrade, empty_url, "head") == SCHEMA_REVISION
    assert alembic(command.downgrade, empty_url, "base") is None
    assert leftovers(empty_url) == {"table": ["alembic_version"]}
    with connected(empty_url) as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 0


def test_models_match_the_migrated_schema(empty_url):
    """Autogenerate finds nothing to do: the models and the migrations describe one schema."""
    alembic(command.upgrade, empty_url, "head")
    with connected(empty_url) as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        # Autogenerate does not compare CHECK constraints: their names, at least, must agree.
        inspector = inspect(conn)
        for table in Base.metadata.sorted_tables:
            declared = {c.name for c in table.constraints if isinstance(c, CheckConstraint)}
            found = {c["name"] for c in inspector.get_check_constraints(table.name)}
            assert found == declared, table.name


# -- history is insert-only --------------------------------------------------------------


@pytest.mark.parametrize("table", ["claim_event", "evidence"])
@pytest.mark.parametrize(
    ("verb", "statement"),
    [
        ("UPDATE", "UPDATE {table} SET recorded_at = recorded_at"),
        ("DELETE", "DELETE FROM {table}"),
    ],
)
def test_the_database_refuses_to_change_history(tracker, db_url, table, verb, statement):
    """Raw SQL cannot rewrite or remove evidence or events: the triggers refuse it."""
    tracker.ok("add", "The phone launches in July", "--said-on", "2022-05-23")
    tracker.ok("confirm", "1", "--on", "2022-07-04", "--note", "launched")
    shown = tracker.json("show", "1")
    before = table_rows(db_url)

    with connected(db_url) as conn, pytest.raises(DBAPIError) as refused, conn.begin():
        conn.execute(text(statement.format(table=table)))

    assert f"{table} is insert-only history: {verb} refused" in str(refused.value)
    assert table_rows(db_url) == before
    assert tracker.json("show", "1") == shown


@pytest.mark.parametrize("backend", ["postgresql"])
def test_the_server_refuses_to_truncate_history(tracker, db_url):
    """TRUNCATE is DELETE without row triggers: it must be refused as well."""
    tracker.ok("add", "The phone launches in July", "--said-on", "2022-05-23")
    tracker.ok("confirm", "1", "--on", "2022-07-04")
    before = table_rows(db_url)

    with connected(db_url) as conn, pytest.raises(DBAPIError) as refused, conn.begin():
        conn.exec_driver_sql("TRUNCATE claim_event, evidence")

    assert "insert-only history" in str(refused.value)
    assert table_rows(db_url) == before


# -- the two ways to migrate --------------------------------------------------------------


def test_alembic_from_the_checkout_and_tracker_db_upgrade_agree(new_empty_database):
    """`alembic upgrade head` in the repository and `tracker db upgrade` build one schema."""
    by_alembic, by_tracker = new_empty_database(), new_empty_database()

    alembic_upgrade_head(by_alembic)
    result = run_tracker(by_tracker, "db", "upgrade")
    assert result.exit_code == 0, result.output
    display = display_url(resolve_url(by_tracker))
    assert result.stdout == f"Upgraded {display} from revision none to {SCHEMA_REVISION}\n"

    alembic_schema, tracker_schema = schema(by_alembic), schema(by_tracker)
    assert alembic_schema == tracker_schema
    assert set(tracker_schema["tables"]) >= {"claim", "evidence", "claim_event"}
    assert len(tracker_schema["triggers"]) == 4
    for url in (by_alembic, by_tracker):
        assert run_tracker(url, "db", "current").stdout == f"{SCHEMA_REVISION} (current)\n"


def populate(tracker) -> None:
    """A little of everything: sources, articles, tags, evidence, edits, resolutions."""
    tracker.ok(
        "add", "The first Xiaomi-Leica phone launches in July",
        "--source", "Xiaomi", "--said-on", "2022-05-23", "--expected", "July 2022",
        "--article-url", "https://example.com/leica", "--article-title", "Leica phone",
        "--tag", "leica", "--tag", "xiaomi", "--key", "leica-launch", "--hedge", "official",
    )  # fmt: skip
    tracker.ok("add", "It is called the 12 Ultra", "--said-on", "2022-05-01", "--likelihood", "0.4")
    tracker.ok("confirm", "leica-launch", "--on", "2022-07-04", "--source", "Xiaomi")
    tracker.ok("refute", "2", "--on", "2022-06-28", "--note", "It is the 12S Ultra")
    tracker.ok("evidence", "2", "confirms", "--on", "2022-06-29", "--url", "https://example.com")
    tracker.ok("retract", "3", "--reason", "misread")
    tracker.ok("resolve", "2", "refuted", "--reason", "named 12S Ultra", "--on", "2022-07-01")
    tracker.ok("edit", "2", "--subject", "Xiaomi 12S Ultra", "--tag", "phones", "--reason", "named")


def test_upgrading_a_populated_database_keeps_every_row(tracker, db_url):
    """An up-to-date, populated database: both ways to upgrade change nothing and say so.

    There is only one revision yet, and a downgrade to base drops the data, so
    this checks the no-op upgrade. The next migration must extend this test: build
    the populated database at the previous revision, upgrade, compare every row.
    """
    populate(tracker)
    before = table_rows(db_url)
    assert sum(len(rows) for rows in before.values()) > 10
    display = display_url(resolve_url(db_url))

    result = tracker.ok("db", "upgrade")
    assert result.stdout == f"{display} is already at revision {SCHEMA_REVISION}\n"
    assert table_rows(db_url) == before

    alembic_upgrade_head(db_url)
    assert table_rows(db_url) == before
    assert [c["status"] for c in tracker.json("list")] == ["confirmed", "refuted"]


Rows = dict[str, list[tuple[Any, ...]]]  # table -> its rows, in the models' column order

# Rows as the first wave (revision 0002) wrote them, for the upgrade to 0003.
ROWS_0002: Rows = {
    "source": [(1, "Xiaomi", "xiaomi"), (2, "Ice Universe", "ice universe")],
    "article": [(1, "https://example.com/" + "x" * 1000, "Leica phone", None, "2022-05-23")],
    "claim": [  # in the models' column order
        (1, "leica-launch", "Launches in July", "launches in july", "Phone", "phone", 1, 1,
         "2022-05-23", "July 2022", "2022-07-01", "2022-07-31", "official", 0.95, "confirmed",
         "2022-07-04", "2022-05-24 10:00:00.000001", "2022-07-05 09:00:00.000000"),
        (2, None, "長" * 300, "長" * 300, None, None, 2, None, "2022-05-01", None, None, None,
         None, 0.4, "pending", None, "2022-05-02 08:00:00.000000", "2022-06-30 08:00:00.000000"),
    ],
    "claim_tag": [(1, "leica"), (1, "xiaomi")],
    "evidence": [
        (1, 1, "confirms", 1, None, "2022-07-04", "launched", "2022-07-05 09:00:00.000000", "ann"),
        (2, 2, "refutes", None, None, "2022-06-28", None, "2022-06-29 09:00:00.000000", "bob"),
    ],
    "claim_event": [
        (1, 1, "created", None, "pending", None, None, "2022-05-23", "2022-05-24 10:00:00.000001",
         "ann", None, None),
        (2, 2, "created", None, "pending", None, None, "2022-05-01", "2022-05-02 08:00:00.000000",
         "bob", None, None),
        (3, 2, "evidence_added", "pending", "refuted", 2, None, "2022-06-28",
         "2022-06-29 09:00:00.000000", "bob", None, None),
        (4, 2, "evidence_retracted", "refuted", "pending", 2, None, "2022-06-30",
         "2022-06-30 08:00:00.000000", "bob", "misread", None),
        (5, 1, "evidence_added", "pending", "confirmed", 1, None, "2022-07-04",
         "2022-07-05 09:00:00.000000", "ann", None, None),
        (6, 1, "edited", "confirmed", "confirmed", None, None, "2022-07-05",
         "2022-07-05 09:00:00.000000", "ann", "typo", '{"subject": ["phone", "Phone"]}'),
    ],
}  # fmt: skip


def insert_rows(url: str, rows: Rows, older: tuple[str, ...] = ()) -> None:
    """Insert rows given in the models' column order, less the columns newer than 0002 and
    the `older` ones (those a revision before 0002 lacks)."""
    with connected(url) as conn, conn.begin():
        for table, values in rows.items():
            marks = ", ".join(f":c{i}" for i in range(len(values[0])))
            columns = [c.name for c in Base.metadata.tables[table].columns if c.name not in
                       ("uid", "text_hash", "twin_hash", "url_hash", "withdrawn", "tag_folded",
                        "db_user", "hash", "quote", "actual", "tier", "alias_of",
                        "source_name", "handle", "undoes", "changeset_id", *older)]  # fmt: skip
            names = ", ".join(map(conn.dialect.identifier_preparer.quote, columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
            for row in values:
                conn.execute(text(sql), {f"c{i}": value for i, value in enumerate(row)})
            if conn.dialect.name == "postgresql" and "id" in columns:  # as a real writer would
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                )


# The same rows as the initial schema (revision 0001) held them: no claim.subject_folded,
# which 0002 adds; and a claim whose subject only folds alike with Python's casefold.
SUBJECT = "  Crème  BRÛLÉE\tStraße "
ROWS_0001: Rows = {
    **ROWS_0002,
    "claim": [row[:5] + row[6:] for row in ROWS_0002["claim"]] + [
        (3, None, "Ships in June", "ships in june", SUBJECT, None, None, "2022-06-01", None,
         None, None, None, 0.5, "pending", None, "2022-06-01 08:00:00.000000",
         "2022-06-01 08:00:00.000000"),
    ],
    "claim_event": [*ROWS_0002["claim_event"],
        (7, 3, "created", None, "pending", None, None, "2022-06-01", "2022-06-01 08:00:00.000000",
         "ann", None, None),
    ],
}  # fmt: skip


def test_upgrading_0001_keeps_every_row_and_folds_each_subject(empty_url: str) -> None:
    """A database of the initial schema: 0002 keeps every row, stores each claim's subject
    folded, and the tracker finds a claim by its subject through that fold."""
    assert alembic(command.upgrade, empty_url, "0001") == "0001"
    insert_rows(empty_url, ROWS_0001, older=("subject_folded",))
    before = table_rows(empty_url)
    assert before["alembic_version"] == [("0001",)]

    assert alembic(command.upgrade, empty_url, "0002") == "0002"
    after = table_rows(empty_url)
    with connected(empty_url) as conn:
        claim_columns = [c["name"] for c in inspect(conn).get_columns("claim")]
        folded = conn.exec_driver_sql(
            "SELECT id, subject, subject_folded FROM claim ORDER BY id"
        ).all()
    kept = [i for i, name in enumerate(claim_columns) if name != "subject_folded"]
    assert sorted((tuple(r[i] for i in kept) for r in after["claim"]), key=repr) == before["claim"]
    assert {t: r for t, r in after.items() if t not in ("claim", "alembic_version")} == {
        t: r for t, r in before.items() if t not in ("claim", "alembic_version")
    }
    assert after["alembic_version"] == [("0002",)]
    assert [tuple(row) for row in folded] == [
        (1, "Phone", "phone"), (2, None, None), (3, SUBJECT, "crème brûlée strasse"),
    ]  # fmt: skip

    assert run_tracker(empty_url, "db", "upgrade").exit_code == 0
    found = run_tracker(empty_url, "list", "--subject", "CRÈME brûlée STRASSE", "--format", "json")
    assert found.exit_code == 0, found.output
    assert [c["id"] for c in json.loads(found.stdout)] == [3]


def test_upgrading_0002_keeps_every_row_and_gives_each_an_identity(empty_url):
    """A first-wave database, long text and all: every row kept, every row given a uid,
    the history still insert-only, and the tracker reads and extends it."""
    from tracker.rules.identity import digest, is_uid

    assert alembic(command.upgrade, empty_url, "0002") == "0002"  # (the models' newer columns
    # are left out of the inserts; 0003 is what this test upgrades through)
    insert_rows(empty_url, ROWS_0002)
    before = table_rows(empty_url)

    assert run_tracker(empty_url, "db", "upgrade").exit_code == 0
    after = table_rows(empty_url)
    with connected(empty_url) as conn:
        new_columns = {
            table: [c["name"] for c in inspect(conn).get_columns(table)] for table in after
        }
    for table, rows in before.items():
        if table == "alembic_version":
            continue
        added = ("uid", "text_hash", "twin_hash", "url_hash", "withdrawn", "tag_folded", "db_user",
                 "hash", "quote", "actual", "tier", "alias_of", "source_name", "handle", "undoes",
                 "changeset_id")  # fmt: skip
        kept = [i for i, name in enumerate(new_columns[table]) if name not in added]
        assert sorted((tuple(r[i] for i in kept) for r in after[table]), key=repr) == rows, table
    with connected(empty_url) as conn:
        claims = conn.exec_driver_sql(
            "SELECT id, uid, claim.key, text_norm, text_hash, twin_hash, said_on"
            " FROM claim ORDER BY id"
        ).all()
        uids = [row.uid for row in claims]
        for table in ("evidence", "claim_event"):
            uids += conn.exec_driver_sql(f"SELECT uid FROM {table} ORDER BY id").scalars().all()
        url_hash = conn.exec_driver_sql("SELECT url, url_hash FROM article").one()
    assert all(is_uid(uid) for uid in uids) and len(set(uids)) == len(uids)
    assert [row.uid for row in claims] == sorted(row.uid for row in claims)
    assert uids[0].startswith("0180f582-5100-7")  # a version 7 uid of 2022-05-24 10:00 UTC
    assert [row.text_hash for row in claims] == [digest(row.text_norm) for row in claims]
    assert [row.twin_hash is None for row in claims] == [True, False]  # only the keyless one
    assert url_hash.url_hash == digest(url_hash.url)

    shown = json.loads(run_tracker(empty_url, "show", "2", "--format", "json").stdout)
    assert [e["event"] for e in shown["history"]] == [
        "created", "evidence_added", "evidence_retracted",
    ]  # fmt: skip
    assert shown["uid"] == uids[1] and shown["history"][1]["evidence_uid"] == uids[3]
    assert run_tracker(empty_url, "db", "check").exit_code == 0
    assert run_tracker(empty_url, "db", "verify").exit_code == 0  # chains made for old rows
    with connected(empty_url) as conn:  # evidence keeps the name it was recorded under
        named = conn.exec_driver_sql(
            "SELECT evidence.source_name, source.name FROM evidence"
            " LEFT JOIN source ON source.id = evidence.source_id ORDER BY evidence.id"
        ).all()
    assert [row.source_name for row in named] == [row.name for row in named]
    assert any(row.source_name is not None for row in named)
    result = run_tracker(empty_url, "refute", "2", "--on", "2022-06-28")
    assert result.exit_code == 0, result.output
    with connected(empty_url) as conn, pytest.raises(DBAPIError), conn.begin():
        conn.exec_driver_sql("UPDATE claim_event SET reason = 'rewritten'")


def test_upgrading_0006_gives_every_claim_its_handle_and_keeps_every_chain(tracker, db_url):
    """0009 fills each claim's handle from its uid, keeps every row, and the history verifies
    to the same digest; an undo made after it is refused on the way back down."""
    from tracker.rules.identity import handle

    populate(tracker)
    digest = tracker.ok("db", "verify").stdout.splitlines()[-1]
    tracker.ok("db", "downgrade", "0006")
    before, columns = table_rows(db_url), table_columns(db_url)
    assert "changeset" not in before
    tracker.ok("db", "upgrade")
    after = table_rows(db_url)
    with connected(db_url) as conn:
        claims = conn.exec_driver_sql("SELECT uid, handle FROM claim ORDER BY id").all()
    assert [row.handle for row in claims] == [handle(row.uid) for row in claims]
    assert before.pop("alembic_version") == [("0006",)]
    # The rows as they were, in the columns 0006 had (0008 and 0009 add some).
    kept = {t: [table_columns(db_url)[t].index(c) for c in columns[t]] for t in before}
    for table, rows in before.items():
        assert sorted((tuple(r[i] for i in kept[table]) for r in after[table]), key=repr) == rows
    assert after["changeset"] == []  # changes made before 0009 cannot be undone
    assert tracker.ok("db", "verify").stdout.splitlines()[-1] == digest
    assert [c["handle"] for c in tracker.json("list")] == [row.handle for row in claims]

    tracker.ok("edit", "1", "--subject", "Leica")
    tracker.ok("undo")
    assert_error(tracker("db", "downgrade", "0006"), "changes were undone here: revisions "
                 "before 0009 cannot record that")  # fmt: skip


# -- the db commands -----------------------------------------------------------------------


def test_upgrading_to_0008_keeps_every_row_and_every_hash(tracker, db_url):
    """0008 (sources as history): a populated database of the revision before keeps every
    row, its evidence gets the names sources had, and `db verify` gives the digest it gave
    before."""
    populate(tracker)
    digest = tracker.ok("db", "verify").stdout.splitlines()[-1]
    at_head = table_rows(db_url)
    below = revisions()[revisions().index("0008") - 1]
    tracker.ok("db", "downgrade", below)
    assert table_rows(db_url)["alembic_version"] == [(below,)]
    alembic_upgrade_head(db_url)
    # Which command wrote which event is local to a database: it goes with 0009 on the way.
    assert table_rows(db_url) == without_changesets(at_head, db_url)
    assert tracker.ok("db", "verify").stdout.splitlines()[-1] == digest
    tracker.ok("source", "rename", "Xiaomi", "Xiaomi Corporation", "--reason", "full name")
    assert tracker.ok("db", "verify").stdout.splitlines()[0].endswith("events verified")


def test_a_downgrade_that_would_lose_a_rename_is_refused(tracker, db_url):
    populate(tracker)
    tracker.ok("source", "rename", "Xiaomi", "Xiaomi Corporation", "--reason", "a test")
    before = table_rows(db_url)
    below = revisions()[revisions().index("0008") - 1]
    assert_error(tracker("db", "downgrade", below), "sources were renamed or merged: the "
                 "revisions before 0008 cannot record that; export the claims first")  # fmt: skip
    assert table_rows(db_url) == before


def test_db_current_says_the_revision_and_that_it_is_current(tracker, db_url):
    assert tracker.ok("db", "current").stdout == f"{SCHEMA_REVISION} (current)\n"
    assert tracker.json("db", "current") == {
        "database": display_url(resolve_url(db_url)),
        "revision": SCHEMA_REVISION,
        "head": SCHEMA_REVISION,
        "current": True,
    }


def test_db_path_shows_no_password_and_does_not_connect():
    """Nothing listens on port 1: `db path` only shows where the database is."""
    result = run_tracker(SECRET_URL, "db", "path")
    assert result.exit_code == 0, result.output
    assert result.stdout == "postgresql+psycopg://u:***@127.0.0.1:1/x\n"
    result = run_tracker(SECRET_URL, "db", "path", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "p%40ss" not in result.output and "p@ss" not in result.output
    assert '"postgresql+psycopg://u:***@127.0.0.1:1/x"' in result.stdout


def test_db_path_does_not_create_the_file(tmp_path):
    path = tmp_path / "claims.db"
    result = run_tracker(str(path), "db", "path")
    assert result.stdout == f"{path}\n"
    result = CliRunner().invoke(main, ["db", "path"], catch_exceptions=False)
    assert result.stdout == f"{tmp_path / 'xdg' / 'tracker' / 'tracker.db'}\n"
    assert not path.exists() and not (tmp_path / "xdg").exists()


def test_db_current_on_an_unreachable_server_hides_the_password():
    result = run_tracker(SECRET_URL, "db", "current")
    assert_error(result, "cannot connect to database postgresql+psycopg://u:***@127.0.0.1:1/x")
    assert "p%40ss" not in result.output and "p@ss" not in result.output


def test_db_downgrade_base_removes_every_tracker_table(tracker, db_url):
    populate(tracker)
    result = tracker.ok("db", "downgrade", "base")
    display = display_url(resolve_url(db_url))
    assert result.stdout == f"Downgraded {display} from revision {SCHEMA_REVISION} to base\n"
    assert leftovers(db_url) == {"table": ["alembic_version"]}


def test_a_downgrade_that_would_lose_links_tiers_or_actuals_is_refused(tracker, db_url):
    """0005 has nowhere to keep them: refused, unchanged; down to base they go with the rest."""
    tracker.ok("seed")  # its outcomes carry tiers and what actually happened
    before = table_rows(db_url)
    result = tracker("db", "downgrade", "0005")
    assert_error(result, "Error: cannot migrate to '0005': claims have links, tiers, quotes or "
                 "what actually happened: revision 0005 cannot record them; export the claims "
                 "first if you need to go back")  # fmt: skip
    assert table_rows(db_url) == before
    tracker.ok("db", "downgrade", "base")
    assert leftovers(db_url) == {"table": ["alembic_version"]}


def test_db_upgrade_after_downgrade_to_base_rebuilds_the_schema(tracker, db_url):
    """Down to base and back up with the tracker's own commands."""
    tracker.ok("db", "downgrade", "base")
    result = tracker("db", "upgrade")
    assert result.exit_code == 0, result.output
    display = display_url(resolve_url(db_url))
    assert result.stdout == f"Upgraded {display} from revision none to {SCHEMA_REVISION}\n"
    assert tracker.json("list") == []


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_downgraded_server_database_is_refused_with_the_upgrade_hint(tracker):
    """The tracker never migrates a shared database silently: it says what to run."""
    tracker.ok("db", "downgrade", "base")
    assert tracker.ok("db", "current").stdout == "none (behind: run `tracker db upgrade`)\n"
    assert_error(tracker("list"), "tracker db upgrade")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_downgraded_sqlite_file_is_migrated_on_first_use(tracker):
    """A SQLite file with no tracker tables left is as good as new: the next command builds it."""
    tracker.ok("db", "downgrade", "base")
    result = tracker("list", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "[]"
    assert tracker.ok("db", "current").stdout == f"{SCHEMA_REVISION} (current)\n"


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("kind", ["zero-byte file", "database without tables"])
def test_an_empty_sqlite_file_is_migrated_on_first_use(empty_url, kind):
    """design.md §12: a new (or empty) SQLite file is created and migrated to head on first use."""
    if kind == "zero-byte file":
        Path(empty_url).touch()
    else:
        conn = sqlite3.connect(empty_url)
        conn.execute("PRAGMA user_version = 7")
        conn.close()
    result = run_tracker(empty_url, "list", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "[]"
    assert run_tracker(empty_url, "db", "current").stdout == f"{SCHEMA_REVISION} (current)\n"


@pytest.mark.parametrize("backend", ["postgresql"])
def test_an_empty_server_database_is_refused_until_db_upgrade(empty_url):
    """An empty PostgreSQL database is never migrated silently; `tracker db upgrade` does it."""
    assert_error(run_tracker(empty_url, "list"), "run `tracker db upgrade` to create it")
    assert leftovers(empty_url) == {}
    assert (
        run_tracker(empty_url, "db", "current").stdout
        == "none (behind: run `tracker db upgrade`)\n"
    )
    assert run_tracker(empty_url, "db", "upgrade").exit_code == 0
    assert run_tracker(empty_url, "list", "--format", "json").stdout.strip() == "[]"


# -- MariaDB: schema changes commit one by one, so a failed revision is undone -------------------


def break_the_triggers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every revision that makes the insert-only triggers fails there, after its other changes
    (as it would for an account without the TRIGGER privilege)."""
    from alembic import op

    from tracker.db import insert_only

    def broken(table: str) -> None:
        op.execute(
            f"CREATE TRIGGER {table}_broken BEFORE UPDATE ON no_such_table FOR EACH ROW SET @x = 1"
        )

    monkeypatch.setattr(insert_only, "create_triggers", broken)


@pytest.mark.parametrize("backend", ["mariadb"])
def test_a_first_upgrade_that_fails_partway_leaves_an_empty_database(empty_url, monkeypatch):
    with monkeypatch.context() as patch:
        break_the_triggers(patch)
        result = run_tracker(empty_url, "db", "upgrade")
    assert_error(result, "MariaDB/MySQL cannot roll back schema changes, so the tracker undid")
    assert "fix the cause and run the command again" in result.output
    assert leftovers(empty_url) == {}  # revision 0001's tables, and Alembic's, are gone
    assert run_tracker(empty_url, "db", "upgrade").exit_code == 0
    assert run_tracker(empty_url, "db", "check").exit_code == 0


@pytest.fixture
def migrator(db_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """db_url as an account like the README's (any host, all rights on the database only)."""
    from sqlalchemy.engine import make_url

    server = request.getfixturevalue(SERVERS["mariadb"])
    name, account = make_url(db_url).database, f"tracker_m_{uuid.uuid4().hex[:8]}"
    with server.admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE USER '{account}'@'%%' IDENTIFIED BY 'pw'")
        conn.exec_driver_sql(f"GRANT ALL ON `{name}`.* TO '{account}'@'%%'")
    yield make_url(db_url).set(username=account, password="pw").render_as_string(False)
    with server.admin.connect() as conn:
        conn.exec_driver_sql(f"DROP USER '{account}'@'%%'")


def a_confirmed_claim_at_0005(tracker: Tracker) -> None:
    tracker.ok("add", "The phone launches in July", "--said-on", "2022-05-23", "--key", "p")
    tracker.ok("confirm", "p", "--on", "2022-07-04", "--note", "launched")
    tracker.ok("db", "downgrade", "0005")


def assert_upgrades_whole(tracker: Tracker) -> None:
    tracker.ok("db", "upgrade")
    assert "1 claims and 2 events verified" in tracker.ok("db", "verify").stdout
    assert tracker.json("show", "p")["status"] == "confirmed"
    with connected(tracker.url) as conn:
        assert len(triggers(conn)) == 4
    assert "tracker_undo" not in leftovers(tracker.url)["table"]


def shape(url: str) -> tuple[dict, dict]:
    """A MariaDB schema's clauses and triggers, as the undo sees them."""
    from tracker.db import undoable

    with connected(url) as conn:
        found = undoable.read(conn)
    return found.clauses, found.triggers


@pytest.mark.parametrize("backend", ["mariadb"])
def test_an_upgrade_that_fails_partway_is_undone_to_the_revision_before(migrator, monkeypatch):
    """0005 -> 0006 adds claim columns, drops and remakes evidence's triggers: it fails at the
    remaking, and every change before it is undone, rows and all (the triggers were made by
    an account whose host is '%', which the undo must replay as text, not as a format)."""
    tracker = Tracker(migrator)
    a_confirmed_claim_at_0005(tracker)
    before, rows = shape(migrator), table_rows(migrator)

    with monkeypatch.context() as patch:
        break_the_triggers(patch)
        result = tracker("db", "upgrade")

    assert_error(result, "so the tracker undid this revision's")
    assert shape(migrator) == before
    assert table_rows(migrator) == rows
    assert tracker.ok("db", "current").stdout.startswith("0005")
    assert_upgrades_whole(tracker)


@pytest.mark.parametrize("backend", ["mariadb"])
def test_a_revision_whose_connection_dies_is_undone_on_another(tracker, mariadb, monkeypatch):
    """The server drops the migrating connection in the middle of 0006 (KILL, as an admin or
    a network would): the undo runs on a new connection."""
    from alembic import op

    from tracker.db import insert_only

    a_confirmed_claim_at_0005(tracker)
    before = shape(tracker.url)

    def killed(table: str) -> None:
        own = op.get_bind().exec_driver_sql("SELECT CONNECTION_ID()").scalar()
        with mariadb.admin.connect() as admin:
            admin.exec_driver_sql(f"KILL {own}")
        op.execute("SELECT 1")

    with monkeypatch.context() as patch:
        patch.setattr(insert_only, "create_triggers", killed)
        result = tracker("db", "upgrade")

    assert_error(result, "so the tracker undid this revision's")
    assert shape(tracker.url) == before
    assert_upgrades_whole(tracker)


@pytest.mark.parametrize("backend", ["mariadb"])
@pytest.mark.parametrize(
    ("stop", "code", "said"),
    [(KeyboardInterrupt, 130, "Interrupted"), (Terminated, 143, "Terminated")],
    ids=["ctrl-c", "kill"],
)
def test_ctrl_c_or_a_kill_in_a_revision_undoes_it_and_says_what_is_left(
    tracker, monkeypatch, stop, code, said
):
    from tracker.db import insert_only

    a_confirmed_claim_at_0005(tracker)
    before = shape(tracker.url)

    def stopped(table: str) -> None:
        raise stop

    with monkeypatch.context() as patch:
        patch.setattr(insert_only, "create_triggers", stopped)
        result = tracker("db", "upgrade")

    assert result.exit_code == code
    assert result.stderr == (
        f"{said}: this revision's schema changes were undone; the schema is as the "
        "revision before left it (see `tracker db current`).\n"
    )
    assert shape(tracker.url) == before
    assert_upgrades_whole(tracker)


@pytest.mark.parametrize("backend", ["mariadb"])
def test_a_kill_in_the_middle_of_a_statement_is_undone_on_a_new_connection(tracker, monkeypatch):
    """SIGTERM lands after a statement was sent and before its reply was read: the old
    connection's replies no longer match its queries, so the undo must not use it."""
    from pymysql.connections import Connection
    from pymysql.constants import COMMAND

    a_confirmed_claim_at_0005(tracker)
    before = shape(tracker.url)
    query = Connection.query

    def killed_midway(self, sql, unbuffered=False):
        text = sql.decode() if isinstance(sql, bytes) else sql
        if "ADD COLUMN tier" in text:
            self._execute_command(COMMAND.COM_QUERY, text)  # the server runs it...
            raise Terminated  # ...and its reply is never read
        return query(self, sql, unbuffered)

    with monkeypatch.context() as patch:
        patch.setattr(Connection, "query", killed_midway)
        result = tracker("db", "upgrade")

    assert result.exit_code == 143, result.output
    assert "Terminated: this revision's schema changes were undone" in result.stderr
    assert shape(tracker.url) == before
    assert_upgrades_whole(tracker)


@pytest.mark.parametrize("backend", ["mariadb"])
def test_a_revision_stopped_as_it_commits_is_undone_with_its_version(tracker, monkeypatch):
    """Stopped between keeping a revision's shape and the commit of its version: the undo
    goes by what was committed, so a revision is never undone while its version stays,
    nor kept while its version goes."""
    from tracker.db import undoable

    a_confirmed_claim_at_0005(tracker)
    before = shape(tracker.url)
    keep, calls = undoable._keep, []

    def stopped(conn, kept):
        keep(conn, kept)
        calls.append(1)
        if len(calls) == 2:  # the shape after 0006 is kept, not yet committed
            raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(undoable, "_keep", stopped)
        result = tracker("db", "upgrade")

    assert result.exit_code == 130
    assert tracker.ok("db", "current").stdout.startswith("0005")
    assert shape(tracker.url) == before
    assert_upgrades_whole(tracker)


@pytest.mark.parametrize("backend", ["mariadb"])
def test_an_upgrade_that_could_not_undo_itself_is_undone_by_the_next(
    tracker, new_database, monkeypatch
):
    """The undo fails too (the server went away): the shape kept in the database lets the
    next `db upgrade` undo the half-made revision first, then upgrade."""
    from pymysql.err import OperationalError

    from tracker.db import undoable

    a_confirmed_claim_at_0005(tracker)

    def lost(*_):
        raise OperationalError(2013, "Lost connection to server during query")

    with monkeypatch.context() as patch:
        break_the_triggers(patch)
        patch.setattr(undoable, "undo", lost)
        result = tracker("db", "upgrade")

    assert_error(result, "and undoing this revision's failed too (Lost connection")
    assert "run `tracker db upgrade` once the database is reachable" in result.output
    assert_error(tracker("list"), "run `tracker db upgrade`")
    with connected(tracker.url) as conn:
        assert len(triggers(conn)) < 4  # half-made: evidence's triggers are gone
    result = tracker("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert result.stderr == "An earlier migration stopped partway: undoing it first.\n"
    assert shape(tracker.url) == shape(new_database())  # whole, as a new database at head
    assert_upgrades_whole(tracker)


@pytest.mark.parametrize("backend", ["mariadb"])
def test_two_migrations_at_once_take_turns(empty_url, new_database):
    command = [sys.executable, "-m", "tracker", "--db", empty_url, "db", "upgrade"]
    both = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for process in both:
        assert process.wait(timeout=120) == 0, process.stderr.read()
        process.stderr.close()
    assert shape(empty_url) == shape(new_database())
    assert run_tracker(empty_url, "db", "check").exit_code == 0


# -- 0007: the evidence inbox ---------------------------------------------------------------

INBOX_FEED = (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title>'
    "<item><title>Xiaomi and Leica phone launches in July</title>"
    "<link>https://wire.example/leica</link><pubDate>Mon, 04 Jul 2022 10:00:00 GMT</pubDate>"
    "</item></channel></rss>"
)


def test_upgrading_0006_to_0007_keeps_every_row_and_adds_the_inbox(tracker, db_url):
    """A populated database at 0006 gains the inbox's empty tables; nothing else changes,
    and the tracker watches and decides on it at once."""
    populate(tracker)
    tracker.ok("add", "The Xiaomi Leica phone launches in July", "--said-on", "2022-05-23")
    tracker.ok("db", "downgrade", "0006")
    before, columns = table_rows(db_url), table_columns(db_url)
    assert not {"feed", "watched_article", "suggestion"} & set(before)

    assert alembic(command.upgrade, db_url, "0007") == "0007"  # (later revisions: their own)
    after = table_rows(db_url)
    assert after["alembic_version"] == [("0007",)]
    # The rows as they were, in the columns 0006 had (a later revision may add some).
    kept = {t: [table_columns(db_url)[t].index(c) for c in columns[t]] for t in before}
    assert {t: sorted((tuple(r[i] for i in kept[t]) for r in after[t]), key=repr)
            for t in before if t != "alembic_version"} == {
        t: rows for t, rows in before.items() if t != "alembic_version"
    }  # fmt: skip
    assert after["feed"] == after["watched_article"] == after["suggestion"] == []
    tracker.ok("db", "upgrade")


def test_a_downgrade_that_would_lose_inbox_decisions_is_refused(tracker, db_url, tmp_path):
    tracker.ok("add", "The Xiaomi Leica phone launches in July", "--said-on", "2022-05-23")
    feed = tmp_path / "feed.xml"
    feed.write_text(INBOX_FEED, encoding="utf-8")
    tracker.ok("watch", str(feed))
    (suggestion,) = tracker.json("inbox")
    tracker.ok("inbox", "reject", str(suggestion["id"]))
    before = table_rows(db_url)
    assert_error(
        tracker("db", "downgrade", "0006"),
        "the inbox holds suggestions a person accepted or rejected: revision 0006 cannot keep",
    )
    assert table_rows(db_url) == before
    tracker.ok("db", "downgrade", "base")
    assert leftovers(db_url) == {"table": ["alembic_version"]}
