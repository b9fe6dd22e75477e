"""Alembic, behind the tracker: imported only by commands that migrate.

The migration scripts live in the repository's `migrations/`, which the build
maps to the `tracker.migrations` package so that installed wheels carry them.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import Connection

from tracker.errors import TrackerError


def script_location() -> Path:
    spec = find_spec("tracker.migrations")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parents[2] / "migrations"


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def is_known_revision(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(config()).get_revision(revision) is not None
    except CommandError:
        return False


def upgrade(connection: Connection, revision: str = "head") -> None:
    _run(command.upgrade, connection, revision)


def downgrade(connection: Connection, revision: str) -> None:
    try:
        _refusals(connection, revision)
    finally:  # the questions read; the migration's own transaction starts afresh
        if connection.in_transaction():
            connection.rollback()
    _run(command.downgrade, connection, revision)


def _refusals(connection: Connection, target: str) -> None:
    """Ask every revision a downgrade would undo whether it can be, before any is: on
    MariaDB/MySQL each revision commits on its own, so one refusing halfway down would
    leave the newer ones undone (and their tables gone). A revision says so with a
    `refusal(connection, target)` function; `target` None is base, where all goes."""
    from alembic.migration import MigrationContext

    current = MigrationContext.configure(connection).get_current_revision()
    if current is None or not is_known_revision(current):
        return  # nothing to undo, or a database Alembic will refuse itself
    script = ScriptDirectory.from_config(config())
    lower = None if revision_is_base(target) else target
    try:
        steps = list(script.iterate_revisions(current, lower or "base"))
    except (CommandError, RevisionError, ValueError, KeyError, AssertionError):
        return  # not a revision below the current one: the downgrade itself says why
    for step in steps:
        refusal = getattr(step.module, "refusal", None)
        if step.revision != lower and refusal is not None:
            refused = refusal(connection, lower)
            if refused:
                raise TrackerError(f"cannot migrate to {target!r}: {refused}")


def revision_is_base(target: str) -> bool:
    return target == "base"


def _run(action: Callable[[Config, str], None], connection: Connection, revision: str) -> None:
    if not revision.strip() or revision.strip() != revision:
        raise TrackerError(
            f"cannot migrate to {revision!r}: not a revision; `tracker db current` shows the "
            "current one"
        )
    try:
        action(config(connection), revision)
    except CommandError as exc:
        raise TrackerError(f"cannot migrate to {revision!r}: {exc}") from None
    except RuntimeError as exc:  # a migration refusing to lose what its revision cannot hold
        raise TrackerError(f"cannot migrate to {revision!r}: {exc}") from None
    except (AssertionError, ValueError, KeyError) as exc:  # Alembic on a malformed revision
        raise TrackerError(f"cannot migrate to {revision!r}: not a revision ({exc!r})") from None
