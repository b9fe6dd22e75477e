"""schema.org ClaimReview, the form fact-checkers publish their verdicts in: read into
claims and evidence through the importer every claim file goes through (
design.md §10), and written by `export --format claimreview`."""
