"""`tracker watch`: read the sources, keep each new article (or new revision of one), and
suggest it for the open claims it matches.

Reading (`read_sources`) touches no database: the network is slow and a transaction must
not wait on it. Recording (`record`) then runs in one transaction: the new articles, their
suggestions, and the validators the remembered feeds' servers sent.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, tuple_, update
from sqlalchemy.orm import Session

from tracker.db.models import Claim, Suggestion, WatchedArticle
from tracker.inbox.feeds import remember_validators
from tracker.inbox.fetch import Fetched, SourceFailed, Validators, fetch
from tracker.inbox.items import SUFFIXES, Item, decode, items_of, page_item
from tracker.inbox.matching import CANDIDATES, THRESHOLD, Match, Matcher
from tracker.inbox.reports import SourceReport, Suggested
from tracker.inbox.stance import stance_of
from tracker.queries.links import duplicates_on
from tracker.rules.identity import digest, handle

MATCHES_PER_ARTICLE = 3  # an article about several claims is suggested for each, up to 3


@dataclass(frozen=True)
class Read:
    """One source as read: its items, or why it could not be."""

    source: str  # as given (a URL or a path)
    url: str
    items: list[Item] = field(default_factory=list)
    error: str | None = None
    validators: Validators | None = None  # what a remembered feed's server said
    not_modified: bool = False
    pages_failed: int = 0


def expand(sources: Iterable[str]) -> list[tuple[str, str]]:
    """(as given, URL) for each source; a folder is each feed or article file in it."""
    found: dict[str, str] = {}  # URL: as given, each once
    for source in sources:
        scheme = urllib.parse.urlsplit(source).scheme.lower()
        if len(scheme) > 1:  # a URL (the fetch refuses schemes it does not read)
            found.setdefault(source, source)
            continue
        try:
            path = Path(source).expanduser()
            if path.is_dir():
                files = sorted(
                    p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                )
                for file in files:
                    found.setdefault(file.resolve().as_uri(), str(file))
                continue
            if path.exists():
                found.setdefault(path.resolve().as_uri(), source)
                continue
        except (OSError, RuntimeError, ValueError):  # a name too long, "~nobody", a NUL
            pass
        found.setdefault(source, source)  # read fails: no such file
    return [(shown, url) for url, shown in found.items()]


def read_sources(
    sources: list[tuple[str, str]],
    *,
    remembered: dict[str, Validators],
    fetch_pages: bool,
) -> list[Read]:
    """Each source read: fetched, its items parsed, their pages fetched if asked."""
    return [_read(shown, url, remembered, fetch_pages) for shown, url in sources]


def _read(shown: str, url: str, remembered: dict[str, Validators], fetch_pages: bool) -> Read:
    feed = url in remembered
    try:
        if "://" not in url:
            raise SourceFailed("no such file or folder, and not an http(s) URL")
        fetched = fetch(url, remembered.get(url))
        found = Validators(fetched.etag, fetched.last_modified) if feed else None
        if fetched.not_modified:
            return Read(shown, url, validators=found, not_modified=True)
        items = items_of(fetched, feed_only=feed)
    except SourceFailed as exc:
        return Read(shown, url, error=str(exc))
    failed = 0
    if fetch_pages:
        items, failed = _with_pages(items)
    return Read(shown, url, items, validators=found, pages_failed=failed)


def _with_pages(items: list[Item]) -> tuple[list[Item], int]:
    """Each item with its page's story in place of the feed's text, where it can be read."""
    done, failed = [], 0
    for item in items:
        if not item.link or urllib.parse.urlsplit(item.link).scheme not in ("http", "https"):
            done.append(item)
            continue
        try:
            fetched: Fetched = fetch(item.link)
            page = page_item(fetched.url, decode(fetched))
        except SourceFailed:
            failed += 1
            done.append(item)
            continue
        done.append(
            replace(
                item,
                title=item.title or page.title,
                text=page.text or item.text,
                published=item.published or page.published,
            )
        )
    return done, failed


# -- recording --------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenClaim:
    id: int
    uid: str
    text: str
    subject: str | None
    said_on: date
    created_at: datetime

    @property
    def matched_text(self) -> str:
        """What an article is matched against: the text, and the subject it may omit."""
        if self.subject and self.subject.casefold() not in self.text.casefold():
            return f"{self.subject}: {self.text}"
        return self.text

    def may_be_evidence(self, published: date | None) -> bool:
        """An article published before the claim was made says nothing of how it came
        out (an undated one may)."""
        return published is None or published >= self.said_on


def open_claims(session: Session, today: date) -> list[OpenClaim]:
    """The claims evidence is still wanted for: pending or disputed, not withdrawn, not a
    duplicate of another."""
    rows = session.execute(
        select(
            Claim.id, Claim.uid, Claim.text, Claim.subject, Claim.said_on, Claim.created_at
        ).where(
            Claim.status.in_(("pending", "disputed")),
            Claim.withdrawn.is_(False),
            Claim.id.not_in(duplicates_on(today)),
        )
    )
    return [OpenClaim(*row) for row in rows]


def record(
    session: Session, reads: list[Read], *, now: datetime, today: date, dry_run: bool
) -> list[SourceReport]:
    """Store the new articles and revisions, and suggest each for the claims it matches;
    then the articles stored before some claims were added, for those claims (the last
    report, `stored`, when there are such claims)."""
    claims = {claim.id: claim for claim in open_claims(session, today)}
    matcher = Matcher([(claim.id, claim.matched_text) for claim in claims.values()])
    known = _latest_revisions(session, [item for read in reads for item in read.items])
    reports: list[SourceReport] = []
    new: list[tuple[SourceReport, Item, WatchedArticle]] = []
    for read in reads:
        report = SourceReport(
            read.source,
            error=read.error,
            not_modified=read.not_modified,
            pages_failed=read.pages_failed,
        )
        reports.append(report)
        if read.validators is not None and not dry_run:
            remember_validators(session, read.url, read.validators, now=now)
        for item in read.items:
            report.items += 1
            key, content = digest(item.url), digest(item.title or "", item.text or "")
            revision, seen = known.get(key, (0, None))
            if seen == content:
                continue
            known[key] = (revision + 1, content)
            report.new += 1
            if item.published is not None and item.published > today:
                # Nothing is dated in the future (`evidence --on` refuses it too): the
                # article is kept undated, and accepting it dates it the day it was read.
                report.future += 1
                item = replace(item, published=None)
            article = WatchedArticle(
                url=item.url,
                url_hash=key,
                revision=revision + 1,
                title=item.title,
                outlet=item.outlet,
                published_on=item.published,
                text=item.text,
                content_hash=content,
                fetched_at=now,
                feed_url=read.url,
            )
            new.append((report, item, article))
    late = _late_claims(session, claims.values()) if claims else []
    stored = _stored_articles(session, now, late) if late else []
    # The new articles teach the claims their words before any is matched; the stored
    # ones are matched by what was learned, as they were when they were new.
    matcher.learn(text for _, item, _ in new if (text := _matched_text(item.title, item.text)))
    made: list[tuple[SourceReport, int, WatchedArticle]] = []  # each suggestion, and where
    for report, item, article in new:
        for match in _matches(matcher, item.title, item.text, claims, item.published):
            made.append((report, len(report.suggestions), article))
            report.suggestions.append(_suggested(claims[match.claim_id], match, article))
        if not dry_run:
            session.add(article)
    if late:
        report = SourceReport(STORED, items=len(stored), stored=True)
        reports.append(report)
        done = _suggested_pairs(session, [article.id for article in stored])
        for article in stored:
            only = {
                c.id: c
                for c in late
                if c.created_at > article.fetched_at and (article.id, c.id) not in done
            }
            for match in _matches(matcher, article.title, article.text, only,
                                  article.published_on):  # fmt: skip
                made.append((report, len(report.suggestions), article))
                report.suggestions.append(_suggested(claims[match.claim_id], match, article))
    if not dry_run:
        _store(session, made, now)
    return reports


STORED = "stored articles"  # the report of the articles matched again for claims added later
RECENT = timedelta(days=30)  # how far back stored articles are matched for a new claim
RECENT_ARTICLES = 2000  # and how many of them at most, the newest


def _late_claims(session: Session, claims: Iterable[OpenClaim]) -> list[OpenClaim]:
    """The claims added since the newest stored article was read: no article stored has
    been matched against them."""
    newest = session.scalar(select(func.max(WatchedArticle.fetched_at)))
    if newest is None:
        return []
    return [claim for claim in claims if claim.created_at > newest]


def _stored_articles(
    session: Session, now: datetime, late: list[OpenClaim]
) -> list[WatchedArticle]:
    """The latest revision of each article read in the last RECENT days, before the last
    of the late claims was added, newest first."""
    latest = (
        select(WatchedArticle.url_hash, func.max(WatchedArticle.revision).label("revision"))
        .group_by(WatchedArticle.url_hash)
        .subquery()
    )
    query = (
        select(WatchedArticle)
        .join(
            latest,
            (latest.c.url_hash == WatchedArticle.url_hash)
            & (latest.c.revision == WatchedArticle.revision),
        )
        .where(
            WatchedArticle.fetched_at >= now - RECENT,
            WatchedArticle.fetched_at < max(claim.created_at for claim in late),
        )
        .order_by(WatchedArticle.fetched_at.desc(), WatchedArticle.id.desc())
        .limit(RECENT_ARTICLES)
    )
    return list(session.scalars(query))


def _suggested_pairs(session: Session, article_ids: list[int]) -> set[tuple[int, int]]:
    """(article, claim) of every suggestion made for these articles, whatever its state."""
    found: set[tuple[int, int]] = set()
    for start in range(0, len(article_ids), 500):
        chunk = article_ids[start : start + 500]
        rows = session.execute(
            select(Suggestion.article_id, Suggestion.claim_id).where(
                Suggestion.article_id.in_(chunk)
            )
        )
        found.update((article_id, claim_id) for article_id, claim_id in rows)
    return found


def _suggested(claim: OpenClaim, match: Match, article: WatchedArticle) -> Suggested:
    return Suggested(
        None,
        claim.id,
        handle(claim.uid),
        claim.text,
        article.title,
        article.url,
        round(match.score, 4),
        stance_of(_matched_text(article.title, article.text) or "", claim.text),
    )


def _store(
    session: Session, made: list[tuple[SourceReport, int, WatchedArticle]], now: datetime
) -> None:
    """The suggestions, in two statements whatever their number (the articles are added
    already); an open suggestion for an earlier revision of an article is superseded."""
    session.flush()  # the articles, and their ids
    found = [(report.suggestions[at], article) for report, at, article in made]
    later = [(a.url_hash, s.claim_id) for s, a in found if a.revision > 1]
    for key, claim_id in later:
        earlier = select(WatchedArticle.id).where(
            WatchedArticle.url_hash == key,
            WatchedArticle.revision
            < select(func.max(WatchedArticle.revision))
            .where(WatchedArticle.url_hash == key)
            .scalar_subquery(),
        )
        session.execute(
            update(Suggestion)
            .where(
                Suggestion.claim_id == claim_id,
                Suggestion.state == "open",
                Suggestion.article_id.in_(earlier),
            )
            .values(state="superseded", decided_at=now)
        )
    rows = [
        Suggestion(
            article_id=article.id,
            claim_id=s.claim_id,
            score=s.score,
            stance=s.stance,
            state="open",
            suggested_at=now,
        )
        for s, article in found
    ]
    session.add_all(rows)
    session.flush()
    for (report, at, _), row in zip(made, rows, strict=True):
        report.suggestions[at] = replace(report.suggestions[at], id=row.id)


def _latest_revisions(session: Session, items: list[Item]) -> dict[str, tuple[int, str]]:
    """For each item's URL seen before: its latest revision and that revision's content."""
    keys = sorted({digest(item.url) for item in items})
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        latest = (
            select(WatchedArticle.url_hash, func.max(WatchedArticle.revision).label("revision"))
            .where(WatchedArticle.url_hash.in_(chunk))
            .group_by(WatchedArticle.url_hash)
            .subquery()
        )
        rows = session.execute(
            select(
                WatchedArticle.url_hash, WatchedArticle.revision, WatchedArticle.content_hash
            ).where(
                tuple_(WatchedArticle.url_hash, WatchedArticle.revision).in_(
                    select(latest.c.url_hash, latest.c.revision)
                )
            )
        )
        found.update((key, (revision, content)) for key, revision, content in rows)
    return found


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def _lead(text: str | None) -> str | None:
    """A story's first sentence: where a story says what it is about."""
    if not text:
        return None
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0][:500]


def _matched_text(title: str | None, text: str | None) -> str | None:
    """What an article is matched and read for stance by: its headline (its first
    sentence when it has none), where a story says what it is about, and what the
    threshold was chosen on."""
    return title or _lead(text)


def _matches(
    matcher: Matcher,
    title: str | None,
    text: str | None,
    claims: dict[int, OpenClaim],
    published: date | None,
) -> list[Match]:
    """The claims of `claims` the article matches above the threshold, best first, at
    most MATCHES_PER_ARTICLE; none the article predates."""
    said = _matched_text(title, text)
    if not said or not claims:
        return []
    found = matcher.matches(said, limit=CANDIDATES)
    return [
        match
        for match in found
        if match.score >= THRESHOLD
        and match.claim_id in claims
        and claims[match.claim_id].may_be_evidence(published)
    ][:MATCHES_PER_ARTICLE]
