"""Alembic environment for the tracker.

`tracker db upgrade` hands us its connection; `alembic upgrade head` from the
checkout opens the database the tracker would use (`-x db=URL`, else
$TRACKER_DB, else the default SQLite file).
"""

import sys

from alembic import context
from sqlalchemy.exc import DBAPIError

from tracker.migrations import mysql_undo
from tracker.models import Base

config = context.config


def run_migrations(connection) -> None:
    if connection.dialect.name in ("mysql", "mariadb"):
        _run_undoable(connection)
        return
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
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


def _run_undoable(connection) -> None:
    """MariaDB/MySQL: each revision commits with its version; a failed one is undone.

    Their schema changes commit one statement at a time, so a revision that fails
    cannot be rolled back: its changes are undone instead (migrations/mysql_undo.py),
    leaving the database at the revision before, usable and ready to try again. One
    migration at a time: the second of two waits on a named lock, then finds the
    work done.
    """
    lock = "CONCAT('tracker-migration:', DATABASE())"
    if not connection.exec_driver_sql(f"SELECT GET_LOCK({lock}, 60)").scalar():
        raise RuntimeError("another migration of this database has run for a minute; try later")
    try:
        _undo_an_earlier_failure(connection)
        _compare_bytes(connection)
        shape = mysql_undo.read(connection)
        mysql_undo.keep(connection, shape)

        def applied(**_) -> None:
            nonlocal shape
            connection.commit()  # the revision's data and version row, with its schema
            shape = mysql_undo.read(connection)
            mysql_undo.keep(connection, shape)

        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            transactional_ddl=True,
            transaction_per_migration=True,
            on_version_apply=applied,
        )
        try:
            with context.begin_transaction():
                context.run_migrations()
        except BaseException as exc:  # Ctrl-C too: the revision is undone, not left half-made
            _undo_after(connection, exc, shape)
        mysql_undo.clear(connection)
    finally:
        if not connection.invalidated:
            connection.exec_driver_sql(f"SELECT RELEASE_LOCK({lock})")


def _undo_an_earlier_failure(connection) -> None:
    """A migration that stopped partway and could not undo itself kept the shape to undo to."""
    earlier = mysql_undo.kept(connection)
    if earlier is not None:
        print("An earlier migration stopped partway: undoing it first.", file=sys.stderr)
        mysql_undo.undo(connection, earlier)
        mysql_undo.clear(connection)


def _undo_after(connection, exc: BaseException, shape) -> None:
    """Undo the failed revision and raise: why it failed, and what the database is now."""
    cause = _said(exc)
    try:
        if connection.invalidated:  # the connection died with the revision: undo on another
            with connection.engine.connect() as fresh:
                undone = mysql_undo.undo(fresh, shape)
                mysql_undo.clear(fresh)
        else:
            connection.rollback()
            undone = mysql_undo.undo(connection, shape)
            mysql_undo.clear(connection)
    except Exception as again:
        raise RuntimeError(
            f"{cause}; MariaDB/MySQL cannot roll back schema changes, and undoing this "
            f"revision's failed too ({_said(again)}): run the command again once the "
            "database is reachable; it undoes the rest first"
        ) from None
    if not undone or not isinstance(exc, (DBAPIError, RuntimeError)):
        raise exc
    raise RuntimeError(
        f"{cause}; MariaDB/MySQL cannot roll back schema changes, so the tracker undid "
        "this revision's: the database is as the revision before left it (see "
        "`tracker db current`); fix the cause and run the command again"
    ) from None


def _said(exc: BaseException) -> str:
    """What the server said (the driver's message without its error number), on one line."""
    error = exc.orig if isinstance(exc, DBAPIError) else exc
    args = getattr(error, "args", ())
    said = args[-1] if len(args) > 1 and isinstance(args[0], int) else error
    return " ".join(str(said).split()) or type(exc).__name__


def _compare_bytes(connection) -> None:
    """Tables made from here on compare text as bytes, as SQLite and PostgreSQL do.

    MariaDB/MySQL compare with the database's default collation, which out of the box
    ignores case and accents (and pads with spaces): keys "AB-1" and "ab-1", sources
    "Leica" and "Léica" would collide. The database is the tracker's alone (`open`
    refuses one with other tables), so its default is ours to set.
    """
    binary = "utf8mb4_nopad_bin" if connection.dialect.is_mariadb else "utf8mb4_0900_bin"
    if connection.exec_driver_sql("SELECT @@collation_database").scalar() != binary:
        connection.exec_driver_sql(f"ALTER DATABASE CHARACTER SET utf8mb4 COLLATE {binary}")


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
elif context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
else:
    from tracker.database import Database, resolve_url

    database = Database(resolve_url(context.get_x_argument(as_dictionary=True).get("db")))
    database.upgrade_with(run_migrations)
