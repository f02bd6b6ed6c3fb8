"""Slow and abusive clients against the real server: heads and bodies that stall or
trickle are closed on time, idle keep-alive connections are closed, oversized headers are
refused, the number of connections is bounded — and ordinary requests are answered
meanwhile, with the server's memory bounded."""

from __future__ import annotations

import json
import selectors
import socket
import threading
import time
import urllib.request
from pathlib import Path

from conftest import REPO_ROOT, read_all, wait_until

APPLICANT = (REPO_ROOT / "examples" / "lending-club-one.json").read_bytes()


def key_header(server) -> bytes:
    """The server's key as a raw header line: without it the API answers 401 before reading a body."""
    return f"Authorization: {server.auth_headers['Authorization']}\r\n".encode()


def predict_ok(server) -> bool:
    request = urllib.request.Request(server.url + "/api/v1/predict", data=APPLICANT, method="POST",
                                     headers={"Content-Type": "application/json", **server.auth_headers})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status == 200 and "probability_of_default" in json.loads(response.read())


def watch_closes(sockets: list[socket.socket], timeout: float) -> tuple[list[float | None], list[bytes]]:
    """For each socket, the seconds until the server closed it (None if it did not within
    `timeout`), and what it answered before closing."""
    begin = time.monotonic()
    closed: list[float | None] = [None] * len(sockets)
    answers = [b""] * len(sockets)
    selector = selectors.DefaultSelector()
    for index, s in enumerate(sockets):
        s.setblocking(False)
        selector.register(s, selectors.EVENT_READ, index)
    open_count = len(sockets)
    while open_count and time.monotonic() - begin < timeout:
        for key, _ in selector.select(timeout=0.1):
            index = key.data
            try:
                chunk = key.fileobj.recv(65536)
            except (ConnectionResetError, BlockingIOError):
                chunk = b""
            if chunk:
                answers[index] += chunk
                continue
            closed[index] = time.monotonic() - begin
            selector.unregister(key.fileobj)
            open_count -= 1
    selector.close()
    return closed, answers


def test_stalled_bodies_are_dropped_on_time_while_others_are_answered(server):
    before = server.memory_kib("VmRSS")
    clients, started = [], []
    for _ in range(300):
        s = server.connect()
        s.sendall(b"POST /api/v1/predict HTTP/1.1\r\nHost: loanrisk\r\n" + key_header(server) + b"Content-Type: application/json\r\n"
                  b"Content-Length: 100000\r\n\r\n{")
        clients.append(s)
        started.append(time.monotonic())
    opened = time.monotonic()
    # Meanwhile the server answers as usual.
    assert predict_ok(server)
    with urllib.request.urlopen(server.url + "/healthz", timeout=5) as health:
        assert health.status == 200
    held = server.memory_kib("VmRSS")
    closed, answers = watch_closes(clients, timeout=15)
    elapsed = time.monotonic() - opened
    assert all(t is not None for t in closed), f"{sum(t is None for t in closed)} of 300 stalled bodies still open after {elapsed:.0f} s"
    # Each from the moment its own byte was sent.
    closed = [t + (opened - start) for t, start in zip(closed, started)]
    # BODY_TIMEOUT_SECONDS=3: none dropped much before the window, all soon after it.
    assert min(closed) >= 2.0 and max(closed) <= 7.0, (min(closed), max(closed))
    assert all(a.startswith(b"HTTP/1.1 408") for a in answers), answers[0][:200]
    # 300 held connections cost a few dozen kilobytes each, not their declared bodies.
    assert held - before < 64 * 1024, f"RSS grew {(held - before) / 1024:.0f} MB for 300 stalled bodies"
    assert predict_ok(server)


def test_a_stalled_upload_holds_little_memory(server):
    """Each client sends 2 MB of a declared 50 MB upload and stops: what it sent waits in a
    spool file (deleted from the folder as it is made), not in the server's memory."""
    cookie, token = server.browser_session()
    boundary = "stall-boundary"
    head = (f"POST /batches HTTP/1.1\r\nHost: loanrisk\r\nCookie: {cookie}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {50 * 1024 * 1024}\r\n\r\n").encode()
    part = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n\r\n").encode()
    chunk = b"x" * (2 * 1024 * 1024)
    before = server.memory_kib("VmRSS")
    clients = []
    for _ in range(60):
        s = server.connect()
        s.sendall(head + part + chunk)
        clients.append(s)
    # Everything sent has been received once the spool holds it; give the server a moment.
    time.sleep(1.0)
    held = server.memory_kib("VmRSS")
    assert list(server.spool.iterdir()) == [], "spool files must not be visible in the folder"
    closed, _ = watch_closes(clients, timeout=15)
    assert all(t is not None for t in closed)
    # 60 × 2 MB = 120 MB were sent; in memory each holds at most its first 256 KiB.
    assert held - before < 60 * 1024, f"RSS grew {(held - before) / 1024:.0f} MB while 60 uploads of 2 MB stalled"
    assert predict_ok(server)


def test_a_slow_head_is_answered_408(server):
    clients = []
    for _ in range(200):
        s = server.connect()
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: loan")
        clients.append(s)
    assert predict_ok(server)
    closed, answers = watch_closes(clients, timeout=10)
    assert all(t is not None for t in closed)
    # HEAD_TIMEOUT_SECONDS=2
    assert min(closed) >= 1.5 and max(closed) <= 5.0, (min(closed), max(closed))
    assert all(a.startswith(b"HTTP/1.1 408 Request Timeout") for a in answers)


def test_a_trickling_body_is_dropped_but_a_slow_honest_one_is_not(server):
    trickle = server.connect()
    trickle.sendall(b"POST /api/v1/predict HTTP/1.1\r\nHost: loanrisk\r\n" + key_header(server) + b"Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n")
    stop = threading.Event()

    def drip():
        # 4 bytes a second: never silent for a whole window, far below 1,024 bytes a second.
        while not stop.is_set():
            try:
                trickle.send(b" ")
            except OSError:
                return
            time.sleep(0.25)

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()

    # An honest slow client: 40 KB at about 8 KB/s, five seconds for one body.
    padded = APPLICANT.rstrip() + b" " * (40_000 - len(APPLICANT))
    honest = server.connect()
    honest.sendall(b"POST /api/v1/predict HTTP/1.1\r\nHost: loanrisk\r\n" + key_header(server) + b"Content-Type: application/json\r\n"
                   + f"Content-Length: {len(padded)}\r\nConnection: close\r\n\r\n".encode())
    for offset in range(0, len(padded), 2_000):
        honest.sendall(padded[offset:offset + 2_000])
        time.sleep(0.25)
    answer = read_all(honest)
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]

    closed = wait_until(lambda: not dripper.is_alive(), timeout=10)
    stop.set()
    assert closed is not None, "a body trickling at 4 bytes a second was not dropped"


def test_an_idle_keep_alive_connection_is_closed(server):
    s = server.connect()
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: loanrisk\r\n\r\n")
    s.settimeout(10)
    first = s.recv(65536)
    assert first.startswith(b"HTTP/1.1 200")
    begin = time.monotonic()
    rest = read_all(s)
    waited = time.monotonic() - begin
    assert rest == b""
    # IDLE_TIMEOUT_SECONDS=4
    assert 3.0 <= waited <= 8.0, waited


def test_headers_over_the_limit_are_refused_and_the_server_carries_on(server):
    s = server.connect()
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: loanrisk\r\nX-Padding: " + b"a" * (64 * 1024) + b"\r\n\r\n")
    answer = read_all(s)
    assert answer == b"" or answer.startswith(b"HTTP/1.1 431") or answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert not answer.startswith(b"HTTP/1.1 200")
    assert predict_ok(server)


def test_connections_beyond_the_limit_wait_and_the_limit_is_logged(server_factory):
    server = server_factory({"MAX_CONNECTIONS": "20", "IDLE_TIMEOUT_SECONDS": "30"})
    held = [server.connect() for _ in range(20)]
    # Each is accepted and counted once it has said something.
    for s in held:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: loanrisk\r\n\r\n")
        s.settimeout(5)
        assert s.recv(65536).startswith(b"HTTP/1.1 200")
    waiting = server.connect()
    waiting.sendall(b"GET /healthz HTTP/1.1\r\nHost: loanrisk\r\nConnection: close\r\n\r\n")
    waiting.settimeout(1.5)
    try:
        early = waiting.recv(65536)
    except socket.timeout:
        early = b""
    assert early == b"", "a connection beyond MAX_CONNECTIONS was served before one closed"
    assert wait_until(lambda: "connection limit reached" in server.log(), timeout=5) is not None
    for s in held[:5]:
        s.close()
    waiting.settimeout(10)
    assert read_all(waiting).startswith(b"HTTP/1.1 200")
    for s in held[5:]:
        s.close()


def test_event_loop_threads_are_as_many_as_the_setting_says(server_factory):
    server = server_factory({"EVENT_LOOP_THREADS": "3"})
    tasks = Path(f"/proc/{server.process.pid}/task")
    loops = sorted(name for name in ((t / "comm").read_text().strip() for t in tasks.iterdir()) if name.startswith("NIO-ELT-"))
    # NIO names a group's threads NIO-ELT-<group>-#<n>: one group of three serves HTTP.
    assert len(loops) == 3, loops
    assert len({name.rsplit("-#", 1)[0] for name in loops}) == 1, loops
    # Sixty connections share the three loops and are all answered.
    held = [server.connect() for _ in range(60)]
    for s in held:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: loanrisk\r\n\r\n")
    for s in held:
        s.settimeout(5)
        assert s.recv(65536).startswith(b"HTTP/1.1 200")
        s.close()


def test_an_event_loop_setting_out_of_range_stops_the_server_with_its_name(loanrisk_servers):
    server = loanrisk_servers.create(env={"EVENT_LOOP_THREADS": "0"}).start(wait=False)
    assert server.wait_exit(timeout=60) != 0
    assert "EVENT_LOOP_THREADS" in server.log(), server.log()
