"""import of published ClaimReview (design.md §10): every shape fact-checkers publish,
the verdict table and the numeric scales, repeats and changed verdicts, refusals, and the
export -> import round trip."""

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import Tracker, assert_error, table_counts

from tracker.claimreview.documents import reviews_in_json
from tracker.claimreview.records import is_generic_author
from tracker.claimreview.verdicts import Rating, scale_stance, verdict_stance

DOCS = Path(__file__).parent / "claimreview_docs"


def copy_doc(name, tmp_path, as_name=None):
    target = tmp_path / (as_name or name)
    shutil.copyfile(DOCS / name, target)
    return str(target)


def write(tmp_path, name, document):
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return str(path)


def claims(tracker):
    """Each claim as a reader checks it: text, source, said_on, status, and its evidence."""
    found = []
    for claim in tracker.json("list", "--limit", "0"):
        shown = tracker.json("show", str(claim["id"]))
        evidence = [(e["stance"], e["source"], e["url"], e["observed_on"], e["note"])
                    for e in shown["evidence"]]  # fmt: skip
        found.append((claim["text"], claim["source"], claim["said_on"], claim["status"], evidence))
    return found


def review(**changes):
    """A ClaimReview as a fact-check page marks it up; `changes` replace its fields."""
    base = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://check.example.org/ferry",
        "datePublished": "2024-02-02",
        "author": {"@type": "Organization", "name": "Example Check"},
        "claimReviewed": "The ferry service ends in March",
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "A Councillor"},
            "datePublished": "2024-01-30",
        },
        "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5,
                         "worstRating": 1, "alternateName": "False"},
    }  # fmt: skip
    base.update(changes)
    return base


# -- every shape ---------------------------------------------------------------------


def test_a_datafeed_with_null_items_and_every_way_of_naming_things(tracker, tmp_path):
    result = tracker.ok("import", copy_doc("datafeed.json", tmp_path))
    assert result.stdout.strip() == (
        "datafeed.json: 5 claims, 4 evidence, 0 resolutions added; 0 claims unchanged; "
        "1 rating unread (claims kept, no evidence)"
    )
    assert claims(tracker) == [
        # (the feed's HTML escapes unescaped)
        ('Says 5G towers "spread" the coronavirus.', "Unattributed", "2020-04-28", "refuted",
         [("refutes", "PolitiFact",
           "https://www.politifact.com/factchecks/2020/may/04/viral-image/5g-coronavirus/",
           "2020-05-04", "Pants on Fire!")]),
        ("The UK has the highest death rate in Europe", "Jonathan Ashworth", "2020-06-09",
         "refuted",
         [("refutes", "Full Fact", "https://fullfact.org/health/uk-death-rate-europe/",
           "2020-06-11",
           "This is incorrect. The UK is behind Belgium and Spain on deaths per million.")]),
        ("We have the best testing in the world", "Donald Trump", "2020-06-25", "refuted",
         [("refutes", "The Washington Post Fact Checker",
           "https://www.washingtonpost.com/politics/2020/07/01/testing-claims/", "2020-07-01",
           "Four Pinocchios")]),
        # Satire with no number on the scale (-1): the claim alone, dated by its review.
        ("A celebrity endorsed the miracle cure in a TV interview", "Unattributed",
         "2020-07-02", "pending", []),
        # No verdict words, and a scale that runs backwards: 1 is the best.
        ("Inflation fell three months in a row", "Finance Minister", "2020-07-01", "confirmed",
         [("confirms", "Example Check", "https://check.example.org/inflation-three-months",
           "2020-07-03", "rated 1 on a scale from 5 (worst) to 1 (best)")]),
    ]  # fmt: skip
    # The appearance (a url, an object, or a list whose first has none) is the article.
    articles = [tracker.json("show", str(i))["article"]["url"] for i in (1, 2, 3)]
    assert articles == [
        "https://www.facebook.com/photo/?fbid=1234567890",
        "https://twitter.com/JonAshworth/status/1270",
        "https://www.youtube.com/watch?v=abc123",
    ]


def test_a_fact_check_tools_search_response(tracker, tmp_path):
    result = tracker.ok("import", copy_doc("factcheck_api.json", tmp_path))
    assert "3 claims, 3 evidence" in result.stdout
    assert "1 rating unread" in result.stdout
    assert claims(tracker) == [
        # Two reviews of one claim: one claim, said no later than its first review.
        ("Bill Gates wants to microchip people through vaccines", "Unattributed", "2020-04-08",
         "refuted",
         [("refutes", "Reuters",
           "https://www.reuters.com/article/uk-factcheck-gates-microchip/fact-check-idUSKBN22U2BZ",
           "2020-05-22", "False"),
          ("contradicts", "FactCheck.org", "https://www.factcheck.org/2020/05/bill-gates-microchip/",
           "2020-04-08", "Misleading")]),
        ("Unemployment is at its lowest level since 1969", "Joe Biden", "2023-01-06", "pending",
         [("supports", "PolitiFact",
           "https://www.politifact.com/factchecks/2023/jan/09/joe-biden/unemployment-lowest/",
           "2023-01-09", "Mostly True")]),
        ("Eating garlic prevents infection", None, "2020-02-07", "pending", []),
    ]  # fmt: skip


def test_a_fact_check_page_with_a_graph_behind_broken_and_unrelated_blocks(tracker, tmp_path):
    tracker.ok("import", copy_doc("factcheck_page.html", tmp_path))
    shown = tracker.json("show", "1")
    assert (shown["text"], shown["source"], shown["said_on"], shown["status"]) == (
        "The Westgate bridge collapsed last week", "Unattributed", "2023-03-12", "refuted",
    )  # fmt: skip
    (evidence,) = shown["evidence"]
    assert evidence["source"] == "Example Check"  # the author given by @id, in the graph
    assert evidence["url"] == "https://check.example.org/bridge/"
    assert shown["actual"] == "The bridge is open; the photo shows a 2009 collapse abroad."
    assert shown["article"]["url"] == "https://www.facebook.com/posts/998877"


def test_one_object_and_a_list(tracker, tmp_path):
    tracker.ok("import", write(tmp_path, "one.jsonld", review()))
    other = review(url="https://check.example.org/bus", claimReviewed="Buses are free on Sundays")
    other["reviewRating"] = {"@type": "Rating", "alternateName": "Mostly false"}
    result = tracker.ok("import", write(tmp_path, "many.json", [review(), other]))
    assert "1 claim, 1 evidence" in result.stdout and "1 claim unchanged" in result.stdout
    assert [(c[0], c[3], c[4][0][0]) for c in claims(tracker)] == [
        ("The ferry service ends in March", "refuted", "refutes"),
        ("Buses are free on Sundays", "pending", "contradicts"),
    ]


@pytest.mark.parametrize("name", ["datafeed.json", "factcheck_api.json"])
def test_a_large_document_is_read_in_parts_as_a_small_one_is_whole(name):
    text = (DOCS / name).read_text()
    whole = list(reviews_in_json(text, name))
    parts = list(reviews_in_json(text, name, whole_up_to=0))
    assert [(f.review, f.api_claim) for f in parts] == [(f.review, f.api_claim) for f in whole]
    assert len(whole) == {"datafeed.json": 5, "factcheck_api.json": 4}[name]
    listed = json.dumps([json.loads(text)])  # an outer list, read in parts too
    assert len(list(reviews_in_json(listed, name, whole_up_to=0))) == len(whole)


def test_recognised_by_content_whatever_the_name(tracker, tmp_path):
    tracker.ok("import", copy_doc("factcheck_api.json", tmp_path, "search-results.txt"))
    tracker.ok("import", copy_doc("factcheck_page.html", tmp_path, "saved-page"))
    own = write(tmp_path, "own.json", {"claims": [{"text": "Ours", "said_on": "2024-01-01"}]})
    tracker.ok("import", own)  # the tracker's own JSON is still its own
    assert len(tracker.json("list")) == 5
    forced = write(tmp_path, "reviews.data", [review()])
    tracker.ok("import", forced, "--format", "claimreview")
    assert len(tracker.json("list")) == 6


# -- the mapping ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "words, stance",
    [
        ("True", "confirms"), ("Correct", "confirms"), ("accurate.", "confirms"),
        ("FALSE", "refutes"), ("Pants on Fire!", "refutes"), ("Four Pinocchios", "refutes"),
        ("Fake", "refutes"), ("Incorrect", "refutes"),
        ("False. The photo is from 2015 and shows another city.", "refutes"),
        ("Rating: False", "refutes"), ("Mostly-True", "supports"), ("Mostly false", "contradicts"),
        ("Misleading", "contradicts"), ("Half True", "contradicts"),
        ("Exaggerated", "contradicts"), ("Satire", None), ("Unproven", None),
        ("Truly remarkable", None), ("", None),
    ],
)  # fmt: skip
def test_the_verdict_table(words, stance):
    assert verdict_stance(words) == stance


def test_verdict_words_win_over_the_number():
    assert Rating("False", value=5, best=5, worst=1).stance() == "refutes"
    assert Rating("Unproven", value=5, best=5, worst=1).stance() == "confirms"
    assert Rating(None, value="-1", best="5", worst="1").stance() is None
    assert Rating(None, value="4", best=None, worst=None).stance() == "supports"  # 1..5
    assert Rating(None, value="n/a").stance() is None
    assert Rating(None, value=3, best=3, worst=3).stance() is None


@given(
    worst=st.integers(-10, 10),
    span=st.integers(1, 10),
    step=st.integers(0, 10),
    as_text=st.booleans(),
)
def test_a_scale_reads_the_same_either_way_round(worst, span, step, as_text):
    best, value = worst + span, worst + min(step, span)
    shown = str if as_text else (lambda n: n)
    forward = scale_stance(shown(value), shown(best), shown(worst))
    # The same rating on the mirrored scale, where the numbers run the other way.
    backward = scale_stance(shown(-value), shown(-best), shown(-worst))
    assert forward == backward
    assert forward == ("confirms" if value == best else "refutes" if value == worst
                       else "supports" if value - worst > span / 2 else "contradicts")  # fmt: skip


@pytest.mark.parametrize(
    "name, generic",
    [
        ("Facebook posts", True), ("Viral image", True), ("Social media users", True),
        ("Instagram and TikTok posts", True), ("Multiple sources", True), ("viral video", True),
        ("Posts on X", True), ("Videos shared on TikTok", True), ("Facebook user", True),
        ("Bloggers", False), ("Facebook", False), ("Donald Trump", False),
        ("Posts Office", False),
    ],
)  # fmt: skip
def test_generic_authors(name, generic):
    assert is_generic_author(name) is generic


def test_unattributed_claims_are_not_a_ranked_source(tracker, tmp_path):
    tracker.ok("import", copy_doc("datafeed.json", tmp_path))
    names = [row["name"] for row in tracker.json("sources")]
    assert "Unattributed" not in names and "Donald Trump" in names
    assert len(tracker.json("list", "--source", "Unattributed")) == 2


# -- repeats, changed verdicts, refusals ---------------------------------------------------


def test_importing_again_adds_nothing_and_a_changed_verdict_adds_evidence(tracker, tmp_path):
    first = write(tmp_path, "first.json", [review()])
    tracker.ok("import", first)
    again = tracker.ok("import", first)
    assert again.stdout.strip() == (
        "first.json: 0 claims, 0 evidence, 0 resolutions added; 1 claim unchanged"
    )
    changed = review()
    changed["reviewRating"] = {"@type": "Rating", "ratingValue": 5, "alternateName": "True"}
    tracker.ok("import", write(tmp_path, "changed.json", [changed]))
    tracker.ok("import", write(tmp_path, "changed-again.json", [changed]))
    shown = tracker.json("show", "1")
    assert [(e["stance"], e["note"]) for e in shown["evidence"]] == [
        ("refutes", "False"), ("confirms", "True"),
    ]  # fmt: skip
    assert shown["status"] == "disputed"  # refuted, then confirmed: an editor decides


def test_a_review_with_neither_claim_text_nor_url_refuses_the_import(tracker, db_url, tmp_path):
    nameless = review()
    del nameless["claimReviewed"], nameless["url"]
    before = table_counts(db_url)
    result = tracker("import", write(tmp_path, "feed.json", [review(), nameless]))
    assert_error(result, "feed.json: review 2:", "claimReviewed", "url")
    assert table_counts(db_url) == before


def test_a_review_with_a_url_and_no_claim_text_is_named_by_its_headline(tracker, tmp_path):
    headline = review(headline="Fact check: the ferry keeps running")
    del headline["claimReviewed"]
    bare = review(url="https://check.example.org/bare")
    del bare["claimReviewed"]
    tracker.ok("import", write(tmp_path, "feed.json", [headline, bare]))
    assert [c["text"] for c in tracker.json("list")] == [
        "Fact check: the ferry keeps running",
        "The claim reviewed at https://check.example.org/bare",
    ]


@pytest.mark.parametrize(
    "document, fragments",
    [
        ('{"@type": "ClaimReview", "claimReviewed": "x",', ("line 1", "invalid JSON")),
        ("<html><body>No markup here</body></html>", ("no ClaimReview found",)),
        ('{"claims": [{"text": "ours"}]}', ("no ClaimReview found",)),
        ('[{"text": "a claim file written as a list"}]', ("no ClaimReview found",)),
        ('<script type="application/ld+json">{"@type": "ClaimReview",</script>',
         ("ld+json block 1", "invalid JSON")),
        (json.dumps([review(datePublished="sometime in spring", itemReviewed={})]),
         ("review 1", "datePublished", "sometime in spring")),
        (json.dumps([review(datePublished=None, itemReviewed={})]), ("review 1", "no date")),
        (json.dumps([review(datePublished="2999-01-01")]),
         ("review 1 (https://check.example.org/ferry): datePublished: 2999-01-01 is in the",)),
    ],
)  # fmt: skip
def test_unreadable_documents_are_refused_cleanly(tracker, db_url, tmp_path, document, fragments):
    before = table_counts(db_url)
    result = tracker("import", write(tmp_path, "bad.html", document), "--format", "claimreview")
    assert_error(result, *fragments)
    assert table_counts(db_url) == before


def test_dry_run_counts_and_writes_nothing(tracker, db_url, tmp_path):
    before = table_counts(db_url)
    result = tracker.ok("import", copy_doc("datafeed.json", tmp_path), "--dry-run")
    assert result.stdout.startswith("Dry run, nothing written: datafeed.json: 5 claims")
    assert table_counts(db_url) == before


# -- export -> import ------------------------------------------------------------------

decided_claims = st.lists(
    st.tuples(
        st.integers(0, 40),  # said, days into 2023
        st.integers(0, 60),  # decided, days later
        st.sampled_from(["confirm", "refute", "disputed", "pending"]),
        # (a source named like a generic author, "Facebook posts", comes back Unattributed)
        st.sampled_from([None, "Xiaomi", "Ming-Chi Kuo", "Unattributed"]),
        st.booleans(),  # an article url
    ),
    max_size=6,
)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(made=decided_claims)
def test_export_import_gives_the_same_claims_and_decided_statuses(new_database, tmp_path, made):
    from datetime import date, timedelta

    first, second = Tracker(new_database()), Tracker(new_database())
    for number, (said, later, outcome, source, has_article) in enumerate(made):
        said_on = date(2023, 1, 1) + timedelta(days=said)
        args = ["add", f"Claim number {number} comes true", "--said-on", said_on.isoformat()]
        if source:
            args += ["--source", source]
        if has_article:
            args += ["--article-url", f"https://news.example.com/{number}"]
        tracker_id = str(first.json(*args)["id"])
        on = (said_on + timedelta(days=later)).isoformat()
        if outcome in ("confirm", "refute"):
            first.ok(outcome, tracker_id, "--on", on, "--actual", f"what happened to {number}")
        elif outcome == "disputed":
            first.ok("confirm", tracker_id, "--on", on)
            first.ok("refute", tracker_id, "--on", on)
    exported = first.ok("--by", "Example Desk", "export", "--format", "claimreview").stdout
    path = tmp_path / f"reviews-{len(list(tmp_path.iterdir()))}.json"
    path.write_text(exported)
    second.ok("import", str(path))

    def decided(tracker):
        return sorted(
            (c["text"], c["source"], c["said_on"], c["status"], c["resolved_on"], c["actual"],
             (c["article"] or {}).get("url"))
            for c in tracker.json("list", "--limit", "0")
            if c["status"] in ("confirmed", "refuted")
        )  # fmt: skip

    assert decided(second) == decided(first)
    assert len(second.json("list", "--limit", "0")) == len(decided(first))
    again = second.ok("import", str(path))
    assert " 0 claims, 0 evidence" in again.stdout


def test_the_readme_shows_the_verdict_table():
    from tracker.claimreview.verdicts import VERDICTS

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Start from published fact-checks", 1)[1].split("\n### ", 1)[0]
    for stance, words in VERDICTS.items():
        assert f"| {', '.join(words)} | {stance} |" in section
