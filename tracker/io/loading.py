"""Applying claim files to the database: the seeds, and imports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from importlib.util import find_spec
from pathlib import Path

from sqlalchemy.orm import Session

from tracker.errors import InvalidInput
from tracker.io.bulk import fewer_collections
from tracker.io.importer import Importer, Tally
from tracker.io.readers import ClaimFile, RecordReader, read_records
from tracker.rules.kinds import FORMATS


def bundled_seeds() -> Path:
    """The seeds shipped with the tracker (the repository's `seeds/`)."""
    spec = find_spec("tracker.seeds")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parents[2] / "seeds"


def seed_files(directory: Path) -> list[Path]:
    try:
        if not directory.is_dir():
            raise InvalidInput(f"{directory} is not a directory")
        files = sorted(p for p in directory.iterdir() if p.suffix.lower() in FORMATS)
    except OSError as exc:
        raise InvalidInput(f"cannot read {directory}: {exc.strerror}") from None
    if not files:
        raise InvalidInput(f"{directory} holds no claim files ({', '.join(FORMATS)})")
    return files


def load_files(
    session: Session,
    files: Sequence[Path | ClaimFile],
    *,
    actor: str,
    today: date,
    progress: Callable[[Path, int], None] | None = None,
    dry_run: bool = False,
    ignore_unknown_columns: bool = False,
    date_order: str | None = None,
    read: RecordReader = read_records,
) -> Tally:
    """Apply every record of every file, in order; any bad record aborts the whole load,
    naming every bad record found (tracker.io.importer). `date_order` ("dmy" or "mdy"):
    how the files write numeric dates. `read`: what makes records of a file (a reader of
    more formats, tracker.claimreview's)."""
    with fewer_collections():
        importer = Importer(
            session, actor=actor, today=today, dry_run=dry_run, date_order=date_order
        )
        for file in files:
            file = file if isinstance(file, ClaimFile) else ClaimFile.named(file)
            path = file.path
            report = (lambda position, path=path: progress(path, position)) if progress else None
            records = read(file, report, ignore_unknown_columns=ignore_unknown_columns)
            for where, record in records:
                importer.add(record, where, listed=file.kind == "csv")
        return importer.finish()
