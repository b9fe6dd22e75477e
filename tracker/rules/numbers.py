"""Whole numbers as people type them into an option or a page's query (a count of days, a
limit): one rule and one message, whether the CLI or the team page reads them."""

from __future__ import annotations

from tracker.errors import InvalidInput

DAYS_MAX = 36500  # a century: the longest span in days any option takes
# The most a limit may ask for: more rows than any database holds, and a number every
# backend's LIMIT takes.
LIMIT_MAX = 1_000_000_000
# What a report's recent window (`--days`, `days`) and its lists' length (`--limit`,
# `limit`; 0: every claim) may be.
REPORT_DAYS = (1, DAYS_MAX)
REPORT_LIMIT = (0, LIMIT_MAX)


def whole_number(text: str, least: int, most: int) -> int:
    """`text` (spaces around it allowed) as a whole number from `least` to `most`."""
    digits = text.strip()
    if (
        not (digits.isascii() and digits.isdigit())
        or len(digits.lstrip("0")) > len(str(most))  # long enough to be too big, however read
        or not least <= int(digits) <= most
    ):
        raise InvalidInput(f"{text!r} is not a whole number from {least} to {most}")
    return int(digits)
