"""extract: claims proposed from articles (design.md §11), as a journalist would use it."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support import assert_error, data_file

from tracker.cli import main
from tracker.rules.dates import parse_window

ROOT = Path(__file__).resolve().parents[1]


def extract(*args: str, input: str | None = None):
    """`tracker extract ...` in-process, with no database given: it must not need one."""
    return CliRunner().invoke(main, ["extract", *args], input=input, catch_exceptions=False)


def claims_of(*args: str, input: str | None = None) -> list[dict]:
    result = extract(*args, "--format", "json", input=input)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["claims"]


def article(tmp_path: Path, text: str, name: str = "article.txt") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def window(claim: dict) -> tuple[str, str] | None:
    if claim.get("expected") is None:
        return None
    found = parse_window(claim["expected"], date.fromisoformat(claim["said_on"]))
    return found.start.isoformat(), found.end.isoformat()


def only(claims: list[dict], fragment: str) -> dict:
    found = [claim for claim in claims if fragment in claim["quote"]]
    assert len(found) == 1, [claim["quote"] for claim in claims]
    return found[0]


# -- the seed article: the acceptance case --------------------------------------------


@pytest.fixture
def seed_article() -> str:
    return str(data_file("000_019e63c52c99b0d6.txt"))


def test_seed_article_gives_the_launch_the_name_and_the_chip(seed_article):
    claims = claims_of(seed_article)
    assert 3 <= len(claims) <= 8
    launch = only(claims, "officially launched in July this year")
    assert window(launch) == ("2022-07-01", "2022-07-31")
    assert launch["expected"] == "July 2022"  # absolute: means the same on any day
    assert launch["likelihood"] >= 0.9 and launch["hedge"] == "official"
    assert launch["source"] == "Xiaomi" and launch["said_on"] == "2022-05-23"
    assert launch["text"].startswith("The first imaging flagship smartphone")
    assert "“" not in launch["text"] and "said" not in launch["text"]
    name = only(claims, "will likely be the Xiaomi 12 Ultra")
    assert (name["hedge"], name["likelihood"], name["cue"]) == ("likely", 0.7, "will likely")
    chip = only(claims, "Snapdragon 8+ Gen 1 processor")
    assert chip["likelihood"] >= 0.7
    quotes = " ".join(claim["quote"] for claim in claims)
    for background in ("will be hoping", "wait and see", "not the first", "has not confirmed"):
        assert background not in quotes


# -- reading articles: headers, formats, options ---------------------------------------


def test_text_headers_and_the_leading_date_token(tmp_path):
    headed = article(
        tmp_path,
        "date 2024-03-12\ntitle Aster 9 leak\nurl https://example.com/a\noutlet Gadget Ledger\n\n"
        "The Aster 9 Pro will ship in October 2024, people familiar with the matter said.\n",
    )
    (claim,) = claims_of(headed)
    assert claim["said_on"] == "2024-03-12" and claim["source"] == "Gadget Ledger"
    assert claim["article"] == {
        "url": "https://example.com/a",
        "title": "Aster 9 leak",
        "outlet": "Gadget Ledger",
        "published_on": "2024-03-12",
    }
    token = article(tmp_path, " date 2022-05-23 Orbit said the Watch 3 will cost $399.", "b.txt")
    (claim,) = claims_of(token)
    assert claim["said_on"] == "2022-05-23" and claim["source"] == "Orbit"
    assert claim["text"] == "The Watch 3 will cost $399"


def test_markdown_front_matter_and_marks(tmp_path):
    path = article(
        tmp_path,
        '---\ntitle: "Fold 2 leak"\ndate: 2024-05-09\noutlet: Foldables Today\n---\n\n'
        "# Is the Lumen Fold 2 launching in August?\n\n"
        "**Sources say** the [Lumen Fold 2](https://example.com) will launch in *August*.\n",
        "post.md",
    )
    (claim,) = claims_of(path)  # the question headline gives way to the story's sentence
    assert claim["quote"] == "Sources say the Lumen Fold 2 will launch in August."
    assert claim["article"]["title"] == "Fold 2 leak"
    assert (claim["hedge"], window(claim)) == ("rumoured", ("2024-08-01", "2024-08-31"))


def test_html_meta_headers_and_page_furniture_left_out(tmp_path):
    page = article(
        tmp_path,
        """<!doctype html><html><head><title>Q-Core X2 unveiled | Chipwire</title>
        <meta property="og:site_name" content="Chipwire">
        <meta property="article:published_time" content="2024-10-22T09:30:00Z">
        <link rel="canonical" href="https://chipwire.example/x2">
        <script>var note = "The X3 will ship in Q1 2025.";</script></head><body>
        <nav><a href="/deals">Prices will drop in Q4 2024!</a></nav>
        <article><p>&ldquo;Laptops with the X2 will be on shelves by mid-2025,&rdquo; Quanta
        chief executive Mei Lin said.</p></article>
        <footer>The X4 could arrive in 2026.</footer></body></html>""",
        "page.html",
    )
    (claim,) = claims_of(page)
    assert claim["article"] == {
        "url": "https://chipwire.example/x2",
        "title": "Q-Core X2 unveiled",
        "outlet": "Chipwire",
        "published_on": "2024-10-22",
    }
    assert (claim["source"], claim["expected"]) == ("Mei Lin", "by mid-2025")
    assert claim["text"] == "Laptops with the X2 will be on shelves by mid-2025"


def test_options_override_headers_per_file_headers_and_file_order(tmp_path):
    first = article(
        tmp_path, "date 2024-01-10\noutlet First\n\nThe Kite 2 will launch in March.\n", "1.txt"
    )
    second = article(
        tmp_path, "date 2025-06-01\noutlet Second\n\nThe Kite 3 will launch in March.\n", "2.txt"
    )
    claims = claims_of(second, first)
    assert [c["quote"][:10] for c in claims] == ["The Kite 3", "The Kite 2"]  # file order
    assert [window(c) for c in claims] == [
        ("2026-03-01", "2026-03-31"),
        ("2024-03-01", "2024-03-31"),
    ]  # each read against its own date
    assert [c["source"] for c in claims] == ["Second", "First"]
    over = claims_of(first, second, "--date", "2023-12-01", "--outlet", "Over", "--source", "Ed")
    assert {c["said_on"] for c in over} == {"2023-12-01"}
    assert {c["expected"] for c in over} == {"March 2024"}
    assert {c["article"]["outlet"] for c in over} == {"Over"}
    assert {c["source"] for c in over} == {"Ed"}  # --source before the outlet


def test_standard_input_is_an_article(tmp_path):
    claims = claims_of("-", "--date", "2024-01-10", input="Norvik says the Tab will cost $449.")
    assert [c["source"] for c in claims] == ["Norvik"]


def test_without_a_date_extract_fails_with_one_line(tmp_path):
    path = article(tmp_path, "The Kite 2 will launch in March.\n")
    assert_error(extract(path), "article.txt: no date", "--date")
    assert_error(extract(path, "--date", "March"), "one date is needed")
    assert_error(extract(path, "--date", ""), "no date given")
    assert_error(extract(str(tmp_path / "missing.txt"), "--date", "2024-01-01"), "cannot read")
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("date 2024-01-01\n\nCaf\xe9 will open in May.".encode("latin-1"))
    assert_error(extract(str(bad)), "not UTF-8")


def test_a_book_is_refused_in_one_line(tmp_path):
    book = article(tmp_path, "date 2024-01-10\n\n" + "The Kite 2 will cost $99. " * 25_000)
    assert_error(extract(book), "too long for an article")


def test_an_empty_article_gives_no_candidates(tmp_path):
    empty = article(tmp_path, "\n  \n")
    result = extract(empty)
    assert result.exit_code == 0 and tomllib.loads(result.stdout) == {"claims": []}
    assert claims_of(empty) == []
    background = article(tmp_path, "date 2024-01-10\n\nThe Kite 1 sold well last year.\n", "b")
    assert claims_of(background) == []


def test_text_format_lists_candidates_for_reading(tmp_path):
    path = article(tmp_path, "date 2024-01-10\noutlet Desk\n\nThe Kite 2 is tipped to cost $99.")
    result = extract(path, "--format", "text")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{path}: 1 candidate (Desk — 2024-01-10)",
        "  1. The Kite 2 is tipped to cost $99",
        "     rumoured 0.50; source Desk; subject Kite 2; cue “tipped”",
    ]


# -- hedges ------------------------------------------------------------------------------

HEDGES = [
    ("The Kite 2 will likely launch in March.", "likely", 0.7, "will likely"),
    ("The Kite 2 is said to cost $99.", "rumoured", 0.5, "is said to"),
    ("The Kite 2 is tipped to launch in March.", "rumoured", 0.5, "tipped"),
    ("Leaked renders show the Kite 2 in three colours.", "rumoured", 0.5, "Leaked"),
    ("Kite expects to ship 2 million units in March.", "expected", 0.75, "expects"),
    ("The Kite 2 is expected to launch in March.", "expected", 0.75, "is expected to"),
    ("The Kite 2 reportedly costs $99.", "reportedly", 0.5, "reportedly"),
    ("The Kite 2 could cost $99.", "could", 0.35, "could"),
    ("The Kite 2 will cost $99.", "will", 0.9, "will"),
    ("Kite said the Kite 2 will cost $99.", "official", 0.95, "said"),
    ("Kite said the Kite 2 could cost $99.", "could", 0.35, "could"),  # the weakest wins
    ("The Kite 2 will cost $99, people familiar with the matter said.", "rumoured", 0.5, None),
    ("Sources say the Kite 2 will launch in March.", "rumoured", 0.5, None),
    ("Will the Kite 2 launch in March?", "rumoured", 0.5, "?"),
]


@pytest.mark.parametrize(("sentence", "hedge", "likelihood", "cue"), HEDGES)
def test_the_weakest_cue_sets_the_hedge(tmp_path, sentence, hedge, likelihood, cue):
    (claim,) = claims_of(article(tmp_path, f"date 2024-01-10\n\n{sentence}\n"))
    assert (claim["hedge"], claim["likelihood"]) == (hedge, likelihood)
    if cue is not None:
        assert claim["cue"] == cue
    if hedge == "rumoured":
        assert claim["likelihood"] <= 0.5  # questions and unnamed sources are rumours


def test_background_and_opinion_are_not_candidates(tmp_path):
    text = (
        "date 2024-01-10\n\nThe Kite 1 launched in March 2022 at $299. Kite will be hoping to"
        " repeat that success. We will have to wait and see. What can we expect? Kite has not"
        " confirmed the name of the phone. Reviewers praised its display.\n"
    )
    assert claims_of(article(tmp_path, text)) == []


# -- windows -----------------------------------------------------------------------------

WINDOWS = [  # said on 2024-01-10: (sentence, expected, window)
    ("Deliveries begin in the third quarter of 2025.", "Q3 2025", ("2025-07-01", "2025-09-30")),
    ("The Kite 2 will launch in July this year.", "July 2024", ("2024-07-01", "2024-07-31")),
    ("It will launch later this year.", "by the end of 2024", ("2024-01-10", "2024-12-31")),
    ("It will launch in the second half of the year.", "H2 2024", ("2024-07-01", "2024-12-31")),
    ("The Kite 2 will launch in the spring.", "spring 2024", ("2024-03-01", "2024-05-31")),
    ("The Kite 2 will launch on March 3.", "3 March 2024", ("2024-03-03", "2024-03-03")),
    ("The Kite 2 will launch next year.", "2025", ("2025-01-01", "2025-12-31")),
    ("The Kite 2 will launch by mid-2025.", "by mid-2025", ("2024-01-10", "2025-08-31")),
    ("Kite delayed the Kite 2 from March to early 2025.", "early 2025",
     ("2025-01-01", "2025-04-30")),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "phrase", "span"), WINDOWS)
def test_time_phrases_become_absolute_windows(tmp_path, sentence, phrase, span):
    (claim,) = claims_of(article(tmp_path, f"date 2024-01-10\n\n{sentence}\n"))
    assert (claim["expected"], window(claim)) == (phrase, span)


def test_a_window_over_before_the_article_is_left_out_and_the_claim_kept(tmp_path):
    text = "date 2024-01-10\n\nKite said the Kite 2 will be cheaper than the Kite 1 of 2023.\n"
    (claim,) = claims_of(article(tmp_path, text))
    assert "expected" not in claim or claim["expected"] is None
    result = extract(article(tmp_path, text, "b.txt"))
    assert "expected" not in tomllib.loads(result.stdout)["claims"][0]


def test_version_numbers_and_durations_are_not_windows(tmp_path):
    text = (
        "date 2024-01-10\n\nKite said the team may enable the scheduler in 3.14. Messages will"
        " be free for the first two years, Kite said.\n"
    )
    assert [c["expected"] for c in claims_of(article(tmp_path, text))] == [None, None]


# -- documents: valid TOML and JSON whatever the text -----------------------------------

weird = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=80,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=weird, name=weird)
def test_documents_are_valid_whatever_the_article_says(tmp_path, words, name):
    text = f'date 2024-01-10\n\n{name} said the "Kite 2" {words} will cost $99 in March.\n'
    path = article(tmp_path, text)
    toml = extract(path)
    assert toml.exit_code == 0, toml.output
    from_toml = tomllib.loads(toml.stdout)["claims"]
    from_json = claims_of(path)
    assert from_toml == [{k: v for k, v in c.items() if v is not None} for c in from_json]


line = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=400
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(outlet="Wire", title="T", speaker="Qwertyuiop" * 30, day=date(2023, 1, 1))
@given(
    outlet=line,
    title=line,
    speaker=st.one_of(
        line, st.from_regex(r"[A-Z][a-z]{1,12}( [A-Z][a-z]{1,12}){0,40}", fullmatch=True)
    ),
    day=st.dates(date(1990, 1, 1), date(2100, 1, 1)),
)
def test_a_document_imports_as_it_is_or_extract_says_why(
    tmp_path, sqlite_template, outlet, title, speaker, day
):
    """Headers and speakers of any length and text: either one Error line naming the
    article, or a document that `tracker import` loads as it is (design.md §11)."""
    text = (f"date {day.isoformat()}\noutlet {outlet}\ntitle {title}\n\n"
            f"{speaker} said the Kite 2 will cost $99 in March.\n")  # fmt: skip
    path = article(tmp_path, text)
    result = extract(path)
    if result.exit_code != 0:
        assert_error(result, f"{path}: the article's")
        return
    db = tmp_path / f"{abs(hash(text))}.db"
    shutil.copyfile(sqlite_template, db)  # a migrated database, not a migration per example
    loaded = CliRunner().invoke(main, ["--db", str(db), "import", "-", "--format", "toml"],
                                input=result.stdout)  # fmt: skip
    assert loaded.exit_code == 0, loaded.output


def test_extract_without_add_never_loads_sqlalchemy(tmp_path):
    """No database, so none of its weight: extract stays well under a second."""
    path = article(tmp_path, "date 2024-01-10\n\nKite said the Kite 2 will cost $99 in March.\n")
    code = (
        "import sys; from tracker.cli import main\n"
        f"try: main(['extract', {path!r}, '--format', 'json'])\nexcept SystemExit: pass\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert '"claims"' in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_standard_input_is_read_once(tmp_path):
    assert_error(extract("-", "-"), "standard input ('-') can be read once", code=2)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["text", "quote", "cue"]), weird), max_size=3))
def test_toml_writer_round_trips_any_text(records):
    from tracker.io.writers import toml_claims as claims_document

    assert tomllib.loads(claims_document(records)) == {"claims": records}


# -- the database: only with --add, through the import ------------------------------------


def test_extract_without_add_never_opens_the_database(tmp_path, seed_article):
    db = tmp_path / "never.db"
    result = CliRunner().invoke(main, ["--db", str(db), "extract", seed_article])
    assert result.exit_code == 0 and not db.exists()


def test_add_logs_the_candidates_once(tracker, seed_article):
    first = tracker.ok("extract", seed_article, "--add")
    added = len(tracker.json("list"))
    name = Path(seed_article).name
    assert first.stdout == (
        f"{name}: {added} claims, 0 evidence, 0 resolutions added; 0 claims unchanged\n"
    )
    again = tracker.ok("extract", seed_article, "--add")
    assert (
        again.stdout
        == f"{name}: 0 claims, 0 evidence, 0 resolutions added; {added} claims unchanged\n"
    )
    launch = next(c for c in tracker.json("list") if "July" in c["text"])
    shown = tracker.ok("show", str(launch["id"])).stdout
    assert "Quote:" in shown and "officially launched in July this year" in shown


def test_extract_pipes_into_import_as_real_processes(tmp_path, seed_article):
    db = str(tmp_path / "piped.db")
    extracted = subprocess.run(
        [sys.executable, "-m", "tracker", "extract", seed_article],
        capture_output=True,
        check=True,
    )
    imported = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", db, "import", "-", "--format", "toml"],
        input=extracted.stdout,
        capture_output=True,
        check=True,
    )
    count = extracted.stdout.count(b"[[claims]]")
    assert imported.stdout.decode() == (
        f"stdin: {count} claims, 0 evidence, 0 resolutions added; 0 claims unchanged\n"
    )
    listed = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", db, "list", "--format", "json"],
        capture_output=True,
        check=True,
    )
    claims = json.loads(listed.stdout)
    assert len(claims) == count and any("12 Ultra" in c["text"] for c in claims)


# -- how good it is: the evaluation set's figures may not fall -----------------------------


def test_evaluation_figures_do_not_regress():
    spec = importlib.util.spec_from_file_location(
        "extract_eval", ROOT / "tests/bench/extract_eval.py"
    )
    assert spec and spec.loader
    evaluation = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = evaluation  # dataclasses look their module up there
    spec.loader.exec_module(evaluation)
    per_article, total = evaluation.evaluate()
    assert len(per_article) >= 17 and total.gold >= 97
    figures = total.figures()
    # Measured 0.97, 0.99, 1.00, 1.00 and 0.94 (see README); floors a little below.
    assert figures["precision"] >= 0.92, figures
    assert figures["recall"] >= 0.95, figures
    assert figures["hedge"] >= 0.95, figures
    assert figures["window"] >= 0.95, figures
    assert figures["source"] >= 0.88, figures


# -- a new-user trial: each finding, in the trial's own sentences ---------------------------


def trial(text: str, day: str = "2023-05-22") -> list[dict]:
    """The candidates of `text` as the trial ran it: stdin, a date and an outlet header."""
    return claims_of("-", input=f"date {day}\noutlet Wire\n\n{text}\n")


def test_a_past_month_is_never_a_future_window():
    cut = "Meta launched the Quest Pro in October 2022 and cut its price to $999 in March."
    assert trial(cut) == []  # a past fact: background
    shown = trial(
        "Nintendo showed the hardware to developers at Gamescom in August, sources say.",
        "2023-09-07",
    )
    assert [c["expected"] for c in shown] in ([], [None])
    (said,) = trial(
        "Furukawa said in May that the Switch successor would launch in 2024.", "2023-09-07"
    )
    assert said["expected"] == "2024"
    assert said["text"] == "The Switch successor would launch in 2024"


TENSES = [  # said on 2024-01-10: the verb nearest the time phrase says when it is
    ("Kite shipped the Kite 1 on March 3.", None),
    ("Kite held an event in March.", None),
    ("In March, Kite cut the price of the Kite 1.", None),
    ("Kite said in March that the Kite 2 is coming.", None),
    ("The Kite 2 will be officially launched in July.", "July 2024"),
    ("The updated Kite 2 arrives in March.", "March 2024"),
    ("Kite will cut the price in March.", "March 2024"),
    ("Kite sent out invitations for an event on March 3.", "3 March 2024"),
    ("The Kite 2 will launch in July of next year.", "July 2025"),
]


@pytest.mark.parametrize(("sentence", "phrase"), TENSES)
def test_the_nearest_verb_places_a_time_phrase(sentence, phrase):
    from tracker.extract.windows import find_window

    found = find_window(sentence, date(2024, 1, 10))
    assert (found.phrase if found else None) == phrase


def test_the_people_said_is_unnamed_sources():
    (claim,) = trial("The iPhone 15 will cost $799, the people said.")
    assert (claim["hedge"], claim["source"]) == ("rumoured", "Wire")
    assert claim["likelihood"] <= 0.5


OTHERS = [  # (sentence, hedge, source): neither is the company speaking for itself
    ("The iPhone 15 Pro will use a titanium frame, analyst Jeff Pu said.", "expected", "Jeff Pu"),
    ("The iPhone 15 could cost $899, analyst Jeff Pu said.", "could", "Jeff Pu"),
    ("Apple will release a foldable iPad in 2024, according to a report from The Information.",
     "reportedly", "The Information"),
    ("Apple could release a foldable iPad in 2024, according to a report from The Information.",
     "could", "The Information"),
    ("According to [Bloomberg](https://www.bloomberg.com/news), Apple will launch the Vision Pro"
     " in early 2024.", "reportedly", "Bloomberg"),
    ("Bloomberg reports that Apple will launch a new Apple TV in 2024.", "reportedly", "Bloomberg"),
    ("According to Qualcomm, the Snapdragon 8 Gen 3 will ship in October.", "official",
     "Qualcomm"),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "hedge", "source"), OTHERS)
def test_analysts_and_outlets_are_not_official(sentence, hedge, source):
    (claim,) = trial(sentence)
    assert (claim["hedge"], claim["source"]) == (hedge, source)


@pytest.mark.parametrize("before", ["Both devices run One UI 5.1.1 on top of Android 13.",
                                    "The Fold5 weighs 253 grams."])  # fmt: skip
def test_the_company_is_the_organisation_named_not_a_first_word(before):
    claims = trial(
        f"{before} Samsung will roll out One UI 6 to both phones later this year, the company"
        " said.",
        "2023-07-26",
    )
    rollout = only(claims, "One UI 6")
    assert (rollout["source"], rollout["hedge"]) == ("Samsung", "official")


def test_v_between_parties_does_not_end_a_sentence():
    from tracker.extract.sentences import split

    first = (
        "Microsoft is planning a disc-less Xbox Series X refresh for 2024, according to"
        " documents filed in the FTC v. Microsoft case."
    )
    second = "The documents show the console would cost $499."
    assert split(f"{first} {second}") == [first, second]
    price = only(trial(f"{first} {second}"), "$499")
    assert price["quote"] == second and price["likelihood"] <= 0.5


def test_an_attribution_with_its_setting_is_trimmed_from_the_text():
    said = (
        'The company said in a blog post that "Android 14 will roll out to supported Pixel phones'
        ' later this year."'
    )
    (claim,) = trial(said)
    assert claim["text"] == "Android 14 will roll out to supported Pixel phones later this year"
    (claim,) = trial(said.replace("The company", "Google"))
    assert (claim["source"], claim["hedge"]) == ("Google", "official")


def test_no_plans_is_a_negative_claim_never_will_from_plans_to():
    (claim,) = trial("Apple has no plans to release a cheaper Vision Pro in 2024.")
    assert claim["text"] == "Apple has no plans to release a cheaper Vision Pro in 2024"
    assert claim["cue"] != "plans to" and claim["hedge"] != "will"
    assert (claim["hedge"], claim["source"], claim["expected"]) == ("official", "Apple", "2024")


RANGES = [
    ("The Galaxy Ring will launch between March and May 2024.", ("2024-03-01", "2024-05-31")),
    ("The Switch 2 will launch sometime in 2024 or 2025.", ("2024-01-01", "2025-12-31")),
    ("The Pixel Fold 2 will ship in Q3 or Q4 2024.", ("2024-07-01", "2024-12-31")),
    ("The service will reach 100 million subscribers in Q3 of its first year.", None),
]


@pytest.mark.parametrize(("sentence", "span"), RANGES)
def test_ranges_are_whole_and_relative_quarters_are_no_window(sentence, span):
    (claim,) = trial(sentence)
    assert window(claim) == span


@pytest.mark.parametrize(
    "question",
    [
        "Will the Pixel 8 ship in October?",
        "Will Apple raise the price of the iPhone 15 in September?",
        "Is the Pixel 8 Pro getting a temperature sensor?",
    ],
)
def test_a_question_about_a_checkable_event_is_a_rumour(question):
    (claim,) = trial(question)
    assert claim["hedge"] == "rumoured" and claim["likelihood"] <= 0.5


RUMOURS = [
    ("Sources say Apple will drop the Lightning port.", "Wire"),
    ("Samsung is rumoured to be working on a tri-fold phone.", "Wire"),
    ("The phone is rumoured to use the Tensor G3 chip.", "Wire"),
    ("According to tipster Kamila Wojciechowska, the phone is said to use Samsung's ISOCELL GN2"
     " sensor.", "Kamila Wojciechowska"),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "source"), RUMOURS)
def test_clear_rumours_are_candidates(sentence, source):
    (claim,) = trial(sentence)
    assert (claim["hedge"], claim["likelihood"], claim["source"]) == ("rumoured", 0.5, source)


def test_a_markdown_table_is_not_prose():
    table = "| Model | Price |\n|---|---|\n| iPhone 15 | will cost $799 in September |"
    assert trial(table) == []


def test_add_with_another_format_is_a_usage_error(tmp_path):
    path = article(tmp_path, "date 2024-01-10\n\nThe Kite 2 will cost $99.\n")
    result = CliRunner().invoke(
        main, ["--db", str(tmp_path / "t.db"), "extract", path, "--add", "--format", "json"]
    )
    assert result.exit_code == 2 and "--add" in result.output and "--format" in result.output
    assert not (tmp_path / "t.db").exists()


def test_an_appositive_speaker_is_the_source():
    (claim,) = trial(
        "The company's president, Shuntaro Furukawa, said the Switch successor will launch in 2024."
    )
    assert (claim["source"], claim["hedge"]) == ("Shuntaro Furukawa", "official")
    assert claim["text"] == "The Switch successor will launch in 2024"


def test_habits_and_fixed_facts_are_background():
    assert trial("Nintendo's fiscal year ends March 31.") == []
    assert trial("Google typically holds its hardware event in early October.") == []


def test_a_company_press_release_speaks_for_the_company():
    claims = trial(
        "SEOUL, Korea – July 26, 2023 – Samsung Electronics today announced the Galaxy Z Fold5"
        " and Galaxy Z Flip5. Pre-orders begin today.\n\nThe Galaxy Z Fold5 will be available in"
        " the U.S. starting August 11 at $1,799.99.",
        "2023-07-26",
    )
    assert [(c["hedge"], c["source"]) for c in claims] == [
        ("announced", "Samsung Electronics"),
        ("official", "Samsung Electronics"),
        ("official", "Samsung Electronics"),
    ]
    assert window(claims[2]) == ("2023-08-11", "2023-08-11")
    # A news story that opens the same way is the outlet's: no dateline, no newsroom.
    story = trial("Samsung today announced the Galaxy Z Fold5. The Fold5 will cost $1,799.")
    assert [(c["hedge"], c["source"]) for c in story][-1] == ("will", "Wire")


def test_fixes_from_the_held_out_run():
    (colours,) = trial("Tipster Vera Lindqvist said the tablet will come in three colours.")
    assert (colours["hedge"], colours["source"]) == ("rumoured", "Vera Lindqvist")
    (pens,) = trial('Nimbus said that "every new Slate will work with the pens you own."')
    assert (pens["hedge"], pens["source"]) == ("official", "Nimbus")
    (today,) = trial("Kite said pre-orders open today.")
    assert window(today) == ("2023-05-22", "2023-05-22")
    assert trial('"Our customers asked for it, and the Arc 2 delivers it," Kite said.') == []


def test_relayed_words_need_a_named_thing_ahead_and_a_speaker_is_a_name():
    assert trial("People familiar with the matter say Samsung is worried.") == []
    (cheaper,) = trial("Insiders claim the Pixel 8 will be cheaper.")
    assert cheaper["hedge"] == "rumoured"
    (cook,) = trial("Apple CEO Tim Cook said the company will open a store in Mumbai in 2024.")
    assert cook["source"] == "Tim Cook"
    (gurman,) = trial("Gurman, who writes for Bloomberg, said the Vision Pro will cost $3,499.")
    assert (gurman["source"], gurman["hedge"]) == ("Gurman", "reportedly")
    (tri,) = trial("Could Samsung launch a tri-fold phone this year?")
    assert tri["likelihood"] <= 0.5
    assert trial("Does an August launch make sense?") == []
