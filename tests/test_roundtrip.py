"""Generated documents with every field filled: import -> export -> import -> export.

The second export must equal the first byte for byte, and every claim must come
back with the same status, so an export is a complete backup of what decides a
status (evidence, retractions, resolutions and their order).
"""

import json
import uuid
from datetime import date, timedelta

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.cli import main
from tracker.hedges import LIKELIHOODS

PHRASES = ["Q3 2023", "by 2024-01-31", "July 2023", "2023", "next month", "in two weeks"]
words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda text: text.strip())
days = st.integers(min_value=0, max_value=400)


@st.composite
def evidence(draw, said_on: date) -> dict:
    item = {
        "stance": draw(st.sampled_from(["confirms", "refutes", "supports", "contradicts"])),
        "on": (said_on + timedelta(days=draw(days))).isoformat(),
        "source": draw(words),
        "url": f"https://example.com/{draw(st.integers(0, 5))}",
        "note": draw(words),
    }
    if draw(st.booleans()):
        item |= {"retracted": True, "retract_reason": draw(words)}
    return item


@st.composite
def claims(draw, index: int) -> dict:
    said_on = date(2022, 1, 1) + timedelta(days=draw(days))
    claim = {
        "key": f"claim-{index}",
        "text": draw(words),
        "subject": draw(words),
        "source": draw(words),
        "article": {
            "url": f"https://example.com/article/{index}",
            "title": draw(words),
            "outlet": draw(words),
            "published_on": said_on.isoformat(),
        },
        "said_on": said_on.isoformat(),
        "expected": draw(st.sampled_from(PHRASES)),
        "hedge": draw(st.sampled_from(sorted(LIKELIHOODS))),
        "tags": draw(st.lists(words.filter(lambda tag: ";" not in tag), max_size=3)),
        "evidence": draw(st.lists(evidence(said_on), max_size=4)),
        "resolutions": [
            {
                "status": draw(st.sampled_from(["pending", "confirmed", "refuted", "disputed"])),
                "on": (said_on + timedelta(days=draw(days))).isoformat(),
                "reason": draw(words),
            }
            for _ in range(draw(st.integers(0, 2)))
        ],
    }
    if draw(st.booleans()):
        claim["likelihood"] = draw(st.floats(0, 1))
    return claim


documents = st.integers(1, 4).flatmap(
    lambda n: st.tuples(*(claims(i) for i in range(n))).map(lambda c: {"claims": list(c)})
)


def tracker(db, *args):
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=documents)
def test_export_import_export_is_identical(tmp_path, document):
    work = tmp_path / uuid.uuid4().hex
    work.mkdir()
    source = work / "in.json"
    source.write_text(json.dumps(document))
    first, second = work / "first.db", work / "second.db"
    tracker(first, "import", str(source))
    exported = tracker(first, "export", "--format", "json")
    (work / "out.json").write_text(exported)
    tracker(second, "import", str(work / "out.json"))
    assert tracker(second, "export", "--format", "json") == exported
    statuses = [json.loads(tracker(db, "list", "--format", "json")) for db in (first, second)]
    assert [(c["key"], c["status"], c["resolved_on"]) for c in statuses[0]] == [
        (c["key"], c["status"], c["resolved_on"]) for c in statuses[1]
    ]
    assert tracker(second, "db", "check").endswith("agree with their history\n")
