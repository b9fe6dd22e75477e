"""Free text from users and files: cleaned, bounded and normalised one way everywhere."""

import re
from datetime import date

from tracker.errors import InvalidInput

# Long enough for any real claim or note, short enough that a pasted file is refused.
MAX_TEXT = 10_000
MAX_NAME = 200
_KEY = re.compile(r"[A-Za-z0-9._-]+", re.ASCII)


def clean(value: str, field: str, *, limit: int = MAX_NAME) -> str:
    """Surrounding whitespace stripped; empty, NUL-bearing or over-long text refused."""
    value = value.strip()
    if not value:
        raise InvalidInput(f"{field} must not be empty")
    if "\x00" in value:
        raise InvalidInput(f"{field} must not contain NUL characters")
    if len(value) > limit:
        raise InvalidInput(f"{field} is too long ({len(value):,} characters; at most {limit:,})")
    return value


def clean_optional(value: str | None, field: str, *, limit: int = MAX_NAME) -> str | None:
    return None if value is None else clean(value, field, limit=limit)


def normalise(text: str) -> str:
    """How imports recognise the same claim text: case and spacing ignored."""
    return " ".join(text.split()).casefold()


def is_key(text: str) -> bool:
    """Letters, digits, '-', '_' and '.', not all digits (those are ids), at most 200."""
    return len(text) <= MAX_NAME and bool(_KEY.fullmatch(text)) and not text.isdigit()


def is_id(text: str) -> bool:
    """ASCII digits only: '١٢' or '²' are not ids."""
    return text.isascii() and text.isdigit()


def check_key(key: str) -> str:
    """A claim key: letters, digits, '-', '_' and '.', not all digits (those are ids)."""
    key = clean(key, "key")
    if not is_key(key):
        raise InvalidInput(
            f"invalid key {key!r}: use letters, digits, '-', '_' and '.', not digits alone"
        )
    return key


def one_of(value: str, choices: tuple[str, ...] | list[str], what: str) -> str:
    """One of `choices`, whatever its case; else an error that says which was meant."""
    word = value.strip().casefold()
    if word in choices:
        return word
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    shown = value.strip()[:40]
    raise InvalidInput(f"unknown {what} {shown!r}; {hint}use one of: {', '.join(choices)}")


def checked_source_name(name: str) -> str:
    name = clean(name, "source")
    if len(normalise(name)) > MAX_NAME:  # case folding can lengthen a name ('ß' -> 'ss')
        raise InvalidInput(
            f"source is too long once case-folded ({len(normalise(name)):,} characters; "
            f"at most {MAX_NAME})"
        )
    return name


def not_after(day: date, today: date) -> date:
    """Claims, articles, evidence and resolutions happened: none is dated in the future."""
    if day > today:
        raise InvalidInput(f"{day} is in the future (today is {today})")
    return day
