"""`tracker undo`: the latest change of an actor in this database, reversed as new history
(tracker.ledger.undo has each kind of event's inverse)."""

import json
import re
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support import PinnedClock, Tracker, assert_error, table_counts

LAUNCH = "The Galaxy Z Fold 7 launches in July"
PRICE = "The Galaxy Z Fold 7 costs $1,999"


@pytest.fixture
def desk(tracker: Tracker) -> Tracker:
    tracker.ok("add", LAUNCH, "--source", "Yonhap", "--said-on", "2025-05-02", "--key", "fold7")
    tracker.ok("add", PRICE, "--source", "Jukanlosreve", "--said-on", "2025-06-01")
    return tracker


def state(tracker: Tracker) -> list[dict]:
    """What `show --format json` says of every claim, history aside: no events, no ids or
    times of re-added evidence, only the evidence that counts."""
    shown = []
    for claim in tracker.json("list", "--withdrawn") + tracker.json("list"):
        full = tracker.json("show", str(claim["id"]))
        full.pop("history"), full.pop("updated_at")
        full["evidence"] = sorted(
            (e["stance"], e["source"], e["url"], e["observed_on"], e["note"], e["tier"])
            for e in full["evidence"] if not e["retracted"]
        )  # fmt: skip
        shown.append(full)
    return sorted(shown, key=lambda c: c["id"])


CHANGES = {  # a change, and the line its undo prints (after "Undid the change ...:")
    "add": (["add", "It comes in three colours", "--said-on", "2025-06-02"],
            '  Withdrew claim 3 ({h3}) "It comes in three colours"'),
    "confirm": (["confirm", "fold7", "--on", "2025-07-09", "--source", "Samsung"],
                '  Retracted evidence 1 (confirms, Samsung, 2025-07-09) of claim 1 ({h1}) '
                f'"{LAUNCH}": confirmed -> pending'),
    "resolve": (["resolve", "2", "refuted", "--reason", "$1,999.99", "--on", "2025-07-09"],
                '  Retracted the resolution as refuted on 2025-07-09 of claim 2 ({h2}) '
                f'"{PRICE}": refuted -> pending'),
    "edit": (["edit", "2", "--text", "It costs $2,000", "--tag", "price"],
             '  Edited back claim 2 ({h2}) "' + PRICE + '"\n'
             '    text: "It costs $2,000" -> "' + PRICE + '"\n    tags: price -> none'),
    "withdraw": (["withdraw", "2", "--reason", "dup"],
                 '  Restored claim 2 ({h2}) "' + PRICE + '"'),
    "link": (["link", "2", "depends-on", "fold7"],
             '  Unlinked: claim 2 ({h2}) "' + PRICE + '" no longer depends on claim 1 ({h1}) "'
             + LAUNCH + '"'),
}  # fmt: skip


@pytest.mark.parametrize("kind", CHANGES)
def test_undo_reverses_each_kind_of_change_and_says_what_it_did(desk, kind):
    before = state(desk)
    args, said = CHANGES[kind]
    desk.ok(*args)
    result = desk.ok("undo")
    handles = {f"h{c['id']}": c["handle"] for c in desk.json("list", "--withdrawn")
               + desk.json("list")}  # fmt: skip
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Undid the change tester made at ")
    assert "\n".join(lines[1:]) == said.format(**handles)
    after = state(desk)
    if kind == "add":  # the claim added is withdrawn: in no list, and the others as they were
        assert after[-1]["withdrawn"] and after[:-1] == before
    else:
        assert after == before
    assert "verified" in desk.ok("db", "verify").stdout
    assert "agree" in desk.ok("db", "check").stdout


def test_undo_of_a_retraction_brings_the_evidence_back_and_of_that_the_claim_is_as_before(desk):
    desk.ok("confirm", "fold7", "--on", "2025-07-09", "--source", "Samsung", "--tier", "official")
    before = state(desk)
    desk.ok("retract", "1", "--reason", "wrong claim?")
    result = desk.ok("undo")
    assert "Added evidence 1 again, as evidence 2 (confirms, Samsung, 2025-07-09), to claim 1" in (
        result.stdout
    )
    assert state(desk) == before
    # and the confirm itself is undone through the evidence brought back
    desk.ok("undo")
    assert desk.json("show", "fold7")["status"] == "pending"
    assert [e["retracted"] for e in desk.json("show", "fold7")["evidence"]] == [True, True]


def test_undo_goes_one_change_further_back_each_time_then_says_nothing_is_left(desk):
    desk.ok("confirm", "fold7", "--on", "2025-07-09")
    desk.ok("edit", "2", "--subject", "Fold 7")
    assert "Edited back claim 2" in desk.ok("undo").stdout
    assert "Retracted evidence 1" in desk.ok("undo").stdout
    assert "Withdrew claim 2" in desk.ok("undo").stdout
    assert "Withdrew claim 1" in desk.ok("undo").stdout
    assert_error(desk("undo"), "nothing to undo: tester has no change in this database that is "
                 "not undone")  # fmt: skip
    events = desk.json("history")
    assert [e["event"] for e in events][:4] == ["withdrawn", "withdrawn", "evidence_retracted",
                                                "edited"]  # fmt: skip
    assert all("undoes" in e for e in events[:4])


def test_an_undone_change_stays_in_the_history_with_what_undid_it(desk):
    desk.ok("edit", "2", "--subject", "Fold 7")
    desk.ok("undo", "--reason", "wrong claim")
    edit, back = desk.json("history", "2")[1], desk.json("history", "2")[0]
    assert back["undoes"] == edit["uid"] and back["reason"] == "wrong claim"
    assert back["changes"] == {"subject": ["Fold 7", None]}
    assert f"undoes event {edit['id']}" in desk.ok("history", "2").stdout


def test_dry_run_prints_what_would_be_undone_and_writes_nothing(desk, db_url):
    desk.ok("withdraw", "1", "2", "--reason", "test")
    counts = table_counts(db_url)
    result = desk.ok("undo", "--dry-run")
    assert result.stdout.startswith("Dry run, nothing written: undo would reverse the change "
                                    "tester made at ")  # fmt: skip
    assert "  Would restore claim 1 (" in result.stdout and "2 claims." in result.stdout
    assert table_counts(db_url) == counts
    assert desk.json("list") == []


def test_an_import_is_one_change_and_undo_reverses_all_of_it(desk, tmp_path, db_url):
    before = state(desk)
    wire = tmp_path / "wire.jsonl"
    wire.write_text(
        "".join(
            json.dumps(
                {
                    "text": f"Wire item {n}",
                    "said_on": "2025-06-03",
                    "tags": ["wire"],
                    "evidence": [{"stance": "supports", "on": "2025-06-04"}],
                }
            )
            + "\n"
            for n in range(30)
        )
        + json.dumps({"key": "fold7", "evidence": [{"stance": "confirms", "on": "2025-07-09"}]})
    )
    desk.ok("import", str(wire))
    result = desk.ok("undo")
    assert result.stdout.count("Withdrew claim") == 30 and "31 claims." in result.stdout
    assert "Retracted evidence 31 (confirms, no source, 2025-07-09) of claim 1" in result.stdout
    after = state(desk)
    assert [c for c in after if not c["withdrawn"]] == before
    assert "verified" in desk.ok("db", "verify").stdout


def test_a_command_on_many_claims_is_one_change(desk):
    desk.ok("add", "Third", "--said-on", "2025-06-01")
    before = state(desk)
    ids = desk.ok("list", "--format", "ids").stdout
    desk.ok("edit", "-", "--tag", "fold", "--subject", "Fold 7", input=ids)
    desk.ok("withdraw", "-", "--reason", "bulk", input=ids)
    assert desk.ok("undo").stdout.count("Restored") == 3
    assert desk.ok("undo").stdout.count("Edited back") == 3
    assert state(desk) == before


def test_undo_never_overwrites_a_later_change(desk):
    """A field edited since keeps its later value; evidence retracted since stays so."""
    desk.ok("edit", "2", "--subject", "Fold 7", "--tag", "price")
    desk.ok("--by", "bob", "edit", "2", "--subject", "Galaxy Z Fold 7")
    result = desk.ok("undo")
    assert "    subject: left as a later edit set it" in result.stdout
    shown = desk.json("show", "2")
    assert shown["subject"] == "Galaxy Z Fold 7" and shown["tags"] == []


def test_alices_undo_never_touches_bobs_change(desk):
    """Two actors on one claim, interleaved (on each server the tests run on)."""
    desk.ok("--by", "alice", "confirm", "fold7", "--on", "2025-07-09", "--source", "Samsung")
    desk.ok("--by", "bob", "evidence", "fold7", "supports", "--on", "2025-07-10")
    desk.ok("--by", "alice", "edit", "2", "--subject", "Fold 7")
    desk.ok("--by", "bob", "edit", "fold7", "--subject", "Galaxy Z Fold 7")
    assert "Edited back claim 2" in desk.ok("--by", "alice", "undo").stdout
    assert "Retracted evidence 1 " in desk.ok("--by", "alice", "undo").stdout
    assert_error(desk("--by", "alice", "undo"), "nothing to undo: alice")
    claim = desk.json("show", "fold7")
    assert claim["subject"] == "Galaxy Z Fold 7"
    assert [(e["id"], e["retracted"]) for e in claim["evidence"]] == [(1, True), (2, False)]
    assert "Edited back claim 1" in desk.ok("--by", "bob", "undo").stdout


def test_what_was_undone_survives_an_export_and_a_merge(desk, new_database, tmp_path):
    """The team's copy holds alice's confirm; her undo of it, made on the laptop, arrives
    in a later import: her undo there of the first import leaves that evidence alone."""
    desk.ok("--by", "alice", "confirm", "fold7", "--on", "2025-07-09")
    team = Tracker(new_database())
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    desk.ok("export", "--output", str(first))
    team.ok("--by", "alice", "import", str(first))
    desk.ok("--by", "alice", "undo")
    desk.ok("export", "--output", str(second))
    team.ok("--by", "carol", "import", str(second))
    assert (
        team.ok("db", "verify").stdout.splitlines()[-1]
        == desk.ok("db", "verify").stdout.splitlines()[-1]
    )
    retraction = team.json("history", "fold7")[0]
    assert retraction["event"] == "evidence_retracted" and retraction["undoes"]
    result = team.ok("--by", "alice", "undo")
    assert "Retracted" not in result.stdout and result.stdout.count("Withdrew") == 2
    assert [e["event"] for e in team.json("history", "fold7")].count("evidence_retracted") == 1


def test_every_kind_of_undo_round_trips_through_an_export(desk, new_database, tmp_path):
    """Undos of every kind exported, imported into an empty database and exported again:
    the same bytes, the same digest, the same claims."""
    for kind in CHANGES:
        desk.ok(*CHANGES[kind][0])
        desk.ok("undo")
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    desk.ok("export", "--format", "jsonl", "--output", str(first))
    copy = Tracker(new_database())
    copy.ok("import", str(first))
    copy.ok("export", "--format", "jsonl", "--output", str(second))
    assert second.read_bytes() == first.read_bytes()
    kinds = {e["event"] for line in first.read_text().splitlines()
             for e in json.loads(line)["history"] if "undoes" in e}  # fmt: skip
    assert kinds == {"withdrawn", "evidence_retracted", "resolution_retracted", "edited",
                     "restored", "unlinked"}  # fmt: skip
    digest = desk.ok("db", "verify").stdout.splitlines()[-1]
    assert copy.ok("db", "verify").stdout.splitlines()[-1] == digest
    assert state(copy) == state(desk)
    assert ": 0 claims, 0 evidence, 0 resolutions added;" in copy.ok("import", str(first)).stdout


def test_undo_of_a_source_rename_renames_it_back_and_a_merge_is_refused(desk):
    desk.ok("evidence", "2", "supports", "--source", "Yonhap", "--on", "2025-06-02")
    before = state(desk)
    desk.ok("source", "rename", "Yonhap", "Yonhap News Agency", "--reason", "full name")
    assert desk.json("show", "fold7")["source"] == "Yonhap News Agency"
    result = desk.ok("undo")
    assert result.stdout.splitlines()[1] == (
        '  Renamed source "Yonhap News Agency" back to "Yonhap": 1 claim and 1 piece of evidence'
    )
    assert state(desk) == before
    events = [e for e in desk.json("history") if e["event"] == "source_renamed"]
    assert [bool(e.get("undoes")) for e in events] == [True, True, False, False]
    assert "verified" in desk.ok("db", "verify").stdout

    desk.ok("source", "merge", "Jukanlosreve", "Yonhap", "--reason", "one desk")
    assert_error(desk("undo"), "this change merged two sources, which undo cannot take apart")
    assert desk.json("show", "2")["source"] == "Yonhap"  # nothing was changed


def test_a_kind_of_event_undo_does_not_know_is_refused_naming_it(desk, monkeypatch):
    from tracker.ledger import undo

    desk.ok("edit", "2", "--subject", "Fold 7")
    monkeypatch.delitem(undo.INVERSES, "edited")
    assert_error(desk("undo"), "claim 2: a edited event cannot be undone yet")


# -- the property: undo restores what the claims were before the last change -----------------

STANCES = ("confirms", "refutes", "supports", "contradicts")
EVIDENCE = st.tuples(st.sampled_from(STANCES), st.integers(1, 5), st.integers(0, 40))
# Evidence by its place among the pieces recorded so far (newest first).
RETRACT = st.tuples(st.just("retract"), st.integers(0, 3))
STEPS = st.lists(
    st.one_of(
        # First, as the most likely (and the simplest to shrink to): evidence, then its
        # retraction, then that undone, is a path most sequences take.
        EVIDENCE,
        RETRACT,
        st.tuples(st.just("add"), st.integers(0, 3)),
        st.tuples(st.just("resolve"), st.integers(1, 5),
                  st.sampled_from(["confirmed", "refuted", "disputed", "pending"]),
                  st.integers(0, 40)),
        st.tuples(st.just("edit"), st.integers(1, 5), st.sampled_from(["subject", "tag", "text",
                                                                        "expected", "hedge"])),
        st.tuples(st.just("withdraw"), st.integers(1, 5)),
        st.tuples(st.just("restore"), st.integers(1, 5)),
        st.tuples(st.just("link"), st.integers(1, 5), st.integers(1, 5)),
        st.tuples(st.just("unlink"), st.integers(1, 5), st.integers(1, 5)),
        st.tuples(st.just("bulk"), st.lists(st.integers(1, 5), min_size=1, max_size=3)),
        st.tuples(st.just("rename"), st.integers(0, 1)),
    ),
    min_size=3,
    max_size=12,
)  # fmt: skip


def _command(step: tuple, n: int, evidence: list[int]) -> list[str] | None:
    """The command a step stands for; None when it names evidence and there is none yet."""
    day = lambda offset: (datetime(2025, 3, 1) + timedelta(days=offset)).date().isoformat()  # noqa: E731
    kind = step[0]
    if kind == "add":
        return ["add", f"Claim number {n}", "--said-on", day(step[1]), "--expected", "Q4 2025",
                "--source", f"Source {step[1] % 2}"]  # fmt: skip
    if kind in STANCES:
        return ["evidence", str(step[1]), kind, "--on", day(step[2]), "--note", f"n{n}",
                "--source", f"Witness {n % 2}"]  # fmt: skip
    if kind == "resolve":
        return ["resolve", str(step[1]), step[2], "--reason", "r", "--on", day(step[3])]
    if kind == "retract":
        if not evidence:
            return None
        return ["retract", str(evidence[-1 - step[1] % len(evidence)]), "--reason", "r"]
    if kind == "edit":
        option = {"subject": ["--subject", f"S{n}"], "tag": ["--tag", f"t{n % 2}"],
                  "text": ["--text", f"Edited claim {n}"], "expected": ["--expected", "H2 2026"],
                  "hedge": ["--hedge", ["likely", "rumoured"][n % 2]]}[step[2]]  # fmt: skip
        return ["edit", str(step[1]), *option]
    if kind in ("withdraw", "restore"):
        return [kind, str(step[1]), "--reason", "r"]
    if kind in ("link", "unlink"):
        return [kind, str(step[1]), "contradicts", str(step[2]), "--reason", "r"]
    if kind == "rename":
        return ["source", "rename", f"Witness {step[1]}", f"Witness {step[1]} ({n})",
                "--reason", "r"]  # fmt: skip
    return ["edit", *map(str, step[1]), "--tag", f"bulk{n % 2}"]


EXAMPLES = {"sqlite": 15, "postgresql": 5, "mariadb": 5}  # each a fresh database and ~20 commands
EVIDENCE_ID = re.compile(r"\(evidence (\d+): ")


def test_undo_restores_the_claims_as_they_were_before_the_actors_last_change(
    backend, new_database, monkeypatch
):
    """After any sequence of commands by one actor, each undo gives back what every claim
    said (`show --format json`, history aside) before that change, back to the start."""

    @settings(
        max_examples=EXAMPLES[backend],
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(steps=STEPS)
    @example(steps=[("confirms", 1, 5), ("retract", 0), ("supports", 2, 6), ("retract", 0),
                    ("retract", 1), ("refutes", 1, 9)])  # fmt: skip
    @example(steps=[("edit", 1, "text"), ("edit", 1, "subject"), ("bulk", [1, 2]),
                    ("edit", 2, "hedge"), ("edit", 3, "expected"), ("edit", 1, "tag")])  # fmt: skip
    @example(steps=[("link", 1, 2), ("unlink", 1, 2), ("withdraw", 3), ("restore", 3), ("add", 0),
                    ("resolve", 5, "refuted", 10), ("link", 5, 4)])  # fmt: skip
    @example(steps=[("contradicts", 4, 3), ("rename", 0), ("supports", 4, 4), ("rename", 1),
                    ("resolve", 4, "confirmed", 20)])  # fmt: skip
    def undo_all(steps: list[tuple]) -> None:
        clock = PinnedClock(monkeypatch)
        clock.set("2025-06-01", "09:00")
        tracker = Tracker(new_database())
        for n in range(4):  # claims 1-4 are there to change from the start (5: one added)
            tracker.ok("add", f"Seed claim {n}", "--said-on", "2025-03-01", "--key", f"seed{n}",
                       "--by", "someone else")  # fmt: skip
        snapshots, evidence = [], []
        for n, step in enumerate(steps):
            command = _command(step, n, evidence)
            if command is None:
                continue
            before = state(tracker)
            clock.set("2025-06-01", f"{10 + n // 60:02}:{n % 60:02}")  # each change its own time
            result = tracker(*command)
            if result.exit_code == 0:
                snapshots.append(before)
                evidence.extend(int(i) for i in EVIDENCE_ID.findall(result.stdout))
        for n, before in enumerate(reversed(snapshots)):
            clock.set("2025-06-02", f"{10 + n // 60:02}:{n % 60:02}")
            tracker.ok("undo")
            after, known = state(tracker), {c["id"] for c in before}
            assert [c for c in after if c["id"] in known] == before
            assert all(c["withdrawn"] for c in after if c["id"] not in known)  # added, undone
        assert_error(tracker("undo"), "nothing to undo")  # the claims before are another's
        assert "verified" in tracker.ok("db", "verify").stdout
        assert "agree" in tracker.ok("db", "check").stdout

    undo_all()
