"""Whole numbers as options and the team page's query read them (tracker.rules.numbers)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.errors import InvalidInput
from tracker.rules.numbers import whole_number


@given(st.integers(0, 10**12), st.integers(0, 10**6), st.integers(0, 10**6), st.booleans())
def test_a_number_in_range_is_read_and_any_other_refused(value, least, span, spaced):
    most = least + span
    text = f" {value} " if spaced else str(value)
    if least <= value <= most:
        assert whole_number(text, least, most) == value
    else:
        with pytest.raises(InvalidInput, match=f"is not a whole number from {least} to {most}"):
            whole_number(text, least, most)


@pytest.mark.parametrize(
    "text", ["", " ", "-1", "+1", "1.0", "1e3", "x", "²", "١", "0x10", "9" * 5000, "1 2"]
)
def test_what_is_not_a_plain_whole_number_is_refused(text):
    with pytest.raises(InvalidInput) as refused:
        whole_number(text, 0, 100)
    assert str(refused.value) == f"{text!r} is not a whole number from 0 to 100"


def test_leading_zeros_are_the_number():
    assert whole_number("0007", 0, 10) == 7
    assert whole_number("0" * 50 + "1", 0, 10) == 1
