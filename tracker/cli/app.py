"""The `tracker` group and what every command shares: the `App` (who is acting, today,
the database), and `TrackerGroup.invoke`, the one place an error becomes `Error: ...`
and exit 1."""

from __future__ import annotations

import errno
import getpass
import os
import sys
from collections.abc import Callable
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tracker import __version__
from tracker.errors import Terminated, TrackerError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.db.database import Database
    from tracker.queries.timeline import Timeline

T = TypeVar("T")
INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C
TERMINATED = 143  # 128 + SIGTERM


class App:
    """What every command gets: who is acting, today's date, and the database."""

    def __init__(self, db: str | None, actor: str):
        self.db_option = db
        self.actor = actor
        self._checked = False
        self.saved = False  # a write committed: an error after it must not say "nothing"
        from tracker import clock

        self.today: date = clock.today()

    def opened(self, *, write: bool) -> Database:
        """The database, checked (once) to be a tracker database at this schema. Only a
        write creates a new SQLite file at a path given with --db or TRACKER_DB; a read
        there is refused (schema_gate.open_for)."""
        from tracker.db import schema_gate

        database = self.unchecked_database
        if not self._checked:
            schema_gate.open_for(database, write=write)
            self._checked = True
        return database

    @cached_property
    def unchecked_database(self) -> Database:
        """The database for `db` commands, which migrate or inspect it."""
        from tracker.db.database import Database
        from tracker.db.urls import resolve_url

        return Database(
            resolve_url(self.db_option), on_wait=lambda line: click.echo(line, err=True)
        )

    def timeline(self, as_of: date | None, known_on: date | None) -> Timeline:
        """When a read looks at the claims: --as-of and --known-on."""
        from tracker.queries.timeline import Timeline

        return Timeline(self.today, as_of, known_on)

    def check_output(self, output: str | None) -> None:
        """Refuse an --output that is this SQLite database (or its journal): it would be
        replaced by the export or the report."""
        if output in (None, "-") or not self.unchecked_database.is_sqlite:
            return
        database = self.unchecked_database.url.database
        if not database or database == ":memory:":
            return
        mine = {os.path.realpath(database + suffix) for suffix in ("", "-wal", "-shm", "-journal")}
        if os.path.realpath(output) in mine:
            raise TrackerError(f"--output {output} is the database itself; choose another file")

    def read(self, work: Callable[[Session], T]) -> T:
        return self.opened(write=False).run(work, write=False)

    def write(self, work: Callable[[Session], T], *, dry_run: bool = False) -> T:
        """`work` in one write transaction; a dry run does it all, then rolls it back
        (and, changing nothing, creates no database)."""
        done = self.opened(write=not dry_run).run(work, write=True, dry_run=dry_run)
        self.saved = self.saved or not dry_run
        return done

    def close(self) -> None:
        if "unchecked_database" in self.__dict__:
            self.unchecked_database.release()


pass_app = click.make_pass_decorator(App)


class TrackerGroup(click.Group):
    """Turns every failure into one `Error: ...` line: never a traceback."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        for arg in args:
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError:  # bytes the locale could not decode: not text
                shown = arg.encode("utf-8", "backslashreplace").decode("ascii", "replace")
                raise click.UsageError(f"{shown!r} is not UTF-8 text", ctx) from None
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            # One line, whatever a file name or a driver put in the message; a file's bad
            # records (BadRecords) one line each below it.
            lines = [str(exc), *getattr(exc, "details", ())]
            message = "\n  ".join(line.replace("\r", "\\r").replace("\n", "\\n") for line in lines)
            raise click.ClickException(message) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, EOFError):
            raise
        except BrokenPipeError:  # `tracker list | head -1`: the reader has all it wants
            from tracker.cli.output import SIGPIPE_EXIT, silence_stdout

            silence_stdout()
            raise click.exceptions.Exit(SIGPIPE_EXIT) from None
        except KeyboardInterrupt as exc:  # the transaction was rolled back on the way out
            # (or, for a MariaDB migration, the revision undone: it says what is left),
            # unless it had committed and the command was printing what it did
            killed = isinstance(exc, Terminated)
            what = "Terminated" if killed else "Interrupted"
            saved = isinstance(ctx.obj, App) and ctx.obj.saved
            said = str(exc) or ("the change was saved" if saved else "nothing was written")
            click.echo(f"{what}: {said}.", err=True)
            raise click.exceptions.Exit(TERMINATED if killed else INTERRUPTED) from None
        except OSError as exc:
            if exc.errno == errno.ENOSPC:  # standard output on a full disk (or /dev/full)
                if isinstance(ctx.obj, App) and ctx.obj.saved:
                    raise click.ClickException(
                        "the disk is full: the change was saved, but what it printed was not"
                    ) from None
                raise click.ClickException("the disk is full; nothing was changed") from None
            return self._unexpected(exc)
        except Exception as exc:
            return self._unexpected(exc)

    def _unexpected(self, exc: Exception) -> Any:
        """A bug: still one line, the details on request."""
        if os.environ.get("TRACKER_DEBUG"):
            raise exc
        message = " ".join(str(exc).split())[:300]
        raise click.ClickException(
            f"unexpected {type(exc).__name__}: {message} (set TRACKER_DEBUG=1 for details)"
        ) from None


def _default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (some containers)
        return "unknown"


@click.group(cls=TrackerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="URL",
    help="Database: a SQLAlchemy URL or a SQLite file path "
    "[env TRACKER_DB; default $XDG_DATA_HOME/tracker/tracker.db].",
)
@click.option(
    "--by",
    "actor",
    metavar="NAME",
    envvar="TRACKER_USER",
    help="Who is making the change, recorded on every event [env TRACKER_USER; default: OS user].",
)
@click.version_option(__version__, "--version", prog_name="tracker")
@click.pass_context
def main(ctx: click.Context, db: str | None, actor: str | None) -> None:
    """Track claims and rumours against the evidence that confirms or refutes them.

    \b
    Example:
      tracker add "The phone launches in July" --source Xiaomi --expected "July 2022"
      tracker confirm 1 --on 2022-07-04 --url https://example.com/launch
      tracker list --status pending
    """
    if actor is not None:
        from tracker.rules.text import clean

        actor = clean(actor, "--by")  # stored on every event: bounded, no NUL
    app = App(db, actor or _default_actor())
    ctx.obj = app
    ctx.call_on_close(app.close)


def _terminated(_signum: int, _frame: Any) -> None:
    raise Terminated


def run() -> None:
    """Entry point for `python -m tracker` and the `tracker` script."""
    import signal

    # `kill` or `timeout` ends a command as Ctrl-C does: transaction rolled back, no
    # half-written --output file left behind (both are undone on the way out).
    signal.signal(signal.SIGTERM, _terminated)
    try:
        main(prog_name="tracker")
    except Terminated:  # before or after a command ran: nothing of it was written
        click.echo("Terminated: nothing was written.", err=True)
        sys.exit(TERMINATED)
    finally:
        # Output still buffered when the reader has gone: end as quietly as above.
        try:
            if sys.stdout is not None:
                sys.stdout.flush()
        except BrokenPipeError:
            from tracker.cli.output import SIGPIPE_EXIT, silence_stdout

            silence_stdout()
            sys.exit(SIGPIPE_EXIT)
