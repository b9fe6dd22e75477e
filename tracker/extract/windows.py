"""A sentence's time phrase, read with the project's window grammar (tracker.rules.dates).

News writes "in the third quarter of 2025", "October 8 this year" or "in the spring";
the grammar reads `Q3 2025`, `8 October 2024` and `spring`. A few rewrites bring the one
to the other, then every run of a few words that could be a time phrase is tried against
the grammar itself, longest first. The phrase kept is written out as an absolute one the
grammar accepts ("in July this year" said on 2022-05-23 is `July 2022`), so an import
file means the same on any day.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.errors import InvalidDate
from tracker.extract.tense import placed_in_past
from tracker.rules.dates import MONTHS, SEASONS, Window, parse_window

MAX_WORDS = 7  # "by the end of October 2025" is six

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_CAPITAL_MONTHS = "|".join(sorted((name.capitalize() for name in MONTHS), key=len, reverse=True))
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
             "4th": 4}  # fmt: skip
_ORDINAL = "(?P<n>" + "|".join(_ORDINALS) + ")"
_YEAR_OF = r"(?:(?: of)? (?P<year>\d{4})| of (?P<which>this|next|last|the) year)?"
# Moved: with these verbs the last time phrase is where a thing went ("from this October to
# spring 2026").
_DELAY = re.compile(r"\b(?:delay|postpone|push(?:ed)? back|mov(?:e|ed|es) to|slip)\w*", re.I)
# What a range runs between: a month, quarter, half, season or year.
_POINT = (rf"(?:{_CAPITAL_MONTHS}|Q[1-4]|H[12]|{'|'.join(SEASONS)})(?: \d{{4}})?|\d{{4}}"
          r"(?!\d|[,.]\d)")  # fmt: skip
_COUNT = re.compile(r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
                    r"|twelve) (?:day|week|month|year)s?", re.I)  # fmt: skip
_TOKEN = re.compile(r"[A-Za-z0-9][\w.’'-]*")
# A phrase after these is no calendar window to come: "since March", "fiscal 2024".
_NOT_AFTER = {"since", "last", "past", "previous", "earlier", "ago", "fiscal"}
_ANCHOR = re.compile(
    rf"\d|\b(?:{_MONTH_NAMES}|{'|'.join(SEASONS)}|year|month|week|quarter)\b", re.I
)
_STARTERS = re.compile(
    rf"(?:{_MONTH_NAMES})\.?|{'|'.join(SEASONS)}|q[1-4]|h[12]|[12]h|\d+|in|within|by|before"
    r"|end|the|early|mid|mid-\w+|late|later|this|next|first|second",
    re.I,
)
_MONTH_TOKEN = re.compile(rf"\b(?:{_MONTH_NAMES})\b\.?", re.I)
_RELATIVE = re.compile(r"\b(?:this|next|last|later|ago|the (?:year|month|week|quarter))\b", re.I)
_OF = re.compile(r"\s+of\b", re.I)
_LONE = re.compile(rf"(?:{_MONTH_NAMES})\.?|{'|'.join(SEASONS)}", re.I)


@dataclass(frozen=True)
class Found:
    phrase: str  # absolute, in the grammar: what `expected` holds
    window: Window


def find_window(sentence: str, reference: date) -> Found | None:
    """The sentence's time phrase as an absolute window phrase, or None when it has none
    (or only one over before `reference`: the claim stays, the window is left out)."""
    text = _rewrite(sentence, reference)
    found = [w for w in _phrases(text, reference) if w.end >= reference]
    if not found:
        return None
    window = found[-1] if _DELAY.search(sentence) else found[0]
    phrase = re.sub(r"^in ", "", window.text, flags=re.I)
    if phrase.lower().startswith("the end of"):  # "until the end of 2025"
        phrase = "by " + phrase
    if not (re.search(r"\d{4}", phrase) and not _RELATIVE.search(phrase)):
        phrase = absolute(window, reference)
    return Found(phrase, window)


def _year(m: re.Match[str], reference: date) -> str:
    if m["year"]:
        return " " + m["year"]
    if m["which"]:
        return f" {reference.year + {'next': 1, 'last': -1}.get(m['which'].lower(), 0)}"
    return ""


def _month_day(m: re.Match[str], reference: date) -> str:
    """`August 24` without a year: the next one on or after the reference date, or the last
    one before it when the sentence places it in the past ("shipped on March 3")."""
    month = m["month"].rstrip(".")
    when, now = (MONTHS[month.lower()], int(m["day"])), (reference.month, reference.day)
    if placed_in_past(m.string[: m.start()], m.string[m.end() :]):
        return f"{when[1]} {month} {reference.year - (when > now)}"
    return f"{when[1]} {month} {reference.year + (when < now)}"


def _span(m: re.Match[str], reference: date) -> str:
    """`between March and May 2024`, `2024 or 2025` as the grammar's range `March–May 2024`."""
    return f"{m['a']}–{m['b']}"


# Each rewrite gives a match's replacement, given the day the sentence was said.
Rewrite = Callable[[re.Match[str], date], str]
_REWRITES: list[tuple[re.Pattern[str], Rewrite]] = [
    (re.compile(rf"\b(?:the )?{_ORDINAL} quarter{_YEAR_OF}", re.I),
     lambda m, ref: f"Q{_ORDINALS[m['n'].lower()]}{_year(m, ref)}"),
    (re.compile(rf"\b(?:the )?(?P<n>first|second|1st|2nd) half{_YEAR_OF}", re.I),
     lambda m, ref: f"H{_ORDINALS[m['n'].lower()]}{_year(m, ref)}"),
    (re.compile(r"\b(?:the )?(?:year-end|year end|end of the year)\b", re.I),
     lambda m, ref: "the end of the year"),
    (re.compile(rf"\b(?P<month>{_CAPITAL_MONTHS})\.? (?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
                r"(?!,? ?\d{4})(?: this year)?"), _month_day),
    (re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<month>{_CAPITAL_MONTHS})\b"
                r"(?!,? ?\d{4})(?: this year)?"), _month_day),
    (re.compile(rf"\b(?P<point>{_POINT}) of (?:(?P<year>\d{{4}})|(?P<which>this|next|last) year)",
                re.I), lambda m, ref: m["point"] + _year(m, ref)),
    (re.compile(rf"\bbetween (?P<a>{_POINT}) and (?P<b>{_POINT}(?: \d{{4}})?)\b", re.I), _span),
    (re.compile(rf"\b(?P<a>{_POINT}) or (?P<b>{_POINT}(?: \d{{4}})?)\b", re.I), _span),
    (re.compile(rf"\bin the (?P<season>{'|'.join(SEASONS)})\b(?! of)", re.I),
     lambda m, ref: "in " + m["season"]),
    (re.compile(r"\binto (?P<year>\d{4})\b", re.I), lambda m, ref: "in " + m["year"]),
    (re.compile(r"\b(?P<verb>(?:begin|open|start|ship|arrive)s?|launch(?:es)?|go(?:es)? on sale"
                r"|available|on sale)(?: (?:from|starting))? today\b", re.I),
     lambda m, ref: f"{m['verb']} {ref.isoformat()}"),  # "pre-orders open today": that day
]  # fmt: skip


def _rewrite(sentence: str, reference: date) -> str:
    text = sentence
    for pattern, make in _REWRITES:
        text = pattern.sub(lambda m: make(m, reference), text)  # noqa: B023 (used at once)
    return text


def _phrases(text: str, reference: date) -> list[Window]:
    """The time phrases of `text`, left to right, each the longest run the grammar reads."""
    tokens = list(_TOKEN.finditer(text))
    found: list[Window] = []
    i = 0
    while i < len(tokens):
        window = None
        if _STARTERS.fullmatch(tokens[i].group().rstrip(".")) or tokens[i].group()[:1].isdigit():
            for j in range(min(i + MAX_WORDS, len(tokens)) - 1, i - 1, -1):
                phrase = text[tokens[i].start() : tokens[j].end()].rstrip(".,;:")
                before, after = text[: tokens[i].start()], text[tokens[j].end() :]
                window = _read(phrase, before, after, reference)
                if window is not None:
                    found.append(window)
                    i = j
                    break
        i += 1
    return found


def _read(phrase: str, before: str, after: str, reference: date) -> Window | None:
    if (
        not _ANCHOR.search(phrase)
        or " to " in phrase  # "from this October to spring 2026" is two phrases
        or re.search(r"[^\w\s,.’'–-]", phrase)
        or _COUNT.fullmatch(re.sub(r"^(?:by|before) ", "", phrase))  # "for two years", "by a week"
        or _LONE.fullmatch(phrase)  # "the spring date", "of October": no window alone
        or any(not m.group()[0].isupper() for m in _MONTH_TOKEN.finditer(phrase))  # "may"
    ):
        return None
    previous = before.split()[-1:] or [""]
    if previous[0].lower() in _NOT_AFTER:
        return None
    if _OF.match(after):
        return None  # "Q3 of its first year": a time of something else, not of the calendar
    if not re.search(r"\d{4}", phrase) and placed_in_past(before, after):
        return None  # "released in March", "cut its price to $999 in March", "said in May"
    # The grammar's "in X" takes a simple X; "in March–May 2024" is read as the range alone.
    for words in (phrase, re.sub(r"^in (?=\S+–)", "", phrase, flags=re.I)):
        try:
            return parse_window(words, reference)
        except InvalidDate:
            continue
    return None


def absolute(window: Window, reference: date) -> str:
    """The window as a phrase that means it on any day: `July 2022`, `Q3 2025`, `2026`,
    `by the end of 2025`; the phrase as found when no shorter one fits."""
    start, end = window.start, window.end
    named = _named(start, end)
    if named:
        return named
    if start == reference:
        month_end = end + timedelta(days=1)
        if month_end.day == 1:
            inner = str(end.year) if end.month == 12 else f"{end:%B %Y}"
            return f"by the end of {inner}"
        return f"by {end.isoformat()}"
    return _months(start, end) or window.text


def _months(start: date, end: date) -> str | None:
    """A run of whole months as a range the grammar reads: `March–April 2024`, `2024–2025`."""
    next_day = end + timedelta(days=1)
    if start.day != 1 or next_day.day != 1:
        return None
    if start.month == 1 and end.month == 12:
        return f"{start.year}–{end.year}"
    first = f"{start:%B}" if start.year == end.year else f"{start:%B %Y}"
    return f"{first}–{end:%B %Y}"


def _named(start: date, end: date) -> str | None:
    """The grammar's own name for the span, if it has one."""
    if start == end:
        return start.isoformat()
    next_day = end + timedelta(days=1)
    if (start.year, start.month) == (end.year, end.month):
        last = (date(end.year + end.month // 12, end.month % 12 + 1, 1) - timedelta(days=1)).day
        if (start.day, end.day) == (1, last):
            return f"{start:%B %Y}"
        part = {(1, 10): "early", (11, 20): "mid", (21, last): "late"}.get((start.day, end.day))
        return f"{part} {start:%B %Y}" if part else None
    if start.day != 1 or next_day.day != 1:
        return None
    months = (next_day.year - start.year) * 12 + next_day.month - start.month
    if months == 3 and start.month % 3 == 1:
        return f"Q{start.month // 3 + 1} {start.year}"
    if months == 6 and start.month in (1, 7):
        return f"H{1 if start.month == 1 else 2} {start.year}"
    if months == 12 and start.month == 1:
        return str(start.year)
    season = next((name for name, first in SEASONS.items() if first == start.month), None)
    if months == 3 and season:
        return f"{season} {start.year}"
    parts = {1: "early ", 5: "mid-", 9: "late "}
    if months == 4 and start.month in parts:
        return f"{parts[start.month]}{start.year}"
    return None
