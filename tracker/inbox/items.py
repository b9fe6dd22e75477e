"""What a source holds: the items of a feed (RSS, Atom, JSON Feed), or one article (an HTML
page, a Markdown or text file).

Feeds are read with feedparser, which takes every RSS and Atom version and recovers from
the broken XML real feeds serve; JSON Feed, which is JSON, with the standard library. An
item is read from the feed itself (title, summary, content). A page's story is read with
readability-lxml (its title and text, without navigation, ads or comments); its date,
outlet and URL from its <meta> tags. Both come with the `[watch]` extra.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import feedparser
import lxml.html
from readability import Document

from tracker.extract.articles import read_article
from tracker.inbox.fetch import Fetched, SourceFailed
from tracker.rules.identity import digest

MAX_TEXT = 100_000  # characters of an item's text kept: far more than any story

FEED_TYPES = {
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/feed+json", "application/json", "text/rss+xml",
    "application/x-rss+xml",
}  # fmt: skip
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf", ".json")
PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".text")
SUFFIXES = FEED_SUFFIXES + PAGE_SUFFIXES + TEXT_SUFFIXES


@dataclass(frozen=True)
class Item:
    url: str  # what the item is known by: its link, else its feed's id for it
    title: str | None
    text: str | None
    outlet: str | None
    published: date | None
    link: str | None = None  # the page to read with --fetch-pages


def items_of(fetched: Fetched, *, feed_only: bool = False) -> list[Item]:
    """The items of a fetched source. `feed_only`: a remembered feed must be a feed."""
    kind = _kind(fetched)
    if kind == "feed":
        return _feed_items(fetched)
    if feed_only or kind == "not a feed":
        what = "an HTML page" if _looks_html(fetched.body) else "not RSS, Atom or JSON Feed"
        raise SourceFailed(f"not a feed: {what}")
    text = decode(fetched)
    if kind == "page":
        return [page_item(fetched.url, text)]
    return [_text_item(fetched.url, text)]


def _kind(fetched: Fetched) -> str:
    suffix = Path(urllib.parse.urlsplit(fetched.url).path).suffix.lower()
    head = fetched.body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    media = fetched.media_type
    if media in FEED_TYPES or (media is None and suffix in FEED_SUFFIXES):
        if _looks_html(fetched.body):
            return "not a feed"  # HTML served as a feed
        return "feed"
    if media in ("text/html", "application/xhtml+xml") or suffix in PAGE_SUFFIXES:
        return "page"
    if media is None and suffix in TEXT_SUFFIXES:
        return "text"
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")) or (
        head.startswith(b"{") and b"jsonfeed.org" in head
    ):
        return "feed"
    if _looks_html(fetched.body):
        return "page"
    if media in (None, "text/plain", "text/markdown"):
        return "text"
    return "not a feed"


def _looks_html(body: bytes) -> bool:
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def decode(fetched: Fetched) -> str:
    """The text of a page or file: in the charset the server or the page declares, else
    UTF-8; bytes that are not that encoding fail the source."""
    declared = fetched.charset or _meta_charset(fetched.body)
    encoding = declared or "utf-8"
    try:
        return fetched.body.decode(encoding).lstrip("\ufeff")
    except LookupError:
        raise SourceFailed(f"bad encoding: unknown charset {encoding!r}") from None
    except UnicodeDecodeError as exc:
        said = f"declared {declared}" if declared else "no charset declared, so UTF-8"
        raise SourceFailed(f"bad encoding: not {encoding} at byte {exc.start} ({said})") from None


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)


def _meta_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii").lower() if m else None


# -- feeds --------------------------------------------------------------------------------


def _feed_items(fetched: Fetched) -> list[Item]:
    _check_encoding(fetched)
    if fetched.body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _json_feed_items(fetched)
    media = fetched.media_type or "application/xml"
    headers = {"content-type": f"{media}"
               + (f"; charset={fetched.charset}" if fetched.charset else "")}  # fmt: skip
    parsed = feedparser.parse(fetched.body, response_headers=headers)
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        why = f" ({' '.join(str(problem).split())[:120]})" if problem else ""
        raise SourceFailed(f"not a feed: not RSS, Atom or JSON Feed{why}")
    outlet = _clean(parsed.feed.get("title")) or _host(parsed.feed.get("link") or fetched.url)
    items = []
    for entry in parsed.entries:
        link = entry.get("link")
        title = _clean(entry.get("title"))
        text = _entry_text(entry)
        if not (title or text):
            continue
        url = link or entry.get("id") or f"urn:tracker:{digest(fetched.url, title or '')}"
        items.append(Item(url, title, text, outlet, _entry_date(entry), link))
    return items


def _json_feed_items(fetched: Fetched) -> list[Item]:
    """JSON Feed (jsonfeed.org, 1.0 and 1.1), which feedparser 6.0 does not read."""
    try:
        feed = json.loads(fetched.body.decode(fetched.charset or "utf-8").lstrip("\ufeff"))
    except ValueError:
        raise SourceFailed("not a feed: JSON that cannot be read") from None
    if not isinstance(feed, dict) or "jsonfeed.org" not in str(feed.get("version", "")):
        raise SourceFailed("not a feed: JSON, but not JSON Feed")
    outlet = _clean(_text(feed.get("title"))) or _host(_text(feed.get("home_page_url")) or
                                                      fetched.url)  # fmt: skip
    items = []
    for entry in feed.get("items") or []:
        if not isinstance(entry, dict):
            continue
        link = _text(entry.get("url")) or _text(entry.get("external_url"))
        title = _clean(_text(entry.get("title")))
        html = _text(entry.get("content_html"))
        plain = _text(entry.get("content_text")) or _text(entry.get("summary"))
        text = html_text(html) if html else _clean(plain, lines=True)
        if not (title or text):
            continue
        url = link or _text(entry.get("id")) or f"urn:tracker:{digest(fetched.url, title or '')}"
        published = _iso_date(_text(entry.get("date_published")) or
                              _text(entry.get("date_modified")))  # fmt: skip
        items.append(Item(url, title, text, outlet, published, link))
    return items


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _iso_date(value: str | None) -> date | None:
    """An RFC 3339 timestamp's day in UTC (JSON Feed's dates)."""
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp.astimezone(UTC).date() if stamp.tzinfo else stamp.date()


def _check_encoding(fetched: Fetched) -> None:
    """A feed whose bytes are not the encoding it declares (or UTF-8) fails: feedparser
    would read it as another encoding and store mojibake."""
    if fetched.body.lstrip(b" \t\r\n").startswith(b"{"):
        encoding = fetched.charset or "utf-8"
    else:
        declared = re.match(rb"""\s*<\?xml[^>]*encoding=["']([\w.:-]+)""", fetched.body[:200])
        encoding = declared.group(1).decode() if declared else (fetched.charset or "utf-8")
    try:
        fetched.body.decode(encoding)
    except LookupError:
        raise SourceFailed(f"bad encoding: unknown charset {encoding!r}") from None
    except UnicodeDecodeError as exc:
        raise SourceFailed(f"bad encoding: not {encoding} at byte {exc.start}") from None


def _entry_text(entry: Any) -> str | None:
    """The item's own text: its content, else its summary, as plain text."""
    for content in entry.get("content") or []:
        if content.get("value"):
            return html_text(content["value"])
    summary = entry.get("summary")
    return html_text(summary) if summary else None


def _entry_date(entry: Any) -> date | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(name)
        if parsed:
            try:
                year, month, day, hour, minute, second = parsed[:6]
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC).date()
            except (TypeError, ValueError):
                continue
    return None


def html_text(fragment: str) -> str | None:
    """The text of an HTML fragment, paragraphs on lines of their own."""
    if "<" not in fragment:
        return _clean(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return _clean(fragment)
    for tag in root.iter("script", "style"):
        tag.drop_tree()
    for block in root.iter("p", "br", "li", "h1", "h2", "h3", "h4", "div", "blockquote"):
        block.tail = "\n" + (block.tail or "")
    return _clean(root.text_content(), lines=True)


def _clean(text: str | None, lines: bool = False) -> str | None:
    if not text:
        return None
    if lines:
        kept = [" ".join(line.split()) for line in text.splitlines()]
        text = "\n".join(line for line in kept if line)
    else:
        text = " ".join(text.split())
    return text[:MAX_TEXT] or None


def _host(url: str) -> str | None:
    host = urllib.parse.urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


# -- pages and text files -----------------------------------------------------------------


def page_item(url: str, html: str) -> Item:
    """An HTML page as one item: readability's story, the <meta> tags' date and outlet."""
    headers = read_article(html).headers
    try:
        document = Document(html)
        title = _clean(headers.get("title")) or _clean(document.short_title())
        text = html_text(document.summary(html_partial=True))
    except Exception:  # readability raises its own and lxml's errors on broken markup
        title, text = _clean(headers.get("title")), None
    if text is None:
        blocks = read_article(html).blocks
        text = _clean("\n".join(b.text for b in blocks), lines=True)
    return Item(
        url=headers.get("url") or url,
        title=title,
        text=text,
        outlet=_clean(headers.get("outlet")) or _host(url),
        published=_header_date(headers.get("date")),
        link=url,
    )


def _text_item(url: str, text: str) -> Item:
    article = read_article(text)
    body = _clean("\n".join(b.text for b in article.blocks if b.text != article.headers.get(
        "title")), lines=True)  # fmt: skip
    return Item(
        url=article.headers.get("url") or url,
        title=_clean(article.headers.get("title")),
        text=body,
        outlet=_clean(article.headers.get("outlet")),
        published=_header_date(article.headers.get("date")),
        link=None,
    )


def _header_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
