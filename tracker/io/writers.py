"""Every file format the tracker writes, and its escaping, in one place: JSON (printed,
streamed, or one record a line), CSV, TOML, and the export files made of them. Commands
and pages choose where the bytes go; what the bytes are is decided here, so `list --format
json`, `export --format json|jsonl`, `extract --format json`, `db backup` and the team page
escape alike. `import` reads CSV cells back through `csv_value`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any, TextIO

from tracker.rules.kinds import CSV_COLUMNS

# -- JSON ------------------------------------------------------------------------------

# JSON escapes C0 controls itself; C1 ones (8-bit CSI...) it leaves raw: a terminal
# showing the JSON would obey them.
_C1_ESCAPES = {code: f"\\u{code:04x}" for code in range(0x80, 0xA0)}


def json_value(value: Any, *, indent: int | None = None) -> str:
    """One JSON value, UTF-8 text as it is, C1 controls escaped."""
    return json.dumps(value, indent=indent, ensure_ascii=False).translate(_C1_ESCAPES)


def json_text(value: Any) -> str:
    """`value` as the JSON a command prints (indented; without the final newline)."""
    return json_value(value, indent=2)


def json_chunks(value: Any, indent: int = 0) -> Iterator[str]:
    """`value` as JSON, in pieces as it is read: objects indented, and each list item (a
    claim, a row) on a line of its own. A list may be any iterator: a report's claim
    lists are read from the database while they are written."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            yield "{}"
            return
        yield "{"
        for index, (name, item) in enumerate(value.items()):
            yield ("\n" if index == 0 else ",\n") + pad + "  " + json_value(name) + ": "
            yield from json_chunks(item, indent + 2)
        yield "\n" + pad + "}" + ("\n" if indent == 0 else "")
    elif isinstance(value, (list, tuple, Iterator)):
        yield "["
        empty = True
        for item in value:
            yield ("\n" if empty else ",\n") + pad + "  "
            yield json_value(item)
            empty = False
        yield "]" if empty else "\n" + pad + "]"
    else:
        yield json_value(value)


def materialised(value: Any) -> Any:
    """A JSON value with its iterators read into lists (for renderers that need them whole)."""
    if isinstance(value, dict):
        return {name: materialised(item) for name, item in value.items()}
    if isinstance(value, (list, tuple, Iterator)):
        return [materialised(item) for item in value]
    return value


# -- CSV -------------------------------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\x00")
# What neutralises such a cell. A cell that already starts with it gets one more,
# so that dropping exactly one (as import does) always gives the value back.
NEUTRALISER = "'"


def csv_cell(value: Any) -> str:
    """A value (text, number, flag, list of tags, or None) as the cell that holds it."""
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


def csv_value(cell: str) -> str:
    """Undo `csv_cell`'s neutralisation, and nothing else: a quote it added stands
    before a formula character or another quote."""
    if cell.startswith(NEUTRALISER) and cell[1:2] in (*FORMULA_PREFIXES, NEUTRALISER):
        return cell[1:]
    return cell


class CsvLines:
    """CSV rows as lines ending in "\\n", any cell holding a CR or LF quoted.

    csv quotes a cell only for the characters of its line terminator, so a bare
    "\\n" terminator would leave a CR inside a cell unquoted, ending the row there
    for every reader. Rows are made with "\\r\\n" and returned with "\\n".
    """

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")

    def __call__(self, cells: Sequence[str]) -> str:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow(cells)
        return self.buffer.getvalue()[:-2] + "\n"


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """A header line, then a line per row of values (each made a cell by `csv_cell`)."""
    line = CsvLines()
    yield line(columns)
    for row in rows:
        yield line([csv_cell(value) for value in row])


# -- TOML ------------------------------------------------------------------------------
# For import documents: the few value types a claim record holds, escaped by the TOML 1.0
# rules, so `tomllib` (and `tracker import`) reads back exactly what was written.

# Basic strings escape `"`, `\` and the control characters (tab included, for clarity).
_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
                 "\r": "\\r"}  # fmt: skip


def toml_string(text: str) -> str:
    out: list[str] = []
    for char in text:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif char < " " or "\x7f" <= char < "\xa0":  # C1 too, as JSON escapes them
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_value(item: object) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, str):
        return toml_string(item)
    if isinstance(item, int | float):
        return repr(item)
    if isinstance(item, date):
        return item.isoformat()
    if isinstance(item, list):
        return "[" + ", ".join(toml_value(element) for element in item) + "]"
    if isinstance(item, dict):
        pairs = [f"{key} = {toml_value(v)}" for key, v in item.items() if v is not None]
        return "{ " + ", ".join(pairs) + " }" if pairs else "{}"
    raise TypeError(f"no TOML for {type(item).__name__}")


def toml_claims(records: Iterable[dict[str, Any]]) -> str:
    """`[[claims]]` tables, one per record; fields that are None are left out (TOML has no
    null). Keys are the import shape's own, bare ASCII words."""
    tables = [
        "[[claims]]\n"
        + "".join(f"{key} = {toml_value(v)}\n" for key, v in record.items() if v is not None)
        for record in records
    ]
    return "\n".join(tables) if tables else "claims = []\n"


# -- export files: one writer per format; each returns how many claims it wrote ----------


def _json_array(out: TextIO, items: Iterable[dict[str, Any]], opening: str, closing: str) -> int:
    """A JSON array written as it goes: one item per line, in a stable layout."""
    written = 0
    out.write(opening)
    for item in items:
        out.write(("\n" if written == 0 else ",\n") + json_value(item))
        written += 1
    out.write(("\n" if written else "") + closing + "\n")
    return written


def write_json(out: TextIO, records: Iterable[dict[str, Any]]) -> int:
    return _json_array(out, records, '{"claims": [', "]}")


def write_jsonl(out: TextIO, records: Iterable[dict[str, Any]]) -> int:
    written = 0
    for record in records:
        out.write(json_value(record) + "\n")
        written += 1
    return written


def write_csv(out: TextIO, records: Iterable[dict[str, Any]]) -> int:
    """A row per claim record, in `CSV_COLUMNS` order (tracker.io.export.csv_records)."""
    written = -1  # the header is no claim
    rows = ([record.get(column) for column in CSV_COLUMNS] for record in records)
    for line in csv_text(CSV_COLUMNS, rows):
        out.write(line)
        written += 1
    return written


def write_claimreview(out: TextIO, reviews: Iterable[dict[str, Any]]) -> int:
    return _json_array(out, reviews, "[", "]")


WRITERS: dict[str, Callable[[TextIO, Iterable[dict[str, Any]]], int]] = {
    "json": write_json,
    "jsonl": write_jsonl,
    "csv": write_csv,
    "claimreview": write_claimreview,
}
