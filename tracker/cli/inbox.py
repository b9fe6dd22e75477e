"""The evidence inbox: `tracker watch`, `tracker feeds` and `tracker inbox`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from tracker.cli.app import App, pass_app
from tracker.cli.evidence import ACTUAL
from tracker.cli.options import output_format
from tracker.cli.params import Word
from tracker.cli.writing import by_option
from tracker.render.json_csv import emit_json
from tracker.render.terminal import say
from tracker.rules.kinds import TIERS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.inbox.reports import SourceReport
    from tracker.inbox.suggestions import Decided

# What the [watch] extra installs: feeds, pages, and the parser both stand on.
WATCH_MODULES = ("feedparser", "readability", "lxml")
WATCH_HINT = "pip install 'claim-tracker[watch]'"


def _need_watch_extra() -> None:
    """Each module the extra brings, imported: only `watch` needs them."""
    import importlib

    from tracker.errors import TrackerError

    missing = []
    for name in WATCH_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise TrackerError(
            f"watch reads feeds and pages with {', '.join(missing)}, which this install "
            f"lacks; install the watch extra: {WATCH_HINT}"
        )


@click.command("watch")
@click.argument("sources", nargs=-1, metavar="[SOURCE...]")
@output_format("text", "json")
@click.option("--dry-run", is_flag=True, help="Read and match, but store nothing.")
@click.option(
    "--fetch-pages", is_flag=True, help="Read each feed item's page, not only the feed's text."
)
@pass_app
def watch(app: App, sources: tuple[str, ...], fmt: str, dry_run: bool, fetch_pages: bool) -> None:
    """Read feeds and articles and suggest each new one as evidence for the open
    claims it matches (`tracker inbox` lists them).

    SOURCE is a feed URL (RSS, Atom, JSON Feed), an article URL, a feed or article
    file (HTML, Markdown, text) or a folder of them; with none, the remembered feeds
    (`tracker feeds add`). An item already seen is skipped unless its title or text
    changed; one dated after today is kept undated. An article is not suggested for a
    claim made after it was published. Claims added since the last articles were
    stored are matched against the articles stored in the last 30 days. A source that
    cannot be read is named on standard error and the others go on; the exit status is
    then 1. Needs the watch extra ({hint}).

    \b
    Example:
      tracker watch https://example.com/feed.xml
      tracker watch saved-feeds/ --dry-run
      tracker feeds add https://example.com/feed.xml && tracker watch
    """
    from tracker import clock
    from tracker.errors import TrackerError

    _need_watch_extra()
    from tracker.inbox.feeds import validators
    from tracker.inbox.watch import expand, read_sources, record
    from tracker.render.inbox import watch_lines, watch_shape
    from tracker.rules.text import MAX_TEXT, clean

    given = [clean(source, "a source", limit=MAX_TEXT) for source in sources]
    app.opened(write=not dry_run)  # a new database is a write's to create
    remembered = app.read(validators)
    given = given or list(remembered)
    if not given:
        raise TrackerError(
            "nothing to watch: give a feed, article, file or folder, or remember a feed "
            "with `tracker feeds add URL`"
        )
    reads = read_sources(expand(given), remembered=remembered, fetch_pages=fetch_pages)

    def work(session: Session) -> list[SourceReport]:
        return record(session, reads, now=clock.utcnow(), today=app.today, dry_run=dry_run)

    reports = app.read(work) if dry_run else app.write(work)
    failed = [report for report in reports if report.error is not None]
    if fmt == "json":
        emit_json(watch_shape(reports, dry_run))
    else:
        for line in watch_lines(reports, dry_run):
            say(line)
    for report in failed:
        click.echo(f"Error: {report.source}: {report.error}", err=True)
    if failed:
        sys.exit(1)


if watch.help:
    watch.help = watch.help.replace("{hint}", WATCH_HINT)


@click.group("feeds")
def feeds_group() -> None:
    """The feeds `tracker watch` reads when it is given no source.

    \b
    Example:
      tracker feeds add https://example.com/feed.xml
      tracker feeds list
    """


@feeds_group.command("add")
@click.argument("url")
@by_option
@pass_app
def feeds_add(app: App, url: str) -> None:
    """Remember a feed (an http, https or file URL, or a file path).

    \b
    Example:
      tracker feeds add https://www.theverge.com/rss/index.xml
    """
    from tracker import clock
    from tracker.inbox.feeds import add_feed

    added, new = app.write(lambda s: add_feed(s, url, actor=app.actor, now=clock.utcnow()))
    say(f"Added feed {added}" if new else f"Feed {added} is already remembered")


@feeds_group.command("list")
@output_format("text", "json")
@pass_app
def feeds_list(app: App, fmt: str) -> None:
    """The remembered feeds, oldest first.

    \b
    Example:
      tracker feeds list --format json
    """
    from tracker.inbox.feeds import list_feeds

    rows = app.read(list_feeds)
    if fmt == "json":
        emit_json([
            {"url": r.url, "added_at": _stamp(r.added_at), "added_by": r.added_by,
             "checked_at": _stamp(r.checked_at) if r.checked_at else None}
            for r in rows
        ])  # fmt: skip
        return
    if not rows:
        say("No feeds; `tracker feeds add URL` remembers one.")
    for row in rows:
        checked = f"checked {_stamp(row.checked_at)}" if row.checked_at else "not read yet"
        say(f"{row.url}  ({checked})")


def _stamp(value: object) -> str:
    from datetime import datetime

    assert isinstance(value, datetime)
    return value.isoformat(timespec="seconds") + "Z"


@feeds_group.command("remove")
@click.argument("url")
@pass_app
def feeds_remove(app: App, url: str) -> None:
    """Forget a feed (the articles read from it stay).

    \b
    Example:
      tracker feeds remove https://example.com/feed.xml
    """
    from tracker.inbox.feeds import remove_feed

    removed = app.write(lambda s: remove_feed(s, url))
    say(f"Removed feed {removed}")


class _InboxGroup(click.Group):
    """`tracker inbox` lists; `tracker inbox accept|reject` decides."""


@click.group("inbox", cls=_InboxGroup, invoke_without_command=True)
@click.option("--claim", metavar="CLAIM", help="Only the suggestions for this claim.")
@click.option(
    "--min-score", type=float, metavar="X", help="Only suggestions scoring at least X (0..1)."
)
@output_format("text", "json")
@click.pass_context
def inbox_group(ctx: click.Context, claim: str | None, min_score: float | None, fmt: str) -> None:
    """The open suggestions `tracker watch` made, best first; accept or reject each.

    \b
    Example:
      tracker inbox
      tracker inbox --claim 4 --min-score 0.4 --format json
      tracker inbox accept 12 --note "Launch confirmed on stage"
      tracker inbox reject 13 --reason "About another phone"
    """
    if ctx.invoked_subcommand is not None:
        return
    from tracker.inbox.suggestions import check_min_score, open_suggestions
    from tracker.render.inbox import inbox_table

    app = ctx.find_object(App)
    assert app is not None
    score = check_min_score(min_score) if min_score is not None else None
    found = app.read(lambda s: open_suggestions(s, claim=claim, min_score=score))
    if fmt == "json":
        emit_json([suggestion.shape() for suggestion in found])
    else:
        say(inbox_table(found))


@inbox_group.command("accept")
@click.argument("ids", nargs=-1, required=True, type=click.IntRange(min=1), metavar="ID...")
@click.option(
    "--stance",
    type=Word(
        ("for", "against", "observing", "confirms", "refutes", "supports", "contradicts"), "stance"
    ),  # fmt: skip
    help="Over the suggested one: confirms or refutes make the evidence conclusive.",
)
@click.option("--tier", type=Word(TIERS, "tier"), help="How close the outlet is to the fact.")
@click.option("--note", metavar="TEXT", help="What the article says [default: its title].")
@ACTUAL
@by_option
@pass_app
def inbox_accept(
    app: App,
    ids: tuple[int, ...],
    stance: str | None,
    tier: str | None,
    note: str | None,
    actual: str | None,
) -> None:
    """Make suggestions their claims' evidence: for supports, against contradicts,
    observing supports at tier repeat; the outlet is the source, the article's date
    the date (an undated article's: the day it was read). With --stance confirms or
    refutes, --actual says what happened, as `tracker confirm --actual` does. All or
    none.

    \b
    Example:
      tracker inbox accept 12 14
      tracker inbox accept 15 --stance confirms --tier official
      tracker inbox accept 16 --stance refutes --actual "Launched on 5 June 2025"
    """
    from tracker import clock
    from tracker.inbox.suggestions import accept
    from tracker.render.inbox import accepted_line

    def work(session: Session) -> list[Decided]:
        return accept(session, list(ids), stance=stance, tier=tier, note=note, actual=actual,
                      actor=app.actor, today=app.today, now=clock.utcnow())  # fmt: skip

    done = app.write(work)
    for decided in done:
        say(accepted_line(decided))


@inbox_group.command("reject")
@click.argument("ids", nargs=-1, required=True, type=click.IntRange(min=1), metavar="ID...")
@click.option("--reason", metavar="TEXT", help="Why it is not evidence for the claim.")
@by_option
@pass_app
def inbox_reject(app: App, ids: tuple[int, ...], reason: str | None) -> None:
    """Dismiss suggestions: the article is not suggested for that claim again.

    \b
    Example:
      tracker inbox reject 13 --reason "About the Pro model"
    """
    from tracker import clock
    from tracker.inbox.suggestions import reject
    from tracker.render.inbox import rejected_line

    done = app.write(
        lambda s: reject(s, list(ids), reason=reason, actor=app.actor, now=clock.utcnow())
    )
    for decided in done:
        say(rejected_line(decided))


COMMANDS = [watch, feeds_group, inbox_group]
