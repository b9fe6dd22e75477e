"""The bundled seeds: the seed article's four claims and what later happened to them."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from support import assert_error

STATUSES_TODAY = {
    "xiaomi-leica-partnership": "confirmed",
    "xiaomi-leica-launch-july": "confirmed",
    "xiaomi-leica-name-12-ultra": "refuted",
    "xiaomi-leica-chip-sd8plus-gen1": "confirmed",
}


def test_seed_gives_the_statuses_the_spec_describes(tracker):
    result = tracker.ok("seed")
    assert result.stdout.endswith(
        ": 4 claims, 5 evidence, 0 resolutions added; 0 claims unchanged\n"
    )
    claims = tracker.json("list")
    assert {c["key"]: c["status"] for c in claims} == STATUSES_TODAY
    launch = tracker.json("show", "xiaomi-leica-launch-july")
    assert launch["expected"] == {
        "text": "July this year",
        "start": "2022-07-01",
        "end": "2022-07-31",
    }
    assert launch["likelihood"] == 0.95 and launch["resolved_on"] == "2022-07-04"
    assert tracker.json("show", "xiaomi-leica-name-12-ultra")["likelihood"] == 0.7


def test_on_2022_06_01_three_of_the_four_claims_were_pending(tracker):
    tracker.ok("seed")
    statuses = [
        tracker.json("show", key, "--as-of", "2022-06-01")["status"] for key in STATUSES_TODAY
    ]
    assert statuses == ["confirmed", "pending", "pending", "pending"]


def test_seed_is_idempotent(tracker):
    tracker.ok("seed")
    history = tracker.json("history")
    assert tracker.ok("seed").stdout.endswith(
        ": 0 claims, 0 evidence, 0 resolutions added; 4 claims unchanged\n"
    )
    assert tracker.json("history") == history


def test_seed_from_a_directory_and_its_errors(tracker, tmp_path):
    assert_error(tracker("seed", str(tmp_path)), "holds no claim files")
    (tmp_path / "a.json").write_text(
        json.dumps({"claims": [{"text": "It ships in Q3", "said_on": "2022-05-23",
                                "expected": "Q3 2022", "source": "Leaker"}]})
    )  # fmt: skip
    assert tracker.ok("seed", str(tmp_path)).stdout.endswith(
        ": 1 claim, 0 evidence, 0 resolutions added; 0 claims unchanged\n"
    )
    assert tracker.json("show", "1")["expected"]["end"] == "2022-09-30"
    (tmp_path / "b.json").write_text('{"claims": [{"text": "x", "said_on": "2022-02-30"}]}')
    assert_error(tracker("seed", str(tmp_path)), "b.json: claim 1", "2022-02-30")
    assert len(tracker.json("list")) == 1  # nothing from the failed run


def test_installed_cli_seeds_and_lists(tmp_path):
    """The `tracker` script of this environment, in a real process, on its default database."""
    script = Path(sys.executable).with_name("tracker")
    executable = str(script) if script.exists() else shutil.which("tracker")
    assert executable, "the tracker script is not installed"
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "TRACKER_USER": "ci"}
    env.pop("TRACKER_DB", None)
    subprocess.run([executable, "seed"], env=env, check=True, capture_output=True)
    listed = subprocess.run(
        [executable, "list", "--format", "json"], env=env, check=True, capture_output=True
    )
    statuses = {c["key"]: c["status"] for c in json.loads(listed.stdout)}
    assert statuses == STATUSES_TODAY
    assert (tmp_path / "tracker" / "tracker.db").exists()


def test_ids_after_an_import_carry_on_from_the_last(tracker):
    """Users type claim and evidence ids: an import must not leave a gap before the next."""
    tracker.ok("seed")
    assert [c["id"] for c in tracker.json("list")] == [1, 2, 3, 4]
    handle = tracker.json("add", "Next one")["handle"]
    assert tracker.json("show", handle)["id"] == 5
    assert tracker.ok("confirm", "5").stdout.startswith(
        f'Claim 5 ({handle}) "Next one": pending -> confirmed (evidence 6:'
    )


def test_the_readme_try_it_prints_a_report_with_content(tracker):
    """A newcomer's first report was nearly empty ("0 pending", every section "None."): the
    README's Try it now reports the seed story as of a day inside it. Its commands, as
    written there, after the install."""
    import shlex

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    install = "python3 -m venv .venv && .venv/bin/pip install . &&"
    line = next(line for line in readme.splitlines() if line.startswith(install))
    commands = [shlex.split(part) for part in line.split("&&")[2:]]
    assert [command[:2] for command in commands] == [[".venv/bin/tracker", "seed"],
                                                     [".venv/bin/tracker", "report"]]  # fmt: skip
    for command in commands:
        result = tracker.ok(*command[1:])
    report = result.stdout.splitlines()
    assert report[1] == "2 pending (0 overdue) · 1 confirmed · 1 refuted · 0 disputed"
    pending = report.index("Pending, by subject and due date")
    assert "Xiaomi–Leica flagship" in report[pending + 1]
    assert sum("in 31 days" in row for row in report) == 2  # due in July, said in May
    resolved = report.index("Resolved in the last 30 days")
    assert "→ actually: Xiaomi 12S Ultra" in report[resolved + 2]
