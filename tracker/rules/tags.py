"""Tags: `apple, iphone` is two tags, and `Naming` and `naming` are one."""

from __future__ import annotations

from collections.abc import Sequence

from tracker.errors import InvalidInput
from tracker.rules.text import clean, normalise


def clean_tags(tags: Sequence[str]) -> list[str]:
    """Tags as given, `apple, iphone` being two, and one of each whatever its case
    (`Naming` and `naming` are one tag: the first spelling is kept)."""
    split = [part for tag in tags for part in tag.split(",") if part.strip()]
    if tags and not split:
        raise InvalidInput("tag must not be empty")
    return merge_tags([], [clean(tag, "tag", limit=100) for tag in split])


def merge_tags(tags: Sequence[str], added: Sequence[str], removed: Sequence[str] = ()) -> list[str]:
    """`tags` with `added` and without `removed`, each compared case-insensitively."""
    if any(";" in tag for tag in added):  # CSV files separate tags with ';'
        raise InvalidInput("a tag cannot contain ';'")
    gone = {normalise(tag) for tag in removed}
    kept: dict[str, str] = {}
    for tag in [*tags, *added]:
        kept.setdefault(normalise(tag), tag)
    return sorted(tag for folded, tag in kept.items() if folded not in gone)
