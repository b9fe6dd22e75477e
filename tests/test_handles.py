"""Handles: every claim's name that is the same in every database, and how a CLAIM is read
(tracker.queries.lookup: an id; else a key, a handle or 6+ of its first characters, and
never a guess between two claims)."""

import csv
import io
import json
from itertools import count

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool
from support import Tracker, assert_error

from tracker.db.urls import resolve_url
from tracker.rules.identity import HANDLE_LENGTH, handle, new_uid

CLAIM = "The Galaxy S25 Edge goes on sale in May"


def sql(url: str, statement: str, **values: object) -> None:
    from sqlalchemy import text

    engine = create_engine(resolve_url(url), poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text(statement), values)
    engine.dispose()


def test_a_handle_is_the_uids_in_every_database(tracker, new_database, tmp_path):
    shown = tracker.json("add", CLAIM, "--said-on", "2025-01-22")
    assert shown["handle"] == handle(shown["uid"])
    assert len(shown["handle"]) == HANDLE_LENGTH and shown["handle"][0].isalpha()
    exported = tmp_path / "out.json"
    tracker.ok("export", "--output", str(exported))
    copy = Tracker(new_database())
    copy.ok("add", "Something else", "--said-on", "2025-01-01")
    copy.ok("import", str(exported))
    assert copy.json("show", shown["handle"])["id"] == 2
    assert copy.json("show", shown["handle"])["handle"] == shown["handle"]


def test_every_claim_shape_and_csv_output_has_the_handle(tracker):
    shown = tracker.json("add", CLAIM, "--said-on", "2025-01-22", "--key", "edge")
    tracker.ok("confirm", "edge", "--on", "2025-05-30")
    mine = shown["handle"]
    assert tracker.json("list")[0]["handle"] == mine
    assert tracker.json("report", "--as-of", "2025-05-30")["recently_resolved"][0]["handle"] == mine
    assert {e["claim_handle"] for e in tracker.json("history")} == {mine}
    exported = json.loads(tracker.ok("export").stdout)["claims"][0]
    assert exported["handle"] == mine
    for args in (["list", "--format", "csv"], ["export", "--format", "csv"],
                 ["history", "--format", "csv"]):  # fmt: skip
        rows = list(csv.DictReader(io.StringIO(tracker.ok(*args).stdout)))
        assert {row.get("handle") or row.get("claim_handle") for row in rows} == {mine}, args
    table = tracker.ok("list").stdout.splitlines()
    assert table[0].split()[:3] == ["ID", "HANDLE", "STATUS"] and mine in table[1]


def test_list_format_ids_prints_one_handle_a_line(tracker):
    first = tracker.json("add", CLAIM, "--said-on", "2025-01-22")["handle"]
    second = tracker.json("add", "It costs $1,099", "--said-on", "2025-01-22")["handle"]
    assert tracker.ok("list", "--format", "ids").stdout == f"{first}\n{second}\n"
    assert tracker.ok("list", "--status", "refuted", "--format", "ids").stdout == ""


@pytest.mark.parametrize(
    "command",
    [
        ["show"], ["history"], ["confirm", "{}", "--on", "2025-05-30"],
        ["evidence", "{}", "supports"], ["resolve", "{}", "refuted", "--reason", "r"],
        ["edit", "{}", "--subject", "S25 Edge"], ["withdraw", "{}", "--reason", "r"],
        ["link", "{}", "duplicates", "first"],
    ],
)  # fmt: skip
@pytest.mark.parametrize("how", ["id", "key", "handle", "HANDLE", "prefix"])
def test_every_command_that_takes_a_claim_takes_each_way_to_name_it(tracker, command, how):
    tracker.ok("add", "An earlier claim", "--said-on", "2025-01-01", "--key", "first")
    shown = tracker.json("add", CLAIM, "--said-on", "2025-01-22", "--key", "edge")
    ref = {"id": "2", "key": "edge", "handle": shown["handle"], "HANDLE": shown["handle"].upper(),
           "prefix": shown["handle"][:6]}[how]  # fmt: skip
    args = [a.replace("{}", ref) for a in command] if "{}" in command else [*command, ref]
    result = tracker.ok(*args, "--format", "json")
    found = json.loads(result.stdout)
    assert (found[0]["claim_id"] if command == ["history"] else found["id"]) == 2


def test_too_short_or_unknown_references_say_so(tracker):
    shown = tracker.json("add", CLAIM, "--said-on", "2025-01-22")
    short = shown["handle"][:5]
    assert_error(tracker("show", short), f"no claim with key or handle {short!r} "
                 "(a handle needs at least its first 6 characters)")  # fmt: skip
    assert_error(tracker("confirm", "9"), "no claim with id 9; `tracker list` shows them")
    assert_error(tracker("confirm", "99999999999"), "no claim with id 99999999999")
    assert_error(tracker("show", "zzzzzzzzzz"), "no claim with key or handle 'zzzzzzzzzz'")


def _uids_sharing_a_prefix() -> tuple[str, str]:
    """Two uids whose handles share their first 6 characters (a birthday search)."""
    seen: dict[str, str] = {}
    for _ in count():
        uid = new_uid()
        prefix = handle(uid)[:6]
        if prefix in seen:
            return seen[prefix], uid
        seen[prefix] = uid
    raise AssertionError("unreachable")


def test_a_prefix_two_claims_share_is_refused_listing_both(tracker, tmp_path):
    first, second = _uids_sharing_a_prefix()
    claims = [{"uid": uid, "text": f"Claim {n}", "said_on": "2025-01-01"}
              for n, uid in enumerate((first, second), start=1)]  # fmt: skip
    (tmp_path / "twins.json").write_text(json.dumps({"claims": claims}))
    tracker.ok("import", str(tmp_path / "twins.json"))
    prefix = handle(first)[:6]
    result = tracker("confirm", prefix)
    assert_error(result, f"{prefix!r} names 2 claims: 1 {handle(first)} \"Claim 1\"; "
                 f"2 {handle(second)} \"Claim 2\"; give the id or more of the handle")  # fmt: skip
    assert tracker.json("show", handle(second))["id"] == 2  # the whole handle is one claim
    assert [e["event"] for e in tracker.json("history")] == ["created", "created"]


def test_a_handle_two_claims_share_is_refused(tracker, db_url):
    """~50 bits make it rare, not impossible: naming it then is ambiguous."""
    tracker.ok("add", "First", "--said-on", "2025-01-01")
    shared = tracker.json("add", "Second", "--said-on", "2025-01-01")["handle"]
    sql(db_url, "UPDATE claim SET handle = :h WHERE id = 1", h=shared)  # as if it happened
    assert_error(tracker("withdraw", shared, "--reason", "x"), f"{shared!r} names 2 claims")
    assert tracker.json("list", "--withdrawn") == []


def test_a_key_that_is_another_claims_handle_is_ambiguous(tracker):
    other = tracker.json("add", "First", "--said-on", "2025-01-01")["handle"]
    tracker.ok("add", "Second", "--said-on", "2025-01-01", "--key", other)
    second = handle(tracker.json("show", "2")["uid"])
    assert_error(tracker("show", other), f"{other!r} names 2 claims: 1 {other} \"First\"; "
                 f"2 {second} (key {other}) \"Second\"")  # fmt: skip
    assert tracker.json("show", "2")["key"] == other  # its id still names it
