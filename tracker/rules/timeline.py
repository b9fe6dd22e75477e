"""A claim's status over time, in both of its times: the rows of `status_span`.

The valid time is the day a step (evidence, a resolution) takes effect: evidence entered
late lands on its own day, so `--as-of D` is the fold of the steps effective by D
(tracker.rules.status). The recorded time is when a step, or the retraction that
cancels it, was written: `--known-on D` counts only what was recorded by the end of D.

`spans` turns a claim's steps into rows: each says the claim stood at (status,
resolved_on, actual) on the days [valid_from, valid_to) as known over the instants
[known_from, known_to). The ledger writes them at each flush, a migration filled them
for older databases, and `tracker db check` proves them against this replay; every
read with `--as-of` or `--known-on` is then a condition on them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby

from tracker.rules.status import Fold, Ordered, Outcome

# The end of a span still open: a far date rather than NULL, so "in force on D" is two
# range conditions an index can answer.
OPEN_DAY = date(9999, 12, 31)
OPEN_MOMENT = datetime(9999, 12, 31)


@dataclass(frozen=True)
class Known:
    """A step of the replay, with when it was recorded here (the event that added it: evidence
    an undo brings back keeps its first recorded_at, which orders the replay) and when it
    stopped counting (its retraction), if it did."""

    item: Ordered
    known_at: datetime
    cancelled_at: datetime | None = None


@dataclass(frozen=True, order=True)
class Span:
    """One row of `status_span`."""

    known_from: datetime
    valid_from: date
    valid_to: date  # the first day it no longer holds; OPEN_DAY: it still does
    known_to: datetime  # the first instant it was no longer known so; OPEN_MOMENT: it still is
    status: str
    resolved_on: date | None
    actual: str | None


ValidSpan = tuple[date, date, Outcome]  # valid_from, valid_to, the claim's state


def valid_spans(steps: Iterable[Ordered], start: date) -> list[ValidSpan]:
    """The claim's state day by day, from `start` (its said_on) on: the fold of the steps
    effective by each day. `steps` sorted into replay order."""
    items = list(steps)
    fold = Fold()
    days = [(min([start, *(item.effective_on for item in items)]), fold.outcome)]
    for day, group in groupby(items, key=lambda item: item.effective_on):
        for item in group:
            fold.add(item.step)
        if days[-1][0] == day:  # the state before it held for no day
            days.pop()
        if not days or days[-1][1] != fold.outcome:
            days.append((day, fold.outcome))
    ends = [day for day, _ in days[1:]] + [OPEN_DAY]
    return [(day, end, outcome) for (day, outcome), end in zip(days, ends, strict=True)]


def spans(known: Iterable[Known], start: date, created_at: datetime) -> list[Span]:
    """Every state the claim was known to be in, on which days, over which instants. A
    step recorded before the claim itself (copied from another database) counts from the
    claim's creation here on."""
    steps = sorted(known, key=lambda k: k.item)
    moments = {created_at}
    for step in steps:
        moments.add(max(step.known_at, created_at))
        if step.cancelled_at is not None:
            moments.add(max(step.cancelled_at, created_at))
    opened: dict[ValidSpan, datetime] = {}
    rows: list[Span] = []
    for moment in sorted(moments):
        live = [
            step.item
            for step in steps
            if max(step.known_at, created_at) <= moment
            and (step.cancelled_at is None or max(step.cancelled_at, created_at) > moment)
        ]
        now = set(valid_spans(live, start))
        for span in [span for span in opened if span not in now]:
            rows.append(_row(span, opened.pop(span), moment))
        for span in now - opened.keys():
            opened[span] = moment
    rows += [_row(span, since, OPEN_MOMENT) for span, since in opened.items()]
    return sorted(rows)


def _row(span: ValidSpan, known_from: datetime, known_to: datetime) -> Span:
    valid_from, valid_to, outcome = span
    return Span(known_from, valid_from, valid_to, known_to, outcome.status, outcome.resolved_on,
                outcome.actual)  # fmt: skip
