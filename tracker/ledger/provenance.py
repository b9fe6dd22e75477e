"""Where claims and evidence come from: sources (who) and articles (where).

`Provenance` finds or makes them for the ledger, cached for one transaction's
writes: new rows are queued with the claims that name them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, insert, select

from tracker.db.models import Article, Source
from tracker.errors import InvalidField
from tracker.ledger.rows import ArticleRow, Ids, Rows
from tracker.rules.identity import digest
from tracker.rules.text import checked_source_name, normalise

ARTICLE_FIELDS = ("url", "title", "outlet", "published_on")
SOURCE_CACHE = 100_000  # names remembered at most; a file of more sources asks again


@dataclass(frozen=True)
class ArticleRef:
    """An article as a user or a file describes it; any field may be missing."""

    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published_on: date | None = None

    def __bool__(self) -> bool:
        return any(getattr(self, name) is not None for name in ARTICLE_FIELDS)


class Provenance:
    """Sources and articles for one transaction's writes."""

    def __init__(self, conn: Connection, rows: Rows, ids: Ids):
        self.conn, self.rows, self.ids = conn, rows, ids
        # folded name -> (the source it means, the name it is recorded under there)
        self.sources: dict[str, tuple[int, str]] = {}
        self.names: dict[int, str] = {}  # source id -> its name
        self.articles: dict[Any, dict[str, Any]] = {}  # by URL (or all fields, without one)
        self.articles_by_id: dict[int, dict[str, Any]] = {}

    def forget_articles(self) -> None:
        """Drop the cached articles (between batches: memory stays flat)."""
        self.articles.clear()
        self.articles_by_id.clear()

    # -- sources -------------------------------------------------------------------------

    def source_id(self, name: str | None) -> int | None:
        """The source with this name (case-insensitively, or by another name of it: a
        former name, a source merged into it), made on first mention."""
        found = self.source(name)
        return found[0] if found is not None else None

    def source(self, name: str | None) -> tuple[int, str] | None:
        """The source `name` means, made on first mention, and the name evidence that names
        it this way is recorded under: the source's own name, or (a former name, or one
        merged into it) the name as given (tracker.ledger.sources)."""
        if name is None:
            return None
        folded = normalise(name)
        found = self.sources.get(folded)
        if found is None:
            name = checked_source_name(name)
            query = select(func.coalesce(Source.alias_of, Source.id), Source.alias_of).where(
                Source.name_folded == folded
            )
            row = self.conn.execute(query).first()
            if row is None:
                # Written at once, not queued: should another writer be naming the same
                # new source, the clash (and the retry) comes before anything else is done.
                source_id = self.ids.take("source")
                self.conn.execute(
                    insert(Source).values(id=source_id, name=name, name_folded=folded)
                )
                self.names[source_id] = name
                found = (source_id, name)
            else:
                source_id, alias_of = row
                own = self.source_name(source_id) or name
                found = (source_id, name if alias_of is not None else own)
            if len(self.sources) >= SOURCE_CACHE:
                self.forget_sources()
            self.sources[folded] = found
        return found

    def find_source(self, name: str) -> int | None:
        """The source `name` means, if any (nothing is made)."""
        folded = normalise(name)
        if folded in self.sources:
            return self.sources[folded][0]
        query = select(func.coalesce(Source.alias_of, Source.id)).where(
            Source.name_folded == folded
        )
        found: int | None = self.conn.execute(query).scalar()
        return found

    def source_name(self, source_id: int | None) -> str | None:
        """A source's name (its current one)."""
        if source_id is None:
            return None
        name = self.names.get(source_id)
        if name is None:
            query = select(Source.name).where(Source.id == source_id)
            name = self.names[source_id] = self.conn.execute(query).scalar_one()
        return name

    def forget_sources(self) -> None:
        """Drop the cached names (after sources were renamed or merged)."""
        self.sources.clear()
        self.names.clear()

    # -- articles ------------------------------------------------------------------------

    def article_value(self, article_id: int | None) -> dict[str, Any] | None:
        """An article's fields as an edit records them (dates in ISO)."""
        if article_id is None:
            return None
        stored = self._article_by_id(article_id)
        published = stored["published_on"]
        return {
            "url": stored["url"], "title": stored["title"], "outlet": stored["outlet"],
            "published_on": published.isoformat() if published is not None else None,
        }  # fmt: skip

    def article_set(self, current: int | None, value: dict[str, Any] | None) -> int | None:
        """The article a claim names after an edit to `value`: the same article corrected
        in place when its URL stays (articles are not history; every claim that names it
        sees the correction), else the article with the new URL, found or made."""
        if value is None:
            return None
        published = value.get("published_on")
        ref = ArticleRef(
            url=value.get("url"), title=value.get("title"), outlet=value.get("outlet"),
            published_on=date.fromisoformat(published) if published else None,
        )  # fmt: skip
        if not ref:
            return None
        if current is not None and self._article_by_id(current)["url"] == ref.url:
            stored = self._article_by_id(current)
            stored.update(title=ref.title, outlet=ref.outlet, published_on=ref.published_on)
            self.rows.article_updates[current] = (
                ref.title, ref.outlet, self.rows.day(ref.published_on), current,
            )  # fmt: skip
            return current
        return self.article_id(ref)

    def prefetch(self, urls: set[str]) -> None:
        """Read the stored articles of these URLs in one query."""
        wanted = {digest(url): url for url in urls if url not in self.articles}
        if wanted:
            query = select(
                Article.id, Article.url, Article.title, Article.outlet, Article.published_on
            ).where(Article.url_hash.in_(wanted))
            for row in self.conn.execute(query).mappings():
                self._remember(dict(row))

    def article_id(self, ref: ArticleRef, current: int | None = None) -> int | None:
        """The article `ref` describes, made if new; fields it adds are filled in.

        `current` is the article a stored claim already names: `ref` must describe
        that one. Otherwise an article is the same article when its URL is;
        without a URL, when title, outlet and date all agree. A given field that
        contradicts the stored one is an error naming it: nothing is overwritten.
        """
        if not ref:
            return current
        if current is not None:
            named = self._article_by_id(current)
            if ref.url is not None and ref.url != named["url"]:
                raise InvalidField(
                    "article.url",
                    f"the claim's article is {named['url'] or 'one without a URL'}, not {ref.url}",
                )
            self._fill_in(named, ref)
            return current
        cache_key = ref.url if ref.url is not None else (None, ref.title, ref.outlet,
                                                         ref.published_on)  # fmt: skip
        stored = self.articles.get(cache_key) or self._stored_article(ref)
        if stored is None:
            stored = {name: getattr(ref, name) for name in ARTICLE_FIELDS}
            stored["id"] = self.ids.take("article")
            url_hash = digest(ref.url) if ref.url is not None else None
            day = self.rows.day
            self.rows.add("article", ArticleRow(
                id=stored["id"], url=ref.url, url_hash=url_hash, title=ref.title,
                outlet=ref.outlet, published_on=day(ref.published_on),
            ))  # fmt: skip
        else:
            self._fill_in(stored, ref)
        self._remember(stored)
        article_id: int = stored["id"]
        return article_id

    def published_on(self, ref: ArticleRef) -> date | None:
        """The article's date: as given, else as stored for that article."""
        if ref.published_on is not None or not ref:
            return ref.published_on
        stored = self.articles.get(ref.url) if ref.url is not None else None
        stored = stored or self._stored_article(ref)
        published_on: date | None = stored["published_on"] if stored is not None else None
        return published_on

    def _remember(self, stored: dict[str, Any]) -> None:
        url = stored["url"]
        key = url if url is not None else (None, stored["title"], stored["outlet"],
                                           stored["published_on"])  # fmt: skip
        self.articles[key] = self.articles_by_id[stored["id"]] = stored

    def _article_by_id(self, article_id: int) -> dict[str, Any]:
        stored = self.articles_by_id.get(article_id)
        if stored is None:
            query = select(
                Article.id, Article.url, Article.title, Article.outlet, Article.published_on
            ).where(Article.id == article_id)
            stored = dict(self.conn.execute(query).mappings().one())
            self._remember(stored)
        return stored

    def _stored_article(self, ref: ArticleRef) -> dict[str, Any] | None:
        query = select(Article.id, Article.url, Article.title, Article.outlet, Article.published_on)
        if ref.url is not None:
            query = query.where(Article.url_hash == digest(ref.url))
        else:
            query = query.where(
                Article.url.is_(None),
                *(
                    column.is_(None) if value is None else column == value
                    for column, value in (
                        (Article.title, ref.title),
                        (Article.outlet, ref.outlet),
                        (Article.published_on, ref.published_on),
                    )
                ),
            )
        row = self.conn.execute(query.limit(1)).mappings().first()
        return dict(row) if row is not None else None

    def _fill_in(self, stored: dict[str, Any], ref: ArticleRef) -> None:
        changed = False
        for name in ("title", "outlet", "published_on"):
            given, current = getattr(ref, name), stored[name]
            if given is None or given == current:
                continue
            if current is not None:
                raise InvalidField(
                    f"article.{name}",
                    f"field 'article.{name}' differs: the article is recorded with {name} "
                    f"{str(current)!r}, not {str(given)!r}",
                )
            stored[name] = given
            changed = True
        if changed:
            self.rows.article_updates[stored["id"]] = (
                stored["title"], stored["outlet"], self.rows.day(stored["published_on"]),
                stored["id"],
            )  # fmt: skip
