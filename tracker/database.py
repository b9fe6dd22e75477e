"""Which database, how to connect to it, and one transaction per command.

SQLite: the sqlite3 driver runs in autocommit mode and we send BEGIN ourselves
(BEGIN IMMEDIATE for writes, so a read-check-write never loses an update to a
concurrent writer); WAL, a busy timeout and foreign keys on.
PostgreSQL and MariaDB/MySQL: every change locks the claim row (`tracker.ledger`,
SELECT ... FOR UPDATE) and serialization failures and deadlocks are retried here.
MariaDB/MySQL writes run at READ COMMITTED, as PostgreSQL's do: a statement after
a lock sees what the lock's holder committed (REPEATABLE READ would show the
snapshot of the transaction's first read, and lose that update).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from tracker.errors import DatabaseError, SchemaBehind, TrackerError
from tracker.models import MYSQL_DIALECTS, SCHEMA_REVISION

T = TypeVar("T")

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 60_000
WAIT_NOTICE_MS = 2_000  # a write that waits longer for SQLite's lock says so
RETRIES = 10
# PostgreSQL SQLSTATEs worth retrying from the start: serialization_failure,
# deadlock_detected, and unique_violation: two writers naming one new source (or
# article, or key) at once both find it missing and both insert it; on retry the
# loser finds the winner's row.
RETRYABLE_SQLSTATES = {"40001", "40P01", "23505"}
# The same for MariaDB/MySQL, whose driver gives error numbers: ER_LOCK_DEADLOCK, and
# ER_DUP_ENTRY (only on a raced constraint, as 23505). ER_LOCK_WAIT_TIMEOUT is a long
# wait for another writer, handled as SQLite's busy timeout is.
MYSQL_DEADLOCK, MYSQL_LOCK_WAIT, MYSQL_DUPLICATE = 1213, 1205, 1062
# Errors that say this account may not write: database, command, column and privilege
# denied, a trigger refused while the binary log is on, a read-only server or transaction.
MYSQL_REFUSED = {1044, 1142, 1143, 1227, 1419, 1290, 1792}
# The extra that installs each driver (pyproject.toml).
DRIVER_EXTRAS = {"psycopg": "postgres", "pymysql": "mysql"}
# Where a MariaDB/MySQL migration keeps the schema it would undo to (tracker/undoable.py).
UNDO_TABLE = "tracker_undo"
# Strict: a value that does not fit is an error, never silently cut or zeroed.
MYSQL_SQL_MODE = (
    "STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
    "NO_ENGINE_SUBSTITUTION"
)


# The unique constraints two writers can race for (both find the row missing, both
# insert it): on retry, the loser finds the winner's row. Any other unique violation
# (a uid given twice) would fail the same way again: it is not retried.
RACED = {"uq_source_name_folded", "uq_article_url_hash", "uq_claim_key", "uq_claim_twin_hash"}


def is_mysql(dialect_name: str) -> bool:
    return dialect_name in MYSQL_DIALECTS


def _mysql_errno(exc: DBAPIError) -> int | None:
    args = getattr(exc.orig, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def server_said(exc: BaseException) -> str:
    """What the driver or the server said, on one line (pymysql's words without the number)."""
    error = exc.orig if isinstance(exc, DBAPIError) else exc
    args = getattr(error, "args", ())
    said = args[-1] if len(args) > 1 and isinstance(args[0], int) else error
    return " ".join(str(said).split()) or type(error).__name__


def _retryable(exc: DBAPIError) -> bool:
    errno = _mysql_errno(exc)
    if errno == MYSQL_DEADLOCK:
        return True
    if errno == MYSQL_DUPLICATE:  # "Duplicate entry 'x' for key 'uq_source_name_folded'"
        key = re.search(r"for key '(?:\w+\.)?(\w+)'", server_said(exc))
        return key is not None and key.group(1) in RACED
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate == "23505":
        diagnosis = getattr(exc.orig, "diag", None)
        return getattr(diagnosis, "constraint_name", None) in RACED
    return sqlstate in RETRYABLE_SQLSTATES


def default_path() -> Path:
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "tracker" / "tracker.db"


def resolve_url(db: str | None) -> URL:
    """--db (a SQLAlchemy URL or a file path), else $TRACKER_DB, else the default file."""
    raw = db if db is not None else os.environ.get("TRACKER_DB")
    if raw is None:
        return URL.create("sqlite+pysqlite", database=str(default_path()))
    if not raw.strip():
        raise DatabaseError("the database URL is empty; give a URL or a file path")
    if any(char in raw for char in "\x00\r\n"):
        raise DatabaseError("the database URL or path contains a NUL or a line break")
    if "://" not in raw:
        return URL.create("sqlite+pysqlite", database=str(Path(raw).expanduser().absolute()))
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):
        # The parser's message quotes pieces of the URL, a password among them.
        raise DatabaseError(
            "cannot read the database URL; write it as dialect://user:password@host/name, "
            "with %XX for special characters in the password"
        ) from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    elif url.drivername in MYSQL_DIALECTS:
        url = url.set(drivername=f"{url.drivername}+pymysql")
    if is_mysql(url.get_backend_name()) and not url.database:
        raise DatabaseError(
            "a MariaDB/MySQL URL names the tracker's database: mysql://user@host/DATABASE"
        )
    if url.get_backend_name() == "sqlite" and (url.host or url.username or url.port):
        raise DatabaseError(
            "a SQLite URL names a file, not a host: sqlite:///relative.db or "
            "sqlite:////absolute/path.db"
        )
    return url


PASSWORD_PARAMETERS = ("password", "passwd", "sslpassword")


def display_url(url: URL) -> str:
    """The URL as it may be shown: a file path for SQLite, never a password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    hidden = {name: "***" for name in PASSWORD_PARAMETERS if name in url.query}
    return url.update_query_dict(hidden).render_as_string(hide_password=True)


def redact(message: str, *secrets: str | URL | None) -> str:
    """Remove every password (raw and URL-quoted, in the user part or the query) from a message."""
    from urllib.parse import quote, quote_plus

    for secret in secrets:
        if secret is None:
            continue
        if isinstance(secret, URL):
            passwords = [secret.password] + [
                value for name in PASSWORD_PARAMETERS for value in _as_list(secret.query.get(name))
            ]
        else:
            passwords = [_password_in(secret)]
        for password in passwords:
            if not password:
                continue
            password = str(password)
            for form in {password, quote(password, safe=""), quote_plus(password)}:
                message = message.replace(form, "***")
    return message


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, tuple) else [value]


def _password_in(raw: str) -> str | None:
    match = re.match(r"^[^:/]+://[^:/@]*:(.*)@[^@]*$", raw)
    return match.group(1) if match else None


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


class Database:
    """One database a command works on."""

    def __init__(self, url: URL, on_wait: Callable[[str], None] | None = None):
        self.url = url
        self.is_sqlite = url.get_backend_name() == "sqlite"
        self.is_mysql = is_mysql(url.get_backend_name())
        self._engine: Engine | None = None
        self.on_wait = on_wait  # told once when a write waits on another writer's lock

    @property
    def display(self) -> str:
        return display_url(self.url)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._create_engine()
        return self._engine

    def _create_engine(self) -> Engine:
        if not self.is_sqlite:
            # MariaDB/MySQL: utf8mb4 is every character, emoji too (utf8 is three bytes).
            connect_args = {"charset": "utf8mb4"} if self.is_mysql else {}
            try:
                engine = create_engine(self.url, connect_args=connect_args)
            except (ArgumentError, SQLAlchemyError, ImportError) as exc:
                extra = DRIVER_EXTRAS.get(getattr(exc, "name", None) or "")
                hint = f" (install it: pip install '.[{extra}]' in the tracker)" if extra else ""
                raise DatabaseError(
                    f"cannot use database {self.display}: {redact(str(exc), self.url)}{hint}"
                ) from None
            if self.is_mysql:

                @event.listens_for(engine, "connect")
                def _on_mysql_connect(dbapi_connection, _record):
                    with dbapi_connection.cursor() as cursor:
                        cursor.execute(f"SET SESSION sql_mode = '{MYSQL_SQL_MODE}'")

            return engine
        try:
            engine = create_engine(self.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        except ArgumentError as exc:
            raise DatabaseError(f"cannot use database {self.display}: {exc}") from None

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            # Autocommit at the driver: it must never start (or fail to start)
            # transactions behind our back; `_on_begin` sends BEGIN itself.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection):
            write = connection.get_execution_options().get("tracker_write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    # -- schema ------------------------------------------------------------

    def open(self, *, create: bool = True) -> None:
        """Check the database is a tracker database at this tracker's schema.

        A new (or empty) SQLite file is created and migrated to head; anything
        else that is behind is refused, never migrated silently.
        """
        if self.is_sqlite:
            self._check_sqlite_file(create=create)
        schema = self.schema()
        revision = schema.revision
        if schema.foreign:
            raise DatabaseError(f"{self.display} is not a tracker database")
        if revision == SCHEMA_REVISION:
            return
        if revision is None and self.is_sqlite and create:
            self.upgrade("head")
            return
        if revision is None:
            raise SchemaBehind(
                f"{self.display} has no tracker schema yet; run `tracker db upgrade` to create it"
            )
        from tracker import migrate

        if migrate.is_known_revision(revision):
            raise SchemaBehind(
                f"the database schema is behind (revision {revision}, this tracker needs "
                f"{SCHEMA_REVISION}); run `tracker db upgrade`"
            )
        raise DatabaseError(
            f"the database schema (revision {revision}) is newer than this tracker knows; "
            "upgrade the tracker"
        )

    def _check_sqlite_file(self, *, create: bool) -> None:
        database = self.url.database
        if not database or database == ":memory:":
            return
        path = Path(database)
        try:
            self._check_path(path, create=create)
        except OSError as exc:  # a name too long, a folder we may not read...
            raise DatabaseError(f"cannot use {path}: {exc.strerror}") from None

    def _check_path(self, path: Path, *, create: bool) -> None:
        if path.is_dir():
            raise DatabaseError(f"{path} is a directory, not a tracker database")
        if path.exists():
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
            if header and header != SQLITE_HEADER:
                raise DatabaseError(f"{path} is not a tracker database (not an SQLite file)")
            return
        if not create:
            raise DatabaseError(f"{path} does not exist")
        if path == default_path():
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.parent.is_dir():
            raise DatabaseError(f"cannot create {path}: directory {path.parent} does not exist")

    def schema(self) -> Schema:
        """What the database holds, read in one transaction (one snapshot)."""
        with self.connect() as conn, self.translating(), conn.begin():
            if self.is_sqlite:
                query = "SELECT name FROM sqlite_master WHERE type = 'table'"
            else:
                schema = "DATABASE()" if self.is_mysql else "current_schema()"
                query = (
                    "SELECT table_name FROM information_schema.tables"
                    f" WHERE table_schema = {schema}"
                )
            tables = set(conn.exec_driver_sql(query).scalars())
            revision = None
            if "alembic_version" in tables:
                revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        return Schema(revision, tables)

    def revision(self) -> str | None:
        """The Alembic revision stored in the database, or None if it has none."""
        return self.schema().revision

    def upgrade(self, revision: str = "head") -> tuple[str | None, str | None]:
        """Migrate up to `revision`; returns the revisions before and after."""
        from tracker import migrate

        head = SCHEMA_REVISION if revision == "head" else None
        return self.upgrade_with(lambda conn: migrate.upgrade(conn, revision), already=head)

    def downgrade(self, revision: str) -> tuple[str | None, str | None]:
        from tracker import migrate

        return self.upgrade_with(lambda conn: migrate.downgrade(conn, revision))

    def upgrade_with(
        self, migrate: Callable[..., None], *, already: str | None = None
    ) -> tuple[str | None, str | None]:
        """Run a migration under the write lock, refusing databases that are not ours.
        A database at revision `already` is left alone: nothing to do needs no privilege."""
        if self.is_sqlite:
            self._check_sqlite_file(create=True)
        schema = self.schema()
        if schema.foreign:
            raise DatabaseError(f"{self.display} is not a tracker database")
        if already is not None and schema.revision == already and UNDO_TABLE not in schema.tables:
            return already, already
        with self.connect() as conn:
            # Two first uses of a new file at once: the second waits, then
            # finds the schema at head and does nothing.
            conn.execution_options(tracker_write=True)
            if self.is_sqlite:  # only outside a transaction; env.py checks them after
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")
            try:
                migrate(conn)
            except DBAPIError as exc:
                raise self.translate(exc) from None
            finally:
                if self.is_sqlite:
                    conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")
        if self.is_sqlite:
            self._use_wal()
        return schema.revision, self.revision()

    def _use_wal(self) -> None:
        # journal_mode is stored in the file: set once, when we create it.
        # It cannot change inside a transaction, so it goes to the driver directly.
        with self.connect() as conn:
            conn.connection.dbapi_connection.execute("PRAGMA journal_mode = WAL")

    # -- transactions --------------------------------------------------------

    def connect(self):
        """A connection, with connection failures turned into one clear error."""
        try:
            return self.engine.connect()
        except DBAPIError as exc:
            translated = self.translate(exc)
            if "is not a tracker database" not in str(translated):  # SQLite's own words
                message = f"cannot connect to database {self.display}: {server_said(exc)}"
                translated = DatabaseError(redact(message, self.url))
            raise translated from None
        except TrackerError:
            raise
        except Exception as exc:  # e.g. a host name the resolver cannot even encode
            detail = " ".join(str(exc).split()) or type(exc).__name__
            message = f"cannot connect to database {self.display}: {detail}"
            raise DatabaseError(redact(message, self.url)) from None

    @contextmanager
    def translating(self) -> Iterator[None]:
        try:
            yield
        except DBAPIError as exc:
            raise self.translate(exc) from None

    def run(self, work: Callable[[Session], T], *, write: bool, dry_run: bool = False) -> T:
        """Run `work` in one transaction: all of it is committed, or none of it.

        Write transactions take SQLite's write lock up front; PostgreSQL
        serialization failures and deadlocks are retried from the start. Read
        transactions see one snapshot. A dry run does all the work, then rolls
        it back.
        """
        patient = False  # waited WAIT_NOTICE_MS for another writer already, and said so
        for attempt in range(RETRIES):
            try:
                with self.connect() as conn:
                    conn.execution_options(tracker_write=write)
                    wait = BUSY_TIMEOUT_MS - WAIT_NOTICE_MS if patient else WAIT_NOTICE_MS
                    if self.is_mysql and write:
                        conn.execution_options(isolation_level="READ COMMITTED")
                    if self.is_sqlite and write:
                        conn.connection.dbapi_connection.execute(f"PRAGMA busy_timeout = {wait}")
                    with conn.begin() as transaction:
                        if self.is_mysql and write:  # a session setting, in no transaction's way
                            seconds = wait // 1000
                            conn.exec_driver_sql(f"SET innodb_lock_wait_timeout = {seconds}")
                        if not write and not self.is_sqlite:
                            # One state for the whole command (a report is several
                            # queries); SQLite's read transactions already keep one.
                            conn.exec_driver_sql(
                                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                            )
                        with Session(bind=conn, expire_on_commit=False) as session:
                            result = work(session)
                            session.flush()
                        if dry_run:
                            transaction.rollback()
                return result
            except DBAPIError as exc:
                if _retryable(exc) and attempt < RETRIES - 1:
                    continue
                if write and not patient and self._waited(exc):
                    patient = True  # a long write elsewhere: say so once, then wait the rest
                    if self.on_wait is not None:
                        self.on_wait(
                            f"{self.display} is locked by another writer; waiting up to "
                            f"{(BUSY_TIMEOUT_MS - WAIT_NOTICE_MS) // 1000} s more..."
                        )
                    continue
                raise self.translate(exc) from None
        raise AssertionError("unreachable")

    def _waited(self, exc: DBAPIError) -> bool:
        """Did the write give up waiting for another writer's lock?"""
        if self.is_sqlite:
            return "locked" in str(exc.orig)
        return _mysql_errno(exc) == MYSQL_LOCK_WAIT

    def translate(self, exc: DBAPIError) -> DatabaseError:
        """A driver error as one line the user can act on, without any password."""
        detail = server_said(exc)
        sqlstate = getattr(exc.orig, "sqlstate", None)
        # PostgreSQL's insufficient_privilege and read_only_sql_transaction, and MariaDB's own
        if sqlstate in ("42501", "25006") or _mysql_errno(exc) in MYSQL_REFUSED:
            message = (
                f"the database refused the change ({detail}); this role may be read-only, "
                "or lack the privilege named"
            )
        elif "file is not a database" in detail:
            message = f"{self.display} is not a tracker database"
        elif "database is locked" in detail or _mysql_errno(exc) == MYSQL_LOCK_WAIT:
            message = f"{self.display} stayed locked by another writer; try again"
        elif "disk is full" in detail or "database or disk is full" in detail:
            message = f"{self.display}: the disk is full; nothing was written"
        elif exc.connection_invalidated:
            message = f"lost the connection to database {self.display}: {detail}"
        else:
            message = f"database error on {self.display}: {detail}"
        return DatabaseError(redact(message, self.url))
