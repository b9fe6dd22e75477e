"""JSON and CSV on standard output, for scripts and spreadsheets: the bytes are the format
(tracker.io.writers, which escapes what a terminal showing them would obey), so no colour."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TextIO

import click

from tracker.io.writers import csv_text, json_chunks, json_text


def emit_json(value: Any) -> None:
    click.echo(json_text(value))


def stream_json(out: TextIO, value: Any) -> None:
    """`value` as JSON, written as it is read (see `json_chunks`)."""
    for chunk in json_chunks(value):
        out.write(chunk)


def emit_csv(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    lines = csv_text(columns, ([row.get(column) for column in columns] for row in rows))
    click.echo("".join(lines), nl=False)
