"""The team page: `tracker serve`, a read-only web view of the database."""

from __future__ import annotations

import click

from tracker.cli.app import App, pass_app
from tracker.errors import TrackerError

WEB_PACKAGES = ("starlette", "uvicorn", "anyio")  # what the [web] extra installs
WEB_HINT = "pip install 'claim-tracker[web]'"


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
    Routes (GET and HEAD; anything else is 405):
      /                        the report, as `report --format html`
      /claims/HANDLE           a claim (handle, key or id): evidence, links, history
      /sources                 the sources' track records
      /api/report.json         `report --format json`
      /api/claims/HANDLE.json  `show --format json`
      /api/sources.json        `sources --format json`

    \b
    Query parameters, as the commands' options (a bad one is a 400 with the
    CLI's message; an unknown one is refused):
      / and /api/report.json       as_of known_on since days tag subject source limit
      /sources, /api/sources.json  as_of known_on tag subject source
      /claims/HANDLE and its JSON  as_of known_on
    Each reads as its option does: as_of=2022-06-01, known_on=yesterday,
    since=7d, days=N, limit=N; tag=leica (repeated: claims with every one),
    subject=TEXT, source=NAME (a part of it, any case).
    e.g. /?known_on=2022-06-01&tag=leica  /claims/13-ultra?as_of=2023-01-01

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
            f"tracker serve needs the web extra ({exc.name} is missing): {WEB_HINT}"
        ) from None

    server.serve(
        app.db_option,
        host,
        port,
        say=lambda line: click.echo(line),
        warn=lambda line: click.echo(line, err=True),
    )


COMMANDS = [serve_page]
