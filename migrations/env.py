"""Alembic environment for the tracker.

`tracker db upgrade` hands us its connection; `alembic upgrade head` from the
checkout opens the database the tracker would use (`-x db=URL`, else
$TRACKER_DB, else the default SQLite file). MariaDB/MySQL cannot roll a failed
revision back: tracker/undoable.py undoes it instead.
"""

from typing import Any

from alembic import context
from sqlalchemy import Connection

from tracker.db import schema_gate, undoable
from tracker.db.models import Base, declare_dialect_indexes, is_mysql

declare_dialect_indexes()  # Alembic compares the whole schema

config = context.config


def run_migrations(connection: Connection) -> None:
    def configure(**options: Any) -> None:
        context.configure(connection=connection, target_metadata=Base.metadata, **options)

    if is_mysql(connection.dialect.name):
        undoable.run(connection, lambda **options: configure(transactional_ddl=True, **options))
        return
    configure(
        # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
        # All revisions in one transaction on SQLite too (Alembic's SQLite default
        # commits each), so an upgrade is all or nothing, the foreign key check
        # below runs before its commit, and a concurrent first use sees none of it.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if connection.dialect.name == "sqlite":
            # Migrations run with SQLite's foreign keys off (batch mode rebuilds a
            # table by copy, drop and rename): check them all before committing.
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
elif context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
else:
    from tracker.db.database import Database
    from tracker.db.urls import resolve_url

    database = Database(resolve_url(context.get_x_argument(as_dictionary=True).get("db")))
    schema_gate.migrate_with(database, run_migrations)
