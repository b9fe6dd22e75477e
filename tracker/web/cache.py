"""Pages already rendered, by address and ETag: every reader of an unchanged history gets
the bytes the first one's request rendered.

A change to the history brings every open page back for the new one within seconds:
without this, each of them would render the same report again. An entry is kept only
under the ETag it was rendered for, and the ETag changes exactly when a page can (see
tracker.web.app), so a cached page is never stale. Bounded in bytes: the least
recently asked for go first, and a page larger than a share of the bound is not kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

MAX_BYTES = 32 * 1024 * 1024
MAX_SHARE = 8  # a page may take at most this fraction of the bound


class PageCache:
    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self._pages: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, address: str, etag: str) -> bytes | None:
        with self._lock:
            found = self._pages.get(address)
            if found is None or found[0] != etag:
                return None
            self._pages.move_to_end(address)
            return found[1]

    def put(self, address: str, etag: str, body: bytes) -> None:
        if len(body) > self.max_bytes // MAX_SHARE:
            return
        with self._lock:
            old = self._pages.pop(address, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._pages[address] = (etag, body)
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                _, (_, dropped) = self._pages.popitem(last=False)
                self._bytes -= len(dropped)
