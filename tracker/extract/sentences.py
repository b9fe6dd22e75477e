"""Sentences of a paragraph, for news English.

A sentence ends at `.`, `!` or `?` (and any closing quotes or brackets after it) followed
by a space and a capital, a digit or an opening quote, except after an abbreviation
that does not end sentences (`Mr.`, `e.g.`, `Jan. 15`, an initial). Decimals and version
numbers (`8.1`, `3.13.2`) have no space after the point, so they never end one.
"""

from __future__ import annotations

import re

# Never a sentence's end: titles before a name, and Latin abbreviations inside one (`FTC v.
# Microsoft`, `Apple vs. Epic`).
_TITLES = {"mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "gov", "sen",
           "rep", "rev", "hon", "capt", "col", "lt", "sgt", "messrs", "mme", "mlle"}  # fmt: skip
_INSIDE = {"e.g", "i.e", "cf", "vs", "v", "approx", "ca", "viz", "al", "esp", "incl", "fig"}
# Before a number: `Jan. 15`, `No. 3`, `p. 12`, `ver. 2`.
_BEFORE_NUMBER = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
                  "dec", "no", "nos", "p", "pp", "vol", "ver", "art", "ch", "sec"}  # fmt: skip

_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘([«"
_END = re.compile(
    rf"[.!?…]+[{re.escape(_CLOSERS)}]*(?=\s+[{re.escape(_OPENERS)}]*[A-Z0-9\u00c0-\u024f])"
)
_WORD_BEFORE = re.compile(r"([\w.&'’-]+)$")


def split(paragraph: str) -> list[str]:
    """The sentences of one paragraph (a block of running text), stripped."""
    text = " ".join(paragraph.split())
    sentences: list[str] = []
    start = 0
    for m in _END.finditer(text):
        if m.group().startswith(".") and not _ends_sentence(text, m):
            continue
        sentences.append(text[start : m.end()].strip())
        start = m.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def _ends_sentence(text: str, m: re.Match[str]) -> bool:
    """Whether the full stop of `m` ends a sentence, or an abbreviation."""
    if m.group() != "." and not m.group().startswith(".."):
        return True  # closing quotes or an ellipsis after the point: a sentence's end
    word = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())  # not from 0: O(n²)
    if not word:
        return True
    token = word.group(1).strip("'’-&")
    lower = token.lower()
    following = text[m.end() :].lstrip()
    if lower in _TITLES or lower in _INSIDE:
        return False
    if lower in _BEFORE_NUMBER and following[:1].isdigit():
        return False
    # An initial (`J. R. Smith`) is not an end; `U.S.` before a capital is.
    return not (len(token) == 1 and token.isalpha() and token.isupper())
