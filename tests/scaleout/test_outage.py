"""A database outage is an answer, not a hang: with PostgreSQL stopped under a running
server, readiness, the pages and the admin API answer 503 at once, API decisions are still
given, and everything serves again once PostgreSQL is back, without restarting the server.

The outage needs a PostgreSQL of the test's own (stopping a shared one would fail other
suites): a throwaway cluster on a free port, paused and resumed with tests/postgres/cluster.sh."""

from __future__ import annotations

import json
import subprocess
import time

import pytest
import requests

from conftest import ADMIN_TOKEN, REPO_ROOT, Postgres, free_port, instance_options, missing

SCRIPT = REPO_ROOT / "tests" / "postgres" / "cluster.sh"
ONE = json.loads((REPO_ROOT / "examples" / "lending-club-one.json").read_text())
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
# The bound the storage layer promises for a request during an outage.
PROMPT = 1.0


@pytest.fixture(scope="module")
def own_cluster():
    port = str(free_port())
    started = subprocess.run(["bash", str(SCRIPT), "start", port], capture_output=True, text=True)
    if started.returncode != 0:
        missing(f"PostgreSQL ({started.stderr.strip()})")
    yield started.stdout.strip(), port
    subprocess.run(["bash", str(SCRIPT), "stop", port], capture_output=True)


def timed(method: str, url: str, **options) -> tuple[requests.Response, float]:
    began = time.monotonic()
    answer = requests.request(method, url, timeout=30, **options)
    return answer, time.monotonic() - began


def poll_until_ok(url: str, within: float) -> float:
    """Seconds until GET url answers 200; fails after `within`."""
    began = time.monotonic()
    last = None
    while time.monotonic() - began < within:
        last = requests.get(url, timeout=30)
        if last.status_code == 200:
            return time.monotonic() - began
        time.sleep(0.1)
    pytest.fail(f"{url} not 200 within {within} s (last {last.status_code if last else 'none'}: {last.text[:200] if last else ''})")


def test_an_outage_is_answered_at_once_and_the_server_recovers_by_itself(own_cluster, loanrisk_servers):
    url, port = own_cluster
    server = loanrisk_servers.start(name="outage", **instance_options(Postgres.new_schema(url)))
    assert requests.get(server.url + "/batches", timeout=30).status_code == 200
    pid = server.pid

    subprocess.run(["bash", str(SCRIPT), "pause", port], check=True, capture_output=True)
    try:
        # Twice each: the first learns of the outage, the second is told at once.
        for _ in range(2):
            ready, seconds = timed("GET", server.url + "/readyz")
            assert ready.status_code == 503 and seconds < PROMPT, (ready.status_code, seconds, ready.text)
            assert ready.headers["Content-Type"].startswith("text/plain")
            assert "database" in ready.text

            page, seconds = timed("GET", server.url + "/batches", headers={"Accept": "text/html"})
            assert page.status_code == 503 and seconds < PROMPT, (page.status_code, seconds)
            assert page.headers["Content-Type"].startswith("text/html")
            assert "database" in page.text

            admin, seconds = timed("GET", server.url + "/admin/v1/models", headers=ADMIN)
            assert admin.status_code == 503 and seconds < PROMPT, (admin.status_code, seconds, admin.text)
            assert admin.headers["Content-Type"].startswith("application/problem+json")
            assert admin.json()["status"] == 503

        # Decisions need no database on their way: they are still given.
        decision = requests.post(server.url + "/api/v1/predict?reasons=0", json=ONE, headers=ADMIN, timeout=30)
        assert decision.status_code == 200, decision.text[:300]
    finally:
        subprocess.run(["bash", str(SCRIPT), "resume", port], check=True, capture_output=True)

    poll_until_ok(server.url + "/readyz", within=10)
    assert requests.get(server.url + "/batches", timeout=30).status_code == 200
    assert requests.get(server.url + "/admin/v1/models", headers=ADMIN, timeout=30).status_code == 200
    assert server.running and server.pid == pid
    # No connection string (nor its password) in what the server logged meanwhile.
    assert url not in server.log()
