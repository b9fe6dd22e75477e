"""Aligned columns for people: fitted to the terminal's width there, whole anywhere else.

On a terminal a row is one line: when it is too wide, the columns that only say who and
what about (`shrink`: subject, source) give way first, down to a few characters each, and
only then is the `stretch` column (the claim, what the row is for) cut; `wrap` breaks it
(and the others that had to give way) onto more lines instead of cutting it. Piped or
written to a file, every cell is whole, one row a line (`tracker list | grep` finds it).
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import click

_BLANKS = str.maketrans({"\n": " ", "\r": " ", "\t": " "})
_whole_cells = False  # set while rendering text for a file (see `whole_cells`)
GAP = 2  # spaces between columns
SHRUNK = 10  # the least a shrinking column keeps (its header's width if that is more)
STRETCHED = 20  # the least the stretch column keeps, however narrow the terminal
COMFORTABLE = 36  # a wrapped claim's width worth shrinking the other columns for


@contextmanager
def whole_cells() -> Iterator[None]:
    """Render tables for a file, not the terminal: no cell is cut to its width."""
    global _whole_cells
    _whole_cells = True
    try:
        yield
    finally:
        _whole_cells = False


def on_terminal() -> bool:
    """Text goes to a terminal (not a pipe or a file): only there is anything cut."""
    return not _whole_cells and bool(getattr(sys.stdout, "isatty", lambda: False)())


def terminal_width() -> int:
    return shutil.get_terminal_size((120, 24)).columns


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    stretch: int = -1,
    shrink: Sequence[int] = (),
    wrap: bool = False,
    indent: int = 0,
) -> str:
    """Aligned columns. On a terminal (its width less `indent`, the caller's margin) the
    `shrink` columns give way before the `stretch` column; what no longer fits is cut
    with "…", or with `wrap` continued on the next lines."""
    if not rows:
        return ""
    rows = [[cell.translate(_BLANKS) for cell in row] for row in rows]  # a row is one line
    plain = [[click.unstyle(cell) for cell in row] for row in rows]
    widths = [max(len(h), *(len(row[i]) for row in plain)) for i, h in enumerate(headers)]
    stretch %= len(headers)
    fitted = {stretch, *(i % len(headers) for i in shrink)}
    if on_terminal():  # piped or in a file, every cell is whole: `| grep` finds it
        room = terminal_width() - indent
        shrinking = [i % len(headers) for i in shrink]
        widths = fit(widths, headers, room, stretch, shrinking, wrap=wrap)
    header = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False)).rstrip()
    lines = [click.style(header, bold=True)]
    for row, plain_row in zip(rows, plain, strict=False):
        lines += _row_lines(row, plain_row, widths, wrap=wrap, wrapped=fitted)
    return "\n".join(lines)


def fit(
    widths: Sequence[int], headers: Sequence[str], room: int, stretch: int,
    shrink: Sequence[int], *, wrap: bool = False,
) -> list[int]:  # fmt: skip
    """Column widths that fill at most `room` characters: the fixed columns keep theirs,
    the stretch column takes what it needs from what is left once each shrinking column
    is down to its least, and the shrinking columns share the rest, narrowest first.
    Wrapped, the stretch column needs only a comfortable width (its text goes on below),
    so the others give way only as far as that needs."""
    widths = list(widths)
    total = sum(widths) + GAP * (len(widths) - 1)
    if total <= room:
        return widths
    least = {i: min(widths[i], max(len(headers[i]), SHRUNK)) for i in shrink}
    fixed = total - widths[stretch] - sum(widths[i] for i in shrink)
    floor = max(len(headers[stretch]), STRETCHED)
    wanted = widths[stretch]
    if wrap:  # as wide as the others leave it, once it has a comfortable width
        natural = room - fixed - sum(widths[i] for i in shrink)
        wanted = min(wanted, max(natural, min(wanted, COMFORTABLE)))
    widths[stretch] = max(min(wanted, room - fixed - sum(least.values())), floor)
    left = room - fixed - widths[stretch] - sum(least.values())
    narrowest = sorted(shrink, key=lambda i: widths[i])
    for place, i in enumerate(narrowest):
        share = max(left, 0) // (len(narrowest) - place)
        grown = min(widths[i], least[i] + share)
        left -= grown - least[i]
        widths[i] = grown
    return widths


def _row_lines(
    row: Sequence[str], plain: Sequence[str], widths: Sequence[int], *, wrap: bool,
    wrapped: set[int],
) -> list[str]:  # fmt: skip
    """One row as its line, or (wrapping) as the lines its longest cell needs."""
    cells: list[list[str]] = []  # each column's lines, padded to its width
    for i, (cell, text) in enumerate(zip(row, plain, strict=False)):
        width = widths[i]
        if len(text) <= width:
            cells.append([cell + " " * (width - len(text))])
        elif wrap and i in wrapped:
            parts = textwrap.wrap(text, width) or [""]
            cells.append([part.ljust(width) for part in parts])
        else:
            cells.append([text[: width - 1] + "…"])
    height = max(len(column) for column in cells)
    return [
        "  ".join(
            column[line] if line < len(column) else " " * widths[i]
            for i, column in enumerate(cells)
        ).rstrip()
        for line in range(height)
    ]
