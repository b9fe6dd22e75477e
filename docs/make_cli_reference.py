"""Write docs/cli.md, the command reference, from every command's `--help`.

Run `python docs/make_cli_reference.py` after changing a command, an option or a help
text. `--check` writes nothing and exits 1 when docs/cli.md differs from what the
commands say now (tests/test_docs.py runs it, so the reference cannot go stale). The
help is rendered at a fixed width of 80 columns, so the page is the same on every
terminal.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from tracker.cli import main

REFERENCE = Path(__file__).resolve().parent / "cli.md"
WIDTH = 80

HEADER = """\
# Command reference

Every command's `--help`, as `tracker` prints it. This page is generated: do not edit it,
run `python docs/make_cli_reference.py` (a test fails while it is out of date). How the
commands work together is in the README; why the code is shaped as it is, in
[design.md](design.md).
"""


def commands(
    command: click.Command, path: tuple[str, ...], parent: click.Context | None
) -> Iterator[tuple[tuple[str, ...], str]]:
    """(path, help text) of `command` and of every command under it, in name order."""
    # As click lays it out on an 80-column terminal (it keeps two columns spare).
    settings = {**command.context_settings, "terminal_width": WIDTH - 2}
    context = click.Context(command, info_name=path[-1], parent=parent, **settings)
    yield path, command.get_help(context)
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from commands(command.commands[name], (*path, name), context)


def reference() -> str:
    sections = [HEADER]
    entries = list(commands(main, ("tracker",), None))
    sections.append("\n".join(f"- [`{' '.join(p)}`](#{'-'.join(p)})" for p, _ in entries) + "\n")
    for path, text in entries:
        anchor, title = "-".join(path), " ".join(path)
        sections.append(f'<a id="{anchor}"></a>\n\n## {title}\n\n```\n{text}\n```\n')
    return "\n".join(sections)


def main_() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    arguments = parser.parse_args()
    now = reference()
    current = REFERENCE.read_text(encoding="utf-8") if REFERENCE.exists() else ""
    if current == now:
        return 0
    if not arguments.check:
        REFERENCE.write_text(now, encoding="utf-8")
        print(f"wrote {REFERENCE.relative_to(REFERENCE.parent.parent)}")
        return 0
    diff = difflib.unified_diff(
        current.splitlines(), now.splitlines(), "docs/cli.md", "now", lineterm=""
    )
    print("\n".join(list(diff)[:60]))
    print("docs/cli.md is out of date: run python docs/make_cli_reference.py", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main_())
