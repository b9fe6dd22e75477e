"""A published ClaimReview as a claim record of the import shape (
design.md §10), which tracker.io.importer then applies as it applies every file's records.

- The claim: text from `claimReviewed` (else the Claim's own text or name, else the API's
  `text`); source from `itemReviewed.author` (a name, an object or a list of them) or the
  API's `claimant`, generic authors ("Facebook posts", "Viral image", "Social media
  users") under one source, `Unattributed`; said_on from the Claim's `datePublished`
  (or the API's `claimDate`), else the review's date, and never after the review (a claim
  is said before it is checked; a feed that dates a later appearance would otherwise
  date the claim after its own evidence); its article from `appearance` or
  `firstAppearance`.
- The fact-checker's evidence: source the review's author or publisher, url the
  review's url, on the review's date, stance from its rating (tracker.claimreview.
  verdicts), the verdict's words in the note, and `ratingExplanation` as what actually
  happened when the verdict decides the claim. Evidence is matched by its content, the
  review url among it: a review imported again adds nothing, and a changed verdict is new
  evidence.
- A rating that cannot be read gives the claim alone (`unread`). A review with neither
  claim text nor url cannot be told apart from any other: it refuses the import.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tracker.claimreview.documents import Found
from tracker.claimreview.verdicts import Rating
from tracker.errors import TrackerError
from tracker.io.fields import Dates
from tracker.io.readers import Unreadable
from tracker.rules import dates
from tracker.rules.kinds import UNATTRIBUTED
from tracker.rules.status import CONCLUSIVE
from tracker.rules.text import MAX_NAME

# Who "said" a claim that went round with no one behind it, as fact-checkers name them.
_PLATFORMS = (
    r"facebook|instagram|twitter|x|tiktok|whatsapp|youtube|telegram|threads|reddit|"
    r"social media|online|internet|web|blogs?|websites?|viral"
)
_GENERIC = re.compile(
    rf"^(?:(?:{_PLATFORMS})(?: and (?:{_PLATFORMS}))?"
    r"(?: (?:posts?|users?|messages?|accounts?|pages?|videos?|images?|photos?|claims?|"
    r"memes?|rumou?rs?|posters?|chain messages?|content))+"
    r"|(?:multiple|various|several|many|numerous|anonymous|unknown|unidentified)\b.*"
    rf"|(?:posts?|videos?|images?|photos?|claims?|messages?|memes?) (?:shared )?(?:on|from) "
    rf"(?:{_PLATFORMS})"
    r"|viral\b.*|unknown|anonymous|social media|websites|online|no author|n/?a|none|null)$"
)
_ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:$|[T ])")


def is_generic_author(name: str) -> bool:
    """A claimant that names a channel or a crowd, not someone with a track record."""
    words = re.sub(r"[^\w/ ]", " ", name.casefold())
    return bool(_GENERIC.match(" ".join(words.split())))


@dataclass(frozen=True)
class Mapped:
    """A review as an import record (or what is wrong with it), and whether its rating
    went unread."""

    record: dict[str, Any] | Unreadable
    unread: bool = False


def claim_record(found: Found, where: str, when: Dates) -> Mapped:
    try:
        return _record(found, where, when)
    except _Bad as exc:
        return Mapped(Unreadable(f"{where}: {exc}"))


class _Bad(Exception):
    """A field of the review that cannot be read (the message names it)."""


def _record(found: Found, where: str, when: Dates) -> Mapped:
    review, api = found.review, found.api_claim
    item = _first_node(found, review.get("itemReviewed"))
    if api is not None:
        text = _text(api.get("text"))
        claimant = _text(api.get("claimant"))
        reviewed_on = _day(review.get("reviewDate"), "reviewDate", when)
        # One claim under all its reviews: said no later than the first of them.
        said = _day(api.get("claimDate"), "claimDate", when)
        for other in api["claimReview"]:
            other_on = _day(other.get("reviewDate"), "reviewDate", when) if isinstance(
                other, dict) else None  # fmt: skip
            if other_on is not None and (said is None or other_on < said):
                said = other_on
        checker = _name(found, review.get("publisher"))
        if checker is None and isinstance(review.get("publisher"), dict):
            checker = _text(review["publisher"].get("site"))
        rating = Rating(verdict=_text(review.get("textualRating")))
        title = _text(review.get("title"))
    else:
        text = (
            _text(review.get("claimReviewed")) or _text(item.get("text")) or _text(item.get("name"))
        )
        claimant = _name(found, item.get("author")) or _name(found, item.get("creator"))
        said = _day(item.get("datePublished"), "itemReviewed.datePublished", when)
        reviewed_on = _day(review.get("datePublished"), "datePublished", when)
        checker = _name(found, review.get("author")) or _name(found, review.get("publisher"))
        rated = _first_node(found, review.get("reviewRating"))
        rating = Rating(
            verdict=_text(rated.get("alternateName")) or _text(rated.get("name")),
            value=rated.get("ratingValue"),
            best=rated.get("bestRating"),
            worst=rated.get("worstRating"),
        )
        title = _text(review.get("headline")) or _text(review.get("name"))
    url = _url(review.get("url"))
    if text is None and url is None:
        raise _Bad("neither claim text (claimReviewed) nor the review's url: nothing says "
                   "which claim it reviews; add one, or leave the review out")  # fmt: skip
    if text is None:  # the url tells the review apart; its headline says what it is about
        text = title or f"The claim reviewed at {url}"
    if said is None or (reviewed_on is not None and reviewed_on < said):
        said = reviewed_on
    if said is None:
        raise _Bad("no date: neither the review's datePublished nor the claim's")
    record: dict[str, Any] = {"text": text, "said_on": said.isoformat()}
    if claimant is not None:
        record["source"] = UNATTRIBUTED if is_generic_author(claimant) else claimant
    if api is None:
        article = _article(found, item)
        if article:
            record["article"] = article
    stance = rating.stance()
    if stance is None:
        return Mapped(record, unread=True)
    evidence = {"stance": stance, "source": checker, "url": url,
                "on": (reviewed_on or said).isoformat(), "note": rating.note()}  # fmt: skip
    explanation = _text(_first_node(found, review.get("reviewRating")).get("ratingExplanation"))
    if stance in CONCLUSIVE and explanation is not None:
        evidence["actual"] = explanation
    record["evidence"] = [{k: v for k, v in evidence.items() if v is not None}]
    return Mapped(record)


def _text(value: Any) -> str | None:
    """Text as published: a string with something in it, else None. Feeds made from web
    pages carry HTML's escapes (`&quot;`, `&#39;`) in their text: unescaped."""
    if isinstance(value, str) and value.strip():
        return " ".join(html.unescape(value).split()) or None
    return None


def _node(found: Found, value: Any) -> Any:
    """A node, following an `{"@id": ...}` reference to where the document describes it."""
    if isinstance(value, dict) and set(value) == {"@id"}:
        return found.ids.get(value["@id"], value)
    return value


def _first_node(found: Found, value: Any) -> dict[str, Any]:
    """The first object of a value given as an object or a list of them ({} if none)."""
    for candidate in value if isinstance(value, list) else [value]:
        candidate = _node(found, candidate)
        if isinstance(candidate, dict):
            return candidate
    return {}


def _name(found: Found, value: Any) -> str | None:
    """A person's or organisation's name, given as text, an object or a list of them (the
    first name found); cut to the length of a source name."""
    for candidate in value if isinstance(value, list) else [value]:
        candidate = _node(found, candidate)
        name = _text(candidate)
        if name is None and isinstance(candidate, dict):
            name = _text(candidate.get("name")) or _text(candidate.get("alternateName"))
        if name is not None:
            return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1].rstrip() + "…"
    return None


def _url(value: Any) -> str | None:
    for candidate in value if isinstance(value, list) else [value]:
        found = _text(candidate)
        if found is not None:
            return found.strip()
    return None


def _article(found: Found, item: dict[str, Any]) -> dict[str, Any]:
    """Where the claim appeared: the first appearance with a url (given as a url, an
    object or a list), else one with a headline. Only the url is kept when there is one:
    feeds describe one post's url with different headlines and dates, and a stored
    article's fields are never overwritten."""
    places = [item.get("appearance"), item.get("firstAppearance")]
    candidates = [_node(found, c) for p in places for c in (p if isinstance(p, list) else [p])]
    for candidate in candidates:
        url = _url(candidate) or (
            _url(candidate.get("url")) if isinstance(candidate, dict) else None
        )
        if url is not None:
            return {"url": url}
    for candidate in candidates:
        if isinstance(candidate, dict):
            title = _text(candidate.get("headline")) or _text(candidate.get("name"))
            if title is not None:
                return {"title": title}
    return {}


def _day(value: Any, name: str, when: Dates) -> date | None:
    """A published date: ISO 8601 with or without a time (its own calendar day), or a
    date the tracker's grammar reads exactly ("4 July 2022")."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise _Bad(f"{name}: {value!r} is not a date")
    text = value.strip()
    iso = _ISO_DAY.match(text)
    try:
        if iso:
            day = datetime.strptime(iso.group(1), "%Y-%m-%d").date()
        else:
            day = dates.parse_date(text, today=when.today, absolute=True, order=when.order)
    except (ValueError, TrackerError):
        raise _Bad(f"{name}: {text[:40]!r} is not a date") from None
    if day > when.today:
        raise _Bad(f"{name}: {day} is in the future (today is {when.today})")
    return day
