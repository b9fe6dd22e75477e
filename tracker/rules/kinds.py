"""Words of the contract besides statuses and stances (tracker.rules.status): evidence tiers,
link kinds, claim file formats and CSV columns. Nothing imported, so every command reads
them for free."""

# How a file writes numeric dates (`import --date-order`): 7/4/2022 is 7 April (dmy) or
# July 4 (mdy). tracker.rules.dates reads them.
DATE_ORDERS = {"dmy": "day/month/year", "mdy": "month/day/year"}

# The orders of `list --sort` (tracker.queries.listing.sort_keys gives each its columns).
SORTS = ("id", "due", "said", "status", "source")

# A claim file's format, by its name's suffix.
FORMATS = {".json": "json", ".toml": "toml", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}

# What `import` reads besides those: schema.org ClaimReview (tracker.claimreview), from a
# file of these suffixes or any file whose content is ClaimReview (a `.json` one included).
CLAIMREVIEW = "claimreview"
CLAIMREVIEW_SUFFIXES = (".jsonld", ".html", ".htm", ".xhtml")
IMPORT_FORMATS = (*dict.fromkeys(FORMATS.values()), CLAIMREVIEW)
# The one source of claims a fact-checker attributes to no one in particular ("Facebook
# posts", "Viral image"): kept out of the track records that rank real sources.
UNATTRIBUTED = "Unattributed"

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

# What `export --format csv` writes: every column of `list --format csv` (below) and the
# rest of a claim's state (hedge, article, what actually happened, withdrawal, the claim
# it duplicates), so a copy made from it stands where the claims stood. Its history and
# evidence are JSON's to carry. `import` reads the import shape's columns (design.md §10)
# and the state (tracker.io.records, `listed`); `id`, `handle`, `overdue`,
# `expected_start` and `expected_end` are for people, and not read.
CSV_COLUMNS = (
    "id", "handle", "key", "text", "subject", "status", "source", "said_on", "expected",
    "expected_start", "expected_end", "hedge", "likelihood", "tags", "overdue", "resolved_on",
    "actual", "withdrawn", "duplicates", "article_url", "article_title", "article_outlet",
    "article_published_on", "quote", "uid",
)  # fmt: skip
# What `list --format csv` writes: the claims as they stand, with what the tracker works
# out. Of its own columns, `status` and `resolved_on` are read back (a CSV file has no
# evidence: tracker.io.records, `listed`); `id` (another database's
# number), `expected_start`, `expected_end` (the window `expected` gives), `overdue`
# (true on the day it was listed) and `handle` (the uid's) are for people, and not read.
LIST_CSV_COLUMNS = (
    "id", "key", "text", "subject", "status", "source", "said_on", "expected",
    "expected_start", "expected_end", "likelihood", "tags", "overdue", "resolved_on", "uid",
    "handle",
)  # fmt: skip

SQLITE_HEADER = b"SQLite format 3\x00"  # the first bytes of every SQLite database file
