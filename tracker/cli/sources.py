"""`source rename` and `source merge`: one source under a new name, or two sources as one."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

import click

from tracker.cli.app import App, pass_app
from tracker.cli.options import output_format
from tracker.cli.writing import by_option
from tracker.render.json_csv import emit_json
from tracker.render.terminal import displayed, say

if TYPE_CHECKING:
    from tracker.ledger.sources import Moved


@click.group("source")
def source_group() -> None:
    """Rename a source, or merge two that are one ("Take-Two" and "Take-Two Interactive").

    Both are history: every claim whose source, or whose evidence's source, changes
    records it, exports and imports carry it, and `db verify` checks it. The old name
    still finds the source, in `list --source` and in files imported later.

    \b
    Example:
      tracker source rename "Kuo" "Ming-Chi Kuo" --reason "full name"
      tracker source merge "Take-Two" "Take-Two Interactive" --reason "one company"
    """


def _said(moved: Moved, fmt: str) -> None:
    if fmt == "json":
        shape = asdict(moved)
        return emit_json({"event": shape.pop("kind"), **shape})
    old, new = displayed(moved.old), displayed(moved.new)
    counts = (
        f"{moved.claims} claim{'' if moved.claims == 1 else 's'} and {moved.evidence} evidence; "
        f"{moved.histories} histor{'y records' if moved.histories == 1 else 'ies record'} it"
    )
    if moved.kind == "source_renamed":
        say(f"Renamed source {old!r} to {new!r} ({counts}); {old!r} still finds it")
    else:
        say(f"Merged source {old!r} into {new!r} ({counts}); {old!r} now finds {new!r}")


@source_group.command("rename")
@click.argument("old")
@click.argument("new")
@click.option("--reason", required=True, help="Why (kept in the history of every claim).")
@output_format("text", "json")
@by_option
@pass_app
def source_rename(app: App, old: str, new: str, reason: str, fmt: str) -> None:
    """Call source OLD NEW from now on: its claims and evidence show NEW, and OLD still
    finds it. NEW may not name another source (merge the two instead).

    \b
    Example:
      tracker source rename "Kuo" "Ming-Chi Kuo" --reason "full name"
      tracker source rename "xiaomi" "Xiaomi" --reason "capital X"
    """
    from tracker.commands.sources import rename_source

    _said(app.write(lambda s: rename_source(s, old, new, reason=reason, actor=app.actor,
                                            today=app.today)), fmt)  # fmt: skip


@source_group.command("merge")
@click.argument("source", metavar="FROM")
@click.argument("into")
@click.option("--reason", required=True, help="Why (kept in the history of every claim).")
@output_format("text", "json")
@by_option
@pass_app
def source_merge(app: App, source: str, into: str, reason: str, fmt: str) -> None:
    """Make FROM part of INTO: FROM's claims and evidence are INTO's, `sources` shows one
    track record, and FROM (with its other names) finds INTO from now on.

    \b
    Example:
      tracker source merge "Take-Two" "Take-Two Interactive" --reason "one company"
    """
    from tracker.commands.sources import merge_source

    _said(app.write(lambda s: merge_source(s, source, into, reason=reason, actor=app.actor,
                                           today=app.today)), fmt)  # fmt: skip


COMMANDS = [source_group]
