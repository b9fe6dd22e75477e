"""Articles as `tracker extract` reads them: plain text, Markdown or HTML, with their headers.

An article may open with header lines (`date 2022-05-23`, `title ...`, `url ...`,
`outlet ...`; `key: value` and a `---` front-matter block work too), or with a leading
`date YYYY-MM-DD` token followed by the text on the same line. HTML gives its headers
through <title> and <meta> tags. The body becomes blocks (paragraphs, headings, list
items) of plain text, in order; blocks are where sentences never run across. Tables (a
Markdown table, an HTML <table>) are data, not prose, and are left out.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

HEADER_NAMES = ("date", "title", "url", "outlet")


@dataclass(frozen=True)
class Block:
    text: str
    heading: bool = False  # a headline: a question there is the article's own rumour


@dataclass(frozen=True)
class Article:
    headers: dict[str, str] = field(default_factory=dict)  # date, title, url, outlet
    blocks: list[Block] = field(default_factory=list)


def read_article(text: str) -> Article:
    """The headers and body blocks of an article's text (HTML when it looks like a page)."""
    text = text.lstrip("\ufeff")
    if _HTML_START.match(text):
        return _read_html(text)
    headers, body = _text_headers(text)
    blocks = _markdown_blocks(body)
    if "title" not in headers and blocks and blocks[0].heading:
        headers["title"] = blocks[0].text
    return Article(headers, blocks)


# -- plain text and Markdown ------------------------------------------------------------

_HEADER = re.compile(r"(?P<name>date|title|url|outlet)(?::[ \t]*|[ \t]+)(?P<value>\S.*)", re.I)
_LEADING_DATE = re.compile(r"\s*date[ \t]+(?P<value>\d{4}-\d\d-\d\d)[ \t]+(?P<rest>\S.*)", re.I)


def _text_headers(text: str) -> tuple[dict[str, str], str]:
    """Header lines at the top (blank lines between them allowed), and the rest."""
    lines = text.splitlines()
    headers: dict[str, str] = {}
    index = 0
    if lines and lines[0].strip() == "---":  # front matter: `key: value` lines up to `---`
        closing = next((n for n in range(1, len(lines)) if lines[n].strip() == "---"), None)
        if closing is not None:
            for line in lines[1:closing]:
                name, _, value = line.partition(":")
                if name.strip().lower() in HEADER_NAMES and value.strip():
                    headers[name.strip().lower()] = _unquote(value.strip())
            index = closing + 1
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        if not headers and (m := _LEADING_DATE.fullmatch(line)):
            headers["date"] = m["value"]
            lines[index] = m["rest"]
            break
        m = _HEADER.fullmatch(line.strip())
        # `Title ...` or `Date night ...` opening a story is text; only `title:` or a
        # lower-case name is a header.
        if not m or (":" not in line and not m["name"].islower()) or m["name"].lower() in headers:
            break
        name = m["name"].lower()
        if name == "date" and not re.match(r"\d{4}-\d\d-\d\d\s*$|\w[\w ,.]*\d{4}\s*$", m["value"]):
            break
        headers[name] = _unquote(m["value"].strip())
        index += 1
    return headers, "\n".join(lines[index:])


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


_FENCE = re.compile(r"\s*(```|~~~)")
_HEADING = re.compile(r"\s{0,3}#{1,6}\s+(?P<text>.*?)\s*#*\s*")
_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d{1,3}[.)])\s+(?P<text>.*)")
_RULE = re.compile(r"\s*(?:[-*_]\s*){3,}")
_QUOTE_MARK = re.compile(r"^\s*>\s?")
# A Markdown table: a row `| a | b |`, or the `---|---` line under its header row.
_TABLE_ROW = re.compile(r"\s*\|.*\|\s*")
_TABLE_RULE = re.compile(r"\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*")


def _markdown_blocks(body: str) -> list[Block]:
    """Paragraphs (lines joined), headings and list items, with Markdown marks removed."""
    blocks: list[Block] = []
    paragraph: list[str] = []

    def close() -> None:
        if paragraph:
            blocks.append(Block(_inline(" ".join(paragraph))))
            paragraph.clear()

    fenced = table = False
    for raw in body.splitlines():
        if _FENCE.match(raw):
            close()
            fenced = not fenced
            continue
        if fenced:  # code is not prose
            continue
        line = _QUOTE_MARK.sub("", raw)
        table = table and "|" in line  # a table runs until a line without a cell
        if table or _TABLE_ROW.fullmatch(line):
            close()
            continue
        if _TABLE_RULE.fullmatch(line):  # the line before it was the header row
            if paragraph:
                paragraph.pop()
            close()
            table = True
            continue
        if not line.strip() or _RULE.fullmatch(line):
            close()
        elif m := _HEADING.fullmatch(line):
            close()
            blocks.append(Block(_inline(m["text"]), heading=True))
        elif m := _LIST_ITEM.fullmatch(line):
            close()
            paragraph.append(m["text"])
        else:
            paragraph.append(line.strip())
    close()
    return [block for block in blocks if block.text]


_INLINE = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # an image: its alt text is not prose
    # Every span is bounded: unclosed marks in a long text must not cost quadratic time.
    (re.compile(r"\[([^\]]{1,500})\]\([^)]{0,2000}\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]{1,500})\]\[[^\]]{0,200}\]"), r"\1"),  # [text][ref]
    (re.compile(r"(\*\*|__)(?=\S)(.{1,500}?)(?<=\S)\1"), r"\2"),  # **strong**
    (re.compile(r"(?<![\w*])\*(?=\S)([^*]{1,500}?)(?<=\S)\*(?![\w*])"), r"\1"),  # *em*
    (re.compile(r"(?<!\w)_(?=\S)([^_]+?)(?<=\S)_(?!\w)"), r"\1"),  # _em_, not snake_case
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"<[^>\s][^>]*>"), ""),  # inline HTML tags
]


def _inline(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


# -- HTML ---------------------------------------------------------------------------------

_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
# Page furniture and data tables, not the story: skipped with everything inside.
_SKIP = {"script", "style", "noscript", "template", "nav", "aside", "footer", "form", "svg",
         "iframe", "button", "select", "figure", "table"}  # fmt: skip
_SKIP_CLASS = re.compile(
    r"cookie|consent|banner|newsletter|subscribe|related|share|social|comment|advert|promo"
    r"|breadcrumb|sidebar|menu",
    re.I,
)
_BLOCK = {"p", "div", "section", "article", "main", "header", "li", "ul", "ol", "br", "tr",
          "td", "th", "table", "blockquote", "pre", "dd", "dt", "dl", "hr", "body",
          "h1", "h2", "h3", "h4", "h5", "h6"}  # fmt: skip
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}  # fmt: skip
_META = {
    "date": ("article:published_time", "date", "pubdate", "publishdate", "publish-date",
             "dc.date", "dc.date.issued", "og:published_time", "datepublished"),
    "title": ("og:title", "twitter:title"),
    "url": ("og:url",),
    "outlet": ("og:site_name", "application-name"),
}  # fmt: skip


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title: list[str] = []
        self.blocks: list[tuple[Block, bool]] = []  # (block, inside <article> or <main>)
        self.text: list[str] = []
        self.skipping: list[str] = []  # open tags whose content is skipped
        self.story = 0  # depth of <article>/<main>
        self.heading = False
        self.in_title = False
        self.time: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta":
            name = values.get("property") or values.get("name") or values.get("itemprop")
            if name and values.get("content"):
                self.meta.setdefault(name.lower(), values["content"].strip())
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.meta.setdefault("canonical", values.get("href", "").strip())
        elif tag == "time" and values.get("datetime") and self.time is None:
            self.time = values["datetime"]
        if self.skipping:
            if tag not in _VOID:
                self.skipping.append(tag)
            return
        furniture = _SKIP_CLASS.search(values.get("class", "") + " " + values.get("id", ""))
        if tag in _SKIP or (furniture and tag not in ("body", "html", "article", "main")):
            if tag not in _VOID:
                self.skipping.append(tag)
            return
        if tag == "title":
            self.in_title = True
        if tag in _BLOCK:
            self.flush()
            self.heading = tag in ("h1", "h2", "h3", "h4", "h5", "h6")
        if tag in ("article", "main"):
            self.story += 1

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag in self.skipping:  # close up to the matching tag (browsers forgive)
                while self.skipping and self.skipping.pop() != tag:
                    pass
            return
        if tag == "title":
            self.in_title = False
        if tag in _BLOCK:
            self.flush()
        if tag in ("article", "main") and self.story:
            self.story -= 1

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        (self.title if self.in_title else self.text).append(data)

    def flush(self) -> None:
        text = " ".join("".join(self.text).split())
        if text:
            self.blocks.append((Block(text, heading=self.heading), self.story > 0))
        self.text.clear()
        self.heading = False


def _read_html(text: str) -> Article:
    page = _Page()
    page.feed(text)
    page.close()
    page.flush()
    story = [block for block, inside in page.blocks if inside]
    blocks = story or [block for block, _ in page.blocks]
    headers: dict[str, str] = {}
    for name, keys in _META.items():
        value = next((page.meta[key] for key in keys if page.meta.get(key)), None)
        if value:
            headers[name] = html.unescape(value)
    if "date" not in headers and page.time:
        headers["date"] = page.time
    if "date" in headers:
        headers["date"] = headers["date"][:10] if re.match(r"\d{4}-\d\d-\d\d", headers["date"]) \
            else headers["date"]  # fmt: skip
    if "url" not in headers and page.meta.get("canonical"):
        headers["url"] = page.meta["canonical"]
    title = " ".join("".join(page.title).split())
    if "title" not in headers and title:
        headers["title"] = _without_site_name(title, headers.get("outlet"))
    return Article(headers, blocks)


def _without_site_name(title: str, outlet: str | None) -> str:
    """`Headline | Outlet` (or ` - `, ` — `) as the headline alone, when Outlet is known."""
    if outlet:
        for mark in (" | ", " - ", " — ", " – ", " · "):
            head, sep, tail = title.rpartition(mark)
            if sep and head and tail.strip().casefold() == outlet.casefold():
                return head.strip()
    return title
