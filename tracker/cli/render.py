"""Rendering the shapes (tracker.shapes) as text, JSON or CSV: one renderer per format.

Text is aligned for people and coloured only on a terminal (click.echo strips
styles otherwise); JSON and CSV are for scripts and spreadsheets.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

import click

STATUS_COLOURS = {
    "pending": "yellow",
    "confirmed": "green",
    "refuted": "red",
    "disputed": "magenta",
}
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\x00")
# What neutralises such a cell. A cell that already starts with it gets one more,
# so that dropping exactly one (as import does) always gives the value back.
NEUTRALISER = "'"


# The most a --limit may ask for: more claims than any database holds, and a
# number every backend's LIMIT takes.
LIMIT_MAX = 1_000_000_000


class FilePath(click.Path):
    """A file or folder name; an empty one, or one holding a NUL (which no file name can),
    is refused."""

    def convert(self, value, param, ctx):
        if str(value) == "":
            self.fail("a file name is needed here ('-' is standard output)", param, ctx)
        if "\x00" in str(value):
            from tracker.errors import InvalidInput

            raise InvalidInput(f"{str(value)!r}: a file name cannot contain a NUL character")
        return super().convert(value, param, ctx)


class Word(click.ParamType):
    """One of a few words (a stance, a status), whatever its case, with a "did you mean"."""

    def __init__(self, choices: tuple[str, ...], what: str):
        self.choices, self.what = choices, what
        self.name = what

    def get_metavar(self, param, ctx=None) -> str:  # click 8.1 and 8.2+ signatures
        return "[" + "|".join(self.choices) + "]"

    def convert(self, value, param, ctx):
        from tracker.errors import InvalidInput
        from tracker.text import one_of

        try:
            return one_of(str(value), self.choices, self.what)
        except InvalidInput as exc:
            self.fail(str(exc), param, ctx)


def output_format(*choices: str) -> Callable:
    """The --format option every read command shares."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="Output format.",
    )


# Our own colours (click.style's SGR codes), else any control character but a newline.
_CONTROL = re.compile(r"\x1b\[[0-9;]*m|[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_BLANKS = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


def _shown(match: re.Match) -> str:
    text = match.group()
    return text if len(text) > 1 else f"\\x{ord(text):02x}"


def terminal_safe(text: str) -> str:
    """Text a terminal shows but does not obey: a claim holding escape sequences
    could otherwise retitle the window or clear the screen."""
    return _CONTROL.sub(_shown, text)


# In user text: every control character (an escape sequence typed into a claim included)
# and the Unicode line and paragraph separators; tab and newline are the layout's to handle.
_USER_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def displayed(value: Any) -> Any:
    """A shape with its user text made visible, not obeyed, before a renderer styles it
    for people: a claim's own escape sequence is shown as `\\x1b`, never sent to the
    terminal or a file, and a form feed does not end a row."""
    if isinstance(value, str):
        return _USER_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                                 else f"\\u{ord(m.group()):04x}", value)  # fmt: skip
    if isinstance(value, dict):
        return {name: displayed(item) for name, item in value.items()}
    if isinstance(value, list):
        return [displayed(item) for item in value]
    return value


def say(text: str = "", nl: bool = True) -> None:
    """click.echo for text that holds user data: coloured only on a terminal, and never
    when NO_COLOR is set (no-color.org)."""
    click.echo(terminal_safe(text), nl=nl, color=False if os.environ.get("NO_COLOR") else None)


# JSON escapes C0 controls itself; C1 ones (8-bit CSI...) it leaves raw: a terminal
# showing the JSON would obey them.
_C1_ESCAPES = {code: f"\\u{code:04x}" for code in range(0x80, 0xA0)}


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False).translate(_C1_ESCAPES))


def stream_json(out: TextIO, value: Any, indent: int = 0) -> None:
    """`value` as JSON, written as it is read: objects indented, and each list item (a
    claim, a row) on a line of its own. A list may be any iterator: a report's claim
    lists are read from the database while they are written."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            out.write("{}")
            return
        out.write("{")
        for index, (name, item) in enumerate(value.items()):
            out.write(("\n" if index == 0 else ",\n") + pad + "  " + json.dumps(name) + ": ")
            stream_json(out, item, indent + 2)
        out.write("\n" + pad + "}" + ("\n" if indent == 0 else ""))
    elif isinstance(value, (list, tuple, Iterator)):
        out.write("[")
        empty = True
        for item in value:
            out.write(("\n" if empty else ",\n") + pad + "  ")
            out.write(json.dumps(item, ensure_ascii=False).translate(_C1_ESCAPES))
            empty = False
        out.write("]" if empty else "\n" + pad + "]")
    else:
        out.write(json.dumps(value, ensure_ascii=False).translate(_C1_ESCAPES))


def materialised(value: Any) -> Any:
    """A JSON value with its iterators read into lists (for renderers that need them whole)."""
    if isinstance(value, dict):
        return {name: materialised(item) for name, item in value.items()}
    if isinstance(value, (list, tuple, Iterator)):
        return [materialised(item) for item in value]
    return value


def status_text(status: str) -> str:
    return click.style(status, fg=STATUS_COLOURS.get(status))


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) or text.startswith(NEUTRALISER):
        return NEUTRALISER + text
    return text


class CsvLines:
    """CSV rows as lines ending in "\n", any cell holding a CR or LF quoted.

    csv quotes a cell only for the characters of its line terminator, so a bare
    "\n" terminator would leave a CR inside a cell unquoted, ending the row there
    for every reader. Rows are made with "\r\n" and returned with "\n".
    """

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")

    def __call__(self, cells: Sequence[str]) -> str:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow(cells)
        return self.buffer.getvalue()[:-2] + "\n"


def emit_csv(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    line = CsvLines()
    lines = [line(columns)]
    lines += [line([csv_cell(row.get(column)) for column in columns]) for row in rows]
    click.echo("".join(lines), nl=False)


_whole_cells = False  # set while rendering text for a file (see `whole_cells`)


@contextmanager
def whole_cells() -> Iterator[None]:
    """Render tables for a file, not the terminal: no cell is cut to its width."""
    global _whole_cells
    _whole_cells = True
    try:
        yield
    finally:
        _whole_cells = False


def _on_terminal() -> bool:
    return not _whole_cells and bool(getattr(sys.stdout, "isatty", lambda: False)())


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, stretch: int = -1) -> str:
    """Aligned columns; the `stretch` column is cut to fit the terminal width."""
    if not rows:
        return ""
    rows = [[cell.translate(_BLANKS) for cell in row] for row in rows]  # a row is one line
    plain = [[click.unstyle(cell) for cell in row] for row in rows]
    widths = [max(len(h), *(len(row[i]) for row in plain)) for i, h in enumerate(headers)]
    stretch %= len(headers)
    if _on_terminal():  # piped or in a file, every cell is whole: `| grep` finds it
        room = shutil.get_terminal_size((120, 24)).columns - sum(
            w + 2 for i, w in enumerate(widths) if i != stretch
        )
        widths[stretch] = max(min(widths[stretch], room), len(headers[stretch]), 20)
    header = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False)).rstrip()
    lines = [click.style(header, bold=True)]
    for row, plain_row in zip(rows, plain, strict=False):
        cells = []
        for i, (cell, text) in enumerate(zip(row, plain_row, strict=False)):
            if len(text) > widths[i]:
                cell = text = text[: widths[i] - 1] + "…"
            cells.append(cell + " " * (widths[i] - len(text)))
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


# -- claims ------------------------------------------------------------------

CLAIM_CSV_COLUMNS = (
    "id", "key", "text", "subject", "status", "source", "said_on", "expected",
    "expected_start", "expected_end", "likelihood", "tags", "overdue", "resolved_on", "uid",
)  # fmt: skip


def _flat_claim(claim: dict[str, Any]) -> dict[str, Any]:
    expected = claim["expected"] or {}
    return {
        **claim,
        "expected": expected.get("text"),
        "expected_start": expected.get("start"),
        "expected_end": expected.get("end"),
    }


def claims(items: Sequence[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        return emit_json(list(items))
    if fmt == "csv":
        return emit_csv(CLAIM_CSV_COLUMNS, [_flat_claim(c) for c in items])
    items = displayed(list(items))
    if not items:
        say("No claims match.")
        return
    rows = [
        [
            str(c["id"]),
            status_text(c["status"]) + (click.style(" overdue", fg="red") if c["overdue"] else ""),
            c["subject"] or "",
            c["source"] or "",
            (c["expected"] or {}).get("end") or "",
            c["text"],
        ]
        for c in items
    ]
    say(table(["ID", "STATUS", "SUBJECT", "SOURCE", "DUE", "CLAIM"], rows))


def claim_detail(claim: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        return emit_json(claim)
    claim = displayed(claim)
    title = f"Claim {claim['id']}" + (f" ({claim['key']})" if claim["key"] else "")
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
                status_text(link["status"]) + (" (withdrawn)" if link.get("withdrawn") else ""),
                link["text"],
            ]
            for link in claim["links"]
        ]
        say(table(["LINK", "CLAIM", "STATUS", "TEXT"], rows))
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
    from tracker.kinds import LINK_WORDS

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
    "recorded_at", "actor", "reason", "uid", "claim_uid", "evidence_uid",
)  # fmt: skip


def _event_rows(items: Sequence[dict[str, Any]], *, with_claim: bool):
    headers = [
        "ID",
        *(["CLAIM"] if with_claim else []),
        "RECORDED",
        "EFFECTIVE",
        "EVENT",
        "STATUS",
        "BY",
        "DETAIL",
    ]
    rows = []
    for e in items:
        if e["from_status"] in (None, e["to_status"]):
            status = status_text(e["to_status"])
        else:
            status = f"{status_text(e['from_status'])} -> {status_text(e['to_status'])}"
        detail = []
        if e["evidence_id"] is not None:
            detail.append(f"evidence {e['evidence_id']}")
        if "resolved_as" in e:
            detail.append(f"as {e['resolved_as']}")
        if e["event"] in ("linked", "unlinked"):
            other = e.get("linked_claim_id")
            detail.append(f"{e['changes']['kind']} claim {other or e['changes']['claim']}")
        elif "changes" in e:
            detail.append(", ".join(e["changes"]))
        if e.get("actual"):
            detail.append(f"actually: {e['actual']}")
        if e["reason"]:
            detail.append(e["reason"])
        rows.append(
            [
                str(e["id"]),
                *([str(e["claim_id"])] if with_claim else []),
                e["recorded_at"].replace("T", " ")[:16],
                e["effective_on"],
                e["event"],
                status,
                e["actor"]
                + (f" (db: {e['db_user']})" if e.get("db_user") not in (None, e["actor"]) else ""),
                "; ".join(detail),
            ]
        )
    return headers, rows


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


# -- what a write did ----------------------------------------------------------


def change_line(claim_id: int, from_status: str, to_status: str, what: str) -> str:
    if from_status == to_status:
        return f"Claim {claim_id}: still {status_text(to_status)} ({what})"
    return f"Claim {claim_id}: {status_text(from_status)} -> {status_text(to_status)} ({what})"


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


def source_table(rows: Sequence[dict[str, Any]]) -> str:
    headers = [header.upper() for header in SOURCE_HEADERS]
    return table(headers, [source_cells(r) for r in rows], stretch=0)


def sources(rows: Sequence[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        return emit_json(list(rows))
    if fmt == "csv":
        return emit_csv(SOURCE_COLUMNS, rows)
    rows = displayed(list(rows))
    say(source_table(rows) if rows else "No sources have made claims yet.")
