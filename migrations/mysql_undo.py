"""Undoing a revision that failed partway on MariaDB/MySQL, whose schema changes commit
one statement at a time and cannot be rolled back.

Before each revision, env.py reads the schema's shape (every table's clauses as SHOW
CREATE TABLE writes them: columns, keys, foreign keys, checks; and every trigger) and
keeps it in the database, in UNDO_TABLE. When a revision fails, `undo` alters the schema
back to that shape: new tables, triggers, columns, keys and constraints are dropped,
changed ones put back, dropped ones made again, so the database is at the revision
before, as a transactional database would have left it (a column the revision dropped
comes back empty: its values are gone). If the undo cannot run (the connection or the
process died), the shape kept in the database lets the next migration run it first.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

from sqlalchemy import Connection

from tracker.database import UNDO_TABLE

# (kind, name) -> the clause that makes it, e.g. ("column", "uid") -> "`uid` varchar(36) NOT NULL"
Clauses = dict[tuple[str, str], str]


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


# -- the shape kept in the database -------------------------------------------------------


def keep(conn: Connection, shape: Shape) -> None:
    """Keep `shape` in the database (committed): what to undo to if the next step fails."""
    clauses = {
        table: [[*key, clause] for key, clause in c.items()] for table, c in shape.clauses.items()
    }
    kept = json.dumps({**asdict(shape), "clauses": clauses})
    conn.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {UNDO_TABLE} (shape LONGTEXT NOT NULL)")
    conn.exec_driver_sql(f"DELETE FROM {UNDO_TABLE}")
    conn.exec_driver_sql(f"INSERT INTO {UNDO_TABLE} (shape) VALUES (%s)", (kept,))
    conn.commit()


def kept(conn: Connection) -> Shape | None:
    """The shape an earlier migration kept and never cleared: it stopped partway."""
    if not conn.exec_driver_sql(f"SHOW TABLES LIKE '{UNDO_TABLE}'").first():
        return None
    row = conn.exec_driver_sql(f"SELECT shape FROM {UNDO_TABLE}").first()
    if row is None:
        return None
    data = json.loads(row[0])
    clauses = {
        table: {(kind, name): clause for kind, name, clause in c}
        for table, c in data["clauses"].items()
    }
    return Shape(data["tables"], clauses, data["triggers"])


def clear(conn: Connection) -> None:
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {UNDO_TABLE}")
    conn.commit()


# -- reading and undoing ----------------------------------------------------------------------


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
    statements: list[str] = ["SET foreign_key_checks = 0"]
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
    statements.append("SET foreign_key_checks = 1")
    if len(statements) == 2:
        return []
    for statement in statements:
        # Format-style driver: a % (a definer's host, a LIKE) must reach the server as itself.
        conn.exec_driver_sql(statement.replace("%", "%%"))
    return statements


def _alterations(table: str, before: Clauses, now: Clauses) -> list[str]:
    alter = f"ALTER TABLE `{table}` "
    statements = []
    for kind in _DROP_ORDER:
        for key, clause in now.items():
            if key[0] == kind and key in before and before[key] != clause and kind == "column":
                statements.append(alter + f"MODIFY COLUMN {before[key]}")
            elif key[0] == kind and before.get(key) != clause:
                statements.append(alter + _DROP[kind].format(key[1]))
    previous = None  # a column comes back where it was
    for kind in _ADD_ORDER:
        for key, clause in before.items():
            if key[0] == kind and (key not in now or (kind != "column" and now[key] != clause)):
                where = " FIRST" if previous is None else f" AFTER `{previous}`"
                statements.append(alter + f"ADD {clause}" + (where if kind == "column" else ""))
            if key[0] == "column":
                previous = key[1]
    return statements
