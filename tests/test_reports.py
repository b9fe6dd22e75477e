"""report, sources and the point-in-time views, as an editor reads them."""

import json
import subprocess
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from support import assert_error

from tracker.queries.sources import wilson_lower_bound
from tracker.rules.hedges import LIKELIHOODS

TODAY = date(2025, 6, 16)  # every test here runs on this day, whatever the real date


@pytest.fixture(autouse=True)
def today(pinned_clock) -> None:
    """The tracker's today is TODAY (noon UTC) unless a test moves the clock on."""
    pinned_clock.set(TODAY.isoformat())


def days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


# -- the seed article, as the spec describes it --------------------------------------


def test_seed_report_on_2022_06_01(tracker):
    tracker.ok("seed")
    report = tracker.json("report", "--as-of", "2022-06-01")
    assert report["as_of"] == "2022-06-01"
    assert report["totals"] == {
        "pending": 3, "confirmed": 1, "refuted": 0, "disputed": 0, "overdue": 0,
    }  # fmt: skip
    pending = {c["key"]: c for c in report["pending"]}
    assert set(pending) == {
        "xiaomi-leica-launch-july", "xiaomi-leica-name-12-ultra", "xiaomi-leica-chip-sd8plus-gen1",
    }  # fmt: skip
    assert pending["xiaomi-leica-launch-july"]["days_left"] == 60  # due 2022-07-31
    assert [c["key"] for c in report["recently_resolved"]] == ["xiaomi-leica-partnership"]
    text = tracker.ok("report", "--as-of", "2022-06-01").stdout
    assert "3 pending (0 overdue) · 1 confirmed · 0 refuted · 0 disputed" in text
    assert "in 60 days" in text


def test_seed_report_today(tracker):
    tracker.ok("seed")
    report = tracker.json("report")
    assert report["totals"]["confirmed"] == 3 and report["totals"]["refuted"] == 1
    assert report["recent"] == report["recently_resolved"] == []  # all in 2022
    report = tracker.json("report", "--days", "36500")
    expected = {
        "xiaomi-leica-partnership": "confirmed",
        "xiaomi-leica-launch-july": "confirmed",
        "xiaomi-leica-name-12-ultra": "refuted",
        "xiaomi-leica-chip-sd8plus-gen1": "confirmed",
    }
    assert {c["key"]: c["status"] for c in report["recent"]} == expected
    assert {c["key"]: c["status"] for c in report["recently_resolved"]} == expected
    text = tracker.ok("report", "--days", "36500").stdout
    assert "Said in the last 36500 days" in text and "refuted" in text


# -- overdue, due within, as of -------------------------------------------------------


@pytest.fixture
def timeline(tracker):
    """Claims due in the past, soon, later and never, one confirmed and one disputed."""
    said = days(-100)
    tracker.ok("add", "Overdue one", "--said-on", said, "--expected", days(-10), "--subject", "B")
    tracker.ok("add", "Due soon", "--said-on", said, "--expected", days(5), "--subject", "A")
    tracker.ok("add", "Due later", "--said-on", said, "--expected", days(90), "--subject", "A")
    tracker.ok("add", "No window", "--said-on", said)
    tracker.ok("add", "Confirmed", "--said-on", said, "--expected", days(-20))
    tracker.ok("confirm", "5", "--on", days(-3))
    tracker.ok("add", "Disputed", "--said-on", said)
    tracker.ok("confirm", "6", "--on", days(-50))
    tracker.ok("refute", "6", "--on", days(-40))
    tracker.ok("evidence", "2", "supports", "--on", days(-2))
    tracker.ok("evidence", "2", "supports", "--on", days(-1))
    tracker.ok("evidence", "2", "contradicts", "--on", days(-1))
    return tracker


def ids(tracker, *args):
    return [c["id"] for c in tracker.json("list", *args)]


def test_overdue_and_due_within(timeline):
    assert ids(timeline, "--overdue") == [1]
    assert ids(timeline, "--due-within", "30") == [2]
    assert ids(timeline, "--due-within", "0") == []
    assert ids(timeline, "--due-within", "90") == [2, 3]
    # One duration grammar (design.md §5): weeks and months as `due --within` takes them.
    assert ids(timeline, "--due-within", "1w") == [2]
    assert ids(timeline, "--due-within", "3m") == [2, 3]
    assert ids(timeline, "--due-within", "2W") == ids(timeline, "--due-within", "14")
    assert_error(timeline("list", "--due-within", "soon"), "7d, 2w or 3m", code=2)
    assert [c["overdue"] for c in timeline.json("list")] == [True] + [False] * 5


def test_as_of_replays_and_leaves_out_later_claims(timeline):
    timeline.ok("add", "Said today")
    as_of = days(-45)  # after the confirmation of 6, before its refutation
    states = {c["id"]: c["status"] for c in timeline.json("list", "--as-of", as_of)}
    assert states == {1: "pending", 2: "pending", 3: "pending", 4: "pending", 5: "pending",
                      6: "confirmed"}  # fmt: skip
    assert ids(timeline, "--as-of", as_of, "--status", "confirmed") == [6]
    assert ids(timeline, "--as-of", days(-15), "--overdue") == [5]  # due -20, confirmed at -3
    assert ids(timeline, "--as-of", as_of, "--limit", "2") == [1, 2]
    assert_error(timeline("show", "7", "--as-of", as_of), "after --as-of")


def test_report_sections(timeline):
    report = timeline.json("report")
    assert report["totals"] == {
        "pending": 4, "confirmed": 1, "refuted": 0, "disputed": 1, "overdue": 1,
    }  # fmt: skip
    # Pending by expected end, claims without a window last.
    assert [c["id"] for c in report["pending"]] == [1, 2, 3, 4]
    assert [(c["id"], c["days_left"]) for c in report["pending"]][:3] == [(1, -10), (2, 5), (3, 90)]
    assert [c["id"] for c in report["overdue"]] == [1]
    assert [c["id"] for c in report["disputed"]] == [6]
    assert [c["id"] for c in report["recently_resolved"]] == [5]
    assert report["pending"][1]["lean"] == 1  # two supports, one contradicts
    text = timeline.ok("report").stdout
    assert "10 days overdue" in text and "in 5 days" in text and "+1" in text
    # Subjects in the order of their soonest claim: B (overdue) before A.
    assert text.index("\nB\n") < text.index("\nA\n")


def test_report_as_of_agrees_with_todays_report(timeline):
    assert timeline.json("report", "--as-of", TODAY.isoformat()) == timeline.json("report")


def test_report_limit_says_how_many_more(timeline):
    report = timeline.json("report", "--limit", "1")
    assert len(report["pending"]) == 1 and report["more"]["pending"] == 3
    assert "… and 3 more" in timeline.ok("report", "--limit", "1").stdout
    assert len(timeline.json("report", "--limit", "0")["pending"]) == 4


# -- sources -------------------------------------------------------------------------


def test_source_numbers_match_a_hand_calculation(tracker):
    for n, likelihood in enumerate(["0.9", "0.8", "0.6", "0.7"], start=1):
        tracker.ok("add", f"A{n}", "--source", "Alpha", "--likelihood", likelihood,
                   "--said-on", "2022-01-01")  # fmt: skip
    for n in (1, 2, 3):
        tracker.ok("confirm", str(n), "--on", "2022-02-01")
    tracker.ok("refute", "4", "--on", "2022-02-01")
    tracker.ok(
        "add", "B1", "--source", "Beta", "--said-on", "2022-01-01", "--expected", "January 2022"
    )
    rows = {r["name"]: r for r in tracker.json("sources")}
    alpha = rows["Alpha"]
    assert (alpha["claims"], alpha["confirmed"], alpha["refuted"]) == (4, 3, 1)
    assert alpha["accuracy"] == 0.75
    # Wilson 95% lower bound for 3 of 4, worked by hand: 0.3006.
    assert alpha["accuracy_low"] == pytest.approx(0.3006, abs=1e-4)
    # Brier: ((1-.9)² + (1-.8)² + (1-.6)² + .7²) / 4 = (.01 + .04 + .16 + .49) / 4
    assert alpha["brier"] == pytest.approx(0.175)
    beta = rows["Beta"]
    assert (beta["pending"], beta["overdue"]) == (1, 1)
    assert beta["accuracy"] is beta["accuracy_low"] is beta["brier"] is None
    assert [r["name"] for r in tracker.json("sources")] == ["Alpha", "Beta"]
    assert [r["name"] for r in tracker.json("sources", "--as-of", "2022-01-15")] == [
        "Alpha",
        "Beta",
    ]
    early = {r["name"]: r for r in tracker.json("sources", "--as-of", "2022-01-15")}
    assert early["Alpha"]["pending"] == 4 and early["Alpha"]["accuracy"] is None
    csv = tracker.ok("sources", "--format", "csv").stdout.splitlines()
    assert (
        csv[0]
        == "name,claims,pending,confirmed,refuted,disputed,overdue,accuracy,accuracy_low,brier,"
        "originated,repeated,repeat_accuracy"
    )


def test_wilson_lower_bound_properties():
    assert wilson_lower_bound(0, 0) is None
    assert wilson_lower_bound(1, 1) < wilson_lower_bound(10, 10) < wilson_lower_bound(100, 100) < 1
    assert wilson_lower_bound(0, 5) == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize(("word", "likelihood"), sorted(LIKELIHOODS.items()))
def test_hedge_words_give_the_spec_likelihoods(tracker, word, likelihood):
    assert tracker.json("add", "x", "--hedge", word.upper())["likelihood"] == likelihood


def test_spec_hedge_table():
    assert LIKELIHOODS == {
        "official": 0.95, "confirmed": 0.95, "announced": 0.95, "will": 0.9, "expected": 0.75,
        "likely": 0.7, "rumoured": 0.5, "rumored": 0.5, "reportedly": 0.5, "could": 0.35,
        "may": 0.35, "might": 0.35,
    }  # fmt: skip


# -- formats and files ------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script> & "quotes" | pipes *stars*'


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_is_self_contained_and_escaped(tracker, tmp_path):
    tracker.ok("add", HOSTILE, "--subject", "<b>subject</b>", "--source", "<i>src</i>",
               "--expected", "Q3 2030")  # fmt: skip
    out = tmp_path / "report.html"
    result = tracker.ok("report", "--format", "html", "--output", str(out))
    assert result.stdout == f"Wrote the html report as of {TODAY} to {out}\n"
    page = out.read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>subject</b>" not in page
    parser = _Tags()
    parser.feed(page)
    tags = [tag for tag, _ in parser.tags]
    assert "svg" in tags and "script" not in tags and "link" not in tags and "img" not in tags
    assert all("src" not in attrs for _, attrs in parser.tags)


def test_markdown_keeps_user_text_inert(tracker):
    tracker.ok("add", HOSTILE, "--expected", "Q3 2030")
    page = tracker.ok("report", "--format", "markdown").stdout
    assert page.startswith(f"# Claim report as of {TODAY}\n")
    row = next(line for line in page.splitlines() if "alert" in line)
    assert "\\|" in row and "\\<script\\>" in row and row.count(" | ") == 6


def test_output_is_all_or_nothing(tracker, tmp_path):
    assert_error(tracker("report", "--output", str(tmp_path / "missing" / "r.txt")), "cannot write")
    target = tmp_path / "r.md"
    tracker.ok("report", "--format", "markdown", "--output", str(target))
    assert target.read_text().startswith("# Claim report")
    assert not list(tmp_path.glob(".tracker-*"))  # no temporary file left behind


def hand_built(tracker) -> None:
    """Two subjects years apart, links of both kinds, notes and reasons."""
    tracker.ok("seed")
    tracker.ok("add", "Switch 2 launches in 2024", "--subject", "Switch 2", "--source", "VGC",
               "--said-on", "2023-09-01", "--expected", "2024",
               "--article-url", "https://example.com/vgc")  # fmt: skip
    tracker.ok("refute", "5", "--on", "2024-05-07", "--source", "Nintendo", "--url",
               "javascript:alert(1)", "--note", "Announcement this fiscal year")  # fmt: skip
    tracker.ok("add", "Backwards compatible", "--subject", "Switch 2", "--said-on", "2024-02-01",
               "--expected", "2025", "--article-url", "ftp://example.com/x")  # fmt: skip
    tracker.ok("resolve", "6", "confirmed", "--reason", "Nintendo said so", "--on", "2024-11-06")


def test_html_links_notes_reasons_and_dated_ticks(tracker):
    hand_built(tracker)
    page = tracker.ok("report", "--format", "html", "--days", "36500").stdout
    assert '<a href="https://example.com/vgc" rel="noopener noreferrer">Switch 2 launches' in page
    assert 'href="javascript' not in page and 'href="ftp' not in page
    assert "Announcement this fiscal year" in page and "Nintendo said so" in page
    # Each subject's axis spans its own claims, in months: 2022 for the seed, 2023-2025 for
    # Switch 2 (a year's first month and an axis's first tick name their year).
    assert ">Jun 2022</text>" in page and ">Jul</text>" in page and ">Aug</text>" in page
    assert ">Jan 2024</text>" in page and ">Jan 2025</text>" in page
    assert "report date " in page  # the 2022 subject's chart says where today is


def test_tick_labels_never_overlap(tracker):
    """Ticks every two months from a first label that names its year: the label that would
    run into the one before it is left out (its tick line stays)."""
    import re

    from tracker.render.report_html import LABEL_CHAR

    tracker.ok("add", "A", "--subject", "S", "--said-on", "2022-10-01", "--expected", "2024-07")
    page = tracker.ok("report", "--format", "html", "--as-of", "2023-01-01").stdout
    svg = page[page.index("<svg") : page.index("</svg>")]
    labels = re.findall(r'<text x="([\d.]+)" y="\d+" fill="#666" text-anchor="(\w+)">([^<]+)<', svg)
    lines = svg.count('stroke="#e2e2e2"')
    assert 3 < len(labels) < lines  # some tick went unlabelled
    spans = []
    for x, anchor, text in labels:
        width = LABEL_CHAR * len(text)
        start = float(x) - (width if anchor == "end" else width / 2)
        spans.append((start, start + width))
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:], strict=False))


def test_html_report_renders_in_a_browser_without_console_errors(tracker, tmp_path):
    """The page, rendered by Chromium: no console errors, and a timeline that shows marks."""
    from support import chromium, png_pixels

    browser = chromium()
    hand_built(tracker)
    tracker.ok("add", HOSTILE, "--subject", "Hostile", "--expected", "next month")
    page = tmp_path / "report.html"
    tracker.ok("report", "--format", "html", "--output", str(page), "--days", "36500")
    shot = tmp_path / "report.png"
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr",
         "--v=0", "--window-size=1100,900", f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert shot.exists() and shot.stat().st_size > 10_000, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], console
    _, _, rows = png_pixels(shot)
    # The timelines' plot areas are the page's only #fafafa: find them, look inside.
    plot = [(x, y) for y, row in enumerate(rows) for x, pixel in enumerate(row)
            if pixel == (250, 250, 250)]  # fmt: skip
    assert plot, "no timeline in the first screen"
    left, right = min(x for x, _ in plot), max(x for x, _ in plot)
    top, bottom = min(y for _, y in plot), max(y for _, y in plot)
    assert right - left > 500  # the plots are wide, whatever the span of their dates
    inside = [rows[y][x] for y in range(top, bottom + 1) for x in range(left, right + 1)]
    marks = [p for p in inside if p not in ((250, 250, 250), (255, 255, 255), (226, 226, 226))]
    assert len(marks) > 1000, len(marks)  # bars, dots and lines, not an empty chart
    assert inside.count((30, 138, 60)) > 50  # a confirmed claim's resolution dot (#1e8a3c)
    assert inside.count((192, 57, 43)) > 50  # a refuted one's (#c0392b)


def test_report_json_shape(tracker):
    tracker.ok("seed")
    report = json.loads(tracker.ok("report", "--format", "json").stdout)
    assert set(report) >= {"as_of", "totals", "pending", "overdue", "disputed",
                           "recently_resolved", "sources"}  # fmt: skip
    assert set(report["sources"][0]) >= {
        "name", "claims", "pending", "confirmed", "refuted", "disputed", "overdue", "accuracy",
        "accuracy_low", "brier",
    }  # fmt: skip


def test_json_report_lists_every_claim_unless_limited(tracker, tmp_path):
    lines = [json.dumps({"text": f"claim {n}", "said_on": "2022-01-01"}) for n in range(60)]
    (tmp_path / "many.jsonl").write_text("\n".join(lines))
    tracker.ok("import", str(tmp_path / "many.jsonl"))
    assert len(tracker.json("report")["pending"]) == 60
    assert len(tracker.json("report", "--limit", "10")["pending"]) == 10
    assert "… and 10 more" in tracker.ok("report").stdout


# -- what changed since a date (design.md §9) ------------------------------------------------------


@pytest.fixture
def week(tracker, pinned_clock):
    """A history recorded over March 2024, each step on its own day."""
    pinned_clock.set("2024-03-01")
    tracker.ok("add", "A is due on the 20th", "--key", "a", "--said-on", "2024-03-01",
               "--expected", "by 2024-03-20", "--source", "Leaker")  # fmt: skip
    tracker.ok("add", "B ships in Q2", "--key", "b", "--said-on", "2024-03-01",
               "--expected", "Q2 2024")  # fmt: skip
    tracker.ok("add", "D was due long ago", "--key", "d", "--said-on", "2024-01-01",
               "--expected", "by 2024-02-01")  # fmt: skip
    pinned_clock.set("2024-03-10")
    tracker.ok("confirm", "b", "--on", "2024-03-09", "--note", "shipped early")
    tracker.ok("add", "C arrives in May", "--key", "c", "--said-on", "2024-03-10",
               "--expected", "May 2024")  # fmt: skip
    pinned_clock.set("2024-03-25")
    tracker.ok("evidence", "a", "supports", "--on", "2024-03-24", "--note", "a hint")
    return tracker


def test_since_reports_what_was_recorded_since_the_date(week):
    report = week.json("report", "--since", "2024-03-08")
    changes = report["changes"]
    assert list(report)[:4] == ["as_of", "days", "totals", "changes"]
    assert changes["since"] == "2024-03-08"
    assert [c["key"] for c in changes["new"]] == ["c"]
    assert [
        (c["key"], c["from_status"], c["to_status"], c["effective_on"])
        for c in changes["status_changes"]
    ] == [("b", "pending", "confirmed", "2024-03-09")]
    assert changes["status_changes"][0]["recorded_at"] == "2024-03-10T12:00:00Z"
    assert [c["key"] for c in changes["newly_overdue"]] == ["a"]  # d was overdue before
    assert changes["evidence_added"] == 2
    everything = week.json("report", "--since", "2024-03-01")["changes"]
    assert [c["key"] for c in everything["new"]] == ["a", "b", "d", "c"]
    assert week.json("report", "--since", "2w")["changes"]["since"] == "2024-03-11"
    assert week.json("report", "--since", "17d")["changes"] == changes
    assert "changes" not in week.json("report")


def test_since_in_every_human_format(week):
    line = (
        "Since 2024-03-08: 1 new claim · 1 status change · 1 newly overdue · "
        "2 pieces of evidence added"
    )
    text = week.ok("report", "--since", "2024-03-08").stdout
    assert line in text
    assert text.index("New claims") < text.index("Status changes") < text.index("Newly overdue")
    assert "pending -> confirmed" in text and "C arrives in May" in text
    markdown = week.ok("report", "--since", "2024-03-08", "--format", "markdown").stdout
    assert f"## {line}\n" in markdown
    assert "### Status changes\n\n| Claim | Status |" in markdown
    page = week.ok("report", "--since", "2024-03-08", "--format", "html").stdout
    assert "<h2>What changed since 2024-03-08</h2>" in page and "<h3>Newly overdue</h3>" in page
    assert "A is due on the 20th" in page


@pytest.mark.parametrize(
    ("since", "message"),
    [("2024-04-01", "--since 2024-04-01 is after the report's date, 2024-03-25"),
     ("soon", "'soon'"), ("Q2 2024", "one date")],
)  # fmt: skip
def test_a_bad_since_is_one_clear_error(week, since, message):
    assert_error(week("report", "--since", since), message)


def test_since_as_of_an_earlier_date_replays_the_statuses(week):
    report = week.json("report", "--as-of", "2024-03-05", "--since", "2024-03-01")
    assert [c["key"] for c in report["changes"]["new"]] == ["a", "b", "d"]
    assert [c["status"] for c in report["changes"]["new"]] == ["pending"] * 3


def test_days_sets_the_recent_windows(week):
    assert [c["key"] for c in week.json("report")["recently_resolved"]] == ["b"]
    assert week.json("report", "--days", "10")["recently_resolved"] == []  # resolved on the 9th
    assert [c["key"] for c in week.json("report", "--days", "17")["recently_resolved"]] == ["b"]
    assert [c["key"] for c in week.json("report", "--days", "16")["recent"]] == ["c"]
    assert "Resolved in the last 17 days" in week.ok("report", "--days", "17").stdout
    assert_error(week("report", "--days", "0"), "0", code=2)


# -- output a person reads, and a script greps ---------------------------------------------------


def test_piped_text_is_never_cut_to_the_terminal(tracker):
    text = "The Xiaomi 12S Ultra " + "with a one-inch sensor " * 8 + "ships in July"
    tracker.ok("add", text, "--said-on", "2022-05-23", "--expected", "July 2022")
    assert text in tracker.ok("list").stdout  # `tracker list | grep Ultra` finds it
    assert text in tracker.ok("report", "--as-of", "2022-06-01").stdout


def test_no_color_turns_colour_off_even_on_a_terminal(tracker, monkeypatch):
    from click.testing import CliRunner

    from tracker.cli import main

    tracker.ok("seed")
    coloured = CliRunner().invoke(main, ["--db", tracker.url, "list"], color=True)
    assert "\x1b[" in coloured.stdout
    monkeypatch.setenv("NO_COLOR", "1")
    plain = CliRunner().invoke(main, ["--db", tracker.url, "list"], color=True)
    assert "\x1b[" not in plain.stdout and "confirmed" in plain.stdout


def test_a_markdown_more_line_is_a_paragraph_of_its_own(timeline):
    page = timeline.ok("report", "--format", "markdown", "--limit", "1").stdout
    assert "… and 3 more (raise --limit)\n\n## Disputed" in page


def test_the_docs_samples_are_what_the_tracker_makes_now():
    """docs/ holds report samples made by docs/make_samples.py; a change to the report
    that leaves them stale fails here (run the script to write them again)."""
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "docs" / "make_samples.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_change_counts_are_whole_whatever_the_limit(week):
    report = week.json("report", "--since", "2024-03-01", "--limit", "1")
    changes = report["changes"]
    assert [len(changes[k]) for k in ("new", "status_changes")] == [1, 1]
    assert changes["counts"] == {"new": 4, "status_changes": 1, "newly_overdue": 1}
    text = week.ok("report", "--since", "2024-03-01", "--limit", "1").stdout
    assert "Since 2024-03-01: 4 new claims · 1 status change" in text
    assert "… and 3 more (raise --limit)" in text


def test_a_claim_overdue_from_today_is_newly_overdue_since_today(tracker, pinned_clock):
    pinned_clock.set("2024-03-01")
    tracker.ok("add", "Due the 15th", "--said-on", "2024-03-01", "--expected", "by 2024-03-15")
    for as_of, since, listed in (("2024-03-16", "0d", 1), ("2024-03-17", "1d", 1),
                                 ("2024-03-17", "0d", 0), ("2024-03-15", "0d", 0)):  # fmt: skip
        changes = tracker.json("report", "--as-of", as_of, "--since", since)["changes"]
        assert len(changes["newly_overdue"]) == changes["counts"]["newly_overdue"] == listed


def test_one_day_is_said_in_the_singular_and_since_stays_in_range(week):
    assert "Resolved in the last day\n" in week.ok("report", "--days", "1").stdout
    assert_error(
        week("report", "--as-of", "1900-01-01", "--since", "600m"),
        "--since 600m goes back before 1900",
    )
    assert_error(week("report", "--since", "99999w"), "'99999w' is too long: give days")
