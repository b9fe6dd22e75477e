"""Claims from articles: `tracker extract`."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

import click

from tracker.cli.app import App, pass_app
from tracker.cli.options import output_format
from tracker.cli.params import DateParam, FilePath
from tracker.cli.writing import by_option
from tracker.render.terminal import say


@click.command("extract")
@click.argument("files", nargs=-1, required=True, metavar="FILE...", type=FilePath())
@click.option(
    "--date",
    "day",
    type=DateParam(),
    metavar="DATE",
    help="The articles' date (over their headers).",
)
@click.option("--source", metavar="NAME", help="Source of claims that name no speaker.")
@click.option("--url", metavar="URL", help="The article's URL (over its headers).")
@click.option("--title", metavar="T", help="The article's title (over its headers).")
@click.option("--outlet", metavar="O", help="The outlet (over its headers).")
@output_format("toml", "json", "text")
@click.option(
    "--add", is_flag=True, help="Log the candidates now, as an import (idempotent; no --format)."
)
@by_option
@pass_app
def extract_claims(
    app: App,
    files: tuple[str, ...],
    day: date | None,
    source: str | None,
    url: str | None,
    title: str | None,
    outlet: str | None,
    fmt: str,
    add: bool,
) -> None:
    """Propose the checkable claims in articles (plain text, Markdown or HTML; '-' reads
    standard input), for review or, with --add, logged at once.

    An article may open with header lines 'date 2022-05-23', 'title ...', 'url ...' and
    'outlet ...' (HTML gives them in its <title> and <meta> tags); the options override
    them. Each claim gets its hedge from the article's words ("is said to" is rumoured,
    "will likely" likely), its window from the time phrase read against the article's
    date, its speaker as source, and the sentence as quote. Without --add the database
    is not opened: the TOML or JSON document is for `tracker import`.

    \b
    Example:
      tracker extract article.txt --outlet "The Verge" > claims.toml
      tracker extract article.txt | tracker import - --format toml
      tracker extract page.html --date 2022-05-23 --format text
      tracker extract notes.md --add
    """
    from tracker.extract import Overrides, records
    from tracker.io.writers import json_text, toml_claims
    from tracker.rules.text import clean_optional

    if add and fmt != "toml":  # --add writes the import's summary, not a document
        raise click.UsageError(f"--add logs the candidates; it prints no --format {fmt}")
    overrides = Overrides(
        date=day,
        source=clean_optional(source, "--source"),
        url=clean_optional(url, "--url", limit=8000),
        title=clean_optional(title, "--title", limit=8000),
        outlet=clean_optional(outlet, "--outlet"),
    )
    if files.count("-") > 1:
        raise click.UsageError("standard input ('-') can be read once")
    found: list[tuple[str, list[dict[str, Any]]]] = []
    for name in files:
        shown = "stdin" if name == "-" else name
        found.append((name, records(_read(name), shown, overrides, app.today)))
    claims = [record for _, batch in found for record in batch]
    if add:
        _add(app, found)
    elif fmt == "toml":
        click.echo(toml_claims(claims), nl=False)
    elif fmt == "json":
        click.echo(json_text({"claims": claims}))
    else:
        _text(found)


def _read(name: str) -> str:
    """An article's text: UTF-8 (a BOM allowed), from a file or, for '-', standard input."""
    from pathlib import Path

    from tracker.errors import InvalidInput
    from tracker.io.readers import decode

    try:
        if name == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with open(name, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise InvalidInput(f"{name}: is a directory, not an article") from None
    except OSError as exc:
        raise InvalidInput(f"{name}: cannot read: {exc.strerror}") from None
    if len(data) > MAX_BYTES:  # a page of HTML is far less, markup and all
        raise InvalidInput(f"{name}: over {MAX_BYTES // 1_000_000} MB is too big for an article")
    return decode(Path("stdin" if name == "-" else name), data)


MAX_BYTES = 20_000_000


def _add(app: App, found: list[tuple[str, list[dict[str, Any]]]]) -> None:
    """Log the candidates by importing each article's document, as `tracker import` does:
    one transaction, the same checks, idempotent, the same summary."""
    import tempfile
    from contextlib import ExitStack
    from pathlib import Path

    from tracker.cli.transfer import import_files
    from tracker.io.readers import ClaimFile
    from tracker.io.writers import toml_claims

    with ExitStack() as stack:
        files = []
        for name, claims in found:
            spool = stack.enter_context(tempfile.NamedTemporaryFile(suffix=".toml"))  # noqa: SIM115 (closed by the stack)
            spool.write(toml_claims(claims).encode("utf-8"))
            spool.flush()
            files.append(
                ClaimFile(Path(spool.name), "toml", Path("stdin" if name == "-" else name))
            )
        import_files(app, files, dry_run=False, ignore_unknown_columns=False)


def _text(found: list[tuple[str, list[dict[str, Any]]]]) -> None:
    """Candidates to read: per article, each with its hedge, source, window and cue."""
    for index, (name, claims) in enumerate(found):
        if index:
            say()
        plural = "" if len(claims) == 1 else "s"
        article = claims[0]["article"] if claims else {}
        heading = " — ".join(v for v in (article.get("outlet"), article.get("published_on")) if v)
        say(f"{name}: {len(claims)} candidate{plural}" + (f" ({heading})" if heading else ""))
        for number, claim in enumerate(claims, start=1):
            say(f"{number:>3}. {claim['text']}")
            facts = [f"{claim['hedge']} {claim['likelihood']:.2f}"]
            facts.append(f"source {claim['source']}" if claim["source"] else "no source")
            if claim["expected"]:
                facts.append(f"expected {claim['expected']}")
            if claim["subject"]:
                facts.append(f"subject {claim['subject']}")
            if claim["cue"]:
                facts.append(f"cue “{claim['cue']}”")
            say("     " + "; ".join(facts))


COMMANDS = [extract_claims]
