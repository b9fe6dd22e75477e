"""Identity that survives copying: uids for rows, and hashes that index long text.

A uid is a UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random
bits, so uids sort by creation time. The uids made by one process are also
strictly increasing (RFC 9562 section 6.2, method 2: a random increment within
a millisecond), so an export ordered by uid lists claims in the order they were
made, in every database they are copied to.

B-tree indexes hold `digest`s, never the text itself: a claim text or an article
URL may be longer than PostgreSQL's index row limit (~2,700 bytes).
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from random import Random

_RANDOM_BITS = 74  # 12 bits of rand_a, 62 of rand_b
_UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")

_VERSION_AND_VARIANT = (0x7 << 76) | (0b10 << 62)
_RAND_B = (1 << 62) - 1
_last = (0, 0)  # (milliseconds, random part) of the last uid this process made
# Seeded from the system's randomness; a uid's own random bits need to be unpredictable
# only enough to make two processes' uids of one millisecond differ.
_random = Random(os.urandom(16))
os.register_at_fork(after_in_child=lambda: _random.seed(os.urandom(16)))


def _format(milliseconds: int, random: int) -> str:
    value = (milliseconds << 80) | _VERSION_AND_VARIANT | ((random >> 62) << 64)
    value |= random & _RAND_B
    digits = "%032x" % value  # noqa: UP031 (the fastest way, and uids are made by the million)
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def new_uid() -> str:
    """A fresh uid, greater than every uid this process made before."""
    global _last
    milliseconds = time.time_ns() // 1_000_000
    last_ms, last_random = _last
    if milliseconds > last_ms:
        random = _random.getrandbits(_RANDOM_BITS - 1)  # a top bit of room to count on
    else:  # the same millisecond (or the clock went back): count on, by a random step
        milliseconds = last_ms
        random = last_random + 1 + _random.getrandbits(16)
        if random >> _RANDOM_BITS:
            milliseconds, random = milliseconds + 1, _random.getrandbits(_RANDOM_BITS - 1)
    _last = (milliseconds, random)
    return _format(milliseconds, random)


def is_uid(text: str) -> bool:
    """A UUID in the canonical lower-case form (the only form stored)."""
    return len(text) == 36 and _UID.fullmatch(text) is not None


def digest(*parts: str) -> str:
    """A 128-bit hex digest of the parts: what an index holds in place of long text."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


# A handle's letters: lower case, without the easily confused l, o, 0 and 1.
_HANDLE_LETTERS = "abcdefghijkmnpqrstuvwxyz"
_HANDLE_SYMBOLS = _HANDLE_LETTERS + "23456789"
HANDLE_LENGTH = 10  # ~50 bits: two claims of a million share one about once in 2,000 databases
MIN_HANDLE_PREFIX = 6


def handle(uid: str) -> str:
    """A claim's handle: what people type to name it, the same in every database that holds
    it (computed from its uid alone). Lower-case letters and digits, starting with a letter,
    so never read as an id; easily confused symbols left out."""
    number = int.from_bytes(hashlib.sha256(uid.encode("ascii")).digest()[:8], "big")
    number, first = divmod(number, len(_HANDLE_LETTERS))
    symbols = [_HANDLE_LETTERS[first]]
    for _ in range(HANDLE_LENGTH - 1):
        number, index = divmod(number, len(_HANDLE_SYMBOLS))
        symbols.append(_HANDLE_SYMBOLS[index])
    return "".join(symbols)


_HANDLE_PREFIX = re.compile(
    f"[{_HANDLE_LETTERS}][{_HANDLE_SYMBOLS}]{{{MIN_HANDLE_PREFIX - 1},{HANDLE_LENGTH - 1}}}"
)


def handle_prefix(text: str) -> str | None:
    """`text` as a handle or the first MIN_HANDLE_PREFIX or more characters of one (in
    lower case, as handles are), or None when it cannot be either."""
    folded = text.lower()
    return folded if _HANDLE_PREFIX.fullmatch(folded) else None
