"""The inbox for people and scripts: what `watch` did per source, the open suggestions, and
what a decision did."""

from __future__ import annotations

from typing import Any

from tracker.inbox.reports import SourceReport, Suggested
from tracker.inbox.suggestions import Decided, OpenSuggestion
from tracker.render.tables import table
from tracker.render.terminal import displayed
from tracker.render.writes import claim_of, status_changed


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def watch_lines(reports: list[SourceReport], dry_run: bool) -> list[str]:
    """Per source: items seen and new and the suggestions made (each on a line below)."""
    lines = []
    would = "would be " if dry_run else ""
    for report in reports:
        if report.error is not None:
            continue  # said on standard error
        if report.stored:
            if not report.items:
                continue  # no stored article is recent enough to say anything of
            lines.append(
                f"{report.source} (read before some claims were added): "
                f"{_plural(report.items, 'article')}, "
                f"{_plural(len(report.suggestions), 'suggestion')}"
                + (" would be made" if report.suggestions and dry_run else "")
            )
            lines.extend("  " + suggested_line(s) for s in report.suggestions)
            continue
        if report.not_modified:
            lines.append(f"{report.source}: not modified since the last run")
            continue
        line = (f"{report.source}: {_plural(report.items, 'item')}, {report.new} new, "
                f"{_plural(len(report.suggestions), 'suggestion')}")  # fmt: skip
        if report.pages_failed:
            line += f" ({_plural(report.pages_failed, 'page')} could not be read)"
        if report.future:
            line += f" ({_plural(report.future, 'item')} dated after today, kept undated)"
        lines.append(line + (f" {would}made".rstrip() if report.suggestions and dry_run else ""))
        lines.extend("  " + suggested_line(s) for s in report.suggestions)
    return lines


def suggested_line(suggestion: Suggested) -> str:
    number = f"#{suggestion.id} " if suggestion.id is not None else ""
    what = suggestion.title or suggestion.url
    claim = f"claim {suggestion.claim_id} ({suggestion.claim_handle})"
    return f"{number}{claim} {suggestion.score:.2f} {suggestion.stance}: {what}"


def watch_shape(reports: list[SourceReport], dry_run: bool) -> dict[str, Any]:
    """`sources`, each as read; `stored`: the stored articles matched for the claims
    added since they were read (null when no claim was)."""
    stored = next((r for r in reports if r.stored), None)
    return {
        "dry_run": dry_run,
        "sources": [
            {
                "source": r.source,
                "items": r.items,
                "new": r.new,
                "not_modified": r.not_modified,
                "pages_failed": r.pages_failed,
                "future_dated": r.future,
                "error": r.error,
                "suggestions": [_suggested_shape(s) for s in r.suggestions],
            }
            for r in reports
            if not r.stored
        ],
        "stored": None
        if stored is None
        else {
            "articles": stored.items,
            "suggestions": [_suggested_shape(s) for s in stored.suggestions],
        },  # fmt: skip
    }


def _suggested_shape(s: Suggested) -> dict[str, Any]:
    return {
        "id": s.id,
        "claim": {"id": s.claim_id, "handle": s.claim_handle, "text": s.claim_text},
        "article": {"title": s.title, "url": s.url},
        "score": s.score,
        "stance": s.stance,
    }


HEADERS = ("ID", "Score", "Stance", "Claim", "Outlet", "Published", "Article")


def inbox_table(suggestions: list[OpenSuggestion]) -> str:
    if not suggestions:
        return "No open suggestions."
    rows = []
    for s in suggestions:
        shape = displayed(s.shape())
        claim = shape["claim"]
        rows.append([
            str(s.id), f"{s.score:.2f}", s.stance, f"{claim['id']} {claim['handle']}",
            shape["article"]["outlet"] or "", shape["article"]["published"] or "",
            shape["article"]["title"] or shape["article"]["url"],
        ])  # fmt: skip
    return table(HEADERS, rows)


def accepted_line(decided: Decided) -> str:
    change = decided.change
    assert change is not None
    return f"Suggestion {decided.suggestion_id} accepted: " + status_changed(
        claim_of(change), change
    )


def rejected_line(decided: Decided) -> str:
    title = displayed(decided.title) if decided.title else "the article"
    return f"Suggestion {decided.suggestion_id} rejected: {title} (claim {decided.claim_id})"
