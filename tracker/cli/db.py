"""The database itself: migrations, where it is, and the bundled seeds."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli.app import App, pass_app
from tracker.cli.options import output_format
from tracker.cli.params import FilePath
from tracker.cli.writing import by_option
from tracker.render.json_csv import emit_json
from tracker.render.terminal import say

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@click.group("db")
def db_group() -> None:
    """Migrate the database and say where it is.

    \b
    Example:
      tracker --db postgresql://tracker@db.example/tracker db upgrade
      tracker db path
    """


@db_group.command("upgrade")
@pass_app
def db_upgrade(app: App) -> None:
    """Migrate the database to this tracker's schema (creates it if empty).

    \b
    Example:
      tracker --db postgresql://tracker@localhost/claims db upgrade
    """
    from tracker.db import schema_gate

    database = app.unchecked_database
    before, after = schema_gate.upgrade(database, "head")
    if before == after:
        click.echo(f"{database.display} is already at revision {after}")
    else:
        click.echo(f"Upgraded {database.display} from revision {before or 'none'} to {after}")


@db_group.command("downgrade")
@click.argument("revision")
@pass_app
def db_downgrade(app: App, revision: str) -> None:
    """Migrate the database back to REVISION ('base' removes every table).

    \b
    Example:
      tracker db downgrade base
    """
    from tracker.db import schema_gate

    database = app.unchecked_database
    before, after = schema_gate.downgrade(database, revision)
    click.echo(f"Downgraded {database.display} from revision {before} to {after or 'base'}")


@db_group.command("current")
@output_format("text", "json")
@pass_app
def db_current(app: App, fmt: str) -> None:
    """Show the database's schema revision and whether it is current.

    \b
    Example:
      tracker db current --format json
    """
    from tracker.db import schema_gate
    from tracker.db.models import SCHEMA_REVISION

    database = app.unchecked_database
    if database.is_sqlite:
        # a foreign file is refused; a new one is created only at the default location
        schema_gate.open_for(database, write=False)
    revision = schema_gate.read_schema(database).revision
    shape = {
        "database": database.display,
        "revision": revision,
        "head": SCHEMA_REVISION,
        "current": revision == SCHEMA_REVISION,
    }
    if fmt == "json":
        return emit_json(shape)
    state = "current" if shape["current"] else "behind: run `tracker db upgrade`"
    click.echo(f"{revision or 'none'} ({state})")


@db_group.command("path")
@output_format("text", "json")
@pass_app
def db_path(app: App, fmt: str) -> None:
    """Show which database the tracker uses (a file path, or the URL without password).

    \b
    Example:
      TRACKER_DB=claims.db tracker db path
    """
    display = app.unchecked_database.display
    if fmt == "json":
        return emit_json({"database": display})
    click.echo(display)


@db_group.command("check")
@pass_app
def db_check(app: App) -> None:
    """Verify the database: schema at head, every claim's status equal to the
    replay of its history, and each event starting from the status the one before
    it ended in (`db verify` also recomputes the hash chains).

    Prints each problem found and exits 1 if there is any.

    \b
    Example:
      tracker --db postgresql://tracker@db.example/claims db check
    """
    from tracker.errors import TrackerError
    from tracker.ledger import integrity

    def work(session: Session) -> tuple[list[str], tuple[int, int]]:
        return list(integrity.problems(session)), integrity.counts(session)

    found, (claims, events) = app.read(work)
    for problem in found:
        click.echo(problem)
    if found:
        raise TrackerError(f"{len(found)} problem(s) in {claims} claims and {events} events")
    shown = app.unchecked_database.display
    click.echo(f"{shown}: {claims} claims and {events} events agree with their history")


@db_group.command("verify")
@pass_app
def db_verify(app: App) -> None:
    """Verify that the history is exactly what was recorded: recompute every claim's
    hash chain and every replayed status, and print the digest over all chains.

    Exits 1 naming the first event that does not match (a row changed behind the
    tracker's back, an event deleted or moved). Note the digest: the same digest later
    says nothing was lost, a claim deleted whole included.

    \b
    Example:
      tracker --db postgresql://tracker@db.example/claims db verify
    """
    from tracker.errors import TrackerError
    from tracker.ledger import integrity
    from tracker.ledger.verify import Verdict, verify

    def work(session: Session) -> tuple[Verdict, list[str]]:
        return verify(session), list(integrity.problems(session))

    verdict, replayed = app.read(work)
    found = verdict.problems + replayed
    for problem in found:
        click.echo(problem)
    if found:
        raise TrackerError(
            f"{len(found)} problem(s) in {verdict.claims} claims and {verdict.events} events"
        )
    shown = app.unchecked_database.display
    click.echo(f"{shown}: {verdict.claims} claims and {verdict.events} events verified")
    click.echo(f"digest {verdict.digest}")


@db_group.command("backup")
@click.argument("file", type=FilePath(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace FILE if it exists (an earlier backup).")
@pass_app
def db_backup(app: App, file: str, force: bool) -> None:
    """Write a consistent copy of the database to FILE while others go on writing: a
    SQLite database (SQLite's online backup), or an export-shaped JSON file (other
    backends). An existing FILE is kept unless --force. `tracker import FILE` restores
    either kind into an empty database, whatever FILE is called.

    \b
    Example:
      tracker db backup ~/backups/claims-$(date +%F).db
      tracker --db postgresql://tracker@db.example/claims db backup claims.json
    """
    import os

    from tracker.cli.output import open_output
    from tracker.errors import TrackerError

    app.check_output(file)
    # A regular file (through a symlink too) is an earlier backup; a FIFO or a device is
    # written to, never replaced.
    if not force and file != "-" and os.path.isfile(file):
        raise TrackerError(f"{file} already exists; give --force to replace it")
    database = app.opened(write=False)
    if database.is_sqlite and database.url.database not in (None, "", ":memory:"):
        from tracker.db.backup import sqlite_backup

        sqlite_backup(database.url.database, file)
        click.echo(f"Backed up {database.display} to {file} (a SQLite database)")
        return
    from tracker.io import export
    from tracker.io.writers import WRITERS

    with open_output(file) as out:
        written = app.read(lambda s: WRITERS["json"](out, export.items(s, "json", today=app.today)))
    click.echo(f"Backed up {written} claims from {database.display} to {file} (an export; "
               "`tracker import` restores it)")  # fmt: skip


@click.command("seed")
@click.argument("directory", required=False, type=FilePath(file_okay=False, path_type=Path))
@by_option
@pass_app
def db_seed(app: App, directory: Path | None) -> None:
    """Load the bundled seed claims (or the claim files in DIRECTORY); safe to repeat.

    \b
    Example:
      tracker seed && tracker list
    """
    from tracker.io.loading import bundled_seeds, load_files, seed_files

    files = seed_files(directory or bundled_seeds())
    tally = app.write(lambda s: load_files(s, files, actor=app.actor, today=app.today))
    names = ", ".join(p.name for p in files)
    say(f"Seeded from {names}: {tally}")


COMMANDS = [db_group, db_seed]
