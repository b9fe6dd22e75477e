"""A CSV cell both ways: what the tracker writes into one (`list`, `history`, `sources`
and `export` as CSV) and what `import` reads back out of it.

A spreadsheet runs a cell that starts with a formula character; such a cell is written
with a quote in front (OWASP), and the reader takes exactly that quote off again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

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
