"""Finding the ClaimReviews in a published document (design.md §10).

Fact-checkers publish them in many shapes: one object, a list, a JSON-LD `@graph`, a
schema.org DataFeed (`dataFeedElement[].item[]`, items null, one object or a list), a
Google Fact Check Tools `claims:search` response (`claims[].claimReview[]`), and the
`<script type="application/ld+json">` blocks of a fact-check page. Rather than one
reader per shape, a document is walked: a ClaimReview (or an API claim) is taken where
it is found, and anything else (a feed, its items, a page's WebPage and BreadcrumbList
nodes) is looked into.

A large JSON document is walked one element of its outer list at a time (json's
raw_decode over the text), so a 100,000-review feed never exists as Python objects at
once; a small one is read whole, which lets `{"@id": ...}` references inside a page's
`@graph` be followed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from tracker.errors import InvalidInput

WHOLE_UP_TO = 8 * 1024 * 1024  # characters; larger documents are walked element by element
SNIFF = 65_536  # characters read to recognise a ClaimReview document by its content
_SCHEMA = re.compile(r"^(?:https?://schema\.org/|schema:)")
_MARKS = re.compile(
    r'"(?:claimReview|claimReviewed|dataFeedElement)"\s*:'
    r'|"@type"\s*:\s*\[?\s*"(?:https?://schema\.org/|schema:)?(?:ClaimReview|DataFeed)"'
)
_LD_SCRIPT = re.compile(r"<script[^>]*application/ld\+json", re.IGNORECASE)
_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")


@dataclass(frozen=True)
class Found:
    """A ClaimReview as published. `api_claim`: the Fact Check Tools claim it was listed
    under (whose `text`, `claimant` and `claimDate` are the claim's), else None."""

    review: dict[str, Any]
    api_claim: dict[str, Any] | None = None
    ids: dict[str, Any] = field(default_factory=dict)  # the document's nodes by @id


@dataclass(frozen=True)
class Broken:
    """A part of a document that claims to hold a ClaimReview but cannot be read."""

    message: str


def looks_like_claimreview(head: str) -> bool:
    """Whether the start of a file is ClaimReview (JSON or a page's markup), not a
    tracker claim file (an object whose `claims` list holds no `claimReview`)."""
    return _empty(head) == "[]" or bool(_MARKS.search(head)) or bool(_LD_SCRIPT.search(head))


def may_hold_none(text: str) -> bool:
    """Whether a JSON document with no review in it is still ClaimReview: an empty list,
    an empty feed or search response (`{}` is what the API answers when nothing matched).
    (A list of anything else is no ClaimReview: a claim file written as a bare list.)"""
    return _empty(text[:SNIFF]) in ("[]", "{}") or bool(_MARKS.search(text[:SNIFF]))


def _empty(head: str) -> str:
    """`[]` or `{}` for a document that is an empty list or object (else something else)."""
    return "".join(head[:100].split()).lstrip("\ufeff")


def is_html(head: str) -> bool:
    return head.lstrip("\ufeff \t\r\n")[:1] == "<"


def reviews_in_json(text: str, name: str, *, whole_up_to: int = WHOLE_UP_TO) -> Iterator[Found]:
    """The ClaimReviews of a JSON document, in document order."""
    if len(text) <= whole_up_to:
        document = _loads(text, name)
        yield from _walk(document, _ids(document))
        return
    for part in _outer_parts(text, name):
        yield from _walk(part, {})


def reviews_in_html(text: str, name: str) -> Iterator[Found | Broken]:
    """The ClaimReviews of a page's ld+json blocks. A block that is not JSON is skipped,
    unless it mentions ClaimReview: then it is Broken (the page's reviews cannot all be
    read). Comment and CDATA wrappers around a block are allowed."""
    blocks = _LdBlocks()
    blocks.feed(text)
    blocks.close()
    for number, block in enumerate(blocks.found, start=1):
        body = _WRAPPERS.sub("", block.strip())
        try:
            document = json.loads(body, strict=False)  # pages put raw newlines in strings
        except (json.JSONDecodeError, RecursionError) as exc:
            if "ClaimReview" in body:
                why = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
                yield Broken(f"{name}: ld+json block {number}: invalid JSON: {why}")
            continue
        yield from _walk(document, _ids(document))


class _LdBlocks(HTMLParser):
    """The text of every <script type="application/ld+json"> element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            kind = (dict(attrs).get("type") or "").split(";")[0].strip().casefold()
            self._inside = kind == "application/ld+json"
            if self._inside:
                self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.found[-1] += data


def _loads(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{name}: line {exc.lineno}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise InvalidInput(f"{name}: nested too deeply to be ClaimReview") from None


def types_of(node: dict[str, Any]) -> set[str]:
    """A node's @type names, without their schema.org prefix."""
    kinds = node.get("@type")
    listed = kinds if isinstance(kinds, list) else [kinds]
    return {_SCHEMA.sub("", kind) for kind in listed if isinstance(kind, str)}


def _is_review(node: dict[str, Any]) -> bool:
    return "ClaimReview" in types_of(node) or (
        "@type" not in node and "claimReviewed" in node and "reviewRating" in node
    )


def _walk(value: Any, ids: dict[str, Any]) -> Iterator[Found]:
    if isinstance(value, list):
        for item in value:
            yield from _walk(item, ids)
    elif isinstance(value, dict):
        if "@type" not in value and isinstance(value.get("claimReview"), list):  # the API's
            for review in value["claimReview"]:
                if isinstance(review, dict):
                    yield Found(review, value)
        elif _is_review(value):
            yield Found(value, None, ids)
        else:  # a feed, a feed item, a graph, a page: look inside
            for child in value.values():
                if isinstance(child, list | dict):
                    yield from _walk(child, ids)


def _ids(document: Any) -> dict[str, Any]:
    """The nodes a document names with `@id` and describes (more than the @id alone)."""
    found: dict[str, Any] = {}
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            node_id = value.get("@id")
            if isinstance(node_id, str) and len(value) > 1:
                found.setdefault(node_id, value)
            stack.extend(v for v in value.values() if isinstance(v, list | dict))
    return found


def _outer_parts(text: str, name: str) -> Iterator[Any]:
    """A large document in parts: the elements of its outer list, or of each list in its
    outer object (a feed's `dataFeedElement`, the API's `claims`), and its other members."""
    cursor = _Cursor(text, name)
    if cursor.take("[{") == "[":
        yield from cursor.elements()
    elif cursor.peek() == "}":
        cursor.at += 1
    else:
        while True:
            if cursor.peek() != '"':
                raise cursor.error("expected a member name")
            cursor.value()
            cursor.take(":")
            if cursor.peek() == "[":
                cursor.at += 1
                yield from cursor.elements()
            else:
                yield cursor.value()
            if cursor.take(",}") == "}":
                break
    if cursor.peek():
        raise cursor.error("Extra data")


class _Cursor:
    """Where _outer_parts is in the text; values are decoded by json itself."""

    def __init__(self, text: str, name: str):
        self.text, self.name, self.at = text, name, 0
        self.decoder = json.JSONDecoder()

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while self.text[self.at : self.at + 1] in (" ", "\t", "\r", "\n") and self.at < len(
            self.text
        ):
            self.at += 1
        return self.text[self.at : self.at + 1]

    def take(self, marks: str) -> str:
        mark = self.peek()
        if not mark or mark not in marks:
            raise self.error(f"expected one of {', '.join(marks)}")
        self.at += 1
        return mark

    def value(self) -> Any:
        self.peek()
        try:
            found, self.at = self.decoder.raw_decode(self.text, self.at)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{self.name}: line {exc.lineno}: invalid JSON: {exc.msg}") from None
        except RecursionError:
            raise InvalidInput(f"{self.name}: nested too deeply to be ClaimReview") from None
        return found

    def elements(self) -> Iterator[Any]:
        """The elements of the list whose '[' was just taken."""
        if self.peek() == "]":
            self.at += 1
            return
        while True:
            yield self.value()
            if self.take(",]") == "]":
                return

    def error(self, message: str) -> InvalidInput:
        line = self.text.count("\n", 0, self.at) + 1
        return InvalidInput(f"{self.name}: line {line}: invalid JSON: {message}")
