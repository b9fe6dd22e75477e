"""Identity and moving data (design.md §6): uids, a lossless export, merges, one set of rules.

Each test here is a failure found by trying the first wave as a user would; each
runs on SQLite and, given a URL, PostgreSQL (and one goes from one to the other).
"""

from __future__ import annotations

import json
import random

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from support import Tracker, assert_error

from tracker.db.database import Database
from tracker.db.urls import resolve_url
from tracker.rules.identity import is_uid

IDS = {"id", "claim_id", "evidence_id"}


def without_ids(value):
    """A JSON value with the database's own integer ids left out (uids stay)."""
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k not in IDS}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def shown(tracker: Tracker) -> dict[str, dict]:
    """Every claim as `show --format json` prints it, by uid, without integer ids."""
    return {
        claim["uid"]: without_ids(tracker.json("show", str(claim["id"])))
        for claim in tracker.json("list")
    }


def copy(source: Tracker, target: Tracker, tmp_path, fmt: str = "json") -> str:
    """Export `source`, import the file into `target`; returns the export."""
    exported = source.ok("export", "--format", fmt).stdout
    path = tmp_path / f"export-{random.getrandbits(32)}.{fmt}"
    path.write_text(exported, encoding="utf-8")
    target.ok("import", str(path))
    return exported


@pytest.fixture
def other(new_database) -> Tracker:
    return Tracker(new_database())


# -- uids ---------------------------------------------------------------------------------------


def test_uids_are_version_7_and_increase_within_a_process():
    import time
    import uuid

    from tracker.rules.identity import new_uid

    made = [new_uid() for _ in range(20_000)]  # many per millisecond
    assert made == sorted(made) and len(set(made)) == len(made)
    parsed = uuid.UUID(made[0])
    assert (parsed.version, parsed.variant) == (7, uuid.RFC_4122) and str(parsed) == made[0]
    assert abs((parsed.int >> 80) - time.time() * 1000) < 60_000  # dated now, in milliseconds
    assert all(is_uid(uid) for uid in made[:100])
    assert not is_uid(made[0].upper()) and not is_uid(made[0][:-1])


# -- the round trip that lost a confirmation ------------------------------------------------


def test_the_reported_round_trip_keeps_every_piece_of_evidence(tracker, other, tmp_path):
    """Two same-day confirmations that differ only in their note are two pieces of evidence:
    retracting one leaves the claim confirmed, here and in any copy."""
    tracker.ok("add", "Galaxy S24 will use Exynos in Europe", "--source", "Ice Universe",
               "--said-on", "2023-08-01", "--key", "s24-exy")  # fmt: skip
    tracker.ok("confirm", "s24-exy", "--on", "2024-01-17", "--source", "Samsung",
               "--note", "first entry, wrong note")  # fmt: skip
    tracker.ok("confirm", "s24-exy", "--on", "2024-01-17", "--source", "Samsung",
               "--note", "Unpacked: Exynos 2400 in Europe")  # fmt: skip
    tracker.ok("--by", "editor", "retract", "1", "--reason", "duplicate with wrong note")
    assert tracker.json("show", "s24-exy")["status"] == "confirmed"

    exported = copy(tracker, other, tmp_path)
    copied = other.json("show", "s24-exy")
    assert copied["status"] == "confirmed"
    assert [(e["note"], e["retracted"]) for e in copied["evidence"]] == [
        ("first entry, wrong note", True), ("Unpacked: Exynos 2400 in Europe", False),
    ]  # fmt: skip
    retraction = copied["history"][-1]
    assert (retraction["actor"], retraction["reason"]) == ("editor", "duplicate with wrong note")
    assert other.ok("export").stdout == exported
    assert shown(other) == shown(tracker)


def build(tracker: Tracker) -> None:
    """Every kind of event, by several people, with same-day evidence of one source."""
    tracker.ok("seed")
    tracker.ok("--by", "ann", "add", "The tablet launches in Q3", "--key", "tablet",
               "--source", "Leaker", "--said-on", "2024-01-05", "--expected", "Q3 2024",
               "--article-url", "https://example.com/tablet", "--tag", "tablet")  # fmt: skip
    tracker.ok("--by", "bob", "add", "A keyless claim", "--said-on", "2024-01-05",
               "--source", "Leaker", "--hedge", "likely")  # fmt: skip
    tracker.ok("--by", "cat", "evidence", "tablet", "supports", "--on", "2024-03-01",
               "--source", "Case maker", "--note", "a listing")  # fmt: skip
    tracker.ok("evidence", "tablet", "supports", "--on", "2024-03-01", "--source", "Case maker",
               "--note", "a second listing")  # fmt: skip
    tracker.ok("confirm", "tablet", "--on", "2024-08-01", "--source", "Example")
    tracker.ok("refute", "tablet", "--on", "2024-08-02", "--note", "A mistake")
    tracker.ok("--by", "dan", "retract", "8", "--reason", "the report was wrong")
    tracker.ok("--by", "eve", "edit", "tablet", "--subject", "Tablet", "--expected", "Q4 2024",
               "--tag", "leak", "--untag", "tablet", "--reason", "moved")  # fmt: skip
    tracker.ok(
        "--by", "fay", "resolve", "6", "refuted", "--reason", "by hand", "--on", "2024-02-01"
    )
    tracker.ok("confirm", "6", "--on", "2024-02-01")


def test_a_copy_shows_every_claim_exactly_as_the_original(tracker, other, tmp_path):
    """Edits, retractions (who and why), resolutions, and each `created` event's actor and
    time: export -> import into an empty database -> export gives the same bytes, and every
    `show --format json` is equal apart from integer ids."""
    build(tracker)
    exported = copy(tracker, other, tmp_path)
    assert other.ok("export").stdout == exported
    assert (
        other.ok("export", "--format", "jsonl").stdout
        == tracker.ok("export", "--format", "jsonl").stdout
    )
    original = shown(tracker)
    assert shown(other) == original
    tablet = next(c for c in original.values() if c["key"] == "tablet")
    assert [(e["event"], e["actor"]) for e in tablet["history"]] == [
        ("created", "ann"), ("evidence_added", "cat"), ("evidence_added", "tester"),
        ("evidence_added", "tester"), ("evidence_added", "tester"),
        ("evidence_retracted", "dan"), ("edited", "eve"),
    ]  # fmt: skip
    assert tablet["history"][-1]["changes"]["tags"] == [["tablet"], ["leak"]]
    assert other.ok("db", "check").exit_code == 0
    path = tmp_path / "again.json"
    path.write_text(exported, encoding="utf-8")
    again = other.ok("import", str(path)).stdout
    assert " 0 claims, 0 evidence, 0 resolutions added;" in again


def test_every_json_shape_carries_uids(tracker):
    build(tracker)
    claim = tracker.json("show", "tablet")
    assert is_uid(claim["uid"])
    for item in claim["evidence"]:
        assert is_uid(item["uid"]) and item["claim_uid"] == claim["uid"]
    for event in claim["history"]:
        assert is_uid(event["uid"]) and event["claim_uid"] == claim["uid"]
        if event["evidence_id"] is not None:
            uids = {e["id"]: e["uid"] for e in claim["evidence"]}
            assert event["evidence_uid"] == uids[event["evidence_id"]]
        else:
            assert event["evidence_uid"] is None
    assert [c["uid"] for c in tracker.json("list")][-2] == claim["uid"]
    assert {e["uid"] for e in tracker.json("history", "tablet")} == {
        e["uid"] for e in claim["history"]
    }
    uids = [claim["uid"]] + [e["uid"] for e in claim["evidence"] + claim["history"]]
    assert len(set(uids)) == len(uids)


# -- merging a laptop's file into the team's database --------------------------------------------


def merge_check(laptop: Tracker, team: Tracker, tmp_path) -> None:
    """The laptop's export, imported into the team database, adds what the team lacks."""
    copy(laptop, team, tmp_path)  # the team starts from the laptop's early state...
    laptop.ok("confirm", "6", "--on", "2024-03-01", "--note", "later, on the laptop")
    laptop.ok("--by", "gus", "edit", "tablet", "--subject", "Tablet S", "--reason", "named")
    laptop.ok("add", "Only on the laptop", "--said-on", "2024-04-01", "--key", "laptop-only")
    team.ok("add", "Only on the team", "--said-on", "2024-04-02", "--key", "team-only")
    team.ok("evidence", "tablet", "contradicts", "--on", "2024-05-01", "--note", "team's doubt")

    result = team.ok("import", str(_written(tmp_path, laptop.ok("export").stdout)))
    # Added: the laptop's new claim, evidence and edit. Unchanged: the 4 of the laptop's
    # 6 earlier claims that gained neither the evidence nor the edit.
    assert result.stdout.endswith(
        ": 1 claim, 1 evidence, 0 resolutions, 1 other change added; 4 claims unchanged\n"
    ), result.stdout
    merged = shown(team)
    laptop_view = shown(laptop)
    assert set(merged) == set(laptop_view) | {
        c["uid"] for c in team.json("list") if c["key"] == "team-only"
    }
    tablet = next(c for c in merged.values() if c["key"] == "tablet")
    assert tablet["subject"] == "Tablet S"
    assert [e["note"] for e in tablet["evidence"]][-1] == "team's doubt"
    assert merged[next(u for u, c in laptop_view.items() if c["key"] is None)]["status"] == (
        "disputed"
    )
    assert team.ok("db", "check").exit_code == 0  # every status is the replay of the union
    again = team.ok("import", str(_written(tmp_path, laptop.ok("export").stdout)))
    assert " 0 claims, 0 evidence, 0 resolutions added;" in again.stdout


def _written(tmp_path, content: str):
    path = tmp_path / f"file-{random.getrandbits(32)}.json"
    path.write_text(content, encoding="utf-8")
    return path


def test_a_partial_copy_takes_exactly_what_it_lacks(tracker, other, tmp_path):
    build(tracker)
    merge_check(tracker, other, tmp_path)


@pytest.mark.parametrize("backend", ["postgresql", "mariadb"])
def test_a_laptops_sqlite_file_merges_into_the_teams_server(new_database, tmp_path, backend):
    """The laptop-to-team path across backends: same bytes out, same statuses."""
    laptop, team = Tracker(new_database("sqlite")), Tracker(new_database(backend))
    build(laptop)
    exported = copy(laptop, team, tmp_path)
    assert team.ok("export").stdout == exported
    assert shown(team) == shown(laptop)
    back = Tracker(new_database("sqlite"))
    copy(team, back, tmp_path)
    assert back.ok("export").stdout == exported


def test_keys_and_sources_that_differ_only_in_case_or_accents_are_distinct(tracker):
    """Every backend compares text as Python does: MariaDB's default collation would take
    "AB-1" for "ab-1" and "Léica" for "Leica"."""
    for key in ("AB-1", "ab-1", "Ab-1"):
        tracker.ok("add", f"Claim {key!r}", "--key", key, "--said-on", "2024-01-01")
    assert sorted(c["key"] for c in tracker.json("list")) == ["AB-1", "Ab-1", "ab-1"]
    tracker.ok("add", "One", "--source", "Leica", "--said-on", "2024-01-01")
    tracker.ok("add", "Two", "--source", "Léica", "--said-on", "2024-01-01")
    tracker.ok("add", "Three", "--source", "LEICA", "--said-on", "2024-01-01")  # casefold: one
    assert sorted((s["name"], s["claims"]) for s in tracker.json("sources")) == [
        ("Leica", 2),
        ("Léica", 1),
    ]
    assert tracker.json("show", "ab-1")["text"] == "Claim 'ab-1'"


# -- one set of rules for the commands and the importer -------------------------------------------


def test_an_import_fills_in_article_fields_and_stays_idempotent(tracker, tmp_path):
    tracker.ok("add", "A phone", "--key", "p", "--said-on", "2024-01-01",
               "--article-url", "https://example.com/a")  # fmt: skip
    record = {"key": "p", "article": {"url": "https://example.com/a", "title": "The title",
                                      "outlet": "Example"}}  # fmt: skip
    path = _written(tmp_path, json.dumps({"claims": [record]}))
    tracker.ok("import", str(path))
    assert tracker.json("show", "p")["article"] == {
        "url": "https://example.com/a", "title": "The title", "outlet": "Example",
        "published_on": None,
    }  # fmt: skip
    assert tracker.ok("import", str(path)).stdout.endswith(
        ": 0 claims, 0 evidence, 0 resolutions added; 1 claim unchanged\n"
    )
    record["article"]["title"] = "Another title"
    path = _written(tmp_path, json.dumps({"claims": [record]}))
    assert_error(tracker("import", str(path)), "field 'article.title' differs", "'The title'")


def test_an_exact_repeat_of_live_evidence_is_refused_naming_it(tracker):
    tracker.ok("add", "x", "--key", "x", "--said-on", "2024-01-01")
    same = ("confirm", "x", "--on", "2024-01-17", "--source", "Samsung", "--note", "Unpacked")
    tracker.ok(*same)
    before = tracker.json("show", "x")
    assert_error(tracker(*same), "already has this evidence (evidence 1")
    assert tracker.json("show", "x") == before
    tracker.ok("confirm", "x", "--on", "2024-01-17", "--source", "samsung", "--note", "Other")
    tracker.ok("retract", "1", "--reason", "entered twice")
    tracker.ok(*same)  # the stored one is retracted: this is new evidence
    assert [e["retracted"] for e in tracker.json("show", "x")["evidence"]] == [True, False, False]


def test_an_import_applies_the_same_rules(tracker, tmp_path):
    """A date before the claim, an unknown stance: refused by the importer as by the commands."""
    tracker.ok("add", "x", "--key", "x", "--said-on", "2024-01-01")
    assert_error(tracker("confirm", "x", "--on", "2023-12-31"), "predates claim 1")
    record = {"key": "x", "evidence": [{"stance": "confirms", "on": "2023-12-31"}]}
    assert_error(
        tracker("import", str(_written(tmp_path, json.dumps({"claims": [record]})))),
        "claim 1: evidence 1: field 'on': evidence observed on 2023-12-31 predates claim 1",
    )


def test_a_uid_that_names_another_claims_row_is_refused(tracker, tmp_path):
    tracker.ok("add", "a", "--key", "a", "--said-on", "2024-01-01")
    tracker.ok("add", "b", "--key", "b", "--said-on", "2024-01-01")
    tracker.ok("confirm", "a", "--on", "2024-01-02")
    taken = tracker.json("show", "a")["evidence"][0]["uid"]
    record = {"key": "b", "evidence": [{"uid": taken, "stance": "refutes", "on": "2024-01-03"}]}
    path = _written(tmp_path, json.dumps({"claims": [record]}))
    assert_error(tracker("import", str(path)), f"uid {taken} already names a row of claim 1")
    assert tracker.json("show", "b")["evidence"] == []


def test_a_record_is_matched_by_uid_before_key(tracker, tmp_path):
    tracker.ok("add", "a", "--key", "a", "--said-on", "2024-01-01")
    uid = tracker.json("show", "a")["uid"]
    record = {"uid": uid, "evidence": [{"stance": "confirms", "on": "2024-01-02"}]}
    tracker.ok("import", str(_written(tmp_path, json.dumps({"claims": [record]}))))
    assert tracker.json("show", "a")["status"] == "confirmed"
    record = {"uid": uid, "key": "b", "text": "a", "said_on": "2024-01-01"}
    path = _written(tmp_path, json.dumps({"claims": [record]}))
    assert_error(tracker("import", str(path)), "field 'key' differs from stored claim 1")


# -- what the database itself guarantees ---------------------------------------------------------


def test_keyless_twins_are_refused_by_the_database(tracker, db_url):
    """Not only by the command's check: a second row with the same text, source and date
    and no key cannot be stored at all."""
    tracker.ok("add", "Same words", "--said-on", "2024-01-01", "--source", "A")
    database = Database(resolve_url(db_url))
    columns = (
        "{key}, handle, text, text_norm, text_hash, twin_hash, subject, subject_folded, source_id, "
        "article_id, said_on, expected_text, expected_start, expected_end, hedge, likelihood, "
        "status, resolved_on, created_at, updated_at"
    )
    twin = f"INSERT INTO claim (uid, {columns}) SELECT :uid, {columns} FROM claim WHERE id = 1"
    try:
        with database.connect() as conn, pytest.raises(IntegrityError), conn.begin():
            key = conn.dialect.identifier_preparer.quote("key")  # reserved on MariaDB
            conn.execute(
                text(twin.format(key=key)), {"uid": "01a2232e-0000-7000-8000-000000000000"}
            )
    finally:
        database.dispose()
    assert len(tracker.json("list")) == 1


def cjk(length: int, seed: int) -> str:
    """Random CJK ideographs: text that no compression can shrink."""
    rng = random.Random(seed)
    return "".join(chr(rng.randrange(0x4E00, 0x9FFF)) for _ in range(length))


def test_long_incompressible_text_and_long_urls_are_stored_and_copied(tracker, other, tmp_path):
    """10,000 CJK characters (30 KB in UTF-8) and an 8,000-character URL: stored, matched,
    and copied on every backend; no index holds the text itself."""
    long_text = cjk(10_000, 1)
    url = "https://example.com/" + "".join(random.Random(2).choices("abcdef0123456789", k=7980))
    tracker.ok("add", long_text, "--said-on", "2024-01-01", "--article-url", url)
    tracker.ok("add", cjk(10_000, 3), "--said-on", "2024-01-01", "--article-url", url)
    tracker.ok("confirm", "1", "--on", "2024-01-02", "--url", url, "--note", cjk(10_000, 4))
    assert_error(tracker("add", long_text, "--said-on", "2024-01-01"), "already says this")
    claims = tracker.json("list")
    assert [c["text"] for c in claims] == [long_text, cjk(10_000, 3)]
    assert {c["article"]["url"] for c in claims} == {url}
    exported = copy(tracker, other, tmp_path)
    assert other.ok("export").stdout == exported
    assert len(exported.encode()) > 90_000


def test_an_edit_that_would_make_a_keyless_twin_is_refused(tracker):
    tracker.ok("add", "One", "--said-on", "2024-01-01", "--source", "A")
    tracker.ok("add", "Two", "--said-on", "2024-01-01", "--source", "A")
    before = tracker.json("show", "2")
    assert_error(tracker("edit", "2", "--text", "ONE "), "claim 1 already says this")
    assert tracker.json("show", "2") == before
    tracker.ok("edit", "2", "--text", "Two, corrected")


# -- found by trying it as a user would ---------------------------------------------------------


def test_two_exports_imported_in_one_command_apply_every_edit(tracker, other, tmp_path):
    """An older and a newer export of the same database, in one import: the newer file's
    edits are applied, as when the two files are imported one after the other."""
    tracker.ok("add", "Apple headset in 2023", "--key", "vision", "--said-on", "2022-06-01",
               "--subject", "Apple headset")  # fmt: skip
    older = _written(tmp_path, tracker.ok("export").stdout)
    tracker.ok("--by", "grace", "edit", "vision", "--text", "Vision Pro in 2023",
               "--subject", "Vision Pro", "--tag", "xr")  # fmt: skip
    newer_text = tracker.ok("export").stdout
    other.ok("import", str(older), str(_written(tmp_path, newer_text)))
    assert other.ok("export").stdout == newer_text
    shown_claim = other.json("show", "vision")
    assert (shown_claim["text"], shown_claim["subject"], shown_claim["tags"]) == (
        "Vision Pro in 2023", "Vision Pro", ["xr"],
    )  # fmt: skip


def test_tags_added_on_both_sides_are_both_kept(tracker, other, tmp_path):
    tracker.ok("add", "Tag merge", "--key", "tm", "--said-on", "2023-01-01", "--tag", "base")
    copy(tracker, other, tmp_path)
    tracker.ok("--by", "left", "edit", "tm", "--tag", "from-left")
    other.ok("--by", "right", "edit", "tm", "--tag", "from-right", "--untag", "base")
    copy(other, tracker, tmp_path)
    copy(tracker, other, tmp_path)
    for side in (tracker, other):
        assert side.json("show", "tm")["tags"] == ["from-left", "from-right"]


def test_the_same_resolution_and_edit_under_other_uids_are_not_doubled(tracker, other, tmp_path):
    """Two databases loaded from one hand-written file each give the file's resolution their
    own uid; merging one into the other must not record it twice."""
    record = {
        "key": "slim",
        "text": "PS5 Slim this year",
        "said_on": "2023-01-10",
        "resolutions": [{"status": "confirmed", "on": "2023-10-10", "reason": "announced"}],
    }
    hand = _written(tmp_path, json.dumps({"claims": [record]}))
    tracker.ok("import", str(hand))
    other.ok("import", str(hand))
    other.ok("edit", "slim", "--subject", "PS5", "--reason", "subject")
    result = tracker.ok("import", str(_written(tmp_path, other.ok("export").stdout)))
    assert result.stdout.endswith(
        ": 0 claims, 0 evidence, 0 resolutions, 1 other change added; 0 claims unchanged\n"
    )
    assert [e["event"] for e in tracker.json("show", "slim")["history"]] == [
        "created", "resolved", "edited",
    ]  # fmt: skip


def test_a_record_matched_by_uid_may_not_contradict_an_edited_field(tracker, tmp_path):
    tracker.ok("add", "Original words", "--key", "k", "--said-on", "2024-01-01")
    tracker.ok("edit", "k", "--text", "Edited words")
    tracker.ok("confirm", "k", "--on", "2024-02-01", "--note", "the note")
    claim = json.loads(tracker.ok("export").stdout)["claims"][0]
    for words in ("Edited words", "edited  WORDS"):  # its own value, or the same normalised
        path = _written(tmp_path, json.dumps({"claims": [{**claim, "text": words}]}))
        assert (
            " 0 claims, 0 evidence, 0 resolutions added;" in tracker.ok("import", str(path)).stdout
        )
    edits_dropped = {**claim, "history": [e for e in claim["history"] if e["event"] != "edited"]}
    # What a copy made before the edit holds: the value from before the first edit.
    path = _written(tmp_path, json.dumps({"claims": [{**edits_dropped, "text": "Original words"}]}))
    tracker.ok("import", str(path))
    path = _written(tmp_path, json.dumps({"claims": [{**claim, "text": "Hand-changed"}]}))
    assert_error(tracker("import", str(path)), "field 'text' differs from stored claim 1")
    item = {**claim["evidence"][0], "note": "a changed note"}
    path = _written(tmp_path, json.dumps({"claims": [{**claim, "evidence": [item]}]}))
    assert_error(tracker("import", str(path)), "evidence 1: field 'note' differs from stored")


def test_uid_errors_name_the_claim_that_owns_the_uid(tracker, tmp_path):
    tracker.ok("add", "a", "--key", "a", "--said-on", "2024-01-01")
    tracker.ok("confirm", "a", "--on", "2024-01-02")
    claim = json.loads(tracker.ok("export").stdout)["claims"][0]
    twice = {**claim, "key": "b", "uid": "01a22401-ff17-70ea-8fcc-429888e8ed45"}
    path = _written(tmp_path, json.dumps({"claims": [twice]}))
    assert_error(tracker("import", str(path)), "claim 1: history event 1: uid", "row of claim 1")


# -- found by a review of the whole change --------------------------------------------------------


def test_edits_of_source_said_on_and_article_merge(tracker, other, tmp_path):
    tracker.ok("add", "A claim", "--key", "a", "--source", "Leaker", "--said-on", "2024-01-05",
               "--expected", "Q3 2024", "--article-url", "https://example.com/a",
               "--article-title", "Old title")  # fmt: skip
    copy(tracker, other, tmp_path)
    tracker.ok("edit", "a", "--source", "Bloomberg", "--said-on", "2024-01-04",
               "--article-title", "New title")  # fmt: skip
    copy(tracker, other, tmp_path)
    merged = other.json("show", "a")
    assert (merged["source"], merged["said_on"], merged["article"]["title"]) == (
        "Bloomberg", "2024-01-04", "New title",
    )  # fmt: skip
    assert shown(other) == shown(tracker)
    assert other.ok("db", "check").exit_code == 0


def test_an_edit_in_a_file_obeys_the_rules_a_command_does(tracker, tmp_path):
    tracker.ok("add", "A claim", "--key", "a", "--said-on", "2024-01-05")
    claim = json.loads(tracker.ok("export").stdout)["claims"][0]
    for changes, field in (({"key": ["a", "12345"]}, "changes.key"),
                           ({"text": ["A claim", ""]}, "changes.text"),
                           ({"said_on": ["2024-01-05", "2199-01-01"]}, "changes.said_on"),
                           ({"hedge": [None, "nonsense"]}, "changes.hedge"),
                           ({"tags": [[], ["a;b"]]}, "changes.tags")):  # fmt: skip
        edit = {"uid": "01a22401-ff17-70ea-8fcc-429888e8ed45", "event": "edited",
                "effective_on": "2024-02-01", "recorded_at": "2024-02-01T10:00:00.000000Z",
                "actor": "mallory", "changes": changes}  # fmt: skip
        record = {**claim, "history": [*claim["history"], edit]}
        path = _written(tmp_path, json.dumps({"claims": [record]}))
        assert_error(tracker("import", str(path)), f"field '{field}'")
    assert tracker.json("show", "a")["history"][-1]["event"] == "created"


def test_a_time_in_the_future_is_refused_in_a_file(tracker, tmp_path):
    record = {"text": "x", "said_on": "2024-01-05",
              "evidence": [{"stance": "supports", "on": "2024-01-06",
                            "recorded_at": "2099-01-01T00:00:00Z"}]}  # fmt: skip
    path = _written(tmp_path, json.dumps({"claims": [record]}))
    assert_error(tracker("import", str(path)), "2099-01-01T00:00:00 is in the future")


def test_a_uid_given_twice_in_a_record_is_one_clear_error(tracker, tmp_path):
    uid = "01a22401-ff17-70ea-8fcc-429888e8ed45"
    record = {"text": "x", "said_on": "2024-01-05", "evidence": [
        {"uid": uid, "stance": "supports", "on": "2024-01-06", "note": "one"},
        {"uid": uid, "stance": "supports", "on": "2024-01-07", "note": "two"}]}  # fmt: skip
    path = _written(tmp_path, json.dumps({"claims": [record]}))
    assert_error(tracker("import", str(path)), f"uid {uid} is given twice")
    assert tracker.json("list") == []
    assert tracker.json("add", "next", "--said-on", "2024-01-05")["id"] == 1  # no ids used up


def test_an_exported_window_is_taken_as_it_was_stored(tracker, tmp_path):
    """A first-version database could hold a window over before its claim was said."""
    tracker.ok("add", "x", "--key", "x", "--said-on", "2024-01-05", "--expected", "Q1 2024")
    claim = json.loads(tracker.ok("export").stdout)["claims"][0]
    claim = {**claim, "uid": "01a22401-ff17-70ea-8fcc-429888e8ed46", "key": "legacy",
             "expected": "Q3 2023"}  # fmt: skip
    claim["history"] = [{**claim["history"][0], "uid": "01a22401-ff17-70ea-8fcc-429888e8ed47"}]
    tracker.ok("import", str(_written(tmp_path, json.dumps({"claims": [claim]}))))
    assert tracker.json("show", "legacy")["expected"]["end"] == "2023-09-30"


def test_a_handle_is_made_from_the_uid_alone():
    from tracker.rules.identity import handle, new_uid

    uid = "01890a5d-ac96-7a3c-8f2e-5c2b7d1e9f00"
    assert handle(uid) == handle(uid) == "syshtw75na"
    made = {handle(new_uid()) for _ in range(2000)}
    assert len(made) == 2000
    for name in made:
        assert len(name) == 10 and name[0].isalpha() and name.isalnum() and name == name.lower()
        assert not set(name) & set("lo01")


def test_history_lists_a_merged_edit_in_the_order_it_was_recorded(
    tracker, other, tmp_path, pinned_clock
):
    """The laptop's edit, made first but imported later (a newer id here), is listed below
    the team's later edit: the top row of `history` is the text the claim has."""
    pinned_clock.set("2025-09-01", "05:30")
    tracker.ok("add", "iPhone 17 Air is 5.5 mm thin", "--key", "ip17-air")
    copy(tracker, other, tmp_path)
    pinned_clock.set("2025-09-01", "05:35")
    other.ok("--by", "laptop", "edit", "ip17-air", "--text", "iPhone 17 Air is 5.6 mm thin")
    pinned_clock.set("2025-09-01", "05:36")
    tracker.ok("--by", "alice", "edit", "ip17-air", "--text", "iPhone Air is 5.6 mm thin")
    copy(other, tracker, tmp_path)
    events = tracker.json("history", "ip17-air")
    assert [(e["event"], e["actor"]) for e in events][:2] == [
        ("edited", "alice"),
        ("edited", "laptop"),
    ]
    assert events[0]["id"] < events[1]["id"]  # the copy came last: a newer id
    assert tracker.json("show", "ip17-air")["text"] == "iPhone Air is 5.6 mm thin"
    shown = [e["actor"] for e in tracker.json("show", "ip17-air")["history"]]
    assert shown[-2:] == ["laptop", "alice"]  # oldest first, in the same order
