"""Benchmark: the team page's latency at N claims, on SQLite and on PostgreSQL.

Builds a database of N claims as bench.py does (its generated feed, imported), starts
`tracker serve` on 127.0.0.1, and asks for each page R times from one client, printing
JSON: the p50, p95 and largest latency of `/` rendered afresh (a claim added with the
CLI before each request, so each is the first after a change and renders the report
again), beside its floor in the same run (the same report built and rendered by the
same functions inside one warm process, no HTTP); `/` served again for the same history
(every other reader's request: the page rendered for that ETag); a poll (`/` with the
current ETag: a 304, what every open page costs every 5 s); a claim's page and JSON;
`/api/report.json` (every claim, streamed) with its size; the server's peak RSS; and
the machine's load average around the run (the machine is shared: read the page
beside its floor). No assertions: this prints, people judge.

    python tests/bench/web_bench.py                       # 100,000 claims, SQLite
    python tests/bench/web_bench.py --claims 20000 --requests 30
    python tests/bench/web_bench.py --postgres postgresql+psycopg://postgres@127.0.0.1/test

Needs the tracker installed with its web extra in this Python.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # bench.py's feed, served.py's server

from bench import TRACKER, generate  # noqa: E402
from served import Served  # noqa: E402

# The floor: the page's own work in a warm process (the report read and rendered as the
# route does it, in one read-only transaction), timed REQUESTS times after a warm-up.
FLOOR = r"""
import json, sys, time
from tracker import clock
from tracker.db.urls import resolve_url
from tracker.queries.reports import ReportRequest, build_report
from tracker.render import report_html
from tracker.io.writers import materialised
from tracker.render.terminal import displayed
from tracker.web.server import open_read_only

database = open_read_only(sys.argv[1])
def page():
    with database.reading() as session:
        request = ReportRequest(today=clock.today(), limit=50, details=True)
        return report_html.html(displayed(materialised(build_report(session, request))))
for _ in range(3):
    page()
times = []
for _ in range(int(sys.argv[2])):
    started = time.perf_counter()
    page()
    times.append(time.perf_counter() - started)
print(json.dumps(times))
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def latencies(seconds: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(seconds) * 1000, 1),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 1),
        "max_ms": round(max(seconds) * 1000, 1),
    }


def timed(
    server: Served, path: str, times: int, before: Callable[[], object] = lambda: None,
    **headers: str,
) -> tuple[list[float], int]:  # fmt: skip
    """Seconds of each of `times` requests for `path` (each after `before()`), and the last
    reply's size."""
    seconds, size = [], 0
    for _ in range(times):
        before()
        started = time.perf_counter()
        reply = server.get(path, **headers)
        seconds.append(time.perf_counter() - started)
        assert reply.status in (200, 304), (path, reply.status, reply.text[:300])
        size = len(reply.body)
    return seconds, size


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def bench_page(label: str, database: str, requests: int) -> dict:
    figures: dict = {}
    floor = subprocess.run([sys.executable, "-c", FLOOR, database, str(requests)],
                           check=True, capture_output=True, text=True)  # fmt: skip
    server = Served(database)
    try:
        for _ in range(3):  # warm: imports done, pools filled, pages cached by the OS
            server.get("/")
        added = itertools.count()  # a new claim before each fresh render

        def write() -> None:  # a change: the next request renders the report afresh
            claim = f"Web bench claim {os.getpid()}.{next(added)}"  # new in every run
            subprocess.run([*TRACKER, "--db", database, "add", claim, "--said-on", "2024-01-01"],
                           check=True, capture_output=True)  # fmt: skip

        seconds, size = timed(server, "/", requests, before=write)
        figures[f"{label}_page_after_a_change"] = {**latencies(seconds), "bytes": size}
        figures[f"{label}_page_floor_in_process"] = latencies(json.loads(floor.stdout))
        figures[f"{label}_page_same_history"] = latencies(timed(server, "/", requests)[0])
        # The report narrowed as `--subject` narrows it, and as known today (the spans' read
        # path, as `--known-on`), each rendered afresh after a change.
        for route, path in (("page_subject_after_a_change", "/?subject=phone+17"),
                            ("page_known_on_after_a_change", "/?known_on=today")):  # fmt: skip
            seconds, size = timed(server, path, max(requests // 5, 5), before=write)
            figures[f"{label}_{route}"] = {**latencies(seconds), "bytes": size}
        etag = server.get("/").headers["etag"]
        poll = timed(server, "/", requests, if_none_match=etag)[0]
        figures[f"{label}_poll_304"] = latencies(poll)
        claim = json.loads(server.get("/api/report.json?limit=1").text)["pending"][0]
        name = claim.get("handle") or handle_of(claim["uid"])
        for route, path in (("claim_page_by_id", f"/claims/{claim['id']}"),
                            ("claim_json_by_id", f"/api/claims/{claim['id']}.json"),
                            ("claim_page_by_handle", f"/claims/{name}")):  # fmt: skip
            figures[f"{label}_{route}"] = latencies(timed(server, path, max(requests // 5, 5))[0])
        started = time.perf_counter()
        reply = server.get("/api/report.json")
        figures[f"{label}_report_json"] = {
            "s": round(time.perf_counter() - started, 2),
            "mb": round(len(reply.body) / 1e6, 1),
            "claims": sum(len(reply_list) for reply_list in _lists(reply.text)),
        }
        figures[f"{label}_server_peak_rss_mb"] = peak_rss_mb(server.process.pid)
    finally:
        server.stop()
    return figures


def _lists(text: str) -> list[list]:
    report = json.loads(text)
    return [report[name] for name in ("pending", "overdue", "disputed", "recently_resolved")]


def handle_of(uid: str) -> str:
    from tracker.rules.identity import handle

    return handle(uid)


def import_into(database: str, feed: Path) -> float:
    subprocess.run([*TRACKER, "--db", database, "db", "upgrade"], check=True, capture_output=True)
    started = time.perf_counter()
    subprocess.run([*TRACKER, "--db", database, "import", str(feed)], check=True,
                   capture_output=True)  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100, help="requests per figure")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    parser.add_argument("--postgres", metavar="URL", help="also on a new database there")
    options = parser.parse_args()
    work = Path(options.keep or tempfile.mkdtemp(prefix="tracker-web-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    feed = work / f"claims-{options.claims}.jsonl"
    if not feed.exists():
        generate(feed, options.claims)
    figures: dict = {
        "claims": options.claims,
        "requests": options.requests,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
    }
    figures["load_average_before"] = os.getloadavg()
    try:
        sqlite_db = work / f"web-{options.claims}.db"
        if not sqlite_db.exists():
            figures["sqlite_import_s"] = round(import_into(str(sqlite_db), feed), 1)
        figures.update(bench_page("sqlite", str(sqlite_db), options.requests))
        if options.postgres:
            figures.update(bench_postgres(options.postgres, feed, options.requests))
    finally:
        figures["load_average_after"] = os.getloadavg()
        print(json.dumps(figures, indent=2))
    if not options.keep:
        shutil.rmtree(work)


def bench_postgres(url: str, feed: Path, requests: int) -> dict:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"tracker_web_bench_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    database = base.set(database=name).render_as_string(hide_password=False)
    try:
        figures = {"postgres_import_s": round(import_into(database, feed), 1)}
        figures.update(bench_page("postgres", database, requests))
        return figures
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


if __name__ == "__main__":
    main()
