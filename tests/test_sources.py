"""Sources renamed and merged (design.md §7): `tracker source rename` and `source merge` as a
desk uses them, as history (exported, imported, verified), and the old name as an alias."""

from __future__ import annotations

import json

import pytest
from support import Tracker, assert_error
from test_verify import tamper, verified


def desk(tracker: Tracker) -> None:
    """The trial's GTA VI claims, from a source logged under two names, and a leaker logged
    by a short name; with repeat-tier evidence from an outlet logged twice too."""
    tracker.ok("add", "GTA VI will launch in fall 2025", "--source", "Take-Two",
               "--said-on", "2024-05-16", "--expected", "fall 2025", "--hedge", "official",
               "--key", "gta6-fall")  # fmt: skip
    tracker.ok("add", "GTA VI will not come to PC at launch", "--source", "Take-Two Interactive",
               "--said-on", "2024-12-04", "--hedge", "will", "--key", "gta6-no-pc")  # fmt: skip
    tracker.ok("add", "Galaxy S25 Edge goes on sale in April", "--source", "DCS",
               "--said-on", "2025-01-10", "--expected", "April 2025",
               "--key", "s25-edge")  # fmt: skip
    tracker.ok("refute", "gta6-fall", "--on", "2025-05-02", "--source", "Rockstar",
               "--note", "Delayed to 26 May 2026")  # fmt: skip
    tracker.ok("confirm", "gta6-no-pc", "--on", "2025-05-02", "--source", "Take-Two",
               "--note", "PS5 and Xbox Series X|S only")  # fmt: skip
    tracker.ok("evidence", "s25-edge", "supports", "--on", "2025-01-20", "--source", "GSMArena",
               "--tier", "repeat")  # fmt: skip
    tracker.ok("evidence", "gta6-no-pc", "supports", "--on", "2025-01-05",
               "--source", "gsmarena.com", "--tier", "repeat")  # fmt: skip


def sources_by_name(tracker: Tracker) -> dict[str, dict]:
    return {row["name"]: row for row in tracker.json("sources")}


def everything(tracker: Tracker) -> tuple:
    """What a user can read back: every claim shown, the history, the track records."""
    shown = [tracker.json("show", str(c["id"])) for c in tracker.json("list")]
    return shown, tracker.json("history"), tracker.json("sources")


# -- rename ---------------------------------------------------------------------------------


def test_a_rename_shows_the_new_name_everywhere_and_the_old_one_still_finds(tracker):
    desk(tracker)
    result = tracker.ok("source", "rename", "DCS", "Digital Chat Station", "--reason",
                        "his full handle")  # fmt: skip
    assert result.stdout == (
        "Renamed source 'DCS' to 'Digital Chat Station' (1 claim and 0 evidence; 1 history "
        "records it); 'DCS' still finds it\n"
    )
    claim = tracker.json("show", "s25-edge")
    assert claim["source"] == "Digital Chat Station"
    event = claim["history"][-1]
    assert (event["event"], event["changes"], event["reason"], event["actor"]) == (
        "source_renamed", {"source": ["DCS", "Digital Chat Station"]}, "his full handle", "tester"
    )  # fmt: skip
    assert event["from_status"] == event["to_status"] == "pending"
    assert "DCS -> Digital Chat Station (its source); his full handle" in tracker.ok(
        "show", "s25-edge").stdout  # fmt: skip
    assert [c["key"] for c in tracker.json("list", "--source", "dcs")] == ["s25-edge"]
    assert [c["key"] for c in tracker.json("list", "--source", "digital chat")] == ["s25-edge"]
    assert "DCS" not in sources_by_name(tracker)
    assert sources_by_name(tracker)["Digital Chat Station"]["claims"] == 1
    # A new claim naming the old name lands on the source.
    tracker.ok("add", "The S25 Edge is 5.8mm thin", "--source", "dcs", "--said-on", "2025-01-12")
    assert tracker.json("list", "--source", "DCS")[-1]["source"] == "Digital Chat Station"


def test_a_rename_of_a_source_with_evidence_only_renames_the_evidence(tracker):
    desk(tracker)
    tracker.ok("source", "rename", "Rockstar", "Rockstar Games", "--reason", "full name")
    evidence = tracker.json("show", "gta6-fall")["evidence"]
    assert [e["source"] for e in evidence] == ["Rockstar Games"]
    assert tracker.json("show", "gta6-fall")["history"][-1]["changes"] == {
        "evidence_source": ["Rockstar", "Rockstar Games"]
    }
    assert tracker.json("show", "gta6-fall")["source"] == "Take-Two"


def test_a_rename_in_case_and_a_rename_back(tracker):
    desk(tracker)
    tracker.ok("source", "rename", "dcs", "Dcs", "--reason", "as he writes it")
    assert tracker.json("show", "s25-edge")["source"] == "Dcs"
    said = tracker.json("source", "rename", "Dcs", "Digital Chat Station", "--reason", "full")
    assert said == {"event": "source_renamed", "old": "Dcs", "new": "Digital Chat Station",
                    "claims": 1, "evidence": 0, "histories": 1}  # fmt: skip
    tracker.ok("source", "rename", "digital chat station", "DCS", "--reason", "undo")
    assert tracker.json("show", "s25-edge")["source"] == "DCS"
    for name in ("dcs", "Digital Chat Station"):  # every name it has had still finds it
        assert [c["key"] for c in tracker.json("list", "--source", name)] == ["s25-edge"]
    history = tracker.json("show", "s25-edge")["history"]
    assert [e["changes"]["source"] for e in history if e["event"] == "source_renamed"] == [
        ["DCS", "Dcs"], ["Dcs", "Digital Chat Station"], ["Digital Chat Station", "DCS"]
    ]  # fmt: skip
    verified(tracker)


# -- merge ----------------------------------------------------------------------------------


def test_a_merge_gives_one_track_record(tracker):
    """Friction 5: "Take-Two" and "Take-Two Interactive" had separate track records:
    Take-Two 1 refuted (Brier 0.90), Take-Two Interactive 1 confirmed."""
    desk(tracker)
    before = sources_by_name(tracker)
    assert (before["Take-Two"]["refuted"], before["Take-Two"]["brier"]) == (
        1,
        pytest.approx(0.9025),
    )
    result = tracker.ok("source", "merge", "Take-Two", "Take-Two Interactive", "--reason",
                        "one company")  # fmt: skip
    assert result.stdout == (
        "Merged source 'Take-Two' into 'Take-Two Interactive' (1 claim and 1 evidence; 2 "
        "histories record it); 'Take-Two' now finds 'Take-Two Interactive'\n"
    )
    rows = sources_by_name(tracker)
    assert "Take-Two" not in rows
    merged = rows["Take-Two Interactive"]
    assert (merged["claims"], merged["confirmed"], merged["refuted"]) == (2, 1, 1)
    assert merged["brier"] == pytest.approx((0.9025 + 0.01) / 2)
    assert {c["source"] for c in tracker.json("list", "--source", "Take-Two")} == {
        "Take-Two Interactive"
    }
    assert [e["source"] for e in tracker.json("show", "gta6-no-pc")["evidence"]] == [
        "Take-Two Interactive", "gsmarena.com"
    ]  # fmt: skip
    last = {key: tracker.json("show", key)["history"][-1] for key in ("gta6-fall", "gta6-no-pc")}
    assert last["gta6-fall"]["changes"] == {"source": ["Take-Two", "Take-Two Interactive"]}
    assert last["gta6-no-pc"]["changes"] == {
        "evidence_source": ["Take-Two", "Take-Two Interactive"]
    }
    assert {e["event"] for e in last.values()} == {"source_merged"}
    then = [row["name"] for row in tracker.json("sources", "--as-of", "2025-06-01")]
    assert then.count("Take-Two Interactive") == 1 and "Take-Two" not in then


def test_repeats_of_two_names_of_one_outlet_count_as_one(tracker):
    desk(tracker)
    tracker.ok("resolve", "s25-edge", "confirmed", "--reason", "on sale", "--on", "2025-04-10")
    tracker.ok("source", "merge", "gsmarena.com", "GSMArena", "--reason", "one outlet")
    rows = sources_by_name(tracker)
    assert "gsmarena.com" not in rows
    assert (rows["GSMArena"]["repeated"], rows["GSMArena"]["repeat_accuracy"]) == (2, 1.0)


def test_a_merge_that_would_make_two_claims_one_is_refused(tracker):
    tracker.ok("add", "The Switch 2 costs $449", "--source", "Nintendo", "--said-on", "2025-04-02")
    tracker.ok("add", "The Switch 2 costs $449", "--source", "Nintendo of America",
               "--said-on", "2025-04-02")  # fmt: skip
    before = everything(tracker)
    assert_error(
        tracker("source", "merge", "Nintendo of America", "Nintendo", "--reason", "one"),
        "claim 2 and claim 1 would be one source's claim saying the same on the same day; "
        "give one of them a key first (tracker edit 2 --key KEY)",
    )
    assert everything(tracker) == before
    tracker.ok("edit", "2", "--key", "switch2-price-us")
    tracker.ok("source", "merge", "Nintendo of America", "Nintendo", "--reason", "one")
    assert [c["source"] for c in tracker.json("list")] == ["Nintendo", "Nintendo"]


# -- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("rename", "Rockstr", "Rockstar Games"),
         "no source is called 'Rockstr'; did you mean 'Rockstar'?"),
        (("rename", "Nobody", "X"), "no source is called 'Nobody' (`tracker sources` lists them)"),
        (("merge", "Nobody", "DCS"), "no source is called 'Nobody'"),
        (("merge", "DCS", "Nobody"), "no source is called 'Nobody'"),
        (("rename", "Take-Two", "take-two interactive"),
         "'take-two interactive' already names source 'Take-Two Interactive'; to make the two "
         "one source: tracker source merge 'Take-Two' 'Take-Two Interactive'"),
        (("merge", "DCS", "dcs"), "cannot merge a source into itself: 'DCS' and 'dcs' are the "
         "same name"),
        (("rename", "DCS", "DCS"), "nothing to change: the source is called 'DCS' already"),
        (("rename", "DCS", "  "), "source must not be empty"),
    ],
)  # fmt: skip
def test_refusals_say_why_and_change_nothing(tracker, args, message):
    desk(tracker)
    before = everything(tracker)
    assert_error(tracker("source", *args, "--reason", "r"), message)
    assert everything(tracker) == before


def test_a_source_nothing_names_any_more_has_nothing_to_rename(tracker):
    """A change of a source is history in the claims it touches: with none, it would be
    recorded nowhere (a source left behind by `edit --source`)."""
    desk(tracker)
    tracker.ok("edit", "s25-edge", "--source", "Digital Chat Station")
    for args in (("rename", "DCS", "D.C.S."), ("merge", "DCS", "Digital Chat Station")):
        what = args[0]
        assert_error(tracker("source", *args, "--reason", "r"),
                     f"no claim or evidence names source 'DCS': nothing to {what}")  # fmt: skip


def test_merging_a_former_name_into_its_source_is_merging_it_into_itself(tracker):
    desk(tracker)
    tracker.ok("source", "rename", "DCS", "Digital Chat Station", "--reason", "full name")
    assert_error(
        tracker("source", "merge", "DCS", "Digital Chat Station", "--reason", "r"),
        "cannot merge a source into itself: 'DCS' and 'Digital Chat Station' are names of "
        "'Digital Chat Station'",
    )
    assert_error(tracker("source", "rename", "DCS", "X", "--reason", ""), "reason", code=1)


# -- history: exported, imported, verified --------------------------------------------------


def renamed_and_merged(tracker: Tracker) -> None:
    desk(tracker)
    tracker.ok("source", "rename", "DCS", "Digital Chat Station", "--reason", "full name")
    tracker.ok("source", "merge", "Take-Two", "Take-Two Interactive", "--reason", "one company")
    tracker.ok("source", "rename", "Rockstar", "Rockstar Games", "--reason", "full name")
    # evidence recorded under a former name after the rename
    tracker.ok("evidence", "s25-edge", "supports", "--on", "2025-02-01", "--source", "dcs")


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_an_export_carries_them_and_a_copy_is_the_same(tracker, new_database, tmp_path, fmt):
    renamed_and_merged(tracker)
    digest = verified(tracker)
    exported = tracker.ok("export", "--format", fmt).stdout
    claims = [json.loads(line) for line in exported.splitlines()] if fmt == "jsonl" else (
        json.loads(exported)["claims"])  # fmt: skip
    fall = next(c for c in claims if c.get("key") == "gta6-fall")
    assert fall["source"] == "Take-Two Interactive"
    assert fall["evidence"][0]["source"] == "Rockstar Games"
    assert fall["evidence"][0]["source_as_recorded"] == "Rockstar"  # what its event sealed
    assert [e["event"] for e in fall["history"]][-2:] == ["source_merged", "source_renamed"]
    path = tmp_path / f"desk.{fmt}"
    path.write_text(exported, encoding="utf-8")
    copy = Tracker(new_database())
    assert copy.ok("import", str(path)).stdout == (
        f"desk.{fmt}: 3 claims, 5 evidence, 0 resolutions, 4 other changes added; "
        f"0 claims unchanged\n"
    )
    assert verified(copy) == digest
    assert copy.ok("export", "--format", fmt).stdout == exported
    assert copy.json("sources") == tracker.json("sources")
    assert [c["key"] for c in copy.json("list", "--source", "take-two")] == [
        "gta6-fall", "gta6-no-pc"
    ]  # fmt: skip
    again = copy.ok("import", str(path)).stdout
    assert " 0 claims, 0 evidence, 0 resolutions added;" in again


def test_an_import_into_another_database_renames_there_too(tracker, new_database, tmp_path):
    """A laptop renames a source the team database knows by the old name: its export
    renames it there too, for the team's own claims as well; the team's stale files,
    naming the old name, land on the new one; nothing is added twice."""
    tracker.ok("add", "iPhone 17 Air is 5.5mm thin", "--source", "Kuo", "--said-on", "2025-01-10",
               "--key", "ip17-air", "--hedge", "likely")  # fmt: skip
    tracker.ok("add", "A foldable iPhone in 2026", "--source", "kuo", "--said-on", "2025-02-01")
    team_file = tmp_path / "team.json"
    tracker.ok("export", "--output", str(team_file))
    laptop = Tracker(new_database())
    laptop.ok("import", str(team_file))
    laptop.ok("source", "rename", "Kuo", "Ming-Chi Kuo", "--reason", "full name")
    laptop.ok("confirm", "ip17-air", "--on", "2025-09-09", "--source", "kuo")
    tracker.ok("add", "Apple glasses in 2027", "--source", "KUO", "--said-on", "2025-04-01")
    laptop_file = tmp_path / "laptop.json"
    laptop.ok("export", "--output", str(laptop_file))

    added = tracker.ok("import", str(laptop_file)).stdout
    assert added == "laptop.json: 0 claims, 1 evidence, 0 resolutions, 1 other change added; 1 " \
                    "claim unchanged\n"  # fmt: skip
    assert {c["source"] for c in tracker.json("list")} == {"Ming-Chi Kuo"}
    assert [c["status"] for c in tracker.json("list", "--source", "kuo")] == [
        "confirmed", "pending", "pending"
    ]  # fmt: skip
    # The rename keeps the time it was made on the laptop, before the team added this claim:
    # in recorded order it comes first, applied to the claim by the import.
    glasses = [(e["event"], e.get("changes")) for e in tracker.json("show", "3")["history"]]
    assert glasses == [
        ("source_renamed", {"source": ["Kuo", "Ming-Chi Kuo"]}), ("created", None)
    ]  # fmt: skip
    verified(tracker)
    assert tracker.ok("import", str(laptop_file)).stdout.endswith(" added; 2 claims unchanged\n")
    assert tracker.ok("import", str(team_file)).stdout.endswith(" added; 2 claims unchanged\n")
    # Back on the laptop, the team's export adds its new claim under the new name.
    tracker.ok("export", "--output", str(team_file))
    laptop.ok("import", str(team_file))
    assert {c["source"] for c in laptop.json("list")} == {"Ming-Chi Kuo"}
    assert sorted(c["key"] or c["text"] for c in laptop.json("list")) == sorted(
        c["key"] or c["text"] for c in tracker.json("list")
    )
    verified(laptop)


def test_a_file_naming_the_old_spelling_lands_on_the_new_one(tracker, tmp_path):
    desk(tracker)
    tracker.ok("source", "merge", "Take-Two", "Take-Two Interactive", "--reason", "one company")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "text,source,said_on\n"
        "GTA VI will launch in fall 2025,take-two,2024-05-16\n"  # the stored claim, by its text
        "GTA VI costs $70,Take-Two,2025-06-01\n",
        encoding="utf-8",
    )
    assert tracker.ok("import", str(sheet)).stdout == (
        "sheet.csv: 1 claim, 0 evidence, 0 resolutions added; 1 claim unchanged\n"
    )
    assert tracker.json("list", "--search", "$70")[0]["source"] == "Take-Two Interactive"
    records = tmp_path / "more.json"
    records.write_text(json.dumps({"claims": [{"key": "gta6-no-pc", "source": "TAKE-TWO",
        "evidence": [{"stance": "supports", "on": "2025-06-02", "source": "Take-Two"}]}]}),
        encoding="utf-8")  # fmt: skip
    tracker.ok("import", str(records))
    evidence = tracker.json("show", "gta6-no-pc")["evidence"]
    assert evidence[-1]["source"] == "Take-Two Interactive"


def test_verify_names_a_rename_changed_behind_the_trackers_back(tracker, db_url):
    desk(tracker)
    tracker.ok("source", "rename", "DCS", "Digital Chat Station", "--reason", "full name")
    renamed = tracker.json("show", "s25-edge")["history"][-1]["id"]
    tamper(db_url, f"UPDATE claim_event SET reason = 'nothing' WHERE id = {renamed}")
    result = tracker("db", "verify")
    assert_error(result, "1 problem(s) in 3 claims")
    assert f"event {renamed} (source_renamed, uid " in result.stdout
