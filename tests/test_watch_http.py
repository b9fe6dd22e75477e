"""`tracker watch` against a real HTTP server on 127.0.0.1 (a thread of the test): every way
a source can fail fails that source alone, in one line, and the others go on; gzip,
conditional GETs, redirects and the User-Agent as a server sees them. Nothing here leaves
the machine."""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from support import Tracker

from tracker.inbox import fetch

FEED = (
    b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title>'
    b"<link>https://wire.example/</link>"
    b"<item><title>iPhone 16 arrives with a new Camera Control button</title>"
    b"<link>https://wire.example/iphone</link>"
    b"<pubDate>Tue, 10 Sep 2024 17:00:00 GMT</pubDate></item>"
    b"</channel></rss>"
)
PAGE = (
    b"<!doctype html><html><head><title>Camera Control hands-on</title></head><body><article>"
    b"<p>The iPhone 16 Camera Control button takes a photo with one press.</p>"
    b"</article></body></html>"
)

Handler = Callable[[BaseHTTPRequestHandler], None]


class Server:
    """A local server whose paths each answer as the test says; it records the requests."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stop = threading.Event()
        server = self

        class Answer(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    route(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.close()


def send(
    body: bytes,
    content_type: str = "application/rss+xml",
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Handler:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def redirect(to: str) -> Handler:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", to)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


@pytest.fixture
def claim(tracker: Tracker, pinned_clock) -> Tracker:
    pinned_clock.set("2024-09-20")
    tracker.ok(
        "add",
        "Apple will launch the iPhone 16 with a Camera Control button",
        "--said-on",
        "2024-06-01",
    )
    return tracker


def failures(result) -> list[str]:
    return result.stderr.splitlines()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_each_failure_is_one_line_and_the_good_feed_goes_on(claim, server, monkeypatch):
    monkeypatch.setattr(fetch, "CONNECT_TIMEOUT", 0.5)
    monkeypatch.setattr(fetch, "SOURCE_TIMEOUT", 1.5)
    monkeypatch.setattr(fetch, "MAX_BYTES", 50_000)

    def slow(handler: BaseHTTPRequestHandler) -> None:  # never answers in time
        server.stop.wait(3)

    def trickle(handler: BaseHTTPRequestHandler) -> None:  # a byte at a time, for ever
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.end_headers()
        while not server.stop.wait(0.2):
            handler.wfile.write(b" ")
            handler.wfile.flush()

    server.routes |= {
        "/good": send(FEED),
        "/slow": slow,
        "/trickle": trickle,
        "/loop-a": redirect("/loop-b"),
        "/loop-b": redirect("/loop-a"),
        "/big": send(b"<rss>" + b" " * 60_000 + b"</rss>"),
        "/bomb": send(gzip.compress(b" " * 5_000_000), headers={"Content-Encoding": "gzip"}),
        "/html-as-feed": send(PAGE, "application/rss+xml"),
        "/latin1-as-utf8": send(
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'>"
            "<channel><title>Café</title></channel></rss>".encode("latin-1")
        ),
        "/gone": send(b"", "text/plain", status=404),
        "/to-file": redirect("file:///etc/passwd"),
    }
    for n in range(7):
        server.routes[f"/hop{n}"] = redirect(f"/hop{n + 1}")
    names = [
        "slow",
        "trickle",
        "loop-a",
        "big",
        "bomb",
        "html-as-feed",
        "latin1-as-utf8",
        "gone",
        "to-file",
        "hop0",
    ]
    started = time.monotonic()
    result = claim("watch", *(server.url(f"/{n}") for n in names), server.url("/good"))
    assert time.monotonic() - started < 12
    assert result.exit_code == 1
    said = dict(line.removeprefix("Error: ").split(": ", 1) for line in failures(result))
    reasons = {url.rsplit("/", 1)[1]: reason for url, reason in said.items()}
    assert reasons == {
        "slow": "timed out",
        "trickle": "timed out after 1.5 s",
        "loop-a": f"redirect loop ({server.url('/loop-a')} -> {server.url('/loop-b')} -> "
        f"{server.url('/loop-a')})",
        "big": "too large: 60,011 bytes (at most 50,000)",
        "bomb": "too large: over 50,000 bytes once unpacked",
        "html-as-feed": "not a feed: an HTML page",
        "latin1-as-utf8": "bad encoding: not utf-8 at byte 76",
        "gone": "HTTP 404 Not Found",
        "to-file": "redirected to file:///etc/passwd: only http and https",
        "hop0": "more than 5 redirects",
    }
    good = server.url("/good")
    assert result.stdout.startswith(f"{good}: 1 item, 1 new, 1 suggestion\n")
    assert len(claim.json("inbox")) == 1


@pytest.mark.parametrize("backend", ["sqlite"])
def test_unreachable_and_unknown_schemes_fail_alone(claim, server):
    server.routes["/good"] = send(FEED)
    result = claim(
        "watch", "http://127.0.0.1:1/feed", "ftp://example.com/feed", server.url("/good")
    )
    assert result.exit_code == 1
    assert failures(result) == [
        "Error: http://127.0.0.1:1/feed: unreachable: connection refused",
        "Error: ftp://example.com/feed: ftp scheme: only http, https and file are read",
    ]
    assert result.stdout.startswith(server.url("/good") + ": 1 item, 1 new")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_gzip_redirects_and_the_user_agent(claim, server):
    server.routes |= {
        "/moved": redirect("/feed.gz"),
        "/feed.gz": send(gzip.compress(FEED), headers={"Content-Encoding": "gzip"}),
    }
    result = claim.ok("watch", server.url("/moved"))
    assert result.stdout.startswith(f"{server.url('/moved')}: 1 item, 1 new, 1 suggestion")
    (_, first), (_, second) = server.requests
    for headers in (first, second):
        assert headers["User-Agent"].startswith("tracker/")
        assert "gzip" in headers["Accept-Encoding"]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_remembered_feed_is_fetched_conditionally(claim, server):
    def conditional(handler: BaseHTTPRequestHandler) -> None:
        if (
            handler.headers.get("If-None-Match") == '"v1"'
            and handler.headers.get("If-Modified-Since") == "Tue, 10 Sep 2024 17:00:00 GMT"
        ):
            handler.send_response(304)
            handler.end_headers()
            return
        send(FEED, headers={"ETag": '"v1"', "Last-Modified": "Tue, 10 Sep 2024 17:00:00 GMT"})(
            handler
        )

    server.routes["/feed"] = conditional
    url = server.url("/feed")
    claim.ok("feeds", "add", url)
    assert claim.ok("watch").stdout.startswith(f"{url}: 1 item, 1 new, 1 suggestion")
    assert claim.ok("watch").stdout == f"{url}: not modified since the last run\n"
    assert "If-None-Match" not in server.requests[0][1]
    assert server.requests[1][1]["If-None-Match"] == '"v1"'
    # Named on the command line, a remembered feed is still asked conditionally.
    assert claim.ok("watch", url).stdout == f"{url}: not modified since the last run\n"
    assert server.requests[2][1]["If-Modified-Since"] == "Tue, 10 Sep 2024 17:00:00 GMT"


@pytest.mark.parametrize("backend", ["sqlite"])
def test_pages_are_fetched_only_when_asked(claim, server):
    feed = FEED.replace(b"https://wire.example/iphone", server.url("/iphone").encode())
    server.routes |= {"/feed": send(feed), "/iphone": send(PAGE, "text/html; charset=utf-8")}
    claim.ok("watch", server.url("/feed"))
    assert [path for path, _ in server.requests] == ["/feed"]
    server.routes["/feed2"] = send(feed.replace(b"Camera Control button", b"Camera Control"))
    result = claim.ok("watch", server.url("/feed2"), "--fetch-pages")
    assert [path for path, _ in server.requests] == ["/feed", "/feed2", "/iphone"]
    assert result.stdout.startswith(f"{server.url('/feed2')}: 1 item, 1 new")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_article_url_and_a_declared_charset(claim, server):
    latin = PAGE.replace(b"hands-on", "Caf\u00e9 hands-on".encode("latin-1"))
    server.routes["/page"] = send(latin, "text/html; charset=iso-8859-1")
    server.routes["/bad"] = send(latin, "text/html; charset=utf-8")
    result = claim("watch", server.url("/page"), server.url("/bad"))
    assert result.exit_code == 1
    assert failures(result) == [
        f"Error: {server.url('/bad')}: bad encoding: not utf-8 at byte 52 (declared utf-8)"
    ]
    (suggestion,) = claim.json("inbox")
    assert suggestion["article"]["title"] == "Camera Control Café hands-on"
    assert suggestion["article"]["outlet"] == "127.0.0.1"
