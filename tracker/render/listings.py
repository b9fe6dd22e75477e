"""Rendering the shapes (tracker.queries.shapes) as text, JSON or CSV: one renderer per shape.

Text is aligned for people and coloured only on a terminal (tracker.render.terminal);
JSON and CSV are for scripts and spreadsheets (tracker.render.json_csv).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import click

from tracker.render.json_csv import emit_csv, emit_json
from tracker.render.tables import table
from tracker.render.terminal import displayed, say, status_text
from tracker.render.writes import edit_detail
from tracker.rules.kinds import LINK_WORDS, LIST_CSV_COLUMNS

# -- claims ------------------------------------------------------------------


def _flat_claim(claim: dict[str, Any]) -> dict[str, Any]:
    expected = claim["expected"] or {}
    return {
        **claim,
        "expected": expected.get("text"),
        "expected_start": expected.get("start"),
        "expected_end": expected.get("end"),
    }


def claims(items: Sequence[dict[str, Any]], fmt: str, *, wrap: bool = False) -> None:
    """`list`: on a terminal, subject and source give way to the claim text (`wrap`: the
    text goes on over more lines rather than being cut)."""
    if fmt == "json":
        return emit_json(list(items))
    if fmt == "csv":  # a shape `import` reads back
        return emit_csv(LIST_CSV_COLUMNS, [_flat_claim(c) for c in items])
    if fmt == "ids":  # one handle a line: what commands on several claims read from `-`
        if items:
            click.echo("\n".join(c["handle"] for c in items))
        return None
    items = displayed(list(items))
    if not items:
        say("No claims match.")
        return
    rows = [
        [
            str(c["id"]),
            c["handle"],
            status_text(c["status"]) + (click.style(" overdue", fg="red") if c["overdue"] else ""),
            c["subject"] or "",
            c["source"] or "",
            (c["expected"] or {}).get("end") or "",
            c["text"],
        ]
        for c in items
    ]
    headers = ["ID", "HANDLE", "STATUS", "SUBJECT", "SOURCE", "DUE", "CLAIM"]
    say(table(headers, rows, shrink=(3, 4), wrap=wrap))


def claim_detail(claim: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        return emit_json(claim)
    claim = displayed(claim)
    title = f"Claim {claim['id']} ({claim['handle']}" + (
        f", key {claim['key']})" if claim["key"] else ")"
    )
    say(click.style(title, bold=True) + f": {claim['text']}")
    expected = claim["expected"]
    article = claim["article"]
    fields = [
        (
            "Status",
            status_text(claim["status"])
            + (f" on {claim['resolved_on']}" if claim["resolved_on"] else "")
            + (click.style(" (overdue)", fg="red") if claim["overdue"] else "")
            + (click.style(" (withdrawn)", bold=True) if claim.get("withdrawn") else ""),
        ),
        ("Actually", claim.get("actual")),
        ("Subject", claim["subject"]),
        ("Source", claim["source"]),
        ("Said on", claim["said_on"]),
        ("Expected", expected and f"{expected['text']} ({expected['start']} to {expected['end']})"),
        ("Likelihood", _likelihood(claim)),
        ("Tags", ", ".join(claim["tags"]) or None),
        (
            "Article",
            article
            and " · ".join(
                str(v)
                for v in (
                    article["title"],
                    article["outlet"],
                    article["published_on"],
                    article["url"],
                )
                if v
            ),
        ),
        ("Quote", claim.get("quote") and f"“{claim['quote']}”"),
    ]
    for name, value in fields:
        if value:
            say(f"  {name + ':':<12}{value}")
    if claim.get("links"):
        say(click.style("\nLinks", bold=True))
        rows = [
            [
                _link_words(link),
                str(link["claim_id"]),
                link.get("handle") or "",
                status_text(link["status"]) + (" (withdrawn)" if link.get("withdrawn") else ""),
                link["text"],
            ]
            for link in claim["links"]
        ]
        say(table(["LINK", "CLAIM", "HANDLE", "STATUS", "TEXT"], rows))
    if claim["evidence"]:
        say(click.style("\nEvidence", bold=True))
        tiers = any(e.get("tier") for e in claim["evidence"])  # a column only when some have
        rows = [
            [
                str(e["id"]),
                e["observed_on"],
                e["stance"] + (" (retracted)" if e["retracted"] else ""),
                *([e.get("tier") or ""] if tiers else []),
                e["source"] or "",
                " — ".join(v for v in (e["note"], e["url"]) if v),
            ]
            for e in claim["evidence"]
        ]
        headers = ["ID", "ON", "STANCE", *(["TIER"] if tiers else []), "SOURCE", "NOTE"]
        say(table(headers, rows))
    say(click.style("\nHistory", bold=True))
    say(table(*_event_rows(claim["history"], with_claim=False)))


def _link_words(link: dict[str, Any]) -> str:

    out, _, back = LINK_WORDS[link["kind"]]
    return out if link["direction"] == "out" else back


def _likelihood(claim: dict[str, Any]) -> str | None:
    if claim["likelihood"] is None:
        return None
    hedge = f" ({claim['hedge']})" if claim.get("hedge") else ""
    return f"{claim['likelihood']:.2f}{hedge}"


# -- events ------------------------------------------------------------------

EVENT_CSV_COLUMNS = (
    "id", "claim_id", "event", "from_status", "to_status", "evidence_id", "effective_on",
    "recorded_at", "actor", "reason", "uid", "claim_uid", "evidence_uid", "claim_handle",
)  # fmt: skip


HISTORY_HEADERS = ["ID", "RECORDED", "EFFECTIVE", "EVENT", "STATUS", "BY", "DETAIL"]


def _event_rows(
    items: Sequence[dict[str, Any]], *, with_claim: bool
) -> tuple[list[str], list[list[str]]]:
    headers = HISTORY_HEADERS[:1] + (["CLAIM"] if with_claim else []) + HISTORY_HEADERS[1:]
    rows = []
    for e in items:
        if e["from_status"] in (None, e["to_status"]):
            status = status_text(e["to_status"])
        else:
            status = f"{status_text(e['from_status'])} -> {status_text(e['to_status'])}"
        rows.append(
            [
                str(e["id"]),
                *([str(e["claim_id"])] if with_claim else []),
                e["recorded_at"].replace("T", " ")[:16],
                e["effective_on"],
                e["event"],
                status,
                event_actor(e),
                "; ".join(event_detail(e)),
            ]
        )
    return headers, rows


def _plain(words: str) -> str:
    return words


def event_detail(
    e: dict[str, Any],
    *,
    words: Callable[[str], str] = _plain,
    claim: Callable[[Any], str] = str,
) -> list[str]:
    """What an event's DETAIL says, in parts, as `show` and the team page both print it:
    `words` turns each piece of text into its output (HTML escapes it), `claim` a linked
    claim's number (the page makes it a link)."""
    detail = []
    if e["evidence_id"] is not None:
        detail.append(words(f"evidence {e['evidence_id']}"))
    if "resolved_as" in e:
        detail.append(words(f"as {e['resolved_as']}"))
    if "undoes" in e:
        detail.append(words(f"undoes event {e.get('undoes_event_id') or e['undoes']}"))
    if e["event"] in ("linked", "unlinked"):
        other = e.get("linked_claim_id")
        target = claim(other) if other else words(str(e["changes"]["claim"]))
        detail.append(words(f"{e['changes']['kind']} claim ") + target)
    elif e["event"] in ("source_renamed", "source_merged"):
        detail.append(words(_source_move(e["changes"])))
    elif "changes" in e:
        detail.append(words(edit_detail(e["changes"])))
    if e.get("actual"):
        detail.append(words(f"actually: {e['actual']}"))
    if e["reason"]:
        detail.append(words(e["reason"]))
    return detail


def event_actor(e: dict[str, Any]) -> str:
    """Who recorded it, and the database user too when that is someone else."""
    actor, db_user = str(e["actor"]), e.get("db_user")
    return actor + (f" (db: {db_user})" if db_user not in (None, actor) else "")


def _source_move(changes: dict[str, list[str]]) -> str:
    """A rename or merge in a claim's history: 'Kuo -> Ming-Chi Kuo (its source, evidence)'."""
    old, new = next(iter(changes.values()))
    whose = [word for key, word in (("source", "its source"), ("evidence_source", "evidence"))
             if key in changes]  # fmt: skip
    return f"{old} -> {new} ({', '.join(whose)})"


def events(items: Sequence[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        return emit_json(list(items))
    if fmt == "csv":
        return emit_csv(EVENT_CSV_COLUMNS, items)
    items = displayed(list(items))
    if not items:
        say("No events.")
        return
    say(table(*_event_rows(items, with_claim=True)))


# -- sources -------------------------------------------------------------------

SOURCE_COLUMNS = (
    "name", "claims", "pending", "confirmed", "refuted", "disputed", "overdue", "accuracy",
    "accuracy_low", "brier", "originated", "repeated", "repeat_accuracy",
)  # fmt: skip


def ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


SOURCE_HEADERS = ("Source", "Claims", "Pending", "Confirmed", "Refuted", "Disputed", "Overdue",
                  "Accuracy", "Low 95%", "Brier", "Repeated", "Repeat acc.")  # fmt: skip


def source_cells(row: dict[str, Any]) -> list[str]:
    """A source row as the cells every human format shows, ratios to two places."""
    counts = [str(row[column]) for column in SOURCE_COLUMNS[1:7]]
    ratios = [ratio(row[c]) for c in ("accuracy", "accuracy_low", "brier")]
    return [row["name"], *counts, *ratios, str(row["repeated"]), ratio(row["repeat_accuracy"])]


def source_table(rows: Sequence[dict[str, Any]], *, indent: int = 0) -> str:
    headers = [header.upper() for header in SOURCE_HEADERS]
    return table(headers, [source_cells(r) for r in rows], stretch=0, indent=indent)


def sources(rows: Sequence[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        return emit_json(list(rows))
    if fmt == "csv":
        return emit_csv(SOURCE_COLUMNS, rows)
    rows = displayed(list(rows))
    say(source_table(rows) if rows else "No source has a claim to count here.")
