"""Reading claim files into records, with errors that name the file and the place."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tracker.errors import InvalidInput

FORMATS = {".json": "json", ".toml": "toml"}


def read_text(path: Path) -> str:
    """The file as text: UTF-8 (a BOM is allowed), not empty, no NUL bytes."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read: {exc.strerror}") from None
    if not data.strip():
        raise InvalidInput(f"{path}: the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{path}: not UTF-8 (byte {exc.start}); save the file as UTF-8"
        ) from None
    if "\x00" in text:
        raise InvalidInput(f"{path}: contains NUL bytes; this is not a text file")
    return text


def read_records(path: Path) -> Iterator[tuple[str, Any]]:
    """(where, record) for each claim in a JSON or TOML document {"claims": [...]}."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InvalidInput(f"{path}: unknown file type {path.suffix!r}; use {', '.join(FORMATS)}")
    text = read_text(path)
    try:
        document = json.loads(text) if kind == "json" else tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}: line {exc.lineno}: invalid JSON: {exc.msg}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path}: invalid TOML: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("claims"), list):
        raise InvalidInput(f'{path}: expected a document with a "claims" list')
    for index, record in enumerate(document["claims"], start=1):
        yield f"{path.name}: claim {index}", record
