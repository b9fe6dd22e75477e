"""The remembered feeds: what `tracker watch` reads when it is given no source."""

from __future__ import annotations

import contextlib
import urllib.parse
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.models import Feed
from tracker.errors import InvalidInput, TrackerError
from tracker.inbox.fetch import SCHEMES, Validators
from tracker.rules.identity import digest
from tracker.rules.text import MAX_TEXT, clean


class FeedNotFound(TrackerError):
    """No remembered feed has the URL given."""


@dataclass(frozen=True)
class FeedRow:
    url: str
    added_at: datetime
    added_by: str
    checked_at: datetime | None


def source_url(text: str) -> str:
    """A feed's URL as given (http, https or file), or a local path as a file: URL."""
    text = clean(text, "feed URL", limit=MAX_TEXT)
    scheme = urllib.parse.urlsplit(text).scheme.lower()
    if scheme in SCHEMES:
        if scheme != "file" and not urllib.parse.urlsplit(text).hostname:
            raise InvalidInput(f"{text!r} names no host")
        return text
    if len(scheme) > 1:  # "C:\\..." is a drive, not a scheme
        raise InvalidInput(f"{text!r}: only http, https and file URLs (or a file path) are read")
    try:
        path = Path(text).expanduser()
        if path.exists():
            return path.resolve().as_uri()
    except (OSError, RuntimeError, ValueError):  # a name too long, "~nobody", a NUL
        pass
    raise InvalidInput(f"{text}: no such file or folder, and not an http(s) URL")


def add_feed(session: Session, url: str, *, actor: str, now: datetime) -> tuple[str, bool]:
    """Remember a feed; (its URL, whether it is new)."""
    url = source_url(url)
    if session.scalar(select(Feed.id).where(Feed.url_hash == digest(url))) is not None:
        return url, False
    session.add(Feed(url=url, url_hash=digest(url), added_at=now, added_by=actor))
    session.flush()
    return url, True


def remove_feed(session: Session, url: str) -> str:
    feed = _find(session, url)
    session.delete(feed)
    session.flush()
    return feed.url


def _find(session: Session, url: str) -> Feed:
    text = clean(url, "feed URL", limit=MAX_TEXT)
    candidates = [text]
    with contextlib.suppress(InvalidInput):  # not a URL or a path: only the text itself
        candidates.append(source_url(text))
    for candidate in candidates:
        feed = session.scalars(select(Feed).where(Feed.url_hash == digest(candidate))).first()
        if feed is not None:
            return feed
    raise FeedNotFound(f"no remembered feed {text!r}; `tracker feeds list` shows them")


def list_feeds(session: Session) -> list[FeedRow]:
    rows = session.scalars(select(Feed).order_by(Feed.id))
    return [FeedRow(f.url, f.added_at, f.added_by, f.checked_at) for f in rows]


def validators(session: Session) -> dict[str, Validators]:
    """What each remembered feed's server said last time, by URL."""
    return {
        feed.url: Validators(feed.etag, feed.last_modified)
        for feed in session.scalars(select(Feed))
    }


def remember_validators(session: Session, url: str, found: Validators, *, now: datetime) -> None:
    """Keep the ETag and Last-Modified a remembered feed's server sent (others: nothing)."""
    feed = session.scalars(select(Feed).where(Feed.url_hash == digest(url))).first()
    if feed is None:
        return
    feed.etag, feed.last_modified, feed.checked_at = found.etag, found.last_modified, now
