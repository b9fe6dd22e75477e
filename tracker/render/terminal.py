"""Text for people: user text shown, never obeyed, by a terminal, and colours only there.

click.echo strips styles when standard output is not a terminal, and `say` strips them
whenever NO_COLOR is set (no-color.org).
"""

from __future__ import annotations

import os
import re
from typing import Any

import click

STATUS_COLOURS = {
    "pending": "yellow",
    "confirmed": "green",
    "refuted": "red",
    "disputed": "magenta",
}

# Our own colours (click.style's SGR codes), else any control character but a newline.
_CONTROL = re.compile(r"\x1b\[[0-9;]*m|[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _shown(match: re.Match[str]) -> str:
    text = match.group()
    return text if len(text) > 1 else f"\\x{ord(text):02x}"


def terminal_safe(text: str) -> str:
    """Text a terminal shows but does not obey: a claim holding escape sequences
    could otherwise retitle the window or clear the screen."""
    return _CONTROL.sub(_shown, text)


# In user text: every control character (an escape sequence typed into a claim included)
# and the Unicode line and paragraph separators; tab and newline are the layout's to handle.
_USER_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}"


def displayed(value: Any) -> Any:
    """A shape with its user text made visible, not obeyed, before a renderer styles it
    for people: a claim's own escape sequence is shown as `\\x1b`, never sent to the
    terminal or a file, and a form feed does not end a row."""
    if isinstance(value, str):
        return _USER_CONTROL.sub(_escaped, value)
    if isinstance(value, dict):
        return {name: displayed(item) for name, item in value.items()}
    if isinstance(value, list):
        return [displayed(item) for item in value]
    return value


def say(text: str = "", nl: bool = True) -> None:
    """click.echo for text that holds user data: coloured only on a terminal, and never
    when NO_COLOR is set (no-color.org)."""
    click.echo(terminal_safe(text), nl=nl, color=False if os.environ.get("NO_COLOR") else None)


def status_text(status: str) -> str:
    """A status in its colour."""
    return click.style(status, fg=STATUS_COLOURS.get(status))
