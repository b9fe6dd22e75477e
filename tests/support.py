"""Helpers shared by the tests and their fixtures (pytest puts this folder on sys.path;
conftest.py holds the fixtures only)."""

import importlib
import os
import shutil
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any, NoReturn

import pytest
from click.testing import CliRunner, Result

from tracker.cli import main

# The fixture of each server backend.
SERVERS = {"postgresql": "postgres", "mariadb": "mariadb"}
# Files the tests read (tests/data/README.md says what each one is).
DATA = Path(__file__).resolve().parent / "data"


def in_ci() -> bool:
    """A CI run (CI set, or a server to test on): what a test needs must be there."""
    return bool(os.environ.get("CI") or os.environ.get("TRACKER_TEST_POSTGRES_URL"))


def unavailable(what: str) -> NoReturn:
    """A test cannot run without `what`: in CI that fails the run; elsewhere it skips,
    saying why (pytest's -rs prints it)."""
    if in_ci():
        pytest.fail(f"{what} (CI must have it)", pytrace=False)
    pytest.skip(what, allow_module_level=True)


def installed(module: str, extra: str) -> ModuleType:
    """`module`, which the test extra installs (through `extra`); as `unavailable` if not."""
    try:
        return importlib.import_module(module)
    except ImportError:
        unavailable(f"{module} is not installed (pip install -e '.[{extra}]')")


def data_file(name: str) -> Path:
    """A file of tests/data: missing means a broken checkout, never a quiet skip in CI."""
    path = DATA / name
    if not path.is_file():
        unavailable(f"tests/data/{name} is missing from this checkout")
    return path


def chromium() -> str:
    """The OS's Chromium, for the tests that render a page in a real browser."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        unavailable("no chromium here (Debian package: chromium)")
    return found


@dataclass
class Tracker:
    """Runs `tracker --db URL ...` in-process, as a user would type it."""

    url: str

    def __call__(self, *args: str, input: str | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(main, ["--db", self.url, *args], input=input, catch_exceptions=False)

    def ok(self, *args: str, input: str | None = None) -> Result:
        result = self(*args, input=input)
        assert result.exit_code == 0, result.output
        return result

    def json(self, *args: str) -> Any:  # whatever JSON the command printed
        import json

        return json.loads(self.ok(*args, "--format", "json").stdout)


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


TABLES = (
    "alembic_version", "source", "article", "claim", "claim_tag", "evidence", "claim_event",
    "claim_link", "changeset",
)  # fmt: skip


def table_counts(url: str) -> dict[str, int | None]:
    """Rows in each tracker table (None: the table is missing), read outside the tracker:
    one query, on an engine kept for the URL (a new engine asks a server who it is first)."""
    from sqlalchemy import inspect

    with _engine(url).connect() as conn:
        present = [table for table in TABLES if table in set(inspect(conn).get_table_names())]
        counts = ", ".join(f"(SELECT count(*) FROM {table})" for table in present)
        row = conn.exec_driver_sql(f"SELECT {counts}").one() if present else ()
    found = dict(zip(present, row, strict=True))
    return {table: found.get(table) for table in TABLES}


_ENGINES: OrderedDict[str, Any] = OrderedDict()


def _engine(url: str) -> Any:
    """An engine for `url` that keeps no connection between uses (a test's database is
    dropped at its end); the last few are kept."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from tracker.db.urls import resolve_url

    if url not in _ENGINES:
        _ENGINES[url] = create_engine(resolve_url(url), poolclass=NullPool)
        while len(_ENGINES) > 8:
            _ENGINES.popitem(last=False)
    _ENGINES.move_to_end(url)
    return _ENGINES[url]


def png_pixels(path: str | os.PathLike[str]) -> tuple[int, int, list[list[tuple[int, ...]]]]:
    """(width, height, rows of RGB(A) pixels) of an 8-bit, non-interlaced PNG, such as a
    Chromium screenshot: enough to look at one without an imaging library."""
    import struct
    import zlib

    data = open(path, "rb").read()  # noqa: SIM115
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, chunks = 8, {}
    idat = b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IDAT":
            idat += body
        else:
            chunks[kind] = body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert depth == 8 and interlace == 0 and colour in (2, 6), (depth, colour, interlace)
    size = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * size
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - size] if i >= size else 0
            up, corner = previous[i], previous[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                near = min((abs(guess - left), 0, left), (abs(guess - up), 1, up),
                           (abs(guess - corner), 2, corner))  # fmt: skip
                line[i] = (line[i] + near[2]) & 255
        rows.append([tuple(line[x : x + 3]) for x in range(0, stride, size)])
        previous = line
    return width, height, rows


class PinnedClock:
    """`tracker.clock` held at a chosen local date and UTC instant (noon of that day)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        from tracker import clock

        self.now = datetime(2024, 1, 1, 12)
        monkeypatch.setattr(clock, "today", lambda: self.now.date())
        monkeypatch.setattr(clock, "utcnow", lambda: self.now)

    def set(self, day: str, time: str = "12:00") -> None:
        self.now = datetime.fromisoformat(f"{day}T{time}")
