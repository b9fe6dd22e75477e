"""The evidence inbox measured on Emergent (Ferreira & Vlachos 2016), end to end through the
CLI, as a user would run it: each claim logged with `tracker add`, the article headlines
given to `tracker watch` as a local RSS file, the suggestions read from `tracker inbox
--format json`.

    python tests/bench/emergent_inbox.py test-correct.csv test-errors.csv
    python tests/bench/emergent_inbox.py test-*.csv --distractors train.csv

Prints:
- top-1: the share of articles whose best suggestion names the article's claim (an
  article with no suggestion counts as a miss);
- stance accuracy, macro-F1 and per-class F1, over the articles suggested for their own
  claim (the stance is the suggestion's; how many that is, is printed);
- the false suggestion rate: with half of the claims logged, the share of the other
  half's articles that get any suggestion (each half in turn, so every article counts);
- `extract` on the `for` and `observing` headlines: the share it proposes a claim for,
  and the share of each class's candidates that are hedged (likelihood at most 0.5).

`--distractors FILE` also logs that file's claims (not measured), for a harder match.
The CSVs are Emergent's url-versions 2015-06-14 files; they are not in the repository
(no licence is stated for them). No assertions: this prints.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape

CLASSES = ("for", "against", "observing")
SAID_ON = "2015-01-01"
PUBLISHED = "Fri, 02 Jan 2015 12:00:00 GMT"


def rows_of(paths: list[str]) -> list[dict[str, str]]:
    rows = []
    for path in paths:
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                rows.append(
                    {
                        "claim": row["claimId"],
                        "claim_text": row["claimHeadline"],
                        "article": row["articleId"],
                        "headline": row["articleHeadline"],
                        "stance": row.get("articleHeadlineStance") or row["y"],
                    }
                )
    return rows


def tracker(db: Path, *args: str) -> str:
    env = {**os.environ, "TRACKER_DB": str(db), "TRACKER_USER": "bench", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "tracker", *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"tracker {' '.join(args[:2])} failed: {done.stderr.strip()}")
    return done.stdout


def log_claims(db: Path, claims: dict[str, str]) -> None:
    for key, text in claims.items():
        tracker(db, "add", text, "--said-on", SAID_ON, "--key", key)


def feed_file(folder: Path, rows: list[dict[str, str]]) -> Path:
    """The headlines as an RSS feed, one item per article."""
    items = []
    seen = set()
    for row in rows:
        if row["article"] in seen:
            continue
        seen.add(row["article"])
        items.append(
            f"<item><title>{escape(row['headline'])}</title>"
            f"<link>https://emergent.example/{row['article']}</link>"
            f"<pubDate>{PUBLISHED}</pubDate></item>"
        )
    path = folder / "emergent.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>Emergent</title><link>https://emergent.example/</link>"
        + "".join(items)
        + "</channel></rss>",
        encoding="utf-8",
    )
    return path


def suggestions(db: Path, feed: Path) -> dict[str, list[dict]]:
    """The open suggestions after watching the feed, by article id, best first."""
    tracker(db, "watch", str(feed))
    found: dict[str, list[dict]] = {}
    for suggestion in json.loads(tracker(db, "inbox", "--format", "json")):
        article = suggestion["article"]["url"].rsplit("/", 1)[1]
        found.setdefault(article, []).append(suggestion)
    return found


def keys_of(db: Path) -> dict[int, str]:
    return {c["id"]: c["key"] for c in json.loads(tracker(db, "list", "--format", "json"))}


def f1_scores(pairs: list[tuple[str, str]]) -> dict[str, float]:
    scores = {}
    for label in CLASSES:
        tp = sum(1 for gold, got in pairs if gold == got == label)
        predicted = sum(1 for _, got in pairs if got == label)
        actual = sum(1 for gold, _ in pairs if gold == label)
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        scores[label] = 2 * precision * recall / (precision + recall) if tp else 0.0
    return scores


def measure_inbox(rows: list[dict[str, str]], distractors: dict[str, str], folder: Path) -> None:
    claims = {row["claim"]: row["claim_text"] for row in rows}
    articles = {row["article"]: row for row in rows}
    feed = feed_file(folder, rows)
    db = folder / "all.db"
    started = time.perf_counter()
    log_claims(db, {**claims, **distractors})
    logged = time.perf_counter() - started
    started = time.perf_counter()
    found = suggestions(db, feed)
    watched = time.perf_counter() - started
    keys = keys_of(db)
    top1 = 0
    pairs = []
    for article, row in articles.items():
        made = sorted(found.get(article, []), key=lambda s: -s["score"])
        if made and keys[made[0]["claim"]["id"]] == row["claim"]:
            top1 += 1
        own = [s for s in made if keys[s["claim"]["id"]] == row["claim"]]
        if own:
            pairs.append((row["stance"], own[0]["stance"]))
    print(
        f"{len(articles)} articles, {len(claims)} claims"
        + (f" (+{len(distractors)} distractor claims logged)" if distractors else "")
    )
    print(f"  logged with `tracker add` in {logged:.1f} s; `watch` + `inbox` in {watched:.1f} s")
    print(f"top-1 claim: {top1 / len(articles):.3f} ({top1} of {len(articles)})")
    accuracy = sum(gold == got for gold, got in pairs) / len(pairs)
    f1 = f1_scores(pairs)
    print(f"stance, over the {len(pairs)} articles suggested for their own claim:")
    print(
        f"  accuracy {accuracy:.3f}, macro-F1 {sum(f1.values()) / 3:.3f}; F1 "
        + ", ".join(f"{label} {f1[label]:.3f}" for label in CLASSES)
    )
    confusion = Counter(pairs)
    print("  gold \\ got  " + "  ".join(f"{label:>9}" for label in CLASSES))
    for gold in CLASSES:
        print(f"  {gold:>10}  " + "  ".join(f"{confusion[gold, got]:>9}" for got in CLASSES))

    ordered = sorted(claims)
    halves = [set(ordered[0::2]), set(ordered[1::2])]
    suggested = total = 0
    for number, half in enumerate(halves):
        db = folder / f"half{number}.db"
        log_claims(db, {key: claims[key] for key in sorted(half)})
        found = suggestions(db, feed)
        others = [a for a, row in articles.items() if row["claim"] not in half]
        suggested += sum(1 for a in others if found.get(a))
        total += len(others)
    print(
        f"false suggestions with half of the claims not logged: {suggested / total:.3f} "
        f"({suggested} of {total} articles of unlogged claims)"
    )


def measure_extract(rows: list[dict[str, str]], folder: Path) -> None:
    wanted = {row["article"]: row for row in rows if row["stance"] in ("for", "observing")}
    texts = folder / "headlines"
    texts.mkdir()
    names = []
    for article, row in wanted.items():
        path = texts / f"{article}.txt"
        # A headline given as one: the article's title, with no story under it.
        path.write_text(
            f"url https://emergent.example/{article}\ndate 2015-01-02\ntitle: {row['headline']}\n",
            encoding="utf-8",
        )
        names.append(str(path))
    found: dict[str, list[dict]] = {}
    for start in range(0, len(names), 200):
        out = tracker(
            folder / "unused.db", "extract", *names[start : start + 200], "--format", "json"
        )
        for record in json.loads(out)["claims"]:
            found.setdefault(record["article"]["url"].rsplit("/", 1)[1], []).append(record)
    print("extract on the headlines:")
    for label in ("for", "observing"):
        ids = [a for a, row in wanted.items() if row["stance"] == label]
        proposed = [a for a in ids if found.get(a)]
        candidates = [c for a in ids for c in found.get(a, [])]
        hedged = sum(
            1 for c in candidates if c["likelihood"] is not None and c["likelihood"] <= 0.5
        )
        print(
            f"  {label:>9}: a claim proposed for {len(proposed) / len(ids):.3f} "
            f"({len(proposed)} of {len(ids)}); hedged {hedged / max(1, len(candidates)):.3f} "
            f"of {len(candidates)} candidates"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", nargs="+", help="Emergent CSVs to measure on")
    parser.add_argument(
        "--distractors",
        action="append",
        default=[],
        help="a CSV whose claims are logged too, not measured",
    )
    parser.add_argument("--no-extract", action="store_true")
    args = parser.parse_args()
    rows = rows_of(args.csv)
    measured = {row["claim"] for row in rows}
    distractors = {
        r["claim"]: r["claim_text"] for r in rows_of(args.distractors) if r["claim"] not in measured
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        measure_inbox(rows, distractors, folder)
        if not args.no_extract:
            measure_extract(rows, folder)


if __name__ == "__main__":
    main()
