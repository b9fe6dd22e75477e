"""A status span's days and instants as numbers on SQLite (tracker.db.numbered_times):
they come back as they went in, keep their order, and migration 0012's SQL numbers
them, and turns them back into text, exactly as the tracker does."""

from __future__ import annotations

import importlib.util
import sqlite3
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import and_, create_engine, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from tracker.db.models import StatusSpan
from tracker.db.numbered_times import NumberedDay, NumberedMoment, day_number, moment_number
from tracker.rules.timeline import OPEN_DAY, OPEN_MOMENT

SQLITE, POSTGRES = sqlite.dialect(), postgresql.dialect()
# Days as the tracker keeps them; instants in the years SQLite's date functions cover.
days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
moments = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59))


def _migration() -> ModuleType:
    path = Path(__file__).parent.parent / "migrations" / "versions" / "0012_numbered_span_times.py"
    spec = importlib.util.spec_from_file_location("numbered_span_times", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MIGRATION = _migration()


@given(days, days)
def test_a_day_comes_back_and_keeps_its_order(first: date, second: date) -> None:
    column = NumberedDay()
    stored = [column.process_bind_param(d, SQLITE) for d in (first, second)]
    assert [column.process_result_value(n, SQLITE) for n in stored] == [first, second]
    assert (stored[0] < stored[1]) == (first < second)
    assert column.process_bind_param(first, POSTGRES) == first  # a DATE there


@given(moments, moments)
def test_an_instant_comes_back_and_keeps_its_order(first: datetime, second: datetime) -> None:
    column = NumberedMoment()
    stored = [column.process_bind_param(m, SQLITE) for m in (first, second)]
    assert [column.process_result_value(n, SQLITE) for n in stored] == [first, second]
    assert (stored[0] < stored[1]) == (first < second)
    assert column.process_bind_param(first, POSTGRES) == first


def test_queries_bind_dates_as_the_numbers_stored_on_sqlite() -> None:
    """A span's columns are INTEGERs on SQLite, and a query's dates are bound as numbers:
    a date bound as text would compare after every number (SQLite orders types first)."""
    engine = create_engine("sqlite://")
    StatusSpan.__table__.create(engine)
    opened = datetime(2024, 9, 11, 8, 30, 0, 250)
    with engine.begin() as conn:
        conn.execute(insert(StatusSpan), [
            {"claim_id": 1, "known_from": opened, "valid_from": date(2024, 9, 1),
             "valid_to": date(2024, 9, 10), "known_to": OPEN_MOMENT, "status": "pending"},
            {"claim_id": 1, "known_from": opened, "valid_from": date(2024, 9, 10),
             "valid_to": OPEN_DAY, "known_to": OPEN_MOMENT, "status": "confirmed"},
        ])  # fmt: skip
        stored = conn.exec_driver_sql("SELECT typeof(valid_from), typeof(known_from), "
                                      "valid_from FROM status_span").all()  # fmt: skip
        assert stored[0] == ("integer", "integer", day_number(date(2024, 9, 1)))
        in_force = and_(StatusSpan.valid_from <= date(2024, 9, 10),
                        StatusSpan.valid_to > date(2024, 9, 10))  # fmt: skip
        rows = conn.execute(select(StatusSpan.status, StatusSpan.known_from).where(in_force))
        assert rows.all() == [("confirmed", opened)]
    engine.dispose()


@given(days, moments)
def test_the_migration_numbers_text_as_the_tracker_does_and_back(day: date, at: datetime) -> None:
    conn = sqlite3.connect(":memory:")
    with closing(conn):
        # As SQLAlchemy stores them in SQLite before 0012.
        day_text, moment_text = day.isoformat(), at.isoformat(" ", "microseconds")
        numbered = conn.execute(
            f"SELECT {MIGRATION._day_number(':d')}, {MIGRATION._moment_number(':m')}",
            {"d": day_text, "m": moment_text},
        ).fetchone()
        assert numbered == (day_number(day), moment_number(at))
        back = conn.execute(
            f"SELECT {MIGRATION._day_text(':d')}, {MIGRATION._moment_text(':m')}",
            {"d": numbered[0], "m": numbered[1]},
        ).fetchone()
        assert back == (day_text, moment_text)
