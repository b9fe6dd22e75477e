"""The `tracker` command: a thin click layer over the domain.

Commands parse options, make one call into the domain inside one transaction, and
render. The group and its error boundary are `tracker.cli.app`; each module here holds
one group of commands. SQLAlchemy and Alembic are imported inside commands, so
`tracker --help` does not pay for them.
"""

from __future__ import annotations

from tracker.cli import (
    claims,
    db,
    due,
    evidence,
    extract,
    history,
    inbox,
    links,
    reports,
    serve,
    sources,
    transfer,
    undo,
)
from tracker.cli.app import main, run

__all__ = ["main", "run"]

for _module in (
    claims,
    evidence,
    links,
    undo,
    history,
    reports,
    sources,
    due,
    serve,
    transfer,
    extract,
    inbox,
    db,
):
    for _command in _module.COMMANDS:
        main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    run()
