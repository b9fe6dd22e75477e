"""The matcher tuned on Emergent's train split only, in process: draws of claims the test
split's size (60, and each half of 30 logged), so the threshold and the feedback are chosen
on the data shaped as the test split is, without touching it.

    python tests/bench/emergent_draws.py train.csv
    python tests/bench/emergent_draws.py train.csv --threshold 0.22 0.26 0.30 --no-learn

For each threshold, averaged over the draws (the worst draw beside it): top-1 (the best
suggestion names the article's claim, all 60 claims logged), the false suggestion rate
(with half the claims logged, the other half's articles given any suggestion), and the
stance over the articles suggested for their own claim. The feed of a draw is all its
articles, as `tests/bench/emergent_inbox.py` gives `watch` one RSS file. No assertions.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
from collections import defaultdict

from tracker.inbox.matching import Matcher
from tracker.inbox.stance import stance_of

CLASSES = ("for", "against", "observing")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", help="Emergent's train split")
    parser.add_argument("--threshold", type=float, nargs="+", default=[0.26])
    parser.add_argument("--draws", type=int, default=20)
    parser.add_argument("--claims", type=int, default=60)
    parser.add_argument("--no-learn", action="store_true", help="no feedback from the feed")
    args = parser.parse_args()
    claims: dict[str, str] = {}
    articles: dict[str, tuple[str, str, str]] = {}  # id: (claim, headline, stance)
    with open(args.csv, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            claims[row["claimId"]] = row["claimHeadline"]
            articles[row["articleId"]] = (
                row["claimId"], row["articleHeadline"], row["articleHeadlineStance"]
            )  # fmt: skip
    of_claim = defaultdict(list)
    for article, (claim, _, _) in articles.items():
        of_claim[claim].append(article)

    def best(logged: list[str], feed: list[str]) -> dict[str, list[tuple[str, float]]]:
        matcher = Matcher([(n, claims[key]) for n, key in enumerate(logged)])
        if not args.no_learn:
            matcher.learn(articles[a][1] for a in feed)
        return {
            a: [(logged[m.claim_id], m.score) for m in matcher.matches(articles[a][1])]
            for a in feed
        }

    for threshold in args.threshold:
        top1s, falses, pairs = [], [], []
        for draw in range(args.draws):
            drawn = sorted(random.Random(draw).sample(sorted(claims), args.claims))
            feed = [a for c in drawn for a in of_claim[c]]
            found = best(drawn, feed)
            right = 0
            for a in feed:
                above = [(c, s) for c, s in found[a] if s >= threshold]
                right += bool(above) and above[0][0] == articles[a][0]
                if any(c == articles[a][0] for c, _ in above):
                    gold, headline = articles[a][2], articles[a][1]
                    pairs.append((gold, stance_of(headline, claims[articles[a][0]])))
            top1s.append(right / len(feed))
            suggested = total = 0
            for half in (drawn[0::2], drawn[1::2]):
                found = best(half, feed)
                others = [a for a in feed if articles[a][0] not in half]
                suggested += sum(1 for a in others if any(s >= threshold for _, s in found[a]))
                total += len(others)
            falses.append(suggested / total)
        f1 = {}
        for label in CLASSES:
            tp = sum(1 for gold, got in pairs if gold == got == label)
            precision = tp / max(1, sum(1 for _, got in pairs if got == label))
            recall = tp / max(1, sum(1 for gold, _ in pairs if gold == label))
            f1[label] = 2 * precision * recall / (precision + recall) if tp else 0.0
        accuracy = sum(gold == got for gold, got in pairs) / len(pairs)
        print(
            f"threshold {threshold:.2f}: top-1 {statistics.mean(top1s):.3f} "
            f"(worst draw {min(top1s):.3f}), false suggestions {statistics.mean(falses):.3f} "
            f"(worst {max(falses):.3f}); stance accuracy {accuracy:.3f}, macro-F1 "
            f"{statistics.mean(f1.values()):.3f}, "
            + ", ".join(f"{label} {f1[label]:.3f}" for label in CLASSES)
        )


if __name__ == "__main__":
    main()
