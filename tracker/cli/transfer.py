"""Claims in and out of files: import and export."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.app import App, pass_app
from tracker.cli.options import output_format, output_option
from tracker.cli.params import FilePath, Word
from tracker.cli.writing import by_option
from tracker.render.terminal import say
from tracker.rules.kinds import DATE_ORDERS, IMPORT_FORMATS

if TYPE_CHECKING:
    from contextlib import ExitStack
    from datetime import date
    from pathlib import Path

    from sqlalchemy.orm import Session

    from tracker.io.importer import Tally
    from tracker.io.readers import ClaimFile

    Progress = Callable[[Path, int], None]  # how far into which file an import is

# How often the progress bar moves: updating it for every claim would cost more
# than writing the claim.
PROGRESS_STEP = 1000


@click.command("export")
@output_format("json", "jsonl", "csv", "claimreview")
@output_option("Write to FILE (whole, or not at all) instead of standard output ('-').")
@by_option
@pass_app
def transfer_export(app: App, fmt: str, output: str | None) -> None:
    """Export every claim: as the import shape (json, jsonl, csv), or as schema.org
    ClaimReview JSON-LD for the confirmed and refuted claims (claimreview).

    A json or jsonl export holds everything: each claim with its uid, its evidence
    and its whole history (who, when, why), so importing it into an empty database
    gives the same database, and into one that holds some of it adds what is
    missing. csv has one row per claim with where it stands (status, resolved_on,
    actual, withdrawn, the claim it duplicates), and no evidence or history: a copy
    made from it stands where the claims stood. The ClaimReview author is the --by
    name.

    \b
    Example:
      tracker export --output claims.json
      tracker export --format jsonl | gzip > claims.jsonl.gz
      tracker export --format csv --output claims.csv
      tracker export --format claimreview --by "Example News" --output reviews.json
    """
    from tracker.cli.output import is_stdout, open_output
    from tracker.io.writers import WRITERS

    app.check_output(output)
    show_progress = not is_stdout(output) and sys.stderr.isatty()

    def work(session: Session) -> int:
        items: Iterable[dict[str, Any]]
        if fmt == "claimreview":
            from tracker.claimreview import export as reviews

            items, count = reviews.claim_reviews(session, reviewer=app.actor), reviews.count
        else:
            from tracker.io import export

            items, count = export.items(session, fmt, today=app.today), export.count
        if not show_progress:
            return WRITERS[fmt](out, items)
        total = count(session)
        with click.progressbar(length=total, label="Exporting", file=sys.stderr) as bar:
            return WRITERS[fmt](out, _counted(items, bar.update))

    with open_output(output) as out:
        written = app.read(work)
    if not is_stdout(output):
        say(f"Exported {written} claim{'' if written == 1 else 's'} to {output}")


def _counted(items: Iterable[Any], advance: Callable[[int], None]) -> Iterator[Any]:
    pending = 0
    for item in items:
        yield item
        pending += 1
        if pending == PROGRESS_STEP:
            advance(pending)
            pending = 0
    advance(pending)


class _FileProgress:
    """Moves one progress bar over several files, from each reader's byte position."""

    def __init__(self, advance: Callable[[int], None]):
        self.advance = advance  # the bar's update
        self.positions: dict[Path, int] = {}

    def __call__(self, path: Path, position: int) -> None:
        advance = position - self.positions.get(path, 0)
        if advance > 0:  # a retried transaction reads a file again from the start
            self.positions[path] = position
            self.advance(advance)


@click.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE...", type=FilePath())
@click.option(
    "--format",
    "fmt",
    type=Word(IMPORT_FORMATS, "format"),
    help="The files' format, whatever their names say; needed for `-` (standard input). "
    "claimreview: schema.org ClaimReview (also recognised by content).",
)
@click.option("--dry-run", is_flag=True, help="Check everything and count; write nothing.")
@click.option(
    "--ignore-unknown-columns",
    is_flag=True,
    help="Skip CSV columns the tracker does not know (a spreadsheet's own notes).",
)
@click.option(
    "--date-order",
    type=Word(tuple(DATE_ORDERS), "date order"),
    help="Read numeric dates such as 7/4/2022 day first (dmy: 7 April) or month first "
    "(mdy: July 4, as a US spreadsheet writes them); without it a date with two readings "
    "is refused.",
)
@by_option
@pass_app
def transfer_import(
    app: App, files: tuple[str, ...], fmt: str | None, dry_run: bool,
    ignore_unknown_columns: bool, date_order: str | None,
) -> None:  # fmt: skip
    """Load claims, evidence and resolutions from JSON, JSONL, CSV or TOML files, or
    the fact-checks published as schema.org ClaimReview.

    All or nothing: bad records abort the whole import, which names each of them
    (up to 50) by file, line or record, and field. A claim is matched by uid, else by
    key, else by text, source and date; evidence by uid, else by stance, source,
    url, date and note; an exported event by uid; so a file imported twice adds
    nothing the second time, and another database's export adds what this one
    lacks. The format follows the file name (.json, .jsonl, .csv, .toml) unless
    --format says it; `-` reads one document from standard input. A CSV saved by
    a spreadsheet is read as it comes: a BOM, CRLF lines, ';' between cells,
    headers in any case with spaces ('Said On').

    ClaimReview (a review, a list, an @graph, a DataFeed, a Fact Check Tools
    claims:search response, or a fact-check page's ld+json markup) is recognised by
    its content or a .jsonld/.html name: each review gives a claim and the
    fact-checker's evidence, its stance read from the verdict.

    \b
    Example:
      tracker import claims.jsonl outcomes.toml
      tracker import sheet.csv --dry-run --ignore-unknown-columns --date-order mdy
      tracker extract article.txt | tracker import - --format toml
      tracker import factchecks.json page.html
    """
    from contextlib import ExitStack

    with ExitStack() as stack:
        claim_files = _claim_files(files, fmt, stack, app.today)
        import_files(app, claim_files, dry_run, ignore_unknown_columns, date_order)


def _claim_files(
    names: tuple[str, ...], fmt: str | None, stack: ExitStack, today: date
) -> list[ClaimFile]:
    """The files to import, their formats known before any work; standard input kept in a
    temporary file (a retried transaction reads its files again)."""
    import shutil
    import tempfile
    from pathlib import Path

    from tracker.claimreview.loading import claim_file
    from tracker.io.readers import ClaimFile

    if names.count("-") > 1:
        raise click.UsageError("standard input ('-') can be read once")
    found = []
    for name in names:
        if name != "-":
            found.append(_restorable(claim_file(Path(name), fmt), stack, today))
            continue
        if fmt is None:
            raise click.UsageError("--format is needed to read standard input ('-')")
        spool = stack.enter_context(tempfile.NamedTemporaryFile(prefix="tracker-stdin-"))  # noqa: SIM115 (closed by the stack)
        shutil.copyfileobj(sys.stdin.buffer, spool)
        spool.flush()
        found.append(ClaimFile(Path(spool.name), fmt, Path("stdin")))
    return found


def _restorable(file: ClaimFile, stack: ExitStack, today: date) -> ClaimFile:
    """A SQLite backup as its JSONL export, spooled before the import's transaction; any
    other file as it is."""
    import tempfile
    from pathlib import Path

    from tracker.io.backups import write_sqlite_export
    from tracker.io.readers import SQLITE, ClaimFile

    if file.kind != SQLITE:
        return file
    folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="tracker-backup-"))
    spool = Path(folder) / f"{file.shown.name}.jsonl"
    with spool.open("w", encoding="utf-8") as out:
        write_sqlite_export(file.path, out, today=today)
    return ClaimFile(spool, "jsonl", file.shown)


def import_files(
    app: App, files: list[ClaimFile], dry_run: bool, ignore_unknown_columns: bool,
    date_order: str | None = None,
) -> None:  # fmt: skip
    """Load the claim files in one transaction and print what was added (`import`, and
    `extract --add`)."""
    from tracker.claimreview.loading import ReviewReader
    from tracker.io.fields import Dates
    from tracker.io.loading import load_files

    def work(session: Session, progress: Progress | None = None) -> Tally:
        reader = ReviewReader(Dates(app.today, date_order))
        tally = load_files(
            session, files, actor=app.actor, today=app.today, progress=progress,
            dry_run=dry_run, ignore_unknown_columns=ignore_unknown_columns,
            date_order=date_order, read=reader,
        )  # fmt: skip
        tally.unread = reader.unread
        return tally

    def run(progress: Progress | None = None) -> Tally:
        database = app.opened(write=not dry_run)
        return database.run(lambda s: work(s, progress), write=True, dry_run=dry_run)

    if sys.stderr.isatty():
        total = sum(file.path.stat().st_size for file in files if file.path.is_file())
        with click.progressbar(length=total, label="Importing", file=sys.stderr) as bar:
            tally = run(_FileProgress(bar.update))
    else:
        tally = run()
    names = ", ".join(file.shown.name for file in files)
    prefix = "Dry run, nothing written: " if dry_run else ""
    say(f"{prefix}{names}: {tally}")


COMMANDS = [transfer_import, transfer_export]
