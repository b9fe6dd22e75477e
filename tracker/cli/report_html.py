"""The report as one self-contained HTML page, with an SVG timeline per subject.

No scripts and no external assets; every piece of user text goes through
`escape`, so a claim cannot inject markup into the page.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from tracker.cli.render import SOURCE_HEADERS, source_cells
from tracker.cli.report_text import (
    SECTION_TITLES,
    STATUS_SECTIONS,
    by_subject,
    lean,
    likelihood,
    summary,
    when,
)

COLOURS = {
    "pending": "#c98a00",
    "confirmed": "#1e8a3c",
    "refuted": "#c0392b",
    "disputed": "#8e44ad",
}
STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 64rem; color: #222;
       padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; }
h3 { margin: 1.2rem 0 .4rem; font-size: 1.05rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: 14px; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #eee;
         vertical-align: top; }
th { background: #f6f6f6; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { font-weight: 600; } .overdue { color: #c0392b; font-weight: 600; }
.summary { color: #555; } .more { color: #777; font-style: italic; }
svg { display: block; margin: .3rem 0 1rem; } svg text { font: 12px system-ui, sans-serif; }
.legend span { display: inline-block; margin-right: 1rem; font-size: 13px; }
.legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem;
            vertical-align: -1px; border-radius: 2px; }
"""


def e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _status(status: str) -> str:
    return f'<span class="status" style="color:{COLOURS[status]}">{e(status)}</span>'


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _more(report: dict[str, Any], section: str) -> str:
    more = report["more"].get(section, 0)
    return f'<p class="more">… and {more} more (raise --limit)</p>' if more else ""


def html(report: dict[str, Any]) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Claim report as of {e(report['as_of'])}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Claim report as of {e(report['as_of'])}</h1>",
        f'<p class="summary">{e(summary(report))}</p>',
        "<h2>Timeline</h2>",
        _legend(),
        _timelines(report),
        f"<h2>{e(SECTION_TITLES['pending'])}</h2>",
    ]
    if not report["pending"]:
        parts.append("<p>Nothing pending.</p>")
    for subject, claims in by_subject(report["pending"]):
        rows = []
        for c in claims:
            due = when(c)
            rows.append(
                [e(c["id"]), e((c["expected"] or {}).get("end")),
                 f'<span class="overdue">{e(due)}</span>' if c["overdue"] else e(due),
                 e(likelihood(c)), e(c["source"]), e(lean(c)), e(c["text"])]
            )  # fmt: skip
        parts += [
            f"<h3>{e(subject)}</h3>",
            _table(["ID", "Due", "When", "Likely", "Source", "Lean", "Claim"], rows, {0, 3, 5}),
        ]
    parts.append(_more(report, "pending"))
    for section in STATUS_SECTIONS:
        parts.append(f"<h2>{e(SECTION_TITLES[section])}</h2>")
        claims = report[section]
        if not claims:
            parts.append("<p>None.</p>")
            continue
        rows = [
            [e(c["id"]), _status(c["status"]), e(c["said_on"]), e(c["resolved_on"]),
             e(c["source"]), e(c["text"])]
            for c in claims
        ]  # fmt: skip
        headers = ["ID", "Status", "Said", "Resolved", "Source", "Claim"]
        parts += [_table(headers, rows, {0}), _more(report, section)]
    parts.append("<h2>Sources</h2>")
    if report["sources"]:
        rows = [[e(cell) for cell in source_cells(r)] for r in report["sources"]]
        parts.append(_table(list(SOURCE_HEADERS), rows, set(range(1, 10))))
    else:
        parts.append("<p>None yet.</p>")
    parts.append("</body></html>")
    return "\n".join(p for p in parts if p) + "\n"


def _legend() -> str:
    items = "".join(
        f'<span><i style="background:{colour}"></i>{e(status)}</span>'
        for status, colour in COLOURS.items()
    )
    return (
        f'<p class="legend">{items}<span>line: said → window; bar: expected window; '
        "dot: resolved; dashed: report date</span></p>"
    )


# -- the timeline ---------------------------------------------------------------------

WIDTH, LABEL, ROW, TOP = 960, 300, 24, 26


def _timeline_claims(report: dict[str, Any]) -> list[dict[str, Any]]:
    seen: dict[int, dict[str, Any]] = {}
    for section in ("pending", "disputed", "recently_resolved", "recent"):
        for claim in report[section]:
            seen.setdefault(claim["id"], claim)
    return sorted(seen.values(), key=lambda c: (c["said_on"], c["id"]))


def _timelines(report: dict[str, Any]) -> str:
    claims = _timeline_claims(report)
    if not claims:
        return "<p>No claims yet.</p>"
    reference = date.fromisoformat(report["as_of"])
    charts = []
    for subject, group in by_subject(claims):
        charts.append(f"<h3>{e(subject)}</h3>")
        charts.append(_svg(list(group), reference))
    return "\n".join(charts)


def _svg(claims: list[dict[str, Any]], reference: date) -> str:
    days = [reference]
    for c in claims:
        days.append(date.fromisoformat(c["said_on"]))
        if c["expected"]:
            days += [
                date.fromisoformat(c["expected"]["start"]),
                date.fromisoformat(c["expected"]["end"]),
            ]
        if c["resolved_on"]:
            days.append(date.fromisoformat(c["resolved_on"]))
    first, last = min(days).toordinal(), max(days).toordinal()
    span = max(last - first, 1)

    def x(day: str | date) -> float:
        ordinal = (date.fromisoformat(day) if isinstance(day, str) else day).toordinal()
        return LABEL + (ordinal - first) / span * (WIDTH - LABEL - 20)

    height = TOP + ROW * len(claims) + 8
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="Timeline of claims">',
        f'<text x="{LABEL}" y="14" fill="#666">{date.fromordinal(first)}</text>',
        f'<text x="{WIDTH - 20}" y="14" fill="#666" text-anchor="end">'
        f"{date.fromordinal(last)}</text>",
    ]
    for row, c in enumerate(claims):
        y = TOP + row * ROW + ROW / 2
        colour = COLOURS[c["status"]]
        label = f"{c['id']} · {c['text']}"
        short = label if len(label) <= 44 else label[:43] + "…"
        out.append(f"<g><title>{e(label)} ({e(c['status'])})</title>")
        out.append(f'<text x="4" y="{y + 4:.1f}">{e(short)}</text>')
        end = c["expected"]["start"] if c["expected"] else c["said_on"]
        out.append(
            f'<line x1="{x(c["said_on"]):.1f}" y1="{y:.1f}" x2="{x(end):.1f}" y2="{y:.1f}" '
            'stroke="#999" stroke-width="2"/>'
        )
        out.append(f'<circle cx="{x(c["said_on"]):.1f}" cy="{y:.1f}" r="3" fill="#999"/>')
        if c["expected"]:
            left, right = x(c["expected"]["start"]), x(c["expected"]["end"])
            out.append(
                f'<rect x="{left:.1f}" y="{y - 6:.1f}" width="{max(right - left, 3):.1f}" '
                f'height="12" rx="3" fill="{colour}" fill-opacity="0.35" stroke="{colour}"/>'
            )
        if c["resolved_on"]:
            out.append(
                f'<circle cx="{x(c["resolved_on"]):.1f}" cy="{y:.1f}" r="6" fill="{colour}"/>'
            )
        out.append("</g>")
    ref = x(reference)
    out.append(
        f'<line x1="{ref:.1f}" y1="{TOP - 6}" x2="{ref:.1f}" y2="{height - 4}" stroke="#333" '
        'stroke-dasharray="4 3"/>'
    )
    out.append("</svg>")
    return "\n".join(out)
