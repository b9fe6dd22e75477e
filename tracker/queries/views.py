"""Claims as read for showing: plain values from one Core query, in batches.

Every read command shows claims through `ClaimView`s: the claim's columns with
its source's name, its article and its tags. They are read with SQLAlchemy Core
(no ORM objects: a report of a million claims would spend most of its time
building them), BATCH at a time, so memory stays flat however many are read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Select, literal, select, true, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from tracker.db.models import Article, Claim, ClaimTag, Source
from tracker.queries.timeline import Timeline

BATCH = 2000
# Today's state is the stored one whatever today is: no date needed to read it.
_TODAY = Timeline(date.min)
# The withdrawn claims, read through their partial index (`= true()`, as it is declared).
WITHDRAWN = Claim.withdrawn == true()


@dataclass
class ClaimView:
    id: int
    uid: str
    handle: str
    key: str | None
    text: str
    subject: str | None
    source: str | None
    article: dict[str, Any] | None  # {url, title, outlet, published_on}
    said_on: date
    expected_text: str | None
    expected_start: date | None
    expected_end: date | None
    hedge: str | None
    likelihood: float | None
    status: str
    resolved_on: date | None
    withdrawn: bool
    created_at: datetime
    updated_at: datetime
    tags: list[str]
    quote: str | None = None
    actual: str | None = None


def claim_query(
    withdrawn: bool | None = False, timeline: Timeline | None = None
) -> Select[*tuple[Any, ...]]:
    """The query views are read with: add where, order_by and limit to it. Withdrawn
    claims are left out of every list (`withdrawn` True: only they; None: all claims).
    A view's status, resolved_on and actual are the `timeline`'s (default: today's)."""
    timeline = timeline or _TODAY
    query = (
        select(
            Claim.id,
            Claim.uid,
            Claim.handle,
            Claim.key,
            Claim.text,
            Claim.subject,
            Source.name.label("source"),
            Article.id.label("article_id"),
            Article.url,
            Article.title,
            Article.outlet,
            Article.published_on,
            Claim.said_on,
            Claim.expected_text,
            Claim.expected_start,
            Claim.expected_end,
            Claim.hedge,
            Claim.likelihood,
            timeline.status.label("status"),
            timeline.resolved_on.label("resolved_on"),
            Claim.withdrawn,
            Claim.created_at,
            Claim.updated_at,
            Claim.quote,
            timeline.actual.label("actual"),
        )  # fmt: skip
        .outerjoin(Source, Claim.source_id == Source.id)
        .outerjoin(Article, Claim.article_id == Article.id)
    )
    query = timeline.join(query)
    if withdrawn is None:
        return query
    return query.where(WITHDRAWN if withdrawn else Claim.withdrawn.is_(False))


def read_views(session: Session, query: Select[*tuple[Any, ...]]) -> list[ClaimView]:
    """The claims `query` (from `claim_query`) finds, with their tags."""
    rows = session.execute(query).all()
    tags: dict[int, list[str]] = {}
    if rows:
        found = select(ClaimTag.claim_id, ClaimTag.tag).where(
            ClaimTag.claim_id.in_([row.id for row in rows])
        )
        for claim_id, tag in session.execute(found):
            tags.setdefault(claim_id, []).append(tag)
    return [_view(row, sorted(tags.get(row.id, ()))) for row in rows]


def view(session: Session, claim_id: int) -> ClaimView:
    return read_views(session, claim_query(None).where(Claim.id == claim_id))[0]


def views_by_id(
    session: Session, ids: list[int], timeline: Timeline | None = None
) -> dict[int, ClaimView]:
    """The claims of `ids` (those known then, on a `timeline`), withdrawn ones too."""
    found: dict[int, ClaimView] = {}
    for start in range(0, len(ids), BATCH):
        query = claim_query(None, timeline).where(Claim.id.in_(ids[start : start + BATCH]))
        found.update((v.id, v) for v in read_views(session, query))
    return found


def ids_by_uid(session: Session | Connection, uids: Iterable[str]) -> dict[str, int]:
    """The ids of the claims with these uids (those that exist), a thousand uids a query."""
    wanted = list(set(uids))
    ids: dict[str, int] = {}
    for start in range(0, len(wanted), 1000):
        query = select(Claim.uid, Claim.id).where(Claim.uid.in_(wanted[start : start + 1000]))
        ids.update(session.execute(query).all())  # .all(): a Result has .keys()
    return ids


def batches(
    session: Session,
    query: Select[*tuple[Any, ...]],
    order: tuple[InstrumentedAttribute[Any], ...] = (Claim.id,),
    *,
    descending: bool = False,
    size: int = BATCH,
) -> Iterator[list[ClaimView]]:
    """The claims of `query` in the order of the `order` columns (a timeline's columns,
    the last one unique: an id or a uid), `size` at a time: keyset pagination, so every
    batch is an index range."""
    keys = tuple_(*order)
    last: tuple[Any, ...] | None = None  # the last batch's order values
    while True:
        page = query.order_by(*(c.desc() if descending else c for c in order)).limit(size)
        if last is not None:
            # Bound as their columns' types: a span's days are numbers on SQLite.
            after = tuple_(*(literal(v, c.type) for c, v in zip(order, last, strict=True)))
            page = page.where(keys < after if descending else keys > after)
        found = read_views(session, page)
        if not found:
            return
        yield found
        last = tuple(getattr(found[-1], _VIEWED.get(column.key, column.key)) for column in order)


# A span's copy of its claim's id, as a view names it (its other copies are named alike).
_VIEWED = {"claim_id": "id"}


def _view(row: Any, tags: list[str]) -> ClaimView:
    article = None
    if row.article_id is not None:
        article = {
            "url": row.url,
            "title": row.title,
            "outlet": row.outlet,
            "published_on": row.published_on,
        }
    return ClaimView(
        row.id, row.uid, row.handle, row.key, row.text, row.subject, row.source, article,
        row.said_on,
        row.expected_text, row.expected_start, row.expected_end, row.hedge, row.likelihood,
        row.status, row.resolved_on, bool(row.withdrawn), row.created_at, row.updated_at, tags,
        row.quote, row.actual,
    )  # fmt: skip
