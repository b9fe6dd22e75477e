"""Sources renamed and merged: what a source is called, and which names mean it (design.md §7).

The `source` table holds names. A source's own row is the one its claims name; its other
names (former names, and sources merged into it) are rows whose `alias_of` is that
source. Every row of a source carries its current `name`, so evidence, which keeps the
row it was recorded under (it is history), shows the name its source has now; what its
event sealed is the name it was recorded under (`evidence.source_name`). A command or a
file that names a former name lands on the source (tracker.ledger.provenance).

A rename or a merge is history: each claim whose source, or whose evidence's source, it
touches gets a `source_renamed` or `source_merged` event, {"source": [old, new]} for the
claim's own source and {"evidence_source": [old, new]} for its evidence's, sealed on its
chain, exported with it, and applied again by an import into another database
(`replay`): there the same names get the same change, and names that already mean one
source are left as they are.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import Connection, func, insert, or_, select, update

from tracker.db.models import Claim, Evidence, Source
from tracker.errors import InvalidInput
from tracker.ledger.books import Book, source_event_content
from tracker.ledger.drafts import Stamp
from tracker.ledger.edits import rehash
from tracker.ledger.ledger import Ledger
from tracker.rules.identity import digest
from tracker.rules.text import checked_source_name, normalise

RENAMED, MERGED = "source_renamed", "source_merged"
SOURCE_EVENTS = (RENAMED, MERGED)
BATCH = 1000  # claims whose histories are written at a time (a command's)


@dataclass(frozen=True)
class Named:
    """A name the source table knows: the source it means, and what that is called now."""

    row: int  # the row with this name
    source: int  # the source it means: the row itself, or the one it is another name of
    name: str  # the source's current name
    key: str  # the name, folded: how the row is found


@dataclass
class Moved:
    """What a rename or merge did, for the line a command prints."""

    kind: str
    old: str
    new: str
    claims: int = 0  # claims whose own source it was
    evidence: int = 0  # pieces of evidence recorded under it
    histories: int = 0  # claims whose history records it


def find(conn: Connection, name: str) -> Named | None:
    """The row of `name` (any case), with the source it means."""
    own = Source.__table__.alias("own")
    query = (
        select(Source.id, func.coalesce(Source.alias_of, Source.id), own.c.name,
               Source.name_folded)
        .join(own, own.c.id == func.coalesce(Source.alias_of, Source.id))
        .where(Source.name_folded == normalise(name))
    )  # fmt: skip
    row = conn.execute(query).first()
    return Named(*row) if row is not None else None


def known(conn: Connection, name: str) -> Named:
    """`find`, or an error that says which source was meant."""
    found = find(conn, name)
    if found is not None:
        return found
    names = list(conn.execute(select(Source.name).where(Source.alias_of.is_(None))).scalars())
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else " (`tracker sources` lists them)"
    raise InvalidInput(f"no source is called {name.strip()[:60]!r}{hint}")


# -- the commands ---------------------------------------------------------------------------


def rename(ledger: Ledger, old: str, new: str, reason: str, *,
           undoing: dict[int, str] | None = None) -> Moved:  # fmt: skip
    """`tracker source rename OLD NEW`: the source OLD names is called NEW from now on, and
    OLD stays another name of it. NEW may differ from its name only in case; a name of
    another source is refused (that is a merge). `undoing`: the rename this one takes back
    (tracker.ledger.undo), as each claim's event of it by claim id."""
    conn = ledger.conn
    new = checked_source_name(new)
    source = known(conn, old)
    taken = find(conn, new)
    if taken is not None and taken.source != source.source:
        raise InvalidInput(
            f"{new!r} already names source {taken.name!r}; to make the two one source: "
            f"tracker source merge {source.name!r} {taken.name!r}"
        )
    if new == source.name:
        raise InvalidInput(f"nothing to change: the source is called {new!r} already")
    _lock(conn, [source.source])
    moved = Moved(RENAMED, source.name, new)
    touched = _touching(conn, source, "rename")
    _touch(ledger, moved, touched, None, reason, Stamp(), batched=True, undoing=undoing)
    _rename_rows(ledger, source, new, taken)
    return moved


def merge(ledger: Ledger, old: str, into: str, reason: str) -> Moved:
    """`tracker source merge FROM INTO`: FROM's claims and evidence are INTO's from now on,
    one track record, and FROM (with its other names) is another name of INTO."""
    conn = ledger.conn
    source, target = known(conn, old), known(conn, into)
    if source.source == target.source:
        same = "the same name" if source.row == target.row else f"names of {target.name!r}"
        raise InvalidInput(
            f"cannot merge a source into itself: {old.strip()!r} and {into.strip()!r} are {same}"
        )
    _lock(conn, [source.source, target.source])
    touched = _touching(conn, source, "merge")
    _refuse_twins(conn, source.source, target.source)
    moved = Moved(MERGED, source.name, target.name)
    _touch(ledger, moved, touched, target.source, reason, Stamp(), batched=True)
    _merge_rows(ledger, source.source, target)
    return moved


# -- another database's history -------------------------------------------------------------


def replay(ledger: Ledger, book: Book, kind: str, changes: dict[str, list[str]],
           reason: str | None, stamp: Stamp, *, named: set[str]) -> bool:  # fmt: skip
    """A rename or merge from another database's history of this claim (its event, which
    `named` event uids of the same file may hold copies of): applied to this database's
    sources as the same names say, and recorded. False: the claim holds it already (under
    another uid: a copy an import made for it).

    OLD and NEW already one source: nothing changes but the record. OLD unknown here: it
    becomes another name of NEW's source. NEW unknown: OLD's source is renamed NEW. Both
    known, two sources: OLD's is merged into NEW's, whichever word the other database used."""
    old, new = next(iter(changes.values()))
    assert stamp.recorded_at is not None and stamp.actor is not None
    content = source_event_content(kind, changes, stamp.recorded_at, stamp.actor, reason)
    if book.known(book.source_events, content, exclude=named):
        return False
    conn = ledger.conn
    source, target = find(conn, old), find(conn, new)
    if source is None:  # a name this database never knew: it means NEW's source
        target_id = target.source if target is not None else ledger.provenance.source_id(new)
        assert target_id is not None
        _add_alias(ledger, old, target_id)
    elif target is None:
        _touch(ledger, Moved(kind, old, new), _touched(conn, source.source), None, reason,
               stamp, recorded=book)  # fmt: skip
        _rename_rows(ledger, source, new, None)
    elif source.source != target.source:
        _refuse_twins(conn, source.source, target.source)
        _touch(ledger, Moved(kind, old, new), _touched(conn, source.source), target.source,
               reason, stamp, recorded=book)  # fmt: skip
        _merge_rows(ledger, source.source, target)
    ledger.source_event(book, kind, changes, reason, stamp)
    return True


# -- inside ---------------------------------------------------------------------------------


@dataclass
class Touched:
    """The claims a change of a source touches: those it made, and those with evidence
    recorded under one of its names (claim id -> how many pieces)."""

    own: set[int]
    cited: dict[int, int]

    @property
    def claims(self) -> list[int]:
        return sorted(self.own | self.cited.keys())


def _touched(conn: Connection, source: int) -> Touched:
    rows = select(Source.id).where(or_(Source.id == source, Source.alias_of == source))
    own = set(conn.execute(select(Claim.id).where(Claim.source_id == source)).scalars())
    counted = (
        select(Evidence.claim_id, func.count())
        .where(Evidence.source_id.in_(rows))
        .group_by(Evidence.claim_id)
    )
    return Touched(own, dict(conn.execute(counted).all()))  # .all(): a Result has .keys()


def _touching(conn: Connection, source: Named, what: str) -> Touched:
    """The claims a command's change touches: none is refused, as it would be recorded
    nowhere (a change of a source is history in the claims it touches)."""
    touched = _touched(conn, source.source)
    if not touched.claims:
        raise InvalidInput(f"no claim or evidence names source {source.name!r}: nothing to {what}")
    return touched


def _touch(ledger: Ledger, moved: Moved, touched: Touched, into: int | None,
           reason: str | None, stamp: Stamp, *, batched: bool = False,
           recorded: Book | None = None,
           undoing: dict[int, str] | None = None) -> None:  # fmt: skip
    """Record the change in the history of every claim it touches (and move the claims of a
    merged source into `into`). `recorded`: the claim whose own event a caller records (the
    others get a copy, under a uid of their own); `batched`: written a batch of claims at a
    time (a command's: an import holds its books until its own batch is written)."""
    claims = touched.claims
    moved.claims, moved.evidence = len(touched.own), sum(touched.cited.values())
    moved.histories = len(claims)
    pair = [moved.old, moved.new]
    size = BATCH if batched else max(len(claims), 1)
    for start in range(0, len(claims), size):
        books = ledger.open(claims[start : start + size])
        for claim_id, book in books.items():
            changes: dict[str, list[str]] = {}
            if claim_id in touched.own:
                changes["source"] = pair
                if into is not None:
                    book.row["source_id"] = into
                    rehash(book)
            if claim_id in touched.cited:
                changes["evidence_source"] = pair
            if book is recorded:
                continue  # the caller records its own event
            copy = replace(stamp, uid=None) if stamp.uid is not None else stamp
            if undoing is not None:  # each claim's event names the one it takes back
                copy = replace(copy, undoes=undoing.get(claim_id))
            ledger.source_event(book, moved.kind, changes, reason, copy)
        if batched:
            ledger.flush()


def _rename_rows(ledger: Ledger, source: Named, new: str, taken: Named | None) -> None:
    """The source is called `new`: found by it, and still by the name it had (another row
    of it now). `taken`: the row of `new` when that is a name of this source already."""
    conn, folded = ledger.conn, normalise(new)
    own_key = conn.execute(
        select(Source.name_folded).where(Source.id == source.source)
    ).scalar_one()
    if taken is not None and taken.row != source.source:
        # A former name back again: that row and the source's swap the names they are
        # found by (through a key no name folds to, as each key is unique).
        parked = f"\x01{taken.row}"
        conn.execute(update(Source).where(Source.id == taken.row).values(name_folded=parked))
        conn.execute(update(Source).where(Source.id == source.source).values(name_folded=folded))
        conn.execute(update(Source).where(Source.id == taken.row).values(name_folded=own_key))
    elif folded != own_key:
        conn.execute(update(Source).where(Source.id == source.source).values(name_folded=folded))
        _add_alias(ledger, own_key, source.source, folded_already=True)
    _call(ledger, source.source, new)


def _merge_rows(ledger: Ledger, source: int, target: Named) -> None:
    """Every name of `source` is a name of `target`'s source from now on."""
    conn = ledger.conn
    conn.execute(
        update(Source)
        .where(or_(Source.id == source, Source.alias_of == source))
        .values(alias_of=target.source)
    )
    _call(ledger, target.source, target.name)


def _add_alias(ledger: Ledger, name: str, source: int, *, folded_already: bool = False) -> None:
    conn = ledger.conn
    current = conn.execute(select(Source.name).where(Source.id == source)).scalar_one()
    folded = name if folded_already else normalise(checked_source_name(name))
    conn.execute(
        insert(Source).values(
            id=ledger.ids.take("source"), name=current, name_folded=folded, alias_of=source
        )
    )
    ledger.provenance.forget_sources()


def _call(ledger: Ledger, source: int, name: str) -> None:
    """The source, and every other name of it, show `name`."""
    ledger.conn.execute(
        update(Source).where(or_(Source.id == source, Source.alias_of == source)).values(name=name)
    )
    ledger.provenance.forget_sources()


def _lock(conn: Connection, sources: Iterable[int]) -> None:
    """Hold the sources' rows until the transaction ends (SQLite holds the database)."""
    if conn.dialect.name != "sqlite":
        ids = list(sources)
        query = select(Source.id).where(or_(Source.id.in_(ids), Source.alias_of.in_(ids)))
        conn.execute(query.with_for_update()).all()


def _refuse_twins(conn: Connection, source: int, target: int) -> None:
    """Two claims without a key, saying the same on the same day, one by each source, would
    be one claim to every import: refused, naming them, before anything changes."""
    moving = conn.execute(
        select(Claim.id, Claim.text_norm, Claim.said_on).where(
            Claim.source_id == source, Claim.key.is_(None)
        )
    ).all()
    hashes = {
        digest(text_norm, str(target), said_on.isoformat()): claim_id
        for claim_id, text_norm, said_on in moving
    }
    for start in range(0, len(hashes), 1000):
        wanted = list(hashes)[start : start + 1000]
        twin = conn.execute(
            select(Claim.id, Claim.twin_hash).where(Claim.twin_hash.in_(wanted)).limit(1)
        ).first()
        if twin is not None:
            mine = hashes[twin.twin_hash]
            raise InvalidInput(
                f"claim {mine} and claim {twin.id} would be one source's claim saying the "
                f"same on the same day; give one of them a key first (tracker edit {mine} "
                "--key KEY), or link it as a duplicate of the other"
            )
