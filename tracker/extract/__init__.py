"""Claims from articles (design.md §11): what `tracker extract` proposes for review.

`records(text, ...)` reads one article and gives its candidate claims as import records
(section 7) with `quote` and `cue`. Offline and rule-based: cue words (cues.py), time
phrases read with the project's window grammar (windows.py), speakers (speakers.py), the
names of products, companies and people (names.py) and whom a speaker means
(attribution.py), and the sentences worth checking (claims.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.errors import InvalidInput
from tracker.extract.articles import Article, Block, read_article
from tracker.extract.candidates import find_claims
from tracker.rules.claim_fields import FIELD
from tracker.rules.dates import parse_date
from tracker.rules.text import checked_source_name, clean_optional, not_after

ARTICLE_FIELDS = ("url", "title", "outlet")
# About 80,000 words, a few seconds' work: longer is a book or a dump, not an article.
MAX_ARTICLE = 500_000
MAX_PAGE = 4 * MAX_ARTICLE  # the page as read, HTML markup and all


@dataclass(frozen=True)
class Overrides:
    """What the command line says about every article, over its own headers."""

    date: date | None = None
    source: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None


def records(text: str, name: str, overrides: Overrides, today: date) -> list[dict[str, Any]]:
    """The candidate claims of one article, in article order, as import records that
    `tracker import` takes as they are (its own checks are made here)."""
    if len(text) > MAX_PAGE:  # before any parsing: markup and all, far more than an article
        raise InvalidInput(f"{name}: {len(text):,} characters is too long for an article page")
    article = read_article(text)
    if not article.blocks and article.headers.get("title"):  # a headline given alone
        article = Article(article.headers, [Block(article.headers["title"], heading=True)])
    if not article.blocks:
        return []  # nothing to read, so no date is needed to read it
    length = sum(len(block.text) for block in article.blocks)
    if length > MAX_ARTICLE:
        raise InvalidInput(
            f"{name}: {length:,} characters of text is too long for an article "
            f"(at most {MAX_ARTICLE:,}); give the article alone"
        )
    said_on = overrides.date or _header_date(article.headers.get("date"), name, today)
    try:
        not_after(said_on, today)
        fields = {
            f: clean_optional(getattr(overrides, f) or article.headers.get(f), f"its {f}",
                              limit=FIELD[f"article_{f}"].limit)
            for f in ARTICLE_FIELDS
        }  # fmt: skip
    except InvalidInput as exc:
        raise InvalidInput(f"{name}: the article's date or headers: {exc}") from None
    cited = {**fields, "published_on": said_on.isoformat()}
    found = find_claims(article, said_on, overrides.source or fields["outlet"])
    return [
        {
            "text": claim.text,
            "subject": claim.subject,
            "source": _source(claim.source, overrides.source or fields["outlet"]),
            "said_on": said_on.isoformat(),
            "expected": claim.expected.phrase if claim.expected else None,
            "hedge": claim.cue.hedge,
            "likelihood": claim.cue.likelihood,
            "article": {key: value for key, value in cited.items() if value},
            "quote": claim.quote,
            "cue": claim.cue.words or None,
        }
        for claim in found
    ]


def _source(speaker: str | None, fallback: str | None) -> str | None:
    """The speaker, if it is a name the tracker can store (else what a claim with no named
    speaker gets): a 300-character "speaker" is a misreading, not a source."""
    if speaker is None:
        return fallback
    try:
        return checked_source_name(speaker)
    except InvalidInput:
        return fallback


def _header_date(value: str | None, name: str, today: date) -> date:

    if value is None:
        raise InvalidInput(
            f"{name}: no date: windows are read from the article's date; give --date "
            "or a 'date YYYY-MM-DD' line at the top of the article"
        )
    try:
        return parse_date(value, today=today)
    except InvalidInput as exc:
        raise InvalidInput(f"{name}: the article's date: {exc}") from None
