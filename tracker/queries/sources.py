"""Source track records (design.md §9): how often each source's claims
came true, and how often the claims it only repeated did.

The rows are one GROUP BY over the claims' states (today's stored statuses, on a
covering index; or their status spans then: tracker.queries.timeline). A claim that
duplicates another counts once, as that one. Repeating a claim (`repeat`-tier
evidence) never counts as making it: it is tallied apart, as `repeated`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal_column, select
from sqlalchemy.orm import Session, aliased

from tracker.db.models import Claim, ClaimEvent, Evidence, Source
from tracker.queries.links import duplicates_on, set_aside
from tracker.queries.listing import ClaimFilter, claim_conditions
from tracker.queries.timeline import Timeline, squared_error_sql
from tracker.rules.kinds import UNATTRIBUTED
from tracker.rules.status import DECIDED, STATUSES, is_overdue, squared_error

Z_95 = 1.959963984540054


def wilson_lower_bound(successes: int, trials: int, z: float = Z_95) -> float | None:
    """The lower end of the Wilson score interval: accuracy that small samples must earn."""
    if trials == 0:
        return None
    p = successes / trials
    centre = p + z * z / (2 * trials)
    margin = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return (centre - margin) / (1 + z * z / trials)


@dataclass
class SourceTally:
    name: str
    counts: Counter[str]  # claims by status
    overdue: int = 0
    brier_sum: float = 0.0
    brier_n: int = 0
    repeats: int = 0  # live repeat-tier evidence, whatever became of its claims
    repeated: int = 0  # ... for claims since confirmed or refuted
    repeated_right: int = 0  # ... of which the claim was confirmed

    def row(self) -> dict[str, Any]:
        confirmed, refuted = self.counts["confirmed"], self.counts["refuted"]
        decided = confirmed + refuted
        claims = sum(self.counts.values())
        return {
            "name": self.name,
            "claims": claims,
            **{status: self.counts[status] for status in STATUSES},
            "overdue": self.overdue,
            "accuracy": confirmed / decided if decided else None,
            "accuracy_low": wilson_lower_bound(confirmed, decided),
            # Rounded: sums of the same terms in another order (today's index, the spans')
            # differ in their last bits, and a report must not change with the read path.
            "brier": round(self.brier_sum / self.brier_n, 9) if self.brier_n else None,
            "originated": claims,
            "repeated": self.repeated,
            "repeat_accuracy": self.repeated_right / self.repeated if self.repeated else None,
        }


def _ranked(tallies: Iterable[SourceTally]) -> list[dict[str, Any]]:
    """Originators first, best record first (by the Wilson lower bound, unproven sources
    last); then the sources that only repeat others' claims, by how often those came true
    (any source with repeat-tier evidence has a row, decided or not). `Unattributed` (the
    claims fact-checkers pin on no one: "Facebook posts") is no source to rank."""
    rows = [
        tally.row()
        for tally in tallies
        if (sum(tally.counts.values()) or tally.repeats) and not is_unattributed(tally.name)
    ]

    def rank(r: dict[str, Any]) -> tuple[int, bool, float, str]:
        if r["originated"]:
            return (0, r["accuracy_low"] is None, -(r["accuracy_low"] or 0), r["name"].casefold())
        return (1, r["repeat_accuracy"] is None, -(r["repeat_accuracy"] or 0),
                r["name"].casefold())  # fmt: skip

    return sorted(rows, key=rank)


def is_unattributed(name: str) -> bool:
    return name.casefold() == UNATTRIBUTED.casefold()


def source_rows(
    session: Session,
    timeline: Timeline,
    claims: ClaimFilter | None = None,
    tallies: dict[int | None, SourceTally] | None = None,
) -> list[dict[str, Any]]:
    """One row per source that made at least one claim (said by then), or published
    repeat-tier evidence; of the claims `claims` names (all by default). A claim that
    duplicates another then counts as that one. `tallies`: `claim_tallies` of the same
    claims, if the caller has read them."""
    narrowed = claim_conditions(claims or ClaimFilter())
    if tallies is None:
        tallies = claim_tallies(session, timeline, narrowed)
    by_id = {source_id: tally for source_id, tally in tallies.items() if source_id is not None}
    aside = duplicates_on(timeline.reference)
    for row in session.execute(_repeat_query(aside, timeline, narrowed)):
        _tally_repeat(by_id.setdefault(row.source_id, SourceTally("", Counter())), row.status)
    # .all(): dict() would take a Result for a mapping, since it has .keys().
    named = select(Source.id, Source.name).where(Source.id.in_(list(by_id)))
    names: dict[int, str] = dict(session.execute(named).all())
    for source_id, tally in by_id.items():
        tally.name = names[source_id]
    return _ranked(by_id.values())


def claim_tallies(
    session: Session, timeline: Timeline, narrowed: list[ColumnElement[bool]]
) -> dict[int | None, SourceTally]:
    """The claims that meet the `narrowed` conditions, by source (None: those of no source):
    how many then in each status, overdue, and their Brier terms. One GROUP BY on the
    covering index (today the claims', then the spans'): the report's totals by status and
    its overdue count are its sums, one scan of the states instead of three."""
    reference, status = timeline.reference, timeline.status
    source_id, likelihood = timeline.source_id, timeline.likelihood
    scored = and_(timeline.decided(), likelihood.is_not(None))
    query = (
        timeline.select(
            source_id,
            status,
            func.count(),
            func.count(case((timeline.overdue(), 1))),  # an int everywhere (not SUM)
            func.sum(case((scored, squared_error_sql(status, likelihood)), else_=0)),
            func.count(case((scored, 1))),
            claims=bool(narrowed),
        )
        .where(*narrowed)
        .group_by(source_id, status)
    )
    # Everything the covering index holds, less the claims set aside (few, on their own
    # indexes): a condition on them in the GROUP BY would make it read every row.
    tallies: dict[int | None, SourceTally] = {}
    for source_id, status_then, count, overdue, brier_sum, brier_n in session.execute(query):
        tally = tallies.setdefault(source_id, SourceTally("", Counter()))
        tally.counts[status_then] += count
        tally.overdue += overdue
        tally.brier_sum += float(brier_sum or 0)
        tally.brier_n += brier_n
    gone = timeline.join(
        select(Claim.source_id, status.label("status"), Claim.expected_end, Claim.likelihood)
    ).where(*narrowed)
    for source_id, status_then, end, likelihood in set_aside(session, gone, reference):
        tally = tallies[source_id]
        tally.counts[status_then] -= 1
        tally.overdue -= is_overdue(status_then, end, reference)
        error = squared_error(status_then, likelihood)
        if error is not None:
            tally.brier_sum -= error
            tally.brier_n -= 1
    return tallies


def _tally_repeat(tally: SourceTally, status: str) -> None:
    tally.repeats += 1
    if status in DECIDED:
        tally.repeated += 1
        tally.repeated_right += status == "confirmed"


def _repeat_query(
    aside: Select[int], timeline: Timeline, narrowed: list[ColumnElement[bool]]
) -> Select[Any]:
    """(source id, its claim's status then) for each piece of live repeat-tier evidence
    published (and recorded) by then, on a claim said by then: few, read on their partial
    index."""
    retraction = aliased(ClaimEvent)
    retracted = exists().where(
        retraction.evidence_id == Evidence.id, retraction.event == "evidence_retracted"
    )
    recorded = timeline.recorded(retraction.recorded_at)
    if recorded is not None:
        retracted = retracted.where(recorded)
    # Evidence keeps the source row it was recorded under: a former name, or a source since
    # merged into another, counts for the source it names now.
    query = timeline.join(
        select(func.coalesce(Source.alias_of, Evidence.source_id).label("source_id"),
               timeline.status.label("status"))
        .select_from(Evidence)
        .join(Claim, Claim.id == Evidence.claim_id)
        .join(Source, Source.id == Evidence.source_id)
    ).where(
        Evidence.tier == literal_column("'repeat'"),  # a literal: the partial index's term
        Claim.withdrawn.is_(False),
        ~retracted,
        Claim.id.not_in(aside),
        *narrowed,
    )  # fmt: skip
    if timeline.replayed:
        query = query.where(Evidence.observed_on <= timeline.reference)
    recorded = timeline.recorded(Evidence.recorded_at)
    return query if recorded is None else query.where(recorded)
