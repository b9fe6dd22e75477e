"""One read path (design.md §9): `--as-of` and `--known-on` are conditions on the
claims' status spans, in the same queries as today's reads.

- `--known-on D` counts only what was recorded by the end of D (recorded times pinned);
- `--as-of TODAY` prints exactly what the plain command prints, for list, show, report
  and sources in every format, on random histories (a property test);
- `db check` proves the stored spans against the replay of the history.
"""

from __future__ import annotations

import json
import shutil
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from support import PinnedClock, Tracker, assert_error

from tracker.db.urls import resolve_url


def _execute(url: str, statement: str) -> None:
    engine = create_engine(resolve_url(url), poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


@pytest.fixture
def ruling(recorded_later: Tracker, pinned_clock: PinnedClock) -> Tracker:
    """The issue's example: a leak confirmed on 2024-09-01, then a dispute and a desk ruling
    dated 2024-09-01 and 2024-09-02 but recorded on 2024-09-11 and 2024-09-12."""
    tracker = recorded_later  # the leak and the dispute (conftest)
    pinned_clock.set("2024-09-12")
    tracker.ok("resolve", "1", "refuted", "--on", "2024-09-02", "--reason", "desk ruling")
    pinned_clock.set("2024-09-20")
    return tracker


def test_known_on_leaves_out_what_was_recorded_later(ruling: Tracker) -> None:
    as_of = ruling.json("report", "--as-of", "2024-09-02")
    assert as_of["totals"]["refuted"] == 1  # the backdated ruling, placed on its own date
    known = ruling.json("report", "--known-on", "2024-09-02")
    assert known["as_of"] == "2024-09-02"  # alone, it also sets --as-of
    assert known["totals"] == {"pending": 1, "confirmed": 1, "refuted": 0, "disputed": 0,
                               "overdue": 0}  # fmt: skip
    assert known["disputed"] == []
    [source] = [row for row in ruling.json("sources", "--known-on", "2024-09-02")
                if row["name"] == "Kuo"]  # fmt: skip
    assert (source["confirmed"], source["refuted"]) == (1, 0)
    assert source["brier"] == pytest.approx(0.04)
    [claim] = [c for c in ruling.json("list", "--known-on", "2024-09-02") if c["id"] == 1]
    assert (claim["status"], claim["resolved_on"]) == ("confirmed", "2024-09-01")
    # Known by the end of 09-11: the dispute (dated 09-01), not yet the ruling.
    shown = ruling.json("show", "1", "--known-on", "2024-09-11")
    assert shown["status"] == "disputed"
    assert [e["source"] for e in shown["evidence"]] == ["Verge", "Bloomberg"]
    assert [e["event"] for e in shown["history"]] == ["created", "evidence_added",
                                                      "evidence_added"]  # fmt: skip
    # As of 09-02 known on 09-20 (today): everything recorded counts.
    assert ruling.json("show", "1", "--as-of", "2024-09-02", "--known-on", "2024-09-20")[
        "status"] == "refuted"  # fmt: skip
    assert [e["event"] for e in ruling.json("history", "1", "--known-on", "2024-09-01")] == [
        "evidence_added", "created"]  # fmt: skip


def test_known_on_before_a_claim_was_recorded(ruling: Tracker, pinned_clock: PinnedClock) -> None:
    pinned_clock.set("2024-09-25")
    ruling.ok("add", "Watch ships in May", "--said-on", "2024-05-01", "--source", "Kuo")
    assert [c["id"] for c in ruling.json("list", "--as-of", "2024-09-24")] == [1, 2, 3]
    assert [c["id"] for c in ruling.json("list", "--known-on", "2024-09-24")] == [1, 2]
    assert_error(ruling("show", "3", "--known-on", "2024-09-24"), "after --known-on 2024-09-24")
    # Nothing recorded yet: no source to count then (not "no source has made a claim").
    assert ruling.ok("sources", "--known-on", "2024-08-19").stdout == (
        "No source has a claim to count here.\n"
    )


def test_retractions_and_undone_resolutions_count_from_when_they_were_recorded(
    ruling: Tracker, pinned_clock: PinnedClock
) -> None:
    pinned_clock.set("2024-09-21")
    ruling.ok("undo")  # the ruling: a resolution_retracted event
    pinned_clock.set("2024-09-22")
    ruling.ok("retract", "2", "--reason", "misread")  # Bloomberg's dispute
    assert ruling.json("show", "1")["status"] == "confirmed"
    assert ruling.json("show", "1", "--known-on", "2024-09-20")["status"] == "refuted"
    assert ruling.json("show", "1", "--known-on", "2024-09-21")["status"] == "disputed"
    day = ruling.json("show", "1", "--as-of", "2024-09-02", "--known-on", "2024-09-21")
    assert [e["retracted"] for e in day["evidence"]] == [False, False]
    assert ruling.json("list", "--as-of", "2024-09-02")[0]["status"] == "confirmed"


def test_filters_narrow_the_report_and_the_sources(ruling: Tracker) -> None:
    report = ruling.json("report", "--tag", "tablets")
    assert report["totals"]["pending"] == 1 and report["totals"]["refuted"] == 0
    assert [c["id"] for c in report["pending"]] == [2]
    assert [row["name"] for row in report["sources"]] == ["Gurman"]
    assert [row["name"] for row in ruling.json("sources", "--source", "kuo")] == ["Kuo"]
    assert ruling.json("sources", "--subject", "nothing such") == []
    known = ruling.json("report", "--known-on", "2024-09-02", "--source", "kuo")
    assert known["totals"]["confirmed"] == 1 and known["totals"]["pending"] == 0


def test_db_check_proves_the_status_spans(ruling: Tracker) -> None:
    assert "2 claims and 5 events agree with their history" in ruling.ok("db", "check").stdout
    _execute(ruling.url, "UPDATE status_span SET status = 'confirmed' WHERE status = 'refuted'")
    result = ruling("db", "check")
    assert result.exit_code == 1
    assert "claim 1: its stored status spans differ from its history's replay" in result.output
    _execute(ruling.url, "DELETE FROM status_span WHERE claim_id = 2")
    assert "claim 2: its stored status spans differ" in ruling("db", "check").output


def test_spans_copy_the_claim_columns_reads_then_count_by(ruling: Tracker) -> None:
    """A span holds its claim's due date, source and likelihood: an edit or a merge of
    sources rewrites them, reads then see the change, and `db check` compares them."""
    assert ruling.json("list", "--as-of", "2024-10-05", "--overdue", "--format", "json") == []
    ruling.ok("edit", "2", "--expected", "by 2024-10-01", "--likelihood", "0.3")
    overdue = ruling.json("list", "--as-of", "2024-10-05", "--overdue", "--format", "json")
    assert [claim["id"] for claim in overdue] == [2]
    ruling.ok("source", "merge", "Gurman", "Kuo", "--reason", "one desk")
    sources = ruling.json("sources", "--as-of", "2024-10-05", "--format", "json")
    assert [(row["name"], row["claims"]) for row in sources] == [("Kuo", 2)]
    assert "agree with their history" in ruling.ok("db", "check").stdout
    _execute(ruling.url, "UPDATE status_span SET likelihood = 0.9 WHERE claim_id = 2")
    result = ruling("db", "check")
    assert result.exit_code == 1
    assert (
        "claim 2: its status spans' copies of its expected_end, source_id, likelihood differ "
        "from its own" in result.output
    )


# -- the property: as of today is today ------------------------------------------------

TODAY = "2024-06-30"
DAYS = [f"2024-06-{day:02d}" for day in range(1, 31)]
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("evidence"), st.integers(0, 3),
                  st.sampled_from(["confirms", "refutes", "supports", "contradicts"]),
                  st.integers(0, 29), st.sampled_from(["Verge", "Kuo", None])),
        st.tuples(st.just("resolve"), st.integers(0, 3),
                  st.sampled_from(["confirmed", "refuted", "pending", "disputed"]),
                  st.integers(0, 29)),
        st.tuples(st.just("retract"), st.integers(1, 8)),
        st.tuples(st.just("withdraw"), st.integers(0, 3)),
        st.tuples(st.just("duplicate"), st.integers(0, 3), st.integers(0, 3)),
        st.tuples(st.just("undo")),
        # What the spans copy from the claim (tracker.db.models.SPAN_COPIES) changes too.
        st.tuples(st.just("edit"), st.integers(0, 3),
                  st.sampled_from(["--expected", "--likelihood", "--source", "--clear-expected"]),
                  st.sampled_from(["by June 5", "2024", "0.2", "Gurman", "Verge"])),
        st.tuples(st.just("merge"), st.sampled_from(["Kuo", "Gurman", "Verge"]),
                  st.sampled_from(["Kuo", "Gurman", "Verge"])),
    ),
    max_size=10,
)  # fmt: skip
CLAIMS = st.lists(
    st.tuples(st.integers(0, 29), st.sampled_from(["Kuo", "Gurman", "Kuo ", None]),
              st.sampled_from([None, "0.7", "0.35", "0.9"]),
              st.sampled_from([None, "June 2024", "by June 10", "2024"])),
    min_size=1, max_size=4,
)  # fmt: skip
FORMATS = {
    "list": ("text", "json", "csv", "ids"),
    "report": ("text", "markdown", "json", "html"),
    "sources": ("text", "json", "csv"),
}


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(claims=CLAIMS, actions=ACTIONS)
def test_as_of_today_prints_what_the_plain_command_prints(
    claims: list[tuple[int, str | None, str | None, str | None]],
    actions: list[tuple[object, ...]],
    sqlite_template: Path,
    tmp_path: Path,
    pinned_clock: PinnedClock,
) -> None:
    path = tmp_path / f"{uuid.uuid4().hex}.db"
    shutil.copyfile(sqlite_template, path)
    tracker = Tracker(str(path))
    pinned_clock.set(TODAY)
    for number, (said, source, likelihood, expected) in enumerate(claims):
        said_on = DAYS[said]
        args = ["add", f"Claim {number} said {said_on} by {source}", "--said-on", said_on]
        args += ["--source", source] if source else []
        args += ["--likelihood", likelihood] if likelihood else []
        args += ["--expected", expected] if expected else []
        tracker.ok(*args)
    count = len(claims)
    for action in actions:  # refused ones (a date before the claim, a repeat ...) change nothing
        match action:
            case ("evidence", claim, stance, on, source):
                args = ["evidence", str(claim % count + 1), str(stance), "--on", DAYS[int(on)]]
                tracker(*args, *(["--source", str(source)] if source else []))
            case ("resolve", claim, status, on):
                tracker("resolve", str(claim % count + 1), str(status), "--on", DAYS[int(on)],
                        "--reason", "desk")  # fmt: skip
            case ("retract", evidence):
                tracker("retract", str(evidence), "--reason", "wrong")
            case ("withdraw", claim):
                tracker("withdraw", str(claim % count + 1), "--reason", "moot")
            case ("duplicate", claim, other):
                tracker("link", str(claim % count + 1), "duplicates", str(other % count + 1))
            case ("undo",):
                tracker("undo")
            case ("edit", claim, "--clear-expected", _):
                tracker("edit", str(claim % count + 1), "--clear-expected")
            case ("edit", claim, option, value):
                tracker("edit", str(claim % count + 1), str(option), str(value))
            case ("merge", source, into):
                tracker("source", "merge", str(source), str(into), "--reason", "one")
    for command, formats in FORMATS.items():
        for fmt in formats:
            plain = tracker.ok(command, "--format", fmt).stdout
            assert tracker.ok(command, "--as-of", TODAY, "--format", fmt).stdout == plain
            assert tracker.ok(command, "--known-on", TODAY, "--format", fmt).stdout == plain
    for claim in range(1, count + 1):
        for fmt in ("text", "json"):
            plain = tracker.ok("show", str(claim), "--format", fmt).stdout
            assert tracker.ok("show", str(claim), "--as-of", TODAY, "--format", fmt).stdout == plain
    assert tracker.ok("db", "check").exit_code == 0


def _spans(url: str) -> list[tuple[object, ...]]:
    engine = create_engine(resolve_url(url), poolclass=NullPool)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM status_span ORDER BY claim_id, known_from, "
                                 "valid_from")).all()  # fmt: skip
    engine.dispose()
    return [tuple(row) for row in rows]


def test_migrations_0010_and_0011_fill_the_spans_the_ledger_writes(
    ruling: Tracker, pinned_clock: PinnedClock
) -> None:
    pinned_clock.set("2024-09-21")
    ruling.ok("undo")  # resolution_retracted
    ruling.ok("retract", "2", "--reason", "misread")
    ruling.ok("evidence", "2", "supports", "--on", "2024-09-10", "--source", "Kuo")
    ruling.ok("edit", "1", "--expected", "by 2024-10-01", "--likelihood", "0.3")
    written = _spans(ruling.url)
    assert len(written) > 4
    ruling.ok("db", "downgrade", "0009")
    ruling.ok("db", "upgrade")
    assert _spans(ruling.url) == written
    assert "agree with their history" in ruling.ok("db", "check").stdout


def test_migration_0012_numbers_the_spans_times_on_sqlite_and_back(ruling: Tracker) -> None:
    """On SQLite a span's days and instants are numbers from 0012 on, ISO text before it
    (as 0010 and 0011 fill them: test above); a downgrade and an upgrade lose nothing."""
    report = ruling.ok("report", "--as-of", "2024-09-05", "--format", "json").stdout
    numbered = _spans(ruling.url)
    ruling.ok("db", "downgrade", "0011")
    texts = _spans(ruling.url)
    if "://" in ruling.url:  # a server: real dates and times there, nothing changes
        assert texts == numbered
    else:
        assert texts == [_as_text(row) for row in numbered]
    ruling.ok("db", "upgrade")
    assert _spans(ruling.url) == numbered
    assert ruling.ok("report", "--as-of", "2024-09-05", "--format", "json").stdout == report
    assert "agree with their history" in ruling.ok("db", "check").stdout


def _as_text(row: tuple[object, ...]) -> tuple[object, ...]:
    """A span row of numbers (0012 on SQLite) as SQLAlchemy stores dates and times in text:
    claim_id, known_from, valid_from, valid_to, known_to, status, resolved_on, actual,
    expected_end, ..."""
    moments, days = (1, 4), (2, 3, 6, 8)

    def text(index: int, value: object) -> object:
        if value is None or index not in (*moments, *days):
            return value
        assert isinstance(value, int)
        if index in days:
            return (date(1970, 1, 1) + timedelta(days=value)).isoformat()
        return (datetime(1970, 1, 1) + timedelta(microseconds=value)).isoformat(" ", "microseconds")

    return tuple(text(index, value) for index, value in enumerate(row))


def test_report_lists_read_a_page_at_a_time_in_order_as_of_a_day(
    tracker: Tracker, pinned_clock: PinnedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report reads each list in pages that start after the last claim read (by its
    due date or resolved_on, then id); one claim a page, every list as of a day holds what
    one page holds, each claim once, in order (a span's days are numbers on SQLite: the
    last page's values must be bound as such)."""
    pinned_clock.set("2024-09-30")
    for n in range(1, 6):
        tracker.ok("add", f"Gadget {n} ships in August", "--said-on", "2024-08-01",
                   "--expected", f"by 2024-08-{10 + n}", "--source", "Kuo")  # fmt: skip
    for claim, day in (("1", "2024-09-03"), ("2", "2024-09-01"), ("3", "2024-09-02")):
        tracker.ok("confirm", claim, "--on", day, "--source", "Verge")
    asked = ("report", "--as-of", "2024-09-20", "--format", "json", "--limit", "10")
    whole = json.loads(tracker.ok(*asked).stdout)
    monkeypatch.setattr("tracker.queries.reports.lists.BATCH", 1)
    paged = json.loads(tracker.ok(*asked).stdout)
    assert [c["id"] for c in paged["recently_resolved"]] == [1, 3, 2]  # newest first
    assert [c["id"] for c in paged["overdue"]] == [4, 5]  # by due date
    assert paged == whole
