"""import: four formats, all or nothing, idempotent, and every bad file refused cleanly."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import assert_error

CLAIMS = [
    {
        "key": "launch",
        "text": "The phone launches in July",
        "subject": "Phone",
        "source": "Maker",
        "article": {
            "url": "https://example.com/a",
            "title": "Launch",
            "published_on": "2022-05-23",
        },
        "expected": "July this year",
        "hedge": "official",
        "tags": ["launch"],
        "evidence": [
            {"stance": "supports", "source": "Maker", "on": "2022-06-28", "note": "teaser"},
            {"stance": "confirms", "source": "Maker", "on": "2022-07-04"},
        ],
    },
    {
        "text": "It is called the 12 Ultra",
        "source": "Blog",
        "said_on": "2022-05-23",
        "likelihood": 0.6,
        "evidence": [{"stance": "refutes", "on": "2022-06-28", "url": "https://example.com/b"}],
    },
    {
        "text": "It uses the fast chip",
        "said_on": "2022-05-23",
        "evidence": [
            {"stance": "confirms", "on": "2022-07-04"},
            {"stance": "refutes", "on": "2022-07-05", "retracted": True, "retract_reason": "fake"},
        ],
        "resolutions": [{"status": "refuted", "on": "2022-07-10", "reason": "recall"}],
    },
]


def statuses(tracker):
    return [(c["id"], c["status"]) for c in tracker.json("list")]


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return str(path)


def test_json_import_builds_claims_evidence_and_history(tracker, tmp_path):
    file = write(tmp_path / "claims.json", json.dumps({"claims": CLAIMS}))
    result = tracker.ok("import", file)
    # 3 claims, 5 evidence, 1 retraction, 1 resolution
    assert (
        result.stdout == "claims.json: 3 claims, 5 evidence, 1 resolution, 1 other change added; "
        "0 claims unchanged\n"
    )
    assert statuses(tracker) == [(1, "confirmed"), (2, "refuted"), (3, "refuted")]
    launch = tracker.json("show", "launch")
    assert launch["said_on"] == "2022-05-23"  # from the article
    assert launch["expected"] == {
        "text": "July this year",
        "start": "2022-07-01",
        "end": "2022-07-31",
    }
    assert launch["likelihood"] == 0.95 and launch["tags"] == ["launch"]
    assert launch["resolved_on"] == "2022-07-04"
    chip = tracker.json("show", "3")
    assert [e["retracted"] for e in chip["evidence"]] == [False, True]
    assert [e["event"] for e in chip["history"]] == [
        "created", "evidence_added", "evidence_added", "evidence_retracted", "resolved",
    ]  # fmt: skip
    assert [e["to_status"] for e in chip["history"]] == [
        "pending", "confirmed", "disputed", "confirmed", "refuted",
    ]  # fmt: skip
    for before, after in zip(chip["history"], chip["history"][1:], strict=False):
        assert after["from_status"] == before["to_status"]


def test_importing_twice_adds_nothing(tracker, tmp_path):
    file = write(tmp_path / "claims.json", json.dumps({"claims": CLAIMS}))
    tracker.ok("import", file)
    history = tracker.json("history")
    assert (
        tracker.ok("import", file).stdout
        == "claims.json: 0 claims, 0 evidence, 0 resolutions added; 3 claims unchanged\n"
    )
    assert tracker.json("history") == history


@pytest.mark.parametrize("kind", ["jsonl", "toml", "csv"])
def test_other_formats(tracker, tmp_path, kind):
    if kind == "jsonl":
        file = write(tmp_path / "c.jsonl", "\n".join(json.dumps(c) for c in CLAIMS) + "\n")
        expected = (
            "c.jsonl: 3 claims, 5 evidence, 1 resolution, 1 other change added; "
            "0 claims unchanged\n"
        )
    elif kind == "toml":
        file = write(
            tmp_path / "c.toml",
            '[[claims]]\nkey = "launch"\ntext = "The phone launches in July"\n'
            'said_on = 2022-05-23\nexpected = "Q3 2022"\n\n'
            '[[claims.evidence]]\nstance = "confirms"\non = 2022-07-04\n',
        )
        expected = "c.toml: 1 claim, 1 evidence, 0 resolutions added; 0 claims unchanged\n"
    else:
        file = write(
            tmp_path / "c.csv",
            "\ufeffkey,text,subject,source,article_url,said_on,expected,likelihood,tags\n"
            'launch,"The phone, launches",Phone,Maker,https://example.com/a,2022-05-23,'
            "Q3 2022,0.8,a;b\n"
            ",'=SUM(A1),,,,2022-05-24,,,\n",
        )
        expected = "c.csv: 2 claims, 0 evidence, 0 resolutions added; 0 claims unchanged\n"
    assert tracker.ok("import", file).stdout == expected
    name, added = expected.split(": ")[0], {"jsonl": 3, "toml": 1, "csv": 2}[kind]
    assert (
        tracker.ok("import", file).stdout == f"{name}: 0 claims, 0 evidence, 0 resolutions added; "
        f"{added} claim{'s' if added > 1 else ''} unchanged\n"
    )
    if kind == "csv":
        claims = tracker.json("list")
        assert claims[0]["text"] == "The phone, launches" and claims[0]["tags"] == ["a", "b"]
        assert (
            claims[0]["likelihood"] == 0.8
            and claims[0]["article"]["url"] == "https://example.com/a"
        )
        assert claims[1]["text"] == "=SUM(A1)"  # the export's neutralising quote is undone


def test_records_for_stored_claims_add_evidence(tracker, tmp_path):
    tracker.ok("add", "The phone launches in July", "--key", "launch", "--said-on", "2022-05-23",
               "--source", "Maker")  # fmt: skip
    by_key = {"key": "launch", "evidence": [{"stance": "confirms", "on": "2022-07-04"}]}
    by_text = {
        "text": "the phone  LAUNCHES in july",
        "source": "maker",
        "said_on": "2022-05-23",
        "evidence": [{"stance": "supports", "on": "2022-06-01"}],
    }
    outcomes = {"claims": [by_key, by_text]}
    file = write(tmp_path / "o.json", json.dumps(outcomes))
    assert (
        tracker.ok("import", file).stdout
        == "o.json: 0 claims, 2 evidence, 0 resolutions added; 0 claims unchanged\n"
    )
    shown = tracker.json("show", "launch")
    assert shown["status"] == "confirmed" and len(shown["evidence"]) == 2
    assert len(tracker.json("list")) == 1  # matched by normalised text, source and date


def test_a_record_that_contradicts_its_stored_claim_is_refused(tracker, tmp_path):
    tracker.ok("add", "The phone launches in July", "--key", "launch", "--subject", "Phone")
    file = write(
        tmp_path / "x.json", json.dumps({"claims": [{"key": "launch", "subject": "Tablet"}]})
    )
    assert_error(tracker("import", file), "x.json: claim 1", "field 'subject' differs", "'Phone'")


def test_import_is_all_or_nothing_across_files(tracker, tmp_path):
    good = write(tmp_path / "a.json", json.dumps({"claims": CLAIMS}))
    lines = [json.dumps(c) for c in CLAIMS[:2]] + ['{"text": "x", "said_on": "2022-02-30"}']
    bad = write(tmp_path / "b.jsonl", "\n".join(lines))
    assert_error(tracker("import", good, bad), "b.jsonl: line 3", "field 'said_on'", "2022-02-30")
    assert tracker.json("list") == [] and tracker.json("history") == []


def test_dry_run_counts_and_writes_nothing(tracker, tmp_path):
    file = write(tmp_path / "claims.json", json.dumps({"claims": CLAIMS}))
    result = tracker.ok("import", "--dry-run", file)
    assert (
        result.stdout
        == "Dry run, nothing written: claims.json: 3 claims, 5 evidence, 1 resolution, "
        "1 other change added; "
        "0 claims unchanged\n"
    )
    assert tracker.json("list") == []


BAD_FILES = [
    ("empty.json", b"", "the file is empty"),
    ("blank.jsonl", b"\n  \n", "the file is empty"),
    ("latin.json", '{"claims": [{"text": "café", "said_on": "2022-01-01"}]}'.encode("latin-1"),
     "not UTF-8"),
    ("latin.jsonl", '{"text": "café", "said_on": "2022-01-01"}\n'.encode("latin-1"),
     "line 1: not UTF-8"),
    ("cut.json", b'{"claims": [{"text": "x", "said_on": "2022-01-01"', "invalid JSON"),
    ("cut.jsonl", b'{"text": "x", "said_on": "2022-01-01"}\n{"text": "y"', "line 2: invalid JSON"),
    ("nul.json", b'{"claims": []}\x00', "NUL"),
    ("nul.csv", b"text,said_on\nx\x00,2022-01-01\n", "NUL"),
    ("list.json", b'[{"text": "x"}]', 'a document with a "claims" list'),
    ("scalar.jsonl", b'"just text"\n', "line 1: a claim must be an object"),
    ("nocol.csv", b"said_on,subject\n2022-01-01,x\n", "missing required column 'text'"),
    ("extra.csv", b"text,colour\nx,red\n", "unknown column 'colour'"),
    ("ragged.csv", b"text,said_on\nx,2022-01-01,extra\n", "line 2: 3 cells"),
    ("huge.jsonl", ('{"text": "' + "x" * 10_000_001 + '", "said_on": "2022-01-01"}').encode(),
     "too long"),
    ("unknown.json", b'{"claims": [{"text": "x", "said_on": "2022-01-01", "colour": 1}]}',
     "unknown claim field 'colour'"),
    ("nodate.json", b'{"claims": [{"text": "x"}]}', "'said_on' (or article 'published_on')"),
    ("noon.json", b'{"claims": [{"text": "x", "said_on": "2022-01-01", "evidence": [{"stance": '
     b'"confirms"}]}]}', "evidence 1: field 'on': required"),
    ("stance.json", b'{"claims": [{"text": "x", "said_on": "2022-01-01", "evidence": [{"stance": '
     b'"maybe", "on": "2022-01-02"}]}]}', "field 'stance'"),
    ("early.json", b'{"claims": [{"text": "x", "said_on": "2022-01-01", "evidence": [{"stance": '
     b'"confirms", "on": "2021-01-02"}]}]}', "predates"),
    ("nokey.json", b'{"claims": [{"key": "ghost", "evidence": []}]}', "no claim with key 'ghost'"),
    ("deep.json", b'{"claims": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
    ("claims.xml", b"<claims/>", "unknown file type '.xml'"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_refused_with_nothing_written(tracker, tmp_path, name, content, message):
    tracker.ok("add", "Already here", "--said-on", "2022-01-01")
    before = tracker.json("history")
    file = write(tmp_path / name, content)
    assert_error(tracker("import", file), message)
    assert tracker.json("history") == before


def test_a_missing_file_is_refused(tracker, tmp_path):
    assert_error(tracker("import", str(tmp_path / "nope.json")), "cannot read")


def test_a_bom_is_allowed(tracker, tmp_path):
    file = write(
        tmp_path / "bom.json", b'\xef\xbb\xbf{"claims": [{"text": "x", "said_on": "2022-01-01"}]}'
    )
    assert (
        tracker.ok("import", file).stdout
        == "bom.json: 1 claim, 0 evidence, 0 resolutions added; 0 claims unchanged\n"
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)
field_names = st.sampled_from(
    ["key", "text", "subject", "source", "said_on", "expected", "hedge", "likelihood", "tags",
     "article", "evidence", "resolutions"]
)  # fmt: skip
records = st.dictionaries(field_names, json_values, max_size=8)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(record=records)
def test_any_record_imports_or_is_refused_cleanly(tracker, tmp_path, record):
    """Arbitrary JSON records: exit 0, or exit 1 with one `Error:` line; never a traceback."""
    file = write(tmp_path / "r.jsonl", json.dumps(record) + "\n")
    before = tracker.json("history")
    result = tracker("import", file)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert_error(result, "r.jsonl: line 1")
        assert tracker.json("history") == before


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"text": "x", "said_on": "today"}, "changes meaning from day to day"),
        ({"text": "x", "said_on": "2199-01-01"}, "field 'said_on': 2199-01-01 is in the future"),
        (
            {"text": "x", "said_on": "2022-01-01",
             "evidence": [{"stance": "confirms", "on": "2021-06-01"}]},
            "evidence 1: field 'on'",
        ),
    ],
)  # fmt: skip
def test_file_dates_are_exact_and_not_in_the_future(tracker, tmp_path, record, message):
    file = write(tmp_path / "d.json", json.dumps({"claims": [record]}))
    assert_error(tracker("import", file), "d.json: claim 1", message)
    assert tracker.json("list") == []


def test_a_differing_article_field_of_a_stored_claim_is_refused(tracker, tmp_path):
    tracker.ok("add", "x", "--key", "k1", "--article-title", "Original", "--said-on", "2022-01-01")
    file = write(
        tmp_path / "a.json", json.dumps({"claims": [{"key": "k1", "article": {"title": "Other"}}]})
    )
    assert_error(tracker("import", file), "field 'article.title' differs", "'Original'")


def test_csv_keeps_a_leading_quote_the_export_did_not_add(tracker, tmp_path):
    file = write(tmp_path / "q.csv", "text,said_on\n'Tis a claim,2022-01-01\n''=x,2022-01-01\n")
    tracker.ok("import", file)
    assert [c["text"] for c in tracker.json("list")] == ["'Tis a claim", "'=x"]


def test_a_record_without_a_key_matches_a_keyed_claim_by_text_source_and_date(tracker, tmp_path):
    tracker.ok("add", "Same", "--key", "k1", "--said-on", "2022-01-01")
    file = write(
        tmp_path / "s.json", json.dumps({"claims": [{"text": "Same", "said_on": "2022-01-01"}]})
    )
    assert (
        tracker.ok("import", file).stdout
        == "s.json: 0 claims, 0 evidence, 0 resolutions added; 1 claim unchanged\n"
    )
    # ...which is why add refuses a keyless claim that says what another already says.
    assert_error(tracker("add", "Same", "--said-on", "2022-01-01"), "claim 1 already says this")


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("fails", [False, True], ids=["whole", "failed"])
def test_an_import_into_an_empty_file_builds_its_read_indexes_at_the_end(tracker, tmp_path, fails):
    """The indexes that only reads use are dropped for the import and built after it: the
    file ends with every index it had, whether the import lands or fails."""
    import sqlite3

    def indexes() -> list[tuple]:
        with sqlite3.connect(tracker.url) as conn:
            query = "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY 1"
            return conn.execute(query).fetchall()

    before = indexes()
    evidence = [{"stance": "supports", "on": "2024-02-01"}]
    records = [
        {"key": f"k{n}", "text": f"Claim {n}", "said_on": "2024-01-01", "evidence": evidence}
        for n in range(50)
    ]
    if fails:
        records.append({"key": "bad", "text": "Bad", "said_on": "not a date"})
    path = tmp_path / "claims.json"
    path.write_text(json.dumps({"claims": records}))
    result = tracker("import", str(path))
    assert result.exit_code == (1 if fails else 0), result.output
    assert indexes() == before
    assert len(tracker.json("list")) == (0 if fails else 50)
    assert tracker.ok("db", "check").exit_code == 0


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("fails", [False, True], ids=["whole", "failed"])
def test_an_import_leaves_the_garbage_collector_as_it_found_it(tracker, tmp_path, fails):
    """An import collects garbage less often while it runs (tracker.io.bulk); a program
    that imports, as the tests do, gets its own thresholds back, whether it lands or fails."""
    import gc

    before = gc.get_threshold()
    records = [{"key": "k1", "text": "Claim", "said_on": "2024-01-01"}]
    if fails:
        records.append({"key": "bad", "text": "Bad", "said_on": "not a date"})
    path = tmp_path / "claims.json"
    path.write_text(json.dumps({"claims": records}))
    seen = []
    real = gc.set_threshold
    try:
        gc.set_threshold = lambda *values: (seen.append(values), real(*values))[1]
        result = tracker("import", str(path))
    finally:
        gc.set_threshold = real
    assert result.exit_code == (1 if fails else 0), result.output
    assert gc.get_threshold() == before
    assert seen[0][0] > before[0] and seen[-1] == before  # raised for the import, then restored


# -- `list --format csv` reads back -----------------------------------------------------


def test_a_list_csv_imports_into_a_fresh_database_as_it_was_listed(tracker, tmp_path,
                                                                   new_database):  # fmt: skip
    """Every claim `list --format csv` shows comes back from its file: fields, tags, key,
    uid and status (decided by evidence, by hand, or disputed), cells neutralised and not."""
    add = ("add", "--said-on", "2022-05-23")
    tracker.ok(*add, "=SUM(A1) is a formula", "--source", "Blog", "--likelihood", "0.35")
    tracker.ok(*add, "The phone launches in July", "--subject", "Phone", "--source", "Maker",
               "--expected", "July this year", "--hedge", "official", "--tag", "launch",
               "--tag", "Leica", "--key", "launch")  # fmt: skip
    tracker.ok("confirm", "launch", "--on", "2022-07-04")
    tracker.ok(*add, "It is called the 12 Ultra", "--source", "Blog", "--expected", "Q3 2022")
    tracker.ok("resolve", "3", "refuted", "--on", "2022-07-10", "--reason", "named 12S")
    tracker.ok(*add, "It uses the fast chip", "--tag", "chip, soc")
    tracker.ok("confirm", "4", "--on", "2022-07-04")
    tracker.ok("refute", "4", "--on", "2022-07-05")
    listed = tracker.ok("list", "--format", "csv").stdout
    assert {c["status"] for c in tracker.json("list")} == {"pending", "confirmed", "refuted",
                                                           "disputed"}  # fmt: skip
    file = tmp_path / "claims.csv"
    file.write_text(listed, encoding="utf-8")

    fresh = type(tracker)(new_database())
    added = fresh.ok("import", str(file)).stdout
    assert added == "claims.csv: 4 claims, 0 evidence, 3 resolutions added; 0 claims unchanged\n"
    assert fresh.ok("list", "--format", "csv").stdout == listed
    kept = ("key", "text", "subject", "status", "source", "said_on", "expected", "likelihood",
            "tags", "overdue", "resolved_on", "uid")  # fmt: skip
    assert [{name: c[name] for name in kept} for c in fresh.json("list")] == [
        {name: c[name] for name in kept} for c in tracker.json("list")
    ]
    again = fresh.ok("import", str(file)).stdout
    assert again == "claims.csv: 0 claims, 0 evidence, 0 resolutions added; 4 claims unchanged\n"


def _list_of_two_decided_claims(tracker) -> str:
    """`list --format csv` of claim 1 confirmed (on 2022-07-04) and claim 2 disputed."""
    tracker.ok("add", "A", "--said-on", "2022-05-23", "--key", "a")
    tracker.ok("confirm", "a", "--on", "2022-07-04")
    tracker.ok("add", "B", "--said-on", "2022-05-23", "--key", "b")
    tracker.ok("confirm", "b", "--on", "2022-07-04")
    tracker.ok("refute", "b", "--on", "2022-07-05")
    listed = tracker.ok("list", "--format", "csv").stdout
    return listed


def test_a_list_csv_back_into_its_own_database_adds_nothing(tracker, tmp_path):
    """A list's rows say where their claims stand; back in their own database, where they
    stand so, the file adds nothing (whatever decided each claim)."""
    listed = _list_of_two_decided_claims(tracker)
    history = tracker.json("history")
    file = write(tmp_path / "mine.csv", listed)
    added = tracker.ok("import", file).stdout
    assert added == "mine.csv: 0 claims, 0 evidence, 0 resolutions added; 2 claims unchanged\n"
    assert tracker.ok("list", "--format", "csv").stdout == listed
    assert tracker.json("history") == history  # nothing added to what happened


@pytest.mark.parametrize(
    ("since", "message"),
    [
        # A status changed in the sheet (claim 2 refuted): resolving is a command's job.
        (
            None,
            "line 3: field 'status' differs from stored claim 2 ('disputed' stored, "
            "'refuted' given); `tracker resolve` changes it",
        ),
        # The list is older than a retraction: it would bring the retracted status back.
        (
            [("retract", "1", "--reason", "a fake press release")],
            "line 2: field 'status' differs from stored claim 1 ('pending' stored, 'confirmed' "
            "given)",
        ),
        # Decided again, on another day, since the list was made.
        (
            [
                ("retract", "1", "--reason", "a fake press release"),
                ("confirm", "1", "--on", "2022-07-09", "--note", "the real one"),
            ],
            "line 2: field 'resolved_on' differs from stored claim 1 ('2022-07-09' stored, "
            "'2022-07-04' given)",
        ),
    ],
    ids=["edited", "retracted-since", "resolved-since"],
)
def test_a_list_csv_that_says_otherwise_is_refused(tracker, tmp_path, since, message):
    """A row whose status (or day) is not where its stored claim stands is refused, naming
    the field, as any record that contradicts its stored claim is; nothing is written."""
    listed = _list_of_two_decided_claims(tracker)
    if not since:
        edited = listed.replace(",disputed,", ",refuted,").replace(",false,,", ",false,2022-08-01,")
        assert edited != listed
        listed = edited
    for command in since or ():
        tracker.ok(*command)
    file = write(tmp_path / "mine.csv", listed)
    before = (tracker.ok("list", "--format", "csv").stdout, tracker.json("history"))
    assert_error(tracker("import", file), message)
    assert (tracker.ok("list", "--format", "csv").stdout, tracker.json("history")) == before


def test_a_claim_copied_by_its_list_takes_its_export_later(tracker, tmp_path, new_database):
    """A list has the likelihood and not the hedge word: the copy, given its source's full
    export later, takes the hedge it lacked (as an article it lacked) and nothing else."""
    tracker.ok("add", "The phone launches in July", "--said-on", "2022-05-23", "--source",
               "Maker", "--hedge", "official", "--key", "launch")  # fmt: skip
    tracker.ok("confirm", "launch", "--on", "2022-07-04")
    listed = write(tmp_path / "list.csv", tracker.ok("list", "--format", "csv").stdout)
    exported = tmp_path / "all.json"
    tracker.ok("export", "--output", str(exported))
    copy = type(tracker)(new_database())
    copy.ok("import", listed)
    assert copy.json("show", "launch")["hedge"] is None
    copy.ok("import", str(exported))
    shown = copy.json("show", "launch")
    assert (shown["hedge"], shown["likelihood"], shown["status"]) == ("official", 0.95, "confirmed")


# -- `export --format csv` keeps where the claims stand ------------------------------------


def _season(tracker) -> None:
    """The trial's B1 database in small: decided claims with what actually happened, one
    disputed, one withdrawn ("x will launch"), one linked as a duplicate, one pending."""
    tracker.ok("seed")
    tracker.ok("add", "x will launch", "--said-on", "2024-07-08")
    tracker.ok("withdraw", "5", "--reason", "a test claim")
    tracker.ok("add", "The first Xiaomi–Leica phone will be called the Xiaomi 12 Ultra",
               "--source", "Weibo leaker", "--said-on", "2022-05-24",
               "--hedge", "rumoured")  # fmt: skip
    tracker.ok("link", "6", "duplicates", "3", "--reason", "the same leak")
    tracker.ok("add", "The 13 Ultra launches in Q2 2023", "--source", "Digital Chat Station",
               "--said-on", "2022-12-01", "--expected", "Q2 2023", "--tag", "xiaomi")  # fmt: skip
    tracker.ok("resolve", "1", "disputed", "--reason", "the partnership was renegotiated",
               "--on", "2023-01-10")  # fmt: skip
    tracker.ok("add", "The Mix Fold 3 launches in August", "--source", "Digital Chat Station",
               "--said-on", "2023-06-01", "--expected", "August 2023",
               "--hedge", "likely")  # fmt: skip


def _standing(tracker) -> list[tuple]:
    """Where every claim stands (withdrawn and duplicates too), by uid."""
    claims = [*tracker.json("list"), *tracker.json("list", "--withdrawn"),
              *tracker.json("list", "--duplicates")]  # fmt: skip
    return sorted((c["uid"], c["text"], c["status"], c["resolved_on"], c["actual"],
                   c["withdrawn"], c["source"], c["likelihood"], c.get("hedge"))
                  for c in claims)  # fmt: skip


def test_an_export_csv_copy_stands_where_the_claims_stood(tracker, tmp_path, new_database):
    """B1: `export --format csv` imported into an empty database brought withdrawn and
    duplicate claims back as live, and every decided claim back as pending (53 pending in
    the copy against 4). The copy now has the same statuses, resolution days, actuals and
    withdrawals, and the same report."""
    _season(tracker)
    file = tmp_path / "claims.csv"
    tracker.ok("export", "--format", "csv", "--output", str(file))
    copy = type(tracker)(new_database())
    added = copy.ok("import", str(file)).stdout
    assert added == (
        "claims.csv: 8 claims, 0 evidence, 4 resolutions, 2 other changes added; "
        "0 claims unchanged\n"
    )
    assert _standing(copy) == _standing(tracker)
    for args in (("report",), ("report", "--as-of", "2025-09-15"), ("sources",)):
        assert copy.ok(*args).stdout.splitlines()[:2] == tracker.ok(*args).stdout.splitlines()[:2]
    assert copy.json("sources") == tracker.json("sources")
    assert copy.ok("export", "--format", "csv").stdout == file.read_text(encoding="utf-8")
    # Each database takes the file back adding nothing.
    for database in (tracker, copy):
        again = database.ok("import", str(file)).stdout
        assert again == (
            "claims.csv: 0 claims, 0 evidence, 0 resolutions added; 8 claims unchanged\n"
        )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (",true,,", ",false,,",
         "field 'withdrawn' differs from stored claim 5 (True stored, False given); "
         "`tracker restore` changes it"),
        ("launched in China on 4 July 2022", "launched on 5 July",
         "field 'actual' differs from stored claim 2"),
        (",false,01", ",false,,01", "cells, but the header has"),
    ],
)  # fmt: skip
def test_an_export_csv_that_says_otherwise_is_refused(tracker, tmp_path, old, new, message):
    _season(tracker)
    text = tracker.ok("export", "--format", "csv").stdout
    assert old in text
    file = write(tmp_path / "claims.csv", text.replace(old, new, 1))
    before = tracker.json("history")
    assert_error(tracker("import", file), message)
    assert tracker.json("history") == before


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("x,2022-05-23,pending,,maybe,", "line 2: field 'withdrawn': 'maybe' is not true or false"),
        ("x,2022-05-23,pending,Launched,false,",
         "line 2: field 'actual': what actually happened is said by a step that decides"),
        ("x,2022-05-23,pending,,false,abc", "line 2: field 'duplicates': 'abc' is not a uid"),
    ],
)  # fmt: skip
def test_a_listed_state_is_checked_like_any_field(tracker, tmp_path, cells, message):
    header = "text,said_on,status,actual,withdrawn,duplicates"
    file = write(tmp_path / "s.csv", f"{header}\n{cells}\n")
    assert_error(tracker("import", file), message)
    assert tracker.json("list", "--withdrawn") == []


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x,2022-05-23,confirmed,", "line 2: field 'resolved_on': required for a confirmed claim"),
        ("x,2022-05-23,decided,", "line 2: field 'status': unknown status 'decided'"),
        ("x,2022-05-23,refuted,2030-01-01", "field 'resolved_on': 2030-01-01 is in the future"),
    ],
)
def test_a_listed_status_needs_its_day(tracker, tmp_path, row, message):
    file = write(tmp_path / "s.csv", f"text,said_on,status,resolved_on\n{row}\n")
    assert_error(tracker("import", file), message)
    assert tracker.json("list") == []


# -- spreadsheets: their dates, and every bad row at once ---------------------------------------

US_SHEET = (
    "text,said_on,status,resolved_on,source\n"
    "The Switch 2 launches in June,4/2/2025,confirmed,6/5/2025,Nintendo\n"
    "GTA VI ships in fall 2025,5/2/2023,refuted,5/2/2025,Take-Two\n"
    "The Pixel 9 has Tensor G4,7/4/2024,confirmed,8/13/2024,Google\n"
)


@pytest.mark.parametrize(
    ("order", "said", "resolved"),
    [("mdy", ["2025-04-02", "2023-05-02", "2024-07-04"], ["2025-06-05", "2025-05-02",
                                                           "2024-08-13"])],
)  # fmt: skip
def test_date_order_reads_a_us_dated_sheet(tracker, tmp_path, order, said, resolved):
    """Friction 4: a sheet saved with US dates (Excel) stopped at its first 7/4/2022; the
    sheet says how it writes dates, and every numeric date is read that way."""
    file = write(tmp_path / "us.csv", US_SHEET)
    refused = tracker("import", file)
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == "Error: 3 bad records; nothing was imported"
    added = tracker.ok("import", file, "--date-order", order).stdout
    assert added == "us.csv: 3 claims, 0 evidence, 3 resolutions added; 0 claims unchanged\n"
    claims = tracker.json("list")
    assert [c["said_on"] for c in claims] == said
    assert [c["resolved_on"] for c in claims] == resolved
    # ISO dates and dates with one reading read the same whatever the order.
    assert tracker.ok("import", file, "--date-order", order).stdout.endswith(
        "; 3 claims unchanged\n"
    )


@pytest.mark.parametrize(
    ("order", "cell", "said_on", "message"),
    [("dmy", "7/4/2022", "2022-04-07", None), ("mdy", "7/4/2022", "2022-07-04", None),
     ("dmy", "2022-07-04", "2022-07-04", None), ("dmy", "13.04.2022", "2022-04-13", None),
     ("mdy", "13/04/2022", None, "'13/04/2022' is not a month/day/year date: there is no "
      "month 13"),
     ("dmy", "04/13/2022", None, "'04/13/2022' is not a day/month/year date: there is no "
      "month 13"),
     ("mdy", "2/30/2022", None, "'2/30/2022' is not a real date"),
     ("mdy", "7/4/22", None, "'7/4/22' needs a 4-digit year")],
)  # fmt: skip
def test_date_order_decides_and_never_guesses_past_it(tracker, tmp_path, order, cell, said_on,
                                                      message):  # fmt: skip
    file = write(tmp_path / "s.csv", f"text,said_on\nA claim,{cell}\n")
    result = tracker("import", file, "--date-order", order)
    if message is None:
        assert result.exit_code == 0, result.output
        assert tracker.json("list")[0]["said_on"] == said_on
    else:
        assert_error(result, f"s.csv: line 2: field 'said_on': {message}")
        assert tracker.json("list") == []


def test_a_refused_import_names_every_bad_record_and_writes_nothing(tracker, tmp_path):
    """Friction 4: only the first bad cell was named, so fixing a sheet was a loop. Every bad
    row is named now, in file order, each with its line and field; the first line says
    how many; nothing is written (a dry run too)."""
    tracker.ok("add", "Stored", "--said-on", "2022-05-23", "--key", "stored", "--subject", "S")
    sheet = (
        "key,text,said_on,subject,likelihood\n"
        "a,Fine,2022-05-23,,\n"
        "b,Bad date,2022-05-32,,\n"
        "stored,Stored,2022-05-23,Edited in the sheet,\n"
        "c,Too likely,2022-05-23,,1.5\n"
        "d,Fine too,2022-05-23,,\n"
        "e,Short row,2022-05-23\n"
        "f,Not a number,2022-05-23,,high\n"
    )
    file = write(tmp_path / "sheet.csv", sheet)
    before = tracker.json("history")
    for args in ((), ("--dry-run",)):
        result = tracker("import", file, *args)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.stderr.splitlines() == [
            "Error: 5 bad records; nothing was imported",
            "  sheet.csv: line 3: field 'said_on': '2022-05-32' is not a real date; write one "
            "that exists, e.g. 2022-07-04",
            "  sheet.csv: line 4: field 'subject' differs from stored claim 1 ('S' stored, "
            "'Edited in the sheet' given); `tracker edit` changes it",
            "  sheet.csv: line 5: field 'likelihood': likelihood must be between 0 and 1, got 1.5",
            "  sheet.csv: line 7: 3 cells, but the header has 5",
            "  sheet.csv: line 8: field 'likelihood': 'high' is not a number",
        ]
        assert tracker.json("history") == before
        assert [c["key"] for c in tracker.json("list")] == ["stored"]


def test_bad_lines_of_a_jsonl_file_are_named_together(tracker, tmp_path):
    good = {"text": "A", "said_on": "2022-05-23"}
    lines = [json.dumps(good), "{not json", json.dumps({"text": "B"}), json.dumps(good)]
    result = tracker("import", write(tmp_path / "c.jsonl", "\n".join(lines) + "\n"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: 2 bad records; nothing was imported",
        "  c.jsonl: line 2: invalid JSON: Expecting property name enclosed in double quotes",
        "  c.jsonl: line 3: field 'said_on' (or article 'published_on') is required",
    ]
    assert tracker.json("list") == []


def test_a_refused_import_stops_naming_at_fifty(tracker, tmp_path):
    rows = "".join(f"Claim {n},2022-05-3{n % 10}\n" for n in range(2, 200))
    result = tracker("import", write(tmp_path / "many.csv", "text,said_on\n" + rows))
    lines = result.stderr.splitlines()
    assert result.exit_code == 1
    assert lines[0] == (
        "Error: 50 bad records (and perhaps more after them: the import stopped there); "
        "nothing was imported"
    )
    assert len(lines) == 51 and all(line.startswith("  many.csv: line ") for line in lines[1:])
    assert tracker.json("list") == []
