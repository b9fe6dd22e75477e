"""MariaDB/MySQL migrations that undo themselves, since the server cannot roll them back.

There, every schema change commits on its own (and commits what the transaction did
before it). So each revision commits with its version row, and before each revision
the schema's shape is read and kept in the database (UNDO_TABLE, committed with the
version it belongs to): every table's clauses as SHOW CREATE TABLE writes them
(columns, keys, foreign keys, checks) and every trigger. When a revision fails, or is
interrupted, `undo` alters the schema back to that shape: new tables, triggers,
columns, keys and constraints are dropped, changed ones put back, dropped ones made
again. The schema is then the revision before's, as a transactional database would
have left it. Rows are another matter: a table or column the revision dropped comes
back empty, and rows a revision changed before its last schema change stay changed,
so a revision must change existing rows only after its last schema change (none of
0001-0006 needs to: every tracker database on MariaDB starts at 0006). If the undo
cannot run (the connection or the process died), the next migration finds the shape
kept in the database and undoes first.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from alembic import context
from sqlalchemy import Connection

from tracker.db.driver_errors import server_said
from tracker.db.schema_gate import UNDO_TABLE

if TYPE_CHECKING:  # imported only to be named: importing it costs every migration time
    from sqlalchemy.dialects.mysql.base import MySQLDialect

# (kind, name) -> the clause that makes it, e.g. ("column", "uid") -> "`uid` varchar(36) NOT NULL"
Clauses = dict[tuple[str, str], str]
# One migration of a database at a time (a lock name has at most 64 characters).
LOCK = "CONCAT('tracker-migration-', LEFT(SHA2(DATABASE(), 256), 40))"
# Text compares as bytes, as in SQLite and PostgreSQL (see `compare_bytes`).
BINARY = {"mariadb": "utf8mb4_nopad_bin", "mysql": "utf8mb4_0900_bin"}


def run(connection: Connection, configure: Callable[..., None]) -> None:
    """Run the migrations Alembic was asked for, each undone if it fails partway."""
    _lock(connection)
    try:
        if _undo_kept(connection):
            print("An earlier migration stopped partway: undoing it first.", file=sys.stderr)
        compare_bytes(connection)
        connection.exec_driver_sql(
            f"CREATE TABLE IF NOT EXISTS {UNDO_TABLE} (revision VARCHAR(32), shape LONGTEXT)"
        )
        _keep(connection, read(connection))
        connection.commit()

        def applied(**_: object) -> None:
            # The shape to undo to, kept in the same commit as the version it belongs to.
            _keep(connection, read(connection))
            connection.commit()

        configure(transaction_per_migration=True, on_version_apply=applied)
        try:
            with context.begin_transaction():
                context.run_migrations()
        except BaseException as exc:  # Ctrl-C and kill too: the revision is undone
            _undo_after(connection, exc)
        connection.exec_driver_sql(f"DROP TABLE {UNDO_TABLE}")
    finally:
        if not connection.invalidated:
            connection.exec_driver_sql(f"SELECT RELEASE_LOCK({LOCK})")


def _lock(connection: Connection) -> None:
    if not connection.exec_driver_sql(f"SELECT GET_LOCK({LOCK}, 60)").scalar():
        raise RuntimeError("another migration of this database has run for a minute; try later")


def compare_bytes(connection: Connection) -> None:
    """Tables made from here on compare text as bytes, as SQLite and PostgreSQL do.

    MariaDB/MySQL compare with the database's default collation, which out of the box
    ignores case and accents (and pads with spaces): keys "AB-1" and "ab-1", sources
    "Leica" and "Léica" would collide. The database is the tracker's alone (`open`
    refuses one with other tables), so its default is ours to set.
    """
    dialect = cast("MySQLDialect", connection.dialect)  # only MariaDB/MySQL come here
    binary = BINARY["mariadb" if dialect.is_mariadb else "mysql"]
    if connection.exec_driver_sql("SELECT @@collation_database").scalar() != binary:
        connection.exec_driver_sql(f"ALTER DATABASE CHARACTER SET utf8mb4 COLLATE {binary}")


# -- after a failure --------------------------------------------------------------------------


def _undo_kept(connection: Connection) -> bool:
    """Undo to the shape kept with the database's current version, if a migration left one;
    the kept row is cleared only once the schema is that shape again. Undid anything?"""
    if not connection.exec_driver_sql(f"SHOW TABLES LIKE '{UNDO_TABLE}'").first():
        return False
    kept = connection.exec_driver_sql(f"SELECT revision, shape FROM {UNDO_TABLE}").first()
    undone: list[str] = []
    if kept is not None and kept.revision == _version(connection):
        target = _shape(kept.shape)
        undone = undo(connection, target)
        now = read(connection)
        if (now.clauses, now.triggers) != (target.clauses, target.triggers):
            raise RuntimeError("the schema is still not the one kept to undo to")
    connection.exec_driver_sql(f"DROP TABLE {UNDO_TABLE}")
    return bool(undone)


def _undo_after(connection: Connection, exc: BaseException) -> None:
    """Undo the failed revision and raise: why it failed, and what the database is now.

    The undo runs on a new connection: a signal may have stopped the old one in the middle
    of a statement, leaving replies that no longer match their queries. It undoes to the
    shape kept in the database (committed with the current version), never to one that
    only this process knew.
    """
    cause = server_said(exc)
    stopped = isinstance(exc, KeyboardInterrupt)  # Ctrl-C, or a kill (Terminated)
    connection.invalidate()  # its lock goes with it; the new connection takes it again
    try:
        with connection.engine.connect() as fresh:
            _lock(fresh)
            try:
                undone = _undo_kept(fresh)
                fresh.commit()
            finally:  # a pooled connection would keep the lock
                fresh.exec_driver_sql(f"SELECT RELEASE_LOCK({LOCK})")
    except Exception as again:
        said = (
            f"MariaDB/MySQL cannot roll back schema changes, and undoing this revision's "
            f"failed too ({server_said(again)}): run `tracker db upgrade` once the database "
            "is reachable; it undoes the rest first"
        )
        if stopped:
            raise type(exc)(said) from None
        raise RuntimeError(f"{cause}; {said}") from None
    now = "the schema is as the revision before left it (see `tracker db current`)"
    if stopped:
        raise type(exc)(f"this revision's schema changes were undone; {now}")
    if not undone or not isinstance(exc, Exception):
        raise exc
    raise RuntimeError(
        f"{cause}; MariaDB/MySQL cannot roll back schema changes, so the tracker undid this "
        f"revision's: {now}; fix the cause and run the command again"
    ) from None


# -- the schema's shape ----------------------------------------------------------------------


@dataclass
class Shape:
    tables: dict[str, str]  # name -> CREATE TABLE
    clauses: dict[str, Clauses]  # table -> its clauses, in order
    triggers: dict[str, str]  # name -> CREATE TRIGGER (without its definer: whoever undoes)


def read(conn: Connection) -> Shape:
    tables: dict[str, str] = {}
    for name, _kind in conn.exec_driver_sql("SHOW FULL TABLES WHERE Table_type = 'BASE TABLE'"):
        if name != UNDO_TABLE:
            tables[name] = conn.exec_driver_sql(f"SHOW CREATE TABLE `{name}`").one()[1]
    triggers: dict[str, str] = {}
    for row in conn.exec_driver_sql("SHOW TRIGGERS").all():
        made = conn.exec_driver_sql(f"SHOW CREATE TRIGGER `{row[0]}`").mappings().one()
        triggers[row[0]] = re.sub(
            r"^CREATE DEFINER=\S+ ", "CREATE ", made["SQL Original Statement"]
        )
    return Shape(tables, {name: _clauses(ddl) for name, ddl in tables.items()}, triggers)


def _clauses(create_table: str) -> Clauses:
    clauses: Clauses = {}
    for line in create_table.splitlines()[1:-1]:
        clause = line.strip().rstrip(",")
        if match := re.match(r"`(\w+)` ", clause):
            clauses["column", match.group(1)] = clause
        elif clause.startswith("PRIMARY KEY"):
            clauses["primary", ""] = clause
        elif match := re.match(r"(?:UNIQUE |FULLTEXT |SPATIAL )?KEY `(\w+)`", clause):
            clauses["index", match.group(1)] = clause
        elif match := re.match(r"CONSTRAINT `(\w+)` (FOREIGN KEY|CHECK)", clause):
            kind = "foreign" if match.group(2) == "FOREIGN KEY" else "check"
            clauses[kind, match.group(1)] = clause
    return clauses


def _keep(conn: Connection, shape: Shape) -> None:
    """Keep `shape` (with the version it belongs to) in the transaction: not committed here."""
    clauses = {table: [[*key, sql] for key, sql in c.items()] for table, c in shape.clauses.items()}
    kept = json.dumps({"tables": shape.tables, "clauses": clauses, "triggers": shape.triggers})
    version = _version(conn)
    conn.exec_driver_sql(f"DELETE FROM {UNDO_TABLE}")
    conn.exec_driver_sql(f"INSERT INTO {UNDO_TABLE} VALUES (%s, %s)", (version, kept))


def _version(conn: Connection) -> str | None:
    """The revision in alembic_version (None before Alembic made it, or at base)."""
    if not conn.exec_driver_sql("SHOW TABLES LIKE 'alembic_version'").first():
        return None
    return conn.exec_driver_sql("SELECT max(version_num) FROM alembic_version").scalar()


def _shape(kept: str) -> Shape:
    data = json.loads(kept)
    clauses = {t: {(kind, name): sql for kind, name, sql in c} for t, c in data["clauses"].items()}
    return Shape(data["tables"], clauses, data["triggers"])


# -- undoing --------------------------------------------------------------------------------


_DROP = {
    "column": "DROP COLUMN `{}`",
    "index": "DROP INDEX `{}`",
    "foreign": "DROP FOREIGN KEY `{}`",
    "check": "DROP CONSTRAINT `{}`",
    "primary": "DROP PRIMARY KEY",
}
# Constraints go first and come back last: they stand on the columns and keys.
_DROP_ORDER = ("foreign", "check", "index", "primary", "column")
_ADD_ORDER = ("column", "primary", "index", "check", "foreign")


def undo(conn: Connection, before: Shape) -> list[str]:
    """Alter the schema back to `before`; returns the statements run."""
    now = read(conn)
    statements: list[str] = []
    for name, create in now.triggers.items():
        if before.triggers.get(name) != create:
            statements.append(f"DROP TRIGGER `{name}`")
    for name in now.tables.keys() - before.tables.keys():
        statements.append(f"DROP TABLE `{name}`")
    for name in before.tables.keys() - now.tables.keys():
        statements.append(before.tables[name])  # its rows are gone; the table is back
    for table in before.tables.keys() & now.tables.keys():
        statements += _alterations(table, before.clauses[table], now.clauses[table])
    for name, create in before.triggers.items():
        if now.triggers.get(name) != create:
            statements.append(create)
    if not statements:
        return []
    conn.exec_driver_sql("SET foreign_key_checks = 0")  # tables come and go in any order
    try:
        for statement in statements:
            # Format-style driver: a % (a definer's host, a LIKE) must reach the server as is.
            conn.exec_driver_sql(statement.replace("%", "%%"))
    finally:
        conn.exec_driver_sql("SET foreign_key_checks = 1")
    return statements


def _alterations(table: str, before: Clauses, now: Clauses) -> list[str]:
    alter = f"ALTER TABLE `{table}` "
    statements = []
    for kind in _DROP_ORDER:  # what is new goes; a changed column is put back in place
        for key, clause in now.items():
            if key[0] != kind or before.get(key) == clause:
                continue
            if kind == "column" and key in before:
                statements.append(alter + f"MODIFY COLUMN {before[key]}")
            else:
                statements.append(alter + _DROP[kind].format(key[1]))
    previous = None  # a column comes back where it was
    for kind in _ADD_ORDER:  # what went comes back; a changed key or constraint is remade
        for key, clause in before.items():
            missing = key not in now or (kind != "column" and now[key] != clause)
            if key[0] == kind and missing:
                where = " FIRST" if previous is None else f" AFTER `{previous}`"
                statements.append(alter + f"ADD {clause}" + (where if kind == "column" else ""))
            if key[0] == "column":
                previous = key[1]
    return statements
