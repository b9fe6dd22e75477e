"""What editors read: the status report and the source track records."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.app import App, pass_app
from tracker.cli.options import (
    as_of_option,
    claim_filters,
    limit_option,
    output_format,
    output_option,
    since_option,
    wrap_option,
)
from tracker.cli.params import WholeNumber
from tracker.io.writers import materialised
from tracker.render import listings as render
from tracker.render.json_csv import stream_json
from tracker.render.tables import whole_cells
from tracker.render.terminal import displayed, say
from tracker.rules.numbers import REPORT_DAYS

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session

    from tracker.rules.dates import Since


@click.command("report")
@as_of_option("Report where the claims stood on DATE.")
@since_option(
    "Add what changed since DATE (or 7d, 2w, 3m before the report date): new claims, "
    "status changes, newly overdue claims, evidence added."
)
@click.option(
    "--days",
    type=WholeNumber(*REPORT_DAYS),
    metavar="N",
    help="How many days back 'recently resolved' and 'said lately' look [default: 30].",
)
@claim_filters()
@limit_option("At most N claims in each list (0: all) [default: 50; json: all].")
@output_option("Write the report to FILE (whole, or not at all; '-' is standard output).")
@wrap_option()
@output_format("text", "markdown", "json", "html")
@pass_app
def report_show(
    app: App,
    as_of: date | None,
    known_on: date | None,
    since: Since | None,
    days: int | None,
    subject: str | None,
    source: str | None,
    tags: tuple[str, ...],
    limit: int | None,
    output: str | None,
    wrap: bool,
    fmt: str,
) -> None:
    """The status report: totals, what changed, pending claims by due date, disputes,
    recent resolutions, and the sources' track records.

    \b
    Example:
      tracker report --since 7d
      tracker report --as-of 2022-06-01 --format markdown
      tracker report --known-on 2022-06-01 --tag leica
      tracker report --format html --since 2w --output report.html
    """
    from functools import partial

    from tracker.cli import output as destination
    from tracker.queries.listing import ClaimFilter
    from tracker.queries.reports import RECENT_DAYS, ReportRequest, build_report
    from tracker.render import report_html, report_text
    from tracker.rules.dates import since_day

    app.check_output(output)
    timeline = app.timeline(as_of, known_on)
    request = ReportRequest(
        today=app.today, as_of=timeline.as_of, known_on=timeline.known_on,
        days=days or RECENT_DAYS, claims=ClaimFilter(subject=subject, source=source, tags=tags),
    )  # fmt: skip
    if since is not None:
        request.since = since_day(since, request.reference, refuse_after="the report's date")
    if limit is None:  # people read 50 of each; scripts get every claim
        limit = 0 if fmt == "json" else 50
    request.limit = limit or None
    request.details = fmt == "html"
    renderers: dict[str, Callable[[dict[str, Any]], str]] = {
        "text": partial(report_text.text, wrap=wrap), "markdown": report_text.markdown,
        "html": report_html.html,
    }  # fmt: skip

    def write(session: Session) -> str:
        report = build_report(session, request)
        if fmt == "json":  # streamed: a batch of claims at a time, whatever the size
            with destination.open_output(output) as out:
                stream_json(out, report)
            return ""
        if destination.is_stdout(output):
            return renderers[fmt](displayed(materialised(report)))
        with whole_cells():
            return renderers[fmt](displayed(materialised(report)))

    text = app.read(write)
    if fmt != "json":
        if output is None:
            say(text, nl=False)
        else:
            destination.write_text(output, click.unstyle(text))
    if not destination.is_stdout(output):
        say(f"Wrote the {fmt} report as of {request.reference} to {output}")


@click.command("sources")
@as_of_option("Track records as they stood on DATE.")
@claim_filters()
@output_format("text", "json", "csv")
@pass_app
def report_sources(
    app: App,
    as_of: date | None,
    known_on: date | None,
    subject: str | None,
    source: str | None,
    tags: tuple[str, ...],
    fmt: str,
) -> None:
    """Source track records: how often each source's claims came true.

    Accuracy is confirmed / (confirmed + refuted); LOW 95% is its Wilson lower
    bound, so one lucky claim does not top the table; Brier is the mean squared
    error of the claims' likelihoods (lower is better).

    \b
    Example:
      tracker sources
      tracker sources --as-of 2022-07-01 --format csv
      tracker sources --known-on 2022-07-01 --tag leica
    """
    from tracker.queries.listing import ClaimFilter
    from tracker.queries.sources import source_rows

    timeline = app.timeline(as_of, known_on)
    where = ClaimFilter(subject=subject, source=source, tags=tags)
    rows = app.read(lambda s: source_rows(s, timeline, where))
    render.sources(rows, fmt)


COMMANDS = [report_show, report_sources]
