"""export: the import shape (json, jsonl, csv) and ClaimReview, as a user reads them."""

import csv
import io
import json
import re
from datetime import date

import pytest
from support import Tracker, assert_error

from tracker.rules.identity import handle

PRECISE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
CSV_HEADER = (
    "id,handle,key,text,subject,status,source,said_on,expected,expected_start,expected_end,"
    "hedge,likelihood,tags,overdue,resolved_on,actual,withdrawn,duplicates,article_url,"
    "article_title,article_outlet,article_published_on,quote,uid"
)
SEED_KEYS = [
    "xiaomi-leica-partnership",
    "xiaomi-leica-launch-july",
    "xiaomi-leica-name-12-ultra",
    "xiaomi-leica-chip-sd8plus-gen1",
]
SEED_ARTICLE = {
    "title": "Xiaomi announces imaging partnership with Leica Camera",
    "published_on": "2022-05-23",
}


def nulls(value, path="$"):
    """The paths of every null in a JSON value."""
    if value is None:
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in nulls(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in nulls(v, f"{path}[{i}]")]
    return []


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# -- the seeds in every format ----------------------------------------------------------


def test_json_export_of_the_seeds(tracker):
    tracker.ok("seed")
    text = tracker.ok("export").stdout
    lines = text.split("\n")
    assert lines[0] == '{"claims": [' and lines[-2:] == ["]}", ""]
    assert len(lines) == 4 + 3  # one claim per line
    claims = json.loads(text)["claims"]
    assert [c["key"] for c in claims] == SEED_KEYS
    assert nulls(claims) == []
    partnership, launch, name, chip = claims
    assert list(partnership) == [
        "uid", "handle", "key", "text", "subject", "source", "article", "said_on", "hedge", "tags",
        "status", "resolved_on", "created_at", "updated_at", "evidence", "history",
    ]  # fmt: skip
    assert list(launch) == [
        "uid", "handle", "key", "text", "subject", "source", "article", "said_on", "expected",
        "hedge", "tags", "status", "resolved_on", "actual", "created_at", "updated_at",
        "evidence", "history",
    ]  # fmt: skip
    assert (
        launch["actual"] == "The Xiaomi 12S, 12S Pro and 12S Ultra launched in China on 4 July 2022"
    )
    assert name["actual"] == "Xiaomi 12S Ultra, launched 4 July 2022"
    assert [c["uid"] for c in claims] == sorted(c["uid"] for c in claims)  # creation order
    assert [c["uid"] for c in claims] == [c["uid"] for c in tracker.json("list")]
    assert launch["article"] == SEED_ARTICLE and list(launch["article"]) == list(SEED_ARTICLE)
    assert (launch["said_on"], launch["expected"], launch["hedge"]) == (
        "2022-05-23", "July this year", "official",
    )  # fmt: skip
    assert launch["tags"] == ["launch", "leica", "xiaomi"]
    assert [(e["stance"], e["on"]) for e in launch["evidence"]] == [
        ("supports", "2022-06-28"), ("confirms", "2022-07-04"),
    ]  # fmt: skip
    for claim in claims:
        shown = tracker.json("show", claim["key"])
        for item in claim["evidence"]:
            assert list(item)[:7] == [
                "uid", "stance", "source", "on", "note", "recorded_at", "recorded_by",
            ]  # fmt: skip
            assert item["tier"] == "official"
            assert PRECISE_TIME.match(item["recorded_at"]), item["recorded_at"]
            assert item["recorded_by"] == "tester"
        assert [e["uid"] for e in claim["evidence"]] == [e["uid"] for e in shown["evidence"]]
        assert [e["uid"] for e in claim["history"]] == [e["uid"] for e in shown["history"]]
        for event, seen in zip(claim["history"], shown["history"], strict=True):
            assert PRECISE_TIME.match(event["recorded_at"]), event["recorded_at"]
            assert (event["event"], event.get("from_status"), event["to_status"],
                    event["effective_on"], event["actor"], event.get("evidence_uid")) == (
                seen["event"], seen["from_status"], seen["to_status"], seen["effective_on"],
                seen["actor"], seen["evidence_uid"],
            )  # fmt: skip
    assert [e["event"] for e in launch["history"]] == ["created", *["evidence_added"] * 2]
    assert (launch["status"], launch["resolved_on"]) == ("confirmed", "2022-07-04")
    assert name["evidence"][0]["stance"] == "refutes"
    assert chip["source"] == "Qualcomm" and chip["hedge"] == "expected"
    assert "likelihood" not in chip  # the hedge's own: a re-import sets it again


def test_jsonl_export_is_one_claim_per_line(tracker):
    tracker.ok("seed")
    lines = tracker.ok("export", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == json.loads(tracker.ok("export").stdout)["claims"]


def test_csv_export_of_the_seeds(tracker):
    tracker.ok("seed")
    text = tracker.ok("export", "--format", "csv").stdout
    assert text.startswith(CSV_HEADER + "\n") and "\r" not in text
    header, *rows = csv_rows(text)
    shown = tracker.json("show", "xiaomi-leica-launch-july")
    assert [dict(zip(header, row, strict=True)) for row in rows][1] == {
        "id": "2",
        "handle": handle(shown["uid"]),
        "key": "xiaomi-leica-launch-july",
        "text": "The first Xiaomi–Leica imaging flagship will be officially launched "
        "in July this year",
        "subject": "Xiaomi–Leica flagship",
        "status": "confirmed",
        "source": "Xiaomi",
        "said_on": "2022-05-23",
        "expected": "July this year",
        "expected_start": "2022-07-01",
        "expected_end": "2022-07-31",
        "hedge": "official",
        "likelihood": "0.95",
        "tags": "launch;leica;xiaomi",
        "overdue": "false",
        "resolved_on": "2022-07-04",
        "actual": shown["actual"],
        "withdrawn": "false",
        "duplicates": "",
        "article_url": "",
        "article_title": SEED_ARTICLE["title"],
        "article_outlet": "",
        "article_published_on": "2022-05-23",
        "quote": "",
        "uid": shown["uid"],
    }
    assert [row[2] for row in rows] == SEED_KEYS
    # every column `list --format csv` has, with the same cells
    listing = csv_rows(tracker.ok("list", "--format", "csv").stdout)
    assert set(listing[0]) <= set(header)
    exported = [dict(zip(header, row, strict=True)) for row in rows]
    assert [{name: row[name] for name in listing[0]} for row in exported] == [
        dict(zip(listing[0], row, strict=True)) for row in listing[1:]
    ]


def test_claimreview_export_of_the_seeds(tracker):
    tracker.ok("seed")
    tracker.ok("add", "Still pending", "--said-on", "2022-05-23")
    reviews = json.loads(
        tracker.ok("--by", "Example News", "export", "--format", "claimreview").stdout
    )
    assert len(reviews) == 4  # the pending claim is not reviewed
    assert [r["reviewRating"]["alternateName"] for r in reviews] == [
        "True", "True", "False", "True",
    ]  # fmt: skip
    name = reviews[2]
    assert name == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "datePublished": "2022-06-28",
        "claimReviewed": "The first Xiaomi–Leica phone will be called the Xiaomi 12 Ultra",
        "author": {"@type": "Organization", "name": "Example News"},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": "Seed article"},
            "datePublished": "2022-05-23",
            "appearance": [
                {
                    "@type": "CreativeWork",
                    "headline": SEED_ARTICLE["title"],
                    "datePublished": "2022-05-23",
                }
            ],
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "False",
            "ratingExplanation": "Xiaomi 12S Ultra, launched 4 July 2022",
        },
    }
    assert [r["datePublished"] for r in reviews] == [
        "2022-05-23", "2022-07-04", "2022-06-28", "2022-07-04",
    ]  # fmt: skip
    assert {r["reviewRating"]["ratingValue"] for r in reviews if r is not name} == {5}


def test_claimreview_with_an_article_url_and_no_source(tracker):
    tracker.ok(
        "add", "It ships in May", "--said-on", "2024-01-10", "--article-url",
        "https://example.com/a", "--article-outlet", "Example",
    )  # fmt: skip
    tracker.ok("add", "Nobody said it", "--said-on", "2024-01-10")
    tracker.ok("refute", "1", "--on", "2024-06-01")
    tracker.ok("confirm", "2", "--on", "2024-02-01")
    tracker.ok("add", "Disputed", "--said-on", "2024-01-10")
    tracker.ok("confirm", "3", "--on", "2024-02-01")
    tracker.ok("refute", "3", "--on", "2024-02-02")
    first, second = json.loads(tracker.ok("export", "--format", "claimreview").stdout)
    assert first["url"] == "https://example.com/a"
    assert first["itemReviewed"]["appearance"] == [
        {"@type": "CreativeWork", "url": "https://example.com/a"}
    ]
    assert first["author"] == {"@type": "Organization", "name": "tester"}
    assert second["itemReviewed"] == {"@type": "Claim", "datePublished": "2024-01-10"}
    assert "url" not in second


def test_export_of_an_empty_database(tracker):
    assert tracker.ok("export").stdout == '{"claims": []}\n'
    assert tracker.ok("export", "--format", "jsonl").stdout == ""
    assert tracker.ok("export", "--format", "csv").stdout == CSV_HEADER + "\n"
    assert tracker.ok("export", "--format", "claimreview").stdout == "[]\n"


def test_likelihood_is_written_only_when_the_hedge_does_not_give_it(tracker):
    tracker.ok("add", "Hedge only", "--said-on", "2024-01-01", "--hedge", "Likely")
    tracker.ok("add", "Overridden", "--said-on", "2024-01-01", "--hedge", "likely",
               "--likelihood", "0.6")  # fmt: skip
    tracker.ok("add", "No hedge", "--said-on", "2024-01-01", "--likelihood", "0.2")
    tracker.ok("add", "Neither", "--said-on", "2024-01-01")
    claims = json.loads(tracker.ok("export").stdout)["claims"]
    assert [(c.get("hedge"), c.get("likelihood")) for c in claims] == [
        ("likely", None), ("likely", 0.6), (None, 0.2), (None, None),
    ]  # fmt: skip
    # A sheet shows the number whatever gave it, as `list --format csv` does.
    header, *rows = csv_rows(tracker.ok("export", "--format", "csv").stdout)
    cells = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(row["hedge"], row["likelihood"]) for row in cells] == [
        ("likely", "0.7"), ("likely", "0.6"), ("", "0.2"), ("", ""),
    ]  # fmt: skip


# -- spreadsheets must not run what a claim says ----------------------------------------------

HOSTILE = ["=SUM(A1)", "+1", "-1", "@x", "'quoted"]
COLUMNS = ("text", "subject", "source", "tags", "article_title")


def test_csv_export_neutralises_formulas(tracker):
    from sqlalchemy import select

    from tracker.db.database import Database
    from tracker.db.models import Claim
    from tracker.db.urls import resolve_url

    for value in HOSTILE:
        tracker.ok("add", "--said-on", "2024-01-01", "--subject", value, "--source", value,
                   "--tag", value, "--article-title", value, "--", value)  # fmt: skip
    # `list --format csv` neutralises the same way.
    listed = csv_rows(tracker.ok("list", "--format", "csv").stdout)
    assert [row[3] for row in listed[1:]] == ["'" + value for value in HOSTILE]
    tracker.ok("add", "placeholder", "--said-on", "2024-01-01", "--key", "control")

    def control_characters(session):
        # Every command strips a leading tab or CR; another tool writing the database might not.
        claim = session.scalars(select(Claim).where(Claim.key == "control")).one()
        claim.text, claim.subject = "\tx", "\rx"

    database = Database(resolve_url(tracker.url))
    database.run(control_characters, write=True)
    database.dispose()

    header, *rows = csv_rows(tracker.ok("export", "--format", "csv").stdout)
    cells = [dict(zip(header, row, strict=True)) for row in rows]
    for value, row in zip(HOSTILE, cells, strict=False):
        assert [row[column] for column in COLUMNS] == ["'" + value] * len(COLUMNS)
    assert (cells[-1]["text"], cells[-1]["subject"]) == ("'\tx", "'\rx")
    for row in cells:  # nothing a spreadsheet would run; dropping one quote gives the value
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())
    assert [row["subject"][1:] for row in cells] == [*HOSTILE, "\rx"]


# -- --output -----------------------------------------------------------------------------------


def test_output_writes_the_file_and_says_so(tracker, tmp_path):
    tracker.ok("seed")
    target = tmp_path / "out" / "claims.json"
    target.parent.mkdir()
    target.write_text("old content")
    result = tracker.ok("export", "--output", str(target))
    assert result.stdout == f"Exported 4 claims to {target}\n"
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    assert target.read_text(encoding="utf-8") == tracker.ok("export").stdout
    assert [p.name for p in target.parent.iterdir()] == ["claims.json"]  # no temporary file
    result = tracker.ok("export", "--format", "csv", "--output", str(target))
    assert target.read_text(encoding="utf-8").startswith(CSV_HEADER)


def test_output_to_a_missing_directory_is_refused(tracker, tmp_path):
    tracker.ok("seed")
    target = tmp_path / "missing" / "claims.json"
    assert_error(tracker("export", "--output", str(target)), "cannot write", str(target))
    assert not target.parent.exists()


def test_output_that_cannot_be_replaced_leaves_nothing_behind(tracker, tmp_path):
    tracker.ok("seed")
    (tmp_path / "taken").mkdir()
    assert_error(tracker("export", "--output", str(tmp_path / "taken")), "cannot write")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tracker-")]


# -- export -> import -> export ------------------------------------------------------------------


@pytest.fixture
def other_tracker(new_database):
    """A second empty database on the same backend, to import into."""
    return Tracker(new_database())


def build_history(tracker):
    """Claims with everything that decides a status, and every optional field."""
    tracker.ok("seed")
    tracker.ok(
        "add", "The tablet launches in Q3", "--key", "tablet-q3", "--subject", "Tablet",
        "--source", "Leaker", "--article-url", "https://example.com/tablet",
        "--article-title", "Tablet leak", "--article-outlet", "Example",
        "--article-date", "2024-01-05", "--expected", "Q3 2024", "--hedge", "rumoured",
        "--likelihood", "0.55", "--tag", "tablet", "--tag", "leak",
    )  # fmt: skip
    keyless = str(tracker.json("add", "No key, no hedge", "--said-on", "2024-01-05",
                               "--likelihood", "0.3")["id"])  # fmt: skip
    disputed = str(tracker.json("add", "A disputed one", "--said-on", "2024-01-05",
                                "--hedge", "could")["id"])  # fmt: skip
    tracker.ok("evidence", "tablet-q3", "supports", "--on", "2024-03-01", "--url",
               "https://example.com/s", "--note", "A case maker's listing")  # fmt: skip
    tracker.ok("confirm", "tablet-q3", "--on", "2024-08-01", "--source", "Example")
    tracker.ok("refute", "tablet-q3", "--on", "2024-08-02", "--note", "A mistake")
    refutation = tracker.json("show", "tablet-q3")["evidence"][-1]["id"]
    tracker.ok("retract", str(refutation), "--reason", "the report was wrong")
    tracker.ok("confirm", disputed, "--on", "2024-02-01")
    tracker.ok("refute", disputed, "--on", "2024-02-03")
    # A resolution, then evidence on the same day: entry order makes it disputed (evidence
    # first, then the resolution, would make it refuted).
    tracker.ok("resolve", keyless, "refuted", "--reason", "checked by hand", "--on", "2024-02-01")
    tracker.ok("confirm", keyless, "--on", "2024-02-01")
    tracker.ok("add", "--said-on", "2024-01-05", "--subject", "=SUM(A1)", "--tag", "-x", "--tag",
               "'y", "--", "'quoted")  # fmt: skip


def statuses(tracker):
    """Each claim's status, by its text: ids are the database's, not the file's."""
    return [(c["text"], c["status"], c["resolved_on"]) for c in tracker.json("list")]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_export_import_export_is_identical(tracker, other_tracker, tmp_path, fmt):
    build_history(tracker)
    first = tracker.ok("export", "--format", fmt).stdout
    if fmt == "json":  # the history above is all there
        claims = json.loads(first)["claims"]
        tablet = next(c for c in claims if c.get("key") == "tablet-q3")
        assert tablet["likelihood"] == 0.55
        retraction = tablet["history"][-1]
        assert retraction["event"] == "evidence_retracted"
        assert retraction["evidence_uid"] == tablet["evidence"][2]["uid"]
        assert (retraction["reason"], retraction["actor"]) == ("the report was wrong", "tester")
        resolution = claims[5]["history"][1]
        assert (resolution["event"], resolution["resolved_as"]) == ("resolved", "refuted")
        assert (resolution["reason"], resolution["actor"]) == ("checked by hand", "tester")
    path = tmp_path / f"claims.{fmt}"
    path.write_text(first, encoding="utf-8")
    other_tracker.ok("import", str(path))
    assert other_tracker.ok("export", "--format", fmt).stdout == first
    # A CSV file has no evidence; its claims stand where the rows list them.
    assert statuses(other_tracker) == statuses(tracker)
    assert [status for _, status, _ in statuses(tracker)][4:7] == ["confirmed", *["disputed"] * 2]


# -- streaming -------------------------------------------------------------------------------------

MANY = 3000


def test_export_streams_many_claims_in_batches(tracker):
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from tracker.commands.claims import NewClaim, add_claim
    from tracker.commands.evidence import NewEvidence, add_evidence
    from tracker.db.database import Database
    from tracker.db.urls import resolve_url

    def fill(session):
        for n in range(1, MANY + 1):
            new = NewClaim(text=f"Claim {n}", said_on=date(2024, 1, 1), key=f"c{n:05d}")
            add_claim(session, new, actor="bulk", today=date(2024, 6, 1))
        for n in (1, 1000, 1001, 2000, 2001, MANY):  # either side of each batch boundary
            evidence = NewEvidence("confirms", on=date(2024, 2, 1), note=f"for {n}")
            add_evidence(session, f"c{n:05d}", evidence, actor="bulk", today=date(2024, 6, 1))

    database = Database(resolve_url(tracker.url))
    database.run(fill, write=True)
    database.dispose()

    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        lines = tracker.ok("export", "--format", "jsonl").stdout.splitlines()
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    claims = [json.loads(line) for line in lines]
    assert [c["key"] for c in claims] == [f"c{n:05d}" for n in range(1, MANY + 1)]
    with_evidence = {c["key"]: c["evidence"][0]["note"] for c in claims if "evidence" in c}
    assert with_evidence == {f"c{n:05d}": f"for {n}" for n in (1, 1000, 1001, 2000, 2001, MANY)}
    assert len(statements) < 40  # a few per batch of claims, never one per claim
