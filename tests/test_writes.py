"""Every write says what it touched: the claim by id, handle and text, and what changed.

The user trial's three real mistakes were silent writes to the wrong claim: an id off by
two, a laptop's id typed on the team's database, and a claim's id given to `retract`
(which takes evidence ids). Each is replayed here; the line printed must let the user
see the mistake.
"""

import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from support import Tracker, assert_error

from tracker.cli import main
from tracker.render import writes

SWITCH = "Nintendo's Switch successor will launch in early 2025"
PIXEL = "The Pixel 9 will use the Tensor G4 chip"
GTA = "GTA VI will launch in fall 2025"


def handle(tracker: Tracker, claim: str) -> str:
    return tracker.json("show", claim)["handle"]


@pytest.fixture
def desk(tracker: Tracker) -> Tracker:
    """Three claims of the trial, numbered 1 to 3."""
    tracker.ok("add", SWITCH, "--source", "Nikkei", "--said-on", "2024-05-07", "--key", "switch2")
    tracker.ok("add", GTA, "--source", "Take-Two", "--said-on", "2024-05-16")
    tracker.ok("add", PIXEL, "--source", "Android Authority", "--said-on", "2024-06-01")
    return tracker


def test_add_names_the_claim_and_says_how_its_window_and_hedge_were_read(tracker):
    result = tracker.ok(
        "add", "Samsung will hold Galaxy Unpacked in late January", "--source", "Ice Universe",
        "--said-on", "2024-12-20", "--expected", "end of January", "--hedge", "rumoured",
    )  # fmt: skip
    shown = handle(tracker, "1")
    assert result.stdout == (
        f'Added claim 1 ({shown}) "Samsung will hold Galaxy Unpacked in late January": pending\n'
        '  expected "end of January" read as 2024-12-20 to 2025-01-31 (said on 2024-12-20)\n'
        '  hedge "rumoured" read as likelihood 0.50\n'
    )
    given = tracker.ok("add", "It costs $799", "--said-on", "2024-12-20", "--likelihood", "0.4")
    assert given.stdout.splitlines()[1:] == ["  as given: likelihood 0.40"]
    plain = tracker.ok("add", "It ships in red", "--said-on", "2024-12-20")
    assert len(plain.stdout.splitlines()) == 1  # nothing was read from a window or hedge


def test_the_off_by_two_id_shows_the_claim_it_confirmed(desk):
    """Meant claim 3 (the Pixel); typed 1: the line names the Switch claim."""
    result = desk.ok("confirm", "1", "--source", "Google", "--note", "Spec sheet: Tensor G4")
    assert result.stdout == (
        f'Claim 1 ({handle(desk, "1")}) "{SWITCH}": pending -> confirmed (evidence 1: confirms)\n'
    )


def test_a_laptops_id_on_the_team_database_shows_the_teams_claim(desk, tmp_path):
    """Ids differ between copies; handles do not. The laptop's claim 1 is the team's 4. The
    laptop is a SQLite file, the team's database each backend in turn (PostgreSQL, MariaDB)."""
    laptop = Tracker(str(tmp_path / "laptop.db"))
    laptop.ok("add", "Nothing Phone (3) will launch in July", "--said-on", "2025-03-04")
    laptop_handle = handle(laptop, "1")
    exported = tmp_path / "laptop.json"
    laptop.ok("export", "--output", str(exported))
    desk.ok("import", str(exported))

    wrong = desk.ok("confirm", "1", "--on", "2025-07-10", "--source", "Nothing")
    assert f'"{SWITCH}"' in wrong.stdout and laptop_handle not in wrong.stdout
    desk.ok("undo")
    right = desk.ok("confirm", laptop_handle, "--on", "2025-07-10", "--source", "Nothing")
    assert right.stdout.startswith(
        f'Claim 4 ({laptop_handle}) "Nothing Phone (3) will launch in July": pending -> confirmed'
    )


def test_a_claim_id_given_to_retract_names_the_evidence_and_its_claim(desk):
    """`retract 3` meant claim 3's evidence; evidence 3 belongs to claim 2."""
    desk.ok("confirm", "3", "--on", "2024-08-13", "--source", "Google")
    desk.ok("refute", "1", "--on", "2024-11-07", "--source", "Nintendo")
    desk.ok("confirm", "2", "--on", "2025-05-02", "--source", "Rockstar")
    result = desk.ok("retract", "3", "--reason", "mistaken")
    assert result.stdout == (
        f"Retracted evidence 3 (confirms, Rockstar, 2025-05-02) of claim 2 ({handle(desk, '2')}) "
        f'"{GTA}": confirmed -> pending\n'
    )


def test_resolve_names_the_claim(desk):
    result = desk.ok("resolve", "switch2", "refuted", "--reason", "delayed", "--on", "2025-01-16")
    assert result.stdout == (
        f'Claim 1 ({handle(desk, "1")}) "{SWITCH}": pending -> refuted (resolved as refuted)\n'
    )


def test_edit_prints_every_changed_field_old_and_new(desk):
    result = desk.ok(
        "edit", "2", "--text", "GTA VI will launch in autumn 2025", "--subject", "GTA VI",
        "--expected", "fall 2025", "--tag", "games", "--hedge", "official",
    )  # fmt: skip
    assert result.stdout == (
        f'Edited claim 2 ({handle(desk, "2")}) "GTA VI will launch in autumn 2025"\n'
        f'  text: "{GTA}" -> "GTA VI will launch in autumn 2025"\n'
        '  subject: none -> "GTA VI"\n'
        '  expected: none -> "fall 2025" (2025-09-01 to 2025-11-30)\n'
        '  hedge: none -> "official"\n'
        "  likelihood: none -> 0.95\n"
        "  tags: none -> games\n"
    )


def test_show_and_history_print_an_edits_old_and_new_values(desk):
    desk.ok("edit", "2", "--subject", "GTA VI", "--reason", "named")
    detail = 'subject: none -> "GTA VI"; named'
    assert detail in desk.ok("show", "2").stdout
    assert detail in desk.ok("history", "2").stdout


def test_withdraw_restore_link_and_unlink_name_each_claim(desk):
    one, two = handle(desk, "1"), handle(desk, "2")
    assert (
        desk.ok("withdraw", "1", "--reason", "x").stdout == f'Withdrew claim 1 ({one}) "{SWITCH}"\n'
    )
    assert (
        desk.ok("restore", "1", "--reason", "x").stdout == f'Restored claim 1 ({one}) "{SWITCH}"\n'
    )
    linked = desk.ok("link", "2", "contradicts", "1")
    assert (
        linked.stdout == f'Linked: claim 2 ({two}) "{GTA}" contradicts claim 1 ({one}) "{SWITCH}"\n'
    )
    unlinked = desk.ok("unlink", "2", "contradicts", "1", "--reason", "x")
    assert unlinked.stdout == (
        f'Unlinked: claim 2 ({two}) "{GTA}" no longer contradicts claim 1 ({one}) "{SWITCH}"\n'
    )


def test_json_output_is_still_the_claim_object(desk):
    shown = desk.json("confirm", "1", "--on", "2025-01-16")
    assert shown["id"] == 1 and shown["status"] == "confirmed" and shown["handle"]
    assert set(desk.json("edit", "1", "--subject", "Switch 2")) == set(desk.json("show", "2")) - {
        "evidence", "links", "history",
    }  # fmt: skip


def test_the_text_is_whole_when_piped_and_cut_only_on_a_terminal(desk, monkeypatch):
    long = "Apple will " + "really " * 30 + "ship a foldable iPhone in 2026"
    piped = desk.ok("add", long, "--said-on", "2024-06-01").stdout
    assert f'"{long}"' in piped

    monkeypatch.setattr(writes, "on_terminal", lambda: True)
    monkeypatch.setattr(writes, "terminal_width", lambda: 80)
    line = writes.line(*writes.named({"id": 4, "handle": "abcdefghjk", "text": long}), ": x")
    assert (
        len(line) < 80 and line.endswith('…": x') and line.startswith('claim 4 (abcdefghjk) "Apple')
    )
    narrow = writes.line("Retracted evidence 3 of ", Quoted(long), ": " + "x" * 100)
    assert f'"{long[: writes.MIN_TEXT - 1]}…"' in narrow  # never cut to less than MIN_TEXT


Quoted = writes.Quoted


def test_control_characters_in_a_claim_are_shown_not_obeyed(tracker):
    result = tracker.ok("add", "Evil\x1b[2Jclaim\nwith a newline", "--said-on", "2024-06-01")
    first = result.stdout.splitlines()[0]
    assert "\x1b[2J" not in result.stdout and '"Evil\\x1b[2Jclaim with a newline"' in first


@pytest.mark.parametrize("where", ["before", "after"])
def test_by_is_taken_before_or_after_the_command(desk, where):
    args = ["confirm", "1", "--on", "2025-01-16"]
    desk.ok(*(["--by", "alice", *args] if where == "before" else [*args, "--by", "alice"]))
    assert desk.json("history", "1")[0]["actor"] == "alice"


def _commands(
    group: click.Group, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, click.Command]]:
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))
        else:
            yield " ".join((*path, name)), command


# Commands that record no actor: reads, migrations and backups, and the feed reader (a
# feed's articles and a removed feed name nobody). Any other command takes --by.
NO_ACTOR = {
    "show", "list", "history", "report", "sources", "due", "serve", "watch", "feeds list",
    "feeds remove", "db upgrade", "db downgrade", "db current", "db path", "db check",
    "db verify", "db backup",
}  # fmt: skip


def test_every_command_that_records_who_acted_takes_by_after_its_name():
    """`tracker --by alice source rename ...` worked, `tracker source rename ... --by alice`
    was refused: --by is taken after the name of every command that records its actor."""
    commands = dict(_commands(main))
    assert set(commands) >= NO_ACTOR
    lacking = [
        name
        for name, command in commands.items()
        if name not in NO_ACTOR and "--by" not in {o for p in command.params for o in p.opts}
    ]
    assert lacking == []


def test_a_source_rename_and_merge_record_the_by_given_after_them(desk):
    desk.ok("source", "rename", "Nikkei", "Nikkei Asia", "--reason", "full name", "--by", "ann")
    desk.ok("source", "merge", "Take-Two", "Nikkei Asia", "--reason", "test", "--by", "bob")
    assert desk.json("history", "switch2")[0]["actor"] == "ann"
    assert desk.json("history", "2")[0]["actor"] == "bob"


def test_by_after_the_command_wins_over_the_one_before(desk):
    desk.ok("--by", "alice", "withdraw", "1", "--reason", "x", "--by", "bob")
    assert desk.json("history", "1")[0]["actor"] == "bob"
    assert_error(desk("withdraw", "2", "--reason", "x", "--by", " "), "--by must not be empty")


def test_export_takes_by_as_the_claimreview_reviewer(desk):
    desk.ok("confirm", "1", "--on", "2025-01-16")
    reviews = json.loads(desk.ok("export", "--format", "claimreview", "--by", "Trial Desk").stdout)
    assert reviews[0]["author"]["name"] == "Trial Desk"


def test_adding_a_withdrawn_claim_again_says_it_is_withdrawn_and_how_to_restore_it(desk):
    desk.ok("withdraw", "2", "--reason", "logged by mistake")
    result = desk("add", GTA, "--source", "Take-Two", "--said-on", "2024-05-16")
    assert_error(result, "claim 2 already says this", f"claim 2 ({handle(desk, '2')}) is withdrawn",
                 f"tracker restore {handle(desk, '2')} --reason ...")  # fmt: skip


# A handle in the README is the one its author's run gave: any handle stands for any other.
HANDLE_IN_TEXT = re.compile(r"\b(?=[a-z0-9]*[0-9])[a-z][a-z0-9]{9}\b")


def test_the_readme_tour_of_handles_and_undo_is_what_the_tracker_prints(tracker, monkeypatch):
    """The README's console excerpt of writes (add, confirm by a handle's prefix, retract,
    resolve, undo), run as written after `tracker seed`: each line it shows is printed, with
    this run's handles and time."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n(.*?)```", readme, re.DOTALL)
    tour = next(block for block in blocks if "$ tracker undo\n" in block)
    steps: list[tuple[str, list[str]]] = []  # each command and the lines shown after it
    for line in re.sub(r"\\\n\s*", "", tour).splitlines():
        if line.startswith("$ "):
            steps.append((line[2:].split("#")[0], []))
        else:
            steps[-1][1].append(line)
    monkeypatch.setenv("TRACKER_USER", "ann")
    tracker.ok("seed")
    shown = 0
    for command, expected in steps:
        words = shlex.split(command)[1:]
        claim = tracker.json("list", "--sort", "id", "--limit", "0")[-1]
        words = [claim["handle"][:6] if HANDLE_IN_TEXT.fullmatch(w + "abcd") and len(w) == 6
                 else w for w in words]  # fmt: skip
        output = tracker.ok(*words).stdout
        if not expected:
            continue
        shown += 1
        # This run's handles by name (one may have no digit, which the pattern needs).
        handles = [c["handle"] for c in tracker.json("list", "--limit", "0")
                   + tracker.json("list", "--withdrawn", "--limit", "0")]  # fmt: skip
        printed = output.splitlines()
        for handle in handles:
            printed = [line.replace(handle, "HANDLE") for line in printed]
        expected = [HANDLE_IN_TEXT.sub("HANDLE", line) for line in expected]
        when = re.compile(r"at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC")
        assert [when.sub("at TIME", line) for line in printed] == [
            when.sub("at TIME", line) for line in expected
        ], command
    assert shown >= 5
