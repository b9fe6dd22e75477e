"""Reading a backup back, whatever its file is called.

`tracker db backup` writes a SQLite database (from a SQLite file) or an export-shaped JSON
file (from a server), under whatever name the user gave: `team-pg`, `claims.bak`, even a
`.json` name for a SQLite copy. `import` goes by the file's first bytes, not its name: the
SQLite header, else JSON (a document or a claim a line), else TOML or CSV as the name says.
A SQLite backup is read through a copy of it (migrated there if an older tracker wrote it,
the backup itself never touched) and handed to the importer as its JSONL export, so a
restore goes through the same rules as every other import.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tracker.db import schema_gate
from tracker.db.backup import sqlite_backup
from tracker.db.database import Database
from tracker.db.urls import resolve_url
from tracker.errors import InvalidInput, TrackerError
from tracker.io.export import items
from tracker.io.writers import write_jsonl

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def write_sqlite_export(path: Path, out: TextIO, *, today: date) -> int:
    """Write the tracker database in the SQLite file `path` to `out` as a JSONL export (one
    claim a line, with its evidence and history); returns how many claims."""
    with tempfile.TemporaryDirectory(prefix="tracker-backup-") as folder:
        copy = Path(folder) / "backup.db"
        try:
            sqlite_backup(str(path), str(copy))  # one consistent state, even of a live file
        except TrackerError as exc:
            raise InvalidInput(f"{path}: cannot read this backup: {exc}") from None
        database = Database(resolve_url(str(copy)))
        try:
            schema = schema_gate.read_schema(database)
            if schema.foreign or schema.revision is None:
                raise InvalidInput(f"{path}: a SQLite database, but not a tracker's")
            try:
                schema_gate.upgrade(database)  # a backup from an older tracker: the copy
                schema_gate.open_checked(database, create=False)
            except TrackerError as exc:
                raise InvalidInput(f"{path}: cannot read this backup: {exc}") from None

            def write(session: Session) -> int:
                return write_jsonl(out, items(session, "jsonl", today=today))

            return database.run(write, write=False)
        finally:
            database.dispose()
