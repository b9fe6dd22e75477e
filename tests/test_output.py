"""Where output goes (design.md §1): `--output` files, symlinks, FIFOs and devices, `-`, and a
reader that stops early. Real processes where the point is a real pipe."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from support import assert_error

sqlite_only = pytest.mark.parametrize("backend", ["sqlite"])  # files, not databases

WRITERS = [("export",), ("report", "--format", "html")]


@sqlite_only
@pytest.mark.parametrize("command", WRITERS)
def test_output_dash_is_standard_output(tracker, tmp_path, monkeypatch, command):
    tracker.ok("seed")
    monkeypatch.chdir(tmp_path)
    result = tracker.ok(*command, "--output", "-")
    assert result.stdout == tracker.ok(*command).stdout
    assert not (tmp_path / "-").exists()


@sqlite_only
@pytest.mark.parametrize("command", WRITERS)
def test_a_symlink_is_written_through_to_its_target(tracker, tmp_path, command):
    tracker.ok("seed")
    target = tmp_path / "real" / "out.txt"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    tracker.ok(*command, "--output", str(link))
    assert link.is_symlink() and link.resolve() == target
    expected = tracker.ok(*command).stdout
    assert target.read_text(encoding="utf-8") == expected
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]  # no temporary file left


@sqlite_only
@pytest.mark.parametrize("command", WRITERS)
def test_a_fifo_is_written_as_a_stream_and_stays_a_fifo(tracker, tmp_path, command):
    tracker.ok("seed")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    tracker.ok(*command, "--output", str(fifo))
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received[0].decode("utf-8") == tracker.ok(*command).stdout


@sqlite_only
def test_a_device_is_written_to_and_never_replaced(tracker):
    tracker.ok("seed")
    tracker.ok("export", "--output", os.devnull)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@sqlite_only
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="this system has no /dev/full")
def test_a_full_device_is_a_clear_error_and_stays_a_device(tracker):
    """As root, the first wave replaced /dev/full with a regular file."""
    tracker.ok("seed")
    for command in WRITERS:
        assert_error(tracker(*command, "--output", "/dev/full"), "the disk is full")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


# -- a reader that stops early ----------------------------------------------------------------

PIPED = [
    ("list",),
    ("list", "--format", "json"),
    ("history",),
    ("history", "--format", "csv"),
    ("report", "--limit", "0"),
    ("report", "--format", "json"),
    ("report", "--format", "markdown", "--limit", "0"),
    ("export",),
    ("export", "--format", "csv"),
    ("show", "many-1"),
    ("sources",),
]


@pytest.fixture(scope="module")
def big_database(tmp_path_factory, sqlite_template) -> str:
    """Enough claims that every listing overflows a pipe's buffer (64 KB)."""
    import shutil

    from click.testing import CliRunner

    from tracker.cli import main

    folder = tmp_path_factory.mktemp("big")
    path = folder / "big.db"
    shutil.copyfile(sqlite_template, path)
    records = folder / "claims.jsonl"
    lines = [
        json.dumps({
            "key": f"many-{n}", "text": f"Claim number {n} about a phone " + "x" * 60,
            "source": f"Source {n % 50}", "said_on": "2024-01-01", "expected": "Q3 2024",
            "evidence": [{"stance": "supports", "on": "2024-02-01", "note": f"note {n}"}],
        })
        for n in range(3000)
    ]  # fmt: skip
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--db", str(path), "import", str(records)])
    assert result.exit_code == 0, result.output
    return str(path)


@pytest.mark.parametrize("command", PIPED, ids=" ".join)
def test_a_reader_that_stops_early_ends_the_command_quietly(big_database, command):
    """`tracker list | head -1`: no `Error:` line and no traceback, exit 0 or 141."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", big_database, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.read(20)
    process.stdout.close()  # as `head` does once it has its line
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) in (0, 141), stderr
    assert first and stderr == ""


def tracker_process(database: str, *args: str, **popen) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tracker", "--db", database, *args],
        capture_output=popen.pop("capture_output", True), timeout=60, **popen,
    )  # fmt: skip


@sqlite_only
def test_dev_stdout_appends_where_standard_output_goes(tracker, tmp_path):
    """`tracker report --output /dev/stdout >> log`: written at the descriptor, not replaced."""
    tracker.ok("seed")
    log = tmp_path / "log.txt"
    log.write_text("BEFORE\n")
    with log.open("a") as out:
        done = tracker_process(tracker.url, "report", "--output", "/dev/stdout", stdout=out,
                               stderr=subprocess.PIPE, capture_output=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    written = log.read_text(encoding="utf-8")
    assert written.startswith("BEFORE\nClaim report as of ") and written.count("BEFORE") == 1
    piped = tracker_process(tracker.url, "export", "--output", "/dev/stdout")
    assert piped.returncode == 0 and piped.stdout.startswith(b'{"claims": [')
    to_stderr = tracker_process(tracker.url, "report", "--output", "/dev/stderr")
    assert to_stderr.stderr.decode().startswith("Claim report as of")


@sqlite_only
def test_the_database_itself_is_never_an_output(tracker):
    tracker.ok("seed")
    for command in WRITERS:
        assert_error(tracker(*command, "--output", tracker.url), "is the database itself")
    assert len(tracker.json("list")) == 4


@sqlite_only
def test_an_empty_output_name_is_a_usage_error(tracker):
    assert_error(tracker("export", "--output", ""), "a file name is needed", code=2)


@sqlite_only
def test_closed_standard_output_is_an_error_not_a_traceback(tracker):
    tracker.ok("seed")
    done = tracker_process(tracker.url, "export", stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, capture_output=False,
                           preexec_fn=lambda: os.close(1))  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.decode() == "Error: standard output is closed; give --output FILE\n"
    listed = tracker_process(tracker.url, "list", stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, capture_output=False,
                             preexec_fn=lambda: os.close(1))  # fmt: skip
    assert b"Traceback" not in listed.stderr


@sqlite_only
def test_an_argument_that_is_not_utf8_is_a_usage_error(tracker):
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"tracker", b"--db", tracker.url.encode(), b"list",
         b"--search", b"\xff"], capture_output=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.decode().splitlines()[-1] == "Error: '\\\\udcff' is not UTF-8 text"
