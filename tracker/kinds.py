"""Words of the contract besides statuses and stances (tracker.status): evidence tiers
and link kinds. Nothing imported, so the CLI's --help reads them for free."""

# How close the publisher of evidence is to the fact; `repeat` only passes on someone
# else's claim (Emergent's "observing"), and never counts as making it.
TIERS = ("official", "first-hand", "document", "leak", "repeat")
# CLAIM duplicates / supersedes / depends-on / contradicts OTHER.
LINK_KINDS = ("duplicates", "supersedes", "depends-on", "contradicts")
# How a sentence says each kind: of CLAIM, negated, and of OTHER ("duplicated by").
LINK_WORDS = {
    "duplicates": ("duplicates", "duplicate", "duplicated by"),
    "supersedes": ("supersedes", "supersede", "superseded by"),
    "depends-on": ("depends on", "depend on", "needed by"),
    "contradicts": ("contradicts", "contradict", "contradicted by"),
}
