"""The inbox: open suggestions, best first, and a person's decision on each.

Accepting makes evidence through the ledger, as `tracker evidence` does (the source is
the article's outlet, the URL its link, the date its published date): `for` supports the
claim, `against` contradicts it, `observing` supports it at tier `repeat` (the article
only passes the claim on); `--stance confirms|refutes` makes it conclusive. Rejecting
dismisses it. Either way the article (this revision of it) is not suggested for that claim
again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.commands.evidence import NewEvidence, add_evidence
from tracker.db.models import MAX_ID, Claim, Suggestion, WatchedArticle
from tracker.errors import InvalidInput, TrackerError
from tracker.ledger.drafts import Change
from tracker.queries.lookup import claim_id as find_claim
from tracker.rules.identity import handle
from tracker.rules.text import MAX_TEXT, clean_optional

# What each stance of an article becomes as evidence: (evidence stance, tier).
AS_EVIDENCE = {
    "for": ("supports", None),
    "against": ("contradicts", None),
    "observing": ("supports", "repeat"),
}
EVIDENCE_STANCES = ("confirms", "refutes", "supports", "contradicts")
ACCEPT_STANCES = (*AS_EVIDENCE, *EVIDENCE_STANCES)


class SuggestionNotFound(TrackerError):
    """No suggestion has the id given."""


@dataclass(frozen=True)
class OpenSuggestion:
    id: int
    claim_id: int
    claim_uid: str
    claim_text: str
    title: str | None
    url: str
    outlet: str | None
    published: date | None
    score: float
    stance: str
    suggested_at: datetime

    def shape(self) -> dict[str, Any]:
        """As `inbox --format json` prints it."""
        return {
            "id": self.id,
            "claim": {
                "id": self.claim_id,
                "handle": handle(self.claim_uid),
                "text": self.claim_text,
            },  # fmt: skip
            "article": {
                "title": self.title,
                "url": self.url,
                "outlet": self.outlet,
                "published": self.published.isoformat() if self.published else None,
            },
            "score": self.score,
            "stance": self.stance,
        }


def open_suggestions(
    session: Session, *, claim: str | None = None, min_score: float | None = None
) -> list[OpenSuggestion]:
    """Open suggestions for claims not withdrawn, best first (score, then oldest)."""
    query = (
        select(
            Suggestion.id,
            Claim.id,
            Claim.uid,
            Claim.text,
            WatchedArticle.title,
            WatchedArticle.url,
            WatchedArticle.outlet,
            WatchedArticle.published_on,
            Suggestion.score,
            Suggestion.stance,
            Suggestion.suggested_at,
        )  # fmt: skip
        .join(Claim, Claim.id == Suggestion.claim_id)
        .join(WatchedArticle, WatchedArticle.id == Suggestion.article_id)
        .where(Suggestion.state == "open", Claim.withdrawn.is_(False))
        .order_by(Suggestion.score.desc(), Suggestion.id)
    )
    if claim is not None:
        query = query.where(Suggestion.claim_id == find_claim(session, claim))
    if min_score is not None:
        query = query.where(Suggestion.score >= min_score)
    return [OpenSuggestion(*row) for row in session.execute(query)]


def check_min_score(value: float) -> float:
    if not 0.0 <= value <= 1.0:  # also refuses NaN
        raise InvalidInput(f"--min-score must be between 0 and 1, got {value}")
    return value


@dataclass(frozen=True)
class Decided:
    """What a decision did: for the line the command prints."""

    suggestion_id: int
    claim_id: int
    title: str | None
    change: Change | None = None  # the evidence an acceptance added


def accept(
    session: Session,
    ids: list[int],
    *,
    stance: str | None,
    tier: str | None,
    note: str | None,
    actor: str,
    today: date,
    now: datetime,
    actual: str | None = None,
) -> list[Decided]:
    """Each suggestion made its claim's evidence, all or none. A refusal names the
    suggestion and its claim: of several, which one."""
    note = clean_optional(note, "note", limit=MAX_TEXT)
    done = []
    for suggestion, article, uid in _open(session, ids):
        evidence_stance, default_tier = AS_EVIDENCE.get(stance or suggestion.stance,
                                                        (stance, None))  # fmt: skip
        assert evidence_stance is not None
        # The date the article bears, as `evidence --on` takes it (a future one is
        # refused there and here); an undated article's is the day it was read.
        on = article.published_on or article.fetched_at.date()
        new = NewEvidence(
            stance=evidence_stance,
            source=article.outlet,
            url=article.url
            if "://" in article.url and not article.url.startswith("urn:")
            else None,
            on=on,
            note=note or _note(article),
            tier=tier or default_tier,
            actual=actual,
        )
        try:
            change = add_evidence(session, str(suggestion.claim_id), new, actor=actor, today=today)
        except TrackerError as exc:
            named = f"suggestion {suggestion.id} (claim {suggestion.claim_id} {handle(uid)})"
            exc.args = (f"{named}: {exc}", *exc.args[1:])
            raise
        suggestion.state, suggestion.decided_at, suggestion.decided_by = "accepted", now, actor
        suggestion.evidence_id = change.evidence_id
        done.append(Decided(suggestion.id, suggestion.claim_id, article.title, change))
    session.flush()
    return done


def _note(article: WatchedArticle) -> str | None:
    """The evidence's note: the article's headline, which says what it says."""
    return article.title[:MAX_TEXT] if article.title else None


def reject(
    session: Session, ids: list[int], *, reason: str | None, actor: str, now: datetime
) -> list[Decided]:
    reason = clean_optional(reason, "reason", limit=MAX_TEXT)
    done = []
    for suggestion, article, _ in _open(session, ids):
        suggestion.state, suggestion.decided_at, suggestion.decided_by = "rejected", now, actor
        suggestion.reason = reason
        done.append(Decided(suggestion.id, suggestion.claim_id, article.title))
    session.flush()
    return done


def _open(session: Session, ids: list[int]) -> list[tuple[Suggestion, WatchedArticle, str]]:
    """The suggestions named, each open, in the order given (a repeat is an error), each
    with its article and its claim's uid."""
    if len(set(ids)) != len(ids):
        raise InvalidInput("a suggestion is named twice")
    found = []
    for number in ids:
        row = None
        if 0 < number <= MAX_ID:
            row = session.execute(
                select(Suggestion, WatchedArticle, Claim.uid)
                .join(WatchedArticle, WatchedArticle.id == Suggestion.article_id)
                .join(Claim, Claim.id == Suggestion.claim_id)
                .where(Suggestion.id == number)
                .with_for_update(of=Suggestion)
            ).first()
        if row is None:
            raise SuggestionNotFound(f"no suggestion {number}; `tracker inbox` lists them")
        suggestion, article, uid = row
        if suggestion.state != "open":
            raise InvalidInput(f"suggestion {number} is already {suggestion.state}")
        found.append((suggestion, article, uid))
    return found
