"""Claims in context (design.md §4): what actually happened, links between claims, evidence
tiers, originators and repeaters. One rumour stream, told day by day on a pinned clock,
is checked against hand-worked totals, sources and report sections, at several dates."""

from __future__ import annotations

import json

import pytest
from support import assert_error, table_counts

from tracker.cli import main
from tracker.errors import InvalidInput
from tracker.queries.sources import wilson_lower_bound

# The X1 story. Leaker One says it launches in March and uses chip A; a second article
# (Aggregator) repeats the launch claim; Leaker Two prices it, corrects the chip (chip B
# supersedes chip A) and says it comes only in black, while Leaker One said red.
STORY = [
    ("2023-01-05", ("add", "The X1 launches in March 2023", "--key", "launch", "--source",
                    "Leaker One", "--expected", "March 2023")),
    ("2023-01-05", ("add", "The X1 uses chip A", "--key", "chip-a", "--source", "Leaker One")),
    ("2023-01-06", ("add", "X1 launching in March", "--key", "launch-again", "--source",
                    "Aggregator", "--expected", "March 2023")),
    ("2023-01-10", ("add", "The X1 costs $799", "--key", "price", "--source", "Leaker Two")),
    ("2023-01-10", ("add", "The X1 comes in red", "--key", "red", "--source", "Leaker One")),
    ("2023-01-12", ("add", "The X1 comes only in black", "--key", "black", "--source",
                    "Leaker Two")),
    ("2023-01-12", ("link", "black", "contradicts", "red", "--reason", "Only black, or red?")),
    ("2023-01-15", ("link", "price", "depends-on", "launch")),
    ("2023-02-01", ("add", "The X1 uses chip B", "--key", "chip-b", "--source", "Leaker Two")),
    ("2023-02-01", ("link", "chip-b", "supersedes", "chip-a")),
    ("2023-02-01", ("link", "launch-again", "duplicates", "launch", "--reason", "Same leak")),
    ("2023-02-02", ("evidence", "launch", "supports", "--source", "Repeater News", "--tier",
                    "repeat")),
    ("2023-02-02", ("evidence", "chip-b", "supports", "--source", "Repeater News", "--tier",
                    "repeat")),
    ("2023-04-01", ("refute", "launch", "--source", "Maker", "--tier", "official", "--actual",
                    "Launched 18 April 2023")),
    ("2023-04-10", ("confirm", "chip-b", "--source", "Maker", "--tier", "official")),
    ("2023-04-10", ("refute", "chip-a", "--source", "Maker", "--tier", "official", "--actual",
                    "Chip B")),
    ("2023-04-10", ("confirm", "red", "--source", "Maker", "--note", "A red model")),
    ("2023-04-10", ("confirm", "black", "--source", "Maker", "--note", "A black model")),
]  # fmt: skip


@pytest.fixture
def story(tracker, pinned_clock):
    for day, command in STORY:
        pinned_clock.set(day)
        tracker.ok(*command, *(("--said-on", day) if command[0] == "add" else ()))
    pinned_clock.set("2023-04-30")
    return tracker


def ids(tracker) -> dict[str, int]:
    claims = tracker.json("list") + tracker.json("list", "--duplicates")
    return {c["key"]: c["id"] for c in claims}


def test_sources_count_originators_once_and_repeaters_apart(story):
    rows = story.json("sources")
    empty = {"pending": 0, "confirmed": 0, "refuted": 0, "disputed": 0, "overdue": 0}
    assert rows == [
        {"name": "Leaker Two", "claims": 3, **empty, "pending": 1, "confirmed": 2,
         "accuracy": 1.0, "accuracy_low": pytest.approx(wilson_lower_bound(2, 2)), "brier": None,
         "originated": 3, "repeated": 0, "repeat_accuracy": None},
        {"name": "Leaker One", "claims": 3, **empty, "confirmed": 1, "refuted": 2,
         "accuracy": pytest.approx(1 / 3), "accuracy_low": pytest.approx(wilson_lower_bound(1, 3)),
         "brier": None, "originated": 3, "repeated": 0, "repeat_accuracy": None},
        # Never made a claim: ranked apart, by how often what it repeated came true.
        {"name": "Repeater News", "claims": 0, **empty, "accuracy": None, "accuracy_low": None,
         "brier": None, "originated": 0, "repeated": 2, "repeat_accuracy": 0.5},
    ]  # fmt: skip
    # Aggregator's only claim duplicates Leaker One's: the launch counts once, as his.
    assert "Aggregator" not in {r["name"] for r in rows}


def test_report_totals_moot_and_conflicts(story):
    n = ids(story)
    report = story.json("report")
    assert report["totals"] == {
        "pending": 1, "confirmed": 3, "refuted": 2, "disputed": 0, "overdue": 0,
    }  # fmt: skip
    assert [c["id"] for c in report["pending"]] == [n["price"]]
    march = {c["key"]: c["lean"] for c in story.json("report", "--as-of", "2023-03-01")["pending"]}
    assert march["launch"] == 0  # Repeater News only passed it on: no lean
    assert [(c["id"], c["depends_on"]) for c in report["moot"]] == [
        (n["price"], [{"claim_id": n["launch"], "key": "launch",
                       "text": "The X1 launches in March 2023", "status": "refuted",
                       "actual": "Launched 18 April 2023"}]),
    ]  # fmt: skip
    assert [(p["claim"]["id"], p["other"]["id"]) for p in report["conflicts"]] == [
        (n["black"], n["red"])
    ]
    assert [p["claim"]["status"] for p in report["conflicts"]] == ["confirmed"]
    assert report["more"]["moot"] == report["more"]["conflicts"] == 0
    resolved = {c["key"]: c["actual"] for c in report["recently_resolved"]}
    assert resolved == {
        "launch": "Launched 18 April 2023", "chip-a": "Chip B", "chip-b": None, "red": None,
        "black": None,
    }  # fmt: skip
    text = story.ok("report").stdout
    assert "Moot: pending, but depends on a refuted claim" in text
    assert "Conflicts: contradicting claims both confirmed" in text
    assert "→ actually: Launched 18 April 2023" in text
    markdown = story.ok("report", "--format", "markdown").stdout
    assert "## Moot: pending, but depends on a refuted claim" in markdown
    assert "| ID | Status | Source | Claim | Why |" in markdown
    page = story.ok("report", "--format", "html", "--output", "-").stdout
    assert "<h2>Conflicts: contradicting claims both confirmed</h2>" in page
    assert '<div class="actual">Actually: Launched 18 April 2023</div>' in page


def test_as_of_reads_the_links_and_outcomes_of_that_date(story):
    before_duplicate = story.json("report", "--as-of", "2023-01-20")
    assert before_duplicate["totals"]["pending"] == 6  # the duplicate not yet linked
    assert before_duplicate["moot"] == [] and before_duplicate["conflicts"] == []
    sources = {r["name"]: r["claims"] for r in story.json("sources", "--as-of", "2023-01-20")}
    assert sources == {"Leaker One": 3, "Aggregator": 1, "Leaker Two": 2}
    after = story.json("report", "--as-of", "2023-02-05")
    assert after["totals"]["pending"] == 6  # chip B said, the duplicate set aside
    assert "Aggregator" not in {r["name"] for r in story.json("sources", "--as-of", "2023-02-05")}
    assert after["moot"] == []  # the launch is not refuted yet
    moot_day = story.json("report", "--as-of", "2023-04-02")
    assert [c["key"] for c in moot_day["moot"]] == ["price"]
    assert moot_day["conflicts"] == []  # neither colour confirmed yet
    shown = story.json("show", "launch", "--as-of", "2023-01-20")
    assert [(link["kind"], link["direction"], link["key"]) for link in shown["links"]] == [
        ("depends-on", "in", "price")
    ]
    assert shown["actual"] is None and shown["status"] == "pending"


def test_show_lists_a_link_on_both_claims_and_unlink_ends_it(story, pinned_clock):
    n = ids(story)
    launch = story.json("show", "launch")
    assert launch["actual"] == "Launched 18 April 2023"
    handle = {key: story.json("show", key)["handle"] for key in n}
    assert launch["links"] == [
        {"kind": "duplicates", "direction": "in", "claim_id": n["launch-again"],
         "handle": handle["launch-again"], "key": "launch-again", "text": "X1 launching in March",
         "status": "pending", "withdrawn": False},
        {"kind": "depends-on", "direction": "in", "claim_id": n["price"],
         "handle": handle["price"], "key": "price", "text": "The X1 costs $799",
         "status": "pending", "withdrawn": False},
    ]  # fmt: skip
    assert story.json("show", "launch-again")["links"] == [
        {"kind": "duplicates", "direction": "out", "claim_id": n["launch"],
         "handle": handle["launch"], "key": "launch", "text": "The X1 launches in March 2023",
         "status": "refuted", "withdrawn": False},
    ]  # fmt: skip
    text = story.ok("show", "launch").stdout
    assert "Actually:   Launched 18 April 2023" in text
    assert "duplicated by  " in text and "needed by  " in text
    assert "official" in text  # the tier column, since some evidence has one

    pinned_clock.set("2023-05-03")
    result = story.ok("unlink", "launch-again", "duplicates", "launch", "--reason", "Other X1")
    again = story.json("show", "launch-again")
    assert result.stdout == (
        f'Unlinked: claim {n["launch-again"]} ({again["handle"]}) "X1 launching in March" no '
        f'longer duplicates claim 1 ({launch["handle"]}) "The X1 launches in March 2023"\n'
    )
    assert story.json("report")["totals"]["pending"] == 2  # counts again from today
    assert story.json("report", "--as-of", "2023-05-02")["totals"]["pending"] == 1
    events = [(e["event"], e.get("changes")) for e in story.json("history", str(n["launch-again"]))]
    assert events[:2] == [
        ("unlinked", {"kind": "duplicates", "claim": story.json("show", "launch")["uid"]}),
        ("linked", {"kind": "duplicates", "claim": story.json("show", "launch")["uid"]}),
    ]


def test_link_mistakes_are_refused_and_change_nothing(story, db_url):
    before = table_counts(db_url)
    assert_error(story("link", "red", "contradicts", "red"), "claim 5 cannot be linked to itself")
    assert_error(story("link", "black", "contradicts", "red"),
                 "claim 6 already contradicts claim 5")  # fmt: skip
    assert_error(story("link", "red", "contradicts", "black"),
                 "claim 6 already contradicts claim 5")  # fmt: skip
    assert_error(story("unlink", "red", "supersedes", "black", "--reason", "r"),
                 "claim 5 does not supersede claim 6")  # fmt: skip
    assert_error(story("link", "red", "copies", "black"), "unknown link kind 'copies'", code=2)
    assert_error(story("link", "red", "duplicates", "nope"), "no claim")
    assert_error(story("unlink", "red", "duplicates", "black"), "--reason", code=2)
    assert_error(story("evidence", "red", "supports", "--actual", "x"),
                 "what actually happened is said by a step that decides the claim")  # fmt: skip
    assert_error(story("evidence", "red", "supports", "--tier", "rumour"), "unknown tier", code=2)
    assert_error(
        story("confirm", "price", "--source", "Echo", "--tier", "repeat"),
        "repeat-tier evidence only passes a claim on: it cannot confirm or refute it",
    )
    assert table_counts(db_url) == before


def test_links_stay_one_per_pair_point_backwards_and_never_loop(story, pinned_clock, db_url):
    n = ids(story)
    before = table_counts(db_url)
    assert_error(
        story("link", "chip-a", "contradicts", "chip-b"),
        f"claim {n['chip-b']} already supersedes claim {n['chip-a']}; unlink that first",
    )
    assert_error(
        story("link", "chip-a", "duplicates", "price"),
        f"claim {n['chip-a']} was said before claim {n['price']} (2023-01-05, "
        f"2023-01-10): the later one duplicates the earlier (tracker link "
        f"{n['price']} duplicates {n['chip-a']})",
    )
    story.ok("add", "X1 in March, says a third", "--key", "third", "--said-on", "2023-01-06")
    story.ok("add", "X1 in March, says a fourth", "--key", "fourth", "--said-on", "2023-01-07")
    n = ids(story)
    story.ok("link", "third", "supersedes", "launch")
    story.ok("link", "fourth", "supersedes", "third")
    assert_error(
        story("link", "launch", "supersedes", "fourth"),
        f"claim {n['fourth']} already leads back to claim "
        f"{n['launch']} through 'supersedes' links: this one would close a loop",
    )
    story.ok("withdraw", "third", "--reason", "mistake")
    assert_error(story("link", "red", "contradicts", "third"),
                 f"claim {n['third']} is withdrawn; restore it to link it")  # fmt: skip
    assert table_counts(db_url)["claim_link"] == before["claim_link"] + 2


def test_a_date_correction_keeps_the_duplicate_the_later_claim(story):
    n = ids(story)
    result = story("edit", "launch-again", "--said-on", "2023-01-04", "--reason", "typo")
    assert_error(result, f"claim {n['launch-again']} duplicates claim {n['launch']}, and the "
                 f"original must not be said after its duplicate (claim {n['launch']} was said "
                 "on 2023-01-05); unlink them first")  # fmt: skip
    result = story("edit", "launch", "--said-on", "2023-01-07", "--reason", "typo")
    assert_error(result, f"(claim {n['launch-again']} was said on 2023-01-06)")
    story.ok("edit", "launch-again", "--said-on", "2023-01-05", "--reason", "same day is fine")


def test_a_duplicate_of_a_withdrawn_claim_counts_again(story):
    assert "Aggregator" not in {r["name"] for r in story.json("sources")}
    story.ok("withdraw", "launch", "--reason", "logged by mistake")
    assert {r["name"]: r["claims"] for r in story.json("sources")}["Aggregator"] == 1
    assert [c["key"] for c in story.json("list", "--duplicates")] == []
    assert "launch-again" in [c["key"] for c in story.json("list")]
    shown = story.json("show", "launch-again")["links"]
    assert [(link["key"], link["withdrawn"]) for link in shown] == [("launch", True)]
    assert "refuted (withdrawn)" in story.ok("show", "launch-again").stdout


def test_list_leaves_duplicates_out_unless_asked(story):
    keys = [c["key"] for c in story.json("list")]
    assert "launch-again" not in keys and "launch" in keys
    assert [c["key"] for c in story.json("list", "--duplicates")] == ["launch-again"]
    assert [c["key"] for c in story.json("list", "--duplicates", "--as-of", "2023-01-20")] == []
    assert "launch-again" in [c["key"] for c in story.json("list", "--as-of", "2023-01-20")]
    history = story.ok("history", "launch-again").stdout
    assert f"duplicates claim {ids(story)['launch']}" in history
    shape = story.json("history", "launch-again")[0]
    assert shape["linked_claim_id"] == ids(story)["launch"]


def test_a_source_that_only_repeats_has_a_row_before_anything_is_decided(tracker):
    tracker.ok("add", "It ships in May", "--key", "may", "--said-on", "2024-01-10")
    tracker.ok("evidence", "may", "supports", "--source", "Echo", "--tier", "repeat", "--on",
               "2024-01-11")  # fmt: skip
    (row,) = tracker.json("sources")
    assert (row["name"], row["originated"], row["repeated"], row["repeat_accuracy"]) == (
        "Echo", 0, 0, None,
    )  # fmt: skip
    assert tracker.json("sources", "--as-of", "2024-01-10") == []


def test_the_ledger_reads_and_checks_tier_and_actual_whoever_calls_it(tracker, db_url, tmp_path):
    """The tier and actual rules are the ledger's: the domain API meets them in any case of
    the words (`CONFIRMS` was stored as confirming repeat-tier evidence), and so do files."""
    from datetime import date

    from tracker.commands.evidence import NewEvidence, add_evidence, resolve
    from tracker.db.database import Database
    from tracker.db.urls import resolve_url

    tracker.ok("add", "It ships in May", "--key", "may", "--said-on", "2024-01-10")
    database, today = Database(resolve_url(db_url)), date(2024, 6, 1)

    def evidence(stance: str, **given: str):
        new = NewEvidence(stance, source="Echo", on=date(2024, 1, 11), **given)
        return database.run(lambda s: add_evidence(s, "may", new, actor="t", today=today),
                            write=True)  # fmt: skip

    before = table_counts(db_url)
    for stance, given in (("CONFIRMS", {"tier": "repeat"}), ("Refutes", {"tier": "Repeat"}),
                          ("SUPPORTS", {"actual": "it shipped"}), ("leans", {})):  # fmt: skip
        with pytest.raises(InvalidInput):
            evidence(stance, **given)
    with pytest.raises(InvalidInput, match="decides the claim"):
        database.run(lambda s: resolve(s, "may", "Pending", reason="r", on=None, actor="t",
                                       today=today, actual="x"), write=True)  # fmt: skip
    assert table_counts(db_url) == before
    evidence("CONFIRMS", tier="LEAK", actual="It shipped on 14 May")
    shown = tracker.json("show", "may")
    assert (shown["status"], shown["actual"]) == ("confirmed", "It shipped on 14 May")
    assert [(e["stance"], e["tier"]) for e in shown["evidence"]] == [("confirms", "leak")]
    database.dispose()

    repeat = {"stance": "Confirms", "on": "2024-02-01", "tier": "Repeat"}
    record = {"key": "june", "text": "It ships in June", "said_on": "2024-01-10",
              "evidence": [repeat]}  # fmt: skip
    (tmp_path / "f.json").write_text(json.dumps({"claims": [record]}))
    assert_error(
        tracker("import", str(tmp_path / "f.json")),
        "evidence 1: field 'tier': repeat-tier evidence only passes a claim on",
    )


def test_actual_is_only_for_a_decided_claim(tracker):
    tracker.ok("add", "It is called the 12 Ultra", "--key", "name", "--said-on", "2022-05-23")
    assert_error(tracker("resolve", "name", "pending", "--reason", "r", "--actual", "x"),
                 "what actually happened is said by a step that decides the claim: confirms or "
                 "refutes evidence, or a resolution as confirmed or refuted")  # fmt: skip
    tracker.ok("confirm", "name", "--on", "2022-06-01", "--actual", "12 Ultra")
    tracker.ok("refute", "name", "--on", "2022-06-02", "--actual", "12S Ultra")
    disputed = tracker.json("show", "name")
    assert (disputed["status"], disputed["actual"]) == ("disputed", None)
    result = tracker.ok("resolve", "name", "refuted", "--reason", "r", "--on", "2022-05-30")
    assert result.stdout == (
        f'Claim 1 ({disputed["handle"]}) "It is called the 12 Ultra": still disputed (resolved '
        "as refuted, but a later step decides the status)\n"
    )


def test_actual_follows_the_step_that_set_the_status(tracker, pinned_clock):
    pinned_clock.set("2022-08-01")
    tracker.ok("add", "It is called the 12 Ultra", "--key", "name", "--said-on", "2022-05-23")
    tracker.ok("refute", "name", "--on", "2022-06-28", "--actual", "Xiaomi 12S Ultra")
    tracker.ok("refute", "name", "--on", "2022-07-04", "--source", "Xiaomi")  # adds no word
    assert tracker.json("show", "name")["actual"] == "Xiaomi 12S Ultra"
    evidence = tracker.json("show", "name")["evidence"]
    tracker.ok("retract", str(evidence[0]["id"]), "--reason", "wrong page")
    assert tracker.json("show", "name")["actual"] is None  # the one left said nothing
    tracker.ok("resolve", "name", "refuted", "--reason", "launch", "--actual", "12S Ultra")
    assert tracker.json("show", "name")["actual"] == "12S Ultra"
    tracker.ok("resolve", "name", "pending", "--reason", "reopened")
    assert tracker.json("show", "name")["actual"] is None  # a new status starts afresh
    assert tracker.json("show", "name", "--as-of", "2022-07-01")["actual"] is None
    assert tracker.ok("db", "verify").exit_code == 0 and tracker.ok("db", "check")


def test_export_import_keeps_every_link_tier_and_actual(story, new_database):
    exported = story.ok("export").stdout
    assert '"tier": "repeat"' in exported and '"actual": "Chip B"' in exported
    copy = type(story)(new_database())
    assert copy("import", "-", "--format", "json", input=exported).exit_code == 0
    assert copy.ok("export").stdout == exported
    assert copy.json("sources") == story.json("sources")
    assert copy.json("report") == story.json("report")
    assert copy.json("report", "--as-of", "2023-04-02") == story.json(
        "report", "--as-of", "2023-04-02"
    )
    assert (
        copy.ok("db", "verify").stdout.split("digest ")[1]
        == story.ok("db", "verify").stdout.split("digest ")[1]
    )
    again = copy("import", "-", "--format", "json", input=exported)
    assert again.exit_code == 0, again.output
    assert "0 claims, 0 evidence, 0 resolutions added" in again.stdout


def test_a_link_may_name_a_claim_later_in_the_file(story, new_database, monkeypatch):
    from tracker.io import importer

    monkeypatch.setattr(importer, "BATCH", 1)  # each claim its own batch: a forward link
    claims = json.loads(story.ok("export").stdout)["claims"]
    claims.reverse()  # every link now names a claim further down the file
    copy = type(story)(new_database())
    copy.ok("import", "-", "--format", "json", input=json.dumps({"claims": claims}))
    assert copy.json("sources") == story.json("sources")


def test_a_link_to_a_claim_nowhere_is_refused(story, new_database):
    claims = json.loads(story.ok("export").stdout)["claims"]
    kept = [c for c in claims if c["key"] != "launch"]
    copy = type(story)(new_database())
    result = copy("import", "-", "--format", "json", input=json.dumps({"claims": kept}))
    assert_error(result, "in the file: claim", "is linked to claim uid", "neither stored nor")
    assert table_counts(copy.url)["claim"] == 0


def logged_apart(tracker, new_database, *, b_said_on: str):
    """Claims a and b logged in `tracker`'s database and in another, each with its own uids."""
    claims = '[[claims]]\nkey = "a"\ntext = "A"\nsaid_on = 2024-01-10\n' + (
        f'[[claims]]\nkey = "b"\ntext = "B"\nsaid_on = {b_said_on}\n'
    )
    other = type(tracker)(new_database())
    for db in (tracker, other):
        db.ok("import", "-", "--format", "toml", input=claims)
    return other


def test_merging_histories_that_would_break_the_link_rules_is_refused(tracker, new_database):
    """Two databases each link the same pair their own way: the merge would hold two links
    between them, or a loop; the import is refused whole, naming the links."""
    other = logged_apart(tracker, new_database, b_said_on="2024-01-10")
    tracker.ok("link", "b", "duplicates", "a")
    other.ok("link", "a", "duplicates", "b")
    before = table_counts(other.url)
    result = other("import", "-", "--format", "json", input=tracker.ok("export").stdout)
    assert_error(result, "in the file: claim 1 duplicates claim 2 and claim 2 duplicates claim "
                 "1: two claims hold one link at a time; unlink one of them first")  # fmt: skip
    assert table_counts(other.url) == before


def test_a_link_names_a_claim_this_database_knows_by_its_key(tracker, new_database):
    """The same keys, different uids (logged twice, apart): the file's link finds the claim."""
    other = logged_apart(tracker, new_database, b_said_on="2024-01-11")
    tracker.ok("link", "b", "duplicates", "a")
    other.ok("import", "-", "--format", "json", input=tracker.ok("export").stdout)
    assert [link["key"] for link in other.json("show", "a")["links"]] == ["b"]
    assert other.ok("db", "check").exit_code == 0


def test_db_check_finds_caches_that_disagree_with_history(story, db_url):
    from sqlalchemy import create_engine, text

    from tracker.db.urls import resolve_url

    assert story.ok("db", "check").exit_code == 0
    n = ids(story)
    engine = create_engine(resolve_url(db_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE claim SET actual = 'rewritten' WHERE claim.key = 'chip-b'"))
        conn.execute(text("DELETE FROM claim_link WHERE kind = 'duplicates'"))
    engine.dispose()
    result = story("db", "check")
    assert result.exit_code == 1
    assert f"claim {n['chip-b']}: stored actual 'rewritten', its history replays to None" in (
        result.output
    )
    assert f"claim {n['launch-again']}: its stored links differ from its link events' replay" in (
        result.output
    )


def test_a_copy_of_evidence_must_keep_its_tier_and_actual(story, new_database):
    exported = json.loads(story.ok("export").stdout)
    copy = type(story)(new_database())
    copy.ok("import", "-", "--format", "json", input=json.dumps(exported))
    launch = next(c for c in exported["claims"] if c["key"] == "launch")
    launch["evidence"][-1]["tier"] = "leak"
    result = copy("import", "-", "--format", "json", input=json.dumps(exported))
    assert_error(result, "field 'tier' differs from stored evidence")


def test_a_claim_that_depends_on_a_duplicate_is_moot_when_it_is_refuted(story, pinned_clock):
    n = ids(story)
    story.ok("add", "A case for the X1", "--key", "case", "--said-on", "2023-04-30")
    story.ok("link", "case", "depends-on", "launch-again")
    story.ok("refute", "launch-again", "--source", "Maker")
    assert [c["key"] for c in story.json("report")["moot"]] == ["price", "case"]
    withdrawn = story.json("list", "--withdrawn")
    assert withdrawn == []
    story.ok("withdraw", "launch-again", "--reason", "mistake")
    assert [c["id"] for c in story.json("list", "--withdrawn")] == [n["launch-again"]]


# -- import from standard input ---------------------------------------------------------------


def test_import_reads_standard_input_with_a_format(tracker):
    document = '[[claims]]\ntext = "It ships in May"\nsaid_on = 2024-01-10\nquote = "It ships."\n'
    result = tracker("import", "-", "--format", "toml", input=document)
    assert result.stdout == "stdin: 1 claim, 0 evidence, 0 resolutions added; 0 claims unchanged\n"
    assert tracker.json("show", "1")["quote"] == "It ships."
    assert "Quote:      “It ships.”" in tracker.ok("show", "1").stdout
    assert_error(tracker("import", "-", input=document),
                 "--format is needed to read standard input ('-')", code=2)  # fmt: skip
    assert_error(tracker("import", "-", "-", "--format", "toml", input=document),
                 "standard input ('-') can be read once", code=2)  # fmt: skip
    assert_error(tracker("import", "-", "--format", "json", input=""), "stdin: the file is empty")
    assert_error(tracker("import", "-", "--format", "toml", input="x"), "stdin: invalid TOML")


def test_a_stored_quote_is_kept_and_a_different_one_refused(tracker):
    base = '[[claims]]\nkey = "k"\ntext = "It ships in May"\nsaid_on = 2024-01-10\n'
    tracker.ok("import", "-", "--format", "toml", input=base)
    tracker.ok("import", "-", "--format", "toml", input=base + 'quote = "It ships."\n')
    assert tracker.json("show", "k")["quote"] == "It ships."  # filled in
    result = tracker("import", "-", "--format", "toml", input=base + 'quote = "Other."\n')
    assert_error(result, "field 'quote' differs from stored claim 1")


def test_link_and_unlink_are_in_help():
    from click.testing import CliRunner

    out = CliRunner().invoke(main, ["link", "--help"]).output
    assert "duplicates, supersedes, depends-on or" in out
