"""No answered decision without its record, on PostgreSQL: `kill -9` in the middle of a
burst; PostgreSQL stopped for 20 s under the server while decisions keep coming (they are
answered, their records journaled and replayed once it returns); and a journal left by a
killed server replayed by the next one at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from conftest import REPO_ROOT, Instance, free_port, missing

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from audit_burst import ONE, Burst, missing_records  # noqa: E402

TOKEN = "audit-durability-token-0123456789"
CLUSTER = REPO_ROOT / "tests" / "postgres" / "cluster.sh"


def environment(database_url: str, journal: Path) -> dict:
    schema = "a_" + uuid.uuid4().hex[:16]
    url = database_url + ("&" if "?" in database_url else "?") + "schema=" + schema
    env = dict(os.environ, DATABASE_URL=url, ADMIN_TOKEN=TOKEN, LOG_LEVEL="notice", AUDIT_JOURNAL_DIR=str(journal))
    env.pop("DATABASE_PATH", None)
    return env


def test_every_answer_given_before_a_kill_has_its_record_after_the_restart(database_url, tmp_path):
    server = Instance("killed", free_port(), environment(database_url, tmp_path / "journal"), tmp_path / "server.log")
    server.start()
    with Burst("127.0.0.1", server.port, connections=32) as burst:
        time.sleep(1.5)
        server.process.kill()
        server.process.wait()
        time.sleep(0.3)
    assert burst.count() > 100, f"only {burst.count()} answers before the kill:\n{server.log.read_text()[-2000:]}"
    assert burst.refused == [], burst.refused[:5]
    server.start()
    try:
        missing_ids = missing_records(server.url, TOKEN, burst.answered)
        assert missing_ids == [], f"{len(missing_ids)} of {len(burst.answered)} answered decisions have no record: {missing_ids[:5]}"
    finally:
        server.stop()


class Cluster:
    """A PostgreSQL of this module's own, to be stopped and started under the server."""

    def __init__(self, port: int):
        self.port = str(port)

    def run(self, action: str) -> str:
        done = subprocess.run(["bash", str(CLUSTER), action, self.port], capture_output=True, text=True)
        assert done.returncode == 0, f"cluster.sh {action}: {done.stderr}"
        return done.stdout.strip()


@pytest.fixture(scope="module")
def own_cluster():
    cluster = Cluster(free_port())
    started = subprocess.run(["bash", str(CLUSTER), "start", cluster.port], capture_output=True, text=True)
    if started.returncode != 0:
        missing(f"PostgreSQL ({started.stderr.strip()})")
    cluster.url = started.stdout.strip()
    yield cluster
    cluster.run("stop")


def predict(url: str) -> str:
    import urllib.request
    request = urllib.request.Request(url + "/api/v1/predict", data=ONE, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200
        return answer.headers["X-Request-Id"]


def test_decisions_are_answered_through_a_20_s_outage_and_all_recorded_after_it(own_cluster, tmp_path):
    journal = tmp_path / "journal"
    server = Instance("outage", free_port(), environment(own_cluster.url, journal), tmp_path / "server.log")
    server.start()
    try:
        with Burst("127.0.0.1", server.port, connections=4) as burst:
            time.sleep(1)
            before = burst.count()
            own_cluster.run("pause")
            try:
                time.sleep(20)
                during = burst.count() - before
            finally:
                own_cluster.run("resume")
            time.sleep(2)
        assert burst.refused == [], burst.refused[:5]
        assert during > 20, f"only {during} answers in the 20 s without PostgreSQL"
        missing_ids = missing_records(server.url, TOKEN, burst.answered)
        assert missing_ids == [], f"{len(missing_ids)} of {len(burst.answered)} answered decisions have no record: {missing_ids[:5]}"
        assert list(journal.glob("*.journal")) == [], "the replayed journal was not removed"
        print(f"{during} answers while PostgreSQL was stopped, {len(burst.answered)} in all, every one recorded")
    finally:
        server.stop()


def test_a_journal_left_by_a_killed_server_is_replayed_at_start_up(own_cluster, tmp_path):
    journal = tmp_path / "journal"
    server = Instance("journaling", free_port(), environment(own_cluster.url, journal), tmp_path / "server.log")
    server.start()
    own_cluster.run("pause")
    try:
        answered = [predict(server.url) for _ in range(20)]
        server.process.kill()
        server.process.wait()
    finally:
        own_cluster.run("resume")
    assert len(list(journal.glob("*.journal"))) >= 1
    server.start()
    try:
        missing_ids = missing_records(server.url, TOKEN, answered)
        assert missing_ids == [], f"{len(missing_ids)} of 20 answered decisions have no record: {missing_ids[:5]}"
        assert list(journal.glob("*.journal")) == []
    finally:
        server.stop()
