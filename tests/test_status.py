"""The state machine table and the replay rules, as pure functions."""

from datetime import date

import pytest

from tracker.rules.status import Step, replay, step

D = date(2022, 7, 1)

# Every row of design.md §4's table.
TABLE = [
    ("pending", "confirms", "confirmed"),
    ("pending", "refutes", "refuted"),
    ("confirmed", "confirms", "confirmed"),
    ("confirmed", "refutes", "disputed"),
    ("refuted", "refutes", "refuted"),
    ("refuted", "confirms", "disputed"),
    ("disputed", "confirms", "disputed"),
    ("disputed", "refutes", "disputed"),
] + [
    (status, stance, status)
    for status in ("pending", "confirmed", "refuted", "disputed")
    for stance in ("supports", "contradicts")
]


@pytest.mark.parametrize(("current", "stance", "expected"), TABLE)
def test_step_follows_the_spec_table(current, stance, expected):
    assert step(current, stance) == expected


@pytest.mark.parametrize("target", ["pending", "confirmed", "refuted", "disputed"])
@pytest.mark.parametrize("current", ["confirms", "refutes", "supports"])
def test_a_resolution_sets_any_status(current, target):
    outcome = replay([Step(D, stance=current), Step(date(2022, 7, 2), resolved_as=target)])
    assert outcome.status == target


def test_replay_starts_pending_with_no_resolution_date():
    assert replay([]).status == "pending"
    assert replay([]).resolved_on is None


def test_resolved_on_is_when_the_claim_last_became_confirmed():
    steps = [
        Step(date(2022, 6, 1), stance="supports"),
        Step(date(2022, 7, 4), stance="confirms"),
        Step(date(2022, 7, 10), stance="confirms"),  # still confirmed: the date stays
    ]
    assert replay(steps).resolved_on == date(2022, 7, 4)


def test_resolved_on_is_cleared_while_disputed_and_set_again_on_settling():
    steps = [
        Step(date(2022, 7, 4), stance="confirms"),
        Step(date(2022, 7, 5), stance="refutes"),
    ]
    assert replay(steps).status == "disputed"
    assert replay(steps).resolved_on is None
    settled = replay([*steps, Step(date(2022, 8, 1), resolved_as="refuted")])
    assert (settled.status, settled.resolved_on) == ("refuted", date(2022, 8, 1))


def test_resolving_back_to_pending_clears_resolved_on():
    steps = [Step(D, stance="refutes"), Step(date(2022, 7, 2), resolved_as="pending")]
    assert replay(steps).resolved_on is None
