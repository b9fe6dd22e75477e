"""Which database `--db` names, and how to show it: a SQLAlchemy URL, never a password.

A bare path is a SQLite file; `postgresql://` and `mysql://`/`mariadb://` get the
driver the tracker installs (psycopg, PyMySQL). A URL is shown as a file path for
SQLite and with every password (user part and query) hidden for the servers, and
`redact` takes passwords out of messages the drivers write, where a password stands.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote, quote_plus

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from tracker.db.models import MYSQL_DIALECTS, is_mysql
from tracker.errors import DatabaseError

# The query parameters the drivers read a password from.
PASSWORD_PARAMETERS = ("password", "passwd", "sslpassword")
# Where a message can carry a password: after a URL's user name (up to the `@`), and
# after a password parameter's name (`password=`, `'password': '`, any case).
_IN_USER_PART = r"(?<=:)(?:{})(?=@)"
_AFTER_NAME = r"(?i)\b((?:" + "|".join(PASSWORD_PARAMETERS) + r")['\"]?\s*[=:]\s*['\"]?)(?:{})"


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


def display_url(url: URL) -> str:
    """The URL as it may be shown: a file path for SQLite, never a password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    hidden = {name: "***" for name in PASSWORD_PARAMETERS if name in url.query}
    shown = url.update_query_dict(hidden).render_as_string(hide_password=True)
    return shown.replace("=%2A%2A%2A", "=***")  # as the user part shows it, not URL-quoted


def redact(message: str, *secrets: str | URL | None) -> str:
    """Hide every password of `secrets` where a message can carry one: a URL's user part
    (`user:PASSWORD@host`, so the whole URL as rendered) and a `password=PASSWORD` (or
    `'password': 'PASSWORD'`) in a DSN or a driver's words, raw, URL-quoted or escaped.

    Only there: hiding the password wherever its letters occur shreds words (with the
    password `r`, "refused" read "***efused") and, by what it hides, tells the password."""
    for secret in secrets:
        for password in _passwords_of(secret):
            forms = sorted(_forms(password), key=len, reverse=True)  # the longest first
            either = "|".join(re.escape(form) for form in forms)
            message = re.sub(_IN_USER_PART.format(either), "***", message)
            message = re.sub(_AFTER_NAME.format(either), r"\1***", message)
    return message


def _passwords_of(secret: str | URL | None) -> list[str]:
    """The passwords a URL (user part and query) or a raw URL string holds."""
    if secret is None:
        return []
    if isinstance(secret, URL):
        found = [secret.password] + [
            value for name in PASSWORD_PARAMETERS for value in _as_list(secret.query.get(name))
        ]
    else:
        found = [_password_in(secret)]
    return [str(password) for password in found if password]


def _forms(password: str) -> set[str]:
    """The password as a message may spell it: raw, URL-quoted (as SQLAlchemy renders
    it, and fully), in a libpq conninfo string, and in a Python repr."""
    conninfo = password.replace("\\", "\\\\").replace("'", "\\'")
    return {
        password,
        quote(password, safe=""),
        quote(password, safe=" +"),
        quote_plus(password),
        conninfo,
        repr(password)[1:-1],
    }


def _as_list(value: str | tuple[str, ...] | None) -> list[str]:
    """A URL query value: absent, one string, or a tuple of them (the name given twice)."""
    if value is None:
        return []
    return list(value) if isinstance(value, tuple) else [value]


def _password_in(raw: str) -> str | None:
    match = re.match(r"^[^:/]+://[^:/@]*:(.*)@[^@]*$", raw)
    return match.group(1) if match else None
