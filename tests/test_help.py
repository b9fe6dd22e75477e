"""Every command explains itself: help text with an example, and a working --version."""

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from tracker import __version__
from tracker.cli import main


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


COMMANDS = sorted(all_commands(main), key=lambda item: item[0])
SPEC_COMMANDS = {
    "add", "evidence", "confirm", "refute", "resolve", "retract", "edit", "show", "list",
    "history", "seed", "db", "db upgrade", "db downgrade", "db current", "db path",
}  # fmt: skip


def test_every_spec_command_exists():
    assert {" ".join(path) for path, _ in COMMANDS} >= SPEC_COMMANDS


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help_with_an_example(path, command):
    assert command.help and "Example:" in command.help, f"tracker {' '.join(path)} lacks help"
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    summary = command.help.split("\n\n")[0]
    assert " ".join(summary.split()) in " ".join(result.output.split())
    for param in command.params:
        if isinstance(param, click.Option) and param.name not in ("help",):
            assert param.help, f"tracker {' '.join(path)} {param.opts[0]} has no help"


def test_version_and_module_entry_point():
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout == f"tracker, version {__version__}\n"


def test_help_does_not_import_sqlalchemy():
    """`tracker --help` must stay fast: SQLAlchemy and Alembic load only for real work."""
    code = (
        "import sys; from tracker.cli import main\n"
        "try: main(['--help'])\nexcept SystemExit: pass\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
