"""`tracker db backup FILE`: a consistent copy, taken while others write.

SQLite: the online backup API copies the database page by page within one read
transaction, so the copy is one state of the file even while other processes
write (WAL lets them). The copy is a tracker database of its own: open it with
`--db FILE`. Other backends: an export-shaped file (tracker.io.export), which
`tracker import` loads into an empty database that then passes `db verify`.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import suppress
from pathlib import Path

from tracker.errors import TrackerError


def sqlite_backup(database: str, target: str) -> None:
    """Copy the SQLite file `database` to `target`: whole, or nothing (through a symlink)."""
    if target == "-":
        raise TrackerError("a SQLite backup is a database file: give its name, not '-'")
    target = os.path.realpath(target)
    folder = os.path.dirname(target)
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tracker-", suffix=".tmp")
    except OSError as exc:
        raise TrackerError(f"cannot write {target}: {exc.strerror}") from None
    os.close(handle)
    try:
        source = sqlite3.connect(database, timeout=60)
        copy = sqlite3.connect(temporary)
        try:
            with copy:
                source.backup(copy)  # all pages in one step: one consistent state
            # In WAL mode, as the tracker makes its databases, so that a backup copied back
            # in place lets readers and a writer work at once again; a copy standing on its
            # own all the same, since closing it checkpoints and removes its log.
            copy.execute("PRAGMA journal_mode = WAL")
        finally:
            copy.close()
            source.close()
        os.replace(temporary, target)
    except BaseException as exc:
        with suppress(OSError):
            Path(temporary).unlink()
        if isinstance(exc, sqlite3.Error | OSError):
            raise TrackerError(f"cannot back up to {target}: {exc}") from None
        raise
