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

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tracker.db import schema_gate
from tracker.db.backup import sqlite_backup
from tracker.db.database import Database
from tracker.db.schema_gate import SQLITE_HEADER
from tracker.db.urls import resolve_url
from tracker.errors import InvalidInput, TrackerError
from tracker.io.export import items
from tracker.io.writers import write_jsonl
from tracker.rules.kinds import FORMATS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SQLITE = "sqlite"  # a kind of claim file that FORMATS does not name: only ever sniffed
SNIFF = 4096  # bytes read to tell a file's kind


def sniffed_kind(path: Path) -> str | None:
    """The kind of claim file `path` holds by its first bytes: SQLITE for a SQLite database
    (whatever its name), else json or jsonl for JSON when its name does not say, else None
    (the name decides)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF)
    except OSError:  # the reader says why it cannot read it
        return None
    if head.startswith(SQLITE_HEADER):
        return SQLITE
    if path.suffix.lower() in FORMATS:
        return None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"{"):
        return None
    first = text.split(b"\n", 1)[0]
    try:
        whole = json.loads(first)
    except ValueError:  # a document that goes on past its first line
        return "json"
    return "jsonl" if isinstance(whole, dict) and "claims" not in whole else "json"


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
