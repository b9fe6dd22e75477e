"""The lines a write prints: what it did, and to which claim, by id, handle and text.

Every real mistake of a new editor was a write to the wrong claim that nothing showed (an
id off by two, a laptop's id typed on the team's database, a claim id given to
`retract`): so every line names the claim whole, its text too. Piped or in a file the
text is whole (`| grep` finds it); on a terminal the claim texts of a line are cut so
the line fits its width.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from tracker.render.tables import on_terminal, terminal_width
from tracker.render.terminal import displayed, status_text
from tracker.rules.kinds import LINK_WORDS

if TYPE_CHECKING:
    from tracker.commands.undo import Undone
    from tracker.ledger.drafts import Change
    from tracker.ledger.undo import Reversed

MIN_TEXT = 20  # characters of a claim's text a terminal line keeps, however narrow


@dataclass(frozen=True)
class Quoted:
    """User text a line shows in quotes, cut first when the line is too wide."""

    text: str


Segment = str | Quoted


def line(*segments: Segment, indent: int = 0) -> str:
    """The segments as one line: quoted texts on one line each, cut on a terminal so that
    the line fits its width (never below MIN_TEXT characters each)."""
    texts = [" ".join(str(displayed(s.text)).split()) for s in segments if isinstance(s, Quoted)]
    if texts and on_terminal():
        fixed = indent + sum(len(click.unstyle(s)) for s in segments if isinstance(s, str))
        room = max(MIN_TEXT, (terminal_width() - 1 - fixed) // len(texts) - 2)
        texts = [t if len(t) <= room else t[: room - 1] + "…" for t in texts]
    shown = iter(texts)
    parts = [s if isinstance(s, str) else f'"{next(shown)}"' for s in segments]
    return " " * indent + "".join(parts)


def named(claim: dict[str, Any]) -> list[Segment]:
    """'claim 25 (kfq3xw8m2p) "Nintendo's Switch successor…"' (a claim shape's fields)."""
    return [f"claim {claim['id']} ({claim['handle']}) ", Quoted(claim["text"])]


def claim_of(change: Change) -> dict[str, Any]:
    """The claim a change (tracker.ledger.drafts.Change) touched, as `named` reads it."""
    return {"id": change.claim_id, "handle": change.handle, "text": change.text}


def _capital(segments: list[Segment]) -> list[Segment]:
    first = segments[0]
    assert isinstance(first, str)
    return [first[:1].upper() + first[1:], *segments[1:]]


def _status(from_status: str | None, to_status: str) -> str:
    if from_status in (None, to_status):
        return f"still {status_text(to_status)}"
    return f"{status_text(from_status)} -> {status_text(to_status)}"


# -- one line per kind of write --------------------------------------------------------


def added(claim: dict[str, Any], *, expected: bool, hedged: bool) -> list[str]:
    """`add`: the claim, and how its window and its likelihood were read (when given)."""
    lines = [line(f"Added claim {claim['id']} ({claim['handle']}) ", Quoted(claim["text"]),
                  f": {status_text(claim['status'])}")]  # fmt: skip
    window = claim["expected"]
    if expected and window is not None:
        lines.append(
            line(f"  expected {_quoted_value(window['text'])} read as "
                 f"{window['start']} to {window['end']} (said on {claim['said_on']})")
        )  # fmt: skip
    if hedged and claim["likelihood"] is not None:
        hedge = claim.get("hedge")
        how = f"hedge {_quoted_value(hedge)} read as" if hedge else "as given:"
        lines.append(line(f"  {how} likelihood {claim['likelihood']:.2f}"))
    return lines


def status_changed(claim: dict[str, Any], change: Change) -> str:
    """evidence, confirm, refute, resolve: the claim and where its status went."""
    if change.event == "evidence_added":
        what = f"evidence {change.evidence_id}: {change.stance}"
    elif change.resolved_as != change.to_status:  # a backdated resolution
        what = f"resolved as {change.resolved_as}, but a later step decides the status"
    else:
        what = f"resolved as {change.resolved_as}"
    return line(*_capital(named(claim)), f": {_status(change.from_status, change.to_status)} "
                f"({what})")  # fmt: skip


def retracted(claim: dict[str, Any], change: Change, evidence: dict[str, Any], *,
              indent: int = 0, verb: str = "Retracted") -> str:  # fmt: skip
    """`retract`: the evidence (stance, source, date), its claim, and its status."""
    return line(f"{verb} evidence {change.evidence_id} ({evidence_words(evidence)}) of ",
                *named(claim), f": {_status(change.from_status, change.to_status)}",
                indent=indent)  # fmt: skip


def evidence_words(evidence: dict[str, Any]) -> str:
    """'confirms, Google, 2024-08-13': what a person recognises a piece of evidence by."""
    parts = [evidence["stance"], evidence.get("source") or "no source", evidence["observed_on"]]
    return ", ".join(str(displayed(part)) for part in parts)


def edited(claim: dict[str, Any], changes: dict[str, list[Any]], *, verb: str = "Edited",
           indent: int = 0) -> list[str]:  # fmt: skip
    """`edit`: the claim, then each changed field as `old -> new`."""
    lines = [line(f"{verb} ", *named(claim), indent=indent)]
    lines += [change_line(name, old, new, indent=indent + 2) for name, (old, new) in
              changes.items()]  # fmt: skip
    return lines


def change_line(name: str, old: Any, new: Any, *, indent: int = 0) -> str:
    return line(f"{name}: ", *value_segments(name, old), " -> ", *value_segments(name, new),
                indent=indent)  # fmt: skip


def withdrawn(claim: dict[str, Any], *, withdrawn: bool, indent: int = 0,
              dry_run: bool = False) -> str:  # fmt: skip
    verb = {True: ("Withdrew ", "Would withdraw "), False: ("Restored ", "Would restore ")}
    return line(verb[withdrawn][dry_run], *named(claim), indent=indent)


def linked(claim: dict[str, Any], kind: str, other: dict[str, Any], *, linked: bool,
           indent: int = 0, dry_run: bool = False) -> str:  # fmt: skip
    says = LINK_WORDS[kind][0]
    verb = f" {says} " if linked else f" no longer {says} "
    head = {True: ("Linked: ", "Would link: "), False: ("Unlinked: ", "Would unlink: ")}
    return line(head[linked][dry_run], *named(claim), verb, *named(other),
                indent=indent)  # fmt: skip


def resolution_retracted(claim: dict[str, Any], change: Change, resolution: dict[str, Any], *,
                         indent: int = 0, verb: str = "Retracted") -> str:  # fmt: skip
    """A resolution taken back (what `undo` makes of one)."""
    return line(f"{verb} the resolution as {resolution['resolved_as']} on "
                f"{resolution['effective_on']} of ", *named(claim),
                f": {_status(change.from_status, change.to_status)}", indent=indent)  # fmt: skip


def summary(count: int, verb: str, *, dry_run: bool) -> str:
    """The last line of a command on several claims."""
    noun = "claim" if count == 1 else "claims"
    if dry_run:
        return f"Dry run, nothing written: {verb} {count:,} {noun}."
    return f"{verb[:1].upper()}{verb[1:]} {count:,} {noun}."


def undone(done: Undone, others: dict[int, dict[str, Any]], *, dry_run: bool) -> list[str]:
    """`undo`: whose change of when, then what reversing each of its events did (`others`:
    the claims links name, by id)."""
    when = done.made_at.strftime("%Y-%m-%d %H:%M:%S")
    head = f"the change {done.actor} made at {when} UTC"
    lines = [f"Dry run, nothing written: undo would reverse {head}:" if dry_run
             else f"Undid {head}:"]  # fmt: skip
    for item in done.reversed:
        lines += _reversed(item, others, dry_run)
    claims = len({item.claim_id for item in done.reversed})
    if claims > 1:
        lines.append(f"{claims:,} claims.")
    if done.skipped:
        changes = "change" if done.skipped == 1 else "changes"
        lines.append(
            f"({done.skipped} later {changes} of {done.actor}'s had been reversed already.)"
        )
    return lines


def _reversed(item: Reversed, others: dict[int, dict[str, Any]], dry_run: bool) -> list[str]:
    def verb(done: str, would: str) -> str:
        return would if dry_run else done

    if item.moved is not None:  # a source renamed back
        moved = item.moved
        claims = f"{moved.claims} claim{'' if moved.claims == 1 else 's'}"
        pieces = f"{moved.evidence} piece{'' if moved.evidence == 1 else 's'} of evidence"
        return [line(f"{verb('Renamed', 'Would rename')} source ", Quoted(moved.old), " back to ",
                     Quoted(moved.new), f": {claims} and {pieces}", indent=2)]  # fmt: skip
    change = item.change
    assert change is not None
    claim = claim_of(change)

    status = _status(change.from_status, change.to_status)
    if item.reversed in ("created", "withdrawn", "restored"):
        return [withdrawn(claim, withdrawn=change.event == "withdrawn", indent=2, dry_run=dry_run)]
    if item.reversed == "edited":
        assert change.changes is not None
        found = edited(claim, change.changes, verb=verb("Edited back", "Would edit back"), indent=2)
        kept = verb("left as a later edit set it", "would be left as a later edit set it")
        return found + [f"    {name}: {kept}" for name in item.kept]
    if item.reversed == "evidence_added":
        assert item.evidence is not None
        return [retracted(claim, change, item.evidence, indent=2,
                          verb=verb("Retracted", "Would retract"))]  # fmt: skip
    if item.reversed == "evidence_retracted":
        assert item.evidence is not None
        return [line(f"{verb('Added', 'Would add')} evidence {item.evidence['id']} again, as "
                     f"evidence {change.evidence_id} ({evidence_words(item.evidence)}), to ",
                     *named(claim), f": {status}", indent=2)]  # fmt: skip
    if item.reversed == "resolved":
        assert item.resolution is not None
        return [resolution_retracted(claim, change, item.resolution, indent=2,
                                     verb=verb("Retracted", "Would retract"))]  # fmt: skip
    if item.reversed == "resolution_retracted":
        assert item.resolution is not None
        return [line(f"{verb('Resolved', 'Would resolve')} ", *named(claim), " as "
                     f"{item.resolution['resolved_as']} on {item.resolution['effective_on']} "
                     f"again: {status}", indent=2)]  # fmt: skip
    assert item.kind is not None and item.other_id is not None
    other = others[item.other_id]
    return [linked(claim, item.kind, other, linked=change.event == "linked", indent=2,
                   dry_run=dry_run)]  # fmt: skip


# -- values, as an edit changes them ----------------------------------------------------


def value_segments(name: str, value: Any) -> list[Segment]:
    """A field's value as a line shows it: user text quoted (and cut on a terminal)."""
    if value is None or value == []:
        return ["none"]
    if name in ("text", "subject", "source", "key", "hedge"):
        return [Quoted(str(value))]
    return [value_words(name, value)]


def value_words(name: str, value: Any) -> str:
    """A field's value as plain words (a history table's cell)."""
    if value is None or value == []:
        return "none"
    if name == "expected" and isinstance(value, dict):
        return f"{_quoted_value(value.get('text'))} ({value.get('start')} to {value.get('end')})"
    if name == "article" and isinstance(value, dict):
        parts = [value.get(part) for part in ("title", "outlet", "published_on", "url")]
        return " · ".join(str(displayed(p)) for p in parts if p) or "none"
    if name == "tags" and isinstance(value, list):
        return ", ".join(str(displayed(tag)) for tag in value)
    if name == "likelihood" and isinstance(value, int | float):
        return f"{value:.2f}"
    if isinstance(value, str):
        return _quoted_value(value)
    return str(displayed(value))


def edit_detail(changes: dict[str, list[Any]]) -> str:
    """An edit's changes in one cell: 'text: "a" -> "b"; subject: none -> "S"'."""
    return "; ".join(
        f"{name}: {value_words(name, old)} -> {value_words(name, new)}"
        for name, (old, new) in changes.items()
    )


def _quoted_value(value: Any) -> str:
    return f'"{" ".join(str(displayed(value)).split())}"'


def lines_of(groups: Iterable[str | Sequence[str]]) -> list[str]:
    """Lines and lists of lines, flattened."""
    found: list[str] = []
    for group in groups:
        found += [group] if isinstance(group, str) else list(group)
    return found
