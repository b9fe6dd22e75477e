"""Words of the contract besides statuses and stances (tracker.status): evidence tiers,
link kinds and claim file formats. Nothing imported, so every command reads them for free."""

# A claim file's format, by its name's suffix.
FORMATS = {".json": "json", ".toml": "toml", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}

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
