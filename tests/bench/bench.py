"""Benchmark: the tracker against its floors and peers, on a database of N claims.

Every figure is a median of whole-process runs, printed beside its floor
measured in the same run on the same machine (the machines are shared and
noisy: compare ratios, not seconds). No assertions: this prints, people judge.

    python tests/bench/bench.py                 # 100,000 claims
    python tests/bench/bench.py --claims 1000000
    python tests/bench/bench.py --claims 20000 --repeat 3   # a quick look
    python tests/bench/bench.py --postgres postgresql+psycopg://postgres@127.0.0.1/test
    python tests/bench/bench.py --mariadb mariadb+pymysql://root@127.0.0.1/

Needs the tracker installed in this Python; the bench installs `sqlite-utils`, the
peer of the import figure, in an environment of its own (skipped if it cannot).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

PYTHON = sys.executable
TRACKER = [PYTHON, "-m", "tracker"]
SOURCES = [f"Source {n}" for n in range(200)]
SUBJECTS = [f"Phone {n}" for n in range(2000)]
STANCES = ["confirms", "refutes", "supports", "contradicts"]


def generate(path: Path, claims: int) -> None:
    """JSONL: one claim per line with one piece of evidence, like a scraped feed."""
    rng = random.Random(42)
    start = date(2020, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        for n in range(claims):
            said = start + timedelta(days=rng.randrange(1500))
            end = said + timedelta(days=rng.randrange(10, 400))
            record = {
                "key": f"c{n}",
                "text": f"Claim {n}: {rng.choice(SUBJECTS)} ships feature {rng.randrange(10**6)}",
                "subject": rng.choice(SUBJECTS),
                "source": rng.choice(SOURCES),
                "said_on": said.isoformat(),
                "expected": f"by {end.isoformat()}",
                "likelihood": round(rng.random(), 2),
                "evidence": [
                    {
                        "stance": rng.choice(STANCES),
                        "on": (said + timedelta(days=rng.randrange(1, 500))).isoformat(),
                        "note": "seen",
                    }
                ],
            }
            out.write(json.dumps(record) + "\n")


def run(args: list[str], env: dict | None = None, stdin: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one whole process (`stdin`: a file it reads)."""
    elapsed, peak, _ = process(args, env, stdin)
    return elapsed, peak


def process(
    args: list[str], env: dict | None = None, stdin: Path | None = None
) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KiB) and CPU seconds (user and system) of one whole process:
    on a shared machine the CPU time says what the wall time cannot."""
    source = stdin.open("rb") if stdin is not None else subprocess.DEVNULL
    started = time.perf_counter()
    child = subprocess.Popen(
        args, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if stdin is not None:
        source.close()
    if status != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{child.stderr.read().decode()}")
    child.stderr.close()
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def median(args: list[str], repeat: int, env: dict | None = None) -> float:
    return statistics.median(run(args, env)[0] for _ in range(repeat))


# -- the floors ---------------------------------------------------------------------

# The floors' rows: each claim of the feed and its evidence, as the tracker's schema holds
# them (uids and the text hash made as the tracker makes them), a thousand claims at a time.
FLOOR_ROWS = r"""
import hashlib, json, uuid
from tracker.rules.identity import handle
CLAIM_COLUMNS = ("id, uid, handle, key, text, text_norm, text_hash, subject, source_id, said_on,"
                 " expected_text, expected_end, likelihood, status, created_at, updated_at")
EVIDENCE_COLUMNS = "id, uid, claim_id, stance, observed_on, note, recorded_at, recorded_by"
def batches(path, new_source):
    # (claims, evidence) rows; new_source(id, name, name_folded) for each new source.
    sources, claims, evidence = {}, [], []
    with open(path, encoding="utf-8") as lines:
        for n, line in enumerate(lines, 1):
            r = json.loads(line)
            source = sources.get(r["source"])
            if source is None:
                source = sources[r["source"]] = len(sources) + 1
                new_source(source, r["source"], r["source"].casefold())
            folded = r["text"].casefold()
            uid = str(uuid.uuid4())
            claims.append((n, uid, handle(uid), r["key"], r["text"], folded,
                           hashlib.sha256(folded.encode()).hexdigest()[:32], r["subject"],
                           source, r["said_on"], r["expected"], r["expected"][3:],
                           r["likelihood"], "pending", "2024-01-01", "2024-01-01"))
            e = r["evidence"][0]
            evidence.append((n, str(uuid.uuid4()), n, e["stance"], e["on"], e["note"],
                             "2024-01-01", "bench"))
            if len(claims) == 1000:
                yield claims, evidence
                claims, evidence = [], []
    yield claims, evidence
"""

# The import's floor: those rows by executemany into the tracker's own schema (its
# indexes and constraints), one transaction.
FLOOR_IMPORT = (
    FLOOR_ROWS
    + r"""
import sqlite3, sys
db, path = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
def new_source(*row):
    conn.execute("INSERT INTO source (id, name, name_folded) VALUES (?, ?, ?)", row)
for claims, evidence in batches(path, new_source):
    conn.executemany(f"INSERT INTO claim ({CLAIM_COLUMNS}) VALUES ({','.join('?' * 16)})",
                     claims)
    conn.executemany(f"INSERT INTO evidence ({EVIDENCE_COLUMNS}) VALUES ({','.join('?' * 8)})",
                     evidence)
conn.execute("COMMIT")
"""
)

# The same floor on PostgreSQL: the same rows by COPY through psycopg, one transaction.
FLOOR_IMPORT_POSTGRES = (
    FLOOR_ROWS
    + r"""
import sys
import psycopg
url, path = sys.argv[1], sys.argv[2]
with psycopg.connect(url) as conn, conn.cursor() as cur:
    def new_source(*row):
        cur.execute("INSERT INTO source (id, name, name_folded) VALUES (%s, %s, %s)", row)
    for claims, evidence in batches(path, new_source):
        for table, columns, rows in (("claim", CLAIM_COLUMNS, claims),
                                     ("evidence", EVIDENCE_COLUMNS, evidence)):
            with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
"""
)

# Evidence for stored claims, the least a database can do: find each claim by key (one
# query a batch), insert the evidence and its event (uid and hash included), and set the
# claim's status and time. No validation, no replay of the claim's history.
FLOOR_EVIDENCE = r"""
import hashlib, json, sqlite3, sys, uuid
db, path = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
evidence_id = conn.execute("SELECT coalesce(max(id), 0) FROM evidence").fetchone()[0]
event_id = conn.execute("SELECT coalesce(max(id), 0) FROM claim_event").fetchone()[0]
def flush(batch):
    global evidence_id, event_id
    keys = [r["key"] for r in batch]
    ids = dict(conn.execute("SELECT key, id FROM claim WHERE key IN (%s)"
                            % ",".join("?" * len(keys)), keys))
    evidence, events, claims = [], [], []
    for r in batch:
        e = r["evidence"][0]
        evidence_id += 1; event_id += 1
        claim = ids[r["key"]]
        evidence.append((evidence_id, str(uuid.uuid4()), claim, e["stance"], e["on"], e["note"]))
        digest = hashlib.sha256(json.dumps(e, sort_keys=True).encode()).hexdigest()
        events.append((event_id, str(uuid.uuid4()), claim, evidence_id, e["on"], digest))
        claims.append((claim,))
    conn.executemany("INSERT INTO evidence (id, uid, claim_id, stance, observed_on, note,"
        " recorded_at, recorded_by) VALUES (?,?,?,?,?,?,'2025-11-01','bench')", evidence)
    conn.executemany("INSERT INTO claim_event (id, uid, claim_id, event, from_status,"
        " to_status, evidence_id, effective_on, recorded_at, actor, hash) VALUES"
        " (?,?,?,'evidence_added','pending','disputed',?,?,'2025-11-01','bench',?)", events)
    conn.executemany("UPDATE claim SET status = 'disputed', updated_at = '2025-11-01'"
                     " WHERE id = ?", claims)
batch = []
with open(path, encoding="utf-8") as lines:
    for line in lines:
        batch.append(json.loads(line))
        if len(batch) == 1000:
            flush(batch); batch = []
if batch:
    flush(batch)
conn.execute("COMMIT")
"""


# Withdrawing claims named by handle, the least a database can do: find them (a thousand
# handles a query), insert each one's `withdrawn` event (uid and hash included) and mark
# it. No lock on each claim's history, no replay, nothing printed.
FLOOR_WITHDRAW = r"""
import hashlib, sqlite3, sys, uuid
db = sys.argv[1]
handles = [line.strip() for line in sys.stdin if line.strip()]
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
event_id = conn.execute("SELECT coalesce(max(id), 0) FROM claim_event").fetchone()[0]
for start in range(0, len(handles), 1000):
    batch = handles[start:start + 1000]
    found = conn.execute("SELECT id, status FROM claim WHERE handle IN (%s)"
                         % ",".join("?" * len(batch)), batch).fetchall()
    events = []
    for claim, status in found:
        event_id += 1
        digest = hashlib.sha256(f"{claim} withdrawn".encode()).hexdigest()
        events.append((event_id, str(uuid.uuid4()), claim, status, status, digest))
    conn.executemany("INSERT INTO claim_event (id, uid, claim_id, event, from_status,"
        " to_status, effective_on, recorded_at, actor, reason, hash) VALUES"
        " (?,?,?,'withdrawn',?,?,'2025-11-01','2025-11-01','bench','bench',?)", events)
    conn.executemany("UPDATE claim SET withdrawn = 1, updated_at = '2025-11-01' WHERE id = ?",
                     [(claim,) for claim, _ in found])
conn.execute("COMMIT")
"""


def empty_database(path: Path) -> None:
    env = {**os.environ, "TRACKER_DB": str(path)}
    subprocess.run([*TRACKER, "db", "upgrade"], env=env, check=True, capture_output=True)


def bench_import(work: Path, feed: Path, claims: int, repeat: int) -> dict:
    figures: dict = {}
    template = work / "empty.db"
    empty_database(template)

    def fresh(name: str) -> Path:
        path = work / name
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(template, path)
        return path

    rows = claims * 2  # a claim and its evidence (the tracker also writes two events)
    tracker_runs, floor_runs, peaks = [], [], []
    for _ in range(repeat):
        db = fresh("import.db")
        elapsed, peak = run([*TRACKER, "--db", str(db), "import", str(feed)])
        tracker_runs.append(elapsed)
        peaks.append(peak)
        db = fresh("floor.db")
        floor_runs.append(run([PYTHON, "-c", FLOOR_IMPORT, str(db), str(feed)])[0])
    figures["import_rows_per_s"] = round(rows / statistics.median(tracker_runs))
    figures["import_floor_sqlite3_rows_per_s"] = round(rows / statistics.median(floor_runs))
    figures["import_vs_floor"] = round(
        statistics.median(floor_runs) / statistics.median(tracker_runs), 3
    )
    figures["import_peak_rss_mb"] = round(max(peaks) / 1024, 1)
    sqlite_utils = peer_sqlite_utils(work)
    if sqlite_utils is not None:
        peer_runs = []
        for _ in range(repeat):
            db = work / "peer.db"
            db.unlink(missing_ok=True)
            peer_runs.append(run([sqlite_utils, "insert", str(db), "claims", str(feed), "--nl"])[0])
        figures["import_sqlite_utils_rows_per_s"] = round(claims / statistics.median(peer_runs))
        figures["import_vs_sqlite_utils"] = round(
            statistics.median(peer_runs) / statistics.median(tracker_runs), 3
        )
    else:
        figures["import_sqlite_utils_rows_per_s"] = "skipped: could not install sqlite-utils"
    figures.update(bench_evidence(work, work / "import.db", claims, repeat))
    figures.update(bench_withdraw(work, work / "import.db", claims, repeat))
    # A withdrawal writes two rows a claim (its event, and the claim marked), as the
    # import floor writes a claim and its evidence: rows a second, side by side.
    figures["withdraw_rows_per_s"] = round(2 * figures["withdraw_claims"] / figures["withdraw_s"])
    figures["withdraw_vs_import_floor"] = round(
        figures["withdraw_rows_per_s"] / figures["import_floor_sqlite3_rows_per_s"], 3
    )
    figures["withdraw_undo_rows_per_s"] = round(
        2 * figures["withdraw_claims"] / figures["withdraw_undo_s"]
    )
    return figures


WITHDRAWN = 20_000  # claims one `withdraw -` takes out (a wire feed imported by mistake)


def bench_withdraw(work: Path, db: Path, claims: int, repeat: int) -> dict:
    """`list --format ids | withdraw -` of WITHDRAWN claims (fewer in a smaller database), its
    `undo`, and the floor, each on its own copy of the built database."""
    count = min(WITHDRAWN, claims)
    ids = work / "withdraw-ids.txt"
    with ids.open("w") as out:
        subprocess.run([*TRACKER, "--db", str(db), "list", "--limit", str(count), "--format",
                        "ids"], stdout=out, check=True)  # fmt: skip
    copy = work / "withdraw.db"
    runs: dict[str, list[tuple[float, float]]] = {"withdraw": [], "undo": [], "floor": []}
    for _ in range(repeat):
        shutil.copyfile(db, copy)
        tracker = [*TRACKER, "--db", str(copy)]
        runs["withdraw"].append(
            process([*tracker, "withdraw", "-", "--reason", "bench"], stdin=ids)[::2]
        )
        runs["undo"].append(process([*tracker, "undo"])[::2])
        shutil.copyfile(db, copy)
        runs["floor"].append(process([PYTHON, "-c", FLOOR_WITHDRAW, str(copy)], stdin=ids)[::2])
    copy.unlink()
    wall = {name: statistics.median(w for w, _ in found) for name, found in runs.items()}
    cpu = {name: statistics.median(c for _, c in found) for name, found in runs.items()}
    return {"withdraw_claims": count,
            "withdraw_s": round(wall["withdraw"], 2),
            "withdraw_cpu_s": round(cpu["withdraw"], 2),
            "withdraw_floor_sqlite3_s": round(wall["floor"], 2),
            "withdraw_floor_sqlite3_cpu_s": round(cpu["floor"], 2),
            "withdraw_vs_floor": round(wall["floor"] / wall["withdraw"], 3),
            "withdraw_undo_s": round(wall["undo"], 2),
            "withdraw_undo_cpu_s": round(cpu["undo"], 2)}  # fmt: skip


def peer_sqlite_utils(work: Path) -> str | None:
    """sqlite-utils in an environment of its own (the tracker's stays as it was)."""
    venv = work / "peer-venv"
    program = venv / "bin" / "sqlite-utils"
    if not program.exists():
        made = subprocess.run([PYTHON, "-m", "venv", str(venv)], capture_output=True)
        installed = (
            made.returncode == 0
            and subprocess.run(
                [str(venv / "bin" / "pip"), "install", "--quiet", "sqlite-utils"],
                capture_output=True,
            ).returncode
            == 0
        )
        if not installed:
            return None
    return str(program)


def evidence_feed(path: Path, claims: int, records: int) -> None:
    """Key-only records: one new piece of evidence each for a stored claim (a weekly batch)."""
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as out:
        for n in range(records):
            # After every generated claim was said (2020-2024), before today.
            on = (date(2025, 1, 1) + timedelta(days=rng.randrange(300))).isoformat()
            item = {"stance": rng.choice(STANCES), "on": on, "note": f"batch item {n}"}
            out.write(json.dumps({"key": f"c{rng.randrange(claims)}", "evidence": [item]}) + "\n")


def bench_evidence(work: Path, db: Path, claims: int, repeat: int) -> dict:
    """Evidence records for stored claims, imported into copies of the built database."""
    records = max(claims // 10, 1000)
    feed = work / f"evidence-{records}.jsonl"
    evidence_feed(feed, claims, records)
    copy = work / "evidence.db"
    programs = {
        "tracker": [*TRACKER, "--db", str(copy), "import", str(feed)],
        "floor": [PYTHON, "-c", FLOOR_EVIDENCE, str(copy), str(feed)],
    }
    runs: dict[str, list[float]] = {name: [] for name in programs}
    for _ in range(repeat):
        for name, program in programs.items():  # each into its own copy of the database
            shutil.copyfile(db, copy)
            runs[name].append(run(program)[0])
            copy.unlink()
    tracker_s, floor_s = statistics.median(runs["tracker"]), statistics.median(runs["floor"])
    return {"evidence_records": records,
            "evidence_records_per_s": round(records / tracker_s),
            "evidence_floor_sqlite3_records_per_s": round(records / floor_s),
            "evidence_vs_floor": round(floor_s / tracker_s, 3)}  # fmt: skip


def bench_commands(db: Path, claims: int, repeat: int) -> dict:
    tracker = [*TRACKER, "--db", str(db)]
    floor = median([PYTHON, "-c", "import click, sqlalchemy.orm"], repeat)
    figures: dict = {"floor_import_click_sqlalchemy_orm_s": round(floor, 4)}
    middle = str(claims // 2)
    # Each run a command of its own: an add or a confirm repeated word for word is refused.
    commands = {
        "list_pending_50": lambda i: ["list", "--status", "pending", "--limit", "50"],
        "show": lambda i: ["show", middle],
        "add": lambda i: ["add", f"A new claim from the benchmark, {i}", "--source", "Source 1"],
        "confirm": lambda i: ["confirm", middle, "--on", "2024-06-01", "--note", f"run {i}"],
    }
    for name, args in commands.items():
        seconds = statistics.median(run([*tracker, *args(i)])[0] for i in range(repeat))
        figures[f"{name}_s"] = round(seconds, 4)
        figures[f"{name}_vs_floor"] = round(seconds / floor, 3)
    for name in ("report", "sources"):
        figures[f"{name}_s"] = round(median([*tracker, name], repeat), 4)
    click_floor = median([PYTHON, "-c", "import click"], repeat)
    help_time = median([*TRACKER, "--help"], repeat)
    figures["floor_import_click_s"] = round(click_floor, 4)
    figures["help_s"] = round(help_time, 4)
    figures["help_vs_floor"] = round(help_time / click_floor, 3)
    return figures


def measured(args: list[str], repeat: int) -> tuple[float, float]:
    """Median seconds and the largest peak RSS (MB) of `repeat` runs."""
    runs = [run(args) for _ in range(repeat)]
    return statistics.median(t for t, _ in runs), max(rss for _, rss in runs) / 1024


def bench_reports(database: str, repeat: int) -> dict:
    """The report in every format beside `export --format jsonl` of the same database: the
    JSON report holds every claim of its lists, as the export holds every claim."""
    tracker = [*TRACKER, "--db", database]
    figures: dict = {}
    export_s, export_mb = measured([*tracker, "export", "--format", "jsonl"], repeat)
    figures["export_jsonl_s"] = round(export_s, 3)
    figures["export_jsonl_peak_rss_mb"] = round(export_mb, 1)
    for fmt in ("text", "markdown", "html", "json"):
        seconds, peak = measured([*tracker, "report", "--format", fmt], repeat)
        figures[f"report_{fmt}_s"] = round(seconds, 3)
        figures[f"report_{fmt}_peak_rss_mb"] = round(peak, 1)
    figures["report_json_vs_export_jsonl"] = round(figures["report_json_s"] / export_s, 3)
    seconds, peak = measured([*tracker, "sources"], repeat)
    figures["sources_s"], figures["sources_peak_rss_mb"] = round(seconds, 3), round(peak, 1)
    return figures


def postgres_floor(admin: Any, base: Any, name: str, feed: Path) -> float:
    """Seconds the PostgreSQL floor takes to load the feed into a new database at head."""
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        database = base.set(database=name)
        subprocess.run([*TRACKER, "--db", database.render_as_string(hide_password=False), "db",
                        "upgrade"], check=True, capture_output=True)  # fmt: skip
        libpq = database.set(drivername="postgresql").render_as_string(hide_password=False)
        return run([PYTHON, "-c", FLOOR_IMPORT_POSTGRES, libpq, str(feed)])[0]
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_server(label: str, url: str, feed: Path, claims: int, repeat: int) -> dict:
    """Import the feed into a new database on a server (PostgreSQL or MariaDB), then time
    the reads there."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"tracker_bench_{os.getpid()}"
    quote = "`" if label == "mariadb" else '"'
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {quote}{name}{quote}")
    database = base.set(database=name).render_as_string(hide_password=False)
    try:
        subprocess.run([*TRACKER, "--db", database, "db", "upgrade"], check=True,
                       capture_output=True)  # fmt: skip
        seconds, peak = run([*TRACKER, "--db", database, "import", str(feed)])
        figures: dict = {
            f"{label}_import_s": round(seconds, 1),
            f"{label}_import_claims_per_s": round(claims / seconds),
            f"{label}_import_peak_rss_mb": round(peak / 1024, 1),
        }
        if label == "postgres":
            floor = postgres_floor(admin, base, f"{name}_floor", feed)
            figures["postgres_import_floor_copy_s"] = round(floor, 1)
            figures["postgres_import_vs_floor"] = round(floor / seconds, 3)
        figures.update({f"{label}_{k}": v for k, v in bench_reports(database, repeat).items()})
        middle = str(claims // 2)
        for name_, args in (("list_pending_50", ["list", "--status", "pending", "--limit", "50"]),
                            ("show", ["show", middle])):  # fmt: skip
            figures[f"{label}_{name_}_s"] = round(median([*TRACKER, "--db", database, *args],
                                                         repeat), 4)  # fmt: skip
        records = max(claims // 10, 1000)
        evidence = feed.with_name(f"evidence-{records}.jsonl")
        evidence_feed(evidence, claims, records)
        seconds = run([*TRACKER, "--db", database, "import", str(evidence)])[0]
        figures[f"{label}_evidence_records_per_s"] = round(records / seconds)
        return figures
    finally:
        force = " WITH (FORCE)" if label == "postgres" else ""
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quote}{name}{quote}{force}")
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs per median")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    parser.add_argument(
        "--postgres", metavar="URL", help="also import into a new database on this server"
    )
    parser.add_argument("--mariadb", metavar="URL", help="the same on a MariaDB/MySQL server")
    options = parser.parse_args()
    for url, driver, extra in ((options.postgres, "psycopg", "postgres"),
                               (options.mariadb, "pymysql", "mysql")):  # fmt: skip
        if url and importlib.util.find_spec(driver) is None:  # before an hour of SQLite runs
            parser.error(f"{driver} is not installed here: pip install 'claim-tracker[{extra}]'")
    work = Path(options.keep or tempfile.mkdtemp(prefix="tracker-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    feed = work / f"claims-{options.claims}.jsonl"
    if not feed.exists():
        generate(feed, options.claims)
    figures = {
        "claims": options.claims,
        "repeat": options.repeat,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
    }
    try:
        figures.update(bench_import(work, feed, options.claims, min(options.repeat, 3)))
        figures.update(bench_commands(work / "import.db", options.claims, options.repeat))
        figures.update(bench_reports(str(work / "import.db"), min(options.repeat, 3)))
        for label, url in (("postgres", options.postgres), ("mariadb", options.mariadb)):
            if url:
                repeat = min(options.repeat, 3)
                figures.update(bench_server(label, url, feed, options.claims, repeat))
    finally:  # a run of an hour that fails at its last step still says what it measured
        print(json.dumps(figures, indent=2))
    if not options.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
