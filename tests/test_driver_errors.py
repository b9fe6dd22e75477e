"""Driver errors are read by their codes: sqlite3's result code, psycopg's SQLSTATE,
PyMySQL's error number; the words only where the driver gives nothing else."""

import sqlite3

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from support import installed

from tracker.db import driver_errors

URL = make_url("postgresql+psycopg://u:s3cret@h/db")


def wrapped(orig: BaseException) -> DBAPIError:
    return DBAPIError("SELECT 1", None, orig)


def sqlite_error(tmp_path, kind: str) -> sqlite3.Error:
    path = tmp_path / f"{kind}.db"
    if kind == "notadb":
        path.write_bytes(b"not a database" * 100)
        try:
            sqlite3.connect(path).execute("SELECT name FROM sqlite_master")
        except sqlite3.Error as exc:
            return exc
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    try:
        sqlite3.connect(path, timeout=0, isolation_level=None).execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        return exc
    finally:
        holder.rollback()
    raise AssertionError("no error")


def test_sqlite_errors_by_result_code(tmp_path):
    busy = wrapped(sqlite_error(tmp_path, "busy"))
    assert driver_errors.lock_wait_expired(busy)
    assert not driver_errors.retryable(busy)  # BEGIN IMMEDIATE: waited out, never retried
    assert "x stayed locked by another writer" in str(driver_errors.translate(busy, "x", URL))
    notadb = wrapped(sqlite_error(tmp_path, "notadb"))
    assert driver_errors.not_a_database(notadb)
    assert not driver_errors.lock_wait_expired(notadb)
    assert str(driver_errors.translate(notadb, "x", URL)) == "x is not a tracker database"


def test_mysql_errors_by_number():
    pymysql = installed("pymysql", "test")
    error = pymysql.err.OperationalError
    assert driver_errors.retryable(wrapped(error(1213, "Deadlock found")))
    assert driver_errors.lock_wait_expired(wrapped(error(1205, "Lock wait timeout exceeded")))
    raced = "Duplicate entry 'a' for key '{}'"
    for key in ("uq_source_name_folded", "source.uq_source_name_folded"):  # MariaDB, MySQL 8
        assert driver_errors.retryable(wrapped(pymysql.err.IntegrityError(1062, raced.format(key))))
    not_raced = pymysql.err.IntegrityError(1062, raced.format("uq_claim_uid"))
    assert not driver_errors.retryable(wrapped(not_raced))
    refused = driver_errors.translate(wrapped(error(1142, "INSERT command denied")), "x", URL)
    assert str(refused).startswith("the database refused the change (INSERT command denied)")


def test_postgres_errors_by_sqlstate():
    errors = installed("psycopg.errors", "test")
    assert driver_errors.retryable(wrapped(errors.SerializationFailure("x")))
    assert driver_errors.retryable(wrapped(errors.DeadlockDetected("x")))
    # A unique violation is retried only on a raced constraint; this one names none.
    assert not driver_errors.retryable(wrapped(errors.UniqueViolation("x")))
    # Where a driver could echo a password: a URL or a connection string.
    said = "permission denied (postgresql://u:s3cret@h/db, password=s3cret)"
    refused = wrapped(errors.InsufficientPrivilege(said))
    message = str(driver_errors.translate(refused, "x", URL))
    assert message.startswith("the database refused the change") and "s3cret" not in message
