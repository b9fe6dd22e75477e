"""What every format of the report (text, Markdown, HTML) shows the same way: section
titles, the one-line summaries, and the words and rows a claim is shown with."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import Any

from tracker.render.listings import ratio

SECTION_TITLES = {
    "pending": "Pending, by subject and due date",
    "disputed": "Disputed: needs a decision",
    "recently_resolved": "Resolved in the last {days}",
    "recent": "Said in the last {days}",
}
# The sections listing claims with their status (pending has its own layout).
STATUS_SECTIONS = ("disputed", "recently_resolved", "recent")
# Shown only when they hold claims: only links between claims can put any there.
CONTEXT_TITLES = {
    "moot": "Moot: pending, but depends on a refuted claim",
    "conflicts": "Conflicts: contradicting claims both confirmed",
}
CHANGE_TITLES = {
    "new": "New claims",
    "status_changes": "Status changes",
    "newly_overdue": "Newly overdue",
}


def title(report: dict[str, Any], section: str) -> str:
    days = report.get("days", 30)
    return SECTION_TITLES[section].format(days="day" if days == 1 else f"{days} days")


def change_summary(changes: dict[str, Any]) -> str:
    """One line: how much changed since the date."""

    def counted(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    counts = changes["counts"]
    return (
        f"Since {changes['since']}: "
        + " · ".join(
            [
                counted(counts["new"], "new claim", "new claims"),
                counted(counts["status_changes"], "status change", "status changes"),
                counted(counts["newly_overdue"], "newly overdue", "newly overdue"),
                counted(changes["evidence_added"], "piece of evidence added",
                        "pieces of evidence added"),
            ]
        )
    )  # fmt: skip


def change_more(changes: dict[str, Any], name: str) -> str | None:
    """`… and N more` under a list of changes that --limit cut short."""
    more = changes["counts"][name] - len(changes[name])
    return f"… and {more} more (raise --limit)" if more > 0 else None


def local_day(moment: str) -> str:
    """An ISO UTC timestamp (`...Z`) as the local date, the calendar `--since` counts in."""
    from datetime import datetime

    return datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone().date().isoformat()


def status_move(change: dict[str, Any]) -> str:
    return f"{change['from_status']} -> {change['to_status']}"


def when(claim: dict[str, Any]) -> str:
    """Days left or overdue, as an editor says it."""
    days = claim["days_left"]
    if claim["status"] != "pending":
        return ""
    if days is None:
        return "no window"
    if days > 0:
        return f"in {days} day{'s' * (days != 1)}"
    if days == 0:
        return "due today"
    return f"{-days} day{'s' * (days != -1)} overdue"


def claim_text(claim: dict[str, Any]) -> str:
    """The claim, and what actually happened when a step said so."""
    actual = claim.get("actual")
    return f"{claim['text']} → actually: {actual}" if actual else claim["text"]


def context_rows(report: dict[str, Any], section: str) -> list[list[Any]]:
    """Rows of ID, STATUS, SOURCE, CLAIM, WHY for the moot claims or the conflicts."""
    if section == "moot":
        return [
            [c["id"], c["status"], c["source"], c["text"],
             "; ".join(f"depends on {d['claim_id']} ({d['status']}): {d['text']}"
                       for d in c["depends_on"])]
            for c in report["moot"]
        ]  # fmt: skip
    return [
        [pair["claim"]["id"], pair["claim"]["status"], pair["claim"]["source"],
         pair["claim"]["text"], f"contradicts {pair['other']['id']} (confirmed, "
         f"{pair['other']['source'] or 'no source'}): {pair['other']['text']}"]
        for pair in report["conflicts"]
    ]  # fmt: skip


CONTEXT_HEADERS = ["ID", "Status", "Source", "Claim", "Why"]


def lean(claim: dict[str, Any]) -> str:
    value = claim["lean"]
    return f"+{value}" if value > 0 else str(value)


def likelihood(claim: dict[str, Any]) -> str:
    return ratio(claim["likelihood"])


def by_subject(
    claims: Sequence[dict[str, Any]],
) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """Claims grouped by subject, subjects in order of their first (soonest) claim."""
    order: dict[str, int] = {}
    for index, claim in enumerate(claims):
        order.setdefault(claim["subject"] or "", index)
    ranked = sorted(claims, key=lambda c: order[c["subject"] or ""])
    return groupby(ranked, key=lambda c: c["subject"] or "(no subject)")


def summary(report: dict[str, Any]) -> str:
    t = report["totals"]
    return (
        f"{t['pending']} pending ({t['overdue']} overdue) · {t['confirmed']} confirmed · "
        f"{t['refuted']} refuted · {t['disputed']} disputed"
    )
