"""One fresh database per test, on SQLite and (given URLs) on PostgreSQL and MariaDB.

Set TRACKER_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)
and TRACKER_TEST_MARIADB_URL (e.g. mariadb+pymysql://root@127.0.0.1:3306/?ssl_disabled=true:
a server on loopback needs no TLS, which costs PyMySQL 25 ms a connection) to run every
database test on those servers too. This run then creates its own template database
on each, one database per test copied from it, and drops them all. Without a variable
that server's variants skip, saying why; with it, an unreachable server fails the run
rather than skipping.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import Connection
from support import SERVERS, PinnedClock, Tracker

from tracker.db import schema_gate

POSTGRES_ENV = "TRACKER_TEST_POSTGRES_URL"
MARIADB_ENV = "TRACKER_TEST_MARIADB_URL"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one worker per core, and one more when the run also tests on servers,
    whose tests wait on the server part of the time (2 cores, a tenth of the suite on all
    three backends: 2 workers 90 s, 3 workers 76 s, 4 workers 81 s)."""
    cores = os.cpu_count() or 1
    servers = any(os.environ.get(name) for name in (POSTGRES_ENV, MARIADB_ENV))
    return cores + 1 if servers else cores


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's real tracker database."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TRACKER_USER", "tester")
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.delenv("TRACKER_DEBUG", raising=False)


@pytest.fixture
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[PinnedClock]:
    """Today and now as the test says (in-process commands only), in UTC's local time."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield PinnedClock(monkeypatch)
    monkeypatch.undo()
    time.tzset()


# -- database templates, made once per run --------------------------------------


def _migrated(url: str) -> None:
    from tracker.db.database import Database
    from tracker.db.urls import resolve_url

    database = Database(resolve_url(url))
    schema_gate.upgrade(database, "head")
    database.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrated(str(path))
    return path


class Server:
    """Creates and drops this run's databases on a server through an admin connection
    (unpooled: a pooled one kept after MariaDB's `USE` would count as a client of that
    database).

    Making and dropping a database is the server's work, and most of a short test's time
    there (PostgreSQL: 0.07 s to copy the template, 0.15 s on average to drop, as it
    checkpoints; MariaDB: 0.6 s of CREATE TABLEs, 0.3 s to drop): so the next test's
    database is made, and the last one dropped, on a thread of their own while a test
    runs."""

    quote = '"'
    drop_options = ""

    def __init__(self, url: str):
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.pool import NullPool

        self.base = make_url(url)
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.prefix = f"tracker_test_{uuid.uuid4().hex[:8]}"
        self.created: list[str] = []
        self.template = f"{self.prefix}_template"
        self.background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="databases")
        self.next: Future[tuple[str, str]] | None = None

    def url(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        raise NotImplementedError

    def fresh(self) -> tuple[str, str]:
        """(name, URL) of a new copy of the run's template, for one test; the next one is
        made meanwhile."""
        ahead, self.next = self.next, None  # a copy that failed is not waited on again
        made = ahead.result() if ahead is not None else self._copy()
        self.next = self.background.submit(self._copy)
        return made

    def _copy(self) -> tuple[str, str]:
        name = f"{self.prefix}_{uuid.uuid4().hex[:8]}"
        return name, self.create(name, template=self.template)

    def discard(self, name: str) -> None:
        """Drop a test's database once the test is done with it (meanwhile)."""
        self.background.submit(self.drop, name)

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(
                f"DROP DATABASE IF EXISTS {self.quote}{name}{self.quote}{self.drop_options}"
            )
        self.created.remove(name)

    def close(self) -> None:
        self.background.shutdown(wait=True)
        for name in list(self.created):
            self.drop(name)
        self.admin.dispose()


class PostgresServer(Server):
    """PostgreSQL: a test's database is a copy of the run's template database."""

    drop_options = " WITH (FORCE)"  # the sessions a killed client left go too

    def create(self, name: str, template: str | None = None) -> str:
        suffix = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"{suffix}')
        self.created.append(name)
        return self.url(name)


class MariaDBServer(Server):
    """MariaDB has no template databases: a test's database is made from the template's
    DDL (tables, then triggers) and a copy of its rows."""

    quote = "`"

    def __init__(self, url: str):
        super().__init__(url)
        self.ddl: dict[str, tuple[list[str], list[str]]] = {}

    def create(self, name: str, template: str | None = None) -> str:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE `{name}`")
            self.created.append(name)
            if template is not None:
                conn.exec_driver_sql(f"USE `{name}`")
                conn.exec_driver_sql("SET foreign_key_checks = 0")
                tables, statements = self._template_ddl(conn, template)
                for statement in statements:
                    conn.exec_driver_sql(statement)
                for table in tables:  # rows too: a test's snapshot is a template with data
                    conn.exec_driver_sql(
                        f"INSERT INTO `{table}` SELECT * FROM `{template}`.`{table}`"
                    )
        return self.url(name)

    def _template_ddl(self, conn: Connection, template: str) -> tuple[list[str], list[str]]:
        """The template's tables, and the statements that make its schema (cached)."""
        if template not in self.ddl:
            tables = [t for t, _ in conn.exec_driver_sql(f"SHOW FULL TABLES FROM `{template}`")]
            collation = conn.exec_driver_sql(
                "SELECT default_collation_name FROM information_schema.schemata"
                f" WHERE schema_name = '{template}'"
            ).scalar()
            statements = [f"ALTER DATABASE CHARACTER SET utf8mb4 COLLATE {collation}"]
            for table in tables:
                row = conn.exec_driver_sql(f"SHOW CREATE TABLE `{template}`.`{table}`").one()
                statements.append(row[1])
            triggers = conn.exec_driver_sql(f"SHOW TRIGGERS FROM `{template}`").all()
            for trigger in triggers:
                shown = conn.exec_driver_sql(f"SHOW CREATE TRIGGER `{template}`.`{trigger[0]}`")
                statements.append(shown.mappings().one()["SQL Original Statement"])
            self.ddl[template] = (tables, statements)
        return self.ddl[template]


S = TypeVar("S", bound=Server)


def _unset(what: str, env: str) -> str:
    return f"{what} tests need {env} (a URL of a server this run may create databases on)"


# Each server's skips, reported as one line of `-rs` (not one per test): see below.
UNSET = {_unset("PostgreSQL", POSTGRES_ENV), _unset("MariaDB", MARIADB_ENV)}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A server's skips all name this file, so pytest's summary folds them into one line
    per server; every other skip keeps its own place and reason."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = report.longrepr[2].removeprefix("Skipped: ")
        if reason in UNSET:
            report.longrepr = (__file__, _server.__code__.co_firstlineno - 1, report.longrepr[2])


def _server(kind: type[S], env: str, what: str) -> S:
    url = os.environ.get(env)
    if not url:
        pytest.skip(_unset(what, env))
    server = kind(url)
    try:
        with server.admin.connect():
            pass
    except Exception as exc:  # CI gave a URL: an unreachable server is a failure
        pytest.fail(f"{env} is set but {what} is unreachable: {exc}", pytrace=False)
    _migrated(server.create(server.template))
    return server


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = _server(PostgresServer, POSTGRES_ENV, "PostgreSQL")
    yield server
    server.close()


@pytest.fixture(scope="session")
def mariadb() -> Iterator[MariaDBServer]:
    server = _server(MariaDBServer, MARIADB_ENV, "MariaDB")
    yield server
    server.close()


# -- the database each test gets --------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh database at the schema's head, empty of claims."""
    if backend == "sqlite":
        path = tmp_path / "tracker.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield str(path)
        return
    server: Server = request.getfixturevalue(SERVERS[backend])
    name, url = server.fresh()
    yield url
    server.discard(name)


@pytest.fixture
def new_database(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[..., str]]:
    """Makes more fresh databases at head: on this test's backend, or on the one named."""
    made: list[tuple[Server, str]] = []

    def make(on: str | None = None) -> str:
        if (on or backend) == "sqlite":
            path = tmp_path / f"db-{uuid.uuid4().hex[:8]}.db"
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
            return str(path)
        server: Server = request.getfixturevalue(SERVERS[on or backend])
        name, url = server.fresh()
        made.append((server, name))
        return url

    yield make
    for server, name in made:
        server.discard(name)


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh SQLite database, for tests of SQLite-only behaviour."""
    path = tmp_path / "tracker.db"
    shutil.copyfile(sqlite_template, path)
    return str(path)


# -- running the CLI ------------------------------------------------------------------


@pytest.fixture
def tracker(db_url: str) -> Tracker:
    return Tracker(db_url)


# -- scenarios more than one file reads ---------------------------------------------


@pytest.fixture
def recorded_later(tracker: Tracker, pinned_clock: PinnedClock) -> Tracker:
    """Two claims said on 2024-08-20: 1, Kuo's phone (September 2024, likelihood 0.8,
    tagged phones), and 2, Gurman's tablet (October 2024, tagged tablets). Claim 1 is
    confirmed on 2024-09-01, then refuted by evidence dated 2024-09-01 but recorded on
    2024-09-11 (where the clock is left): what `--known-on` leaves out until then."""
    pinned_clock.set("2024-08-20")
    tracker.ok("add", "Phone ships in September", "--said-on", "2024-08-20", "--source", "Kuo",
               "--expected", "September 2024", "--likelihood", "0.8",
               "--tag", "phones")  # fmt: skip
    tracker.ok("add", "Tablet ships in October", "--said-on", "2024-08-20", "--source", "Gurman",
               "--expected", "October 2024", "--tag", "tablets")  # fmt: skip
    pinned_clock.set("2024-09-01")
    tracker.ok("confirm", "1", "--on", "2024-09-01", "--source", "Verge")
    pinned_clock.set("2024-09-11")
    tracker.ok("refute", "1", "--on", "2024-09-01", "--source", "Bloomberg")
    return tracker
