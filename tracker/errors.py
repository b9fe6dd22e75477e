"""The tracker's errors: each one is something the user can fix.

The CLI turns every `TrackerError` into one `Error: ...` line and exit status 1,
in exactly one place (`tracker.cli.app.TrackerGroup`); `BadRecords` adds a line for
each bad record of a file.
"""


class TrackerError(Exception):
    """A failure the user can fix; the message says what to do."""

    exit_code = 1


class InvalidInput(TrackerError):
    """A value given on the command line or in a file is not acceptable."""


class InvalidField(InvalidInput):
    """A value of a named field (of a claim record, or a stored row) that is not acceptable."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class BadRecords(InvalidInput):
    """Records of a file that cannot be imported, each named by its file, line or record
    and field: the first line says how many, then one line each (`details`). One bad
    record is one line, as any other error."""

    def __init__(self, problems: list[str], *, stopped: bool = False):
        self.details = list(problems) if len(problems) > 1 or stopped else []
        if not self.details:
            super().__init__(problems[0])
            return
        count = f"{len(problems)} bad records"
        if stopped:
            count = f"{count} (and perhaps more after them: the import stopped there)"
        super().__init__(f"{count}; nothing was imported")


class InvalidDate(InvalidInput):
    """A date or window phrase that cannot be read without guessing."""


class ClaimNotFound(TrackerError):
    """No claim has the id or key given."""


class AmbiguousClaim(TrackerError):
    """A reference that names several claims (a shared handle or prefix, a key that is
    another claim's handle): the message lists them."""


class EvidenceNotFound(TrackerError):
    """No evidence has the id given."""


class DuplicateKey(TrackerError):
    """A claim with this key (or, without one, this text, source and date) already exists."""

    def __init__(self, message: str, claim_id: int | None = None):
        super().__init__(message)
        self.claim_id = claim_id  # the claim that has them


class InvalidTransition(TrackerError):
    """The change asked for is not allowed in the claim's current state."""


class DatabaseError(TrackerError):
    """The database cannot be used: unreachable, foreign, behind or read-only."""


class SchemaBehind(DatabaseError):
    """The database schema is older than this tracker; `tracker db upgrade` fixes it."""


class Terminated(KeyboardInterrupt):
    """A kill (SIGTERM): the command stops as Ctrl-C stops it, its transaction rolled back
    on the way out; the message, if any, says what is left when that is not nothing."""
