"""Running the team page: the database opened read-only and checked, the address bound
(loopback unless told otherwise, with a warning then), and uvicorn serving the routes
until Ctrl-C or a SIGTERM."""

from __future__ import annotations

import errno
import ipaddress
import socket
from collections.abc import Callable

import uvicorn

from tracker.db import schema_gate
from tracker.db.database import Database
from tracker.db.urls import resolve_url
from tracker.errors import DatabaseError, InvalidInput, TrackerError
from tracker.web.app import make_app


def open_read_only(db: str | None) -> Database:
    """The database (`--db`, else $TRACKER_DB, else the default file), checked to be a
    tracker database at this schema, then opened read-only for the page. Never created
    or migrated: a page has nothing to show from an empty file."""
    url = resolve_url(db)
    checked = Database(url)
    if checked.is_sqlite:
        path = url.database
        if path in (None, "", ":memory:"):
            raise DatabaseError("the team page reads a database file or server, not :memory:")
    # The check every command makes (it only reads), on an ordinary connection: closing,
    # it leaves a foreign SQLite file as it found it, where a read-only one would leave
    # the -wal and -shm files it cannot remove.
    try:
        schema_gate.open_checked(checked, create=False)
    finally:
        checked.dispose()
    return Database(url, read_only=True)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on `host` (a name or an address) and `port` (0: a free one)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (socket.gaierror, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, socket.gaierror) else "not a host name"
        raise InvalidInput(f"--host {host!r}: {reason}") from None
    listener = socket.socket(family, kind, proto)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(128)
    except OSError as exc:
        listener.close()
        hint = "; another program uses it: choose another --port" if (
            exc.errno == errno.EADDRINUSE) else ""  # fmt: skip
        raise TrackerError(f"cannot listen on {host} port {port}: {exc.strerror}{hint}") from None
    return listener


def page_url(listener: socket.socket) -> str:
    host, port = listener.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def is_loopback(listener: socket.socket) -> bool:
    return ipaddress.ip_address(listener.getsockname()[0].split("%")[0]).is_loopback


def exposed_warning(url: str, port: int) -> str:
    """What serving beyond loopback means, and the two usual ways to keep a page private."""
    return (
        f"Warning: {url} is open to other machines, and the page has no login: anyone who "
        "can reach this address reads every claim in this database.\n"
        "To keep it private, serve on loopback (the default, without --host) and open it "
        f"through an SSH tunnel (ssh -L {port}:127.0.0.1:{port} THIS-HOST), or put it behind "
        "a reverse proxy that asks for a login."
    )


def serve(
    db: str | None, host: str, port: int, *, say: Callable[[str], None],
    warn: Callable[[str], None],
) -> None:  # fmt: skip
    """Serve the page until stopped (Ctrl-C or SIGTERM), then return."""
    database = open_read_only(db)
    try:
        listener = bind(host, port)
    except TrackerError:
        database.dispose()
        raise
    url = page_url(listener)
    local = is_loopback(listener)
    if not local:
        warn(exposed_warning(url, listener.getsockname()[1]))
    say(f"Serving {database.display} read-only at {url} (Ctrl-C stops)")
    config = uvicorn.Config(
        make_app(database, local=local),
        log_level="warning",
        access_log=False,
        lifespan="off",
        server_header=False,
        timeout_graceful_shutdown=5,
    )
    try:
        uvicorn.Server(config).run(sockets=[listener])
    except KeyboardInterrupt:  # a signal uvicorn passed on once it had stopped
        pass
    finally:
        listener.close()
        database.dispose()
    say("Stopped.")
