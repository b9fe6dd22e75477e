"""add, edit, show and list, as a user runs them (on SQLite and PostgreSQL)."""

import json

import pytest
from support import Tracker, assert_error

LAUNCH = [
    "The first Xiaomi-Leica phone launches in July",
    "--subject", "Xiaomi-Leica flagship",
    "--source", "Xiaomi",
    "--said-on", "2022-05-23",
    "--expected", "2022-07-31",
    "--hedge", "official",
    "--tag", "leica", "--tag", "xiaomi",
    "--key", "leica-launch",
]  # fmt: skip


def test_add_prints_what_it_added_and_stores_the_claim(tracker):
    """The claim by id, handle and text, and how its window and hedge were read (the
    contract's one line became these: a write names what it touched)."""
    result = tracker.ok("add", *LAUNCH)
    claim = tracker.json("show", "leica-launch")
    assert result.stdout == (
        f'Added claim 1 ({claim["handle"]}) "The first Xiaomi-Leica phone launches in July": '
        "pending\n"
        '  expected "2022-07-31" read as 2022-07-31 to 2022-07-31 (said on 2022-05-23)\n'
        '  hedge "official" read as likelihood 0.95\n'
    )
    assert claim["status"] == "pending"
    assert claim["source"] == "Xiaomi"
    assert claim["said_on"] == "2022-05-23"
    assert claim["likelihood"] == 0.95
    assert claim["tags"] == ["leica", "xiaomi"]
    assert claim["expected"] == {"text": "2022-07-31", "start": "2022-07-31", "end": "2022-07-31"}


def test_add_json_has_every_field_of_the_contract(tracker):
    claim = tracker.json(
        "add", "It will use the Snapdragon 8+ Gen 1",
        "--article-url", "https://example.com/a", "--article-title", "Leica phone",
        "--article-outlet", "Example News", "--article-date", "2022-05-23",
        "--likelihood", "0.6",
    )  # fmt: skip
    assert set(claim) >= {
        "id", "key", "text", "subject", "status", "source", "article", "said_on", "expected",
        "likelihood", "tags", "overdue", "resolved_on", "created_at", "updated_at",
    }  # fmt: skip
    assert claim["article"] == {
        "url": "https://example.com/a",
        "title": "Leica phone",
        "outlet": "Example News",
        "published_on": "2022-05-23",
    }
    assert claim["said_on"] == "2022-05-23"  # from the article
    assert claim["likelihood"] == 0.6
    assert claim["created_at"].endswith("Z")


def test_said_on_defaults_to_today_without_an_article(tracker, pinned_clock):
    pinned_clock.set("2025-06-16")
    claim = tracker.json("add", "Something will happen")
    assert claim["said_on"] == "2025-06-16"


def test_likelihood_overrides_the_hedge(tracker):
    claim = tracker.json("add", "x", "--hedge", "rumoured", "--likelihood", "0.2")
    assert claim["likelihood"] == 0.2


def test_sources_are_one_whatever_the_case(tracker):
    tracker.ok("add", "a", "--source", "Xiaomi")
    tracker.ok("add", "b", "--source", "xiaomi")
    listed = tracker.json("list", "--source", "XIAOMI")
    assert [c["source"] for c in listed] == ["Xiaomi", "Xiaomi"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["   "], "claim text must not be empty"),
        (["x", "--source", ""], "source must not be empty"),
        (["x", "--expected", ""], "expected window must not be empty"),
        (["x", "--hedge", "perhaps"], "unknown hedge word 'perhaps'"),
        (["x", "--likelihood", "1.5"], "between 0 and 1"),
        (["x", "--likelihood", "nan"], "between 0 and 1"),
        (["x", "--key", "123"], "invalid key '123'"),
        (["x", "--key", "has space"], "invalid key"),
        (["x", "--said-on", "2022-02-30"], "2022-02-30"),
        (["x", "--said-on", "03/04/2022"], "ambiguous"),
        (["x", "--said-on", "Q3 2022"], "Q3 2022"),
        (["x\x00y"], "NUL"),
        (["x" * 10_001], "too long"),
    ],
)
def test_add_refuses_bad_input_and_writes_nothing(tracker, args, message):
    assert_error(tracker("add", *args), message)
    assert tracker.json("list") == []
    assert tracker.json("history") == []


def test_duplicate_key_is_refused(tracker):
    tracker.ok("add", *LAUNCH)
    assert_error(tracker("add", "other", "--key", "leica-launch"), "already exists (claim 1)")
    assert len(tracker.json("list")) == 1


def test_unknown_claims_are_refused(tracker):
    assert_error(tracker("show", "42"), "no claim with id 42")
    assert_error(tracker("show", "no-such-key"), "no claim with key or handle 'no-such-key'")
    assert_error(tracker("show", "--", "-1"), "no claim")
    assert_error(tracker("show", "9" * 40), "no claim")


def test_edit_records_old_and_new_values(tracker):
    tracker.ok("add", *LAUNCH)
    result = tracker.ok(
        "edit", "1", "--subject", "Xiaomi 12S Ultra", "--likelihood", "0.8",
        "--tag", "launch", "--untag", "xiaomi", "--reason", "name announced",
    )  # fmt: skip
    claim = tracker.json("show", "1")
    assert result.stdout == (
        f'Edited claim 1 ({claim["handle"]}) "The first Xiaomi-Leica phone launches in July"\n'
        '  subject: "Xiaomi-Leica flagship" -> "Xiaomi 12S Ultra"\n'
        "  likelihood: 0.95 -> 0.80\n"
        "  tags: leica, xiaomi -> launch, leica\n"
    )
    assert claim["subject"] == "Xiaomi 12S Ultra"
    assert claim["tags"] == ["launch", "leica"]
    edited = claim["history"][-1]
    assert edited["event"] == "edited"
    assert edited["reason"] == "name announced"
    assert edited["from_status"] == edited["to_status"] == "pending"
    assert edited["changes"] == {
        "subject": ["Xiaomi-Leica flagship", "Xiaomi 12S Ultra"],
        "likelihood": [0.95, 0.8],
        "tags": [["leica", "xiaomi"], ["launch", "leica"]],
    }


def test_edit_expected_is_read_against_said_on(tracker):
    tracker.ok("add", *LAUNCH)
    claim = tracker.json("edit", "leica-launch", "--expected", "2022-08-15")
    assert claim["expected"]["end"] == "2022-08-15"
    change = tracker.json("show", "1")["history"][-1]["changes"]["expected"]
    assert change[0]["end"] == "2022-07-31" and change[1]["end"] == "2022-08-15"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "nothing to change"),
        (["--subject", "Xiaomi-Leica flagship"], "already has these values"),
        (["--text", ""], "claim text must not be empty"),
        (["--untag", "nope"], "has no tag 'nope'"),
    ],
)
def test_edit_refusals_change_nothing(tracker, args, message):
    tracker.ok("add", *LAUNCH)
    before = tracker.json("show", "1")
    assert_error(tracker("edit", "1", *args), message)
    assert tracker.json("show", "1") == before


def test_show_text_lists_fields_evidence_and_history(tracker):
    tracker.ok("add", *LAUNCH)
    tracker.ok("confirm", "1", "--on", "2022-07-04", "--note", "Launched")
    out = tracker.ok("show", "leica-launch").stdout
    handle = tracker.json("show", "1")["handle"]
    assert out.startswith(f"Claim 1 ({handle}, key leica-launch): The first Xiaomi-Leica phone")
    assert "Status:     confirmed on 2022-07-04" in out
    assert "Launched" in out
    assert "pending -> confirmed" in out


def test_list_filters(tracker):
    tracker.ok("add", *LAUNCH)
    tracker.ok("add", "Called the 12 Ultra", "--subject", "Xiaomi 12 Ultra", "--tag", "name")
    tracker.ok("add", "Uses the Snapdragon 8+ Gen 1", "--source", "Qualcomm")
    tracker.ok("refute", "2")
    ids = lambda *args: [c["id"] for c in tracker.json("list", *args)]  # noqa: E731
    assert ids() == [1, 2, 3]
    assert ids("--status", "pending") == [1, 3]
    assert ids("--status", "refuted", "--status", "pending") == [1, 2, 3]
    assert ids("--subject", "xiaomi 12 ultra") == [2]
    assert ids("--source", "qualcomm") == [3]
    assert ids("--tag", "name") == [2]
    assert ids("--search", "SNAPDRAGON 8+") == [3]
    assert ids("--search", "%") == []  # LIKE wildcards are literal
    assert ids("--limit", "2") == [1, 2]


def test_list_text_and_csv(tracker):
    tracker.ok("add", *LAUNCH)
    tracker.ok("add", "=HYPERLINK(1)", "--said-on", "2022-05-23")
    text = tracker.ok("list").stdout.splitlines()
    assert text[0].split() == ["ID", "HANDLE", "STATUS", "SUBJECT", "SOURCE", "DUE", "CLAIM"]
    assert text[1].split()[:3] == ["1", tracker.json("show", "1")["handle"], "pending"]
    rows = tracker.ok("list", "--format", "csv").stdout.splitlines()
    assert rows[0].startswith("id,key,text,subject,status")
    assert rows[0].endswith(",uid,handle")
    assert rows[2].startswith("2,,'=HYPERLINK(1)")  # neutralised for spreadsheets
    assert tracker.ok("list", "--status", "disputed").stdout == "No claims match.\n"


def test_list_json_is_an_array_of_claims(tracker):
    tracker.ok("add", *LAUNCH)
    out = tracker.ok("list", "--format", "json").stdout
    assert json.loads(out)[0]["key"] == "leica-launch"


@pytest.mark.parametrize(
    "args",
    [
        ["--status", "maybe"],
        ["--limit", "-1"],
        ["--limit", "x"],
        ["--format", "xml"],
        ["--sort", "size"],
    ],
)
def test_list_usage_errors_exit_2(tracker, args):
    assert_error(tracker("list", *args), code=2)


def test_csv_quotes_carriage_returns_inside_cells(tracker):
    """A CR inside a cell must be quoted, or every reader ends the row there."""
    import csv
    import io

    tracker.ok("add", "first line\rsecond line", "--said-on", "2022-05-23")
    rows = list(csv.reader(io.StringIO(tracker.ok("list", "--format", "csv").stdout, newline="")))
    assert len(rows) == 2 and rows[1][2] == "first line\rsecond line"


def test_a_claim_without_a_key_cannot_be_logged_twice(tracker):
    """Without a key a claim is known by text, source and date: two would merge on import."""
    tracker.ok("add", "Same text", "--source", "X", "--said-on", "2022-01-01")
    assert_error(
        tracker("add", "same  TEXT", "--source", "x", "--said-on", "2022-01-01"),
        "claim 1 already says this",
    )
    tracker.ok("add", "Same text", "--source", "X", "--said-on", "2022-01-01", "--key", "again")
    tracker.ok("add", "Same text", "--source", "X", "--said-on", "2022-01-02")
    assert len(tracker.json("list")) == 3
    # An export of these re-imports as the same three claims.
    exported = tracker.ok("export").stdout
    assert [c.get("key") for c in json.loads(exported)["claims"]] == [None, "again", None]


@pytest.mark.parametrize("option", ["--said-on", "--article-date"])
def test_dates_of_things_that_happened_cannot_be_in_the_future(tracker, option):
    assert_error(tracker("add", "x", option, "2199-01-01"), "is in the future")
    assert tracker.json("list") == []


def test_tags_are_cleaned_the_same_way_to_add_and_to_remove(tracker):
    tracker.ok("add", "x", "--tag", "a", "--tag", "b")
    assert tracker.json("edit", "1", "--untag", " a ")["tags"] == ["b"]
    assert_error(tracker("edit", "1", "--tag", "c;d"), "cannot contain ';'")


# -- one table of a claim's fields (tracker.rules.claim_fields) ------------------------

LONG = {"subject": 201, "expected": 10_001, "article_title": 10_001, "article_outlet": 201}


@pytest.mark.parametrize(("field", "length"), LONG.items())
def test_a_field_has_one_limit_in_add_edit_and_import(tracker, tmp_path, field, length):
    """A field's limit and message are the same whether `add`, `edit` or a file gives it."""
    from tracker.rules.claim_fields import FIELD

    tracker.ok("add", "It ships in May", "--key", "may", "--said-on", "2024-01-10")
    option, what = FIELD[field].option, FIELD[field].what
    message = f"{what} is too long ({length:,} characters; at most {length - 1:,})"
    assert_error(tracker("add", "Another", option, "x" * length), message)
    assert_error(tracker("edit", "may", option, "x" * length), message)
    *article, name = FIELD[field].record_name.split(".")
    record = {"text": "A third", "said_on": "2024-01-10"}
    record |= {"article": {name: "x" * length}} if article else {name: "x" * length}
    (tmp_path / "f.json").write_text(json.dumps({"claims": [record]}))
    assert_error(tracker("import", str(tmp_path / "f.json")), f"at most {length - 1:,}")
    assert [c["key"] for c in tracker.json("list")] == ["may"]


def test_add_and_edit_take_every_field_and_a_csv_copy_keeps_them(tracker, tmp_path,
                                                                 new_database):  # fmt: skip
    """Each field of the table is an option of `add` and of `edit`, and an export CSV
    carries it into another database."""
    from tracker.rules.claim_fields import FIELDS

    given = {
        "--subject": "Kite 2", "--source": "Leaker One", "--said-on": "2024-01-10",
        "--expected": "Q3 2024", "--hedge": "likely", "--key": "kite", "--tag": "phones",
        "--article-url": "https://example.com/a", "--article-title": "Kite 2 leaks",
        "--article-outlet": "Example", "--article-date": "2024-01-09",
    }  # fmt: skip
    assert {f.option for f in FIELDS} - {"--text", "--likelihood"} == set(given)
    tracker.ok("add", "Kite 2 ships in Q3", *[part for pair in given.items() for part in pair])
    edited = {**given, "--said-on": "2024-01-11", "--key": "kite-2", "--text": "Kite 2 in Q3",
              "--likelihood": "0.6", "--tag": "leaks"}  # fmt: skip
    del edited["--hedge"]  # a hedge sets the likelihood: one of the two
    tracker.ok("edit", "kite", *[part for pair in edited.items() for part in pair])
    shown = tracker.json("show", "kite-2")
    edits = (shown["text"], shown["said_on"], shown["likelihood"])
    assert edits == ("Kite 2 in Q3", "2024-01-11", 0.6)
    assert shown["tags"] == ["leaks", "phones"]
    csv_file = tmp_path / "claims.csv"
    tracker.ok("export", "--format", "csv", "--output", str(csv_file))
    copy = Tracker(new_database())
    copy.ok("import", str(csv_file))
    keep = ("text", "subject", "source", "said_on", "expected", "hedge", "likelihood", "key",
            "tags", "article", "uid")  # fmt: skip
    assert {k: copy.json("show", "kite-2")[k] for k in keep} == {k: shown[k] for k in keep}
