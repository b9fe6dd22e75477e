"""JSON and CSV on standard output, for scripts and spreadsheets: the bytes are the format,
so no colour, and no control character a terminal showing them would obey."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

import click

from tracker.io.csv_cells import CsvLines, csv_cell

# JSON escapes C0 controls itself; C1 ones (8-bit CSI...) it leaves raw: a terminal
# showing the JSON would obey them.
_C1_ESCAPES = {code: f"\\u{code:04x}" for code in range(0x80, 0xA0)}


def json_text(value: Any) -> str:
    """`value` as the JSON a command prints (indented; without the final newline)."""
    return json.dumps(value, indent=2, ensure_ascii=False).translate(_C1_ESCAPES)


def emit_json(value: Any) -> None:
    click.echo(json_text(value))


def stream_json(out: TextIO, value: Any) -> None:
    """`value` as JSON, written as it is read (see `json_chunks`)."""
    for chunk in json_chunks(value):
        out.write(chunk)


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
            yield ("\n" if index == 0 else ",\n") + pad + "  " + json.dumps(name) + ": "
            yield from json_chunks(item, indent + 2)
        yield "\n" + pad + "}" + ("\n" if indent == 0 else "")
    elif isinstance(value, (list, tuple, Iterator)):
        yield "["
        empty = True
        for item in value:
            yield ("\n" if empty else ",\n") + pad + "  "
            yield json.dumps(item, ensure_ascii=False).translate(_C1_ESCAPES)
            empty = False
        yield "]" if empty else "\n" + pad + "]"
    else:
        yield json.dumps(value, ensure_ascii=False).translate(_C1_ESCAPES)


def materialised(value: Any) -> Any:
    """A JSON value with its iterators read into lists (for renderers that need them whole)."""
    if isinstance(value, dict):
        return {name: materialised(item) for name, item in value.items()}
    if isinstance(value, (list, tuple, Iterator)):
        return [materialised(item) for item in value]
    return value


def emit_csv(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    line = CsvLines()
    lines = [line(columns)]
    lines += [line([csv_cell(row.get(column)) for column in columns]) for row in rows]
    click.echo("".join(lines), nl=False)
