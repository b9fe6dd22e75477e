"""`tracker due`: what is overdue and what comes due within the horizon, on a pinned day
(on every backend)."""

import json

import pytest
from support import assert_error

TODAY = "2024-06-15"
# (key, window end): said on 2024-05-01, each `by` its end.
CLAIMS = [
    ("overdue-long", "2024-05-20"),  # 26 days overdue
    ("overdue-short", "2024-06-14"),  # 1 day overdue
    ("due-today", "2024-06-15"),
    ("due-in-5", "2024-06-20"),
    ("due-in-7", "2024-06-22"),  # the horizon's last day
    ("due-in-8", "2024-06-23"),  # just outside 7d
    ("due-in-15", "2024-06-30"),
    ("resolved", "2024-06-10"),  # would be overdue, but confirmed
    ("refuted", "2024-06-18"),  # would be due, but refuted
    ("withdrawn", "2024-06-12"),  # would be overdue, but withdrawn
]


@pytest.fixture
def desk(tracker, pinned_clock):
    pinned_clock.set("2024-06-01")
    for key, end in CLAIMS:
        tracker.ok("add", f"Claim {key}", "--key", key, "--source", f"Src {key}",
                   "--said-on", "2024-05-01", "--expected", f"by {end}")  # fmt: skip
    tracker.ok("add", "No window at all", "--key", "no-window", "--said-on", "2024-06-01")
    pinned_clock.set("2024-06-12")
    tracker.ok("confirm", "resolved", "--on", "2024-06-09")
    tracker.ok("refute", "refuted", "--on", "2024-06-11")
    tracker.ok("withdraw", "withdrawn", "--reason", "logged twice")
    pinned_clock.set(TODAY)
    return tracker


def keys(items):
    return [item["key"] for item in items]


def test_overdue_and_due_within_the_horizon_in_order(desk):
    due = desk.json("due")
    assert due["as_of"] == TODAY and due["within_days"] == 7 and due["until"] == "2024-06-22"
    assert keys(due["overdue"]) == ["overdue-long", "overdue-short"]
    assert keys(due["due"]) == ["due-today", "due-in-5", "due-in-7"]
    assert [c["days_left"] for c in due["overdue"] + due["due"]] == [-26, -1, 0, 5, 7]
    assert all(c["status"] == "pending" for c in due["overdue"] + due["due"])
    # Each with what a reminder needs: the handle to type, the source, the window's end.
    first = due["overdue"][0]
    assert first["source"] == "Src overdue-long" and first["expected"]["end"] == "2024-05-20"
    assert first["handle"] == desk.json("show", "overdue-long").get("handle", first["handle"])
    assert len(first["handle"]) >= 8 and first["handle"][0].isalpha()


@pytest.mark.parametrize(
    ("within", "listed"),
    [
        ("0", ["due-today"]),
        ("1d", ["due-today"]),
        ("8", ["due-today", "due-in-5", "due-in-7", "due-in-8"]),
        ("2w", ["due-today", "due-in-5", "due-in-7", "due-in-8"]),
        ("15d", ["due-today", "due-in-5", "due-in-7", "due-in-8", "due-in-15"]),
        ("1m", ["due-today", "due-in-5", "due-in-7", "due-in-8", "due-in-15"]),
    ],
)
def test_the_horizon(desk, within, listed):
    due = desk.json("due", "--within", within)
    assert keys(due["due"]) == listed
    assert keys(due["overdue"]) == ["overdue-long", "overdue-short"]  # whatever the horizon


def test_a_month_is_a_calendar_month(desk):
    assert desk.json("due", "--within", "1m")["until"] == "2024-07-15"
    assert desk.json("due", "--within", "3m")["within_days"] == 92


def test_text_lists_handle_due_date_days_and_source(desk):
    due = desk.json("due")
    handles = {c["key"]: c["handle"] for c in due["overdue"] + due["due"]}
    out = desk.ok("due").stdout
    pad = max(len(h) for h in handles.values())  # handles are ten characters
    assert pad == 10
    assert out == (
        "Overdue: 2 claims\n"
        "  HANDLE      ID  DUE         WHEN             SOURCE             CLAIM\n"
        f"  {handles['overdue-long']}  1   2024-05-20  26 days overdue  Src overdue-long   "
        "Claim overdue-long\n"
        f"  {handles['overdue-short']}  2   2024-06-14  1 day overdue    Src overdue-short  "
        "Claim overdue-short\n"
        "\n"
        "Due within 7 days (by 2024-06-22): 3 claims\n"
        "  HANDLE      ID  DUE         WHEN       SOURCE         CLAIM\n"
        f"  {handles['due-today']}  3   2024-06-15  due today  Src due-today  Claim due-today\n"
        f"  {handles['due-in-5']}  4   2024-06-20  in 5 days  Src due-in-5   Claim due-in-5\n"
        f"  {handles['due-in-7']}  5   2024-06-22  in 7 days  Src due-in-7   Claim due-in-7\n"
    )


def test_markdown(desk):
    due = desk.json("due", "--within", "0")
    today = due["due"][0]["handle"]
    out = desk.ok("due", "--within", "0", "--format", "markdown").stdout
    assert out.startswith("# Claims due as of 2024-06-15\n\n## Overdue: 2 claims\n\n")
    assert "| Handle | ID | Due | When | Source | Claim |\n|---|---|---|---|---|---|\n" in out
    assert out.endswith(
        "## Due within 0 days (by 2024-06-15): 1 claim\n\n"
        "| Handle | ID | Due | When | Source | Claim |\n|---|---|---|---|---|---|\n"
        f"| {today} | 3 | 2024-06-15 | due today | Src due-today | Claim due-today |\n"
    )


def test_nothing_due(tracker, pinned_clock):
    pinned_clock.set(TODAY)
    tracker.ok("add", "Far off", "--said-on", "2024-06-01", "--expected", "2026")
    result = tracker("due", "--exit-code")
    assert result.exit_code == 0
    assert result.stdout == "Nothing due within 7 days (by 2024-06-22), and nothing overdue.\n"
    markdown = tracker.ok("due", "--format", "markdown").stdout
    assert markdown == (
        "# Claims due as of 2024-06-15\n\n"
        "Nothing due within 7 days (by 2024-06-22), and nothing overdue.\n"
    )
    assert tracker.json("due") == {
        "as_of": TODAY, "within_days": 7, "until": "2024-06-22", "overdue": [], "due": [],
    }  # fmt: skip


def test_exit_code_says_whether_anything_is_listed(desk):
    assert desk("due").exit_code == 0  # without --exit-code: listing is success
    assert desk("due", "--exit-code").exit_code == 3
    assert desk("due", "--exit-code", "--format", "json").exit_code == 3
    json.loads(desk("due", "--exit-code", "--format", "json").stdout)  # still whole JSON
    # Only an overdue claim, nothing coming due: still something to say.
    assert desk("due", "--within", "0", "--source", "overdue-long", "--exit-code").exit_code == 3
    nothing = desk("due", "--source", "nobody", "--exit-code")
    assert nothing.exit_code == 0 and nothing.stdout.startswith("Nothing due")


def test_an_error_is_exit_1_not_a_reminder(tracker, tmp_path):
    """Cron tells 3 (something due) from 1 (the reminder itself failed): neither is 0."""
    broken = tmp_path / "broken.db"
    broken.write_text("not a database")
    result = tracker("--db", str(broken), "due", "--exit-code")
    assert_error(result, "not a tracker database")
    assert result.stdout == ""


def test_filters_narrow_both_lists(desk):
    due = desk.json("due", "--within", "2w", "--source", "SRC DUE-IN")
    assert keys(due["overdue"]) == [] and keys(due["due"]) == ["due-in-5", "due-in-7", "due-in-8"]
    desk.ok("edit", "due-in-8", "--tag", "beat")
    desk.ok("edit", "overdue-short", "--tag", "beat")
    due = desk.json("due", "--tag", "Beat")
    assert keys(due["overdue"]) == ["overdue-short"] and keys(due["due"]) == []


def test_a_duplicate_is_reminded_of_once(desk):
    desk.ok("add", "Claim due-in-5 again", "--key", "copy", "--said-on", "2024-06-02",
            "--expected", "by 2024-06-20")  # fmt: skip
    assert "copy" in keys(desk.json("due")["due"])
    desk.ok("link", "copy", "duplicates", "due-in-5")
    assert keys(desk.json("due")["due"]) == ["due-today", "due-in-5", "due-in-7"]


def test_disputed_claims_are_not_reminders(desk):
    desk.ok("refute", "due-in-5", "--on", "2024-06-13")
    desk.ok("confirm", "due-in-5", "--on", "2024-06-14")
    assert desk.json("show", "due-in-5")["status"] == "disputed"
    assert "due-in-5" not in keys(desk.json("due")["due"])


FORMS = "give days, weeks or months, as 7d, 2w or 3m (a number alone is days), up to 36500 days"


@pytest.mark.parametrize(
    ("within", "why"),
    [("x", "is not a duration"), ("7y", "is not a duration"), ("-1", "is not a duration"),
     ("7 days", "is not a duration"), ("", "is not a duration"), ("1.5w", "is not a duration"),
     ("99999999", "is too long"), ("9" * 5000, "is too long"),
     ("36501", "is too long"), ("5215w", "is too long"),
     ("1300m", "is too long")],
)  # fmt: skip
def test_a_bad_horizon_is_one_error_line_naming_the_forms(tracker, within, why):
    result = tracker("due", "--within", within)
    assert_error(result, code=2)
    errors = [line for line in result.stderr.splitlines() if "Error" in line]
    shown = repr(within[:60]) + ("..." if len(within) > 60 else "")  # a long one is cut
    assert errors == [f"Error: Invalid value for '--within': {shown} {why}: {FORMS}"]


@pytest.mark.parametrize(("within", "days"), [("36500", 36500), ("5214w", 36498), ("007d", 7)])
def test_a_horizon_up_to_the_most(tracker, within, days):
    assert tracker.json("due", "--within", within)["within_days"] == days
