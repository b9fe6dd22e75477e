"""What evidence and resolutions may say, whatever path gives them: the ledger applies
these to every evidence and resolution it records (tracker.ledger.ledger), so a command, a
file, the inbox and a test calling the domain directly all meet the same rule, once.

Each reads its words in any case (`CONFIRMS` is `confirms`) before it checks them: a rule
about a word must not depend on how the caller spelled it."""

from __future__ import annotations

from tracker.errors import InvalidField, InvalidInput
from tracker.rules.kinds import TIERS
from tracker.rules.status import CONCLUSIVE, DECIDED, STANCES, STATUSES
from tracker.rules.text import MAX_TEXT, clean_optional, one_of

Words = tuple[str, str | None, str | None]  # (stance or status, tier, actual)


def evidence_words(stance: str, tier: str | None, actual: str | None) -> Words:
    """Evidence's stance, tier and actual, read and checked: `repeat` only for a lean
    (passing a claim on never settles it), and what actually happened only from evidence
    that decides the claim."""
    stance = _word(stance, STANCES, "stance")
    tier = _word(tier, TIERS, "tier") if tier is not None else None
    if tier == "repeat" and stance in CONCLUSIVE:
        raise InvalidField(
            "tier",
            "repeat-tier evidence only passes a claim on: it cannot confirm or refute it "
            "(give it as supports or contradicts)",
        )
    return stance, tier, _actual(actual, decides=stance in CONCLUSIVE)


def resolution_words(status: str, actual: str | None) -> tuple[str, str | None]:
    """A resolution's status and actual, read and checked as evidence's are."""
    status = _word(status, STATUSES, "status")
    return status, _actual(actual, decides=status in DECIDED)


def _word(value: str, choices: tuple[str, ...], field: str) -> str:
    try:
        return one_of(value, choices, field)
    except InvalidInput as exc:  # named, so a file's bad record names its field
        raise InvalidField(field, str(exc)) from None


def _actual(actual: str | None, *, decides: bool) -> str | None:
    try:
        actual = clean_optional(actual, "actual", limit=MAX_TEXT)
    except InvalidInput as exc:
        raise InvalidField("actual", str(exc)) from None
    if actual is not None and not decides:
        raise InvalidField(
            "actual",
            "what actually happened is said by a step that decides the claim: confirms or "
            "refutes evidence, or a resolution as confirmed or refuted",
        )
    return actual
