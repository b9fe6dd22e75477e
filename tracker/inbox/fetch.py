"""Getting a source's bytes: http, https and file, within limits.

Every request names the tracker (User-Agent), asks for gzip, and says what it saw last
time (If-None-Match, If-Modified-Since), so an unchanged feed costs a 304 and no body.
Limits, each a failure of that source alone: 10 s to connect (and for any one read),
30 s for the whole source, 5 redirects (a loop is named as one), 10 MB of body before
or after gzip. The standard library's urllib does the HTTP: a feed or a page is one GET,
and nothing here needs a session or a pool.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from tracker import __version__

CONNECT_TIMEOUT = 10.0  # seconds: to connect, and for any one read
SOURCE_TIMEOUT = 30.0  # seconds: a whole source, redirects and body included
MAX_REDIRECTS = 5
MAX_BYTES = 10_000_000
USER_AGENT = f"tracker/{__version__} (claim tracker evidence inbox; +https://pypi.org/)"
SCHEMES = ("http", "https", "file")
_CHUNK = 64 * 1024


class SourceFailed(Exception):
    """A source that could not be read: the message says why, in a few words."""


@dataclass(frozen=True)
class Fetched:
    url: str  # where the body came from, after redirects
    body: bytes
    media_type: str | None  # "application/rss+xml", lower case, no parameters
    charset: str | None  # as the server declared it
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # a 304: nothing new since the ETag/Last-Modified given


@dataclass(frozen=True)
class Validators:
    """What the server said last time, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


def fetch(url: str, validators: Validators | None = None) -> Fetched:
    """The body at `url` (http, https or file), or SourceFailed saying why not."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        raise SourceFailed(f"{scheme or 'no'} scheme: only http, https and file are read")
    if scheme == "file":
        return read_file(Path(urllib.request.url2pathname(urllib.parse.urlsplit(url).path)))
    return _get(url, validators or Validators(), time.monotonic() + SOURCE_TIMEOUT)


def read_file(path: Path) -> Fetched:
    try:
        with path.open("rb") as handle:
            body = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise SourceFailed("is a folder") from None
    except OSError as exc:
        raise SourceFailed(f"cannot read: {exc.strerror or exc}") from None
    if len(body) > MAX_BYTES:
        raise SourceFailed(f"too large: over {_size(MAX_BYTES)}")
    return Fetched(path.resolve().as_uri(), body, None, None)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by `_get`, which counts them and sees loops."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects())


def _get(url: str, validators: Validators, deadline: float) -> Fetched:
    seen = [url]
    for _ in range(MAX_REDIRECTS + 1):
        request = urllib.request.Request(url, headers=_headers(validators))
        try:
            response = _OPENER.open(request, timeout=_left(deadline, CONNECT_TIMEOUT))
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return Fetched(url, b"", None, None, validators.etag,
                               validators.last_modified, not_modified=True)  # fmt: skip
            if exc.code in (301, 302, 303, 307, 308) and exc.headers.get("Location"):
                url = urllib.parse.urljoin(url, exc.headers["Location"])
                exc.close()
                if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
                    raise SourceFailed(f"redirected to {url}: only http and https") from None
                if url in seen:
                    raise SourceFailed(f"redirect loop ({' -> '.join(seen + [url])})") from None
                seen.append(url)
                continue
            raise SourceFailed(f"HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            raise SourceFailed(_network_error(exc)) from None
        with response:
            return _body(url, response, deadline)
    raise SourceFailed(f"more than {MAX_REDIRECTS} redirects")


def _headers(validators: Validators) -> dict[str, str]:
    headers = {
        "User-Agent": USER_AGENT,
        "Accept-Encoding": "gzip, deflate",
        "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
        "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, "
        "*/*;q=0.5",
    }
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def _left(deadline: float, most: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise SourceFailed(_timed_out())
    return min(left, most)


def _body(url: str, response: http.client.HTTPResponse, deadline: float) -> Fetched:
    headers: Message = response.headers
    length = headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > MAX_BYTES:
        raise SourceFailed(f"too large: {int(length):,} bytes (at most {MAX_BYTES:,})")
    sock = getattr(getattr(response.fp, "raw", None), "_sock", None)
    chunks, size = [], 0
    try:
        while True:
            if isinstance(sock, socket.socket):  # no read may outlast the source's time
                sock.settimeout(_left(deadline, CONNECT_TIMEOUT))
            elif time.monotonic() > deadline:
                raise SourceFailed(_timed_out())
            chunk = response.read1(_CHUNK)  # what has come, not a full chunk: the clock is read
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_BYTES:
                raise SourceFailed(f"too large: over {_size(MAX_BYTES)}")
            chunks.append(chunk)
    except (OSError, http.client.HTTPException) as exc:
        if time.monotonic() >= deadline:  # the last read was given what time was left
            raise SourceFailed(_timed_out()) from None
        raise SourceFailed(_network_error(exc)) from None
    body = _decoded(b"".join(chunks), (headers.get("Content-Encoding") or "").strip().lower())
    return Fetched(
        url=url,
        body=body,
        media_type=headers.get_content_type() if headers.get("Content-Type") else None,
        charset=headers.get_content_charset(),
        etag=headers.get("ETag"),
        last_modified=headers.get("Last-Modified"),
    )


def _decoded(body: bytes, encoding: str) -> bytes:
    """The body without its Content-Encoding, still at most MAX_BYTES (a gzip bomb is
    refused as it inflates, not after)."""
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise SourceFailed(f"unknown Content-Encoding {encoding!r}")
    wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    try:
        inflater = zlib.decompressobj(wbits)
        out = inflater.decompress(body, MAX_BYTES + 1)
    except zlib.error:
        if encoding != "deflate":
            raise SourceFailed(f"the {encoding} body is damaged") from None
        try:  # raw deflate, as some servers send it
            inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            out = inflater.decompress(body, MAX_BYTES + 1)
        except zlib.error:
            raise SourceFailed("the deflate body is damaged") from None
    if len(out) > MAX_BYTES or inflater.unconsumed_tail:
        raise SourceFailed(f"too large: over {_size(MAX_BYTES)} once unpacked")
    return out


def _timed_out() -> str:
    return f"timed out after {SOURCE_TIMEOUT:g} s"


def _size(count: int) -> str:
    return f"{count // 1_000_000} MB" if count % 1_000_000 == 0 else f"{count:,} bytes"


def _network_error(exc: BaseException) -> str:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(reason, ssl.SSLError):
        return f"TLS failed: {reason.reason or reason}"
    if isinstance(reason, socket.gaierror):
        return "unreachable: unknown host"
    if isinstance(reason, ConnectionRefusedError):
        return "unreachable: connection refused"
    if isinstance(reason, OSError) and reason.strerror:
        return f"unreachable: {reason.strerror.lower()}"
    if isinstance(exc, http.client.HTTPException):
        return f"bad HTTP response ({type(exc).__name__})"
    return f"unreachable: {' '.join(str(reason).split())[:200]}"
