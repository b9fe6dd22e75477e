"""Reading claim files into records, with errors that name the file and the place.

JSON and TOML are documents ({"claims": [...]}, read whole); JSONL (a claim per
line) and CSV (a claim per row) are streamed, so their size does not matter.
Every reader yields (where, record) with `where` naming the file and the line
or record number, and reports how far into the file it is (for progress bars).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TextIO

from tracker.errors import InvalidInput
from tracker.io.writers import csv_value
from tracker.rules.claim_fields import FIELDS
from tracker.rules.kinds import CSV_COLUMNS, FORMATS, LIST_CSV_COLUMNS, SQLITE_HEADER

_KNOWN_COLUMNS = frozenset(CSV_COLUMNS + LIST_CSV_COLUMNS)
SQLITE = "sqlite"  # a kind of claim file that FORMATS does not name: only ever sniffed
SNIFF = 4096  # bytes read to tell a file's kind
CSV_REQUIRED = ("text",)
MAX_CELL = 1_000_000  # csv's own limit is 128 KiB; a longer cell is refused by field checks

Progress = Callable[[int], None]


class RecordReader(Protocol):
    """What makes (where, record) pairs of a claim file: read_records, or a reader of more
    formats that hands it the files it does not read itself."""

    def __call__(
        self, file: ClaimFile, progress: Progress | None = None, *,
        ignore_unknown_columns: bool = False,
    ) -> Iterator[tuple[str, Any]]: ...  # fmt: skip


def sniffed_kind(path: Path) -> str | None:
    """The kind of claim file `path` holds by its first bytes: SQLITE for a SQLite database
    (whatever its name), else json or jsonl for JSON when its name does not say, else None
    (the name decides)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF)
    except OSError:  # the reader says why it cannot read it
        return None
    if head.startswith(SQLITE_HEADER):
        return SQLITE
    if path.suffix.lower() in FORMATS:
        return None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"{"):
        return None
    first = text.split(b"\n", 1)[0]
    try:
        whole = json.loads(first)
    except ValueError:  # a document that goes on past its first line
        return "json"
    return "jsonl" if isinstance(whole, dict) and "claims" not in whole else "json"


def kind_of(path: Path) -> str:
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InvalidInput(
            f"{path}: unknown file type {path.suffix!r}; use {', '.join(sorted(FORMATS))}, "
            "or say which with --format"
        )
    return kind


@dataclass(frozen=True)
class Unreadable:
    """A record the reader could not make out, in place of it (the message names where): the
    import goes on to find the file's other bad records, then refuses the file."""

    message: str


@dataclass(frozen=True)
class ClaimFile:
    """A file of claims: where its bytes are, its format, and what messages call it."""

    path: Path
    kind: str  # a value of FORMATS
    shown: Path  # the name given, or `stdin` for what was piped in (and kept in `path`)

    @classmethod
    def named(cls, path: Path, kind: str | None = None) -> ClaimFile:
        """The file `path`, of the kind given, else the kind its first bytes or its name say
        (a SQLite backup is one whatever it is called or said to be: tracker.io.backups)."""
        sniffed = sniffed_kind(path)
        if sniffed == SQLITE:
            return cls(path, SQLITE, path)
        return cls(path, kind or sniffed or kind_of(path), path)


def read_records(
    file: ClaimFile, progress: Progress | None = None, *, ignore_unknown_columns: bool = False
) -> Iterator[tuple[str, Any]]:
    """(where, record) for each claim in the file: a record that cannot be made out (a JSONL
    line that is not JSON, a CSV row of the wrong length) is given as `Unreadable`. A CSV
    column the tracker does not know is an error naming it, unless `ignore_unknown_columns`
    (a spreadsheet's own notes); so is a file that is no claim file at all."""
    kind, path = file.kind, file.shown
    try:
        handle = file.path.open("rb")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read: {exc.strerror}") from None
    with handle:
        first = handle.read(4096)
        if not first.strip(b" \t\r\n\xef\xbb\xbf"):  # blank, or a BOM alone
            raise InvalidInput(f"{path}: the file is empty")
        handle.seek(0)
        if kind in ("json", "toml"):
            yield from _document(path, kind, handle.read())
            return
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        lines = _lines(path, text, handle, progress)
        if kind == "jsonl":
            yield from _jsonl(path, lines)
        else:
            yield from _csv(path, lines, ignore_unknown_columns)


def decode(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{path}: not UTF-8 (byte {exc.start}); save the file as UTF-8"
        ) from None
    if "\x00" in text:
        raise InvalidInput(f"{path}: contains NUL bytes; this is not a text file")
    return text


def _document(path: Path, kind: str, data: bytes) -> Iterator[tuple[str, Any]]:
    text = decode(path, data)
    try:
        document = json.loads(text) if kind == "json" else tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}: line {exc.lineno}: invalid JSON: {exc.msg}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise InvalidInput(f"{path}: nested too deeply to be a claim file") from None
    if not isinstance(document, dict) or not isinstance(document.get("claims"), list):
        raise InvalidInput(f'{path}: expected a document with a "claims" list')
    for index, record in enumerate(document["claims"], start=1):
        yield f"{path.name}: claim {index}", record


def _lines(
    path: Path, text: TextIO, raw: BinaryIO, progress: Progress | None
) -> Iterator[tuple[int, str]]:
    """Numbered lines, with decoding errors named by line."""
    number = 0
    try:
        for number, line in enumerate(text, start=1):
            if "\x00" in line:
                raise InvalidInput(f"{path}: line {number}: contains NUL bytes")
            if progress is not None and number % 1000 == 0:
                progress(raw.tell())
            yield number, line
    except UnicodeDecodeError:
        raise InvalidInput(
            f"{path}: line {number + 1}: not UTF-8; save the file as UTF-8"
        ) from None


def _jsonl(path: Path, lines: Iterator[tuple[int, str]]) -> Iterator[tuple[str, Any]]:
    for number, line in lines:
        if not line.strip():
            continue
        where = f"{path.name}: line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            record = Unreadable(f"{where}: invalid JSON: {exc.msg}")
        except RecursionError:
            record = Unreadable(f"{where}: nested too deeply to be a claim")
        yield where, record


def column_name(header: str) -> str:
    """A spreadsheet's header as a column name: `Said On`, `said-on`, `SAID_ON` are said_on."""
    return "_".join(header.replace("-", " ").replace("_", " ").split()).casefold()


def _delimiter(header_line: str) -> str:
    """`,` unless the header is plainly separated by `;` (a European spreadsheet's CSV) or tabs."""
    counts = {mark: header_line.count(mark) for mark in ",;\t"}
    best = max(counts, key=lambda mark: counts[mark])
    return best if counts[best] > counts[","] else ","


def _csv(
    path: Path, lines: Iterator[tuple[int, str]], ignore_unknown: bool
) -> Iterator[tuple[str, Any]]:
    csv.field_size_limit(MAX_CELL)
    numbers: list[int] = []
    first = next(lines, None)
    if first is None:
        raise InvalidInput(f"{path}: the file is empty")

    def text_lines() -> Iterator[str]:
        for number, line in itertools.chain([first], lines):
            numbers.append(number)
            yield line

    reader = csv.reader(text_lines(), delimiter=_delimiter(first[1]))
    try:
        header = [column_name(name) for name in next(reader)]
        twice = sorted({name for name in header if name and header.count(name) > 1})
        if twice:
            raise InvalidInput(f"{path}: column {twice[0]!r} is given twice")
        unknown = [name for name in header if name not in _KNOWN_COLUMNS]
        if unknown and not ignore_unknown:
            raise InvalidInput(
                f"{path}: unknown column {unknown[0]!r}; columns are {','.join(CSV_COLUMNS)}, "
                "or those of `tracker list --format csv` "
                "(--ignore-unknown-columns skips the others)"
            )
        missing = [name for name in CSV_REQUIRED if name not in header]
        if missing:
            raise InvalidInput(f"{path}: missing required column {missing[0]!r}")
        for row in reader:
            where = f"{path.name}: line {numbers[-1]}"
            numbers.clear()
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield (
                    where,
                    Unreadable(f"{where}: {len(row)} cells, but the header has {len(header)}"),
                )
                continue
            cells = {name: cell for name, cell in zip(header, row, strict=True)
                     if name in _KNOWN_COLUMNS}  # fmt: skip
            try:
                yield where, _csv_record(cells, where)
            except InvalidInput as exc:
                yield where, Unreadable(str(exc))
    except csv.Error as exc:
        raise InvalidInput(f"{path}: line {numbers[-1] if numbers else 1}: {exc}") from None


def _csv_record(row: dict[str, str], where: str) -> dict[str, Any]:
    values = {name: csv_value(cell) for name, cell in row.items() if cell != ""}
    record: dict[str, Any] = {"uid": values["uid"]} if "uid" in values else {}
    for field in FIELDS:  # each claim field's column, into its place in the import shape
        cell = values.get(field.csv_name)
        if cell is None:
            continue
        value: Any = cell
        if field.kind == "number":
            try:
                value = float(cell)
            except ValueError:
                raise InvalidInput(
                    f"{where}: field {field.csv_name!r}: {cell!r} is not a number"
                ) from None
        elif field.kind == "tags":  # `;` between tags, or `,` as people type them
            value = [tag for tag in cell.replace(",", ";").split(";") if tag.strip()]
        *within, name = field.record_name.split(".")  # article.url: the article's url
        place = record
        for part in within:
            place = place.setdefault(part, {})
        place[name] = value
    # Where the row lists its claim as standing: read for a CSV row (tracker.io.records,
    # `listed`), which has no evidence or history to replay.
    for name in ("status", "resolved_on", "actual", "duplicates", "quote"):
        if name in values:
            record[name] = values[name]
    if "withdrawn" in values:
        flag = _FLAGS.get(values["withdrawn"].strip().casefold())
        if flag is None:
            raise InvalidInput(
                f"{where}: field 'withdrawn': {values['withdrawn']!r} is not true or false"
            )
        record["withdrawn"] = flag
    return record


# How a spreadsheet says a flag (what `export --format csv` writes: true, false).
_FLAGS = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}
