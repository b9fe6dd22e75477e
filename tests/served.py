"""A real `tracker serve` process on 127.0.0.1 (a free port) for the team page's tests,
and a plain HTTP client for it (any method, no redirects followed, no exception on an
error status)."""

from __future__ import annotations

import http.client
import os
import re
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

START_TIMEOUT = 60  # seconds for a server to say where it listens (a loaded CI machine)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class Served:
    """`tracker --db URL serve --port 0 ARGS...`, started and waiting for requests."""

    def __init__(self, db: str, *args: str, env: dict[str, str] | None = None):
        command = [sys.executable, "-m", "tracker", "--db", db, "serve", "--port", "0", *args]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, **(env or {})},
        )  # fmt: skip
        self.first_line = self._first_line()
        found = re.search(r"(http://\S+/) ", self.first_line)
        if found is None:
            self.stop()
            raise AssertionError(f"no address in {self.first_line!r}: {self.stderr}")
        self.url = found.group(1)
        parts = urlsplit(self.url)
        self.host, self.port = parts.hostname or "", parts.port or 80
        self.stderr = ""

    def _first_line(self) -> str:
        assert self.process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout=START_TIMEOUT):
                self.process.kill()
                raise AssertionError("tracker serve did not start in time")
        line = self.process.stdout.readline()
        if not line:  # it ended: say why
            self.stop()
            raise AssertionError(f"tracker serve ended: {self.stderr}")
        return line

    def request(
        self, path: str, method: str = "GET", headers: dict[str, str] | None = None,
        host: str | None = None,
    ) -> Reply:  # fmt: skip
        connection = http.client.HTTPConnection(host or self.host, self.port, timeout=60)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            body = response.read()
            found = {name.lower(): value for name, value in response.getheaders()}
            return Reply(response.status, found, body)
        finally:
            connection.close()

    def get(self, path: str, **headers: str) -> Reply:
        return self.request(path, headers={k.replace("_", "-"): v for k, v in headers.items()})

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, str, str]:
        """Stop it (SIGTERM, or SIGINT as Ctrl-C sends): its exit status, output and errors."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            out, err = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
        self.stderr = err
        return self.process.returncode, out, err


def wait_for(condition, timeout: float = 20.0, every: float = 0.2):  # type: ignore[no-untyped-def]
    """Poll `condition` until it returns something true (returned), or fail."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(every)
