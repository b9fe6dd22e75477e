"""A claim's fields, declared once: what each is called on the command line, in a file and
in a CSV column, how long it may be, how its text is cleaned, and whether an edit (of one
claim, or of several at once) may change it.

`add` and `edit` make their options from this table, the commands and the importer clean
a field's text by it, and an `edited` event's `changes` name only the fields it calls
editable. A field added here is an option of both commands, cleaned the same way in
every path.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.rules.text import MAX_NAME, MAX_TEXT, clean


@dataclass(frozen=True)
class ClaimField:
    name: str  # as NewClaim, ClaimEdit and the option's parameter name it
    what: str  # how a message names it: "claim text must not be empty"
    kind: str = "text"  # text, date, number, tags or source: how an option reads it
    limit: int = MAX_NAME  # the most characters its text may have
    metavar: str | None = None  # the option's placeholder in --help
    add_help: str | None = None  # the option of `add` (None: `add` takes it otherwise)
    edit_help: str | None = None  # the option of `edit`
    shared: bool = False  # one edit may give it to several claims at once
    change: str | None = None  # its name in an `edited` event's changes (default: name)
    record: str | None = None  # its name in an import/export record (default: name)
    csv: str | None = None  # its export CSV column (default: name)
    flag: str | None = None  # its option (default: --name, with dashes)

    @property
    def option(self) -> str:
        return self.flag or "--" + self.name.replace("_", "-")

    @property
    def change_name(self) -> str:
        return self.change or self.name

    @property
    def record_name(self) -> str:
        return self.record or self.name

    @property
    def csv_name(self) -> str:
        return self.csv or self.name

    def cleaned(self, value: str) -> str:
        """The field's text, stripped, and refused when empty, holding a NUL or too long."""
        return clean(value, self.what, limit=self.limit)

    def cleaned_optional(self, value: str | None) -> str | None:
        return None if value is None else self.cleaned(value)


FIELDS = (
    ClaimField("text", "claim text", limit=MAX_TEXT,
               edit_help="Corrected claim text."),
    ClaimField("subject", "subject", shared=True,
               add_help="What the claim is about, e.g. 'Xiaomi 12 Ultra'.",
               edit_help="Corrected subject."),
    ClaimField("source", "source", kind="source", metavar="NAME", shared=True,
               add_help="Who made the claim.", edit_help="Corrected source."),
    ClaimField("said_on", "said on", kind="date", metavar="DATE",
               add_help="When the claim was made [default: article date, else today].",
               edit_help="Corrected date the claim was made."),
    ClaimField("expected", "expected window", limit=MAX_TEXT, metavar="WINDOW", shared=True,
               add_help="When it should come true: 'July 2022', 'Q3 2022', 'by 2022-09-30'.",
               edit_help="Corrected expected window."),
    ClaimField("hedge", "hedge", metavar="WORD", shared=True,
               add_help="How sure the source sounded: official, will, expected, likely, "
               "rumoured, could...",
               edit_help="Corrected hedge (sets its likelihood too)."),
    ClaimField("likelihood", "likelihood", kind="number", metavar="P", shared=True,
               add_help="Probability 0..1 (overrides the hedge's).",
               edit_help="Corrected likelihood 0..1."),
    ClaimField("key", "key", metavar="KEY",
               add_help="A unique slug to refer to the claim by.",
               edit_help="A new key (or a first one)."),
    ClaimField("article_url", "article URL", limit=MAX_TEXT, metavar="URL",
               add_help="Where the claim appeared.",
               edit_help="The article the claim appeared in.",
               change="article", record="article.url"),
    ClaimField("article_title", "article title", limit=MAX_TEXT, metavar="TITLE",
               add_help="The article's headline.", edit_help="Corrected article headline.",
               change="article", record="article.title"),
    ClaimField("article_outlet", "article outlet", metavar="OUTLET",
               add_help="Who published the article.", edit_help="Corrected article outlet.",
               change="article", record="article.outlet"),
    ClaimField("article_date", "article date", kind="date", metavar="DATE",
               add_help="When the article was published.", edit_help="Corrected article date.",
               change="article", record="article.published_on", csv="article_published_on"),
    ClaimField("tags", "tag", kind="tags", metavar="TAG", shared=True, flag="--tag",
               add_help="A tag (repeatable).", edit_help="Add a tag (repeatable)."),
)  # fmt: skip
FIELD = {field.name: field for field in FIELDS}

# What an `edited` event's changes may name, in the table's order.
EDITABLE = tuple(dict.fromkeys(field.change_name for field in FIELDS if field.edit_help))
# What an edit of several claims at once may change: what a batch of claims shares (and
# the edit's own operations on those: clearing the window, removing a tag).
SHARED = frozenset({field.name for field in FIELDS if field.shared}) | {
    "clear_expected",
    "remove_tags",
}
