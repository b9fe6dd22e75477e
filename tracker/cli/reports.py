"""What editors read: the status report and the source track records."""

from __future__ import annotations

import click

from tracker.cli import App, pass_app, render
from tracker.cli.render import output_format


@click.command("report")
@click.option("--as-of", metavar="DATE", help="Report where the claims stood on DATE.")
@click.option(
    "--limit",
    type=click.IntRange(0, render.LIMIT_MAX),
    metavar="N",
    help="At most N claims in each section (0: all) [default: 50; json: all].",
)
@click.option(
    "--output",
    type=render.FilePath(),
    metavar="FILE",
    help="Write the report to FILE (whole, or not at all; '-' is standard output).",
)
@output_format("text", "markdown", "json", "html")
@pass_app
def report_show(
    app: App, as_of: str | None, limit: int | None, output: str | None, fmt: str
) -> None:
    """The status report: totals, pending claims by due date, disputes, recent resolutions,
    and the sources' track records.

    \b
    Example:
      tracker report
      tracker report --as-of 2022-06-01 --format markdown
      tracker report --format html --output report.html
    """
    from tracker.cli import output as destination
    from tracker.cli import report_html, report_text
    from tracker.reports import build_report

    as_of_date = app.parse_date(as_of)
    if limit is None:  # people read 50 of each; scripts get every claim
        limit = 0 if fmt == "json" else 50
    report = app.read(
        lambda s: build_report(s, today=app.today, as_of=as_of_date, limit=limit or None)
    )
    if fmt == "json":
        if output is None:
            return render.emit_json(report)
        import json

        text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    else:
        renderers = {"text": report_text.text, "markdown": report_text.markdown,
                     "html": report_html.html}  # fmt: skip
        text = renderers[fmt](report)
    if output is None:
        render.say(text, nl=False)
    else:
        destination.write_text(output, click.unstyle(text))
        if not destination.is_stdout(output):
            render.say(f"Wrote the {fmt} report as of {report['as_of']} to {output}")


@click.command("sources")
@click.option("--as-of", metavar="DATE", help="Track records as they stood on DATE.")
@output_format("text", "json", "csv")
@pass_app
def report_sources(app: App, as_of: str | None, fmt: str) -> None:
    """Source track records: how often each source's claims came true.

    Accuracy is confirmed / (confirmed + refuted); LOW 95% is its Wilson lower
    bound, so one lucky claim does not top the table; Brier is the mean squared
    error of the claims' likelihoods (lower is better).

    \b
    Example:
      tracker sources
      tracker sources --as-of 2022-07-01 --format csv
    """
    from tracker.reports import source_rows

    as_of_date = app.parse_date(as_of)
    rows = app.read(lambda s: source_rows(s, today=app.today, as_of=as_of_date))
    render.sources(rows, fmt)


COMMANDS = [report_show, report_sources]
