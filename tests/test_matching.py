"""The matcher's reading of words (tracker.inbox.matching): the same thing said another
way is the same word, and a batch teaches claims until its sure matches settle."""

from __future__ import annotations

from tracker.inbox.matching import CONFIDENT, Matcher, words


def test_numbers_in_letters_and_common_synonyms_are_one_word() -> None:
    assert "3" in words("The company's third phone")
    assert "3" in words("The 3-camera phone")
    assert words("Gunman murdered by police") == words("Gunman killed by police")
    assert words("Actor dies at 90") == words("Actor died at 90")
    assert words("A 50ft crab, 72million dollars") == words("A 50-foot crab, 72 million dollars")
    assert words("Third camera") == words("3rd camera")


def test_learning_goes_on_while_what_was_learned_finds_more() -> None:
    claims = [(1, "Apple will buy Beats Electronics"), (2, "Taylor Swift quits Twitter")]
    chain = [
        "Apple will buy Beats Electronics for 3 billion",  # sure at once
        "Apple Beats deal worth 3 billion dollars",  # sure once the first is learned
        "Beats deal worth 3 billion dollars, headphones maker",  # once the second is
    ]
    assert Matcher(claims).matches(chain[2])[0].score < CONFIDENT
    matcher = Matcher(claims)
    matcher.learn(chain)
    best = matcher.matches(chain[2])
    assert best and best[0].claim_id == 1 and best[0].score >= CONFIDENT
