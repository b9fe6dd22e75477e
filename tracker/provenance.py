"""Where claims and evidence come from: sources (who) and articles (where)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import InvalidInput
from tracker.models import Article, Source
from tracker.text import MAX_NAME, clean, normalise


def find_source(session: Session, name: str) -> Source | None:
    return session.scalars(select(Source).where(Source.name_folded == normalise(name))).first()


def source_named(session: Session, name: str) -> Source:
    """The source with this name (case-insensitively), created on first mention."""
    name = clean(name, "source")
    if len(normalise(name)) > MAX_NAME:  # case folding can lengthen a name ('ß' -> 'ss')
        raise InvalidInput(
            f"source is too long once case-folded ({len(normalise(name)):,} characters; "
            f"at most {MAX_NAME})"
        )
    source = find_source(session, name)
    if source is None:
        source = Source(name=name, name_folded=normalise(name))
        session.add(source)
        session.flush()
    return source


@dataclass(frozen=True)
class ArticleRef:
    """An article as a user or a file describes it; any field may be missing."""

    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published_on: date | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.url, self.title, self.outlet, self.published_on))


def article_for(session: Session, ref: ArticleRef) -> Article | None:
    """The stored article `ref` describes, created if new.

    An article is the same article when its URL is; without a URL, when title,
    outlet and date all agree. A field given that contradicts the stored
    article is an error naming it: nothing is overwritten silently.
    """
    if not ref:
        return None
    if ref.url is not None:
        query = select(Article).where(Article.url == ref.url)
    else:
        query = select(Article).where(
            Article.url.is_(None),
            _equal_or_null(Article.title, ref.title),
            _equal_or_null(Article.outlet, ref.outlet),
            _equal_or_null(Article.published_on, ref.published_on),
        )
    article = session.scalars(query.limit(1)).first()
    if article is None:
        article = Article(
            url=ref.url, title=ref.title, outlet=ref.outlet, published_on=ref.published_on
        )
        session.add(article)
        session.flush()
        return article
    for field in ("title", "outlet", "published_on"):
        given, stored = getattr(ref, field), getattr(article, field)
        if given is None or given == stored:
            continue
        if stored is not None:
            raise InvalidInput(
                f"article {ref.url} is already recorded with {field} {stored!s}, not {given!s}"
            )
        setattr(article, field, given)
    return article


def _equal_or_null(column, value):
    return column.is_(None) if value is None else column == value
