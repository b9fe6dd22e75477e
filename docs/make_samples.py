"""Write the report samples in docs/ from the bundled seeds: `python docs/make_samples.py`.

The seed claims are logged on 2022-05-24 and the outcomes on 2022-07-05 (the clock
and the uids are pinned, so the samples are the same on every run); then the
report is written as of 2022-06-01 in every format, and as of 2022-07-05 with
what changed in the week before. `--check` writes nothing and exits 1 if a
sample in docs/ differs from what the tracker makes now (a test runs it, so the
samples cannot go stale).
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from random import Random
from types import SimpleNamespace
from unittest import mock

from click.testing import CliRunner

from tracker import clock
from tracker.cli import main
from tracker.io.loading import bundled_seeds
from tracker.rules import identity

DOCS = Path(__file__).resolve().parent
MARKDOWN = DOCS / "report-samples.md"
HTML = DOCS / "report-2022-06-01.html"


class Run:
    """The tracker, in this process, on one database, at a pinned time."""

    def __init__(self, database: Path):
        self.database = database
        self.now = datetime(2022, 5, 24, 9, 0)

    def __call__(self, *args: str) -> str:
        with (
            mock.patch.object(clock, "today", lambda: self.now.date()),
            mock.patch.object(clock, "utcnow", lambda: self.now),
        ):
            result = CliRunner().invoke(main, ["--db", str(self.database), *args])
        if result.exit_code != 0:
            sys.exit(f"tracker {' '.join(args)} failed: {result.output}")
        return result.stdout


def samples() -> dict[Path, str]:
    seeds = sorted(bundled_seeds().glob("*.toml"))
    ticks = iter(range(1_650_000_000_000, 1_700_000_000_000, 7))  # ms: uids in a fixed order
    pinned = SimpleNamespace(time_ns=lambda: next(ticks) * 1_000_000)
    with (
        mock.patch.object(identity, "time", pinned),
        mock.patch.object(identity, "_random", Random(0)),
        tempfile.TemporaryDirectory() as folder,
    ):
        run = Run(Path(folder) / "samples.db")
        run("--by", "desk", "import", str(seeds[0]))
        run.now = datetime(2022, 7, 5, 9, 0)
        run("--by", "desk", "import", *map(str, seeds[1:]))
        as_of = ("report", "--as-of", "2022-06-01")
        text, markdown, html = (run(*as_of, "--format", f) for f in ("text", "markdown", "html"))
        report = json.loads(run(*as_of, "--format", "json"))
        since = run("report", "--since", "7d")
    abridged = {
        **{k: report[k] for k in ("as_of", "days", "totals")},
        "pending": report["pending"][:1],
        "sources": report["sources"][:1],
    }
    page = f"""# Report samples

Made by `python docs/make_samples.py` from the bundled seeds: the seed claims logged on
2022-05-24, the outcomes on 2022-07-05. `tracker report --as-of 2022-06-01` in each format
(`docs/{HTML.name}` is the HTML one: open it in a browser), then the report of
2022-07-05 with `--since 7d`. A test runs the script, so these cannot go stale.

## text

```
{text.rstrip()}
```

## markdown

{_demoted(markdown).rstrip()}

## json (abridged: the first pending claim and the first source)

```json
{json.dumps(abridged, indent=2, ensure_ascii=False)}
```

## text, 2022-07-05, `--since 7d`

```
{since.rstrip()}
```
"""
    return {MARKDOWN: page, HTML: html}


def _demoted(markdown: str) -> str:
    """The report's headings two levels down, to sit inside this page."""
    return "\n".join("##" + line if line.startswith("#") else line for line in markdown.split("\n"))


def main_() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    arguments = parser.parse_args()
    stale = 0
    for path, content in samples().items():
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if arguments.check:
            if current != content:
                stale += 1
                diff = difflib.unified_diff(
                    current.splitlines(), content.splitlines(), str(path), "now", lineterm=""
                )
                print("\n".join(list(diff)[:40]))
        elif current != content:
            path.write_text(content, encoding="utf-8")
            print(f"wrote {path.relative_to(DOCS.parent)}")
    if stale:
        print(f"{stale} sample(s) are stale: run python docs/make_samples.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main_())
