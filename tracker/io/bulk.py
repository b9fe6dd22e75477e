"""What makes a large import fast, apart from what it writes: the collector kept out
of the way, and the read-only indexes of an empty SQLite database built once at the
end instead of row by row."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

# Indexes only reads use (lists, reports, sources), never the import's own lookups: into
# an empty SQLite database they are dropped for the import and built at its end, in the
# same transaction (a failed import puts them back with everything else).
DEFERRABLE = (
    "ix_claim_status_expected_end", "ix_claim_status_id", "ix_claim_status_resolved_on",
    "ix_claim_said_on", "ix_claim_source_status_cover", "ix_claim_subject_folded",
    "ix_claim_withdrawn", "ix_claim_tag_tag_folded", "ix_evidence_repeat",
    "ix_claim_event_recorded_at", "ix_claim_handle", "ix_claim_event_changeset",
    "ix_claim_event_undoes",
)  # fmt: skip


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage less often while an import runs: a batch holds hundreds of thousands
    of objects that all live until it is written, and the collector's passes over them
    are wasted. 100,000 claims, medians of three alternating runs: 14.5 s of CPU by
    default, 13.8 s with these thresholds, at the same peak RSS (66 MB). A young
    generation of 100,000 grew the RSS with the import (137 MB at 1,000,000 claims)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(10_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def defer_indexes(conn: Connection) -> list[str]:
    """Drop the deferrable indexes of an empty SQLite database; the statements that remake them."""
    if conn.dialect.name != "sqlite" or conn.exec_driver_sql("SELECT 1 FROM claim LIMIT 1").first():
        return []
    marks = ", ".join("?" * len(DEFERRABLE))
    query = f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ({marks})"
    found = conn.exec_driver_sql(query, DEFERRABLE).all()
    for name, _ in found:
        conn.exec_driver_sql(f"DROP INDEX {name}")
    return [sql for _, sql in found]
