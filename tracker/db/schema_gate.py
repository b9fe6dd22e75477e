"""Whether a database may be used, and migrating it: the gate every command passes.

A command opens a tracker database at this tracker's schema, or is refused: a
foreign file or schema, a schema behind (`tracker db upgrade`) or ahead (upgrade the
tracker). Only a new (or empty) SQLite file is created and migrated silently, and a
new one only by a write, or at the default location (`may_create`).
Migrations run here under the write lock, on databases that are ours.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from tracker.db.models import SCHEMA_REVISION
from tracker.db.urls import default_path
from tracker.errors import DatabaseError, SchemaBehind
from tracker.rules.kinds import SQLITE_HEADER

if TYPE_CHECKING:
    from tracker.db.database import Database

# Where a MariaDB/MySQL migration keeps the schema it would undo to (tracker/undoable.py).
UNDO_TABLE = "tracker_undo"

Migration = Callable[[Connection], None]


@dataclass(frozen=True)
class Schema:
    revision: str | None
    tables: set[str]

    @property
    def foreign(self) -> bool:
        """Someone else's tables: some without an Alembic revision, or an Alembic
        revision (whose id may look like ours) without the tracker's history table.
        An empty alembic_version is what `db downgrade base` leaves: ours, empty."""
        if self.revision is not None:
            return "claim_event" not in self.tables
        if UNDO_TABLE in self.tables:  # a MariaDB/MySQL migration of ours stopped partway
            return False
        return bool(self.tables - {"alembic_version"})


def open_checked(database: Database, *, create: bool = True) -> None:
    """Check the database is a tracker database at this tracker's schema.

    A new (or empty) SQLite file is created and migrated to head; anything
    else that is behind is refused, never migrated silently.
    """
    if database.is_sqlite:
        check_sqlite_file(database, create=create)
    schema = read_schema(database)
    revision = schema.revision
    if schema.foreign:
        raise DatabaseError(f"{database.display} is not a tracker database")
    if revision == SCHEMA_REVISION:
        return
    if revision is None and database.is_sqlite and create:
        upgrade(database, "head")
        return
    if revision is None:
        raise SchemaBehind(
            f"{database.display} has no tracker schema yet; run `tracker db upgrade` to create it"
        )
    from tracker.db import migrate

    if migrate.is_known_revision(revision):
        raise SchemaBehind(
            f"the database schema is behind (revision {revision}, this tracker needs "
            f"{SCHEMA_REVISION}); run `tracker db upgrade`"
        )
    raise DatabaseError(
        f"the database schema (revision {revision}) is newer than this tracker knows; "
        "upgrade the tracker"
    )


def open_for(database: Database, *, write: bool) -> None:
    """`open_checked` for a command that writes or only reads: a missing SQLite file is
    created only when `may_create` says so; an existing empty one is migrated either way."""
    if database.is_sqlite:
        check_sqlite_file(database, create=may_create(database, write=write))
    open_checked(database)


def may_create(database: Database, *, write: bool) -> bool:
    """May this command create a missing SQLite file? A write may. A read may only at
    the default location (the tracker's first use); at a path given with --db or
    TRACKER_DB it is refused, since a mistyped path read as a new, empty database says
    "Nothing due" where it should fail."""
    return write or database.url.database == str(default_path())


def check_sqlite_file(database: Database, *, create: bool) -> None:
    """The file is an SQLite file, or may be created (its folder exists)."""
    name = database.url.database
    if not name or name == ":memory:":
        return
    path = Path(name)
    try:
        _check_path(path, create=create)
    except OSError as exc:  # a name too long, a folder we may not read...
        raise DatabaseError(f"cannot use {path}: {exc.strerror}") from None


def _check_path(path: Path, *, create: bool) -> None:
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a tracker database")
    if path.exists():
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
        if header and header != SQLITE_HEADER:
            raise DatabaseError(f"{path} is not a tracker database (not an SQLite file)")
        return
    if not create:
        raise DatabaseError(
            f"{path} does not exist; a write (`tracker add`, `import` or `seed`) creates it, "
            "or name another database with --db or TRACKER_DB"
        )
    if path == default_path():
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.parent.is_dir():
        raise DatabaseError(f"cannot create {path}: directory {path.parent} does not exist")


def read_schema(database: Database) -> Schema:
    """What the database holds, read in one transaction (one snapshot)."""
    with database.connect() as conn, database.translating(), conn.begin():
        if database.is_sqlite:
            # Not SQLite's own (sqlite_stat1, which ANALYZE makes; sqlite_sequence).
            query = (
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
            )
        else:
            schema = "DATABASE()" if database.is_mysql else "current_schema()"
            query = (
                f"SELECT table_name FROM information_schema.tables WHERE table_schema = {schema}"
            )
        tables = set(conn.exec_driver_sql(query).scalars())
        revision = None
        if "alembic_version" in tables:
            revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return Schema(revision, tables)


def upgrade(database: Database, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate up to `revision`; returns the revisions before and after."""
    from tracker.db import migrate

    head = SCHEMA_REVISION if revision == "head" else None
    return migrate_with(database, lambda conn: migrate.upgrade(conn, revision), already=head)


def downgrade(database: Database, revision: str) -> tuple[str | None, str | None]:
    from tracker.db import migrate

    return migrate_with(database, lambda conn: migrate.downgrade(conn, revision))


def migrate_with(
    database: Database, migration: Migration, *, already: str | None = None
) -> tuple[str | None, str | None]:
    """Run a migration under the write lock, refusing databases that are not ours.
    A database at revision `already` is left alone: nothing to do needs no privilege."""
    if database.is_sqlite:
        check_sqlite_file(database, create=True)
    schema = read_schema(database)
    if schema.foreign:
        raise DatabaseError(f"{database.display} is not a tracker database")
    if already is not None and schema.revision == already and UNDO_TABLE not in schema.tables:
        return already, already
    # On new sessions, before and after: none of an earlier command's session settings
    # (MariaDB's lock wait) and no statement a server prepared before the schema changed.
    database.dispose()
    with database.connect() as conn:
        # Two first uses of a new file at once: the second waits, then
        # finds the schema at head and does nothing.
        conn.execution_options(tracker_write=True)
        if database.is_sqlite:  # only outside a transaction; env.py checks them after
            database.sqlite_execute(conn, "PRAGMA foreign_keys = OFF")
        try:
            migration(conn)
        except DBAPIError as exc:
            raise database.translate(exc) from None
        finally:
            if database.is_sqlite:
                database.sqlite_execute(conn, "PRAGMA foreign_keys = ON")
    database.dispose()
    if database.is_sqlite:
        _use_wal(database)
    return schema.revision, read_schema(database).revision


def _use_wal(database: Database) -> None:
    # journal_mode is stored in the file: set once, when we create it.
    # It cannot change inside a transaction, so it goes to the driver directly.
    with database.connect() as conn:
        database.sqlite_execute(conn, "PRAGMA journal_mode = WAL")
