"""The words people type (design.md §5): filters, sorting, tags, case and "did you mean",
withdrawals, the wider edit, spreadsheet CSV files, and the messages of a long wait,
Ctrl-C and a full disk. Each message is asserted word for word."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import assert_error, table_counts

KUO = ("add", "iPhone 15 Pro moves to USB-C", "--source", "Ming-Chi Kuo", "--subject",
       "iPhone 15 Pro", "--said-on", "2022-05-11", "--expected", "2H 2023", "--tag",
       "Apple, iPhone", "--key", "usbc")  # fmt: skip
GURMAN = ("add", "Vision Pro ships early next year", "--source", "Mark Gurman", "--subject",
          "Vision Pro", "--said-on", "2023-06-06", "--expected", "early next year", "--tag",
          "apple", "--key", "vision")  # fmt: skip


@pytest.fixture
def rumours(tracker):
    tracker.ok(*KUO)
    tracker.ok(*GURMAN)
    tracker.ok("add", "Pixel 8 gets a thermometer", "--source", "OnLeaks", "--said-on",
               "2023-05-05", "--expected", "Q4", "--tag", "Google", "--key", "pixel")  # fmt: skip
    tracker.ok("confirm", "usbc", "--on", "2023-09-12", "--source", "Apple")
    return tracker


def keys(tracker, *args: str) -> list[str]:
    return [c["key"] for c in tracker.json("list", *args)]


# -- filters, tags, sorting ------------------------------------------------------------------


def test_subject_and_source_match_a_part_in_any_case(rumours):
    assert keys(rumours, "--source", "kuo") == ["usbc"]
    assert keys(rumours, "--source", "MARK") == ["vision"]
    assert keys(rumours, "--subject", "iphone") == ["usbc"]
    assert keys(rumours, "--subject", "pro") == ["usbc", "vision"]
    assert keys(rumours, "--source", "100%_") == []  # LIKE's wildcards are plain text


def test_tags_are_one_whatever_their_case_and_commas_split_them(rumours):
    assert rumours.json("show", "usbc")["tags"] == ["Apple", "iPhone"]
    assert keys(rumours, "--tag", "APPLE") == ["usbc", "vision"]
    assert keys(rumours, "--tag", "apple, iphone") == ["usbc"]  # all of them
    assert keys(rumours, "--tag", "naming") == []
    rumours.ok("edit", "usbc", "--tag", "IPHONE", "--untag", "apple")
    assert rumours.json("show", "usbc")["tags"] == ["iPhone"]
    assert_error(rumours("edit", "usbc", "--untag", "android"), "claim 1 has no tag 'android'")


def test_limit_zero_is_all_and_sort_orders(rumours):
    assert keys(rumours, "--limit", "0") == ["usbc", "vision", "pixel"]
    assert keys(rumours, "--sort", "due") == ["usbc", "pixel", "vision"]
    assert keys(rumours, "--sort", "said") == ["usbc", "pixel", "vision"]
    assert keys(rumours, "--sort", "status") == ["vision", "pixel", "usbc"]
    assert keys(rumours, "--sort", "source") == ["vision", "usbc", "pixel"]
    assert keys(rumours, "--sort", "due", "--limit", "2") == ["usbc", "pixel"]
    as_of = keys(rumours, "--as-of", "2023-10-01", "--sort", "status")
    assert as_of == ["vision", "pixel", "usbc"]


def test_every_sort_has_its_order():
    from datetime import date

    from tracker.queries.listing import sort_keys
    from tracker.queries.timeline import Timeline
    from tracker.rules.kinds import SORTS

    for sort in SORTS:
        assert sort_keys(sort, Timeline(date(2024, 1, 1)))


# -- case, and "did you mean" ------------------------------------------------------------------


def test_words_in_any_case(rumours):
    rumours.ok("evidence", "vision", "Supports", "--on", "2023-07-01")
    rumours.ok("resolve", "pixel", "Confirmed", "--reason", "launched", "--on", "2023-10-04")
    assert keys(rumours, "--status", "PENDING") == ["vision"]


@pytest.mark.parametrize(
    ("args", "message"),
    [(("evidence", "vision", "suports"), "Error: Invalid value for 'STANCE': unknown stance "
      "'suports'; did you mean 'supports'? use one of: confirms, refutes, supports, contradicts"),
     (("list", "--status", "confirmd"), "Error: Invalid value for '--status': unknown status "
      "'confirmd'; did you mean 'confirmed'? use one of: pending, confirmed, refuted, disputed"),
     (("list", "--sort", "dew"), "Error: Invalid value for '--sort': unknown sort order 'dew'; "
      "did you mean 'due'? use one of: id, due, said, status, source")],
)  # fmt: skip
def test_a_near_miss_says_what_was_meant(rumours, args, message):
    result = rumours(*args)
    assert result.exit_code == 2 and result.stderr.splitlines()[-1] == message


def test_an_unknown_hedge_says_what_was_meant(tracker):
    assert_error(
        tracker("add", "x", "--hedge", "rumord"),
        "unknown hedge word 'rumord'; did you mean 'rumored'? use one of:",
    )


# -- withdraw and restore ------------------------------------------------------------------------


def test_a_withdrawn_claim_leaves_every_list_and_keeps_its_history(rumours, new_database, tmp_path):
    from support import Tracker

    before = rumours.json("sources")
    rumours.ok("--by", "editor", "withdraw", "pixel", "--reason", "logged twice")
    assert keys(rumours) == ["usbc", "vision"]
    assert keys(rumours, "--withdrawn") == ["pixel"]
    assert keys(rumours, "--as-of", "2023-06-01") == ["usbc"]  # at every date
    report = rumours.json("report", "--days", "36500")
    assert report["totals"]["pending"] == 1
    listed = {c["key"] for s in ("pending", "recent") for c in report[s]}
    assert "pixel" not in listed
    assert "OnLeaks" in {r["name"] for r in before}
    assert "OnLeaks" not in {r["name"] for r in rumours.json("sources")}
    shown = rumours.json("show", "pixel")
    assert shown["withdrawn"] is True
    assert (shown["history"][-1]["event"], shown["history"][-1]["actor"],
            shown["history"][-1]["reason"]) == ("withdrawn", "editor", "logged twice")  # fmt: skip
    assert "(withdrawn)" in rumours.ok("show", "pixel").stdout
    assert_error(rumours("withdraw", "pixel", "--reason", "again"), "claim 3 is already withdrawn")
    assert rumours.ok("db", "check").exit_code == 0
    exported = rumours.ok("export").stdout
    assert json.loads(exported)["claims"][2]["withdrawn"] is True
    copy = Tracker(new_database())
    (tmp_path / "w.json").write_text(exported, encoding="utf-8")
    copy.ok("import", str(tmp_path / "w.json"))
    assert keys(copy, "--withdrawn") == ["pixel"] and copy.ok("export").stdout == exported
    rumours.ok("restore", "pixel", "--reason", "not a duplicate")
    assert keys(rumours) == ["usbc", "vision", "pixel"]
    assert_error(rumours("restore", "pixel", "--reason", "x"), "claim 3 is not withdrawn")
    (tmp_path / "r.json").write_text(rumours.ok("export").stdout, encoding="utf-8")
    copy.ok("import", str(tmp_path / "r.json"))  # the restoration is the latest: it wins
    assert keys(copy) == ["usbc", "vision", "pixel"] and copy.ok("db", "check").exit_code == 0


# -- the wider edit ------------------------------------------------------------------------------


def test_edit_corrects_every_field_and_keeps_the_old_values(rumours):
    assert_error(  # the same source, in other case: nothing to change
        rumours("edit", "vision", "--source", "mark GURMAN"), "claim 2 already has these values"
    )
    rumours.ok("edit", "vision", "--source", "Bloomberg", "--said-on", "2023-06-05",
               "--hedge", "rumoured", "--key", "vision-pro", "--article-url",
               "https://example.com/gurman", "--article-title", "Gurman's newsletter",
               "--reason", "it was in Power On")  # fmt: skip
    claim = rumours.json("show", "vision-pro")
    assert (claim["source"], claim["said_on"], claim["hedge"], claim["likelihood"]) == (
        "Bloomberg", "2023-06-05", "rumoured", 0.5,
    )  # fmt: skip
    assert claim["article"]["title"] == "Gurman's newsletter"
    changes = claim["history"][-1]["changes"]
    assert changes["source"] == ["Mark Gurman", "Bloomberg"]
    assert changes["said_on"] == ["2023-06-06", "2023-06-05"]
    assert changes["key"] == ["vision", "vision-pro"]
    assert changes["article"][0] is None and changes["article"][1]["url"].endswith("gurman")
    rumours.ok("edit", "vision-pro", "--clear-expected")
    assert rumours.json("show", "vision-pro")["expected"] is None
    assert rumours.ok("db", "check").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [(("--key", "pixel"), "a claim with key 'pixel' already exists (claim 3)"),
     (("--said-on", "2023-10-01"), "claim 1 has evidence or a resolution on 2023-09-12, "
      "before 2023-10-01"),
     (("--expected", "Q1 2022"), "'Q1 2022' ends on 2022-03-31, before the claim was said on "
      "2022-05-11"),
     (("--expected", "Q4 2023", "--clear-expected"), "give --expected or --clear-expected, "
      "not both")],
)  # fmt: skip
def test_an_edit_that_breaks_a_rule_is_refused(rumours, args, message):
    before = rumours.json("show", "usbc")
    assert_error(rumours("edit", "usbc", *args), message)
    assert rumours.json("show", "usbc") == before


def test_a_window_over_before_the_claim_is_refused_on_add(tracker):
    assert_error(
        tracker("add", "x", "--said-on", "2022-10-15", "--expected", "this September"),
        "'this September' ends on 2022-09-30, before the claim was said on 2022-10-15",
    )


# -- a spreadsheet's CSV ------------------------------------------------------------------------

SHEET = (
    "\ufeffKey;Text;Said On;Source;Expected;Tags;My Notes\r\n"
    'k1;"iPhone 15 gets USB-C; finally";2022-05-11;Ming-Chi Kuo;2H 2023;Apple, iPhone;check\r\n'
    "k2;Pixel 8 Pro gets a thermometer;2023-05-05;OnLeaks;Q4 2023;Google;\r\n"
)


def test_a_spreadsheets_csv_imports_with_ignore_unknown_columns(tracker, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(SHEET.encode("utf-8"))
    assert_error(
        tracker("import", str(sheet)),
        "unknown column 'my_notes'; columns are",
        "(--ignore-unknown-columns skips the others)",
    )
    result = tracker.ok("import", str(sheet), "--ignore-unknown-columns")
    assert result.stdout == (
        "sheet.csv: 2 claims, 0 evidence, 0 resolutions added; 0 claims unchanged\n"
    )
    claim = tracker.json("show", "k1")
    assert (claim["text"], claim["said_on"], claim["tags"]) == (
        "iPhone 15 gets USB-C; finally", "2022-05-11", ["Apple", "iPhone"],
    )  # fmt: skip
    again = tracker.ok("import", str(sheet), "--ignore-unknown-columns").stdout
    assert again == "sheet.csv: 0 claims, 0 evidence, 0 resolutions added; 2 claims unchanged\n"


def test_import_counts_each_kind(tracker, tmp_path):
    record = {"key": "k", "text": "x", "said_on": "2022-05-23",
              "evidence": [{"stance": "confirms", "on": "2022-06-01", "retracted": True}],
              "resolutions": [{"status": "refuted", "on": "2022-06-02",
                               "reason": "r"}]}  # fmt: skip
    path = tmp_path / "k.json"
    path.write_text(json.dumps({"claims": [record]}))
    assert tracker.ok("import", str(path)).stdout == (
        "k.json: 1 claim, 1 evidence, 1 resolution, 1 other change added; 0 claims unchanged\n"
    )


# -- a long wait, Ctrl-C, a full disk --------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", "mariadb"])
def test_a_write_waiting_on_the_lock_says_so_then_goes_on(tracker, db_url, backend):
    """Another writer holds the lock (SQLite's, or MariaDB's on new ids): after 2 s one line
    on stderr; once the lock is released, the add succeeds."""
    from tracker.db.database import Database
    from tracker.db.urls import display_url, resolve_url

    tracker.ok("seed")
    database = Database(resolve_url(db_url))
    holder = database.engine.connect()
    if backend == "sqlite":
        holder.connection.dbapi_connection.execute("BEGIN IMMEDIATE")
    else:
        holder.exec_driver_sql("SELECT version_num FROM alembic_version FOR UPDATE")
    try:
        writer = subprocess.Popen(
            [sys.executable, "-m", "tracker", "--db", db_url, "add", "Waited for"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert writer.stderr is not None
        ready, _, _ = select.select([writer.stderr], [], [], 60)  # the lock held until it says so
        said = writer.stderr.readline() if ready else ""
    finally:
        if backend == "sqlite":
            holder.connection.dbapi_connection.execute("ROLLBACK")
        holder.rollback()
        holder.close()
        database.dispose()
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, said + err
    shown = display_url(resolve_url(db_url))
    assert said + err == f"{shown} is locked by another writer; waiting up to 58 s more...\n"
    assert out.startswith("Added claim 5")


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize(
    ("stop", "code", "said"),
    [(signal.SIGINT, 130, "Interrupted"), (signal.SIGTERM, 143, "Terminated")],
    ids=["ctrl-c", "kill"],
)
def test_ctrl_c_or_a_kill_exits_with_nothing_written(tracker, db_url, tmp_path, stop, code, said):
    lines = [json.dumps({"key": f"c{n}", "text": f"Claim {n}", "said_on": "2022-05-23",
                         "evidence": [{"stance": "supports", "on": "2022-06-01"}]})
             for n in range(200_000)]  # fmt: skip
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n")
    before = table_counts(db_url)
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", db_url, "import", str(feed)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    wal = Path(f"{db_url}-wal")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not wal.exists() or wal.stat().st_size < 2**20):
        time.sleep(0.05)  # until the import is writing its batches
    assert process.poll() is None, "the import ended before it could be interrupted"
    process.send_signal(stop)
    _, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert err == f"{said}: nothing was written.\n"
    assert table_counts(db_url) == before


def test_a_full_disk_is_one_clear_line(tracker, monkeypatch):
    """ENOSPC from anywhere (here: reading the clock, as good a place as any) is not a bug."""
    import errno

    from tracker import clock

    def full(*_args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(clock, "today", full)
    assert_error(tracker("list"), "the disk is full; nothing was changed")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="this system has no /dev/full")
def test_a_full_disk_after_a_write_says_the_change_was_saved(tracker, db_url):
    """`add > /dev/full` saves the claim, then cannot print its line: the error must not
    say "nothing was written" (it was), and a read's must not say a change was saved."""

    def to_full_disk(*args: str) -> str:
        with open("/dev/full", "w") as full:
            done = subprocess.run(
                [sys.executable, "-m", "tracker", "--db", db_url, *args],
                stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
            )  # fmt: skip
        assert done.returncode == 1, done.stderr
        return done.stderr

    said = to_full_disk("add", "Saved claim", "--key", "saved")
    assert said == "Error: the disk is full: the change was saved, but what it printed was not\n"
    assert tracker.json("show", "saved")["text"] == "Saved claim"
    before = table_counts(db_url)
    for args in (["list"], ["withdraw", "saved", "--reason", "r", "--dry-run"]):
        assert to_full_disk(*args) == "Error: the disk is full; nothing was changed\n"
    assert table_counts(db_url) == before


def test_ctrl_c_after_a_write_committed_says_the_change_was_saved(tracker, monkeypatch):
    """Ctrl-C while `add` prints its line, the claim already committed: not "nothing was
    written"."""
    from tracker.cli import claims

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(claims, "say", interrupted)
    result = tracker("add", "Saved claim", "--key", "saved")
    assert (result.exit_code, result.stderr) == (130, "Interrupted: the change was saved.\n")
    assert tracker.json("show", "saved")["text"] == "Saved claim"


# -- found by trying it as a user would ------------------------------------------------------


def test_moving_said_on_reads_a_relative_window_again(tracker, new_database, tmp_path):
    from support import Tracker

    tracker.ok("add", "R1", "--said-on", "2023-08-20", "--expected", "early next year",
               "--key", "r1")  # fmt: skip
    tracker.ok("edit", "r1", "--said-on", "2022-08-20")
    assert tracker.json("show", "r1")["expected"] == {
        "text": "early next year", "start": "2023-01-01", "end": "2023-04-30",
    }  # fmt: skip
    assert tracker.json("show", "r1")["history"][-1]["changes"]["expected"][1]["end"] == (
        "2023-04-30"
    )
    (tmp_path / "r.json").write_text(tracker.ok("export").stdout, encoding="utf-8")
    copy = Tracker(new_database())
    copy.ok("import", str(tmp_path / "r.json"))
    assert copy.json("show", "r1")["expected"] == tracker.json("show", "r1")["expected"]
    tracker.ok("add", "R3", "--said-on", "2023-05-01", "--expected", "Q3 2023", "--key", "r3")
    tracker.ok("edit", "r3", "--said-on", "2023-12-01", "--expected", "Q1 2024")
    tracker.ok("edit", "r3", "--said-on", "2024-02-01", "--clear-expected")


def test_edit_likelihood_zero_and_a_new_article_url_keep_the_rest(tracker):
    tracker.ok("add", "R2", "--said-on", "2023-05-01", "--article-title", "T",
               "--article-outlet", "O", "--article-date", "2023-05-01", "--key", "r2")  # fmt: skip
    tracker.ok("edit", "r2", "--likelihood", "0")
    assert tracker.json("show", "r2")["likelihood"] == 0.0
    tracker.ok("edit", "r2", "--article-url", "https://e.com/a")
    assert tracker.json("show", "r2")["article"] == {
        "url": "https://e.com/a", "title": "T", "outlet": "O", "published_on": "2023-05-01",
    }  # fmt: skip


def test_withdrawn_claims_are_not_reviewed(tracker):
    tracker.ok("seed")
    tracker.ok("withdraw", "3", "--reason", "dup")
    reviews = json.loads(tracker.ok("export", "--format", "claimreview").stdout)
    assert len(reviews) == 3 and "12 Ultra" not in json.dumps(reviews)


@pytest.mark.parametrize("relative", ["3 days ago", "last Tuesday", "two weeks ago"])
def test_files_refuse_dates_that_mean_another_day_tomorrow(tracker, tmp_path, relative):
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"claims": [{"text": "x", "said_on": relative}]}))
    assert_error(tracker("import", str(path)), f"'{relative}' changes meaning from day to day")


def test_a_csv_column_given_twice_is_refused(tracker, tmp_path):
    sheet = tmp_path / "twice.csv"
    sheet.write_text("Text;Said On;Source;Said_on\nDup;2023-08-20;X;2023-08-21\n")
    assert_error(tracker("import", str(sheet)), "column 'said_on' is given twice")


def test_a_differing_date_is_shown_as_a_date(tracker, tmp_path):
    tracker.ok("add", "Repro", "--key", "rk", "--said-on", "2023-08-21")
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"claims": [{"key": "rk", "text": "Repro",
                                            "said_on": "2023-08-20"}]}))  # fmt: skip
    assert_error(tracker("import", str(path)), "('2023-08-21' stored, '2023-08-20' given)")
