"""Where a command's output goes: standard output, or the file `--output` names.

`-` is standard output. A regular file (new or replaced) appears whole or not
at all: it is written beside its place and renamed over it. A symlink is
written through to its target, the same way. A FIFO or a device is written to
as a stream and never replaced: `--output /dev/stdout` or a named pipe work
as a user expects, and root cannot turn /dev/full into a regular file.

A reader that stops early (`tracker list | head -1`) closes the pipe: the
command then ends quietly, with the exit status of a process that SIGPIPE
stopped (141), and no `Error:` line.
"""

from __future__ import annotations

import io
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TextIO

from tracker.errors import TrackerError

STDOUT = "-"
SIGPIPE_EXIT = 141  # 128 + SIGPIPE, as a shell reports a pipeline's early-stopped writer


def is_stdout(path: str | None) -> bool:
    return path is None or path in (STDOUT, "/dev/stdout")


# Names of a descriptor this process already has open: written through that descriptor,
# at its offset (`>> log` appends), never reopened or truncated.
_DESCRIPTOR = re.compile(r"/dev/fd/(\d+)|/proc/self/fd/(\d+)|/dev/(stderr)")


@contextmanager
def open_output(path: str | None) -> Iterator[TextIO]:
    """A UTF-8 text handle ("\\n" line ends) on standard output or on the file `path`."""
    if is_stdout(path):
        with _stdout() as out:
            yield out
        return
    assert path is not None
    descriptor = _DESCRIPTOR.fullmatch(path)
    if descriptor:
        number = 2 if descriptor.group(3) else int(descriptor.group(1) or descriptor.group(2))
        with _stream(path, lambda: os.dup(number)) as out:
            yield out
        return
    target = os.path.realpath(path)  # through symlinks: the link stays a link
    if _is_stream(target) or path.startswith(("/dev/", "/proc/")):
        with _stream(path, lambda: os.open(target, os.O_WRONLY)) as out:
            yield out
        return
    with _atomic(path, target) as out:
        yield out


@contextmanager
def _stream(shown: str, opened: Callable[[], int]) -> Iterator[TextIO]:
    """Write to a FIFO, a device or a descriptor as it is: no temporary file, no truncation."""
    try:
        handle = os.fdopen(opened(), "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise _cannot_write(shown, exc) from None
    try:
        with handle:
            yield handle
    except BrokenPipeError:  # a named pipe whose reader stopped early
        raise
    except OSError as exc:
        raise _cannot_write(shown, exc) from None


def write_text(path: str | None, text: str) -> None:
    with open_output(path) as out:
        out.write(text)


def silence_stdout() -> None:
    """Point standard output at /dev/null, so Python's exit flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file descriptor (tests)
        pass


@contextmanager
def _stdout() -> Iterator[TextIO]:
    if sys.stdout is None:  # started with standard output closed (`tracker ... >&-`)
        raise TrackerError("standard output is closed; give --output FILE")
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:  # standard output replaced by a text-only stream
        yield sys.stdout
        return
    sys.stdout.flush()
    # UTF-8 whatever the locale, "\n" whatever the platform: the bytes are the format.
    out = io.TextIOWrapper(binary, encoding="utf-8", newline="")
    try:
        yield out
        out.flush()
    finally:
        out.detach()  # standard output stays open


def _is_stream(path: str) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:  # does not exist (yet): a new regular file
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextmanager
def _atomic(shown: str, path: str) -> Iterator[TextIO]:
    """A handle whose content becomes the regular file `path` only if the block succeeds."""
    directory = os.path.dirname(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tracker-", suffix=".tmp")
    except OSError as exc:
        raise _cannot_write(shown, exc) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private (0600); give it the mode a new file would get.
        os.chmod(temporary, _file_mode(path))
        os.replace(temporary, path)
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise _cannot_write(shown, exc) from None
        raise


def _cannot_write(path: str, exc: OSError) -> TrackerError:
    import errno

    if exc.errno == errno.ENOSPC:
        return TrackerError(f"the disk is full: cannot write {path}")
    return TrackerError(f"cannot write {path}: {exc.strerror or exc}")


def _file_mode(path: str) -> int:
    """The mode of the file being replaced, else the default mode under the umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
