"""The report, sources and list queries use their indexes (SQLite's query plans).

Speed is measured by tests/bench/bench.py; this only catches a regression
(a dropped index, a query rewritten so no index fits) without timing anything:
every statement these commands send is explained, and no claim, evidence or
event table may be read by a full scan or sorted in a temporary B-tree.
"""

import json
import sqlite3

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, event

from tracker.cli import main

BIG_TABLES = ("claim", "evidence", "claim_event")


@pytest.fixture
def populated(sqlite_url, tmp_path):
    """A few thousand claims with evidence and fresh statistics, as after a bulk import."""
    lines = []
    for n in range(3000):
        record = {
            "text": f"Claim {n}",
            "source": f"Source {n % 40}",
            "said_on": f"2022-{n % 12 + 1:02d}-01",
            "expected": f"Q{n % 4 + 1} 2023",
            "likelihood": (n % 10) / 10,
            "evidence": [{"stance": ["confirms", "refutes", "supports"][n % 3],
                          "on": f"2023-0{n % 9 + 1}-15"}],
        }  # fmt: skip
        lines.append(json.dumps(record))
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines))
    assert CliRunner().invoke(main, ["--db", sqlite_url, "import", str(feed)]).exit_code == 0
    with sqlite3.connect(sqlite_url) as conn:
        conn.execute("ANALYZE")
    return sqlite_url


def statements_of(url: str, *args: str) -> list[tuple[str, tuple]]:
    seen: list[tuple[str, tuple]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, tuple(parameters or ())))

    event.listen(Engine, "before_cursor_execute", capture)
    try:
        result = CliRunner().invoke(main, ["--db", url, *args])
    finally:
        event.remove(Engine, "before_cursor_execute", capture)
    assert result.exit_code == 0, result.output
    return seen


def plan(url: str, statement: str, parameters: tuple) -> list[str]:
    with sqlite3.connect(url) as conn:
        rows = conn.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
    return [row[-1] for row in rows]


def full_scans(lines: list[str]) -> list[str]:
    bad = []
    for line in lines:
        words = line.split()
        if words[:1] == ["SCAN"] and words[1] in BIG_TABLES and "INDEX" not in line:
            bad.append(line)
        if "TEMP B-TREE" in line:
            bad.append(line)
    return bad


@pytest.mark.parametrize(
    "args",
    [
        ["report"],
        ["report", "--format", "json"],
        ["sources"],
        ["list", "--status", "pending", "--limit", "50"],
        ["list", "--overdue", "--limit", "50"],
        ["show", "1500"],
        ["history", "1500"],
    ],
    ids=" ".join,
)
def test_queries_use_indexes(populated, args):
    statements = statements_of(populated, *args)
    assert statements, "no statement captured"
    checked = 0
    for statement, parameters in statements:
        if not any(table in statement for table in BIG_TABLES):
            continue
        lines = plan(populated, statement, parameters)
        checked += 1
        # The recently resolved section merges two statuses' index ranges and sorts the
        # few claims of the last 30 days; one claim's history is put in recorded order
        # (recorded_at, then id), a sort of the few events its index finds: both bounded.
        if "resolved_on BETWEEN" in statement or "WHERE claim_event.claim_id = ?" in statement:
            lines = [line for line in lines if "TEMP B-TREE" not in line]
        assert full_scans(lines) == [], f"{statement}\n{lines}"
    assert checked


def test_the_check_catches_a_dropped_index(populated):
    """Without (status, id), listing one status must sort: the test above would fail."""
    with sqlite3.connect(populated) as conn:
        conn.execute("DROP INDEX ix_claim_status_id")
    statements = statements_of(populated, "list", "--status", "pending", "--limit", "50")
    problems = [full_scans(plan(populated, s, p)) for s, p in statements if "FROM claim" in s]
    assert any(problems)
