"""Many claims at once: withdraw, restore, edit and link take several CLAIMs, `-` reads
them from standard input, and the whole is one transaction."""

import pytest
from support import Tracker, assert_error, table_counts


@pytest.fixture
def wire(tracker: Tracker) -> Tracker:
    """A desk claim and five wire items imported by mistake."""
    tracker.ok("add", "The Pixel 9a launches in March", "--said-on", "2025-02-01", "--key", "9a")
    for n in range(5):
        tracker.ok("add", f"Wire item {n}", "--said-on", "2025-03-01", "--tag", "wire")
    return tracker


def handles(tracker: Tracker, *args: str) -> list[str]:
    return tracker.ok("list", *args, "--format", "ids").stdout.split()


def test_list_ids_piped_to_withdraw_takes_every_claim_out_as_one_change(wire):
    ids = wire.ok("list", "--tag", "wire", "--format", "ids").stdout
    result = wire.ok("withdraw", "-", "--reason", "bad import", input=ids)
    lines = result.stdout.splitlines()
    assert [line.split(" (")[0] for line in lines[:-1]] == [f"Withdrew claim {n}" for n in
                                                            range(2, 7)]  # fmt: skip
    assert lines[-1] == "Withdrew 5 claims."
    assert handles(wire) == [wire.json("show", "9a")["handle"]]
    assert wire.ok("undo").stdout.count("Restored claim") == 5  # one change


def test_claims_on_the_command_line_and_from_standard_input_mix(wire):
    result = wire.ok("withdraw", "2", "-", "9a", "--reason", "r", input="3\n\n  4  \n2\n")
    assert result.stdout.count("Withdrew claim") == 4  # 2 given twice, withdrawn once
    assert sorted(c["id"] for c in wire.json("list", "--withdrawn")) == [1, 2, 3, 4]


def test_one_bad_claim_refuses_them_all_naming_it(wire, db_url):
    before = table_counts(db_url)
    result = wire("withdraw", "-", "--reason", "r", input="2\n3\nnot-a-claim\n4\n")
    assert_error(result, "line 3 of standard input: no claim with key or handle 'not-a-claim'")
    assert_error(wire("edit", "2", "99", "--tag", "x"), "no claim with id 99")
    assert table_counts(db_url) == before


def test_dry_run_says_what_would_change_and_writes_nothing(wire, db_url):
    before = table_counts(db_url)
    result = wire.ok("withdraw", *handles(wire, "--tag", "wire"), "--reason", "r", "--dry-run")
    lines = result.stdout.splitlines()
    assert all(line.startswith("Would withdraw claim ") for line in lines[:-1])
    assert lines[-1] == "Dry run, nothing written: would withdraw 5 claims."
    edited = wire.ok("edit", "2", "3", "--tag", "x", "--dry-run").stdout.splitlines()
    assert edited[0].startswith("Would edit claim 2 (") and edited[1] == "  tags: wire -> wire, x"
    linked = wire.ok("link", "2", "3", "duplicates", "9a", "--dry-run").stdout.splitlines()
    assert linked[0].startswith("Would link: claim 2 (")
    assert table_counts(db_url) == before


def test_a_claim_already_as_asked_is_left_and_said_so(wire):
    wire.ok("withdraw", "2", "--reason", "r")
    result = wire.ok("withdraw", "2", "3", "--reason", "r")
    assert result.stdout.splitlines()[0].endswith('"Wire item 0": withdrawn already')
    assert result.stdout.splitlines()[-1] == "Withdrew 1 claim."
    assert_error(wire("withdraw", "2", "3", "--reason", "r"), "nothing to change: every claim "
                 "named is withdrawn already")  # fmt: skip
    assert_error(wire("withdraw", "2", "--reason", "r"), "claim 2 is already withdrawn")


def test_edit_of_several_claims_changes_only_what_they_share(wire):
    result = wire.ok("edit", "-", "--tag", "wire-2025", "--subject", "Wire", input="4\n5\n")
    assert result.stdout.splitlines()[-1] == "Edited 2 claims."
    assert [c["subject"] for c in wire.json("list", "--tag", "wire-2025")] == ["Wire", "Wire"]
    for option in (["--text", "x"], ["--key", "k"], ["--said-on", "2025-03-02"]):
        assert_error(wire("edit", "4", "5", *option), f"{option[0]} changes one claim at a time")


def test_link_takes_several_claims_each_to_other(wire):
    result = wire.ok("link", "2", "3", "duplicates", "9a")
    assert result.stdout.splitlines()[-1] == "Linked 2 claims."
    assert [(x["claim_id"], x["direction"]) for x in wire.json("show", "9a")["links"]] == [
        (2, "in"), (3, "in"),
    ]  # fmt: skip
    assert_error(wire("link", "4", "9a", "duplicates", "9a"), "cannot be linked to itself")
    wire.ok("unlink", "-", "duplicates", "9a", "--reason", "r", input="2\n3\n")
    assert wire.json("show", "9a")["links"] == []


def test_json_of_several_claims_is_a_list_of_claim_objects(wire):
    one = wire.json("withdraw", "2", "--reason", "r")
    assert one["id"] == 2 and one["withdrawn"] is True
    several = wire.json("withdraw", "3", "4", "--reason", "r")
    assert [c["id"] for c in several] == [3, 4] and all(c["withdrawn"] for c in several)


def test_standard_input_is_read_once_and_must_name_something(wire):
    assert_error(wire("withdraw", "-", "-", "--reason", "r", input="2\n"),
                 "standard input ('-') can be read once", code=2)  # fmt: skip
    assert_error(wire("withdraw", "-", "--reason", "r", input="\n\n"),
                 "no CLAIM given (standard input was empty)", code=2)  # fmt: skip
