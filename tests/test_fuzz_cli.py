"""Hypothesis feeds arbitrary text to every option and argument of every command (spec 6, 11).

Each command gets realistic values for what it needs (CLAIM "1" on a database with one claim
and one piece of evidence) and hypothesis text in one to three of its parameters: any code
point but surrogates (so NUL, control characters and U+202E too; CliRunner passes NUL, which
a real argv cannot), look-alikes of ids, numbers and dates, and now and then 5,000- to
100,000-character strings. Whatever the input:

- the exit code is 0, 1 or 2, never a traceback, never a Python exception;
- exit 1 is exactly one `Error: ...` line on stderr, and not the catch-all for bugs
  (`Error: unexpected ...`) nor a raw driver error (`Error: database error on ...`);
- a command that fails leaves every table's row count as it was.

Also: a garbage or foreign file given as the database is refused by every command and left
byte for byte as it was (tests/test_database.py covers four commands; this covers them all).

The commands run on SQLite and on PostgreSQL (fewer examples there: each command opens a
new connection, about twice SQLite's cost).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote, quote_plus

import click
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import assert_error, table_counts

from tracker.cli import main

EXAMPLES = {"sqlite": 150, "postgresql": 50, "mariadb": 50}


def leaf_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from leaf_commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


COMMANDS = dict(leaf_commands(main))


def fuzzable(command: click.Command) -> list[click.Parameter]:
    """Every parameter that takes a value (flags take none)."""
    return [p for p in command.params if not (isinstance(p, click.Option) and p.is_flag)]


# `serve` runs until it is stopped, and looks its --host up by name (DNS): tests/test_web.py
# gives it bad hosts, ports and databases in a real process instead.
UNFUZZED = {("serve",)}
FUZZ_CASES = [
    (path, param.name)
    for path, command in COMMANDS.items()
    if path not in UNFUZZED
    for param in fuzzable(command)
]


def test_there_is_something_to_fuzz_in_every_command_that_takes_values():
    assert {"add", "edit", "show", "list", "evidence", "history", "report", "import"} <= {
        path[0] for path, _ in FUZZ_CASES
    }
    # The parameterless ones still get fuzzed through the global options below.
    assert {path for path, command in COMMANDS.items() if not fuzzable(command)} <= {
        ("db", "upgrade"),
        ("db", "check"),
        ("db", "verify"),
    }


# -- what hypothesis types ------------------------------------------------------------------

CHARS = st.characters(codec="utf-8")  # every code point but surrogates: NUL, controls, U+202E
SPECIAL = [
    "", " ", "\t", "\n", "\x00", "a\x00b", "\u202e", "\u202egnp.exe", "\x1b[2J", "\r\n",
    "'; DROP TABLE claim; --", '" OR 1=1 --', "%", "_", "\\", "'", "-", "--", "-1", "-x",
    "0", "1", "01", " 1 ", "+1", "1.0", "2147483647", "2147483648", "9223372036854775808",
    "9" * 25, "1e309", "-1e309", "nan", "inf", "-0", "0.5", "1.5", "²", "٣", "１２", "0x10",
    "2022-02-30", "2022-07-04", "2022-7-4", "03/04/2022", "12.07.2022", "4 July 2022",
    "July 4, 2022", "May 17,2019", "July 2022", "Q3 2022", "Q5 2022", "H2 2022", "mid-2022",
    "late 2022", "by 2022-09-30", "by 1999-01-01", "today", "yesterday", "tomorrow",
    "next month", "next quarter", "end of the year", "in 3 months", "within 30 days",
    "July this year", "9999-12-31", "0001-01-01", "1899-12-31", "2201-01-01", "ß" * 150,
    "ﬃ" * 70, "--help", "-h", "head", "heads", "@", "~", "..", "confirmed", "pending",
    "official", "likely", "supports", "json", "csv", "html",
]  # fmt: skip
VALUES = st.one_of(
    st.text(CHARS, max_size=30),
    st.sampled_from(SPECIAL),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(str),
    st.dates().map(str),
    st.dates().map(lambda d: f"{d.day} {d:%B} {d.year}"),
    st.dates().map(lambda d: f"{d.month}/{d.day}/{d.year}"),
    st.builds(lambda c, n: c * n, CHARS, st.sampled_from([201, 5_001, 10_001, 100_000])),
)

# Values that name files are put under the test's own directory, so that no input, however
# odd ("/x", "~/x", ""), writes or reads outside it.
PATH_PARAMS = {"output", "directory", "files", "file"}


def realistic(path: tuple[str, ...], name: str, sandbox: Path) -> str | None:
    """A valid value for a parameter the command needs, or None to leave it out."""
    if name == "claim":
        return None if path == ("history",) else "1"
    if name == "files":
        return str(sandbox / "claims.json")
    if name == "file":
        return str(sandbox / "backup.db")
    return {
        ("add", "text"): "The phone launches in July",
        ("edit", "subject"): "Edited subject",
        ("evidence", "stance"): "supports",
        ("resolve", "status"): "confirmed",
        ("resolve", "reason"): "a reason",
        ("retract", "evidence_id"): "1",
        ("retract", "reason"): "a reason",
        ("withdraw", "reason"): "a reason",
        ("restore", "reason"): "a reason",
        ("db downgrade", "revision"): "head",
        ("source rename", "old"): "Maker",
        ("source rename", "new"): "Maker Inc.",
        ("source rename", "reason"): "a reason",
        ("source merge", "source"): "Maker",
        ("source merge", "into"): "Maker",
        ("source merge", "reason"): "a reason",
    }.get((" ".join(path), name))


def command_line(
    data: st.DataObject, path: tuple[str, ...], fuzzed: set[str], sandbox: Path
) -> tuple[list[str], list[str]]:
    """The command with realistic values, and hypothesis values for the `fuzzed` parameters;
    and the fuzzed file names and revisions (which a known bug prints raw)."""
    command = COMMANDS[path]
    options: list[str] = []
    arguments: list[str] = []
    raw: list[str] = []
    for param in fuzzable(command):
        if param.name in fuzzed:
            many = param.multiple or param.nargs == -1
            values = data.draw(st.lists(VALUES, min_size=1, max_size=3) if many else VALUES.map(
                lambda v: [v]
            ))  # fmt: skip
            if param.name in PATH_PARAMS:
                values = [f"{sandbox}/o{v}" for v in values]
            if param.name in PATH_PARAMS or param.name == "revision":
                raw += values
        else:
            value = realistic(path, param.name, sandbox)
            if value is None:
                continue
            values = [value]
        if isinstance(param, click.Argument):
            arguments += values
        else:
            for value in values:
                options += [param.opts[0], value]
    # `--` lets an argument that starts with a dash through; users do not always type it.
    separator = ["--"] if arguments and data.draw(st.booleans()) else []
    return [*path, *options, *separator, *arguments], raw


# -- what every run must satisfy --------------------------------------------------------------

BUG_SIGNS = ("Error: unexpected ", "Error: database error on ")
# What ends a line on a terminal.
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def check(
    result: Result,
    argv: list[str],
    *,
    bug_signs: bool = True,
    raw_ok: Sequence[str] = (),
    lines_ok: int = 1,
) -> None:
    """The contract. `raw_ok`: values a known bug prints raw (file names, revisions);
    `lines_ok`: the error lines a command may print (`watch`: one per failed source)."""
    short = [a if len(a) < 300 else a[:60] + "..." for a in argv]
    shown = f"argv={short!r}\nstdout={result.stdout[:2000]!r}\nstderr={result.stderr[:2000]!r}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        trace = "".join(traceback.format_exception(result.exception))
        raise AssertionError(f"{shown}\n{trace}")
    assert result.exit_code in (0, 1, 2), shown
    assert "Traceback" not in result.output, shown
    if result.exit_code == 1:
        assert result.stderr.startswith("Error: "), shown
        lines = LINE_BREAK.split(result.stderr.rstrip("\n"))
        if len(lines) > 1:  # see test_a_line_break_in_a_file_name_keeps_the_error_on_one_line
            breaks = sum(len(LINE_BREAK.findall(v)) for v in raw_ok)
            assert len(lines) - lines_ok <= breaks, shown
        if bug_signs:
            assert not lines[0].startswith(BUG_SIGNS), shown
    elif result.exit_code == 2:
        assert "Error:" in result.stderr, shown


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))  # exceptions caught: check() reports them


@pytest.fixture
def world(db_url, tmp_path, monkeypatch):
    """One claim with one piece of evidence, a file to import, and no reachable default server."""
    # A URL without a host must not reach a real server through libpq's defaults.
    for name, value in {"PGHOST": "127.0.0.1", "PGPORT": "9", "PGDATABASE": "none"}.items():
        monkeypatch.setenv(name, value)
    # No chdir: hypothesis keeps its example database under the working directory it first
    # sees. Every file name the fuzz makes is under `sandbox` instead.
    sandbox = tmp_path / "sandbox"
    sandbox.mkdir()
    (sandbox / "claims.json").write_text(
        json.dumps({"claims": [{"key": "imported", "text": "Imported", "said_on": "2022-05-23"}]})
    )
    for args in (
        ["add", "The phone launches in July", "--said-on", "2022-05-23", "--key", "launch",
         "--expected", "July 2022", "--source", "Maker", "--tag", "launch"],
        ["evidence", "1", "supports", "--on", "2022-06-28", "--note", "teaser"],
    ):  # fmt: skip
        result = run("--db", db_url, *args)
        assert result.exit_code == 0, result.output
    return db_url, sandbox


def fuzz_settings(backend: str):
    return settings(
        max_examples=EXAMPLES[backend],
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# -- every parameter of every command -------------------------------------------------------


@pytest.mark.parametrize(
    "path", sorted({path for path, _ in FUZZ_CASES}), ids=lambda path: "-".join(path)
)
def test_every_parameter_of_every_command_takes_any_text(world, backend, path):
    url, sandbox = world
    names = [param.name for param in fuzzable(COMMANDS[path])]

    @fuzz_settings(backend)
    @given(data=st.data())
    def fuzz(data):
        fuzzed = set(data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3)))
        argv, raw = command_line(data, path, fuzzed, sandbox)
        before = table_counts(url)
        result = run("--db", url, *argv)
        check(result, argv, raw_ok=raw, lines_ok=len(argv) if path == ("watch",) else 1)
        if result.exit_code != 0:
            assert table_counts(url) == before, argv

    fuzz()


GLOBAL_TARGETS = [
    ["list"], ["add", "x"], ["confirm", "1"], ["show", "1"], ["report", "--format", "html"],
    ["db", "upgrade"], ["db", "current"], ["db", "path"], ["db", "check"], ["sources"],
]  # fmt: skip


def test_the_actor_option_takes_any_text(world, backend):
    url, _ = world

    @fuzz_settings(backend)
    @given(actor=VALUES, target=st.sampled_from(GLOBAL_TARGETS))
    def fuzz(actor, target):
        before = table_counts(url)
        result = run("--db", url, "--by", actor, *target)
        check(result, ["--by", actor, *target])
        if result.exit_code != 0:
            assert table_counts(url) == before

    fuzz()


def test_the_database_option_takes_any_text(tmp_path, monkeypatch):
    """Any --db: a path (under this test's directory) or URL-ish text; never a traceback."""
    for name, value in {"PGHOST": "127.0.0.1", "PGPORT": "9", "PGDATABASE": "none"}.items():
        monkeypatch.setenv(name, value)
    schemes = ["", "sqlite:///", "postgresql://", "postgresql+psycopg://u:p@127.0.0.1:9/",
               "nosuch://", "mysql://", "://", "postgresql+psycopg://[", "sqlite://x@"]  # fmt: skip

    @settings(
        max_examples=120,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(scheme=st.sampled_from(schemes), value=VALUES, target=st.sampled_from(GLOBAL_TARGETS))
    def fuzz(scheme, value, target):
        # Paths (and SQLite URLs) always land under tmp_path.
        local = scheme in ("", "sqlite:///")
        value = f"{scheme}{tmp_path}/db-{value}" if local else scheme + value
        check(run("--db", value, *target), ["--db", value, *target], raw_ok=[value])

    fuzz()


def test_no_password_is_ever_printed_whatever_it_is(tmp_path):
    @settings(max_examples=60, deadline=None)
    @given(
        secret=st.text(CHARS, min_size=6, max_size=40),
        target=st.sampled_from(GLOBAL_TARGETS + [["seed"], ["export"], ["history"]]),
        host=st.sampled_from(["127.0.0.1:9", "[bad", "127.0.0.1:notaport"]),
    )
    def fuzz(secret, target, host):
        password = "Pw" + secret + "Pw"
        url = f"postgresql+psycopg://alice:{quote(password, safe='')}@{host}/claims"
        result = run("--db", url, *target)
        # A password no driver accepts (one with NUL, say) may give a driver error: the point
        # here is only that none of it is shown.
        check(result, ["--db", url, *target], bug_signs=False)
        for form in {password, quote(password, safe=""), quote_plus(password)}:
            assert form not in result.output, (form, result.output)

    fuzz()


# -- the bugs the fuzz found, pinned ------------------------------------------------------------


@pytest.mark.parametrize("ref", ["²", "¹²", "①", "1" * 5000], ids=["2", "12", "circled", "long"])
def test_claim_references_int_refuses_are_simply_not_found(tracker, ref):
    tracker.ok("add", "x")
    for args in (["show", ref], ["history", ref], ["confirm", ref], ["edit", ref, "--text", "y"]):
        assert_error(tracker(*args), "no claim")


@pytest.mark.parametrize("command", ["list", "history", "report"])
def test_a_huge_limit_is_clamped_or_refused_as_usage(tracker, command):
    tracker.ok("add", "x")
    result = tracker(command, "--limit", "99999999999999999999")
    assert result.exit_code in (0, 2), result.output


@pytest.mark.parametrize(
    "args",
    [
        args
        for args in (
            ["report", "--output", "a\x00b"],
            ["export", "--output", "a\x00b"],
            ["seed", "a\x00b"],
            ["--db", "a\x00b", "list"],
            ["--db", "sqlite:///a\x00b", "db", "upgrade"],
        )
    ]
    + [["import", "a\x00b"], ["import", "--dry-run", "a\x00b"]],
    ids=["report", "export", "seed", "db-path", "db-url", "import", "import-dry-run"],
)
def test_nul_in_a_file_name_is_refused_cleanly(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    if args[0] != "--db":
        args = ["--db", str(tmp_path / "t.db"), *args]
    result = run(*args)
    assert_error(result)
    assert "unexpected" not in result.stderr


@pytest.mark.parametrize("command", [["list"], ["add", "x"], ["db", "upgrade"], ["db", "current"]])
def test_an_over_long_database_path_is_refused_cleanly(tmp_path, command):
    result = run("--db", str(tmp_path / ("x" * 5000)), *command)
    assert_error(result)
    assert "unexpected" not in result.stderr


@pytest.mark.parametrize("url", ["sqlite://x.db", "sqlite://localhost/x.db", "sqlite://x@"])
def test_a_sqlite_url_with_a_host_is_refused_cleanly(tmp_path, monkeypatch, url):
    monkeypatch.chdir(tmp_path)
    result = run("--db", url, "list")
    assert_error(result)
    assert "unexpected" not in result.stderr


@pytest.mark.parametrize("host", ["host..com", "[\x80", "a" * 64 + ".example"])
def test_a_host_name_that_cannot_be_encoded_is_refused_cleanly(host):
    result = run("--db", f"postgresql+psycopg://u@{host}/db", "list")
    assert_error(result, "cannot connect")


@pytest.mark.parametrize("revision", ["", "@"])
def test_a_malformed_revision_is_refused_cleanly(tracker, revision):
    result = tracker("db", "downgrade", "--", revision)
    assert_error(result, "cannot migrate")


LINE_BREAK_IN_A_NAME = (
    "file names and revisions are put raw into error messages, so a line break in one splits"
    " the one `Error:` line: tracker/cli/output.py:open_output (`report --output"
    " 'no\\ndir/x'`, `export --output ...`: 'cannot write no<LF>dir/x: No such file or"
    " directory'), tracker/io/loading.py:seed_files (`seed 'no\\rdir'`), the importer"
    " (`import 'no\\nfile.json'`: '<path>: cannot read: ...'), tracker/schema_gate.py"
    " (`--db 'no\\ndir/x.db' list`: 'cannot create ...'; urls.display_url too: `--db"
    " 'postgresql://u@a\\nb/x' list`), tracker/migrate.py:_run (`db"
    " downgrade '\\n'`: alembic's 'Can't locate revision identified by '<LF>''); the rest of"
    " the tracker quotes values with !r"
)


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--output", "no\ndir/x"],
        ["export", "--output", "no\ndir/x"],
        ["seed", "no\rdir"],
        ["import", "no\nfile.json"],
        ["db", "downgrade", "\n"],
        ["--db", "no\ndir/x.db", "list"],
        ["--db", "postgresql://u@a\nb/x", "list"],
    ],
    ids=["report", "export", "seed", "import", "db-downgrade", "db-path", "db-url"],
)
def test_a_line_break_in_a_file_name_keeps_the_error_on_one_line(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    if args[0] != "--db":
        args = ["--db", str(tmp_path / "t.db"), *args]
    result = run(*args)
    assert result.exit_code == 1
    assert len(LINE_BREAK.split(result.stderr.rstrip("\n"))) == 1, result.stderr


def test_a_claim_reference_with_nul_is_simply_not_found(tracker):
    tracker.ok("add", "x")
    for args in (["show", "a\x00b"], ["history", "a\x00b"], ["confirm", "a\x00b"]):
        assert_error(tracker(*args), "no claim")


# -- garbage and foreign files as the database ------------------------------------------------

SQLITE_HEADER = b"SQLite format 3\x00"


def _sqlite(path: Path, *statements: str, wal: bool = False) -> None:
    conn = sqlite3.connect(path)
    try:
        if wal:
            conn.execute("PRAGMA journal_mode = WAL")
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()
    if wal:  # checkpointed and closed: the -wal and -shm files are gone
        assert not path.with_name(path.name + "-wal").exists()


FOREIGN_APP = (
    "CREATE TABLE recipes (name TEXT)",
    "INSERT INTO recipes VALUES ('bread')",
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
)


def make_database_file(kind: str, path: Path, template: Path) -> None:
    if kind == "text":
        path.write_bytes(b"hello, this is not a database\n" * 40)
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 8)
    elif kind == "utf-16":
        path.write_bytes("claims, not a database ✓\n".encode("utf-16") * 50)
    elif kind == "sqlite-header-then-garbage":
        path.write_bytes(SQLITE_HEADER + bytes(range(256)) * 16)
    elif kind == "truncated-tracker":
        path.write_bytes(template.read_bytes()[:1500])
    elif kind == "foreign-sqlite":
        _sqlite(path, "CREATE TABLE recipes (name TEXT)", "INSERT INTO recipes VALUES ('bread')")
    elif kind == "foreign-sqlite-wal":
        _sqlite(path, "CREATE TABLE notes (body TEXT)", "INSERT INTO notes VALUES ('x')", wal=True)
    elif kind == "other-alembic-app":
        _sqlite(path, *FOREIGN_APP, "INSERT INTO alembic_version VALUES ('ae1027a6acf')")
    elif kind == "other-alembic-app-at-0001":
        _sqlite(path, *FOREIGN_APP, "INSERT INTO alembic_version VALUES ('0001')")
    else:
        raise AssertionError(kind)


def every_command(sandbox: Path) -> list[list[str]]:
    file = sandbox / "claims.json"
    file.write_text(json.dumps({"claims": [{"text": "x", "said_on": "2022-05-23"}]}))
    article = sandbox / "article.txt"
    article.write_text("date 2022-05-23\n\nXiaomi said the phone will launch in July.\n")
    commands = [
        ["list"], ["list", "--as-of", "2022-06-01"], ["add", "x"], ["show", "1"],
        ["edit", "1", "--text", "y"], ["evidence", "1", "supports"], ["confirm", "1"],
        ["refute", "1"], ["resolve", "1", "confirmed", "--reason", "r"],
        ["retract", "1", "--reason", "r"], ["withdraw", "1", "--reason", "r"],
        ["restore", "1", "--reason", "r"], ["link", "1", "duplicates", "2"],
        ["unlink", "1", "duplicates", "2", "--reason", "r"], ["undo"], ["history"],
        ["history", "1"], ["report"],
        ["report", "--format", "html", "--output", str(sandbox / "r.html")], ["sources"],
        ["due"], ["serve", "--port", "0"], ["extract", str(article), "--add"],
        ["seed"], ["export"], ["export", "--output", str(sandbox / "e.json")],
        ["import", str(file)], ["import", str(file), "--dry-run"], ["db", "upgrade"],
        ["db", "downgrade", "base"], ["db", "downgrade", "head"], ["db", "current"],
        ["db", "check"], ["db", "path"], ["db", "verify"],
        ["db", "backup", str(sandbox / "b.db")],
        ["watch", str(file)], ["feeds", "add", str(file)], ["feeds", "list"],
        ["feeds", "remove", str(file)], ["inbox"], ["inbox", "accept", "1"],
        ["inbox", "reject", "1"],
        ["source", "rename", "Maker", "Maker Inc.", "--reason", "r"],
        ["source", "merge", "Maker", "Other", "--reason", "r"],
    ]  # fmt: skip
    groups = {name for name, command in main.commands.items() if isinstance(command, click.Group)}
    covered = {tuple(args[:2]) if args[0] in groups else (args[0],) for args in commands}
    assert set(COMMANDS) <= covered, set(COMMANDS) - covered
    return commands


# What each kind of file is refused as. A truncated tracker database is a tracker database,
# damaged: "database disk image is malformed" says so.
GARBAGE = {
    "text": "not a tracker database",
    "binary": "not a tracker database",
    "utf-16": "not a tracker database",
    "sqlite-header-then-garbage": "not a tracker database",
    "foreign-sqlite": "not a tracker database",
    "foreign-sqlite-wal": "not a tracker database",
    "truncated-tracker": "malformed",
}


@pytest.mark.parametrize("kind", list(GARBAGE))
def test_a_garbage_or_foreign_database_file_is_refused_by_every_command(
    tmp_path, sqlite_template, kind
):
    sandbox = tmp_path / "sandbox"
    sandbox.mkdir()
    folder = tmp_path / "db"
    folder.mkdir()
    path = folder / "claims.db"
    make_database_file(kind, path, sqlite_template)
    content = path.read_bytes()
    for args in every_command(sandbox):
        result = run("--db", str(path), *args)
        if args[:2] == ["db", "path"]:
            check(result, args)
            assert result.stdout == f"{path}\n"
        else:
            assert_error(result, GARBAGE[kind])
            assert result.stdout == "", (args, result.stdout)
        assert path.read_bytes() == content, args
        assert [p.name for p in folder.iterdir()] == ["claims.db"], args
    assert not (sandbox / "r.html").exists() and not (sandbox / "e.json").exists()


@pytest.mark.parametrize(
    "kind",
    [
        "other-alembic-app",
        "other-alembic-app-at-0001",
    ],
)
def test_another_alembic_apps_database_is_refused_and_untouched(tmp_path, sqlite_template, kind):
    sandbox = tmp_path / "sandbox"
    sandbox.mkdir()
    folder = tmp_path / "db"
    folder.mkdir()
    path = folder / "claims.db"
    make_database_file(kind, path, sqlite_template)
    content = path.read_bytes()
    for args in every_command(sandbox):
        result = run("--db", str(path), *args)
        if args[:2] == ["db", "path"]:
            check(result, args)
        else:
            # Its revision id may even look like ours: the missing history table tells.
            assert_error(result, "not a tracker database")
            assert "cannot connect" not in result.stderr, (args, result.stderr)
        assert path.read_bytes() == content, args
        assert [p.name for p in folder.iterdir()] == ["claims.db"], args
