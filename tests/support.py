"""Assertions shared by the tests (pytest puts this folder on sys.path)."""

from click.testing import Result


def assert_error(result: Result, *fragments: str, code: int = 1) -> None:
    """A failed command: the exit code, one `Error:` line naming the problem, no traceback."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    if code == 1:
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    else:
        assert lines[-1].startswith("Error: "), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


TABLES = ("alembic_version", "source", "article", "claim", "claim_tag", "evidence", "claim_event")


def table_counts(url: str) -> dict[str, int | None]:
    """Rows in each tracker table (None: the table is missing), read outside the tracker."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.pool import NullPool

    from tracker.database import resolve_url

    engine = create_engine(resolve_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            present = set(inspect(conn).get_table_names())
            return {
                table: conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
                if table in present
                else None
                for table in TABLES
            }
    finally:
        engine.dispose()
