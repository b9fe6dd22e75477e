"""A status span's days and instants as numbers on SQLite (tracker.db.numbered_times):
they come back as they went in, keep their order, and migration 0012's SQL numbers
them, and turns them back into text, exactly as the tracker does."""

from __future__ import annotations

import importlib.util
import sqlite3
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql, sqlite

from tracker.db.numbered_times import NumberedDay, NumberedMoment, day_number, moment_number

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


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)), moments)
def test_the_migration_numbers_text_as_the_tracker_does_and_back(day: date, at: datetime) -> None:
    with sqlite3.connect(":memory:") as conn:
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
