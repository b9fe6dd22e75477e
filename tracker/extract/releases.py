"""A company's own press release, whose every statement is the company's.

A release opens with a dateline and the company announcing ("SEOUL, Korea – July 26, 2023 –
Samsung Electronics today announced ..."), or comes from a newsroom or a newswire and opens
with the announcement. In one, a sentence nobody else is named for is the company speaking:
its source is the company and a bare "will" is official. The dateline is not part of the
first sentence, and the boilerplate from "About <company>" on is not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from tracker.extract.articles import Article, Block

_DATELINE = re.compile(
    r"[A-Z][A-Z .'’-]{2,}\b,[^–—]{0,60}?(?:[–—]|--)\s*(?:[^–—]{0,30}?(?:[–—]|--)\s*)?"
)
_ANNOUNCES = re.compile(
    r"(?P<company>[A-Z][\w&.-]*(?: [A-Z][\w&.-]*)*?)(?:,? (?:Inc|Co|Corp|Ltd|LLC|AG|SE|plc)\.?,?)*"
    r"(?: \([^)]{1,40}\))? (?:today|on \w+day) (?:announced|unveiled|introduced|launched"
    r"|released|revealed)\b"
)
_NEWSROOM = re.compile(r"newsroom|press release|newswire|business wire|pr ?newswire", re.I)
_ABOUT = re.compile(r"About [A-Z][\w .,&’'-]{0,60}")


@dataclass(frozen=True)
class Release:
    company: str
    blocks: list[Block]  # the body without the dateline and the boilerplate


def read_release(article: Article) -> Release | None:
    """The release's company and body, or None when the article is not a press release."""
    lead = next((i for i, block in enumerate(article.blocks) if not block.heading), None)
    if lead is None:
        return None
    text = article.blocks[lead].text
    dateline = _DATELINE.match(text)
    if dateline:
        text = text[dateline.end() :]
    elif not any(_NEWSROOM.search(article.headers.get(h, "")) for h in ("outlet", "url")):
        return None
    announces = _ANNOUNCES.match(text)
    if not announces:
        return None
    blocks = list(article.blocks)
    blocks[lead] = replace(blocks[lead], text=text)
    end = next((i for i, block in enumerate(blocks) if _ABOUT.fullmatch(block.text)), None)
    return Release(announces["company"], blocks[:end])
