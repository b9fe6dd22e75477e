"""The team page: `tracker serve`, a read-only web view of the database."""

from __future__ import annotations

import click

from tracker.cli.app import App, pass_app
from tracker.errors import TrackerError

WEB_PACKAGES = ("starlette", "uvicorn", "anyio")


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on. Any other than loopback lets others on the network read "
    "every claim: the page has no login.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="The port to listen on (0: any free one, printed at start).",
)
@pass_app
def serve_page(app: App, host: str, port: int) -> None:
    """Serve a read-only team page: the report (as `report --format html`), each claim
    with its evidence and history, the sources, and the same as JSON. An open page shows
    new changes within seconds. The database is opened read-only: the page never writes.

    \b
    Routes: /  /claims/HANDLE  /sources  /api/report.json  /api/claims/HANDLE.json
    Query parameters on /: as_of, since, days, limit (as the report's options).

    \b
    Example:
      tracker serve
      tracker --db postgresql://reader@db.example/claims serve --port 8000
    """
    try:
        from tracker.web import server
    except ModuleNotFoundError as exc:
        if exc.name not in WEB_PACKAGES:
            raise
        raise TrackerError(
            f"tracker serve needs the web extra ({exc.name} is missing): "
            "pip install '.[web]' in the tracker"
        ) from None

    server.serve(
        app.db_option,
        host,
        port,
        say=lambda line: click.echo(line),
        warn=lambda line: click.echo(line, err=True),
    )


COMMANDS = [serve_page]
