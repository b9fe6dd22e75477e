"""Aligned columns for people: cut to the terminal's width there, whole anywhere else."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import click

_BLANKS = str.maketrans({"\n": " ", "\r": " ", "\t": " "})
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
