"""Benchmark: `tracker watch` of a 500-item feed against 10,000 open claims on SQLite.

The feed is a local RSS file (the network is not what is measured); each run watches it
into a fresh copy of a database holding the claims, as a whole `tracker watch` process,
so every item is new and matched. Printed: the median time beside two floors from the
same run, `tracker inbox` on the same database (starting the CLI and opening the
database) and feedparser alone on the feed, and the suggestions made; beside each
process's wall time its CPU time, which other processes on a busy machine do not
inflate. No assertions: this prints.

    python tests/bench/watch_bench.py
    python tests/bench/watch_bench.py --claims 10000 --items 500 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

COMPANIES = [
    "Apple",
    "Samsung",
    "Google",
    "Xiaomi",
    "Sony",
    "Nintendo",
    "Microsoft",
    "OnePlus",
    "Huawei",
    "Oppo",
    "Vivo",
    "Motorola",
    "Nothing",
    "Meta",
    "Valve",
    "Asus",
    "Lenovo",
    "Dell",
    "HP",
    "Qualcomm",
    "MediaTek",
    "Nvidia",
    "AMD",
    "Intel",
    "Garmin",
]
PRODUCTS = [
    "phone",
    "tablet",
    "watch",
    "laptop",
    "headset",
    "console",
    "earbuds",
    "chip",
    "camera",
    "router",
    "speaker",
    "TV",
    "handheld",
    "ring",
    "glasses",
]
FEATURES = [
    "a periscope zoom lens",
    "a 120 Hz display",
    "satellite messaging",
    "a titanium frame",
    "wireless charging",
    "a 5,000 mAh battery",
    "USB-C",
    "an under-display camera",
    "a foldable screen",
    "Wi-Fi 7",
    "a ceramic back",
    "a 200 MP sensor",
    "stereo speakers",
    "a stylus slot",
    "an e-ink cover",
    "a new AI assistant",
    "8K video",
    "dual SIM",
    "a price cut",
    "a higher price",
]
WHEN = [
    "in March",
    "this summer",
    "before Christmas",
    "next year",
    "in the second half",
    "at its fall event",
    "in early 2026",
    "by June",
]
EVENTS = [
    "posts record quarter",
    "names new CEO",
    "faces lawsuit",
    "opens store in Paris",
    "cuts jobs",
    "updates its app store rules",
]
MARKETS = ["stock falls", "shares rise", "hires"]
SEASONS = ["Pro", "Ultra", "Max", "Lite", "Plus", "Mini", "Fold", "Flip", "Edge", "Neo"]


def claim_text(rng: random.Random, n: int) -> str:
    company = rng.choice(COMPANIES)
    model = f"{company} {rng.choice(PRODUCTS).title()} {n % 40 + 1} {rng.choice(SEASONS)}"
    return f"The {model} will ship with {rng.choice(FEATURES)} {rng.choice(WHEN)}"


def headline(rng: random.Random, claims: list[str]) -> str:
    if rng.random() < 0.4:  # about a claim, in other words
        words = rng.choice(claims).split()
        kept = words[1:6] + ["reportedly", "gets"] + words[8:11]
        return " ".join(kept)
    event = rng.choice(EVENTS)
    return f"{rng.choice(COMPANIES)} {event} as {rng.choice(COMPANIES)} {rng.choice(MARKETS)}"


def tracker(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRACKER_DB": str(db), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "tracker", *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"tracker {args[0]} failed: {done.stderr.strip()}")
    return done


def timed(action) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def cpu_of(action) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(wall, CPU) seconds of a child process: on a shared machine the CPU time is the
    one that does not count the other processes' turns."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(action)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        texts = [claim_text(rng, n) for n in range(args.claims)]
        claims = work / "claims.jsonl"
        claims.write_text(
            "".join(
                json.dumps({"key": f"c{n}", "text": text, "said_on": "2025-01-10"}) + "\n"
                for n, text in enumerate(texts)
            ),
            encoding="utf-8",
        )
        base = work / "base.db"
        tracker(base, "import", str(claims))
        items = "".join(
            f"<item><title>{escape(headline(rng, texts))}</title>"
            f"<link>https://news.example/{n}</link>"
            f"<pubDate>Mon, 03 Feb 2025 10:00:00 GMT</pubDate>"
            f"<description>{escape('A story about gadgets. ' * 20)}</description></item>"
            for n in range(args.items)
        )
        feed = work / "feed.xml"
        feed.write_text(
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>News</title>{items}</channel></rss>",
            encoding="utf-8",
        )
        runs, cpus, floors, floor_cpus, made = [], [], [], [], 0
        for run in range(args.repeat):
            db = work / f"run{run}.db"
            shutil.copyfile(base, db)
            wall, cpu = cpu_of(lambda db=db: tracker(db, "inbox", "--format", "json"))
            floors.append(wall)
            floor_cpus.append(cpu)
            wall, cpu = cpu_of(lambda db=db: tracker(db, "watch", str(feed)))
            runs.append(wall)
            cpus.append(cpu)
            made = len(json.loads(tracker(db, "inbox", "--format", "json").stdout))
        code = "import feedparser, sys; feedparser.parse(open(sys.argv[1], 'rb').read())"
        parse = statistics.median(
            timed(lambda: subprocess.run([sys.executable, "-c", code, str(feed)], check=True))
            for _ in range(args.repeat)
        )
    print(f"watch: {args.items} items against {args.claims:,} open claims (SQLite, local file)")
    print(
        f"  tracker watch       {statistics.median(runs):6.2f} s  (median of {args.repeat}; "
        f"target under 10 s); CPU {statistics.median(cpus):.2f} s"
    )
    print(
        f"  floor: inbox        {statistics.median(floors):6.2f} s  (start, open, one read); "
        f"CPU {statistics.median(floor_cpus):.2f} s"
    )
    print(f"  floor: feedparser   {parse:6.2f} s  (python, import, parse the feed)")
    print(f"  suggestions made    {made}")


if __name__ == "__main__":
    main()
