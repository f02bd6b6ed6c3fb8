"""What the durable-audit tests share: a burst of one-applicant decisions on many kept-alive
connections, keeping each answered request's `X-Request-Id`, and the audit log read back
through the admin API."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
ONE = (REPO_ROOT / "examples" / "lending-club-one.json").read_bytes()


class Burst:
    """`connections` threads POSTing `/api/v1/predict` (one applicant) until `stop()`.
    `answered`: the request ids of the 200s; `refused`: other statuses; a connection the
    server drops (killed) is not counted: nothing was answered on it."""

    def __init__(self, host: str, port: int, connections: int = 32, headers: dict[str, str] | None = None):
        self.host, self.port = host, port
        # The key the requests carry (`server.auth_headers`).
        self.headers = {"Content-Type": "application/json", **(headers or {})}
        self.answered: list[str] = []
        self.refused: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(connections)]

    def __enter__(self) -> "Burst":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def count(self) -> int:
        with self._lock:
            return len(self.answered)

    def _run(self) -> None:
        connection = None
        while not self._stop.is_set():
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
                connection.request("POST", "/api/v1/predict", body=ONE, headers=self.headers)
                answer = connection.getresponse()
                body = answer.read()
                with self._lock:
                    if answer.status == 200:
                        self.answered.append(answer.getheader("X-Request-Id"))
                    else:
                        self.refused.append(f"HTTP {answer.status}: {body[:200]!r}")
            except (OSError, http.client.HTTPException):
                if connection is not None:
                    connection.close()
                connection = None
                time.sleep(0.05)
        if connection is not None:
            connection.close()


def audit_request_ids(url: str, token: str) -> list[str]:
    """Every API record's request id in the audit log (one per applicant, so one per request here)."""
    request = urllib.request.Request(url + "/admin/v1/audit?format=ndjson", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        return [json.loads(line)["request_id"] for line in answer.read().splitlines() if line.strip()]


def missing_records(url: str, token: str, answered: list[str], patience: float = 120.0) -> list[str]:
    """The answered request ids with no record, once the log holds them all or `patience`
    has passed (records journaled while the database could not take them are replayed
    within seconds of its return). Fails on a record written twice."""
    deadline = time.monotonic() + patience
    while True:
        ids = audit_request_ids(url, token)
        missing = sorted(set(answered) - set(ids))
        if not missing or time.monotonic() > deadline:
            duplicated = len(ids) - len(set(ids))
            assert duplicated == 0, f"{duplicated} records written twice"
            return missing
        time.sleep(0.5)
