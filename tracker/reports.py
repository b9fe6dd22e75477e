"""The status report (SPEC.md sections 8 and 13), read as it is written.

`build_report` returns the report's JSON shape with every claim list as an
iterator that reads its claims a batch at a time, in the list's order, on an
index (keyset pagination): a writer that streams them (`--format json`) holds
one batch at a time, however many claims there are. Totals and "how many
more" are aggregates in SQL. A report `as_of` an earlier date replays the
claims said by then (tracker.status) batch by batch, in the same orders.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from tracker.claims import ClaimState, state_batches, states_of
from tracker.clock import day_start_utc
from tracker.errors import InvalidInput
from tracker.links import duplicate_ids, duplicates_on, links_on, set_aside
from tracker.models import Claim, ClaimEvent, Evidence, Source
from tracker.shapes import iso_date, iso_time, state_shape
from tracker.sources import source_rows
from tracker.status import STATUSES
from tracker.views import BATCH, views_by_id

RECENT_DAYS = 30  # the default window of "recently resolved" and "said lately"
SECTIONS = ("pending", "overdue", "disputed", "recently_resolved", "recent")
_RELATIVE = re.compile(r"\s*(\d{1,5})\s*([dw])\s*", re.IGNORECASE | re.ASCII)


@dataclass
class ReportRequest:
    today: date
    as_of: date | None = None
    limit: int | None = 50  # claims per list; None: every one
    days: int = RECENT_DAYS
    since: date | None = None
    details: bool = False  # each listed claim's evidence and resolutions (for HTML)
    # The claims that duplicate another on the reference date: they count once, as it.
    aside: frozenset[int] = frozenset()

    @property
    def reference(self) -> date:
        return self.as_of or self.today

    @property
    def window(self) -> tuple[date, date]:
        """The `days` days up to and including the reference date."""
        return self.reference - timedelta(days=self.days - 1), self.reference


def since_date(text: str, reference: date, today: date) -> date:
    """`--since`: a date, or `7d` / `2w` before the reference date."""
    relative = _RELATIVE.fullmatch(text)
    if relative:
        count, unit = int(relative.group(1)), relative.group(2).lower()
        try:
            day = reference - timedelta(days=count * (7 if unit == "w" else 1))
        except OverflowError:
            day = date.min
        if day.year < 1900:
            raise InvalidInput(f"--since {text.strip()} goes back before 1900")
        return day
    from tracker.claims import read_date

    day = read_date(text, today)
    if day > reference:
        raise InvalidInput(f"--since {day} is after the report's date, {reference}")
    return day


def build_report(session: Session, request: ReportRequest) -> dict[str, Any]:
    """The report's JSON shape; its claim lists are read as they are iterated, inside
    the caller's read transaction."""
    request = replace(request, aside=frozenset(duplicate_ids(session, request.reference)))
    if request.as_of is None:
        totals, counts = _stored_counts(session, request)
    else:
        totals, counts = _replayed_counts(session, request)
    report: dict[str, Any] = {
        "as_of": request.reference.isoformat(),
        "days": request.days,
        "totals": totals,
    }
    if request.since is not None:
        report["changes"] = _changes(session, request)
    for section in SECTIONS:
        report[section] = _listed(session, request, _PARTS[section](request))
        if section == "disputed":  # the other lists that need a decision follow it
            report["moot"], counts["moot"] = _limited(request, _moot(session, request))
            report["conflicts"], counts["conflicts"] = _limited(
                request, _conflicts(session, request)
            )
    report["sources"] = source_rows(session, today=request.today, as_of=request.as_of)
    limit = request.limit
    report["more"] = {
        s: max(counts[s] - limit, 0) if limit else 0 for s in (*SECTIONS, "moot", "conflicts")
    }
    return report


# -- the lists: which claims, in which order -------------------------------------------------

# A list is read in parts, each a claim condition and an order of claim columns (the
# last one unique), and kept by a test of the claim's state (its replayed state, as of
# an earlier date); parts are read in turn until the list is full.
Part = tuple[Any, tuple, bool, Callable[[ClaimState], bool]]


def _pending(request: ReportRequest) -> list[Part]:
    is_pending = _status_is("pending")
    stored = Claim.status == "pending" if request.as_of is None else true()
    return [
        (and_(stored, Claim.expected_end.is_not(None)), (Claim.expected_end, Claim.id), False,
         is_pending),
        (and_(stored, Claim.expected_end.is_(None)), (Claim.id,), False, is_pending),
    ]  # fmt: skip


def _overdue(request: ReportRequest) -> list[Part]:
    stored = Claim.status == "pending" if request.as_of is None else true()
    condition = and_(stored, Claim.expected_end < request.reference)
    return [(condition, (Claim.expected_end, Claim.id), False, lambda state: state.overdue)]


def _disputed(request: ReportRequest) -> list[Part]:
    stored = Claim.status == "disputed" if request.as_of is None else true()
    return [(stored, (Claim.id,), False, _status_is("disputed"))]


def _recently_resolved(request: ReportRequest) -> list[Part]:
    start, end = request.window

    def resolved_lately(state: ClaimState) -> bool:
        return state.resolved_on is not None and start <= state.resolved_on <= end

    if request.as_of is None:
        condition = and_(Claim.status.in_(("confirmed", "refuted")),
                         Claim.resolved_on.between(start, end))  # fmt: skip
        return [(condition, (Claim.resolved_on, Claim.id), True, resolved_lately)]
    # As of an earlier date the stored resolved_on says nothing: the candidates are the
    # claims with a step in the window, ordered after their replay (few, in a window).
    return [(_stepped_between(start, end), (), True, resolved_lately)]


def _recent(request: ReportRequest) -> list[Part]:
    start, end = request.window
    return [(Claim.said_on.between(start, end), (Claim.said_on, Claim.id), True, _any)]


_PARTS = {
    "pending": _pending,
    "overdue": _overdue,
    "disputed": _disputed,
    "recently_resolved": _recently_resolved,
    "recent": _recent,
}


def _status_is(status: str) -> Callable[[ClaimState], bool]:
    return lambda state: state.status == status


def _any(state: ClaimState) -> bool:
    return True


def _stepped_between(start: date, end: date):
    evidence = select(Evidence.claim_id).where(Evidence.observed_on.between(start, end))
    resolved = select(ClaimEvent.claim_id).where(
        ClaimEvent.event == "resolved", ClaimEvent.effective_on.between(start, end)
    )
    return or_(Claim.id.in_(evidence), Claim.id.in_(resolved))


def _listed(session: Session, request: ReportRequest, parts: list[Part]) -> Iterator[dict]:
    """The list's claims as report shapes, at most `limit`, read a batch at a time."""
    left, aside = request.limit, request.aside
    for condition, order, descending, keep in parts:
        if left is not None and left <= 0:
            return
        for batch in _state_batches(session, request, condition, order, descending):
            kept = [state for state in batch if keep(state) and state.claim.id not in aside]
            if left is not None:
                kept, left = kept[:left], left - len(kept[:left])
            yield from _report_claims(session, request, kept)
            if left is not None and left <= 0:
                return


def _state_batches(session, request, condition, order, descending) -> Iterator[list[ClaimState]]:
    from tracker.views import claim_query

    as_of, replay = request.reference, request.as_of is not None
    query = claim_query().where(condition)
    if replay:
        query = query.where(Claim.said_on <= as_of)
    if order:
        yield from state_batches(
            session, query, as_of, replay=replay, order=order, descending=descending
        )
        return
    # No order the database can give (resolved_on as of an earlier date): sort the
    # replayed states, which the condition keeps few.
    states = [s for batch in state_batches(session, query, as_of, replay=replay) for s in batch]
    states.sort(key=lambda s: (s.resolved_on or date.min, s.claim.id), reverse=descending)
    for start in range(0, len(states), BATCH):
        yield states[start : start + BATCH]


def _report_claims(session: Session, request: ReportRequest, states: list[ClaimState]):
    if not states:
        return
    ids = [state.claim.id for state in states]
    leans = _leans(session, ids, request.reference)
    details = _details(session, ids, request.reference) if request.details else {}
    for state in states:
        shape = state_shape(state)
        end = state.claim.expected_end
        shape["days_left"] = (end - state.reference).days if end is not None else None
        shape["lean"] = leans.get(state.claim.id, 0)
        if request.details:
            shape.update(details.get(state.claim.id, {"evidence": [], "resolutions": []}))
        yield shape


# -- claims in context: moot dependants, conflicting confirmations ---------------------------


def _limited(request: ReportRequest, items: list[dict]) -> tuple[list[dict], int]:
    return (items if request.limit is None else items[: request.limit]), len(items)


def _states_by_id(session: Session, request: ReportRequest, ids: set[int]) -> dict[int, Any]:
    """The claims of `ids` that are live on the report's date (duplicates too: a claim may
    depend on one), as they stood then."""
    views = [
        view
        for view in views_by_id(session, sorted(ids)).values()
        if not view.withdrawn and (request.as_of is None or view.said_on <= request.as_of)
    ]  # fmt: skip
    states = states_of(session, views, request.reference, replay=request.as_of is not None)
    return {state.claim.id: state for state in states}


def _brief(state: ClaimState) -> dict[str, Any]:
    claim = state.claim
    return {"claim_id": claim.id, "key": claim.key, "text": claim.text,
            "status": state.status, "actual": state.actual}  # fmt: skip


def _moot(session: Session, request: ReportRequest) -> list[dict]:
    """Pending claims that depend on a refuted one: whatever happens, they cannot come true
    as said. Each with the refuted claims it depends on."""
    links = links_on(session, request.reference, kinds=("depends-on",))
    states = _states_by_id(session, request, {i for x in links for i in (x.claim_id, x.other_id)})
    because: dict[int, list[ClaimState]] = {}
    for link in links:
        claim, other = states.get(link.claim_id), states.get(link.other_id)
        if link.claim_id in request.aside:  # it counts as the claim it duplicates
            continue
        if claim and other and claim.status == "pending" and other.status == "refuted":
            because.setdefault(claim.claim.id, []).append(other)
    shapes = list(_report_claims(session, request, [states[i] for i in sorted(because)]))
    for shape in shapes:
        shape["depends_on"] = [_brief(other) for other in because[shape["id"]]]
    return shapes


def _conflicts(session: Session, request: ReportRequest) -> list[dict]:
    """Pairs of claims said to contradict each other that were both confirmed: one of the
    confirmations (or the link) is wrong."""
    links = links_on(session, request.reference, kinds=("contradicts",))
    states = _states_by_id(session, request, {i for x in links for i in (x.claim_id, x.other_id)})
    pairs = [
        (states[link.claim_id], states[link.other_id])
        for link in links
        if link.claim_id in states and link.other_id in states
        and not {link.claim_id, link.other_id} & request.aside
        and states[link.claim_id].status == states[link.other_id].status == "confirmed"
    ]  # fmt: skip
    conflicts = []
    for claim, other in pairs:
        first, second = _report_claims(session, request, [claim, other])
        conflicts.append({"claim": first, "other": second})
    return conflicts


# -- totals and how many each list holds -----------------------------------------------------


def _stored_counts(session: Session, request: ReportRequest):
    """Totals and list sizes: aggregates every index covers, less the withdrawn claims and
    the duplicates (few, read through their own indexes): a condition on them would read
    every row."""
    reference, (start, end) = request.reference, request.window
    columns = select(Claim.status, Claim.expected_end, Claim.resolved_on, Claim.said_on)
    gone = set_aside(session, columns, reference)
    by_status = Counter(
        dict(session.execute(select(Claim.status, func.count()).group_by(Claim.status)).all())
    )
    by_status.subtract(row.status for row in gone)
    totals = {status: by_status[status] for status in STATUSES}

    def count(condition, withdrawn: Callable[[Any], bool]) -> int:
        query = select(func.count()).select_from(Claim).where(condition)
        return (session.scalar(query) or 0) - sum(map(withdrawn, gone))

    counts = {
        "pending": totals["pending"],
        "disputed": totals["disputed"],
        "overdue": count(
            and_(Claim.status == "pending", Claim.expected_end < reference),
            lambda g: (
                g.status == "pending" and g.expected_end is not None and g.expected_end < reference
            ),
        ),
        "recently_resolved": count(
            and_(Claim.status.in_(("confirmed", "refuted")), Claim.resolved_on.between(start, end)),
            lambda g: (
                g.status in ("confirmed", "refuted")
                and g.resolved_on is not None
                and start <= g.resolved_on <= end
            ),
        ),
        "recent": count(Claim.said_on.between(start, end), lambda g: start <= g.said_on <= end),
    }
    totals["overdue"] = counts["overdue"]
    return totals, counts


def _replayed_counts(session: Session, request: ReportRequest):
    from tracker.views import claim_query

    as_of, (start, end) = request.reference, request.window
    statuses: Counter = Counter()
    counts: Counter = Counter()
    query = claim_query().where(Claim.said_on <= as_of)
    for batch in state_batches(session, query, as_of, replay=True):
        for state in batch:
            if state.claim.id in request.aside:
                continue
            statuses[state.status] += 1
            counts[state.status] += 1
            counts["overdue"] += state.overdue
            counts["recently_resolved"] += (
                state.resolved_on is not None and start <= state.resolved_on <= end
            )
            counts["recent"] += start <= state.claim.said_on <= end
    totals = {status: statuses[status] for status in STATUSES}
    totals["overdue"] = counts["overdue"]
    return totals, counts


# -- what changed since a date ----------------------------------------------------------------


def _changes(session: Session, request: ReportRequest) -> dict[str, Any]:
    """What was recorded from the start of `since` to the end of the reference day."""
    since = request.since
    assert since is not None
    start = day_start_utc(since)
    end = day_start_utc(request.reference + timedelta(days=1))
    recorded = ClaimEvent.recorded_at.between(start, end)
    # Overdue from the day after the window ends: the ones that became so since `since`.
    first_end = since - timedelta(days=1)
    newly_overdue_end = and_(
        Claim.expected_end >= first_end, Claim.expected_end < request.reference
    )
    stored = Claim.status == "pending" if request.as_of is None else true()

    def newly_overdue(state: ClaimState) -> bool:
        return state.overdue and state.claim.expected_end >= first_end

    live = _live(request)

    def events(*conditions) -> int:
        query = (
            select(func.count())
            .select_from(ClaimEvent)
            .join(Claim, Claim.id == ClaimEvent.claim_id)
            .where(recorded, live, *conditions)
        )
        return session.scalar(query) or 0

    if request.as_of is None:
        overdue_count = session.scalar(
            select(func.count()).select_from(Claim).where(live, stored, newly_overdue_end)
        )
    else:
        from tracker.views import claim_query

        candidates = claim_query().where(newly_overdue_end, Claim.said_on <= request.as_of)
        overdue_count = sum(
            newly_overdue(state)
            for batch in state_batches(session, candidates, request.as_of, replay=True)
            for state in batch
        )
    evidence_added = events(ClaimEvent.event == "evidence_added")
    counts = {
        "new": events(ClaimEvent.event == "created"),
        "status_changes": events(
            ClaimEvent.from_status.is_not(None), ClaimEvent.from_status != ClaimEvent.to_status
        ),
        "newly_overdue": overdue_count or 0,
    }
    return {
        "since": since.isoformat(),
        "new": _new_claims(session, request, recorded),
        "status_changes": _status_changes(session, request, recorded),
        "newly_overdue": _listed(
            session,
            request,
            [
                (
                    and_(stored, newly_overdue_end),
                    (Claim.expected_end, Claim.id),
                    False,
                    newly_overdue,
                )
            ],
        ),  # fmt: skip
        "evidence_added": evidence_added or 0,
        "counts": counts,  # how many each list holds, whatever --limit listed
    }


def _event_pages(session: Session, query, limit: int | None) -> Iterator[list]:
    """Rows of an event query (its first column the event id), in id order, a page at a time."""
    last, left = 0, limit
    while left is None or left > 0:
        size = BATCH if left is None else min(BATCH, left)
        rows = session.execute(query.where(ClaimEvent.id > last).order_by(ClaimEvent.id)
                               .limit(size)).all()  # fmt: skip
        if not rows:
            return
        yield rows
        last = rows[-1][0]
        left = None if left is None else left - len(rows)


def _live(request: ReportRequest):
    """The claims a report of `request` shows: not withdrawn, no duplicate, and said by its
    date."""
    live = Claim.withdrawn.is_(False)
    if request.aside:
        live = and_(live, Claim.id.not_in(duplicates_on(request.reference)))
    return live if request.as_of is None else and_(live, Claim.said_on <= request.as_of)


def _new_claims(session: Session, request: ReportRequest, recorded) -> Iterator[dict]:
    created = (
        select(ClaimEvent.id, ClaimEvent.claim_id)
        .join(Claim, Claim.id == ClaimEvent.claim_id)
        .where(ClaimEvent.event == "created", recorded, _live(request))
    )
    for rows in _event_pages(session, created, request.limit):
        views = views_by_id(session, [claim_id for _, claim_id in rows])
        states = states_of(session, [views[claim_id] for _, claim_id in rows],
                           request.reference, replay=request.as_of is not None)  # fmt: skip
        yield from _report_claims(session, request, states)


def _status_changes(session: Session, request: ReportRequest, recorded) -> Iterator[dict]:
    query = (
        select(ClaimEvent.id, ClaimEvent.claim_id, Claim.key, Claim.text, ClaimEvent.from_status,
               ClaimEvent.to_status, ClaimEvent.effective_on, ClaimEvent.recorded_at)
        .join(Claim, Claim.id == ClaimEvent.claim_id)
        .where(recorded, ClaimEvent.from_status.is_not(None), _live(request),
               ClaimEvent.from_status != ClaimEvent.to_status)
    )  # fmt: skip
    for rows in _event_pages(session, query, request.limit):
        for row in rows:
            yield {
                "claim_id": row.claim_id,
                "key": row.key,
                "text": row.text,
                "from_status": row.from_status,
                "to_status": row.to_status,
                "effective_on": iso_date(row.effective_on),
                "recorded_at": iso_time(row.recorded_at),
            }


# -- per claim: lean, and (for HTML) the evidence and resolutions ---------------------------------


def _retracted():
    retraction = aliased(ClaimEvent)
    return exists().where(
        retraction.evidence_id == Evidence.id, retraction.event == "evidence_retracted"
    )


def _leans(session: Session, claim_ids: list[int], reference: date) -> dict[int, int]:
    """Evidence lean per claim: supports minus contradicts, retracted evidence left out, and
    repeat-tier evidence too (passing a claim on is not evidence for it)."""
    lean = func.sum(
        case((Evidence.stance == "supports", 1), (Evidence.stance == "contradicts", -1), else_=0)
    )
    own = or_(Evidence.tier.is_(None), Evidence.tier != "repeat")
    query = (
        select(Evidence.claim_id, lean)
        .where(Evidence.claim_id.in_(claim_ids), Evidence.observed_on <= reference, own,
               ~_retracted())
        .group_by(Evidence.claim_id)
    )  # fmt: skip
    return {claim_id: int(value or 0) for claim_id, value in session.execute(query)}


def _details(session: Session, claim_ids: list[int], reference: date) -> dict[int, dict]:
    """Each claim's evidence (retracted marked) and resolutions with their reasons."""
    found: dict[int, dict] = {i: {"evidence": [], "resolutions": []} for i in claim_ids}
    evidence = (
        select(Evidence.claim_id, Evidence.stance, Evidence.observed_on, Source.name, Evidence.url,
               Evidence.note, _retracted().label("retracted"), Evidence.tier)
        .outerjoin(Source, Source.id == Evidence.source_id)
        .where(Evidence.claim_id.in_(claim_ids), Evidence.observed_on <= reference)
        .order_by(Evidence.observed_on, Evidence.id)
    )  # fmt: skip
    for claim_id, stance, on, source, url, note, retracted, tier in session.execute(evidence):
        found[claim_id]["evidence"].append(
            {
                "stance": stance,
                "on": iso_date(on),
                "source": source,
                "url": url,
                "note": note,
                "tier": tier,
                "retracted": bool(retracted),
            }  # fmt: skip
        )
    resolutions = (
        select(ClaimEvent.claim_id, ClaimEvent.resolved_as, ClaimEvent.to_status,
               ClaimEvent.effective_on, ClaimEvent.reason, ClaimEvent.actor)
        .where(ClaimEvent.claim_id.in_(claim_ids), ClaimEvent.event == "resolved",
               ClaimEvent.effective_on <= reference)
        .order_by(ClaimEvent.effective_on, ClaimEvent.id)
    )  # fmt: skip
    for claim_id, resolved_as, to_status, on, reason, actor in session.execute(resolutions):
        found[claim_id]["resolutions"].append(
            {
                "status": resolved_as or to_status,
                "on": iso_date(on),
                "reason": reason,
                "by": actor,
            }  # fmt: skip
        )
    return found
