"""Applying claim records to the database: idempotent, all-or-nothing, in batches.

Records are matched to stored claims by key, else by (normalised text,
source, said_on); evidence by (claim, stance, source, url, observed_on); a
resolution by (claim, status, date, reason). What matches adds nothing.

New claims, by far the common case, are written BATCH records at a time with
executemany and ids reserved up front: their history is computed in memory
with the same replay as every other write (tracker.status), so a large file
imports at driver speed in flat memory. A record for a stored claim goes
through the ordinary domain functions, which lock and replay that claim.
The caller runs the whole import in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, func, select, text, tuple_
from sqlalchemy.orm import Session

from tracker import dates
from tracker.claims import get_claim
from tracker.clock import utcnow
from tracker.errors import InvalidInput, TrackerError
from tracker.evidence import NewEvidence, add_evidence, resolve, retract
from tracker.history import Ordered, retracted_ids
from tracker.io.records import ClaimIn, EvidenceIn, ResolutionIn, parse
from tracker.models import Article, Claim, ClaimEvent, Evidence, Source
from tracker.provenance import article_for, source_named
from tracker.status import Fold, Step
from tracker.text import normalise

BATCH = 1000
ANALYZE_AFTER = 10_000  # rows added; smaller imports barely move the statistics


@dataclass
class Tally:
    added: int = 0
    unchanged: int = 0


@lru_cache(maxsize=4096)
def _window(phrase: str, reference: date) -> dates.Window:
    return dates.parse_window(phrase, reference)


class Ids:
    """Primary keys handed out before the rows are written, so executemany needs no RETURNING.

    SQLite: the write lock is ours for the whole transaction, so max(id) + 1
    onwards is free. PostgreSQL: blocks of the table's own sequence.
    """

    def __init__(self, conn: Connection):
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self.free: dict[str, list[int]] = defaultdict(list)
        self.next: dict[str, int] = {}
        self.wanted: dict[str, int] = {}

    def expect(self, **counts: int) -> None:
        """How many ids each table will need in this batch, at most.

        PostgreSQL then takes that many from the sequence in one query, and no
        more: ids left over are gaps, and claim ids are what users type.
        """
        self.free.clear()
        self.wanted = counts

    def take(self, table: str) -> int:
        if self.sqlite:
            if table not in self.next:
                query = text(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608 (a table name)
                self.next[table] = self.conn.execute(query).scalar() + 1
            self.next[table] += 1
            return self.next[table] - 1
        if not self.free[table]:
            query = text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            )
            n = max(self.wanted.pop(table, 1), 1)
            self.free[table] = list(self.conn.execute(query, {"table": table, "n": n}).scalars())
            self.free[table].reverse()
        return self.free[table].pop()

    def forget(self, *tables: str) -> None:
        """Someone else inserted rows into these tables (or all): ask again on SQLite.

        Only safe for a table whose taken ids are all written already.
        """
        for table in tables or list(self.next):
            self.next.pop(table, None)


# The columns each bulk insert writes, in order; the rows are built as dicts with
# exactly these keys.
COLUMNS = {
    "article": ("id", "url", "title", "outlet", "published_on"),
    "claim": (
        "id", "key", "text", "text_norm", "subject", "subject_folded", "source_id", "article_id",
        "said_on",
        "expected_text", "expected_start", "expected_end", "hedge", "likelihood", "status",
        "resolved_on", "created_at", "updated_at",
    ),
    "claim_tag": ("claim_id", "tag"),
    "evidence": (
        "id", "claim_id", "stance", "source_id", "url", "observed_on", "note", "recorded_at",
        "recorded_by",
    ),
    "claim_event": (
        "id", "claim_id", "event", "from_status", "to_status", "evidence_id", "resolved_as",
        "effective_on", "recorded_at", "actor", "reason",
    ),
}  # fmt: skip


@dataclass
class Rows:
    """Rows waiting for one executemany per table, in foreign-key order.

    Each row is a tuple in COLUMNS order with its values already as the driver
    stores them, and goes straight to the driver (exec_driver_sql): SQLAlchemy's
    per-row parameter processing would cost more than the inserts themselves.
    """

    article: list[tuple] = field(default_factory=list)
    claim: list[tuple] = field(default_factory=list)
    claim_tag: list[tuple] = field(default_factory=list)
    evidence: list[tuple] = field(default_factory=list)
    claim_event: list[tuple] = field(default_factory=list)

    def write(self, conn: Connection) -> None:
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        for table, columns in COLUMNS.items():
            rows = getattr(self, table)
            if rows:
                marks = ", ".join([mark] * len(columns))
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
                conn.exec_driver_sql(sql, rows)
                rows.clear()


def _same(value: Any) -> Any:
    return value


def _sqlite_day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _sqlite_moment(value: datetime) -> str:
    # As SQLAlchemy stores DateTime in SQLite (the driver's own adapter differs).
    return value.isoformat(" ", "microseconds")


class Importer:
    def __init__(self, session: Session, *, actor: str, today: date):
        self.session = session
        self.conn = session.connection()
        self.actor = actor
        self.today = today
        self.now = utcnow()
        self.ids = Ids(self.conn)
        self.rows = Rows()
        sqlite = self.conn.dialect.name == "sqlite"
        self.day = _sqlite_day if sqlite else _same
        self.moment = _sqlite_moment if sqlite else _same
        self.pending: list[ClaimIn] = []
        self.sources: dict[str, int] = {}
        self.tally = Tally()

    def add(self, raw: Any, where: str) -> None:
        self.pending.append(parse(raw, where, today=self.today))
        if len(self.pending) >= BATCH:
            self.flush()

    def finish(self) -> Tally:
        self.flush()
        if self.tally.added >= ANALYZE_AFTER:
            # Fresh statistics, so the planner picks the indexes for what is now there.
            if self.conn.dialect.name == "sqlite":
                self.conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
            self.conn.exec_driver_sql("ANALYZE")
        return self.tally

    # -- a batch -----------------------------------------------------------------------

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        stored = self._stored_matches(batch)
        articles = self._stored_articles(batch)
        # The records that will create a claim: the first with text for each new match.
        creators: dict[tuple, ClaimIn] = {}
        for rec in batch:
            if rec.text is not None and rec.match not in stored:
                creators.setdefault(rec.match, rec)
        new = list(creators.values())
        self.ids.expect(
            claim=len(new),
            article=len({rec.article.url for rec in new if rec.article.url} - set(articles)),
            evidence=sum(len(rec.evidence) for rec in new),
            claim_event=sum(
                1 + len(rec.evidence) + len(rec.resolutions)
                + sum(item.retracted for item in rec.evidence)
                for rec in new
            ),
        )  # fmt: skip
        made: set[tuple] = set()
        for rec in batch:
            try:
                if rec.match in made:  # a later record for a claim made in this batch
                    self.rows.write(self.conn)
                    stored.update(self._stored_matches(batch))
                    made.clear()
                if rec.match in stored:
                    self._update(stored[rec.match], rec)
                elif rec.key is not None and rec.text is None:
                    raise InvalidInput(f"no claim with key {rec.key!r}, and no 'text' to add one")
                else:
                    self._create(rec, articles)
                    made.add(rec.match)
            except TrackerError as exc:
                if str(exc).startswith(rec.where):
                    raise
                raise InvalidInput(f"{rec.where}: {exc}") from None
        self.rows.write(self.conn)

    def _stored_matches(self, batch: list[ClaimIn]) -> dict[tuple, int]:
        """Stored claims that records of this batch refer to, by match."""
        found: dict[tuple, int] = {}
        keys = {rec.key for rec in batch if rec.key is not None}
        if keys:
            query = select(Claim.key, Claim.id).where(Claim.key.in_(keys))
            found.update((("key", key), id_) for key, id_ in self.conn.execute(query))
        texts = {rec.match[1] for rec in batch if rec.key is None}
        if texts:
            query = (
                select(Claim.text_norm, Source.name_folded, Claim.said_on, Claim.id)
                .outerjoin(Source, Claim.source_id == Source.id)
                .where(Claim.text_norm.in_(texts))
            )
            for text_norm, source, said_on, id_ in self.conn.execute(query):
                found.setdefault(("text", text_norm, source or "", said_on), id_)
        return found

    # -- a new claim -----------------------------------------------------------------------

    def _create(self, rec: ClaimIn, articles: dict[str, dict]) -> None:
        said_on = rec.said
        if said_on is None:
            raise InvalidInput("field 'said_on' (or article 'published_on') is required")
        window = None
        if rec.expected is not None:
            try:
                window = _window(rec.expected, said_on)
            except TrackerError as exc:
                raise InvalidInput(f"field 'expected': {exc}") from None
        claim_id = self.ids.take("claim")
        source_id = self._source_id(rec.source)
        article_id = self._article_id(rec, articles)
        history = _History(self, claim_id, said_on)
        history.event("created", said_on, self.now, self.actor, from_status=None)
        seen: set[tuple] = set()
        for index, item in enumerate(rec.evidence, start=1):
            if item.identity in seen:
                self.tally.unchanged += 1
                continue
            seen.add(item.identity)
            with _numbered("evidence", index):
                evidence_id = history.add_evidence(item)
            self.tally.added += 1
            if item.retracted:
                history.retract(evidence_id, item)
                self.tally.added += 1
        done: set[tuple] = set()
        for index, resolution in enumerate(rec.resolutions, start=1):
            identity = (resolution.status, resolution.on, resolution.reason)
            if identity in done:
                self.tally.unchanged += 1
                continue
            done.add(identity)
            with _numbered("resolution", index):
                history.resolve(resolution)
            self.tally.added += 1
        outcome = history.fold.outcome
        now, day = self.moment(self.now), self.day
        start, end = (window.start, window.end) if window else (None, None)
        self.rows.claim.append(
            (claim_id, rec.key, rec.text, normalise(rec.text), rec.subject,
             rec.subject and normalise(rec.subject), source_id, article_id, day(said_on),
             window and window.text, day(start), day(end), rec.hedge, rec.likelihood,
             outcome.status, day(outcome.resolved_on), now, now)
        )  # fmt: skip
        self.rows.claim_tag += [(claim_id, tag) for tag in rec.tags]
        self.tally.added += 1

    def _source_id(self, name: str | None) -> int | None:
        if name is None:
            return None
        folded = normalise(name)
        if folded not in self.sources:
            self.sources[folded] = source_named(self.session, name).id
        return self.sources[folded]

    def _stored_articles(self, batch: list[ClaimIn]) -> dict[str, dict]:
        urls = {rec.article.url for rec in batch if rec.article.url is not None}
        if not urls:
            return {}
        query = select(Article.id, Article.url, Article.title, Article.outlet, Article.published_on)
        rows = self.conn.execute(query.where(Article.url.in_(urls))).mappings()
        return {row["url"]: dict(row) for row in rows}

    def _article_id(self, rec: ClaimIn, articles: dict[str, dict]) -> int | None:
        ref = rec.article
        if not ref:
            return None
        if ref.url is None:  # rare: matched on title, outlet and date, one at a time
            self.rows.write(self.conn)
            article = article_for(self.session, ref)
            self.ids.forget("article")
            return article.id
        stored = articles.get(ref.url)
        if stored is None:
            stored = {"id": self.ids.take("article"), "url": ref.url, "title": ref.title,
                      "outlet": ref.outlet, "published_on": ref.published_on}  # fmt: skip
            articles[ref.url] = stored
            self.rows.article.append(
                (stored["id"], ref.url, ref.title, ref.outlet, self.day(ref.published_on))
            )
            return stored["id"]
        for name in ("title", "outlet", "published_on"):
            given = getattr(ref, name)
            if given is not None and stored[name] is not None and given != stored[name]:
                raise InvalidInput(
                    f"field 'article.{name}': article {ref.url} is already recorded with "
                    f"{name} {stored[name]!s}, not {given!s}"
                )
        return stored["id"]

    # -- a stored claim -----------------------------------------------------------------------

    def _update(self, claim_id: int, rec: ClaimIn) -> None:
        """New evidence and resolutions for a stored claim, through the domain functions."""
        self.rows.write(self.conn)
        claim = get_claim(self.session, str(claim_id), lock=True)
        check_same(claim, rec)
        self.tally.unchanged += 1
        ref = str(claim.id)
        for index, item in enumerate(rec.evidence, start=1):
            evidence_id = self._stored_evidence(claim, item)
            if evidence_id is None:
                new = NewEvidence(item.stance, item.source, item.url, item.on.isoformat(),
                                  item.note, recorded_at=item.recorded_at)  # fmt: skip
                actor = item.recorded_by or self.actor
                with _numbered("evidence", index):
                    change = add_evidence(self.session, ref, new, actor=actor, today=self.today)
                evidence_id = change.evidence.id
                self.tally.added += 1
            else:
                self.tally.unchanged += 1
            if item.retracted and evidence_id in retracted_ids(self.session, claim.id):
                self.tally.unchanged += 1
            elif item.retracted:
                reason = item.retract_reason or "retracted in an imported file"
                retract(
                    self.session, evidence_id, reason=reason, actor=self.actor, today=self.today
                )
                self.tally.added += 1
        for resolution in rec.resolutions:
            if self._stored_resolution(claim.id, resolution):
                self.tally.unchanged += 1
                continue
            resolve(self.session, ref, resolution.status, reason=resolution.reason,
                    on=resolution.on.isoformat(), actor=resolution.by or self.actor,
                    today=self.today, recorded_at=resolution.recorded_at)  # fmt: skip
            self.tally.added += 1
        self.session.flush()
        self.session.expunge_all()  # flat memory: nothing of this claim is needed again
        self.ids.forget()

    def _stored_evidence(self, claim: Claim, item: EvidenceIn) -> int | None:
        source_id = self.sources.get(normalise(item.source)) if item.source else None
        if item.source is not None and source_id is None:
            source = self.session.scalars(
                select(Source.id).where(Source.name_folded == normalise(item.source))
            ).first()
            if source is None:
                return None
            source_id = source
        query = select(Evidence.id).where(
            Evidence.claim_id == claim.id,
            Evidence.stance == item.stance,
            Evidence.observed_on == item.on,
            Evidence.url.is_(None) if item.url is None else Evidence.url == item.url,
            Evidence.source_id.is_(None) if source_id is None else Evidence.source_id == source_id,
        )
        return self.session.scalars(query.limit(1)).first()

    def _stored_resolution(self, claim_id: int, resolution: ResolutionIn) -> bool:
        query = select(func.count()).where(
            ClaimEvent.claim_id == claim_id,
            ClaimEvent.event == "resolved",
            tuple_(ClaimEvent.resolved_as, ClaimEvent.effective_on, ClaimEvent.reason)
            == (resolution.status, resolution.on, resolution.reason),
        )
        return bool(self.session.scalar(query))


class _numbered:
    """Name the evidence or resolution (by its place in the record) an error is about."""

    def __init__(self, what: str, index: int):
        self.prefix = f"{what} {index}: "

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, _traceback) -> None:
        if isinstance(error, TrackerError) and not str(error).startswith(self.prefix):
            raise InvalidInput(self.prefix + str(error)) from None


class _History:
    """The events of a claim being created, each with the status it left the claim in.

    Steps are folded in the order the database replays them: (effective_on,
    recorded_at, evidence before resolution, id). A step that sorts after all
    before it (the usual case) advances the fold; any other step, or a
    retraction, replays the claim's steps from the start.
    """

    def __init__(self, importer: Importer, claim_id: int, said_on: date):
        self.importer = importer
        self.claim_id = claim_id
        self.said_on = said_on
        self.steps: list[Ordered] = []
        self.retracted: set[int] = set()
        self.fold = Fold()

    def _add(self, item: Ordered) -> None:
        in_order = not self.steps or item > self.steps[-1]
        self.steps.append(item)
        if in_order:
            self.fold.add(item.step)
        else:
            self.steps.sort()
            self._replay()

    def _replay(self) -> None:
        self.fold = Fold()
        for item in self.steps:
            if item.rank == 1 or item.id not in self.retracted:
                self.fold.add(item.step)

    def event(self, kind: str, on: date, at: datetime, actor: str, *, from_status: str | None,
              evidence_id: int | None = None, resolved_as: str | None = None,
              reason: str | None = None, event_id: int | None = None) -> None:  # fmt: skip
        importer = self.importer
        importer.rows.claim_event.append(
            (event_id or importer.ids.take("claim_event"), self.claim_id, kind, from_status,
             self.fold.status, evidence_id, resolved_as, importer.day(on),
             importer.moment(at), actor, reason)
        )  # fmt: skip

    def _check_date(self, on: date, what: str) -> None:
        if on < self.said_on:
            raise InvalidInput(
                f"field 'on': {what} on {on} predates the claim, said on {self.said_on}"
            )

    def add_evidence(self, item: EvidenceIn) -> int:
        self._check_date(item.on, "evidence observed")
        importer = self.importer
        evidence_id = importer.ids.take("evidence")
        at = item.recorded_at or importer.now
        by = item.recorded_by or importer.actor
        importer.rows.evidence.append(
            (evidence_id, self.claim_id, item.stance, importer._source_id(item.source), item.url,
             importer.day(item.on), item.note, importer.moment(at), by)
        )  # fmt: skip
        before = self.fold.status
        self._add(Ordered(item.on, at, 0, evidence_id, Step(item.on, stance=item.stance)))
        self.event("evidence_added", item.on, at, by, from_status=before, evidence_id=evidence_id)
        return evidence_id

    def retract(self, evidence_id: int, item: EvidenceIn) -> None:
        before = self.fold.status
        self.retracted.add(evidence_id)
        self._replay()
        reason = item.retract_reason or "retracted in an imported file"
        importer = self.importer
        self.event("evidence_retracted", importer.today, importer.now, importer.actor,
                   from_status=before, evidence_id=evidence_id, reason=reason)  # fmt: skip

    def resolve(self, resolution: ResolutionIn) -> None:
        self._check_date(resolution.on, "resolution")
        at = resolution.recorded_at or self.importer.now
        event_id = self.importer.ids.take("claim_event")
        before = self.fold.status
        step = Step(resolution.on, resolved_as=resolution.status)
        self._add(Ordered(resolution.on, at, 1, event_id, step))
        self.event("resolved", resolution.on, at, resolution.by or self.importer.actor,
                   from_status=before, resolved_as=resolution.status,
                   reason=resolution.reason, event_id=event_id)  # fmt: skip


def check_same(claim: Claim, rec: ClaimIn) -> None:
    """A record for a stored claim may repeat its fields, but not contradict them."""
    stored: dict[str, Any] = {
        "text": normalise(claim.text),
        "subject": claim.subject,
        "source": claim.source.name_folded if claim.source else None,
        "said_on": claim.said_on,
        "expected": claim.expected_text,
        "hedge": claim.hedge,
        "likelihood": claim.likelihood,
        "tags": claim.tags,
    }
    given: dict[str, Any] = {
        "text": normalise(rec.text or ""),
        "subject": rec.subject,
        "source": normalise(rec.source or ""),
        "said_on": rec.said_on,
        "expected": rec.expected,
        "hedge": rec.hedge,
        "likelihood": rec.likelihood,
        "tags": rec.tags,
    }
    names = set(rec.given) & set(stored)
    if "hedge" in rec.given:
        names.add("likelihood")
    for name in sorted(names):
        if given[name] != stored[name]:
            raise InvalidInput(
                f"field {name!r} differs from stored claim {claim.id} "
                f"({stored[name]!r} stored, {given[name]!r} given); `tracker edit` changes it"
            )
    for name in ("url", "title", "outlet", "published_on"):
        given_value = getattr(rec.article, name)
        stored_value = getattr(claim.article, name) if claim.article else None
        if given_value is not None and given_value != stored_value:
            raise InvalidInput(
                f"field 'article.{name}' differs from stored claim {claim.id} "
                f"({stored_value!r} stored, {given_value!r} given)"
            )
