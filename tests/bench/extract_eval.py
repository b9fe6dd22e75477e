"""How good `tracker extract` is, measured on the evaluation set in tests/extract_eval/.

For each article: precision (candidates that are gold claims), recall (gold claims found),
hedge agreement (matched candidates whose likelihood equals the gold's), window agreement
(matched candidates whose window, start and end, equals the gold's; none = none) and source
agreement; then all articles together (micro-averaged). Then the time of the whole
`extract` command on a generated ~2,000-word article, median of several runs, beside the
floors `python -c pass` and `python -c "import click"`. No assertions: this prints;
tests/test_extract.py keeps the figures from falling.

    python tests/bench/extract_eval.py              # figures and timing
    python tests/bench/extract_eval.py --no-timing  # figures only
    python tests/bench/extract_eval.py --verbose    # every candidate and miss
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "tests" / "extract_eval"
ARTICLES = (".txt", ".md", ".html")


@dataclass
class Score:
    gold: int = 0
    candidates: int = 0
    matched: int = 0
    hedge: int = 0
    window: int = 0
    source: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("gold", "candidates", "matched", "hedge", "window", "source"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict[str, float]:
        share = lambda part, whole: part / whole if whole else 1.0  # noqa: E731
        return {
            "precision": share(self.matched, self.candidates),
            "recall": share(self.matched, self.gold),
            "hedge": share(self.hedge, self.matched),
            "window": share(self.window, self.matched),
            "source": share(self.source, self.matched),
        }


def articles() -> list[Path]:
    return sorted(p for p in EVAL.iterdir() if p.suffix in ARTICLES and p.stem[:2].isdigit())


def _plain(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split()).lower()


def score(path: Path) -> Score:
    from tracker.extract import Overrides, records
    from tracker.rules.dates import parse_window

    gold = tomllib.loads(path.with_name(path.stem + ".gold.toml").read_text())["claims"]
    found = records(path.read_text(encoding="utf-8"), path.name, Overrides(), date.today())
    result = Score(gold=len(gold), candidates=len(found))
    free = list(range(len(found)))
    for claim in gold:
        quotes = {i: _plain(found[i]["quote"]) for i in free}
        hit = next((i for text in claim["match"] for i in free if _plain(text) in quotes[i]), None)
        if hit is None:
            result.notes.append(f"  missed: {claim['match'][0]!r}")
            continue
        free.remove(hit)
        candidate = found[hit]
        result.matched += 1
        result.hedge += abs(candidate["likelihood"] - claim["likelihood"]) < 1e-9
        said_on = date.fromisoformat(candidate["said_on"])
        window = None
        if candidate["expected"]:
            w = parse_window(candidate["expected"], said_on)
            window = [w.start.isoformat(), w.end.isoformat()]
        result.window += window == claim.get("expected")
        source = (candidate["source"] or "").casefold()
        wanted = claim.get("source", "").casefold()
        result.source += bool(source) and (source in wanted or wanted in source)
        result.notes.append(
            f"  found : {claim['match'][0]!r}: {candidate['hedge']} {candidate['likelihood']}"
            f" (gold {claim['likelihood']}), window {window} (gold {claim.get('expected')}),"
            f" source {candidate['source']!r} (gold {claim.get('source')!r})"
        )
    for i in free:
        result.notes.append(f"  extra : {found[i]['quote'][:100]!r}")
    return result


def evaluate() -> tuple[dict[str, Score], Score]:
    per_article = {path.name: score(path) for path in articles()}
    total = Score()
    for result in per_article.values():
        total.add(result)
    return per_article, total


def _row(name: str, s: Score) -> str:
    f = s.figures()
    return (
        f"{name:<26} {s.gold:>4} {s.candidates:>5} {s.matched:>5}  {f['precision']:>9.2f}"
        f" {f['recall']:>6.2f} {f['hedge']:>6.2f} {f['window']:>6.2f} {f['source']:>6.2f}"
    )


def long_article() -> str:
    """~2,000 words: the evaluation set's plain-text and Markdown bodies, under one date."""
    from tracker.extract.articles import read_article

    paragraphs: list[str] = []
    for path in articles():
        if path.suffix != ".html":
            paragraphs += [block.text for block in read_article(path.read_text()).blocks]
    words: list[str] = []
    body: list[str] = []
    while len(words) < 2000:
        paragraph = paragraphs[len(body) % len(paragraphs)]
        body.append(paragraph)
        words += paragraph.split()
    return "date 2024-06-01\noutlet Bench Daily\n\n" + "\n\n".join(body) + "\n"


def _median_seconds(command: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timing(runs: int) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory() as folder:
        article = Path(folder) / "long.txt"
        article.write_text(long_article(), encoding="utf-8")
        words = len(article.read_text().split())
        command = [sys.executable, "-m", "tracker", "extract", str(article)]
        found = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
        extract = _median_seconds(command, runs, env)
        floor = _median_seconds([sys.executable, "-c", "pass"], runs, env)
        click = _median_seconds([sys.executable, "-c", "import click"], runs, env)
    print(f"\nextract of a {words:,}-word article ({found.stdout.count('[[claims]]')} candidates),"
          f" whole command, median of {runs}:")  # fmt: skip
    print(f"  tracker extract        {extract:.3f} s   (target: under 1 s)")
    print(f"  python -c pass         {floor:.3f} s")
    print(f"  python -c 'import click' {click:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="every match, miss and extra")
    parser.add_argument("--no-timing", action="store_true", help="figures only")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    per_article, total = evaluate()
    print(f"{'article':<26} {'gold':>4} {'cands':>5} {'match':>5}  {'precision':>9}"
          f" {'recall':>6} {'hedge':>6} {'window':>6} {'source':>6}")  # fmt: skip
    for name, result in per_article.items():
        print(_row(name, result))
        if args.verbose:
            print("\n".join(result.notes))
    print(_row(f"overall ({len(per_article)} articles)", total))
    if not args.no_timing:
        timing(args.runs)


if __name__ == "__main__":
    main()
