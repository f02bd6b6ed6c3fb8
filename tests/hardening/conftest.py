"""Fixtures for the hardening suite: the real `loanrisk serve` on a loopback port, started
with short deadlines so that slow and abusive clients are seen being closed in seconds.

    swift build --product loanrisk
    python3 -m pytest -q tests/hardening

Every fixture starts its own server, so each test's memory figures are its own. Servers come
from tests/support (`LoanRiskServer`: stop, kill(signal), restart on the same database).
"""

from __future__ import annotations

import re
import socket
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from loanrisk_fixtures import Servers, loanrisk_servers  # noqa: E402, F401 (a fixture)
from loanrisk_server import REPO_ROOT, LoanRiskServer  # noqa: E402

STOP_TIMEOUT = 15.0


class HardeningServer(LoanRiskServer):
    """A server whose spooled request bodies go to a folder of its own (`spool`), which the
    tests check is left empty, logging at info (the connection limit is logged there)."""

    def __init__(self, folder: Path, *, env: dict[str, str] | None = None, **options):
        spool = Path(folder) / "spool"
        spool.mkdir(parents=True, exist_ok=True)
        options.setdefault("stop_timeout", STOP_TIMEOUT)
        super().__init__(folder, env={"LOG_LEVEL": "info", "UPLOAD_SPOOL_DIR": str(spool), **(env or {})}, **options)
        self.spool = spool

    def browser_session(self) -> tuple[str, str]:
        """The signed-in admin's browser: its Cookie header (session and CSRF cookies) and the
        forms' CSRF token, for raw sockets and curl."""
        assert self.session_cookie and self.csrf, "the test server did not sign in"
        return self.cookie_header, self.csrf


def read_all(s: socket.socket) -> bytes:
    chunks = []
    while True:
        try:
            chunk = s.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


# Deadlines short enough to watch: heads in 2 s, bodies judged over 3 s, idle after 4 s.
SHORT_DEADLINES = {
    "HEAD_TIMEOUT_SECONDS": "2", "BODY_TIMEOUT_SECONDS": "3", "BODY_MIN_BYTES_PER_SECOND": "1024",
    "IDLE_TIMEOUT_SECONDS": "4",
}


@pytest.fixture
def server():
    with Servers("loanrisk-hardening-") as servers:
        yield servers.start(server_class=HardeningServer, env=SHORT_DEADLINES)


@pytest.fixture
def server_factory():
    """Starts servers with settings of the test's own; stops them all at the end."""
    with Servers("loanrisk-hardening-") as servers:
        yield lambda overrides: servers.start(server_class=HardeningServer, env=overrides)


def wait_until(predicate, timeout: float, step: float = 0.05) -> float | None:
    """Seconds until `predicate()` held, or None if it did not within `timeout`."""
    begin = time.monotonic()
    while time.monotonic() - begin < timeout:
        if predicate():
            return time.monotonic() - begin
        time.sleep(step)
    return None
