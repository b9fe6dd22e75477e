"""The insert-only triggers on the history tables, as every revision makes and drops them.

History (evidence, claim_event) is never updated or deleted: the database refuses it.
Revisions that rebuild a history table drop its triggers first and make them again.
The trigger bodies are part of the schema's meaning, so this module never changes
what it creates; a revision that wants different triggers writes its own.

- SQLite: RAISE(ABORT) before UPDATE and DELETE.
- PostgreSQL: one function (made by revision 0001), row triggers before UPDATE and
  DELETE, and a statement trigger before TRUNCATE, which fires no row trigger.
- MariaDB/MySQL: SIGNAL SQLSTATE '45000' before UPDATE and DELETE. TRUNCATE fires no
  trigger there and cannot be refused by one; it needs the DROP privilege, which the
  README's team setup does not grant to writers.
"""

from __future__ import annotations

from alembic import op

from tracker.db.models import is_mysql

ACTIONS = ("UPDATE", "DELETE")


def _dialect() -> str:
    name = op.get_bind().dialect.name
    return "mysql" if is_mysql(name) else name


def create_triggers(table: str) -> None:
    dialect = _dialect()
    for action in ACTIONS:
        name = f"{table}_no_{action.lower()}"
        refused = f"{table} is insert-only history: {action} refused"
        if dialect == "postgresql":
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {action} ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION tracker_refuse_history_change()"
            )
        elif dialect == "mysql":
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {action} ON {table} FOR EACH ROW "
                f"SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{refused}'"
            )
        else:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {action} ON {table} BEGIN "
                f"SELECT RAISE(ABORT, '{refused}'); END"
            )
    if dialect == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION tracker_refuse_history_change()"
        )


def drop_triggers(table: str) -> None:
    dialect = _dialect()
    for action in (*ACTIONS, "TRUNCATE") if dialect == "postgresql" else ACTIONS:
        name = f"{table}_no_{action.lower()}"
        op.execute(
            f"DROP TRIGGER {name} ON {table}" if dialect == "postgresql" else f"DROP TRIGGER {name}"
        )
