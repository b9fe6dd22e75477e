"""One database a command works on: its engine, and one transaction per command.

SQLite: the sqlite3 driver runs in autocommit mode and we send BEGIN ourselves
(BEGIN IMMEDIATE for writes, so a read-check-write never loses an update to a
concurrent writer); WAL, a busy timeout and foreign keys on.
PostgreSQL and MariaDB/MySQL: every change locks the claim row (`tracker.ledger.ledger`,
SELECT ... FOR UPDATE) and serialization failures and deadlocks are retried here.
MariaDB/MySQL writes run at READ COMMITTED, as PostgreSQL's do: a statement after
a lock sees what the lock's holder committed (REPEATABLE READ would show the
snapshot of the transaction's first read, and lose that update).

A database opened `read_only` (the team page, `tracker serve`) cannot be written
through even by a bug: SQLite opens the file with `mode=ro` (and `query_only`), every
PostgreSQL session defaults to read-only transactions, and every MariaDB/MySQL session
is set to READ ONLY; a write is the server's refusal.

Which URL names the database is `tracker.db.urls`; whether it may be used (and
migrating it) `tracker.db.schema_gate`; what a driver's error means `tracker.db.driver_errors`.
"""

from __future__ import annotations

import atexit
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from tracker.db import driver_errors
from tracker.db.driver_errors import server_said
from tracker.db.models import is_mysql
from tracker.db.urls import display_url, redact
from tracker.errors import DatabaseError, TrackerError

T = TypeVar("T")

BUSY_TIMEOUT_MS = 60_000
WAIT_NOTICE_MS = 2_000  # a write that waits longer for SQLite's lock says so
RETRIES = 10
# The extra that installs each driver (pyproject.toml).
DRIVER_EXTRAS = {"psycopg": "postgres", "pymysql": "mysql"}
# Strict: a value that does not fit is an error, never silently cut or zeroed.
MYSQL_SQL_MODE = (
    "STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
    "NO_ENGINE_SUBSTITUTION"
)


# The engines of the databases this process used last, by URL and read-only: a process
# that runs several commands (the tests' CliRunner, a script calling `main`) compiles each
# statement once per database, not once per command (SQLAlchemy keeps compiled SQL per
# engine: compiling was 40% of the time of a test that ran 400 commands), and a server
# connection serves the next command too (a new PostgreSQL session costs the server its
# catalog caches again: 20% of the suite's time there). A few engines at most.
_ENGINES: OrderedDict[tuple[str, bool], Engine] = OrderedDict()
ENGINES_KEPT = 4


def close_idle_connections() -> None:
    """Close the connections the kept engines hold between commands (a server's stay in
    its engine's pool: tracker.cli.app): at exit, so a server sees each session end as a
    client's goodbye, not a dropped socket; and for a process that waits on a server to
    see no session of its own."""
    for engine in _ENGINES.values():
        engine.dispose()


atexit.register(close_idle_connections)


class Database:
    """One database a command works on."""

    def __init__(
        self, url: URL, on_wait: Callable[[str], None] | None = None, *, read_only: bool = False
    ):
        self.url = url
        self.is_sqlite = url.get_backend_name() == "sqlite"
        self.is_mysql = is_mysql(url.get_backend_name())
        self.read_only = read_only
        self._engine: Engine | None = None
        self.on_wait = on_wait  # told once when a write waits on another writer's lock

    @property
    def display(self) -> str:
        return display_url(self.url)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            key = (self.url.render_as_string(hide_password=False), self.read_only)
            if key not in _ENGINES:
                _ENGINES[key] = self._create_engine()
                while len(_ENGINES) > ENGINES_KEPT:
                    _ENGINES.popitem(last=False)[1].dispose()
            _ENGINES.move_to_end(key)
            self._engine = _ENGINES[key]
        return self._engine

    def _create_engine(self) -> Engine:
        if not self.is_sqlite:
            # MariaDB/MySQL: utf8mb4 is every character, emoji too (utf8 is three bytes).
            connect_args: dict[str, Any] = {"charset": "utf8mb4"} if self.is_mysql else {}
            if self.read_only and not self.is_mysql:  # every transaction of every session
                connect_args["options"] = "-c default_transaction_read_only=on"
            try:
                # A kept connection may have been closed by the server since (a restart,
                # an idle timeout): pinged when taken, and replaced if it is gone.
                engine = create_engine(self.url, connect_args=connect_args, pool_pre_ping=True)
            except (ArgumentError, SQLAlchemyError, ImportError) as exc:
                extra = DRIVER_EXTRAS.get(getattr(exc, "name", None) or "")
                hint = f" (install it: pip install '.[{extra}]' in the tracker)" if extra else ""
                raise DatabaseError(
                    f"cannot use database {self.display}: {redact(str(exc), self.url)}{hint}"
                ) from None
            if self.is_mysql:
                read_only = self.read_only

                @event.listens_for(engine, "connect")
                def _on_mysql_connect(dbapi_connection: Any, _record: object) -> None:
                    with dbapi_connection.cursor() as cursor:
                        cursor.execute(f"SET SESSION sql_mode = '{MYSQL_SQL_MODE}'")
                        if read_only:  # every later transaction of the session
                            cursor.execute("SET SESSION TRANSACTION READ ONLY")

            return engine
        connect_args = {"timeout": BUSY_TIMEOUT_MS / 1000}
        try:
            if self.read_only:
                engine = create_engine(self.url, creator=self._read_only_sqlite)
            else:
                engine = create_engine(self.url, connect_args=connect_args)
        except ArgumentError as exc:
            raise DatabaseError(f"cannot use database {self.display}: {exc}") from None

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: object) -> None:
            # Autocommit at the driver: it must never start (or fail to start)
            # transactions behind our back; `_on_begin` sends BEGIN itself.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if self.read_only:  # mode=ro already refuses writes; this refuses them first
                cursor.execute("PRAGMA query_only = ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            write = connection.get_execution_options().get("tracker_write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    def _read_only_sqlite(self) -> sqlite3.Connection:
        """The SQLite file opened read-only (a `file:` URI with `mode=ro`): the file itself
        is never opened for writing. Any thread may use it, one at a time (the pool's)."""
        path = Path(self.url.database or "").absolute()
        return sqlite3.connect(
            f"file:{quote(str(path))}?mode=ro",
            uri=True,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
        )

    @staticmethod
    def sqlite_execute(conn: Connection, statement: str) -> None:
        """Send a statement to sqlite3 itself, outside SQLAlchemy's transaction: the
        PRAGMAs that cannot run inside one."""
        driver = conn.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        driver.execute(statement)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    def release(self) -> None:
        """After a command: a SQLite file's connections close, as a restore or a copy may
        put another file at its path; a server's stay in the kept engine's pool for the
        process's next command (closed at exit: close_idle_connections)."""
        if self.is_sqlite:
            self.dispose()

    def connect(self) -> Connection:
        """A connection, with connection failures turned into one clear error."""
        try:
            return self.engine.connect()
        except DBAPIError as exc:
            if driver_errors.not_a_database(exc):
                raise self.translate(exc) from None
            message = f"cannot connect to database {self.display}: {server_said(exc)}"
            raise DatabaseError(redact(message, self.url)) from None
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
                        self.sqlite_execute(conn, f"PRAGMA busy_timeout = {wait}")
                    with conn.begin() as transaction:
                        if self.is_mysql and write:  # a session setting, in no transaction's way
                            seconds = wait // 1000
                            conn.exec_driver_sql(f"SET innodb_lock_wait_timeout = {seconds}")
                        if not write:
                            self._snapshot(conn)
                        with Session(bind=conn, expire_on_commit=False) as session:
                            result = work(session)
                            session.flush()
                        if dry_run:
                            transaction.rollback()
                return result
            except DBAPIError as exc:
                if driver_errors.retryable(exc) and attempt < RETRIES - 1:
                    continue
                if write and not patient and driver_errors.lock_wait_expired(exc):
                    patient = True  # a long write elsewhere: say so once, then wait the rest
                    if self.on_wait is not None:
                        self.on_wait(
                            f"{self.display} is locked by another writer; waiting up to "
                            f"{(BUSY_TIMEOUT_MS - WAIT_NOTICE_MS) // 1000} s more..."
                        )
                    continue
                raise self.translate(exc) from None
        raise AssertionError("unreachable")

    def _snapshot(self, conn: Connection) -> None:
        """Make the transaction just begun one read-only snapshot: one state for a whole
        command (a report is several queries); SQLite's read transactions keep one."""
        if not self.is_sqlite:
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read transaction (one snapshot) held open while the caller reads: for a reader
        that writes out as it reads (the team page's streamed JSON), where `run`'s one call
        would not do. Never retried: a read has nothing to retry."""
        with self.connect() as conn, self.translating(), conn.begin():
            self._snapshot(conn)
            with Session(bind=conn, expire_on_commit=False) as session:
                yield session

    def translate(self, exc: DBAPIError) -> DatabaseError:
        """A driver error as one line the user can act on, without any password."""
        return driver_errors.translate(exc, self.display, self.url)
