"""evidence, confirm, refute, resolve and retract: the status a user sees afterwards."""

import pytest
from support import Tracker, assert_error

CLAIM = ["The phone launches in July", "--said-on", "2022-05-23", "--key", "launch"]


@pytest.fixture
def claim(tracker):
    tracker.ok("add", *CLAIM)
    return tracker


def named(tracker, claim="launch"):
    """How a write's line names the claim: id, handle and text."""
    shown = tracker.json("show", claim)
    return f'Claim {shown["id"]} ({shown["handle"]}) "{shown["text"]}"'


def status(tracker, *args):
    return tracker.json("show", "launch", *args)["status"]


def test_confirm_prints_the_transition(claim):
    result = claim.ok("confirm", "launch", "--on", "2022-07-04", "--source", "Xiaomi")
    assert result.stdout == f"{named(claim)}: pending -> confirmed (evidence 1: confirms)\n"
    shown = claim.json("show", "1")
    assert shown["resolved_on"] == "2022-07-04"
    evidence = shown["evidence"][0]
    assert evidence == {
        **evidence,
        "id": 1,
        "claim_id": 1,
        "stance": "confirms",
        "conclusive": True,
        "source": "Xiaomi",
        "observed_on": "2022-07-04",
        "recorded_by": "tester",
        "retracted": False,
    }


def test_non_conclusive_evidence_leaves_status(claim):
    result = claim.ok("evidence", "launch", "supports", "--on", "2022-06-28", "--note", "teaser")
    assert result.stdout == f"{named(claim)}: still pending (evidence 1: supports)\n"
    evidence = claim.json("show", "1")["evidence"][0]
    assert evidence["conclusive"] is False and evidence["note"] == "teaser"


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("confirm", "confirm", "confirmed"),
        ("confirm", "refute", "disputed"),
        ("refute", "refute", "refuted"),
        ("refute", "confirm", "disputed"),
    ],
)
def test_conclusive_evidence_follows_the_table(claim, first, second, expected):
    claim.ok(first, "launch", "--on", "2022-07-01")
    claim.ok(second, "launch", "--on", "2022-07-02")
    assert status(claim) == expected


def test_late_evidence_lands_where_it_belongs_in_time(claim):
    claim.ok("confirm", "launch", "--on", "2022-07-04")
    claim.ok("resolve", "launch", "refuted", "--reason", "recall", "--on", "2022-07-10")
    assert status(claim) == "refuted"
    # Entered last, but effective first: replayed before the resolution.
    claim.ok("refute", "launch", "--on", "2022-06-01")
    shown = claim.json("show", "launch")
    assert shown["status"] == "refuted"
    assert shown["resolved_on"] == "2022-07-10"
    assert status(claim, "--as-of", "2022-06-15") == "refuted"
    assert status(claim, "--as-of", "2022-07-05") == "disputed"


def test_resolve_sets_any_status_and_keeps_the_reason(claim):
    claim.ok("confirm", "launch", "--on", "2022-07-04")
    claim.ok("refute", "launch", "--on", "2022-07-05")
    assert status(claim) == "disputed"
    result = claim.ok("resolve", "launch", "confirmed", "--reason", "Refutation was wrong")
    assert result.stdout == f"{named(claim)}: disputed -> confirmed (resolved as confirmed)\n"
    event = claim.json("history", "launch")[0]
    assert event["event"] == "resolved"
    assert event["reason"] == "Refutation was wrong"
    assert (event["from_status"], event["to_status"]) == ("disputed", "confirmed")


def test_a_backdated_resolution_is_overtaken_by_later_evidence(claim):
    claim.ok("confirm", "launch", "--on", "2022-07-04")
    claim.ok("resolve", "launch", "refuted", "--reason", "typo", "--on", "2022-06-01")
    # refuted on 06-01, then the 07-04 confirmation disputes it.
    assert status(claim) == "disputed"
    event = claim.json("history", "launch")[0]
    assert event["resolved_as"] == "refuted" and event["to_status"] == "disputed"


def test_retract_recomputes_by_replay(claim):
    claim.ok("confirm", "launch", "--on", "2022-07-04")
    claim.ok("refute", "launch", "--on", "2022-07-05")
    result = claim.ok("retract", "2", "--reason", "fake leak")
    assert result.stdout == (
        f"Retracted evidence 2 (refutes, no source, 2022-07-05) of "
        f"{named(claim)[0].lower()}{named(claim)[1:]}: disputed -> confirmed\n"
    )
    shown = claim.json("show", "launch")
    assert [e["retracted"] for e in shown["evidence"]] == [False, True]
    # Retracted evidence never counts, at any date.
    assert status(claim, "--as-of", "2022-07-06") == "confirmed"
    retracted = shown["history"][-1]
    assert retracted["event"] == "evidence_retracted" and retracted["evidence_id"] == 2


def test_history_is_chained_and_only_grows(claim):
    claim.ok("confirm", "launch", "--on", "2022-07-04")
    claim.ok("refute", "launch", "--on", "2022-07-05")
    claim.ok("retract", "1", "--reason", "wrong phone")
    claim.ok("resolve", "launch", "pending", "--reason", "reopen")
    events = claim.json("show", "launch")["history"]
    assert [e["event"] for e in events] == [
        "created", "evidence_added", "evidence_added", "evidence_retracted", "resolved",
    ]  # fmt: skip
    for before, after in zip(events, events[1:], strict=False):
        assert after["from_status"] == before["to_status"]
    assert [e["to_status"] for e in events] == [
        "pending", "confirmed", "disputed", "refuted", "pending",
    ]  # fmt: skip
    assert all(e["actor"] == "tester" for e in events)


def test_by_names_the_actor(claim):
    claim.ok("--by", "alice", "confirm", "launch", "--on", "2022-07-04")
    assert claim.json("history", "launch")[0]["actor"] == "alice"
    assert claim.json("show", "launch")["evidence"][0]["recorded_by"] == "alice"


def test_write_commands_print_the_claim_as_json(claim):
    shown = claim.json("confirm", "launch", "--on", "2022-07-04")
    assert shown["status"] == "confirmed" and shown["id"] == 1


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["evidence", "launch", "believes"], "Invalid value for 'STANCE'", 2),
        (["evidence", "nope", "confirms"], "no claim with key or handle 'nope'", 1),
        (["confirm", "launch", "--on", "2022-13-01"], "2022-13-01", 1),
        (["confirm", "launch", "--on", "next month"], "next month", 1),
        (["confirm", "launch", "--on", "2022-05-01"], "predates claim 1", 1),
        (["confirm", "launch", "--source", ""], "source must not be empty", 1),
        (["resolve", "launch", "confirmed"], "Missing option '--reason'", 2),
        (["resolve", "launch", "confirmed", "--reason", " "], "reason must not be empty", 1),
        (["resolve", "launch", "done", "--reason", "x"], "Invalid value for 'STATUS'", 2),
        (["retract", "99", "--reason", "x"], "no evidence with id 99", 1),
        (["retract", "abc", "--reason", "x"], "'abc' is not a valid integer", 2),
        (["retract", "1"], "Missing option '--reason'", 2),
    ],
)
def test_refusals_change_nothing(claim, args, message, code):
    before = claim.json("show", "launch")
    assert_error(claim(*args), message, code=code)
    assert claim.json("show", "launch") == before


def test_retracting_twice_is_refused(claim):
    claim.ok("confirm", "launch", "--on", "2022-07-04")
    claim.ok("retract", "1", "--reason", "wrong")
    before = claim.json("show", "launch")
    assert_error(claim("retract", "1", "--reason", "again"), "already retracted")
    assert claim.json("show", "launch") == before


def test_history_command_filters_and_formats(claim):
    claim.ok("add", "Another claim", "--said-on", "2022-05-23")
    claim.ok("confirm", "launch", "--on", "2022-07-04")
    everything = claim.json("history")
    assert [e["id"] for e in everything] == [3, 2, 1]  # newest first
    assert [e["event"] for e in claim.json("history", "launch")] == ["evidence_added", "created"]
    assert len(claim.json("history", "--limit", "1")) == 1
    assert claim.json("history", "--since", "2199-01-01") == []
    rows = claim.ok("history", "--format", "csv").stdout.splitlines()
    assert rows[0] == (
        "id,claim_id,event,from_status,to_status,evidence_id,effective_on,recorded_at,actor,reason,"
        "uid,claim_uid,evidence_uid,claim_handle"
    )
    text = claim.ok("history").stdout
    assert "pending -> confirmed" in text and "tester" in text


def test_history_is_in_the_order_things_were_recorded_also_after_a_merge(
    tracker, new_database, tmp_path, pinned_clock
):
    """Issue 23 (B4): the laptop's edit of 05:35:06, merged into the team's database after
    alice's of 05:35:08, was listed above hers (a higher local id), as if it were current."""
    pinned_clock.set("2025-04-01")
    tracker.ok("add", "The iPhone 17 Air is 5.5 mm thin", "--key", "ip17-air",
               "--said-on", "2025-01-10")  # fmt: skip
    team_file = tmp_path / "team.json"
    tracker.ok("export", "--output", str(team_file))
    laptop = Tracker(new_database())
    laptop.ok("import", str(team_file))
    pinned_clock.set("2025-05-01", "05:35:06")
    laptop.ok("edit", "ip17-air", "--text", "The iPhone 17 Air is 5.6 mm thin", "--reason",
              "laptop: one more leak")  # fmt: skip
    pinned_clock.set("2025-05-01", "05:35:08")
    tracker.ok("--by", "alice", "edit", "ip17-air", "--text", "The iPhone 17 Air is 5.64 mm thin")
    laptop_file = tmp_path / "laptop.json"
    laptop.ok("export", "--output", str(laptop_file))
    pinned_clock.set("2025-05-01", "06:00")
    tracker.ok("import", str(laptop_file))

    newest_first = tracker.json("history", "ip17-air")
    assert [(e["event"], e["actor"]) for e in newest_first[:2]] == [
        ("edited", "alice"), ("edited", "tester")
    ]  # fmt: skip
    times = [e["recorded_at"] for e in tracker.json("history")]
    assert times == sorted(times, reverse=True)
    assert tracker.json("show", "ip17-air")["text"] == "The iPhone 17 Air is 5.64 mm thin"
    first_line = tracker.ok("history", "ip17-air").stdout.splitlines()[1]
    assert "alice" in first_line


@pytest.mark.parametrize(
    "args",
    [
        ["confirm", "launch", "--on", "2199-01-01"],
        ["evidence", "launch", "supports", "--on", "2199-01-01"],
        ["resolve", "launch", "confirmed", "--reason", "x", "--on", "2199-01-01"],
    ],
)
def test_evidence_and_resolutions_cannot_be_dated_in_the_future(claim, args):
    """A stored status is the replay up to today: a future date would make them disagree."""
    before = claim.json("show", "launch")
    assert_error(claim(*args), "is in the future")
    assert claim.json("show", "launch") == before


def test_history_takes_the_one_since_grammar(tracker, pinned_clock):
    """`history --since 7d` as `report --since 7d` (design.md §5): a date, a phrase, 7d, 2w, 3m."""
    pinned_clock.set("2024-03-01")
    tracker.ok("add", "Old claim", "--said-on", "2024-03-01", "--key", "old")
    pinned_clock.set("2024-03-20")
    tracker.ok("add", "New claim", "--said-on", "2024-03-20", "--key", "new")
    texts = lambda since: [e["claim_id"] for e in tracker.json("history", "--since", since)]  # noqa: E731
    assert texts("7d") == texts("1w") == texts("2024-03-13") == texts("3 days ago") == [2]
    assert texts("3w") == texts("1m") == texts("2024-02-20") == [2, 1]
    result = tracker("history", "--since", "last fortnight")
    assert_error(result, "'last fortnight' is not a single date", "2022-07-04", "7d, 2w or 3m")
    assert_error(tracker("history", "--since", "Q2 2024"), "one date is needed")


def test_history_since_is_the_start_of_the_local_day(tracker, tmp_path, monkeypatch):
    """recorded_at is UTC; --since is a local date (here UTC-12)."""
    import json
    import time

    record = {"key": "k", "text": "x", "said_on": "2021-12-01",
              "evidence": [{"stance": "supports", "on": "2021-12-01",
                            "recorded_at": "2022-01-01T06:00:00Z"}]}  # fmt: skip
    (tmp_path / "f.json").write_text(json.dumps({"claims": [record]}))
    tracker.ok("import", str(tmp_path / "f.json"))
    monkeypatch.setenv("TZ", "Etc/GMT+12")  # 2022-01-01 06:00 UTC is 2021-12-31 locally
    time.tzset()
    try:
        kinds = lambda since: [e["event"] for e in tracker.json("history", "--since", since)]  # noqa: E731
        assert "evidence_added" in kinds("2021-12-31")
        assert "evidence_added" not in kinds("2022-01-01")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
