"""Fixtures for the security suite: the real `loanrisk serve` on a loopback port, on SQLite and
(when a PostgreSQL is at hand) on PostgreSQL, with an admin account made by the CLI, signed in
through the sign-in form, and one batch (the Lending Club sample) uploaded as that account.

    swift build --product loanrisk
    python3 -m pytest -q tests/security
    LOANRISK_TEST_DATABASE_URL=postgres://… python3 -m pytest -q tests/security   # PostgreSQL too

PostgreSQL: `LOANRISK_TEST_DATABASE_URL` (a schema of its own is made on it); without it the
PostgreSQL cases are skipped, unless `LOANRISK_SECURITY_REQUIRED=1` (CI), which fails them, as
it fails the suite when Debian's `sqlmap` is missing.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from loanrisk_fixtures import Servers  # noqa: E402
from loanrisk_server import REPO_ROOT, LoanRiskServer, Postgres  # noqa: E402

from signed_in import Session, create_account, sign_in, upload  # noqa: E402
from sqlmap_run import sqlmap_binary  # noqa: E402

REQUIRED = os.environ.get("LOANRISK_SECURITY_REQUIRED") == "1"
SAMPLE = REPO_ROOT / "Data" / "samples" / "lending-club-sample.csv"


@dataclass(frozen=True)
class Target:
    """A running server, its engine, a signed-in account and a batch it uploaded."""
    server: LoanRiskServer
    engine: str
    session: Session
    batch: str


@pytest.fixture(scope="session", autouse=True)
def _sqlmap_installed():
    if sqlmap_binary() is None:
        message = "Debian's sqlmap is not installed (apt-get install sqlmap)"
        if REQUIRED:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def database_for(engine: str):
    if engine == "sqlite":
        return None  # the server's own SQLite file
    url = os.environ.get("LOANRISK_TEST_DATABASE_URL")
    if not url:
        message = "no PostgreSQL: set LOANRISK_TEST_DATABASE_URL (tests/postgres/cluster.sh start PORT prints one)"
        if REQUIRED:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return Postgres.new_schema(url)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def target(request):
    """One server per engine for the module's tests, logging at info."""
    database = database_for(request.param)
    with Servers(f"loanrisk-security-{request.param}-") as servers:
        server = servers.start(database=database, env={"METRICS_TOKEN": "off", "LOG_LEVEL": "info"})
        name, password = create_account(server)
        session = sign_in(server, name, password)
        yield Target(server, request.param, session, upload(server, session, SAMPLE))
