"""The team page's routes, each read in one read-only transaction.

    /                        the report, as `report --format html` prints it
    /claims/HANDLE           a claim with its evidence, links and history
    /sources                 the sources' track records
    /api/report.json         `report --format json`, byte for byte (streamed)
    /api/claims/HANDLE.json  `show --format json`, byte for byte
    /api/sources.json        `sources --format json`, byte for byte

Every page (200) carries an ETag made of the history's mark (tracker.queries.freshness),
today's date (the report counts days from it) and the tracker's version: it changes
exactly when what a page shows can change. A request naming the current ETag in
If-None-Match gets 304, once its parameters and its claim were found good: an error
(400, 403, 404, 405, 503) has no ETag and is never a 304, so a cache never keeps one
for a page. Anything but GET and HEAD is 405.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Generator, Iterator
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from tracker import __version__, clock
from tracker.db.database import Database
from tracker.errors import ClaimNotFound, DatabaseError, TrackerError
from tracker.io.writers import json_chunks, json_text, materialised
from tracker.queries.freshness import history_mark
from tracker.queries.listing import ClaimFilter
from tracker.queries.reports import ReportRequest, build_report
from tracker.queries.shapes import claim_detail
from tracker.queries.sources import source_rows
from tracker.queries.timeline import Timeline
from tracker.render import report_html
from tracker.render.terminal import displayed
from tracker.web import pages, params
from tracker.web.cache import PageCache
from tracker.web.lookup import find_claim

Loaded = TypeVar("Loaded")  # what a page shows, found before its ETag is compared
Sources = tuple[Timeline, ClaimFilter]  # the track records of these claims, then

METHODS = ("GET", "HEAD")
HTML = "text/html; charset=utf-8"
JSON = "application/json"
CHUNK = 1 << 16  # a streamed response goes out in pieces of about this many bytes
# Sent with every response: always revalidate (the ETag makes that cheap), never sniff a
# type, never frame the page, never tell a linked site where the reader came from.
HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": pages.CONTENT_SECURITY_POLICY,
}
TITLES = {
    400: "Bad request", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
    503: "Unavailable",
}  # fmt: skip


def etag_matches(header: str, etag: str) -> bool:
    """If-None-Match: `*`, or a list of ETags compared weakly (a `W/` prefix ignored)."""
    wanted = etag.removeprefix("W/")
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or wanted in tags


class Site:
    """What every route reads: the database (opened read-only) and today's date."""

    def __init__(self, database: Database, today: Callable[[], date] = clock.today):
        self.database = database
        self.today = today
        self.pages = PageCache()  # rendered once per history, however many readers

    def etag(self, session: Session, today: date) -> str:
        return f'"{history_mark(session).token}.{today.isoformat()}.{__version__}"'

    # -- responses -------------------------------------------------------------------

    def error(self, path: str, status: int, message: str) -> Response:
        """An error as a page (as JSON under /api/), without an ETag: nothing a cache may
        keep or revalidate. An open error page still asks again (tracker.web.pages), and
        shows the answer once there is one (a claim added, a database back up)."""
        headers = dict(HEADERS)
        if status == 405:
            headers["Allow"] = ", ".join(METHODS)
        if path.startswith("/api/"):
            body = json_text({"error": message, "status": status}) + "\n"
            return Response(body, status, headers, media_type=JSON)
        page = pages.error_page(status, TITLES.get(status, "Error"), message)
        return Response(page, status, headers, media_type=HTML)

    def answer(
        self,
        request: Request,
        allowed: tuple[str, ...],
        media_type: str,
        load: Callable[[Session, dict[str, list[str]], date], Loaded],
        render: Callable[[Session, Loaded, str], str],
    ) -> Response:
        """Read the query's parameters and `load` what the page shows (where a bad
        parameter or an unknown claim fails), then answer 304 to a request that names
        the ETag, else `render` it, all in one transaction (or take the page rendered for
        that ETag already: it loaded then). A failure the user can fix is a 400 (404 for
        an unknown claim, 503 for a database that cannot be read), saying what the CLI
        would."""
        today = self.today()
        address = f"{request.url.path}?{request.url.query}"
        wanted = request.headers.get("if-none-match")
        try:
            query = params.read(request.query_params.multi_items(), allowed)
            with self.database.reading() as session:
                etag = self.etag(session, today)
                body = self.pages.get(address, etag)
                if body is None:
                    loaded = load(session, query, today)
                    if wanted and etag_matches(wanted, etag):
                        return not_modified(etag)
                    body = render(session, loaded, etag).encode("utf-8")
                    self.pages.put(address, etag, body)
        except TrackerError as exc:
            return self.error(request.url.path, _status(exc), str(exc))
        if wanted and etag_matches(wanted, etag):
            return not_modified(etag)
        return Response(body, 200, {**HEADERS, "ETag": etag}, media_type=media_type)

    # -- routes ----------------------------------------------------------------------

    def report_page(self, request: Request) -> Response:
        def render(session: Session, report: ReportRequest, etag: str) -> str:
            shown = displayed(materialised(build_report(session, report)))

            def href(claim: dict[str, Any]) -> str:  # the claim as of the report's day
                return pages.claim_href(claim, report.timeline)

            return report_html.html(shown, claim_href=href, head=pages.live_head(etag))

        def load(session: Session, query: dict[str, list[str]], today: date) -> ReportRequest:
            return params.report_request(query, today, html=True)

        return self.answer(request, params.REPORT, HTML, load, render)

    def claim_page(self, request: Request) -> Response:
        def render(session: Session, claim: dict[str, Any], etag: str) -> str:
            return pages.claim_page(displayed(claim), etag)

        return self.answer(request, params.CLAIM, HTML, self._claim(request), render)

    def claim_json(self, request: Request) -> Response:
        def render(session: Session, claim: dict[str, Any], etag: str) -> str:
            return json_text(claim) + "\n"

        return self.answer(request, params.CLAIM, JSON, self._claim(request), render)

    def sources_page(self, request: Request) -> Response:
        def render(session: Session, asked: Sources, etag: str) -> str:
            when, where = asked
            rows = source_rows(session, when, where)
            return pages.sources_page(displayed(rows), when.reference.isoformat(), etag)

        return self.answer(request, params.SOURCES, HTML, _sources, render)

    def sources_json(self, request: Request) -> Response:
        def render(session: Session, asked: Sources, etag: str) -> str:
            return json_text(list(source_rows(session, *asked))) + "\n"

        return self.answer(request, params.SOURCES, JSON, _sources, render)

    def report_json(self, request: Request) -> Response:
        """Streamed as `report --format json` writes it, a batch of claims at a time, in
        one transaction held while it is sent: memory stays flat at any size."""
        today = self.today()
        try:
            query = params.read(request.query_params.multi_items(), params.REPORT)
            report_request = params.report_request(query, today, html=False)
            stream = self._stream(today, lambda s: json_chunks(build_report(s, report_request)))
            etag = next(stream)
        except TrackerError as exc:
            return self.error(request.url.path, _status(exc), str(exc))
        wanted = request.headers.get("if-none-match")
        if wanted and etag_matches(wanted, etag):
            stream.close()
            return not_modified(etag)
        body: Iterator[str] = stream
        if request.method == "HEAD":  # the headers alone: nothing read, the snapshot let go
            stream.close()
            body = iter(())
        return StreamingResponse(body, 200, {**HEADERS, "ETag": etag}, media_type=JSON)

    @staticmethod
    def _claim(request: Request) -> Callable[[Session, dict[str, list[str]], date], dict[str, Any]]:
        """What `show --format json` prints of the claim the path names (404 when none)."""

        def load(session: Session, query: dict[str, list[str]], today: date) -> dict[str, Any]:
            claim = find_claim(session, request.path_params["handle"])
            return claim_detail(session, claim, params.timeline(query, today))

        return load

    def _stream(
        self, today: date, chunks: Callable[[Session], Iterator[str]]
    ) -> Generator[str, None, None]:
        """The ETag, then the body in pieces, all read in one transaction."""
        with self.database.reading() as session:
            yield self.etag(session, today)
            piece: list[str] = []
            size = 0
            for chunk in chunks(session):
                piece.append(chunk)
                size += len(chunk)
                if size >= CHUNK:
                    yield "".join(piece)
                    piece, size = [], 0
            yield "".join(piece)


def _sources(session: Session, query: dict[str, list[str]], today: date) -> Sources:
    """When the sources' track records are read, and of which claims (`sources`'s options)."""
    return params.timeline(query, today), params.claims(query)


def not_modified(etag: str) -> Response:
    return Response(None, 304, {**HEADERS, "ETag": etag})


def _status(exc: TrackerError) -> int:
    """An unknown claim is 404, a database that cannot be read 503, anything else the
    request's own fault (a bad date, a bad parameter): 400."""
    if isinstance(exc, ClaimNotFound):
        return 404
    return 503 if isinstance(exc, DatabaseError) else 400


class Gate:
    """In front of every route: anything but GET and HEAD is 405. Served on loopback only
    (`local`), a request must name a loopback host: a page of another site that a DNS
    rebinding pointed at 127.0.0.1 must not read every claim in the reader's browser."""

    def __init__(self, app: ASGIApp, site: Site, *, local: bool):
        self.app = app
        self.site = site
        self.local = local

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, headers = scope["path"], Headers(scope=scope)
        refusal = None
        if self.local and not _loopback_name(headers.get("host", "")):
            refusal = (403, "this page answers only to localhost, 127.0.0.1 and [::1]; "
                            "to serve it under another name, start it with --host")  # fmt: skip
        elif scope["method"] not in METHODS:
            method = scope["method"]
            refusal = (405, f"this page is read-only: {method} is not allowed, only GET and HEAD")
        if refusal is not None:
            await self.site.error(path, *refusal)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _loopback_name(host: str) -> bool:
    """A Host header naming this machine's loopback: localhost, 127.x.x.x or [::1]."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    name = name.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def make_app(
    database: Database, today: Callable[[], date] = clock.today, *, local: bool = True
) -> ASGIApp:
    """The team page as an ASGI application over a database opened read-only; `local`:
    served on a loopback address, to be asked for by a loopback name only."""
    site = Site(database, today)

    def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 404
        message = f"there is no page {request.url.path!r}"
        return site.error(request.url.path, status, message)

    app = Starlette(
        routes=[
            Route("/", site.report_page),
            Route("/claims/{handle}", site.claim_page),
            Route("/sources", site.sources_page),
            Route("/api/report.json", site.report_json),
            Route("/api/claims/{handle}.json", site.claim_json),
            Route("/api/sources.json", site.sources_json),
        ],
        exception_handlers={404: not_found},
    )
    app.router.redirect_slashes = False  # `/sources/` is not `/sources`: a 404
    return Gate(app, site, local=local)
