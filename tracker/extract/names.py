"""What a sentence names: products ("Orbit Watch 3", "Galaxy Z Fold5"), organisations and
people, read from how they are written (capitals, model numbers, a verb after a name).
"""

from __future__ import annotations

import re

from tracker.rules.dates import MONTHS, SEASONS, WEEKDAYS

# What makes a name a product's: a model number or tier ("3", "Fold5", "Pro").
_MODEL = (
    r"(?:(?:\d+(?:\.\d+)*\+?|[A-Z]{1,3}\d+[A-Za-z]*|[A-Z][a-z]+\d+[a-z]*)(?!\.\w)|Ultra|Pro|Max"
    r"|Plus|Lite|Mini)"
)
PRODUCT = re.compile(
    rf"\b(?!(?:{'|'.join(['The', 'A', 'An', 'In', 'By', 'Version', 'Chapter', 'Page'])})\b)"
    rf"(?:[A-Z]|[a-z]{{1,6}}(?=[A-Z]))[\w+-]*(?: [A-Z][\w+-]*)*(?: {_MODEL}\b)+"
    r"(?: (?:Gen|Series) \d+| [A-Z][a-z]+\b"
    r"(?= [A-Z0-9]))?"
)
_MONTH_OR_QUARTER = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Q[1-4]|H[12]|Spring|Summer|Fall"
    r"|Autumn|Winter)\b"
)
_ORG_WORDS = {"inc", "inc.", "corp", "corp.", "group", "motors", "networks", "silicon",
              "interactive", "mobile", "labs", "technologies", "systems", "camera", "ag",
              "ltd", "ltd.", "co", "co.", "studio", "games", "research", "capital",
              "electronics", "information", "news", "times", "journal"}  # fmt: skip
# A name leads a sentence when a verb follows it: "Sorel currently operates", "Halden Motors
# said", "Kestrel 3.14 will" (its product), not "Smartphone maker Brightline".
_LEADING = re.compile(
    r"(?:The )?(?P<name>[A-Z][\w-]*(?: [A-Z][\w-]*){0,3})(?:[’']s)? (?=(?:\w+ly |also )?"
    r"(?:is|are|was|were|has|have|had|will|would|could|may|might|said|says|on|in|\w+s|\w+ed"
    r"|[\d.]+[a-z]?)\b)"
)
# Capitalised words that open a sentence without naming anyone.
_NOT_NAMES = {"it", "he", "she", "they", "we", "i", "you", "this", "that", "there", "its",
              "their", "as", "if", "but", "and", "however", "in", "for", "with", "what", "when",
              "while", "shares", "sources", "analysts", "people", "reviewers", "customers",
              "users", "gamers", "messages", "reservations", "performance", "battery", "prices",
              "starting", "some", "not", "whether", "previously", "during", "two", "three",
              "several", "many", "most", "one", "both", "each", "all", "every", "neither",
              "either", "other", "another", "such", "no", "our", "my", "your"}  # fmt: skip
_OPENING_WORDS = {"the", "a", "an", "this", "these", "those", "his", "her", "does", "do", "is",
                  "are", "will", "can", "could", "would", "should", "has", "have"}  # fmt: skip
_CALENDAR = set(MONTHS) | set(SEASONS) | set(WEEKDAYS)
_DIGIT = re.compile(r"\d")


def is_person(name: str) -> bool:
    """A full name ("Anna Voss"), not a company's ("Halden Motors")."""
    words = name.split()
    return len(words) >= 2 and not any(word.lower() in _ORG_WORDS for word in words)


def leading_name(sentence: str) -> str | None:
    """The name a sentence opens with, when a verb follows it."""
    m = _LEADING.match(sentence)
    if not m or m["name"].split()[0].lower() in _NOT_NAMES or _DIGIT.search(m["name"]):
        return None  # "Both devices run", "The Fold5 weighs": no one who speaks
    return m["name"]


def organisation(sentence: str) -> str | None:
    """The organisation a sentence opens with: "Samsung will ...", not "The Ridge will" or
    "Watch 3 costs" (products)."""
    name = leading_name(sentence)
    if not name or sentence.startswith("The ") or _DIGIT.match(sentence[len(name) :].lstrip()):
        return None  # "The Ridge will start at ...", "Watch 3 costs ...": products
    return None if re.search(rf"\b{_MODEL}$", name) else name


def names_something(text: str) -> bool:
    """Whether the text names a company, product or person (a capitalised word that is not
    just a sentence's first word, a month or a day)."""
    return any(
        word[:1].isupper() and word.lower() not in _NOT_NAMES | _OPENING_WORDS | _CALENDAR
        for word in re.findall(r"[\w’'-]+", text)
    )


def subject_of(text: str) -> str | None:
    """A product named before the claim's verb ("The Orbit Watch 3 will cost..."), or None:
    only where it is evident."""
    verb = re.search(r"\b(?:will|is|are|was|could|may|might|would|has|have|to|expects?)\b", text)
    head = text[: verb.start()] if verb else text
    for m in PRODUCT.finditer(head):
        name = m.group()
        if not _MONTH_OR_QUARTER.match(name):
            return name
    return None
