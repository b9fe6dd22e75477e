"""Tense around a time phrase: whether the sentence places "in March" in the past.

"Meta cut its price to $999 in March" and "Furukawa said in May" speak of a March and a May
that have been; "will launch in March", "is expected in March", "launches in March" and
"will be officially launched in July" of ones to come. The verb nearest the phrase decides:
read back from the phrase to the start of its clause (or, for a phrase that opens the
clause, "In March, Apple cut prices", forward to its end). Rules, no tagger: a past form
("launched", "said", "cut" after no modal) says past; a modal, a form of "be", a plan word
or a present form says ahead; a participle after "be" leaves it to the "be"; an event
after invitations ("sent out invitations for an event on August 24") is to come.
"""

from __future__ import annotations

import re

_AHEAD = {
    "will", "'ll", "’ll", "would", "could", "may", "might", "shall", "can", "must", "is", "are",
    "am", "be", "being", "going", "set", "due", "expected", "expects", "expect", "plans",
    "planned", "plan", "planning", "scheduled", "slated", "poised", "aims", "aimed",
    "intends", "tipped", "rumoured", "rumored", "delayed", "pushed", "postponed", "moved",
    "timed", "targeted", "targeting", "coming", "upcoming", "launches", "ships", "arrives",
    "begins", "starts", "opens", "lands", "debuts", "goes", "comes", "returns", "costs",
    "rolls", "hits", "happens", "takes", "holds", "ends", "runs",
}  # fmt: skip
# Past forms that are not `-ed`; the ones that are also the base form ("cut", "hit") are
# past only when no modal or "to" stands before them ("will cut" is ahead).
_IRREGULAR = {
    "said", "told", "held", "met", "began", "became", "brought", "bought", "sold", "spent",
    "sent", "saw", "took", "made", "came", "went", "rose", "fell", "grew", "won", "lost",
    "led", "left", "built", "gave", "got", "kept", "paid", "wrote", "spoke", "broke", "chose",
    "drew", "found", "flew", "knew", "shown", "seen", "was", "were", "had", "did", "ran",
}  # fmt: skip
_BOTH = {"cut", "put", "hit", "let", "shut", "cost", "quit", "split", "spread", "read"}
_MODALS = {"will", "'ll", "’ll", "would", "could", "may", "might", "shall", "can", "must", "to",
           "did", "does", "do"}  # fmt: skip
# `-ed` words that are no past event: plans, rumours, and adjectives.
_NOT_PAST = {"priced", "offered", "delivered", "called", "named", "based", "sized", "red",
             "need", "speed", "feed", "seed", "embed", "bed", "indeed", "hundred"}  # fmt: skip
_BE = {"be", "been", "being", "is", "are", "am", "was", "were", "get", "gets", "got"}
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "this", "that",
                "these", "those", "new", "newly"}  # fmt: skip
_EVENTS = {"event", "keynote", "conference", "showcase", "presentation", "launch", "unveiling"}
_INVITED = {"invitations", "invites", "invitation", "invited", "teased", "scheduled"}
_BOUNDARY = re.compile(r"[,;:()“”\"—–]")
_WORD = re.compile(r"[\w’'$.-]+")
REACH = 12  # words read back from the phrase


def placed_in_past(before: str, after: str) -> bool:
    """Whether the verb governing a time phrase, with `before` the sentence's text before
    it and `after` the text after it, puts the phrase in the past."""
    clause = _BOUNDARY.split(before)[-1]
    words = [w.lower() for w in _WORD.findall(clause)][-REACH:]
    if any(w not in _DETERMINERS and w != "in" for w in words):
        order = range(len(words) - 1, -1, -1)
    else:  # the phrase opens its clause: its verb comes after it
        words = [w.lower() for w in _WORD.findall(_BOUNDARY.split(after.lstrip(" ,"))[0])]
        words = words[:REACH]
        order = range(len(words))
    for i in order:
        if words[i] in _EVENTS and _INVITED & set(words[:i]):
            return False  # "sent out invitations for an event on August 24": it is to come
        verdict = _tense(words, i)
        if verdict is not None:
            return verdict
    return False


def _tense(words: list[str], i: int) -> bool | None:
    """True for a past form at `i`, False for one that looks ahead, None for neither."""
    word = words[i]
    previous = words[i - 1] if i else ""
    if word in _AHEAD:
        return False
    if word in _BOTH:
        return None if previous in _MODALS or previous in _DETERMINERS else True
    if word in _IRREGULAR or (word.endswith("ed") and len(word) > 4 and word not in _NOT_PAST):
        if previous in _DETERMINERS:
            return None  # "the updated model": an adjective
        if _BE & set(words[max(0, i - 2) : i]):
            return None  # "will be launched", "was launched": the "be" decides
        return True
    return None
