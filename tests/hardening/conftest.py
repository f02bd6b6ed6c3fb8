"""Fixtures for the hardening suite: the real `loanrisk serve` on a loopback port, started
with short deadlines so that slow and abusive clients are seen being closed in seconds.

    swift build --product loanrisk
    python3 -m pytest -q tests/hardening

Every fixture starts its own server, so each test's memory figures are its own.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import sys
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from loanrisk_server import find_binary, free_port, wait_ready  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Server:
    host: str
    port: int
    process: subprocess.Popen
    log_path: Path
    spool: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def status(self, field: str) -> int:
        """A memory figure of the server process from /proc (VmRSS, VmHWM), in KiB."""
        text = Path(f"/proc/{self.process.pid}/status").read_text()
        match = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
        assert match, f"{field} not in /proc/{self.process.pid}/status"
        return int(match.group(1))

    def connect(self, timeout: float = 10.0) -> socket.socket:
        s = socket.create_connection((self.host, self.port), timeout=timeout)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s

    def session_cookie(self) -> tuple[str, str]:
        """A browser session: the CSRF cookie and the form's token, from GET /."""
        s = self.connect()
        s.sendall(f"GET / HTTP/1.1\r\nHost: {self.host}\r\nConnection: close\r\n\r\n".encode())
        answer = read_all(s)
        s.close()
        head, _, body = answer.partition(b"\r\n\r\n")
        cookie = re.search(rb"set-cookie: (loanrisk_csrf=[0-9a-f]+)", head, re.I)
        token = re.search(rb'name="csrf" value="([0-9a-f]+)"', body)
        assert cookie and token, head.decode(errors="replace")
        return cookie.group(1).decode(), token.group(1).decode()


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


def start(env_overrides: dict[str, str], tmp: Path) -> Server:
    binary = find_binary()
    port = free_port()
    spool = tmp / "spool"
    spool.mkdir()
    env = dict(os.environ)
    for name in ("MODEL", "PORT", "HOST", "MAX_UPLOAD_MB", "DATABASE_URL"):
        env.pop(name, None)
    env.update({
        "LOANRISK_ROOT": str(REPO_ROOT), "DATABASE_PATH": str(tmp / "loanrisk.sqlite"), "LOG_LEVEL": "info",
        "UPLOAD_SPOOL_DIR": str(spool),
    })
    env.update(env_overrides)
    log_path = tmp / "server.log"
    log = open(log_path, "wb")
    process = subprocess.Popen(
        [str(binary), "serve", "--hostname", "127.0.0.1", "--port", str(port)],
        cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = Server("127.0.0.1", port, process, log_path, spool)
    problem = wait_ready(process, server.url, 30.0)
    if problem:
        process.kill()
        pytest.fail(f"{problem}:\n{server.log()[-4000:]}", pytrace=False)
    return server


def stop(server: Server) -> None:
    assert server.process.poll() is None, f"server died during the test:\n{server.log()[-4000:]}"
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
        pytest.fail("server did not stop within 15 s of SIGTERM", pytrace=False)


# Deadlines short enough to watch: heads in 2 s, bodies judged over 3 s, idle after 4 s.
SHORT_DEADLINES = {
    "HEAD_TIMEOUT_SECONDS": "2", "BODY_TIMEOUT_SECONDS": "3", "BODY_MIN_BYTES_PER_SECOND": "1024",
    "IDLE_TIMEOUT_SECONDS": "4",
}


@pytest.fixture
def server():
    with tempfile.TemporaryDirectory(prefix="loanrisk-hardening-") as tmp:
        srv = start(SHORT_DEADLINES, Path(tmp))
        yield srv
        stop(srv)


@pytest.fixture
def server_factory():
    """Starts servers with settings of the test's own; stops them all at the end."""
    started: list[Server] = []
    with tempfile.TemporaryDirectory(prefix="loanrisk-hardening-") as tmp:
        def make(overrides: dict[str, str]) -> Server:
            folder = Path(tmp) / f"server-{len(started)}"
            folder.mkdir()
            srv = start(overrides, folder)
            started.append(srv)
            return srv
        yield make
        for srv in started:
            stop(srv)


def wait_until(predicate, timeout: float, step: float = 0.05) -> float | None:
    """Seconds until `predicate()` held, or None if it did not within `timeout`."""
    begin = time.monotonic()
    while time.monotonic() - begin < timeout:
        if predicate():
            return time.monotonic() - begin
        time.sleep(step)
    return None
