"""TOML for import documents: the few value types a claim record holds, escaped by the
TOML 1.0 rules, so `tomllib` (and `tracker import`) reads back exactly what was written."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

# Basic strings escape `"`, `\` and the control characters (tab included, for clarity).
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}  # fmt: skip


def string(text: str) -> str:
    out: list[str] = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char < " " or char == "\x7f":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def value(item: object) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, str):
        return string(item)
    if isinstance(item, int | float):
        return repr(item)
    if isinstance(item, date):
        return item.isoformat()
    if isinstance(item, list):
        return "[" + ", ".join(value(element) for element in item) + "]"
    if isinstance(item, dict):
        pairs = [f"{key} = {value(v)}" for key, v in item.items() if v is not None]
        return "{ " + ", ".join(pairs) + " }" if pairs else "{}"
    raise TypeError(f"no TOML for {type(item).__name__}")


def claims_document(records: Iterable[dict[str, Any]]) -> str:
    """`[[claims]]` tables, one per record; fields that are None are left out (TOML has no
    null). Keys are the import shape's own, bare ASCII words."""
    tables = [
        "[[claims]]\n"
        + "".join(f"{key} = {value(v)}\n" for key, v in record.items() if v is not None)
        for record in records
    ]
    return "\n".join(tables) if tables else "claims = []\n"
