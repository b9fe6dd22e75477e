"""What `tracker watch` did, for the renderers: each source's items and the suggestions
made. Apart from the reading (tracker.inbox.items, which needs the `[watch]` extra), so
that `tracker inbox` and `tracker feeds` work on a base install."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Suggested:
    """A suggestion made: what `watch` prints."""

    id: int | None  # None in a dry run
    claim_id: int
    claim_handle: str
    claim_text: str
    title: str | None
    url: str
    score: float
    stance: str


@dataclass
class SourceReport:
    source: str
    items: int = 0
    new: int = 0
    suggestions: list[Suggested] = field(default_factory=list)
    error: str | None = None
    not_modified: bool = False
    pages_failed: int = 0
    future: int = 0  # new items dated after today, kept undated
    stored: bool = False  # the stored articles, matched for the claims added since
