"""The report as text (for a terminal or a mail) and as Markdown (for a wiki).

Both read the report's JSON shape (tracker.queries.reports.build_report) and return a
string, so `--output FILE` can write it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from tracker.render.listings import SOURCE_HEADERS, source_cells, source_table
from tracker.render.report_parts import (
    CHANGE_TITLES,
    CONTEXT_HEADERS,
    CONTEXT_TITLES,
    STATUS_SECTIONS,
    by_subject,
    change_more,
    change_summary,
    claim_text,
    context_rows,
    lean,
    likelihood,
    local_day,
    status_move,
    summary,
    title,
    when,
)
from tracker.render.tables import table
from tracker.render.terminal import status_text


def _more(report: dict[str, Any], section: str) -> str | None:
    more = report["more"].get(section, 0)
    return f"… and {more} more (raise --limit)" if more else None


def _heading(words: str) -> str:
    return click.style(words, bold=True, underline=True)


INDENT = 2  # the report's tables sit under their headings


def _indented(block: str) -> list[str]:
    # split("\n"), not splitlines(): a form feed or U+2028 in a claim is not a row's end.
    return [" " * INDENT + line for line in block.split("\n")] if block else []


def _text_changes(changes: dict[str, Any], wrap: bool) -> list[str]:
    out = ["", _heading(change_summary(changes))]
    for name in CHANGE_TITLES:
        items = changes[name]
        if not items:
            continue
        out.append(click.style(CHANGE_TITLES[name], bold=True))
        if name == "status_changes":
            rows = [
                [str(c["claim_id"]), status_text(c["from_status"]) + " -> " +
                 status_text(c["to_status"]), c["effective_on"], local_day(c["recorded_at"]),
                 c["text"]]
                for c in items
            ]  # fmt: skip
            headers = ["CLAIM", "STATUS", "EFFECTIVE", "RECORDED", "TEXT"]
            out += _indented(table(headers, rows, wrap=wrap, indent=INDENT))
        else:
            rows = [
                [str(c["id"]), status_text(c["status"]), c["said_on"],
                 (c["expected"] or {}).get("end") or "", c["source"] or "", c["text"]]
                for c in items
            ]  # fmt: skip
            headers = ["ID", "STATUS", "SAID", "DUE", "SOURCE", "CLAIM"]
            out += _indented(table(headers, rows, shrink=(4,), wrap=wrap, indent=INDENT))
        out += filter(None, [change_more(changes, name)])
    return out


def _text_context(report: dict[str, Any], wrap: bool) -> list[str]:
    out: list[str] = []
    for section, heading in CONTEXT_TITLES.items():
        if report[section]:
            rows = [[str(cell or "") for cell in row] for row in context_rows(report, section)]
            headers = [header.upper() for header in CONTEXT_HEADERS]
            lines = table(headers, rows, shrink=(2,), wrap=wrap, indent=INDENT)
            out += ["", _heading(heading), *_indented(lines)]
            out += filter(None, [_more(report, section)])
    return out


def text(report: dict[str, Any], *, wrap: bool = False) -> str:
    """The report for a terminal or a mail. On a terminal the source column gives way to
    the claim text; `wrap` continues a long claim on the next lines instead of cutting it."""
    out = [click.style(f"Claim report as of {report['as_of']}", bold=True), summary(report)]
    if "changes" in report:
        out += _text_changes(report["changes"], wrap)
    out += ["", _heading(title(report, "pending"))]
    if not report["pending"]:
        out.append("  Nothing pending.")
    for subject, claims in by_subject(report["pending"]):
        out.append(click.style(subject, bold=True))
        rows = [
            [
                str(c["id"]),
                (c["expected"] or {}).get("end") or "",
                click.style(when(c), fg="red") if c["overdue"] else when(c),
                likelihood(c),
                c["source"] or "",
                lean(c),
                c["text"],
            ]
            for c in claims
        ]
        headers = ["ID", "DUE", "WHEN", "LIKELY", "SOURCE", "LEAN", "CLAIM"]
        lines = table(headers, rows, shrink=(4,), wrap=wrap, indent=INDENT)
        out += _indented(lines)
    out += filter(None, [_more(report, "pending")])
    for section in STATUS_SECTIONS:
        out += ["", _heading(title(report, section))]
        claims = report[section]
        if not claims:
            out.append("  None.")
        else:
            rows = [
                [str(c["id"]), status_text(c["status"]), c["said_on"], c["resolved_on"] or "",
                 c["source"] or "", claim_text(c)]
                for c in claims
            ]  # fmt: skip
            headers = ["ID", "STATUS", "SAID", "RESOLVED", "SOURCE", "CLAIM"]
            lines = table(headers, rows, shrink=(4,), wrap=wrap, indent=INDENT)
            out += _indented(lines)
            out += filter(None, [_more(report, section)])
        if section == "disputed":
            out += _text_context(report, wrap)
    out += ["", _heading("Sources")]
    sources = source_table(report["sources"], indent=INDENT) if report["sources"] else "None yet."
    out += _indented(sources)
    return "\n".join(out) + "\n"


# -- Markdown ----------------------------------------------------------------------


def md(value: Any) -> str:
    """A table cell: pipes escaped, newlines flattened, Markdown and HTML kept inert."""
    text = " ".join(str(value if value is not None else "").split())
    for char in "\\|*_`[]<>#":
        text = text.replace(char, "\\" + char)
    return text


def md_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(md(cell) for cell in row) + " |" for row in rows]
    return lines


def _markdown_changes(changes: dict[str, Any]) -> list[str]:
    out = [f"## {md(change_summary(changes))}", ""]
    for name in CHANGE_TITLES:
        items = changes[name]
        if not items:
            continue
        out += [f"### {CHANGE_TITLES[name]}", ""]
        if name == "status_changes":
            out += md_table(
                ["Claim", "Status", "Effective", "Recorded", "Text"],
                [[c["claim_id"], status_move(c), c["effective_on"], local_day(c["recorded_at"]),
                  c["text"]] for c in items],
            )  # fmt: skip
        else:
            out += md_table(
                ["ID", "Status", "Said", "Due", "Source", "Claim"],
                [[c["id"], c["status"], c["said_on"], (c["expected"] or {}).get("end"),
                  c["source"], c["text"]] for c in items],
            )  # fmt: skip
        more = change_more(changes, name)
        out += ["", more] if more else []
        out.append("")
    return out


def markdown(report: dict[str, Any]) -> str:
    out = [f"# Claim report as of {report['as_of']}", "", summary(report), ""]
    if "changes" in report:
        out += _markdown_changes(report["changes"])
    out += [f"## {title(report, 'pending')}", ""]
    if not report["pending"]:
        out += ["Nothing pending.", ""]
    for subject, claims in by_subject(report["pending"]):
        out += [f"### {md(subject)}", ""]
        out += md_table(
            ["ID", "Due", "When", "Likely", "Source", "Lean", "Claim"],
            [
                [c["id"], (c["expected"] or {}).get("end"), when(c), likelihood(c), c["source"],
                 lean(c), c["text"]]
                for c in claims
            ],
        )  # fmt: skip
        out.append("")
    more = _more(report, "pending")
    out += [more, ""] if more else []  # a paragraph of its own, before the next heading
    for section in STATUS_SECTIONS:
        out += [f"## {title(report, section)}", ""]
        claims = report[section]
        if claims:
            out += md_table(
                ["ID", "Status", "Said", "Resolved", "Source", "Claim"],
                [
                    [c["id"], c["status"], c["said_on"], c["resolved_on"], c["source"],
                     claim_text(c)]
                    for c in claims
                ],
            )  # fmt: skip
        else:
            out.append("None.")
        more = _more(report, section)
        out += ["", *([more, ""] if more else [])]
        if section == "disputed":
            for name, heading in CONTEXT_TITLES.items():
                if report[name]:
                    out += [f"## {heading}", ""]
                    out += md_table(CONTEXT_HEADERS, context_rows(report, name))
                    more = _more(report, name)
                    out += ["", *([more, ""] if more else [])]
    out += ["## Sources", ""]
    rows = [source_cells(r) for r in report["sources"]]
    out += md_table(SOURCE_HEADERS, rows) if rows else ["None yet."]
    return "\n".join(out).rstrip("\n") + "\n"
