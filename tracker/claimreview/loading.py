"""ClaimReview files among the files of an import: recognised by name or by content, and
read into records for tracker.io.importer (through tracker.io.loading.load_files)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tracker.claimreview.documents import (
    SNIFF,
    Broken,
    is_html,
    looks_like_claimreview,
    may_hold_none,
    reviews_in_html,
    reviews_in_json,
)
from tracker.claimreview.records import claim_record
from tracker.errors import InvalidInput
from tracker.io.fields import Dates
from tracker.io.readers import ClaimFile, Progress, Unreadable, decode, read_records
from tracker.rules.kinds import CLAIMREVIEW, CLAIMREVIEW_SUFFIXES, FORMATS


def claim_file(path: Path, fmt: str | None = None) -> ClaimFile:
    """The file with its format: `fmt` if given; else ClaimReview by its suffix (.jsonld,
    .html) or its content (a .json file, or one named otherwise); else by its suffix."""
    if fmt is not None:
        return ClaimFile.named(path, fmt)
    suffix = path.suffix.lower()
    if suffix in CLAIMREVIEW_SUFFIXES:
        return ClaimFile(path, CLAIMREVIEW, path)
    if suffix in FORMATS and FORMATS[suffix] != "json":
        return ClaimFile.named(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF).decode("utf-8", errors="replace")
    except OSError:
        head = ""  # the reader says why it cannot be read
    if looks_like_claimreview(head):
        return ClaimFile(path, CLAIMREVIEW, path)
    return ClaimFile.named(path)  # a backup by its content, else by its suffix


class ReviewReader:
    """Reads an import's files: ClaimReview here, the others as tracker.io.readers does.
    Counts the ratings that said no stance (`unread`), for the import's summary line."""

    def __init__(self, when: Dates):
        self.when = when
        self.unread = 0

    def __call__(
        self, file: ClaimFile, progress: Progress | None = None, *,
        ignore_unknown_columns: bool = False,
    ) -> Iterator[tuple[str, Any]]:  # fmt: skip
        if file.kind != CLAIMREVIEW:
            yield from read_records(file, progress, ignore_unknown_columns=ignore_unknown_columns)
            return
        name = file.shown.name or str(file.shown)
        try:
            data = file.path.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"{file.shown}: cannot read: {exc.strerror}") from None
        if not data.strip(b" \t\r\n\xef\xbb\xbf"):
            raise InvalidInput(f"{file.shown}: the file is empty")
        text = decode(file.shown, data)
        del data
        page = is_html(text)
        found = reviews_in_html(text, name) if page else reviews_in_json(text, name)
        count = 0
        for count, review in enumerate(found, start=1):
            if isinstance(review, Broken):
                yield f"{name}: review {count}", Unreadable(review.message)
                continue
            # Named by its place and its url, which finds it in a feed of thousands.
            url = review.review.get("url")
            shown = (
                f" ({' '.join(url.split())[:200]})" if isinstance(url, str) and url.strip() else ""
            )
            where = f"{name}: review {count}{shown}"
            mapped = claim_record(review, where, self.when)
            self.unread += mapped.unread
            yield where, mapped.record
        if count == 0 and (page or not may_hold_none(text)):
            raise InvalidInput(
                f"{file.shown}: no ClaimReview found (a schema.org ClaimReview, a list or "
                "@graph of them, a DataFeed, a Fact Check Tools claims:search response, or a "
                "page with ld+json markup)"
            )
        if progress is not None:
            progress(file.path.stat().st_size)
