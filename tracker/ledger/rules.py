"""What evidence and resolutions may say, whatever path gives them."""

from __future__ import annotations

from tracker.errors import InvalidInput
from tracker.rules.kinds import TIERS
from tracker.rules.status import CONCLUSIVE
from tracker.rules.text import MAX_TEXT, clean_optional, one_of


def checked_tier(tier: str | None, stance: str) -> str | None:
    """A tier word; `repeat` only for a lean: passing a claim on never settles it."""
    tier = one_of(tier, TIERS, "tier") if tier is not None else None
    if tier == "repeat" and stance in CONCLUSIVE:
        raise InvalidInput(
            "repeat-tier evidence only passes a claim on: it cannot confirm or refute it "
            "(give it as supports or contradicts)"
        )
    return tier


def checked_actual(actual: str | None, decides: bool) -> str | None:
    """What actually happened: said by a step that decides the claim, never by a mere lean."""
    actual = clean_optional(actual, "actual", limit=MAX_TEXT)
    if actual is not None and not decides:
        raise InvalidInput(
            "what actually happened is said by a step that decides the claim: confirms or "
            "refutes evidence, or a resolution as confirmed or refuted"
        )
    return actual
