"""What a driver's error means: retry the transaction, wait longer, or tell the user.

Decisions are made on the code each driver gives: sqlite3's result code
(`sqlite_errorcode`), psycopg's SQLSTATE, PyMySQL's server error number (args[0]).
The driver's words are only shown (`server_said`), with every password taken out.
"""

from __future__ import annotations

import re
import sqlite3

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from tracker.db.urls import redact
from tracker.errors import DatabaseError

# PostgreSQL SQLSTATEs worth retrying from the start: serialization_failure,
# deadlock_detected, and unique_violation: two writers naming one new source (or
# article, or key) at once both find it missing and both insert it; on retry the
# loser finds the winner's row.
PG_UNIQUE_VIOLATION = "23505"
RETRYABLE_SQLSTATES = {"40001", "40P01", PG_UNIQUE_VIOLATION}
# PostgreSQL's insufficient_privilege and read_only_sql_transaction.
PG_REFUSED = {"42501", "25006"}
# The same for MariaDB/MySQL, whose driver gives error numbers: ER_LOCK_DEADLOCK, and
# ER_DUP_ENTRY (only on a raced constraint, as 23505). ER_LOCK_WAIT_TIMEOUT is a long
# wait for another writer, handled as SQLite's busy timeout is.
MYSQL_DEADLOCK, MYSQL_LOCK_WAIT, MYSQL_DUPLICATE = 1213, 1205, 1062
# Errors that say this account may not write: database, command, column and privilege
# denied, a trigger refused while the binary log is on, a read-only server or transaction.
MYSQL_REFUSED = {1044, 1142, 1143, 1227, 1419, 1290, 1792}

# The unique constraints two writers can race for (both find the row missing, both
# insert it): on retry, the loser finds the winner's row. Any other unique violation
# (a uid given twice) would fail the same way again: it is not retried.
RACED = {"uq_source_name_folded", "uq_article_url_hash", "uq_claim_key", "uq_claim_twin_hash"}
# PyMySQL gives ER_DUP_ENTRY's key only in the message's words (the server sends no
# constraint name apart from them): "Duplicate entry 'x' for key 'uq_source_name_folded'",
# the key qualified by its table on MySQL 8.
_DUPLICATE_KEY = re.compile(r"for key '(?:\w+\.)?(\w+)'")


def server_said(exc: BaseException) -> str:
    """What the driver or the server said, on one line (pymysql's words without the number)."""
    error = exc.orig if isinstance(exc, DBAPIError) else exc
    args: tuple[object, ...] = getattr(error, "args", ())
    said = args[-1] if len(args) > 1 and isinstance(args[0], int) else error
    return " ".join(str(said).split()) or type(error).__name__


def retryable(exc: DBAPIError) -> bool:
    """Would the whole transaction, run again, likely succeed (a deadlock, a lost race)?"""
    errno = _mysql_errno(exc)
    if errno == MYSQL_DEADLOCK:
        return True
    if errno == MYSQL_DUPLICATE:
        key = _DUPLICATE_KEY.search(server_said(exc))
        return key is not None and key.group(1) in RACED
    sqlstate = _sqlstate(exc)
    if sqlstate == PG_UNIQUE_VIOLATION:
        diagnosis = getattr(exc.orig, "diag", None)
        return getattr(diagnosis, "constraint_name", None) in RACED
    return sqlstate in RETRYABLE_SQLSTATES


def lock_wait_expired(exc: DBAPIError) -> bool:
    """Did a write give up waiting for another writer's lock (SQLite's busy timeout,
    MariaDB's innodb_lock_wait_timeout)?"""
    return _sqlite_code(exc) == sqlite3.SQLITE_BUSY or _mysql_errno(exc) == MYSQL_LOCK_WAIT


def not_a_database(exc: DBAPIError) -> bool:
    """SQLite opened a file that is not an SQLite database."""
    return _sqlite_code(exc) == sqlite3.SQLITE_NOTADB


def translate(exc: DBAPIError, display: str, url: URL) -> DatabaseError:
    """A driver error as one line the user can act on, without any password; `display`
    names the database as it may be shown."""
    detail = server_said(exc)
    if _sqlstate(exc) in PG_REFUSED or _mysql_errno(exc) in MYSQL_REFUSED:
        message = (
            f"the database refused the change ({detail}); this role may be read-only, "
            "or lack the privilege named"
        )
    elif not_a_database(exc):
        message = f"{display} is not a tracker database"
    elif lock_wait_expired(exc):
        message = f"{display} stayed locked by another writer; try again"
    elif _sqlite_code(exc) == sqlite3.SQLITE_FULL:
        message = f"{display}: the disk is full; nothing was written"
    elif exc.connection_invalidated:
        message = f"lost the connection to database {display}: {detail}"
    else:
        message = f"database error on {display}: {detail}"
    return DatabaseError(redact(message, url))


def _sqlite_code(exc: DBAPIError) -> int | None:
    """sqlite3's primary result code: the extended code's low byte (SQLITE_BUSY_SNAPSHOT
    is an SQLITE_BUSY)."""
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _sqlstate(exc: DBAPIError) -> str | None:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return sqlstate if isinstance(sqlstate, str) else None


def _mysql_errno(exc: DBAPIError) -> int | None:
    args: tuple[object, ...] = getattr(exc.orig, "args", ())
    return args[0] if args and isinstance(args[0], int) else None
