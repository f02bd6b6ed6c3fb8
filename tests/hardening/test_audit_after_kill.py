"""No answered decision without its record: `kill -9` in the middle of a burst of
one-applicant decisions, then a restart on the same SQLite file; every 200 the client
received has its audit record. (The same on PostgreSQL: tests/scaleout/test_audit_durability.py.)"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from conftest import HardeningServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from audit_burst import Burst, missing_records  # noqa: E402

TOKEN = "hardening-admin-token-0123456789"


def test_every_answer_given_before_a_kill_has_its_record_after_the_restart(loanrisk_servers):
    server = loanrisk_servers.start(server_class=HardeningServer, admin_token=TOKEN, env={"LOG_LEVEL": "warning"})
    with Burst(server.host, server.port, connections=32, headers=server.auth_headers) as burst:
        time.sleep(1.5)  # into the burst, then the kill while all 32 connections are busy
        assert server.kill() == -9
        time.sleep(0.3)
    assert burst.count() > 100, f"only {burst.count()} answers before the kill:\n{server.log_tail()}"
    assert burst.refused == [], burst.refused[:5]

    server.restart()  # same port, same SQLite file
    missing = missing_records(server.url, TOKEN, burst.answered)
    assert missing == [], f"{len(missing)} of {len(burst.answered)} answered decisions have no record: {missing[:5]}"
    print(f"{len(burst.answered)} answers before the kill, every one recorded")
