"""Reminders (`tracker due`) as text for a terminal or a cron mail, Markdown for a wiki or
a chat, and JSON for scripts: each claim with its handle (what `confirm` and `resolve`
take), its due date, the days left or overdue, its source and its text."""

from __future__ import annotations

from typing import Any

import click

from tracker.io.writers import json_text
from tracker.render.report_parts import when
from tracker.render.report_text import md, md_table
from tracker.render.tables import table

HEADERS = ["Handle", "ID", "Due", "When", "Source", "Claim"]


def _rows(claims: list[dict[str, Any]]) -> list[list[str]]:
    return [
        [c["handle"], str(c["id"]), (c["expected"] or {}).get("end") or "", when(c),
         c["source"] or "", c["text"]]
        for c in claims
    ]  # fmt: skip


def _count(claims: list[dict[str, Any]]) -> str:
    return f"{len(claims)} claim{'s' * (len(claims) != 1)}"


def _horizon(due: dict[str, Any]) -> str:
    days = due["within_days"]
    return f"within {days} day{'s' * (days != 1)} (by {due['until']})"


def nothing(due: dict[str, Any]) -> str:
    return f"Nothing due {_horizon(due)}, and nothing overdue."


def _lists(due: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    return [("Overdue", due["overdue"]), (f"Due {_horizon(due)}", due["due"])]


def text(due: dict[str, Any]) -> str:
    if not due["overdue"] and not due["due"]:
        return nothing(due) + "\n"
    blocks = []
    for title, claims in _lists(due):
        if claims:
            lines = table([h.upper() for h in HEADERS], _rows(claims)).split("\n")
            heading = click.style(f"{title}: {_count(claims)}", bold=True)
            blocks.append("\n".join([heading, *("  " + line for line in lines)]))
    return "\n\n".join(blocks) + "\n"


def markdown(due: dict[str, Any]) -> str:
    out = [f"# Claims due as of {due['as_of']}", ""]
    if not due["overdue"] and not due["due"]:
        return "\n".join([*out, md(nothing(due))]) + "\n"
    for title, claims in _lists(due):
        out += [f"## {md(title)}: {_count(claims)}", ""]
        out += md_table(HEADERS, _rows(claims)) if claims else ["None."]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def as_json(due: dict[str, Any]) -> str:
    return json_text(due) + "\n"
