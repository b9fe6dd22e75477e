"""Security: hostile text, passwords in URLs, and a read-only PostgreSQL role (spec 5, 6, 11).

- Hostile text (SQL fragments, LIKE wildcards, quotes, backslashes, control characters,
  right-to-left marks, emoji, markup, 5,000-character strings) is stored through bound
  parameters and read back verbatim by every read command; the tables stay intact.
- NUL is refused everywhere, with one `Error:` line and nothing written.
- No password from a database URL ever appears in any output, whatever the error.
- A PostgreSQL role with only SELECT runs every read command and is refused every write
  cleanly, with the database unchanged.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from click.testing import CliRunner, Result
from support import SERVERS, assert_error, installed, table_counts

from tracker.cli import main
from tracker.db.models import SCHEMA_REVISION


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    """The CLI without --db, exceptions caught: a crash shows up as result.exception."""
    return CliRunner().invoke(main, list(args), env=env)


def assert_clean_exit(result: Result, code: int) -> None:
    """Exit `code`, no traceback, no Python exception other than SystemExit."""
    assert result.exit_code == code, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output


# -- hostile text, stored and read back verbatim ------------------------------------------

HOSTILE = {
    "sql-drop": "'; DROP TABLE claim; --",
    "sql-or": '" OR 1=1 --',
    "sql-comment": "x'/**/UNION/**/SELECT/**/name/**/FROM/**/sqlite_master--",
    "like-wildcards": "100% of_the %_% claims",
    "backslashes": "C:\\path\\to\\x \\' \\\" \\% \\_ \\\\ end\\",
    "quotes": "it's \"quoted\" `ticked` ‘curly’ “double” ''",
    "control": "bell\x07 bs\x08 esc\x1b[31mred\x1b[0m del\x7f vt\x0b ff\x0c cr\r lf\n tab\t end",
    "rtl": "evil \u202egnp.exe\u202c and \u200f\u200e marks",
    "emoji": "🚀 launch 📱 family 👨\u200d👩\u200d👧 flag 🇨🇳",
    "markup": "<script>alert('x')</script> & <b>bold</b> {{7*7}} ${x}",
    "format-strings": "%s %d {0} {name} %(x)s %%",
    "unicode": "Ξ ß ﬃ İ 日本語 ℌ",
}


@pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_text_is_stored_and_read_back_verbatim(tracker, db_url, value):
    """Every free-text field takes the value through bound parameters; every read gives it back."""
    tracker.ok("add", "a plain decoy claim", "--said-on", "2022-05-23")
    # ';' separates tags in CSV files (refused in a tag), ',' separates typed tags (split).
    tag = value.replace(";", " ").replace(",", " ").strip()
    added = tracker.json(
        "--by", value, "add", value, "--subject", value, "--source", value, "--tag", tag,
        "--article-url", value, "--article-title", value, "--article-outlet", value,
        "--said-on", "2022-05-23", "--expected", "July 2022", "--hedge", "likely",
        "--key", "hostile.key_1-x",
    )  # fmt: skip
    assert added["id"] == 2
    assert (added["text"], added["subject"], added["source"], added["tags"]) == (
        value, value, value, [tag],
    )  # fmt: skip
    assert added["article"] == {
        "url": value, "title": value, "outlet": value, "published_on": None
    }  # fmt: skip
    tracker.ok(
        "--by", value, "evidence", "2", "supports", "--source", value, "--url", value,
        "--note", value, "--on", "2022-06-01",
    )  # fmt: skip
    tracker.ok("confirm", "hostile.key_1-x", "--note", value, "--url", value, "--on", "2022-07-04")
    tracker.ok("--by", value, "retract", "2", "--reason", value)
    tracker.ok("resolve", "2", "disputed", "--reason", value, "--on", "2022-07-05")
    tracker.ok("edit", "2", "--likelihood", "0.5", "--reason", value)

    shown = tracker.json("show", "2")
    assert (shown["text"], shown["subject"], shown["source"], shown["tags"]) == (
        value, value, value, [tag],
    )  # fmt: skip
    first, second = shown["evidence"]
    assert (first["source"], first["url"], first["note"], first["recorded_by"]) == (
        value, value, value, value,
    )  # fmt: skip
    assert (second["url"], second["note"], second["retracted"]) == (value, value, True)
    reasons = [event["reason"] for event in shown["history"]]
    assert reasons == [None, None, None, value, value, value]
    assert [event["actor"] for event in shown["history"]][:4] == [value, value, "tester", value]
    assert shown["status"] == "disputed"
    assert_clean_exit(tracker("show", "2"), 0)
    assert_clean_exit(tracker("show", "hostile.key_1-x", "--as-of", "2022-06-15"), 0)

    # Filters match the value literally, whatever wildcards or quotes it holds.
    for option, given in (("--search", value), ("--subject", value), ("--source", value),
                          ("--tag", tag)):  # fmt: skip
        assert [c["id"] for c in tracker.json("list", option, given)] == [2], option
    assert [c["id"] for c in tracker.json("list", "--search", value.upper())] == [2]
    for fmt in ("text", "csv"):
        assert_clean_exit(tracker("list", "--search", value, "--format", fmt), 0)

    events = tracker.json("history")
    assert sum(event["reason"] == value for event in events) == 3
    assert sum(event["actor"] == value for event in events) == 3
    for args in (
        ["history", "2"],
        ["history", "--format", "csv"],
        ["history", "2", "--limit", "2"],
    ):
        assert_clean_exit(tracker(*args), 0)

    report = tracker.json("report")
    assert [c["text"] for c in report["disputed"]] == [value]
    assert value in [row["name"] for row in report["sources"]]
    for fmt in ("text", "markdown", "html"):
        result = tracker("report", "--format", fmt)
        assert_clean_exit(result, 0)
        if fmt == "html":
            assert "<script>" not in result.stdout and "<b>" not in result.stdout
    assert_clean_exit(tracker("report", "--as-of", "2022-06-15", "--format", "html"), 0)

    assert [row["name"] for row in tracker.json("sources")] == [value]
    for fmt in ("text", "csv"):
        assert_clean_exit(tracker("sources", "--format", fmt), 0)
    exported = json.loads(tracker.ok("export").stdout)
    assert [c["text"] for c in exported["claims"]] == ["a plain decoy claim", value]
    for fmt in ("jsonl", "csv", "claimreview"):
        assert_clean_exit(tracker("export", "--format", fmt), 0)

    assert_clean_exit(tracker("db", "check"), 0)
    assert table_counts(db_url) == {
        "alembic_version": 1, "source": 1, "article": 1, "claim": 2, "claim_tag": 1,
        "evidence": 2, "claim_event": 7, "claim_link": 0, "changeset": 7,
    }  # fmt: skip


@pytest.mark.parametrize("subject", ["Élan Phone", "İzmir launch"])
@pytest.mark.parametrize("case", [str, str.lower, str.upper], ids=["same", "lower", "upper"])
def test_the_subject_filter_matches_non_ascii_subjects(tracker, subject, case):
    tracker.ok("add", "a claim", "--subject", subject)
    assert [c["subject"] for c in tracker.json("list", "--subject", case(subject))] == [subject]


def test_text_output_does_not_pass_terminal_escapes_through(tracker, db_url):
    evil = "evil \x1b]0;pwned\x07 \x1b[2J"
    tracker.ok("add", evil, "--subject", evil, "--source", evil, "--said-on", "2022-05-23")
    tracker.ok("resolve", "1", "disputed", "--reason", evil)
    for args in (["show", "1"], ["list"], ["history"], ["report"], ["sources"]):
        runner = CliRunner()
        result = runner.invoke(main, ["--db", db_url, *args], color=True)  # as on a terminal
        assert_clean_exit(result, 0)
        for sequence in ("\x1b]0;pwned", "\x07", "\x1b[2J"):
            assert sequence not in result.stdout, (args, sequence)


def test_every_json_writer_escapes_c1_controls(tracker, tmp_path):
    """U+009B is an 8-bit CSI a terminal obeys: JSON leaves it raw unless told. `list
    --format json` escaped it while `export --format json|jsonl` wrote it raw; every JSON
    (and TOML) the tracker writes now comes from tracker.io.writers, and reads back whole."""
    csi = "Launch \x9b2J in July \x85 next line"
    tracker.ok("add", csi, "--subject", csi, "--said-on", "2022-05-23", "--key", "c1")
    tracker.ok("confirm", "c1", "--on", "2022-07-04", "--note", csi)
    tracker.ok("edit", "c1", "--subject", "Kite", "--reason", csi)  # in the history too
    outputs = {
        "list": tracker.ok("list", "--format", "json").stdout,
        "show": tracker.ok("show", "c1", "--format", "json").stdout,
        "report": tracker.ok("report", "--as-of", "2022-07-10", "--format", "json").stdout,
        "history": tracker.ok("history", "--format", "json").stdout,
        "export json": tracker.ok("export", "--format", "json").stdout,
        "export jsonl": tracker.ok("export", "--format", "jsonl").stdout,
    }
    tracker.ok("export", "--output", str(tmp_path / "out.json"))
    outputs["export file"] = (tmp_path / "out.json").read_text(encoding="utf-8")
    for name, text in outputs.items():
        assert "\x9b" not in text and "\x85" not in text, name
        assert "\\u009b" in text and "\\u0085" in text, name
    exported = [json.loads(line) for line in outputs["export jsonl"].splitlines()]
    assert exported[0]["text"] == csi and exported[0]["evidence"][0]["note"] == csi

    article = tmp_path / "article.txt"
    article.write_text(f"date 2024-01-10\n\nLeaker One says the Kite 2 will launch in May. {csi}.")
    for fmt in ("json", "toml"):
        out = CliRunner().invoke(main, ["extract", str(article), "--format", fmt]).stdout
        assert "\x9b" not in out and "\\u009b" in out, fmt


LIKE_CLAIMS = [
    "100% sure",
    "100 percent sure",
    "snake_case name",
    "snakeXcase name",
    "back\\slash",
    "backslash",
    "it's quoted",
    'say "hi"',
]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("%", ["100% sure"]),
        ("0%", ["100% sure"]),
        ("_", ["snake_case name"]),
        ("e_c", ["snake_case name"]),
        ("%_%", []),
        ("\\", ["back\\slash"]),
        ("\\%", []),
        ("k\\s", ["back\\slash"]),
        ("'", ["it's quoted"]),
        ('"', ['say "hi"']),
        ("' OR '1'='1", []),
        ("100", ["100% sure", "100 percent sure"]),
    ],
)
def test_search_matches_wildcards_and_quotes_literally(tracker, search, expected):
    for text in LIKE_CLAIMS:
        tracker.ok("add", text, "--said-on", "2022-05-23")
    assert [c["text"] for c in tracker.json("list", "--search", search)] == expected
    as_of = tracker.json("list", "--search", search, "--as-of", "2022-06-01")
    assert [c["text"] for c in as_of] == expected


@pytest.mark.parametrize(
    "key", ["a.b_c-D9", "-rf", "--", "...", "_", "1.5", "0x1F", "DROP.TABLE", "k" * 200]
)
def test_odd_but_valid_keys_work_as_claim_references(tracker, key):
    tracker.ok("add", "a claim", "--key", key, "--said-on", "2022-05-23")
    # `--` ends the options: a key that starts with a dash is still a CLAIM.
    shown = json.loads(tracker.ok("show", "--format", "json", "--", key).stdout)
    assert shown["key"] == key
    tracker.ok("confirm", "--on", "2022-07-04", "--", key)
    events = json.loads(tracker.ok("history", "--format", "json", "--", key).stdout)
    assert [e["event"] for e in events] == ["evidence_added", "created"]


@pytest.mark.parametrize(
    "key",
    ["a'b", "a b", "1; DROP TABLE claim", "123", "ключ", "a%", "a_b*", "k" * 201, "a\\b", "é"],
)
def test_invalid_keys_are_refused_and_nothing_is_written(tracker, db_url, key):
    before = table_counts(db_url)
    result = tracker("add", "a claim", "--key", key)
    assert_error(result)
    assert "key" in result.stderr
    assert table_counts(db_url) == before


LONG = ("Ω'%_\\\"; DROP TABLE claim; -- 🚀\u202e<i>" * 200)[:5000]


def test_5000_character_text_is_stored_verbatim(tracker, db_url):
    assert len(LONG) == 5000 and LONG.strip() == LONG
    added = tracker.json(
        "add", LONG, "--article-url", LONG, "--article-title", LONG, "--said-on", "2022-05-23"
    )
    assert (added["text"], added["article"]["url"], added["article"]["title"]) == (LONG,) * 3
    tracker.ok("evidence", "1", "supports", "--note", LONG, "--url", LONG, "--on", "2022-06-01")
    tracker.ok("resolve", "1", "refuted", "--reason", LONG)
    tracker.ok("retract", "1", "--reason", LONG)
    tracker.ok("edit", "1", "--text", LONG + "!", "--reason", LONG)
    shown = tracker.json("show", "1")
    assert shown["text"] == LONG + "!"
    assert (shown["evidence"][0]["note"], shown["evidence"][0]["url"]) == (LONG, LONG)
    assert [e["reason"] for e in shown["history"]][2:] == [LONG, LONG, LONG]
    assert shown["history"][-1]["changes"]["text"] == [LONG, LONG + "!"]
    assert [c["id"] for c in tracker.json("list", "--search", LONG[:200])] == [1]
    for args in (["list"], ["history"], ["sources"], ["show", "1"]):
        assert_clean_exit(tracker(*args), 0)
    for fmt in ("text", "markdown", "json", "html"):
        assert_clean_exit(tracker("report", "--format", fmt), 0)
    assert table_counts(db_url)["claim"] == 1


@pytest.mark.parametrize(
    "args",
    [
        ["add", "x", "--subject", LONG],
        ["add", "x", "--source", LONG],
        ["add", "x", "--tag", LONG],
        ["add", "x", "--article-outlet", LONG],
        ["add", "x", "--key", "k" * 5000],
        ["add", "x", "--hedge", LONG],
        ["add", LONG * 2 + "x"],
        ["evidence", "1", "supports", "--source", LONG],
        ["evidence", "1", "supports", "--note", LONG * 2 + "x"],
        ["edit", "1", "--subject", LONG],
        ["edit", "1", "--tag", LONG],
        ["resolve", "1", "confirmed", "--reason", LONG * 2 + "x"],
        ["list", "--subject", LONG],
        ["list", "--search", LONG * 2 + "x"],
    ],
    ids=lambda args: " ".join(a[:12] for a in args),
)
def test_over_long_text_is_refused_and_nothing_is_written(tracker, db_url, args):
    tracker.ok("add", "first", "--said-on", "2022-05-23")
    before = table_counts(db_url)
    result = tracker(*args)
    assert_error(result, "too long")
    assert table_counts(db_url) == before


# -- NUL ----------------------------------------------------------------------------------

NUL = "nul\x00here"
NUL_CASES = [
    ["add", NUL],
    ["add", "x", "--subject", NUL],
    ["add", "x", "--source", NUL],
    ["add", "x", "--tag", NUL],
    ["add", "x", "--key", NUL],
    ["add", "x", "--article-url", NUL],
    ["add", "x", "--article-title", NUL],
    ["add", "x", "--article-outlet", NUL],
    ["add", "x", "--article-date", NUL],
    ["add", "x", "--said-on", NUL],
    ["add", "x", "--expected", NUL],
    ["add", "x", "--hedge", NUL],
    ["evidence", "1", "supports", "--note", NUL],
    ["evidence", "1", "supports", "--url", NUL],
    ["evidence", "1", "supports", "--source", NUL],
    ["evidence", "1", "supports", "--on", NUL],
    ["confirm", "1", "--note", NUL],
    ["refute", "1", "--source", NUL],
    ["resolve", "1", "confirmed", "--reason", NUL],
    ["resolve", "1", "confirmed", "--reason", "r", "--on", NUL],
    ["retract", "1", "--reason", NUL],
    ["edit", "1", "--text", NUL],
    ["edit", "1", "--subject", NUL],
    ["edit", "1", "--expected", NUL],
    ["edit", "1", "--tag", NUL],
    ["edit", "1", "--untag", NUL],
    ["edit", "1", "--text", "y", "--reason", NUL],
    ["edit", NUL, "--text", "y"],
    ["confirm", NUL],
    ["show", NUL],
    ["show", "1", "--as-of", NUL],
    ["history", NUL],
    ["history", "--since", NUL],
    ["list", "--search", NUL],
    ["list", "--subject", NUL],
    ["list", "--source", NUL],
    ["list", "--tag", NUL],
    ["list", "--as-of", NUL],
    ["report", "--as-of", NUL],
    ["sources", "--as-of", NUL],
]


@pytest.mark.parametrize("args", NUL_CASES, ids=lambda args: " ".join(args).replace("\x00", "␀"))
def test_nul_is_refused_with_one_line_and_nothing_written(tracker, db_url, args):
    tracker.ok("add", "first", "--said-on", "2022-05-23", "--tag", "t")
    tracker.ok("evidence", "1", "supports", "--on", "2022-06-01")
    before = table_counts(db_url)
    result = tracker(*args)
    assert_error(result)
    assert table_counts(db_url) == before


def test_nul_in_the_actor_is_refused(tracker, db_url, backend, request):
    before = table_counts(db_url)
    result = tracker("--by", NUL, "add", "x")
    assert_error(result, "NUL")
    assert table_counts(db_url) == before


def test_a_long_actor_is_stored_or_refused_the_same_way_on_every_backend(
    tracker, db_url, backend, request
):
    """--by is not length-checked; the event table's actor column is VARCHAR(200)."""
    actor = "é" * 300
    result = tracker("--by", actor, "add", "x")
    if result.exit_code == 0:
        assert tracker.json("history")[0]["actor"] == actor
    else:
        assert_error(result, "--by")
        assert "database error" not in result.stderr


def test_a_source_whose_case_fold_is_longer_than_200_is_handled_on_every_backend(tracker):
    """'ß' folds to 'ss': a 150-character name folds to 300, past what a source name may be.

    Refused the same clear way on every backend, nothing written; 100 of them fit.
    """
    assert_error(tracker("add", "x", "--source", "ß" * 150), "source is too long once case-folded")
    assert tracker.json("list") == []
    name = "ß" * 100
    assert tracker.json("add", "x", "--source", name)["source"] == name
    assert [row["name"] for row in tracker.json("sources")] == [name]


# -- passwords never shown ------------------------------------------------------------------

PASSWORD = "s3Kr1t@:%/#pW"
QUOTED = quote(PASSWORD, safe="")  # s3Kr1t%40%3A%25%2F%23pW
# The password in every form it could leak in, and fragments distinctive enough to count.
PASSWORD_FORMS = {PASSWORD, QUOTED, quote_plus(PASSWORD), "s3Kr1t", "Kr1t", "#pW", "%23pW"}
UNREACHABLE = f"postgresql+psycopg://alice:{QUOTED}@127.0.0.1:9/claims"


def assert_no_password(result: Result) -> None:
    for form in PASSWORD_FORMS:
        assert form not in result.output, (form, result.output)
        assert form not in repr(result.exception), form


def every_command(tmp_path: Path) -> list[list[str]]:
    """A realistic command line for every command (`db path` is the only one that succeeds)."""
    commands = [
        ["list"], ["list", "--as-of", "2022-06-01"], ["add", "x"], ["show", "1"],
        ["edit", "1", "--text", "y"], ["evidence", "1", "supports"], ["confirm", "1"],
        ["refute", "1"], ["resolve", "1", "confirmed", "--reason", "r"],
        ["retract", "1", "--reason", "r"], ["withdraw", "1", "--reason", "r"],
        ["restore", "1", "--reason", "r"], ["link", "1", "duplicates", "2"],
        ["unlink", "1", "duplicates", "2", "--reason", "r"], ["undo"], ["history"], ["report"],
        ["report", "--format", "html", "--output", str(tmp_path / "r.html")], ["sources"],
        ["due"], ["serve", "--port", "0"], ["seed"], ["db", "upgrade"],
        ["db", "downgrade", "base"], ["db", "current"], ["db", "check"], ["db", "path"],
        ["db", "path", "--format", "json"], ["db", "verify"],
        ["db", "backup", str(tmp_path / "b.db")],
        ["watch", str(tmp_path / "feed.xml")], ["feeds", "add", "https://example.com/feed"],
        ["feeds", "list"], ["feeds", "remove", "https://example.com/feed"], ["inbox"],
        ["inbox", "accept", "1"], ["inbox", "reject", "1"],
        ["source", "rename", "Maker", "Maker Inc.", "--reason", "r"],
        ["source", "merge", "Maker", "Other", "--reason", "r"],
    ]  # fmt: skip
    commands += [["export"], ["export", "--output", str(tmp_path / "e.json")]]
    file = tmp_path / "claims.json"
    file.write_text(json.dumps({"claims": [{"text": "x", "said_on": "2022-05-23"}]}))
    commands.append(["import", str(file)])
    article = tmp_path / "article.txt"
    article.write_text("date 2022-05-23\n\nXiaomi said the phone will launch in July.\n")
    commands.append(["extract", str(article), "--add"])  # only --add opens the database
    return commands


def test_every_command_is_covered_by_the_password_tests(tmp_path):
    groups = {name for name, command in main.commands.items() if getattr(command, "commands", 0)}
    covered = {
        tuple(args[:2]) if args[0] in groups else (args[0],) for args in every_command(tmp_path)
    }
    leaves = set()
    for name, command in main.commands.items():
        sub = getattr(command, "commands", None)
        leaves |= {(name, s) for s in sub} if sub else {(name,)}
    assert leaves - covered == set()


URL_FORMS = {
    "unreachable": UNREACHABLE,
    "postgres-alias": f"postgres://alice:{QUOTED}@127.0.0.1:9/claims",
    "no-driver": f"postgresql://alice:{QUOTED}@127.0.0.1:9/claims",
    "bad-port": f"postgresql+psycopg://alice:{QUOTED}@127.0.0.1:notaport/claims",
    "unknown-driver": f"nosuchdb+nodriver://alice:{QUOTED}@127.0.0.1:9/claims",
    "missing-driver": f"mysql+pymysql://alice:{QUOTED}@127.0.0.1:9/claims",
    "bad-host": f"postgresql+psycopg://alice:{QUOTED}@[bad/claims",
    "bad-option": f"postgresql+psycopg://alice:{QUOTED}@127.0.0.1:9/claims?sslmode=bogus",
    "bad-timeout": f"postgresql+psycopg://alice:{QUOTED}@127.0.0.1:9/claims?connect_timeout=x",
    "unknown-option": f"postgresql+psycopg://alice:{QUOTED}@127.0.0.1:9/claims?bogus=1",
    "query-password": f"postgresql+psycopg://alice@127.0.0.1:9/claims?password={QUOTED}",
}


@pytest.mark.parametrize("url", list(URL_FORMS.values()), ids=list(URL_FORMS))
def test_no_password_in_any_output_whatever_the_error(tmp_path, url):
    for args in every_command(tmp_path):
        for how in ("option", "env"):
            if how == "option":
                result = invoke("--db", url, *args)
            else:
                result = invoke(*args, env={"TRACKER_DB": url})
            assert_no_password(result)
            assert_clean_exit(result, result.exit_code)
            if args[:2] == ["db", "path"] and result.exit_code == 0:
                continue
            assert_error(result)


def test_a_password_made_of_url_delimiters_never_shows(tmp_path):
    """`@ : % / #`, each URL-quoted: neither the password nor a piece of it is printed."""
    url = "postgresql+psycopg://alice:p%40ss%3Aw%25rd%2F%23x@127.0.0.1:9/claims"
    for args in every_command(tmp_path):
        result = invoke("--db", url, *args)
        for form in ("p@ss:w%rd/#x", "p%40ss%3Aw%25rd%2F%23x", "w%rd", "p@ss", "%2F%23x"):
            assert form not in result.output, (args, form, result.output)
        assert_clean_exit(result, 0 if args[:2] == ["db", "path"] else 1)
        if args[:2] != ["db", "path"]:
            assert_error(result)


def test_an_unquoted_password_that_breaks_the_url_never_shows(tmp_path):
    raw = "p@ss:w%rd/#x"
    url = f"postgresql+psycopg://alice:{raw}@127.0.0.1:9/claims"
    for args in every_command(tmp_path):
        result = invoke("--db", url, *args)
        assert_clean_exit(result, result.exit_code)
        for form in (raw, "p@ss", "w%rd", "rd/#x"):
            assert form not in result.output, (args, form, result.output)


@pytest.fixture
def password_role(postgres):
    """A real login role with a password (the server may trust it without checking)."""
    role = f"tracker_pw_{uuid.uuid4().hex[:8]}"
    literal = PASSWORD.replace("'", "''").replace("%", "%%")  # exec_driver_sql: %% is %
    with postgres.admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD '{literal}'")
    yield role
    with postgres.admin.connect() as conn:
        conn.exec_driver_sql(f"DROP ROLE IF EXISTS {role}")


@pytest.mark.parametrize("user", ["role", "superuser"])
def test_a_real_server_refusing_a_database_never_shows_the_password(
    postgres, password_role, tmp_path, user
):
    """Trust auth may accept any password, so the server refuses the database instead."""
    missing = f"no_such_db_{uuid.uuid4().hex[:8]}"
    base = postgres.base.set(database=missing, password=PASSWORD + "-wrong")
    if user == "role":
        base = base.set(username=password_role)
    url = base.render_as_string(hide_password=False)
    assert quote(PASSWORD + "-wrong", safe="") in url
    for args in every_command(tmp_path):
        result = invoke("--db", url, *args)
        assert_no_password(result)
        if args[:2] == ["db", "path"]:
            assert_clean_exit(result, 0)
            continue
        assert_error(result, missing)


def test_successful_commands_never_show_the_password(tracker, db_url, backend, tmp_path):
    """The URL with a password (trust auth ignores it) through every command that works."""
    if backend != "postgresql":
        pytest.skip("passwords are PostgreSQL URLs' business")
    from sqlalchemy.engine import make_url

    url = make_url(db_url).set(password=PASSWORD).render_as_string(hide_password=False)
    assert QUOTED in url
    run = [
        ["seed"], ["list"], ["show", "1"], ["history"], ["sources"], ["db", "current"],
        ["db", "current", "--format", "json"], ["db", "upgrade"], ["db", "check"], ["db", "path"],
        ["report", "--format", "html"], ["report", "--format", "json"],
        ["add", "x", "--key", "pw-claim"], ["confirm", "pw-claim"],
        ["show", "pw-claim", "--format", "json"],
    ]  # fmt: skip
    run.append(["export"])
    for args in run:
        result = invoke("--db", url, *args)
        assert_clean_exit(result, 0)
        assert_no_password(result)
    assert_error(invoke("--db", url, "show", "99999"))
    downgraded = invoke("--db", url, "db", "downgrade", "base")
    assert_clean_exit(downgraded, 0)
    assert_no_password(downgraded)
    result = invoke("--db", url, "list")
    assert_error(result, "tracker db upgrade")
    assert_no_password(result)


# -- a read-only PostgreSQL role or MariaDB account ---------------------------------------------


def seeded(url: str) -> None:
    owner = CliRunner()
    for args in (
        ["seed"],
        ["add", "A pending claim", "--said-on", "2022-05-23", "--key", "pending-one"],
        ["evidence", "pending-one", "supports", "--on", "2022-06-01", "--note", "a hint"],
        ["resolve", "pending-one", "disputed", "--reason", "unclear", "--on", "2022-06-02"],
    ):
        result = owner.invoke(main, ["--db", url, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output


@pytest.fixture(params=["postgresql", "mariadb"])
def read_only(request, tmp_path):
    """A seeded database, and a URL for a role that may only read it."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    server = request.getfixturevalue(SERVERS[request.param])
    name = f"{server.prefix}_ro_{uuid.uuid4().hex[:8]}"
    role = f"tracker_ro_{uuid.uuid4().hex[:8]}"
    url = server.create(name, template=server.template)
    seeded(url)
    if request.param == "mariadb":
        with server.admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE USER '{role}'@'%%' IDENTIFIED BY 'ro-pass'")
            conn.exec_driver_sql(f"GRANT SELECT ON `{name}`.* TO '{role}'@'%%'")
    else:
        with server.admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD 'ro-pass'")
            conn.exec_driver_sql(f'REVOKE ALL ON DATABASE "{name}" FROM PUBLIC')
            conn.exec_driver_sql(f'GRANT CONNECT ON DATABASE "{name}" TO {role}')
        owner_engine = create_engine(make_url(url), isolation_level="AUTOCOMMIT")
        try:
            with owner_engine.connect() as conn:
                conn.exec_driver_sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
                conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {role}")
                conn.exec_driver_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
        finally:
            owner_engine.dispose()
    role_url = (
        make_url(url).set(username=role, password="ro-pass").render_as_string(hide_password=False)
    )
    yield url, role_url
    server.drop(name)
    with server.admin.connect() as conn:
        if request.param == "mariadb":
            conn.exec_driver_sql(f"DROP USER IF EXISTS '{role}'@'%%'")
        else:
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {role}")


def ro_read_commands(tmp_path: Path) -> list[list[str]]:
    commands = [
        ["list"], ["list", "--format", "json"], ["list", "--format", "csv"],
        ["list", "--as-of", "2022-06-01"], ["list", "--status", "pending", "--overdue"],
        ["list", "--due-within", "30", "--search", "Leica"], ["show", "1"],
        ["show", "pending-one", "--format", "json"], ["show", "1", "--as-of", "2022-06-01"],
        ["history"], ["history", "1", "--format", "csv"], ["history", "--since", "2022-01-01"],
        ["sources"], ["sources", "--format", "json"], ["sources", "--as-of", "2022-06-01"],
        ["db", "current"], ["db", "current", "--format", "json"], ["db", "check"],
        ["db", "path"], ["report", "--output", str(tmp_path / "report.txt")], ["due"],
        ["due", "--within", "3m", "--format", "json"],
    ]  # fmt: skip
    for fmt in ("text", "markdown", "json", "html"):
        commands.append(["report", "--format", fmt])
        commands.append(["report", "--format", fmt, "--as-of", "2022-06-01"])
    for fmt in ("json", "jsonl", "csv", "claimreview"):
        commands.append(["export", "--format", fmt])
    commands.append(["export", "--output", str(tmp_path / "export.json")])
    return commands


def ro_write_commands(tmp_path: Path) -> list[list[str]]:
    new_seeds = tmp_path / "new_seeds"
    new_seeds.mkdir(exist_ok=True)
    (new_seeds / "more.toml").write_text(
        '[[claims]]\nkey = "brand-new"\ntext = "A brand new claim"\nsaid_on = 2022-05-23\n'
    )
    commands = [
        ["add", "x"], ["add", "x", "--source", "A New Source", "--tag", "t"],
        ["add", "y", "--source", "Xiaomi", "--key", "new-key"],
        ["evidence", "1", "supports"], ["evidence", "pending-one", "refutes", "--on", "2022-07-01"],
        ["confirm", "pending-one"], ["refute", "1"],
        ["resolve", "1", "refuted", "--reason", "r"], ["retract", "1", "--reason", "r"],
        ["edit", "1", "--text", "changed"], ["edit", "pending-one", "--tag", "new-tag"],
        ["edit", "1", "--untag", "leica"], ["withdraw", "1", "--reason", "r"],
        ["seed", str(new_seeds)], ["db", "downgrade", "base"],
        ["source", "rename", "Xiaomi", "Xiaomi Corp", "--reason", "r"],
        ["source", "merge", "Qualcomm", "Xiaomi", "--reason", "r"],
    ]  # fmt: skip
    file = tmp_path / "claims.json"
    file.write_text(
        json.dumps({"claims": [{"key": "imported", "text": "x", "said_on": "2022-05-23"}]})
    )
    commands.append(["import", str(file)])
    article = tmp_path / "article.txt"
    article.write_text("date 2022-05-23\n\nXiaomi said the phone will launch in July.\n")
    commands.append(["extract", str(article), "--add"])  # only --add opens the database
    return commands


def test_a_read_only_role_can_run_every_read_command(read_only, tmp_path):
    owner_url, role_url = read_only
    before = table_counts(owner_url)
    for args in ro_read_commands(tmp_path):
        result = invoke("--db", role_url, *args)
        assert_clean_exit(result, 0)
        assert result.stderr == "", (args, result.stderr)
    assert (tmp_path / "report.txt").read_text().strip()
    assert table_counts(owner_url) == before


def test_a_read_only_role_serves_the_team_page(read_only):
    """The page needs nothing but SELECT: served as a read-only role, every route answers."""
    installed("uvicorn", "web")
    from served import Served

    owner_url, role_url = read_only
    server = Served(role_url)
    try:
        for path in ("/", "/sources", "/claims/pending-one", "/api/report.json",
                     "/api/claims/1.json", "/api/sources.json"):  # fmt: skip
            assert server.get(path).status == 200, path
        assert "ro-pass" not in server.first_line
    finally:
        code, _, err = server.stop()
    assert code == 0 and err == "", err


def test_a_read_only_role_is_refused_every_write_cleanly(read_only, tmp_path):
    owner_url, role_url = read_only
    before = table_counts(owner_url)
    assert before["claim"] == 5
    for args in ro_write_commands(tmp_path):
        result = invoke("--db", role_url, *args)
        assert_clean_exit(result, 1)
        assert_error(result, "read-only")
        assert "ro-pass" not in result.output
        assert table_counts(owner_url) == before, args
    # Nothing to do is not a write: the seeds are already there, the schema is at head.
    result = invoke("--db", role_url, "seed")
    assert_clean_exit(result, result.exit_code)
    if result.exit_code:
        assert_error(result, "read-only")
    result = invoke("--db", role_url, "db", "upgrade")
    assert_clean_exit(result, 0)
    assert result.stdout.endswith(f" is already at revision {SCHEMA_REVISION}\n")
    assert table_counts(owner_url) == before
    assert_clean_exit(invoke("--db", role_url, "db", "check"), 0)
    assert re.search(r"5 claims", invoke("--db", role_url, "db", "check").stdout)


def test_a_one_letter_password_leaves_the_servers_words_whole(read_only, request):
    """The password is hidden where it stands, not wherever its letters occur: with the
    password `r`, the refusal reads "refused the change (permission denied ...", whole."""
    from sqlalchemy.engine import make_url

    owner_url, role_url = read_only
    role = make_url(role_url)
    backend = role.get_backend_name()
    server = request.getfixturevalue(SERVERS["mariadb" if backend != "postgresql" else backend])
    with server.admin.connect() as conn:
        if backend == "postgresql":
            conn.exec_driver_sql(f"ALTER ROLE {role.username} PASSWORD 'r'")
        else:
            conn.exec_driver_sql(f"ALTER USER '{role.username}'@'%%' IDENTIFIED BY 'r'")
    url = role.set(password="r").render_as_string(hide_password=False)
    result = invoke("--db", url, "add", "x")
    assert_error(result, "the database refused the change (", "read-only")
    assert "***" not in result.output and "denied" in result.output.lower()
    assert ":r@" not in invoke("--db", url, "db", "path").output
