"""Finding the claims a person names: by id, key, handle, or the start of a handle.

How a reference is read (every command that takes CLAIM reads it here):

1. ASCII digits are an id, and nothing else (a key is never all digits; a handle starts
   with a letter).
2. Anything else may be a key (exactly), a handle (in any case), or the first 6 or more
   characters of a handle. Every claim it names in one of these ways is a candidate:
   one candidate is the claim; none is "no claim"; several (two claims sharing a handle
   or its start, a key that is another claim's handle) is an error listing each
   candidate's id, handle and text. The tracker never picks one: a write must not land
   on a claim the person did not mean.

Ids differ between databases (a laptop's claim 54 is another claim on the team's
server); keys and handles do not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.models import MAX_ID, Claim
from tracker.errors import AmbiguousClaim, ClaimNotFound
from tracker.queries.views import ClaimView, view
from tracker.rules.identity import HANDLE_LENGTH, MIN_HANDLE_PREFIX, handle_prefix
from tracker.rules.text import is_id, is_key

BATCH = 1000  # references looked up in one query
SHOWN = 5  # candidates an ambiguity error lists
SHOWN_TEXT = 60  # characters of each candidate's text in it


@dataclass(frozen=True)
class Ref:
    """A reference as a person gave it, and where (for the error: "line 3 of standard input")."""

    text: str
    origin: str = ""


def claim_id(session: Session, ref: str) -> int:
    """The id of the claim `ref` names (no row read, nothing locked)."""
    return claim_ids(session, [Ref(ref)])[0]


def get_claim(session: Session, ref: str) -> ClaimView:
    """The claim `ref` names, to read."""
    return view(session, claim_id(session, ref))


def claim_ids(session: Session, refs: Sequence[Ref]) -> list[int]:
    """The ids of the claims the references name, in their order, each once; the first
    reference that names no claim, or several, is an error naming it."""
    wanted = [(ref, ref.text.strip()) for ref in refs]
    by_id = _ids(session, {int(t) for _, t in wanted if is_id(t) and _fits(t)})
    others = [t for _, t in wanted if not is_id(t)]
    keys = _by_key(session, {t for t in others if is_key(t)})
    handles = _by_handle(session, {p for t in others if (p := handle_prefix(t)) is not None})
    found: dict[int, None] = {}
    for ref, text in wanted:
        if is_id(text):
            if not _fits(text) or int(text) not in by_id:
                raise _not_found(ref, text, f"no claim with id {text}")
            found[int(text)] = None
            continue
        prefix = handle_prefix(text)
        candidates = dict.fromkeys(keys.get(text, []))
        if prefix is not None:
            if len(prefix) < HANDLE_LENGTH:
                handles[prefix] = handles.get(prefix) or _by_prefix(session, prefix)
            candidates.update(dict.fromkeys(handles.get(prefix, [])))
        if not candidates:
            raise _not_found(ref, text, f"no claim with key or handle {text!r}")
        if len(candidates) > 1:
            raise _ambiguous(session, ref, text, list(candidates))
        found[next(iter(candidates))] = None
    return list(found)


def _fits(text: str) -> bool:
    return len(text) <= 10 and int(text) <= MAX_ID


def _ids(session: Session, ids: set[int]) -> set[int]:
    present: set[int] = set()
    for batch in _batches(sorted(ids)):
        present.update(session.scalars(select(Claim.id).where(Claim.id.in_(batch))))
    return present


def _by_key(session: Session, keys: set[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for batch in _batches(sorted(keys)):
        query = select(Claim.key, Claim.id).where(Claim.key.in_(batch))
        for key, claim in session.execute(query):
            if key is not None:
                found.setdefault(key, []).append(claim)
    return found


def _by_handle(session: Session, handles: set[str]) -> dict[str, list[int]]:
    """Claims by whole handle (a shorter prefix is looked up on its own: few are typed)."""
    whole = sorted(h for h in handles if len(h) == HANDLE_LENGTH)
    found: dict[str, list[int]] = {}
    for batch in _batches(whole):
        query = select(Claim.handle, Claim.id).where(Claim.handle.in_(batch))
        for handle, claim in session.execute(query.order_by(Claim.id)):
            found.setdefault(handle, []).append(claim)
    return found


def _by_prefix(session: Session, prefix: str) -> list[int]:
    """The claims whose handle starts with `prefix`: a range of the handle index (LIKE
    would use no index on SQLite, nor on PostgreSQL under a linguistic collation). Its
    end is the prefix followed by z's: digits sort before letters in every collation,
    where a punctuation mark may sort anywhere."""
    end = prefix + "z" * (HANDLE_LENGTH - len(prefix))
    query = select(Claim.id, Claim.handle).where(Claim.handle >= prefix, Claim.handle <= end)
    rows = session.execute(query.order_by(Claim.id).limit(SHOWN + 1)).all()
    return [claim for claim, handle in rows if handle.startswith(prefix)]


def _batches(values: list[str] | list[int]) -> Iterable[list[str] | list[int]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


def _where(ref: Ref) -> str:
    return f"{ref.origin}: " if ref.origin else ""


def _not_found(ref: Ref, text: str, said: str) -> ClaimNotFound:
    hint = ""
    if not is_id(text) and handle_prefix(text) is None and len(text) < MIN_HANDLE_PREFIX:
        hint = f" (a handle needs at least its first {MIN_HANDLE_PREFIX} characters)"
    return ClaimNotFound(f"{_where(ref)}{said}{hint}; `tracker list` shows them")


def _ambiguous(session: Session, ref: Ref, text: str, ids: list[int]) -> AmbiguousClaim:
    query = select(Claim.id, Claim.handle, Claim.key, Claim.text).where(Claim.id.in_(ids[:SHOWN]))
    rows = session.execute(query.order_by(Claim.id)).all()
    listed = "; ".join(
        f"{row.id} {row.handle}"
        + (f" (key {row.key})" if row.key == text else "")
        + f' "{_short(row.text)}"'
        for row in rows
    )
    count = str(len(ids)) if len(ids) <= SHOWN else f"more than {SHOWN}"
    return AmbiguousClaim(
        f"{_where(ref)}{text!r} names {count} claims: {listed}; give the id or more of the handle"
    )


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHOWN_TEXT else text[: SHOWN_TEXT - 1] + "…"
