"""The report as one self-contained HTML page, with an SVG timeline per subject.

No scripts and no external assets; every piece of user text goes through `e`,
and only http and https URLs become links, so a claim cannot inject markup or a
`javascript:` link into the page. Each subject's timeline spans its own claims'
dates, with month or year ticks as the span needs, so a subject of 2022 in a
report of 2026 still fills the width.

One module, longer than most, on purpose: every piece of the report's markup (the
page and its SVG) is here, so its escaping is read and checked in one place. The
team page (tracker.web) serves this same page, adding only what its caller passes
in: markup at the end of the head (the page's live-update script) and a link from
each listed claim's number to the claim's own page; its other pages escape with `e`
and link with `link` from here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from html import escape
from typing import Any

from tracker.render.listings import SOURCE_HEADERS, source_cells
from tracker.render.report_parts import (
    CHANGE_TITLES,
    CONTEXT_HEADERS,
    CONTEXT_TITLES,
    STATUS_SECTIONS,
    by_subject,
    change_more,
    change_summary,
    context_rows,
    lean,
    likelihood,
    local_day,
    status_move,
    summary,
    title,
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
td:not(:last-child) { white-space: nowrap; }
th { background: #f6f6f6; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
a { color: #1a5fb4; }
.status { font-weight: 600; } .overdue { color: #c0392b; font-weight: 600; }
.summary { color: #555; } .more { color: #777; font-style: italic; }
div.actual { color: #333; font-style: italic; }
ul.trail { margin: .2rem 0 0; padding-left: 1.1rem; color: #555; font-size: 13px; }
ul.trail .retracted { text-decoration: line-through; color: #999; }
svg { display: block; margin: .3rem 0 1rem; } svg text { font: 12px system-ui, sans-serif; }
.legend span { display: inline-block; margin-right: 1rem; font-size: 13px; }
.legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem;
            vertical-align: -1px; border-radius: 2px; }
"""


def e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def link(text: str, url: str | None) -> str:
    """`text` (escaped), linked to `url` when it is an http or https URL."""
    if url and url.split(":", 1)[0].lower() in ("http", "https"):
        return f'<a href="{e(url)}" rel="noopener noreferrer">{e(text)}</a>'
    return e(text)


def _status(status: str) -> str:
    return f'<span class="status" style="color:{COLOURS[status]}">{e(status)}</span>'


def _table(headers: list[str], rows: list[list[str]], numeric: frozenset[int] = frozenset()) -> str:
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


def claim_cell(claim: dict[str, Any]) -> str:
    """The claim's text (linked to its article), what actually happened, then its evidence
    and resolutions."""
    article = claim.get("article") or {}
    cell = link(claim["text"], article.get("url"))
    if claim.get("actual"):
        cell += f'<div class="actual">Actually: {e(claim["actual"])}</div>'
    trail = []
    for item in claim.get("evidence", []):
        shown = (item["on"], item["stance"], item.get("tier"), item["source"])
        words = " · ".join(e(v) for v in shown if v)
        note = f" — {e(item['note'])}" if item["note"] else ""
        source = f" ({link('source', item['url'])})" if item["url"] else ""
        css = ' class="retracted" title="retracted"' if item["retracted"] else ""
        trail.append(f"<li{css}>{words}{note}{source}</li>")
    for item in claim.get("resolutions", []):
        trail.append(
            f"<li>{e(item['on'])} · resolved as {e(item['status'])} — {e(item['reason'])}"
            f" ({e(item['by'])})</li>"
        )
    if trail:
        cell += '<ul class="trail">' + "".join(trail) + "</ul>"
    return cell


ClaimHref = Callable[[dict[str, Any]], str]


def html(report: dict[str, Any], *, claim_href: ClaimHref | None = None, head: str = "") -> str:
    """The page. `claim_href` gives a listed claim's number a link (to a URL the caller
    makes safe); `head` is the caller's own markup for the end of the head, never user
    text."""

    def number(claim: dict[str, Any]) -> str:
        if claim_href is None:
            return e(claim["id"])
        return f'<a href="{e(claim_href(claim))}">{e(claim["id"])}</a>'

    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Claim report as of {e(report['as_of'])}</title>",
        f"<style>{STYLE}</style>{head}</head><body>",
        f"<h1>Claim report as of {e(report['as_of'])}</h1>",
        f'<p class="summary">{e(summary(report))}</p>',
    ]
    if "changes" in report:
        parts += _changes(report["changes"], number)
    parts += ["<h2>Timeline</h2>", _legend(), _timelines(report)]
    parts.append(f"<h2>{e(title(report, 'pending'))}</h2>")
    if not report["pending"]:
        parts.append("<p>Nothing pending.</p>")
    for subject, claims in by_subject(report["pending"]):
        rows = []
        for c in claims:
            due = when(c)
            rows.append(
                [number(c), e((c["expected"] or {}).get("end")),
                 f'<span class="overdue">{e(due)}</span>' if c["overdue"] else e(due),
                 e(likelihood(c)), e(c["source"]), e(lean(c)), claim_cell(c)]
            )  # fmt: skip
        headers = ["ID", "Due", "When", "Likely", "Source", "Lean", "Claim"]
        parts += [f"<h3>{e(subject)}</h3>", _table(headers, rows, frozenset({0, 3, 5}))]
    parts.append(_more(report, "pending"))
    for section in STATUS_SECTIONS:
        parts.append(f"<h2>{e(title(report, section))}</h2>")
        claims = report[section]
        rows = [
            [number(c), _status(c["status"]), e(c["said_on"]), e(c["resolved_on"]),
             e(c["source"]), claim_cell(c)]
            for c in claims
        ]  # fmt: skip
        headers = ["ID", "Status", "Said", "Resolved", "Source", "Claim"]
        table = _table(headers, rows, frozenset({0})) if rows else "<p>None.</p>"
        parts += [table, _more(report, section)]
        if section == "disputed":
            parts += _context(report)
    parts.append("<h2>Sources</h2>")
    if report["sources"]:
        rows = [[e(cell) for cell in source_cells(r)] for r in report["sources"]]
        parts.append(_table(list(SOURCE_HEADERS), rows, frozenset(range(1, 12))))
    else:
        parts.append("<p>None yet.</p>")
    parts.append("</body></html>")
    return "\n".join(p for p in parts if p) + "\n"


def _context(report: dict[str, Any]) -> list[str]:
    """The moot claims and the conflicts, when there are any."""
    parts = []
    for section, heading in CONTEXT_TITLES.items():
        if report[section]:
            rows = [[e(cell) for cell in row] for row in context_rows(report, section)]
            parts += [f"<h2>{e(heading)}</h2>", _table(CONTEXT_HEADERS, rows, frozenset({0})),
                      _more(report, section)]  # fmt: skip
    return parts


def _changes(changes: dict[str, Any], number: Callable[[dict[str, Any]], str]) -> list[str]:
    parts = [f"<h2>What changed since {e(changes['since'])}</h2>",
             f'<p class="summary">{e(change_summary(changes))}</p>']  # fmt: skip
    for name, heading in CHANGE_TITLES.items():
        items = changes[name]
        if not items:
            continue
        parts.append(f"<h3>{e(heading)}</h3>")
        if name == "status_changes":
            rows = [
                [e(c["claim_id"]), e(status_move(c)), e(c["effective_on"]),
                 e(local_day(c["recorded_at"])), e(c["text"])]
                for c in items
            ]  # fmt: skip
            headers = ["Claim", "Status", "Effective", "Recorded", "Text"]
        else:
            rows = [
                [number(c), _status(c["status"]), e(c["said_on"]),
                 e((c["expected"] or {}).get("end")), e(c["source"]), claim_cell(c)]
                for c in items
            ]  # fmt: skip
            headers = ["ID", "Status", "Said", "Due", "Source", "Claim"]
        parts.append(_table(headers, rows, frozenset({0})))
        more = change_more(changes, name)
        parts.append(f'<p class="more">{e(more)}</p>' if more else "")
    return parts


def _legend() -> str:
    items = "".join(
        f'<span><i style="background:{colour}"></i>{e(status)}</span>'
        for status, colour in COLOURS.items()
    )
    return (
        f'<p class="legend">{items}<span>grey line: said → expected window; bar: expected '
        "window; dot: resolved; dashed: report date</span></p>"
    )


# -- the timeline ---------------------------------------------------------------------

WIDTH, LABEL, ROW, TOP, RIGHT = 960, 300, 24, 34, 16
LABEL_CHAR = 7.0  # a tick label's character, about (measured in Chromium), at 12px
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _timeline_claims(report: dict[str, Any]) -> list[dict[str, Any]]:
    seen: dict[int, dict[str, Any]] = {}
    for section in ("pending", "disputed", "recently_resolved", "recent"):
        for claim in report[section]:
            seen.setdefault(claim["id"], claim)
    return sorted(seen.values(), key=lambda c: (c["said_on"], c["id"]))


def _timelines(report: dict[str, Any]) -> str:
    claims = _timeline_claims(report)
    if not claims:
        return "<p>No claims listed.</p>"
    reference = date.fromisoformat(report["as_of"])
    charts = []
    for subject, group in by_subject(claims):
        charts.append(f"<h3>{e(subject)}</h3>")
        charts.append(_svg(list(group), reference))
    return "\n".join(charts)


def _dates(claim: dict[str, Any]) -> list[date]:
    found = [date.fromisoformat(claim["said_on"])]
    if claim["expected"]:
        found += [date.fromisoformat(claim["expected"][k]) for k in ("start", "end")]
    if claim["resolved_on"]:
        found.append(date.fromisoformat(claim["resolved_on"]))
    return found


def ticks(first: date, last: date) -> list[tuple[date, str]]:
    """Axis ticks for the span, at most about a dozen: days or weeks up to two months,
    months (every 1, 2, 3 or 6) up to about three years, else years (1, 2, 5, 10...)."""
    span = (last - first).days
    if span <= 62:  # days: a tick a week
        step = 1 if span <= 10 else 7
        found: list[tuple[date, str]] = []
        for offset in range(0, span + 1, step):
            day = first + timedelta(days=offset)
            label = f"{day.day} {MONTHS[day.month - 1]}" + ("" if found else f" {day.year}")
            found.append((day, label))
        return found
    if span <= 3 * 366:
        step = next(s for s in (1, 2, 3, 6, 12) if span / 30.4 / s <= 12)
        found, year, month = [], first.year, first.month
        while (day := date(year, month, 1)) <= last:
            if day >= first and (month - 1) % step == 0:
                label = MONTHS[month - 1] + (f" {year}" if month == 1 or not found else "")
                found.append((day, label))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if span / 365.25 / s <= 12)
    return [
        (date(year, 1, 1), str(year))
        for year in range(first.year + 1, last.year + 1)
        if year % step == 0
    ]


def _svg(claims: list[dict[str, Any]], reference: date) -> str:
    days = [day for claim in claims for day in _dates(claim)]
    first, last = min(days), max(days)
    pad = max((last - first).days // 40, 3)  # marks at the ends stay inside the plot
    first, last = first - timedelta(days=pad), last + timedelta(days=pad)
    span = (last - first).days
    plot = WIDTH - LABEL - RIGHT

    def x(day: str | date) -> float:
        when = date.fromisoformat(day) if isinstance(day, str) else day
        return LABEL + (when - first).days / span * plot

    height = TOP + ROW * len(claims) + 20  # room below for the report date note
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="Timeline of claims">',
        f'<rect x="{LABEL}" y="{TOP - 8}" width="{plot}" height="{height - TOP}" fill="#fafafa"/>',
    ]
    labelled_to = 0.0  # where the last label drawn ends: a label that would overlap it is left out
    for day, label in ticks(first, last):
        left = x(day)
        out.append(
            f'<line x1="{left:.1f}" y1="{TOP - 8}" x2="{left:.1f}" y2="{height - 4}" '
            'stroke="#e2e2e2"/>'
        )
        width = LABEL_CHAR * len(label)
        anchor = "end" if left > WIDTH - 40 else "middle"  # the last label stays on the page
        start = left - width if anchor == "end" else left - width / 2
        if start < labelled_to + 2:
            continue
        labelled_to = start + width
        out.append(f'<text x="{left:.1f}" y="{TOP - 14}" fill="#666" text-anchor="{anchor}">'
                   f"{e(label)}</text>")  # fmt: skip
    for row, c in enumerate(claims):
        y = TOP + row * ROW + ROW / 2
        colour = COLOURS[c["status"]]
        label = f"{c['id']} · {c['text']}"
        short = label if len(label) <= 44 else label[:43] + "…"
        out.append(f"<g><title>{e(label)} ({e(c['status'])})</title>")
        out.append(f'<text x="4" y="{y + 4:.1f}">{e(short)}</text>')
        said = x(c["said_on"])
        if c["expected"]:
            left, right = x(c["expected"]["start"]), x(c["expected"]["end"])
            out.append(
                f'<line x1="{said:.1f}" y1="{y:.1f}" x2="{left:.1f}" y2="{y:.1f}" '
                'stroke="#999" stroke-width="2"/>'
            )
            width = max(right - left, 4)  # a one-day window at a decade's scale stays visible
            out.append(
                f'<rect x="{min(left, LABEL + plot - width):.1f}" y="{y - 6:.1f}" '
                f'width="{width:.1f}" height="12" rx="3" fill="{colour}" fill-opacity="0.35" '
                f'stroke="{colour}"/>'
            )
        out.append(f'<circle cx="{said:.1f}" cy="{y:.1f}" r="3.5" fill="#777"/>')
        if c["resolved_on"]:
            out.append(
                f'<circle cx="{x(c["resolved_on"]):.1f}" cy="{y:.1f}" r="6" fill="{colour}" '
                'stroke="#fff"/>'
            )
        out.append("</g>")
    if first <= reference <= last:
        ref = x(reference)
        out.append(
            f'<line x1="{ref:.1f}" y1="{TOP - 8}" x2="{ref:.1f}" y2="{height - 4}" '
            'stroke="#333" stroke-dasharray="4 3"/>'
        )
    elif reference > last:  # far after this subject's claims: said, not drawn to scale
        out.append(
            f'<text x="{WIDTH - 2}" y="{height - 4}" fill="#666" text-anchor="end">'
            f"report date {reference} →</text>"
        )
    out.append("</svg>")
    return "\n".join(out)
