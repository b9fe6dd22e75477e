"""The team page (`tracker serve`), as a real server process on 127.0.0.1 answers it: every
route against what the CLI prints, errors, ETags, escaping, and that it never writes (on
every backend)."""

import html
import importlib
import json
import re
import shutil
import signal
import uuid
from datetime import date

import pytest
from served import Served, wait_for
from support import SERVERS, Tracker, assert_error, installed, table_counts

from tracker.rules.identity import handle

installed("uvicorn", "web")

HOSTILE = '<script>alert("x")</script> & "quotes" <img src=x onerror=alert(1)>'


def unserved(page: str) -> tuple[str, int]:
    """The page without what the server adds to the report (its ETag and live script in
    the head, and links from claim numbers to claim pages), and how many such links."""
    page, scripts = re.subn(
        r'<meta name="tracker-etag" content="[^"]*"><script>.*?</script><link rel="icon" '
        r'href="data:,">', "", page, flags=re.S,
    )  # fmt: skip
    assert scripts == 1
    return re.subn(r'<a href="/claims/[a-z0-9]+(?:\?[a-z_]+=[\d-]+(?:&amp;[a-z_]+=[\d-]+)?)?">'
                   r"(\d+)</a>", r"\1", page)  # fmt: skip


def handle_of(tracker, claim: str) -> str:
    return handle(tracker.json("show", claim)["uid"])


@pytest.fixture(scope="module", params=["sqlite", "postgresql", "mariadb"])
def db_url_shared(request, tmp_path_factory):
    """A database for this module's read-only tests, on each backend (made as conftest's
    `db_url` makes one): they share it, and one server, since none of them writes."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("web") / "tracker.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield str(path)
        return
    server = request.getfixturevalue(SERVERS[request.param])
    name = f"{server.prefix}_{uuid.uuid4().hex[:8]}"
    yield server.create(name, template=server.template)
    server.drop(name)


@pytest.fixture(scope="module")
def desk(db_url_shared):
    """The seed story, and a week of a desk's work on it."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TRACKER_USER", "tester")
        tracker = Tracker(db_url_shared)
        _desk_work(tracker)
    return tracker


def _desk_work(tracker):
    tracker.ok("seed")
    tracker.ok("add", "Xiaomi 13 Ultra launches in Q2 2023", "--key", "13-ultra",
               "--subject", "Xiaomi 13 Ultra", "--source", "Digital Chat Station",
               "--said-on", "2022-12-01", "--expected", "Q2 2023", "--hedge", "rumoured",
               "--article-url", "https://example.com/dcs")  # fmt: skip
    tracker.ok("evidence", "13-ultra", "supports", "--source", "GSMArena", "--on", "2023-03-01",
               "--url", "https://example.com/gsm", "--note", "TENAA listing")  # fmt: skip
    tracker.ok("confirm", "13-ultra", "--on", "2023-04-18", "--actual", "Launched 18 April")
    tracker.ok("add", "A far-off claim", "--key", "far", "--said-on", "2024-01-01",
               "--expected", "2030")  # fmt: skip
    tracker.ok("link", "far", "depends-on", "13-ultra", "--reason", "same maker")
    tracker.ok("edit", "far", "--subject", "Far things", "--reason", "filed")


@pytest.fixture(scope="module")
def served(desk):
    server = Served(desk.url)
    yield server
    server.stop()


def test_every_route_answers_what_the_cli_prints(desk, served):
    # `/`: the report as `report --format html` writes it (plus the server's two additions).
    reply = served.get("/")
    assert reply.status == 200 and reply.headers["content-type"] == "text/html; charset=utf-8"
    page, links = unserved(reply.text)
    assert page == desk.ok("report", "--format", "html").stdout and links > 0
    query = "?as_of=2022-06-01&since=2022-05-01&days=10&limit=2"
    page, links = unserved(served.get("/" + query).text)
    cli = desk.ok("report", "--format", "html", "--as-of", "2022-06-01", "--since", "2022-05-01",
                  "--days", "10", "--limit", "2").stdout  # fmt: skip
    assert page == cli and "Claim report as of 2022-06-01" in page and links > 0
    # From a report as of a day, a claim's page as of that day.
    past = served.get("/" + query).text
    assert re.search(r'<a href="/claims/[a-z0-9]+\?as_of=2022-06-01">2</a>', past)
    # The JSON routes: the CLI's bytes.
    reply = served.get("/api/report.json")
    assert reply.headers["content-type"] == "application/json"
    assert reply.text == desk.ok("report", "--format", "json").stdout
    assert served.get("/api/report.json?as_of=2022-07-10&since=7d").text == desk.ok(
        "report", "--format", "json", "--as-of", "2022-07-10", "--since", "7d").stdout  # fmt: skip
    name = handle_of(desk, "13-ultra")
    shown = desk.ok("show", "13-ultra", "--format", "json").stdout
    assert served.get(f"/api/claims/{name}.json").text == shown
    assert served.get("/api/claims/13-ultra.json").text == shown  # a key, or an id, as the CLI
    assert served.get(f"/api/claims/{name}.json?as_of=2023-03-02").text == desk.ok(
        "show", "13-ultra", "--format", "json", "--as-of", "2023-03-02").stdout  # fmt: skip
    assert served.get("/api/sources.json").text == desk.ok("sources", "--format", "json").stdout
    assert served.get("/api/sources.json?as_of=2022-06-01").text == desk.ok(
        "sources", "--format", "json", "--as-of", "2022-06-01").stdout  # fmt: skip
    # The claim's page: its fields, evidence, links and history.
    page = served.get(f"/claims/{name}").text
    for words in ("Xiaomi 13 Ultra launches in Q2 2023", name, "Digital Chat Station",
                  "TENAA listing", "GSMArena", "Launched 18 April", "needed by",
                  "evidence_added", "confirmed", "Q2 2023 (2023-04-01 to 2023-06-30)"):  # fmt: skip
        assert words in page, words
    assert '<a href="https://example.com/dcs" rel="noopener noreferrer">Xiaomi 13 Ultra' in page
    # The evidence's note and URL, as `show` has them, in the last column (the one that wraps).
    assert ('<td>TENAA listing — <a href="https://example.com/gsm" rel="noopener noreferrer">'
            "https://example.com/gsm</a></td></tr>") in page  # fmt: skip
    far = served.get(f"/claims/{handle_of(desk, 'far')}").text
    assert "subject: none -&gt; &quot;Far things&quot;; filed" in far  # as `show` says it
    assert re.search(r'depends on</td><td><a href="/claims/[a-z0-9]+">5</a>', far)
    # The sources' page: the report's track-record table.
    page = served.get("/sources").text
    assert "<h1>Sources as of " in page and "Digital Chat Station" in page
    # Every page links to the report and the sources, and the report to each claim's page.
    assert '<a href="/sources">Sources</a>' in page
    assert f'<a href="/claims/{handle_of(desk, "far")}">6</a>' in served.get("/").text


@pytest.mark.parametrize(
    "options",
    [
        ("--tag", "chip"),
        ("--tag", "leica", "--tag", "Name"),  # every one of them, any case
        ("--subject", "xiaomi 13", "--source", "digital"),
        ("--known-on", "2022-06-01"),
        ("--known-on", "2022-06-01", "--as-of", "2022-07-10", "--tag", "launch"),
        ("--source", "nobody at all"),
    ],
)
def test_the_report_and_sources_take_the_cli_filters_and_known_on(desk, served, options):
    """`/`, `/sources` and their JSON with `tag`, `subject`, `source` and `known_on`: what
    `report` and `sources` print with the same options."""
    pairs = list(zip(options[::2], options[1::2], strict=True))
    query = "?" + "&".join(f"{o.removeprefix('--').replace('-', '_')}={v}" for o, v in pairs)
    query = query.replace(" ", "+")
    page, _ = unserved(served.get("/" + query).text)
    report = desk.ok("report", "--format", "html", *options).stdout
    assert page == report
    everything = desk.ok("report", "--format", "html").stdout
    assert report != everything  # each of these narrows, or moves, the report
    assert served.get("/api/report.json" + query).text == desk.ok(
        "report", "--format", "json", *options).stdout  # fmt: skip
    sources = desk.ok("sources", "--format", "json", *options).stdout
    assert served.get("/api/sources.json" + query).text == sources
    page = served.get("/sources" + query).text
    for row in json.loads(sources):
        assert f"<td>{html.escape(row['name'])}</td>" in page
    assert len(re.findall(r"<tr>", page)) == len(json.loads(sources)) + bool(json.loads(sources))


def test_known_on_shows_what_had_been_recorded_by_then(recorded_later, db_url, pinned_clock):
    """A leak confirmed on 09-01, refuted on 09-01 but recorded on 09-11 (conftest's
    `recorded_later`): the page known on 09-05 is the report that could have been printed
    then, and links to its claims so."""
    tracker = recorded_later
    pinned_clock.set(date.today().isoformat())  # the server's today
    name = handle_of(tracker, "1")
    served = Served(db_url)
    try:
        for query, options in [
            ("?known_on=2024-09-05", ("--known-on", "2024-09-05")),
            ("?known_on=2024-09-05&tag=phones", ("--known-on", "2024-09-05", "--tag", "phones")),
            ("?as_of=2024-09-05", ("--as-of", "2024-09-05")),
        ]:
            page, links = unserved(served.get("/" + query).text)
            assert page == tracker.ok("report", "--format", "html", *options).stdout, query
            for route, command in [("/api/report.json", "report"),
                                   ("/api/sources.json", "sources")]:  # fmt: skip
                cli = tracker.ok(command, "--format", "json", *options).stdout
                assert served.get(route + query).text == cli, route + query
        known = json.loads(served.get("/api/report.json?known_on=2024-09-05").text)
        assert known["totals"]["confirmed"] == 1 and known["totals"]["disputed"] == 0
        later = json.loads(served.get("/api/report.json?as_of=2024-09-05").text)
        assert later["totals"]["disputed"] == 1  # the refutation, recorded later, counts
        page = served.get("/?known_on=2024-09-05").text
        assert f'<a href="/claims/{name}?known_on=2024-09-05">1</a>' in page
        page = served.get("/?as_of=2024-09-05&known_on=2024-09-11").text
        assert f'<a href="/claims/{name}?as_of=2024-09-05&amp;known_on=2024-09-11">1</a>' in page
        claim = served.get(f"/api/claims/{name}.json?known_on=2024-09-05").text
        assert claim == tracker.ok("show", "1", "--format", "json", "--known-on",
                                   "2024-09-05").stdout  # fmt: skip
        assert json.loads(claim)["status"] == "confirmed"
    finally:
        served.stop()


def _history_rows(page: str) -> list[list[str]]:
    """The claim page's history table as the words a reader sees, row by row."""
    table = page[page.index("<h2>History</h2>") :].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(
        r"<t[hd]>(.*?)</t[hd]>", row, flags=re.S)] for row in rows]  # fmt: skip


@pytest.mark.parametrize(("claim", "as_of"), [("13-ultra", None), ("far", None),
                                              ("13-ultra", "2023-03-02")])  # fmt: skip
def test_the_claim_page_history_is_shows_in_its_order_and_words(desk, served, claim, as_of):
    """Every event `show` lists, in its order (oldest first, as recorded), with the same
    time, effective day, event, status, actor and detail; columns said in full."""
    query = f"?as_of={as_of}" if as_of else ""
    page = served.get(f"/claims/{handle_of(desk, claim)}{query}").text
    header, *rows = _history_rows(page)
    assert header == ["Event", "Recorded (UTC)", "Effective on", "What", "Status", "By", "Detail"]
    assert "Oldest first, in the order it was recorded" in page
    shown = desk.ok("show", claim, *(["--as-of", as_of] if as_of else [])).stdout
    lines = shown[shown.index("\nHistory\n") :].strip().splitlines()[2:]
    assert len(rows) == len(lines) > 1
    for row, line in zip(rows, lines, strict=True):
        cells = re.split(r"\s{2,}", line.strip())
        assert [c.replace(" → ", " -> ") for c in row if c] == cells, (row, line)
    recorded = [row[1] for row in rows]
    assert recorded == sorted(recorded)  # chronological as recorded


@pytest.mark.parametrize(
    "path", ["/", "/sources", "/claims/13-ultra", "/api/report.json", "/api/claims/1.json",
             "/api/sources.json", "/nowhere"],
)  # fmt: skip
def test_head_answers_the_headers_of_get_without_a_body(served, path):
    got, head = served.get(path), served.request(path, "HEAD")
    assert head.status == got.status and head.body == b""
    assert head.headers.get("etag") == got.headers.get("etag")
    assert head.headers["content-type"] == got.headers["content-type"]


def test_unknown_claims_and_pages_are_404(served):
    reply = served.get("/claims/zzzzzzzzzz")
    assert reply.status == 404 and reply.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in reply.text and "zzzzzzzzzz" in reply.text
    assert "etag" not in reply.headers  # an error is nothing a cache may keep
    reply = served.get("/api/claims/99.json")
    assert reply.status == 404 and json.loads(reply.text)["status"] == 404
    for path in ("/nowhere", "/sources/", "/claims/", "/api/report"):
        reply = served.get(path)
        assert reply.status == 404 and "etag" not in reply.headers, path


@pytest.mark.parametrize(
    ("query", "option", "code"),
    [
        ("?as_of=12.07.2022", ("--as-of", "12.07.2022"), 1),
        ("?as_of=July+2022", ("--as-of", "July 2022"), 1),
        ("?since=2099-01-01", ("--since", "2099-01-01"), 1),
        ("?since=99999w", ("--since", "99999w"), 1),
        ("?days=0", ("--days", "0"), 2),
        ("?days=36501", ("--days", "36501"), 2),
        ("?limit=x", ("--limit", "x"), 2),
        ("?limit=-1", ("--limit", "-1"), 2),
        ("?limit=%C2%B2", ("--limit", "²"), 2),
        ("?known_on=12.07.2022", ("--known-on", "12.07.2022"), 1),
        ("?tag=%2C", ("--tag", ","), 1),
        ("?tag=chip&tag=a%3Bb", ("--tag", "chip", "--tag", "a;b"), 1),
        ("?subject=", ("--subject", ""), 1),
    ],
)
def test_a_bad_parameter_is_a_400_with_the_cli_message(desk, served, query, option, code):
    """The page's message is the CLI's `Error:` line, naming the parameter as the query
    does (`'days'` where the CLI says `'--days'`)."""
    cli = desk("report", *option)
    assert_error(cli, code=code)
    name = option[0].removeprefix("--").replace("-", "_")
    message = cli.stderr.strip().splitlines()[-1].removeprefix("Error: ")
    message = message.replace(f"'{option[0]}'", f"'{name}'")
    paths = ["/", "/api/report.json"]
    if option[0] in ("--as-of", "--known-on", "--tag", "--subject", "--source"):
        assert desk("sources", *option).stderr == cli.stderr  # `sources` takes these too
        paths += ["/sources", "/api/sources.json"]
    for path in paths:
        reply = served.get(path + query)
        assert reply.status == 400, path
        if path.startswith("/api/"):
            assert json.loads(reply.text) == {"error": message, "status": 400}
        else:
            assert "<h1>Bad request</h1>" in reply.text
            assert f"<p>{html.escape(message)}</p>" in reply.text


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/?asof=2022-06-01", "unknown parameter 'asof'"),
        ("/?as_of=2022-06-01&as_of=2022-07-01", "given more than once"),
        ("/sources?since=7d", "this page takes: as_of"),
        ("/claims/1?as_of=2000-01-01", "claim 1 was said on 2022-05-23, after --as-of 2000-01-01"),
    ],
)
def test_parameters_the_pages_do_not_take_are_refused(served, path, words):
    reply = served.get(path)
    assert reply.status == 400 and words in reply.text.replace("&#x27;", "'"), reply.text


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"])
def test_only_get_and_head(desk, served, method):
    before = table_counts(desk.url)
    for path in ("/", "/api/report.json", "/claims/1", "/nowhere"):
        reply = served.request(path, method, headers={"Content-Length": "0"})
        assert reply.status == 405, (method, path)
        assert reply.headers["allow"] == "GET, HEAD" and "etag" not in reply.headers
    assert table_counts(desk.url) == before


def test_etag_304_and_a_new_etag_after_a_write(tracker, db_url):
    tracker.ok("seed")
    tracker.ok("add", "A far-off claim", "--key", "13-ultra", "--said-on", "2024-01-01")
    served = Served(db_url)
    try:
        _etags(tracker, served)
    finally:
        served.stop()


def _etags(desk, served):
    first = served.get("/")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    # Unchanged history: the same ETag on every route, and 304 with no body.
    for path in ("/", "/sources", "/api/report.json", "/claims/13-ultra",
                 "/api/claims/13-ultra.json", "/api/sources.json?as_of=2024-06-01"):  # fmt: skip
        assert served.get(path).headers["etag"] == etag, path
        reply = served.get(path, if_none_match=etag)
        assert reply.status == 304 and reply.body == b"" and reply.headers["etag"] == etag, path
    assert served.request("/", "HEAD", headers={"If-None-Match": etag}).status == 304
    for header in ("*", f'"other", {etag}', f"W/{etag}"):
        assert served.get("/", if_none_match=header).status == 304, header
    # An error is never a 304 and has no ETag, whatever the request names.
    for path, status in (("/nowhere", 404), ("/claims/nothing", 404),
                         ("/api/claims/nothing.json", 404), ("/?as_of=nonsense", 400),
                         ("/api/report.json?limit=x", 400), ("/sources?x=1", 400)):  # fmt: skip
        for header in (etag, "*"):
            for method in ("GET", "HEAD"):
                reply = served.request(path, method, headers={"If-None-Match": header})
                assert reply.status == status and "etag" not in reply.headers, (path, header)
        reply = served.request(path, "POST", headers={"If-None-Match": etag})
        assert reply.status == 405 and "etag" not in reply.headers, path
    assert served.get("/", if_none_match='"other"').status == 200
    # Reads and failed writes change nothing, so not the ETag either.
    desk.ok("report")
    assert_error(desk("confirm", "999"))
    assert_error(desk("add", "Bad date", "--said-on", "2022-02-30"))
    assert served.get("/", if_none_match=etag).status == 304
    # A write anywhere: a new ETag, and the page shows it.
    desk.ok("add", "Nintendo announces the Switch 2 in 2025", "--said-on", "2024-01-01")
    reply = served.get("/", if_none_match=etag)
    assert reply.status == 200 and reply.headers["etag"] != etag
    assert "Nintendo announces the Switch 2" in reply.text
    assert served.get("/", if_none_match=reply.headers["etag"]).status == 304


def test_hostile_text_is_escaped_and_only_http_urls_are_links(tracker, db_url):
    tracker.ok("add", HOSTILE, "--key", "hostile", "--subject", "<b>subject</b>",
               "--source", "<i>src</i>", "--said-on", "2024-01-01", "--expected", "2030",
               "--article-url", "javascript:alert(1)", "--tag", "<u>tag</u>")  # fmt: skip
    tracker.ok("evidence", "hostile", "supports", "--url", "javascript:alert(2)",
               "--note", "<script>alert(3)</script>", "--source", "<s>x</s>",
               "--on", "2024-02-01")  # fmt: skip
    tracker.ok("evidence", "hostile", "contradicts", "--url", "data:text/html,<b>x</b>",
               "--on", "2024-02-02", "--note", "data")  # fmt: skip
    tracker.ok("edit", "hostile", "--text", HOSTILE + " (edited)", "--reason", '"><script>')
    server = Served(db_url)
    try:
        name = handle_of(tracker, "hostile")
        for path in ("/", f"/claims/{name}", "/sources", f"/claims/{name}?as_of=2024-01-15"):
            page = server.get(path).text
            body = page[page.index("</head>") :]  # the head's one script is the server's own
            assert "<script" not in body and "<img" not in body and "<b>" not in body, path
            assert "<i>src" not in body and "<s>x" not in body and "<u>tag" not in body, path
            assert 'href="javascript' not in page and 'href="data' not in body, path
            assert "&lt;i&gt;src&lt;/i&gt;" in body, path
            if path != "/sources":  # the one page without claims
                assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body, path
        claim_page = server.get(f"/claims/{name}").text
        assert "&lt;script&gt;alert(3)&lt;/script&gt;" in claim_page
        assert "&quot;&gt;&lt;script&gt;" in claim_page  # the edit's reason, in the history
        error = server.get("/claims/%3Cscript%3Ealert(1)%3C%2Fscript%3E").text
        assert error.count("<script") == 1 and "&lt;script&gt;alert(1)" in error
        csp = server.get("/").headers["content-security-policy"]
        assert "script-src 'sha256-" in csp and "default-src 'none'" in csp
    finally:
        server.stop()


def test_a_crawl_of_every_route_changes_nothing(desk, served):
    """`db verify` prints the same digest (and every table holds as many rows) after every
    route was asked for in every way."""
    before, counts = desk.ok("db", "verify").stdout, table_counts(desk.url)
    assert "digest " in before
    etag = served.get("/").headers["etag"]
    name = handle_of(desk, "13-ultra")
    paths = ["/", "/?as_of=2022-06-01", "/?since=2w&days=7&limit=0", "/sources",
             "/sources?as_of=2022-07-01", f"/claims/{name}", "/claims/far",
             f"/claims/{name}?as_of=2023-01-01", "/api/report.json",
             "/api/report.json?as_of=2022-06-01&limit=1", f"/api/claims/{name}.json",
             "/api/sources.json"]  # fmt: skip
    errors = ["/claims/nothing", "/?as_of=nonsense", "/nowhere"]
    for path in paths + errors:
        for method in ("GET", "HEAD", "POST", "DELETE"):
            served.request(path, method, headers={"Content-Length": "0"})
        expected = 304 if path in paths else served.get(path).status
        assert served.get(path, if_none_match=etag).status == expected, path
    assert desk.ok("db", "verify").stdout == before and table_counts(desk.url) == counts


def test_the_servers_own_connection_cannot_write(desk):
    """What the server reads through is read-only in the database itself: a write that
    got past every route (a bug) is refused by SQLite or the server."""
    from sqlalchemy import text

    from tracker.errors import DatabaseError
    from tracker.web.server import open_read_only

    database = open_read_only(desk.url)
    try:
        writes = [
            "INSERT INTO source (name, name_folded) VALUES ('x', 'x')",
            "UPDATE claim SET text = 'changed' WHERE id = 1",
            "DELETE FROM claim_tag",
            "CREATE TABLE intruder (x INTEGER)",
        ]
        for statement in writes:
            with pytest.raises(DatabaseError, match="read"):
                database.run(lambda s, sql=statement: s.execute(text(sql)), write=True)
            with pytest.raises(DatabaseError, match="read"), database.reading() as session:
                session.execute(text(statement))
                session.flush()
            with pytest.raises(Exception, match="(?i)read.?only"), database.engine.begin() as c:
                c.exec_driver_sql(statement)
    finally:
        database.dispose()
    assert desk.json("show", "1")["text"].startswith("Xiaomi and Leica")
    assert "intruder" not in str(table_counts(desk.url))


def test_on_loopback_it_answers_to_loopback_names_only(served):
    """A page of another site, pointed at 127.0.0.1 by a DNS rebinding, reads nothing."""
    for host in ("localhost", f"localhost:{served.port}", f"127.0.0.1:{served.port}",
                 "[::1]:8080", "127.0.0.2", "LOCALHOST.", "tracker.localhost:1"):  # fmt: skip
        assert served.request("/", headers={"Host": host}).status == 200, host
    for host in ("evil.example", "evil.example:8080", "127.0.0.1.evil.example", "",
                 "localhost.evil.example", "10.0.0.1"):  # fmt: skip
        reply = served.request("/api/report.json", headers={"Host": host})
        assert reply.status == 403 and "--host" in json.loads(reply.text)["error"], host


def test_a_host_other_than_loopback_is_warned_about(desk, served):
    assert served.url.startswith("http://127.0.0.1:")  # loopback by default, without a word
    server = Served(desk.url, "--host", "0.0.0.0")
    try:
        assert server.get("/", host="127.0.0.1").status == 200
        # Served to the network on purpose: any name (a proxy's) is answered.
        assert server.request("/", headers={"Host": "tracker.example"}).status == 200
    finally:
        code, _, err = server.stop()
    warning = err.splitlines()
    assert len(warning) == 2 and warning[0].startswith(f"Warning: http://0.0.0.0:{server.port}/")
    assert "has no login: anyone who can reach this address reads every claim" in warning[0]
    assert f"ssh -L {server.port}:127.0.0.1:{server.port}" in warning[1]
    assert "To keep it private, serve on loopback" in warning[1] and "reverse proxy" in warning[1]
    assert code == 0


def test_serve_help_lists_every_route_and_its_parameters(tmp_path):
    """`serve --help` names each route the app answers and each parameter each one takes."""
    from click.testing import CliRunner
    from sqlalchemy.engine import make_url

    from tracker.cli import main
    from tracker.db.database import Database
    from tracker.web import params
    from tracker.web.app import make_app

    text = CliRunner().invoke(main, ["serve", "--help"]).output
    routes_block = text[text.index("Routes") : text.index("Query parameters")]
    helped = re.findall(r"^ +(/\S*) ", routes_block, flags=re.M)
    database = Database(make_url(f"sqlite:///{tmp_path / 'unused.db'}"))
    try:
        app = make_app(database).app  # type: ignore[attr-defined]
        routes = [route.path.replace("{handle}", "HANDLE") for route in app.routes]
    finally:
        database.dispose()
    assert helped == routes
    block = text[text.index("Query parameters") : text.index("Each reads as")]
    rows = [re.split(r"\s{2,}", line.strip()) for line in block.strip().splitlines()[2:]]
    named = {route: words.split() for route, words in rows}
    assert named == {
        "/ and /api/report.json": list(params.REPORT),
        "/sources, /api/sources.json": list(params.SOURCES),
        "/claims/HANDLE and its JSON": list(params.CLAIM),
    }
    assert "GET and HEAD" in text and "400" in text


def test_serve_without_the_extra_says_how_to_install_it(tracker, monkeypatch):
    """The same install line as the README's, with the project's name on PyPI."""
    import sys

    web = importlib.import_module("tracker.web")
    # Both: `from tracker.web import server` finds the package's attribute before sys.modules.
    monkeypatch.delitem(sys.modules, "tracker.web.server", raising=False)
    monkeypatch.delattr(web, "server", raising=False)
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if never installed
    assert_error(tracker("serve", "--port", "0"), "needs the web extra (uvicorn is missing): "
                 "pip install 'claim-tracker[web]'")  # fmt: skip


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_stops_it_cleanly(desk, sig):
    server = Served(desk.url)
    assert server.get("/").status == 200
    code, out, err = server.stop(sig)
    assert code == 0 and out.endswith("Stopped.\n") and err == "", err


def test_serve_refuses_what_it_cannot_serve(desk, served, tmp_path):
    missing = tmp_path / "missing.db"
    assert_error(desk("--db", str(missing), "serve"), "does not exist")
    assert not missing.exists()  # never created: a page has nothing to show from nothing
    taken = desk("serve", "--port", str(served.port))
    assert_error(taken, f"port {served.port}", "choose another --port")
    assert_error(desk("serve", "--host", "no such host.invalid"), "--host")


def test_an_open_page_sees_its_claim_appear(tracker, db_url):
    """A claim's page asked for before the claim exists is a 404 with no ETag, whose
    script asks again plainly: once the claim is added, the answer is its page."""
    server = Served(db_url)
    try:
        missing = server.get("/claims/later")
        assert missing.status == 404 and "etag" not in missing.headers
        assert '<meta name="tracker-etag" content="">' in missing.text
        tracker.ok("add", "Added later", "--key", "later", "--said-on", "2024-01-01")
        reply = wait_for(lambda: (r := server.get("/claims/later")).status == 200 and r)
        assert "Added later" in reply.text and "etag" in reply.headers
    finally:
        server.stop()


def test_the_page_cache_keeps_a_page_for_its_etag_only():
    from tracker.web.cache import PageCache

    cache = PageCache(max_bytes=800)
    cache.put("/", '"1"', b"a" * 100)
    assert cache.get("/", '"1"') == b"a" * 100
    assert cache.get("/", '"2"') is None  # the history changed: rendered again
    cache.put("/", '"2"', b"b" * 100)
    assert cache.get("/", '"1"') is None and cache.get("/", '"2"') == b"b" * 100
    cache.put("/big", '"2"', b"c" * 101)  # over an eighth of the bound: not kept
    assert cache.get("/big", '"2"') is None
    for n in range(8):  # the least recently asked for go first
        cache.put(f"/{n}", '"2"', b"d" * 100)
        cache.get("/", '"2"')
    assert cache.get("/", '"2"') is not None and cache.get("/0", '"2"') is None
    assert cache.get("/7", '"2"') is not None
