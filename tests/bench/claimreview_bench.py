"""Benchmark: importing a published ClaimReview feed beside a JSONL import of the same claims.

Generates a schema.org DataFeed of N reviews (default 100,000) shaped like the
DataCommons feed (DataFeedItems holding ClaimReviews, some items null, authors given
as text, objects and lists, generic authors, verdict words, numeric-only ratings on
scales either way round, some unreadable), and the JSONL file of the claims and evidence
the tracker makes of it (written through tracker.claimreview itself, so both files say
exactly the same). Each is imported into a new SQLite database by a whole `tracker
import` process; the figures are medians of wall and CPU seconds and the peak RSS,
with their ratios, measured in the same run. No assertions: this prints, people judge.

    python tests/bench/claimreview_bench.py
    python tests/bench/claimreview_bench.py --reviews 20000 --repeat 1   # a quick look
"""

from __future__ import annotations

import argparse
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

PYTHON = sys.executable
TRACKER = [PYTHON, "-m", "tracker"]
CHECKERS = ["PolitiFact", "Full Fact", "AFP Fact Check", "Reuters", "Lead Stories",
            "FactCheck.org", "The Washington Post", "Maldita", "Africa Check"]  # fmt: skip
PEOPLE = [f"Politician {n}" for n in range(300)]
GENERIC = ["Facebook posts", "Viral image", "Social media users", "Instagram posts",
           "Multiple sources", "TikTok videos"]  # fmt: skip
VERDICTS = ["False", "Pants on Fire!", "Mostly False", "Half True", "Mostly True", "True",
            "Misleading", "Four Pinocchios", "Incorrect", "Missing context", "Satire"]  # fmt: skip


def generate(feed: Path, reviews: int, seed: int = 7) -> None:
    """The feed, written as it goes (one DataFeedItem per line, as the real ones are long)."""
    rng = random.Random(seed)
    start = date(2018, 1, 1)
    with feed.open("w", encoding="utf-8") as out:
        out.write('{"@context": "https://schema.org", "@type": "DataFeed", '
                  '"dataFeedElement": [\n')  # fmt: skip
        for n in range(reviews):
            said = start + timedelta(days=rng.randrange(2000))
            reviewed = said + timedelta(days=rng.randrange(30))
            who = rng.choice(GENERIC) if rng.random() < 0.3 else rng.choice(PEOPLE)
            author = rng.choice([who, {"@type": "Person", "name": who},
                                 [{"@type": "Person", "name": who}]])  # fmt: skip
            rating: dict[str, object] = {"@type": "Rating"}
            shape = rng.random()
            if shape < 0.8:
                rating.update(alternateName=rng.choice(VERDICTS), ratingValue=-1)
            elif shape < 0.95:  # a number only, on a scale either way round
                low, high = (1, 5) if rng.random() < 0.5 else (5, 1)
                rating.update(ratingValue=str(rng.randint(1, 5)), bestRating=str(high),
                              worstRating=str(low))  # fmt: skip
            else:
                rating.update(alternateName="Unrated", ratingValue="-1")
            review = {
                "@context": "http://schema.org",
                "@type": "ClaimReview",
                "author": {"@type": "Organization", "name": rng.choice(CHECKERS)},
                "claimReviewed": f"Claim {n}: the figure for region {rng.randrange(500)} "
                f"rose by {rng.randrange(1, 90)} per cent in {said.year}",
                "datePublished": reviewed.isoformat() + "T09:00:00Z",
                "itemReviewed": {
                    "@type": "Claim",
                    "author": author,
                    "datePublished": said.isoformat(),
                    "appearance": rng.choice(
                        [
                            f"https://social.example.com/post/{n}",
                            {"@type": "CreativeWork", "url": f"https://news.example.com/{n}"},
                            [{"@type": "CreativeWork", "url": f"https://video.example.com/{n}"}],
                        ]
                    ),  # fmt: skip
                },
                "reviewRating": rating,
                "url": f"https://factcheck.example.org/{n}",
            }
            item = {"@type": "DataFeedItem", "dateCreated": reviewed.isoformat(),
                    "item": [review] if rng.random() < 0.5 else review}  # fmt: skip
            if rng.random() < 0.01:
                out.write("null,\n")  # the published feeds hold null elements
            out.write(json.dumps(item) + (",\n" if n < reviews - 1 else "\n"))
        out.write("]}\n")


def same_claims_as_jsonl(feed: Path, jsonl: Path) -> tuple[int, int]:
    """The claims the tracker makes of the feed, as its own JSONL (and how many ratings
    went unread, and how many claims there are)."""
    from tracker.claimreview.documents import reviews_in_json
    from tracker.claimreview.records import claim_record
    from tracker.io.fields import Dates

    when = Dates(date.today())
    unread = written = 0
    with jsonl.open("w", encoding="utf-8") as out:
        text = feed.read_text(encoding="utf-8")
        for number, found in enumerate(reviews_in_json(text, feed.name), start=1):
            mapped = claim_record(found, f"review {number}", when)
            assert isinstance(mapped.record, dict), mapped.record
            unread += mapped.unread
            out.write(json.dumps(mapped.record) + "\n")
            written += 1
    return unread, written


def process(args: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KiB) and CPU seconds of one whole process."""
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    output = child.stdout.read().decode() if child.stdout else ""
    errors = child.stderr.read().decode() if child.stderr else ""
    if status != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{errors}")
    print(output.strip(), file=sys.stderr)
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def imported(work: Path, file: Path, repeat: int) -> dict[str, float]:
    runs = []
    for attempt in range(repeat):
        db = work / f"{file.stem}-{attempt}.db"
        subprocess.run([*TRACKER, "--db", str(db), "db", "upgrade"], check=True,
                       capture_output=True)  # fmt: skip
        runs.append(process([*TRACKER, "--db", str(db), "import", str(file)]))
        db.unlink()
    return {
        "seconds": round(statistics.median(r[0] for r in runs), 2),
        "cpu_seconds": round(statistics.median(r[2] for r in runs), 2),
        "peak_rss_mb": round(max(r[1] for r in runs) / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="imports per median")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    options = parser.parse_args()
    work = Path(options.keep or tempfile.mkdtemp(prefix="tracker-claimreview-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    feed, jsonl = work / f"feed-{options.reviews}.json", work / f"same-{options.reviews}.jsonl"
    generate(feed, options.reviews)
    unread, claims = same_claims_as_jsonl(feed, jsonl)
    figures: dict[str, object] = {
        "reviews": options.reviews,
        "records": claims,
        "unread_ratings": unread,
        "feed_mb": round(feed.stat().st_size / 1e6, 1),
        "jsonl_mb": round(jsonl.stat().st_size / 1e6, 1),
        "repeat": options.repeat,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
    }
    try:
        figures["claimreview_import"] = review = imported(work, feed, options.repeat)
        figures["jsonl_import"] = plain = imported(work, jsonl, options.repeat)
        figures["ratio_seconds"] = round(review["seconds"] / plain["seconds"], 2)
        figures["ratio_cpu"] = round(review["cpu_seconds"] / plain["cpu_seconds"], 2)
        figures["ratio_peak_rss"] = round(review["peak_rss_mb"] / plain["peak_rss_mb"], 2)
    finally:
        print(json.dumps(figures, indent=2))
    if not options.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
