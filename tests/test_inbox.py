"""The evidence inbox as a user runs it: `watch` on feeds, pages, files and folders, then
`inbox`, `inbox accept` and `inbox reject`, and what the database holds after."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import Tracker, assert_error, table_counts

from tracker.rules.identity import handle

PUBLISHED = "Tue, 10 Sep 2024 17:00:00 GMT"


def rss(*items: tuple[str, str], title: str = "Gadget Wire", description: str = "") -> str:
    body = "".join(
        f"<item><title>{headline}</title><link>{link}</link><pubDate>{PUBLISHED}</pubDate>"
        + (f"<description>{description}</description>" if description else "")
        + "</item>"
        for headline, link in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://wire.example/</link>{body}</channel></rss>"
    )


@pytest.fixture
def claims(tracker: Tracker, pinned_clock) -> Tracker:
    pinned_clock.set("2024-09-20")
    tracker.ok(
        "add",
        "Apple will launch the iPhone 16 with a Camera Control button",
        "--said-on",
        "2024-06-01",
        "--key",
        "camera-button",
    )
    tracker.ok(
        "add",
        "The Nintendo Switch 2 will launch in 2024",
        "--said-on",
        "2024-03-01",
        "--key",
        "switch-2024",
    )
    tracker.ok(
        "add",
        "Samsung will release a tri-fold phone in 2024",
        "--said-on",
        "2024-05-01",
        "--key",
        "trifold",
    )
    return tracker


def feed(tmp_path: Path, text: str, name: str = "feed.xml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


NEWS = [
    ("iPhone 16 arrives with a new Camera Control button", "https://wire.example/iphone-16"),
    ("Nintendo denies Switch 2 launch in 2024: the report is false", "https://wire.example/switch"),
    ("Samsung tri-fold phone reportedly coming in 2024", "https://wire.example/trifold"),
    ("Best pizza in Naples, ranked", "https://wire.example/pizza"),
]


def test_watch_suggests_each_article_for_its_claim_with_a_stance(claims, tmp_path):
    source = feed(tmp_path, rss(*NEWS))
    result = claims.ok("watch", source)
    lines = result.stdout.splitlines()
    assert lines[0] == f"{source}: 4 items, 4 new, 3 suggestions"
    assert len(lines) == 4 and all(line.startswith("  #") for line in lines[1:])

    shown = claims.json("inbox")
    by_key = {s["claim"]["text"]: (s["stance"], s["article"]["title"]) for s in shown}
    assert by_key == {
        "Apple will launch the iPhone 16 with a Camera Control button": (
            "for",
            "iPhone 16 arrives with a new Camera Control button",
        ),
        "The Nintendo Switch 2 will launch in 2024": (
            "against",
            "Nintendo denies Switch 2 launch in 2024: the report is false",
        ),
        "Samsung will release a tri-fold phone in 2024": (
            "observing",
            "Samsung tri-fold phone reportedly coming in 2024",
        ),
    }
    first = shown[0]
    listed = {c["id"]: c for c in claims.json("list")}
    claim = listed[first["claim"]["id"]]
    assert first["claim"] == {
        "id": claim["id"],
        "handle": handle(claim["uid"]),
        "text": claim["text"],
    }
    assert first["article"]["outlet"] == "Gadget Wire"
    assert first["article"]["published"] == "2024-09-10"
    assert [s["score"] for s in shown] == sorted((s["score"] for s in shown), reverse=True)
    assert all(0 < s["score"] <= 1 for s in shown)


def test_an_item_seen_is_skipped_and_a_changed_one_is_a_new_revision(claims, tmp_path, db_url):
    source = feed(tmp_path, rss(*NEWS))
    claims.ok("watch", source)
    again = claims.ok("watch", source)
    assert again.stdout == f"{source}: 4 items, 0 new, 0 suggestions\n"
    assert len(claims.json("inbox")) == 3

    changed = [(NEWS[0][0] + " and USB-C", NEWS[0][1]), *NEWS[1:]]
    source = feed(tmp_path, rss(*changed))
    result = claims.ok("watch", source)
    assert result.stdout.startswith(f"{source}: 4 items, 1 new, 1 suggestion\n")
    shown = claims.json("inbox")
    titles = [s["article"]["title"] for s in shown]
    assert "iPhone 16 arrives with a new Camera Control button and USB-C" in titles
    assert "iPhone 16 arrives with a new Camera Control button" not in titles  # superseded
    assert len(shown) == 3


def test_accept_makes_evidence_as_evidence_does(claims, tmp_path):
    claims.ok("watch", feed(tmp_path, rss(*NEWS)))
    shown = {s["stance"]: s for s in claims.json("inbox")}
    ids = [str(shown[stance]["id"]) for stance in ("for", "against", "observing")]
    result = claims.ok("inbox", "accept", *ids)
    named = [claims.json("show", str(n)) for n in (1, 2, 3)]
    claim = [f'Claim {c["id"]} ({c["handle"]}) "{c["text"]}"' for c in named]
    assert result.stdout.splitlines() == [
        f"Suggestion {ids[0]} accepted: {claim[0]}: still pending (evidence 1: supports)",
        f"Suggestion {ids[1]} accepted: {claim[1]}: still pending (evidence 2: contradicts)",
        f"Suggestion {ids[2]} accepted: {claim[2]}: still pending (evidence 3: supports)",
    ]
    undone = claims.ok("undo").stdout  # the three are one change
    assert undone.count("  Retracted evidence") == 3 and "3 claims." in undone
    evidence = [
        claims.json("show", key)["evidence"][0]
        for key in ("camera-button", "switch-2024", "trifold")
    ]
    assert [(e["stance"], e["tier"], e["conclusive"]) for e in evidence] == [
        ("supports", None, False),
        ("contradicts", None, False),
        ("supports", "repeat", False),
    ]
    first = evidence[0]
    assert (first["source"], first["url"], first["observed_on"], first["note"]) == (
        "Gadget Wire",
        NEWS[0][1],
        "2024-09-10",
        NEWS[0][0],
    )
    assert first["recorded_by"] == "tester"
    # The acceptances undone, the three articles are offered again, as they were.
    assert sorted(s["id"] for s in claims.json("inbox")) == sorted(int(n) for n in ids)


def test_retracted_evidence_from_an_accepted_suggestion_reopens_it(claims, tmp_path):
    claims.ok("watch", feed(tmp_path, rss(*NEWS)))
    shown = claims.json("inbox")
    first = shown[0]
    claims.ok("inbox", "accept", str(first["id"]))
    (evidence,) = claims.json("show", str(first["claim"]["id"]))["evidence"]
    assert [s["id"] for s in claims.json("inbox")] == [s["id"] for s in shown[1:]]
    claims.ok("retract", str(evidence["id"]), "--reason", "Misread the article")
    assert claims.json("inbox") == shown  # offered again, as it was
    # The retraction undone, the evidence is back (a new piece) and the suggestion its own.
    claims.ok("undo")
    assert [s["id"] for s in claims.json("inbox")] == [s["id"] for s in shown[1:]]
    back = claims.json("show", str(first["claim"]["id"]))["evidence"]
    assert [e["retracted"] for e in back] == [True, False]
    claims.ok("retract", str(back[1]["id"]), "--reason", "Misread it after all")
    assert claims.json("inbox") == shown
    # Accepted again, it is new evidence; a watch of the same feed offers nothing twice.
    claims.ok("inbox", "accept", str(first["id"]))
    again = claims.json("show", str(first["claim"]["id"]))["evidence"]
    assert [e["retracted"] for e in again] == [True, True, False]
    claims.ok("watch", feed(tmp_path, rss(*NEWS), "again.xml"))
    assert [s["id"] for s in claims.json("inbox")] == [s["id"] for s in shown[1:]]
    # Retracting the first evidence again fails: the suggestion stays accepted.
    assert_error(claims("retract", str(evidence["id"]), "--reason", "again"), "already retracted")
    assert_error(claims("inbox", "reject", str(first["id"])), "already accepted")


def test_accept_as_conclusive_moves_the_status(claims, tmp_path):
    claims.ok("watch", feed(tmp_path, rss(NEWS[0])))
    (suggestion,) = claims.json("inbox")
    result = claims.ok(
        "inbox",
        "accept",
        str(suggestion["id"]),
        "--stance",
        "confirms",
        "--tier",
        "official",
        "--note",
        "On stage at the September event",
    )
    assert result.stdout.endswith(": pending -> confirmed (evidence 1: confirms)\n")
    assert result.stdout.startswith(f"Suggestion {suggestion['id']} accepted: Claim 1 (")
    (evidence,) = claims.json("show", "camera-button")["evidence"]
    assert (evidence["conclusive"], evidence["tier"], evidence["note"]) == (
        True,
        "official",
        "On stage at the September event",
    )


def test_a_repeat_cannot_be_conclusive_and_nothing_changes(claims, tmp_path, db_url):
    claims.ok("watch", feed(tmp_path, rss(*NEWS)))
    observing = next(s for s in claims.json("inbox") if s["stance"] == "observing")
    other = next(s for s in claims.json("inbox") if s["stance"] == "for")
    before = table_counts(db_url)
    result = claims(
        "inbox",
        "accept",
        str(other["id"]),
        str(observing["id"]),
        "--stance",
        "refutes",
        "--tier",
        "repeat",
    )
    assert_error(result, "repeat")
    assert table_counts(db_url) == before
    assert len(claims.json("inbox")) == 3


def test_reject_and_never_the_same_article_twice(claims, tmp_path):
    source = feed(tmp_path, rss(*NEWS))
    claims.ok("watch", source)
    shown = claims.json("inbox")
    result = claims.ok("inbox", "reject", str(shown[0]["id"]), "--reason", "Another phone")
    assert result.stdout == (
        f"Suggestion {shown[0]['id']} rejected: {shown[0]['article']['title']}"
        f" (claim {shown[0]['claim']['id']})\n"
    )
    claims.ok("inbox", "accept", str(shown[1]["id"]))
    # The same articles again, from another feed: not suggested again for those claims.
    claims.ok("watch", feed(tmp_path, rss(*NEWS, title="Other Wire"), "other.xml"))
    assert [s["id"] for s in claims.json("inbox")] == [shown[2]["id"]]
    assert_error(claims("inbox", "accept", str(shown[0]["id"])), "already rejected")
    assert_error(claims("inbox", "reject", str(shown[1]["id"])), "already accepted")
    assert_error(claims("inbox", "accept", "999"), "no suggestion 999")


def test_a_decided_article_may_be_suggested_again_in_a_later_revision(claims, tmp_path):
    claims.ok("watch", feed(tmp_path, rss(NEWS[0])))
    (first,) = claims.json("inbox")
    claims.ok("inbox", "reject", str(first["id"]))
    claims.ok("watch", feed(tmp_path, rss((NEWS[0][0] + ", now official", NEWS[0][1]))))
    (second,) = claims.json("inbox")
    assert second["id"] != first["id"] and second["claim"] == first["claim"]


def test_inbox_filters_by_claim_and_score(claims, tmp_path):
    claims.ok("watch", feed(tmp_path, rss(*NEWS)))
    everything = claims.json("inbox")
    only = claims.json("inbox", "--claim", "switch-2024")
    assert [s["claim"]["text"] for s in only] == ["The Nintendo Switch 2 will launch in 2024"]
    low = min(s["score"] for s in everything)
    assert len(claims.json("inbox", "--min-score", str(low + 0.0001))) == len(everything) - 1
    assert_error(claims("inbox", "--min-score", "1.5"), "--min-score must be between 0 and 1")
    assert_error(claims("inbox", "--claim", "nope"), "no claim with key or handle 'nope'")
    text = claims.ok("inbox").stdout.splitlines()
    assert text[0].split() == ["ID", "Score", "Stance", "Claim", "Outlet", "Published", "Article"]
    assert len(text) == 4


def test_only_open_claims_are_matched(claims, tmp_path):
    claims.ok("confirm", "camera-button", "--on", "2024-09-09")
    claims.ok("withdraw", "trifold", "--reason", "logged by mistake")
    claims.ok("watch", feed(tmp_path, rss(*NEWS)))
    assert [s["claim"]["text"] for s in claims.json("inbox")] == [
        "The Nintendo Switch 2 will launch in 2024"
    ]


def test_dry_run_stores_nothing(claims, tmp_path, db_url):
    before = table_counts(db_url)
    result = claims.ok("watch", feed(tmp_path, rss(*NEWS)), "--dry-run", "--format", "json")
    report = json.loads(result.stdout)
    assert report["dry_run"] is True
    (source,) = report["sources"]
    assert (source["items"], source["new"], len(source["suggestions"])) == (4, 4, 3)
    assert all(s["id"] is None for s in source["suggestions"])
    assert table_counts(db_url) == before
    assert claims.json("inbox") == []


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Console Desk</title>
<link href="https://desk.example/"/><id>urn:desk</id><updated>2024-09-12T00:00:00Z</updated>
<entry><title>Switch 2 launch slips to 2025, Nintendo confirms</title>
<link href="https://desk.example/switch-2025"/><id>urn:desk:1</id>
<updated>2024-09-12T08:00:00Z</updated>
<content type="html">&lt;p&gt;Nintendo will not launch the Switch 2 in 2024.&lt;/p&gt;</content>
</entry></feed>"""

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Phone Notes",
    "items": [
        {
            "id": "1",
            "url": "https://notes.example/trifold",
            "title": "Samsung tri-fold phone could arrive in 2024",
            "content_html": "<p>Supply chain sources say so.</p>",
            "date_published": "2024-09-11T10:00:00Z",
        }
    ],
}

PAGE = """<!doctype html><html><head><title>Camera Control, tested | Pocket Lab</title>
<meta property="og:site_name" content="Pocket Lab">
<meta property="article:published_time" content="2024-09-16T09:00:00Z"></head>
<body><nav>Home | Phones | Deals</nav><article><h1>iPhone 16 Camera Control button, tested</h1>
<p>Apple's iPhone 16 has a Camera Control button on its side, and we tried it for a week.</p>
<p>It takes pictures with a press and zooms with a swipe.</p></article>
<footer>Subscribe to our newsletter</footer></body></html>"""


def test_atom_json_feed_html_markdown_and_a_folder(claims, tmp_path):
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "desk.atom").write_text(ATOM, encoding="utf-8")
    (folder / "notes.json").write_text(json.dumps(JSON_FEED), encoding="utf-8")
    (folder / "review.html").write_text(PAGE, encoding="utf-8")
    (folder / "memo.md").write_text(
        "---\ntitle: Camera Control confirmed for every iPhone 16\ndate: 2024-09-09\n"
        "url: https://memo.example/1\n---\n\nThe button is on every model.\n",
        encoding="utf-8",
    )
    (folder / "ignored.png").write_bytes(b"\x89PNG")
    result = claims.ok("watch", str(folder))
    assert [line.split(":")[0] for line in result.stdout.splitlines() if line[0] != " "] == [
        str(folder / name) for name in ("desk.atom", "memo.md", "notes.json", "review.html")
    ]
    shown = {s["article"]["title"]: s for s in claims.json("inbox")}
    desk = shown["Switch 2 launch slips to 2025, Nintendo confirms"]
    assert (desk["article"]["outlet"], desk["article"]["published"]) == (
        "Console Desk",
        "2024-09-12",
    )
    notes = shown["Samsung tri-fold phone could arrive in 2024"]
    assert (notes["stance"], notes["article"]["url"]) == (
        "observing",
        "https://notes.example/trifold",
    )
    page = shown["Camera Control, tested"]  # the <title>, without the site's name
    assert (page["article"]["outlet"], page["article"]["published"]) == ("Pocket Lab", "2024-09-16")
    memo = shown["Camera Control confirmed for every iPhone 16"]
    assert memo["article"]["url"] == "https://memo.example/1"


def test_remembered_feeds(claims, tmp_path):
    source = feed(tmp_path, rss(*NEWS))
    assert_error(claims("watch"), "nothing to watch", "tracker feeds add")
    uri = Path(source).resolve().as_uri()
    assert claims.ok("feeds", "add", source).stdout == f"Added feed {uri}\n"
    assert claims.ok("feeds", "add", uri).stdout == f"Feed {uri} is already remembered\n"
    assert claims.ok("feeds", "list").stdout == f"{uri}  (not read yet)\n"
    assert claims.ok("watch").stdout.startswith(f"{uri}: 4 items, 4 new, 3 suggestions\n")
    (row,) = claims.json("feeds", "list")
    assert row["url"] == uri and row["checked_at"] == "2024-09-20T12:00:00Z"
    assert claims.ok("feeds", "remove", source).stdout == f"Removed feed {uri}\n"
    assert_error(claims("feeds", "remove", source), "no remembered feed")
    assert_error(claims("feeds", "add", "ftp://example.com/feed"), "only http, https and file")
    assert_error(claims("feeds", "add", str(tmp_path / "missing.xml")), "no such file")


def test_a_remembered_feed_that_is_a_page_fails_alone(claims, tmp_path):
    page = feed(tmp_path, PAGE, "page.xml")
    good = feed(tmp_path, rss(*NEWS))
    claims.ok("feeds", "add", page)
    claims.ok("feeds", "add", good)
    result = claims("watch")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {Path(page).as_uri()}: not a feed: an HTML page\n"
    assert result.stdout.startswith(f"{Path(good).as_uri()}: 4 items, 4 new")
    assert len(claims.json("inbox")) == 3  # the good feed's work is kept


def test_a_missing_file_fails_alone_and_others_go_on(claims, tmp_path):
    good = feed(tmp_path, rss(*NEWS))
    result = claims("watch", str(tmp_path / "gone.xml"), good)
    assert result.exit_code == 1
    assert "gone.xml: no such file or folder" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert result.stdout.startswith(f"{good}: 4 items, 4 new, 3 suggestions")


# `python -c` this with the command's arguments: the tracker as if the [watch] extra's
# modules were not installed.
WITHOUT_EXTRA = """
import importlib.abc, runpy, sys
class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("feedparser", "readability", "lxml"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, NotInstalled())
sys.argv = ["tracker", *sys.argv[1:]]
runpy.run_module("tracker", run_name="__main__")
"""


def test_without_the_watch_extra_only_watch_needs_it(claims, tmp_path, db_url):
    claims.ok("watch", feed(tmp_path, rss(*NEWS)))
    suggestion = claims.json("inbox")[0]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "TRACKER_DB": db_url, "TRACKER_USER": "tester", "NO_COLOR": "1"}
        return subprocess.run(
            [sys.executable, "-c", WITHOUT_EXTRA, *args],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip

    for args in (("inbox",), ("inbox", "--help"), ("feeds", "list"), ("watch", "--help")):
        done = run(*args)
        assert (done.returncode, done.stderr) == (0, ""), args
    assert f"{suggestion['id']} " in run("inbox").stdout
    accepted = run("inbox", "accept", str(suggestion["id"]))
    assert accepted.returncode == 0 and accepted.stdout.startswith(
        f"Suggestion {suggestion['id']} accepted: "
    )
    refused = run("watch", feed(tmp_path, rss(*NEWS), "again.xml"))
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr == (
        "Error: watch reads feeds and pages with feedparser, readability, lxml, which this "
        "install lacks; install the watch extra: pip install 'claim-tracker[watch]'\n"
    )


def test_a_delay_and_a_hedged_denial_are_against(claims, tmp_path):
    """From the trial: "delayed" refutes a claim about when, and a negation the claim lacks
    is against it however hedged."""
    claims.ok("add", "Grand Theft Auto VI will release in fall 2025", "--said-on", "2024-05-16")
    news = [
        ("Grand Theft Auto VI delayed to May 26, 2026", "https://notes.example/gta"),
        (
            "Samsung tri-fold phone may not arrive until 2025, sources say",
            "https://notes.example/trifold",
        ),
    ]
    claims.ok("watch", feed(tmp_path, rss(*news)))
    stances = {s["article"]["title"]: s["stance"] for s in claims.json("inbox")}
    assert stances == {news[0][0]: "against", news[1][0]: "against"}


def test_a_delay_is_matched_by_what_is_delayed_and_bears_out_a_claim_of_one(claims, tmp_path):
    """From the trial: "GTA VI delayed" went to the one claim that said "delay" (and read
    as `for` it); a delay is the stance's word, not the match's, and it bears out a claim
    that the thing would not come then."""
    claims.ok(
        "add",
        "Grand Theft Auto VI will be released in fall 2025",
        "--key",
        "gta-2025",
        "--said-on",
        "2024-05-01",
    )
    claims.ok(
        "add",
        "Samsung will delay the Galaxy S25 Slim to 2025",
        "--key",
        "slim",
        "--said-on",
        "2024-05-01",
    )
    claims.ok(
        "add",
        "The Pixel 9 Pro Fold won't launch until October",
        "--key",
        "fold",
        "--said-on",
        "2024-05-01",
    )
    news = [
        ("GTA VI delayed to May 2026", "https://notes.example/gta"),
        ("Rockstar pushes back Grand Theft Auto 6", "https://notes.example/gta-6"),
        ("Pixel 9 Pro Fold delayed to October", "https://notes.example/fold"),
    ]
    claims.ok("watch", feed(tmp_path, rss(*news)))
    found = {s["article"]["title"]: s for s in claims.json("inbox")}
    keys = {c["id"]: c["key"] for c in claims.json("list")}
    got = {title: (keys[s["claim"]["id"]], s["stance"]) for title, s in found.items()}
    assert got == {
        news[0][0]: ("gta-2025", "against"),
        news[1][0]: ("gta-2025", "against"),
        news[2][0]: ("fold", "for"),
    }


def dated_rss(*items: tuple[str, str, str]) -> str:
    """An RSS feed of (headline, link, pubDate) items."""
    body = "".join(
        f"<item><title>{headline}</title><link>{link}</link><pubDate>{day}</pubDate></item>"
        for headline, link, day in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Gadget Wire</title><link>https://wire.example/</link>{body}</channel></rss>"
    )


def test_an_article_older_than_the_claim_is_not_suggested_for_it(claims, tmp_path):
    older = ("Apple adds a Camera Control button to the iPhone 16", "https://wire.example/may")
    claims.ok(
        "watch",
        feed(
            tmp_path, dated_rss((*older, "Fri, 31 May 2024 09:00:00 GMT"), (*NEWS[0], PUBLISHED))
        ),  # fmt: skip
    )
    assert [s["article"]["title"] for s in claims.json("inbox")] == [NEWS[0][0]]


def test_a_claim_added_later_is_matched_against_the_stored_articles(claims, tmp_path, pinned_clock):
    pixel = ("Google Pixel 9 launches in August with Gemini", "https://wire.example/pixel")
    source = feed(tmp_path, rss(*NEWS, pixel))
    claims.ok("watch", source)
    before = claims.json("inbox")
    pinned_clock.set("2024-09-21")
    claims.ok("add", "Google will launch the Pixel 9 in August", "--said-on", "2024-07-01")
    result = claims.ok("watch", source)
    lines = result.stdout.splitlines()
    assert lines[0] == f"{source}: 5 items, 0 new, 0 suggestions"
    assert lines[1] == (
        "stored articles (read before some claims were added): 5 articles, 1 suggestion"
    )
    assert lines[2].endswith(f"0.{lines[2].split(' 0.')[1].split()[0]} for: {pixel[0]}")
    after = claims.json("inbox")
    (late,) = [s for s in after if s not in before]
    assert (late["claim"]["text"], late["article"]["url"]) == (
        "Google will launch the Pixel 9 in August",
        pixel[1],
    )
    # Matched once: the next run suggests it no more.
    again = claims.json("watch", source)
    assert again["stored"] == {"articles": 5, "suggestions": []}
    assert len(claims.json("inbox")) == len(after)


def test_accept_says_what_happened_and_a_refusal_names_the_suggestion(claims, tmp_path, db_url):
    claims.ok("watch", feed(tmp_path, rss(*NEWS)))
    shown = {s["stance"]: s for s in claims.json("inbox")}
    good, bad = shown["for"], shown["against"]
    before = table_counts(db_url)
    # Of two, the second is refused (a lean cannot say what happened): it is named.
    refused = claims(
        "inbox", "accept", str(good["id"]), str(bad["id"]), "--actual", "It launched"
    )  # fmt: skip
    named = f"suggestion {good['id']} (claim {good['claim']['id']} {good['claim']['handle']})"
    assert_error(refused, named + ": what actually happened is said by a step that decides")
    assert table_counts(db_url) == before

    done = claims.ok(
        "inbox", "accept", str(good["id"]), "--stance", "confirms",
        "--actual", "Launched 20 September 2024 with a Camera Control button",
    )  # fmt: skip
    assert done.stdout.endswith(": pending -> confirmed (evidence 1: confirms)\n")
    claim = claims.json("show", "camera-button")
    assert claim["actual"] == "Launched 20 September 2024 with a Camera Control button"


def test_an_item_dated_in_the_future_is_kept_undated_and_said(claims, tmp_path):
    ahead = ("Samsung tri-fold phone now official", "https://wire.example/ahead")
    source = feed(
        tmp_path,
        dated_rss((*ahead, "Mon, 30 Sep 2024 09:00:00 GMT"), (*NEWS[0], PUBLISHED)),
    )
    result = claims.ok("watch", source)
    assert result.stdout.splitlines()[0] == (
        f"{source}: 2 items, 2 new, 2 suggestions (1 item dated after today, kept undated)"
    )
    shown = {s["article"]["title"]: s for s in claims.json("inbox")}
    assert shown[ahead[0]]["article"]["published"] is None
    assert shown[NEWS[0][0]]["article"]["published"] == "2024-09-10"
    claims.ok("inbox", "accept", str(shown[ahead[0]]["id"]))
    (evidence,) = claims.json("show", "trifold")["evidence"]
    assert evidence["observed_on"] == "2024-09-20"  # the day it was read


def test_accept_takes_the_articles_date_by_the_evidence_rule(claims, tmp_path, pinned_clock):
    """An article's date is not moved to fit: one after today (a clock or a time zone
    behind the feed's) is refused as `evidence --on` refuses it, naming the suggestion."""
    claims.ok("watch", feed(tmp_path, dated_rss((*NEWS[0], "Fri, 20 Sep 2024 09:00:00 GMT"))))
    (suggestion,) = claims.json("inbox")
    pinned_clock.set("2024-09-19")
    refused = claims("inbox", "accept", str(suggestion["id"]))
    claim = suggestion["claim"]
    assert_error(
        refused,
        f"suggestion {suggestion['id']} (claim {claim['id']} {claim['handle']}): "
        "2024-09-20 is in the future (today is 2024-09-19)",
    )
    pinned_clock.set("2024-09-20")
    claims.ok("inbox", "accept", str(suggestion["id"]))
    (evidence,) = claims.json("show", "camera-button")["evidence"]
    assert evidence["observed_on"] == "2024-09-20"
