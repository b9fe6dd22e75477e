"""Commands on claims: add, edit, show, list."""

from __future__ import annotations

import click

from tracker.cli import App, pass_app, render
from tracker.cli.render import output_format
from tracker.status import STATUSES

write_format = output_format("text", "json")


@click.command("add")
@click.argument("text")
@click.option("--subject", help="What the claim is about, e.g. 'Xiaomi 12 Ultra'.")
@click.option("--source", metavar="NAME", help="Who made the claim.")
@click.option("--article-url", metavar="URL", help="Where the claim appeared.")
@click.option("--article-title", metavar="TITLE", help="The article's headline.")
@click.option("--article-outlet", metavar="OUTLET", help="Who published the article.")
@click.option("--article-date", metavar="DATE", help="When the article was published.")
@click.option(
    "--said-on", metavar="DATE", help="When the claim was made [default: article date, else today]."
)
@click.option(
    "--expected",
    metavar="WINDOW",
    help="When it should come true: 'July 2022', 'Q3 2022', 'by 2022-09-30'.",
)
@click.option(
    "--hedge",
    metavar="WORD",
    help="How sure the source sounded: official, will, expected, likely, rumoured, could...",
)
@click.option(
    "--likelihood", type=float, metavar="P", help="Probability 0..1 (overrides the hedge's)."
)
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag (repeatable).")
@click.option("--key", metavar="KEY", help="A unique slug to refer to the claim by.")
@write_format
@pass_app
def claim_add(app: App, fmt: str, **options) -> None:
    """Log a claim.

    \b
    Example:
      tracker add "The first Xiaomi-Leica phone launches in July" \\
        --subject "Xiaomi-Leica flagship" --source Xiaomi --hedge official \\
        --said-on 2022-05-23 --expected "July this year" --key leica-launch
    """
    from tracker.claims import NewClaim, add_claim
    from tracker.shapes import claim_shape

    new = NewClaim(**options)
    shape = app.write(
        lambda s: claim_shape(add_claim(s, new, actor=app.actor, today=app.today), app.today)
    )
    if fmt == "json":
        return render.emit_json(shape)
    render.say(
        f"Added claim {shape['id']} ({render.status_text(shape['status'])}): {shape['text']}"
    )


@click.command("edit")
@click.argument("claim")
@click.option("--text", help="Corrected claim text.")
@click.option("--subject", help="Corrected subject.")
@click.option("--expected", metavar="WINDOW", help="Corrected expected window.")
@click.option("--likelihood", type=float, metavar="P", help="Corrected likelihood 0..1.")
@click.option("--tag", "add_tags", multiple=True, metavar="TAG", help="Add a tag (repeatable).")
@click.option(
    "--untag", "remove_tags", multiple=True, metavar="TAG", help="Remove a tag (repeatable)."
)
@click.option("--reason", help="Why the correction was made.")
@write_format
@pass_app
def claim_edit(app: App, claim: str, fmt: str, **options) -> None:
    """Correct a claim; the old values stay in its history.

    \b
    Example:
      tracker edit 3 --subject "Xiaomi 12S Ultra" --reason "name announced"
    """
    from tracker.claims import ClaimEdit, edit_claim
    from tracker.shapes import claim_shape

    edit = ClaimEdit(**options)
    shape = app.write(
        lambda s: claim_shape(
            edit_claim(s, claim, edit, actor=app.actor, today=app.today), app.today
        )
    )
    if fmt == "json":
        return render.emit_json(shape)
    render.say(f"Edited claim {shape['id']}: {shape['text']}")


@click.command("show")
@click.argument("claim")
@click.option("--as-of", metavar="DATE", help="Show the claim as it stood on DATE.")
@output_format("text", "json")
@pass_app
def claim_show(app: App, claim: str, as_of: str | None, fmt: str) -> None:
    """Show a claim with its evidence and its history, oldest first.

    \b
    Example:
      tracker show leica-launch
      tracker show 2 --as-of 2022-06-01 --format json
    """
    from tracker.claims import get_claim
    from tracker.shapes import claim_detail

    as_of_date = app.parse_date(as_of)
    shape = app.read(lambda s: claim_detail(s, get_claim(s, claim), app.today, as_of=as_of_date))
    render.claim_detail(shape, fmt)


@click.command("list")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(STATUSES),
    help="Only claims with this status (repeatable).",
)
@click.option("--subject", help="Only claims about this subject.")
@click.option("--source", metavar="NAME", help="Only claims made by this source.")
@click.option("--tag", help="Only claims with this tag.")
@click.option("--search", metavar="TEXT", help="Only claims whose text contains TEXT.")
@click.option("--overdue", is_flag=True, help="Only pending claims whose window has ended.")
@click.option(
    "--due-within",
    type=click.IntRange(min=0, max=36500),
    metavar="DAYS",
    help="Only pending claims whose window ends within DAYS.",
)
@click.option("--as-of", metavar="DATE", help="The claims as they stood on DATE.")
@click.option(
    "--limit", type=click.IntRange(1, render.LIMIT_MAX), metavar="N", help="At most N claims."
)
@output_format("text", "json", "csv")
@pass_app
def claim_list(app: App, fmt: str, as_of: str | None, **filters) -> None:
    """List claims, filtered.

    \b
    Example:
      tracker list --status pending --source Xiaomi
      tracker list --due-within 30
      tracker list --tag leica --as-of 2022-06-01 --format csv > claims.csv
    """
    from tracker.claims import ClaimFilter, list_claims
    from tracker.shapes import state_shape

    where = ClaimFilter(**filters, as_of=app.parse_date(as_of))
    items = app.read(lambda s: [state_shape(c) for c in list_claims(s, where, today=app.today)])
    render.claims(items, fmt)


COMMANDS = [claim_add, claim_edit, claim_show, claim_list]
