"""Room for the claim (design.md §1): on a terminal, `list` and the report's lists shorten subject
and source before the claim text, and `--wrap` wraps the text instead of cutting it; piped,
nothing is cut. Run in a real pseudo-terminal of a given width, as a user sees it."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

import pytest

sqlite_only = pytest.mark.parametrize("backend", ["sqlite"])  # the terminal is the point

UNPACKED = (
    "Samsung will hold Galaxy Unpacked in Brooklyn on July 10 and show the Galaxy Z Fold 6 "
    "and Z Flip 6"
)
NOTHING = "Nothing Phone (3) will launch in July with a Snapdragon 8s Gen 4"


@pytest.fixture
def desk(tracker):
    tracker.ok("add", UNPACKED, "--subject", "Galaxy Unpacked July 2024",
               "--source", "Evan Blass (@evleaks)", "--said-on", "2024-06-01",
               "--expected", "July 2024", "--hedge", "rumoured")  # fmt: skip
    tracker.ok("add", NOTHING, "--subject", "Nothing Phone (3)", "--source",
               "Carl Pei, Nothing CEO", "--said-on", "2025-03-01",
               "--expected", "July 2025")  # fmt: skip
    return tracker


def on_terminal(url: str, columns: int, *args: str) -> list[str]:
    """The lines `tracker ARGS` shows on a terminal `columns` wide (colours taken out)."""
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns), "TRACKER_DB": url}
    env.pop("NO_COLOR", None)
    done = subprocess.Popen(
        [sys.executable, "-m", "tracker", *args], stdout=slave, stderr=slave, env=env
    )
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed: the command is done
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert done.wait(timeout=60) == 0, out
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.decode()).replace("\r", "")
    return text.rstrip("\n").split("\n")


@sqlite_only
def test_subject_and_source_give_way_before_the_claim(desk):
    lines = on_terminal(desk.url, 100, "list", "--as-of", "2025-06-01")
    # At 100 columns the claim kept 32 characters while subject and source kept all theirs.
    one, two = (desk.json("show", claim)["handle"] for claim in ("1", "2"))
    assert lines == [
        "ID  HANDLE      STATUS           SUBJECT     SOURCE      DUE         CLAIM",
        f"1   {one}  pending overdue  Galaxy Un…  Evan Blas…  2024-07-31  Samsung will hold "
        "Galaxy Unpac…",
        f"2   {two}  pending          Nothing P…  Carl Pei,…  2025-07-31  Nothing Phone (3) will "
        "launch …",
    ]
    assert max(map(len, lines)) == 100


@sqlite_only
def test_a_wide_terminal_shortens_nothing(desk):
    lines = on_terminal(desk.url, 200, "list", "--as-of", "2025-06-01")
    assert UNPACKED in lines[1] and "Galaxy Unpacked July 2024" in lines[1]
    assert "Evan Blass (@evleaks)" in lines[1] and "…" not in "".join(lines)


@sqlite_only
def test_wrap_continues_the_claim_on_the_next_lines(desk):
    lines = on_terminal(desk.url, 100, "list", "--as-of", "2025-06-01", "--wrap")
    assert max(map(len, lines)) <= 100 and "…" not in "".join(lines)
    column = lines[0].index("CLAIM")
    first = "\n".join(lines[1:]).split("\n2 ")[0].split("\n")  # claim 1's lines
    assert len(first) > 1
    assert " ".join(line[column:].strip() for line in first) == UNPACKED
    assert [line[:column].split() for line in first] == [
        ["1", desk.json("show", "1")["handle"], "pending", "overdue", "Galaxy", "Evan", "Blass",
         "2024-07-31"],
        ["Unpacked", "(@evleaks)"],
        ["July", "2024"],
        [],  # the claim's own last line
    ]  # fmt: skip


@sqlite_only
def test_the_report_lists_make_room_for_the_claim_too(desk):
    lines = on_terminal(desk.url, 100, "report", "--as-of", "2024-07-20")
    pending = next(line for line in lines if line.startswith("  1   2024-07-31"))
    # the report's tables sit two spaces in, and count them
    assert pending == (
        "  1   2024-07-31  in 11 days  0.50    Evan Blas…  0     Samsung will hold Galaxy "
        "Unpacked in Brookl…"
    )
    assert len(pending) <= 100
    wrapped = on_terminal(desk.url, 100, "report", "--as-of", "2024-07-20", "--wrap")
    start = wrapped.index(next(line for line in wrapped if line.startswith("  1   2024")))
    assert wrapped[start - 1 : start + 4] == [
        "  ID  DUE         WHEN        LIKELY  SOURCE              LEAN  CLAIM",
        "  1   2024-07-31  in 11 days  0.50    Evan Blass          0     Samsung will hold "
        "Galaxy Unpacked in",
        "                                      (@evleaks)                Brooklyn on July 10 and "
        "show the",
        "                                                                Galaxy Z Fold 6 and Z "
        "Flip 6",
        "",
    ]


@sqlite_only
def test_piped_output_is_whole_with_or_without_wrap(desk):
    for args in (("list",), ("list", "--wrap"), ("report", "--as-of", "2024-07-20", "--wrap")):
        out = desk.ok(*args).stdout
        assert UNPACKED in out and "…" not in out
