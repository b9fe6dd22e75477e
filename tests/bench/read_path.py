"""Benchmark: one read path. `--as-of` and `--known-on` against the plain command, and
list/show/report/sources against the code before the status spans, on N claims.

Every figure is a median of whole-process runs in the same run on the same machine, in
CPU seconds (user and system) of the process: the machines are shared, and the wall
time there says more about the neighbours than about the tracker (`_wall_s` figures
are printed too). No assertions: this prints, people judge.

    python tests/bench/read_path.py                          # 100,000 claims
    python tests/bench/read_path.py --claims 1000000
    python tests/bench/read_path.py --claims 20000 --repeat 3 --before 7c59b34
    python tests/bench/read_path.py --db big.db --claims 1000000   # time a database kept

The database is built by `tracker import` of a generated feed (bench.py's: one claim
and one piece of evidence a line), through the ledger that writes the spans. With
`--before COMMIT`, the same feed is imported by the tracker at COMMIT (checked out with
`git archive` to a temporary folder, run with this Python) and its reads are timed too.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import generate  # noqa: E402 (a script beside this one)

PYTHON = sys.executable
REPO = Path(__file__).resolve().parents[2]
AS_OF = "2024-06-01"  # inside the feed's history: claims said 2020 to early 2024, evidence to 2025


def process(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """CPU seconds (user and system) and wall seconds of one whole process. It runs in the
    system's temporary folder: `python -m` puts its working folder first on the path, and
    run from a checkout it would import that checkout's tracker whatever PYTHONPATH says."""
    started = time.perf_counter()
    child = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, cwd=tempfile.gettempdir())
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"failed: {' '.join(args)}")
    return usage.ru_utime + usage.ru_stime, time.perf_counter() - started


def seconds(args: list[str], env: dict[str, str], repeat: int) -> tuple[float, float]:
    """Median CPU and wall seconds of `repeat` runs."""
    runs = [process(args, env) for _ in range(repeat)]
    return statistics.median(cpu for cpu, _ in runs), statistics.median(w for _, w in runs)


def build(code: Path | None, feed: Path, db: Path) -> tuple[dict[str, str], float]:
    """The environment that runs the tracker at `code` (None: this checkout) on `db`,
    and the import's CPU seconds."""
    env = {**os.environ, "TRACKER_DB": str(db), "PYTHONPATH": str(code or REPO)}
    return env, process([PYTHON, "-m", "tracker", "import", str(feed)], env)[0]


COMMANDS = {
    "list_pending_50": ["list", "--status", "pending", "--limit", "50"],
    "list_due_50": ["list", "--sort", "due", "--overdue", "--limit", "50"],
    "show": ["show", "{middle}"],
    "report": ["report"],
    "report_json": ["report", "--format", "json", "--limit", "50"],
    "sources": ["sources"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", metavar="COMMIT", help="also time the tracker at COMMIT")
    parser.add_argument(
        "--db",
        type=Path,
        help="a database this bench built before (its "
        "--claims): timed as it is, nothing imported; made there if missing",
    )
    args = parser.parse_args()
    figures: dict[str, object] = {"claims": args.claims, "repeat": args.repeat}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        feed = work / "feed.jsonl"
        if args.db is None or not args.db.exists():
            generate(feed, args.claims)
            env, took = build(None, feed, args.db or work / "spans.db")
            figures["import_cpu_s"] = round(took, 1)
        else:
            env = {**os.environ, "TRACKER_DB": str(args.db), "PYTHONPATH": str(REPO)}
        before_env = None
        if args.before:
            code = work / "before"
            code.mkdir()
            archive = subprocess.run(["git", "-C", str(REPO), "archive", args.before],
                                     check=True, capture_output=True).stdout  # fmt: skip
            subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
            if not feed.exists():
                generate(feed, args.claims)
            before_env, took = build(code, feed, work / "before.db")
            figures["before_import_cpu_s"] = round(took, 1)
        tracker = [PYTHON, "-m", "tracker"]
        middle = str(args.claims // 2)
        for name, command in COMMANDS.items():
            command = [part.format(middle=middle) for part in command]
            plain, wall = seconds([*tracker, *command], env, args.repeat)
            as_of, as_of_wall = seconds([*tracker, *command, "--as-of", AS_OF], env, args.repeat)
            known, _ = seconds([*tracker, *command, "--known-on", "2099-01-01", "--as-of", AS_OF],
                               env, args.repeat)  # fmt: skip
            figures[f"{name}_s"] = round(plain, 3)
            figures[f"{name}_wall_s"] = round(wall, 3)
            figures[f"{name}_as_of_s"] = round(as_of, 3)
            figures[f"{name}_as_of_wall_s"] = round(as_of_wall, 3)
            figures[f"{name}_as_of_vs_plain"] = round(as_of / plain, 3)
            figures[f"{name}_known_on_vs_plain"] = round(known / plain, 3)
            if before_env is not None:
                before, _ = seconds([*tracker, *command], before_env, args.repeat)
                before_as_of, _ = seconds([*tracker, *command, "--as-of", AS_OF], before_env,
                                          args.repeat)  # fmt: skip
                figures[f"{name}_before_s"] = round(before, 3)
                figures[f"{name}_before_as_of_s"] = round(before_as_of, 3)
                figures[f"{name}_vs_before"] = round(plain / before, 3)
                figures[f"{name}_as_of_vs_before_as_of"] = round(as_of / before_as_of, 3)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
