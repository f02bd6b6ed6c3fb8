"""`DATABASE_URL` with `sslmode=verify-full` / `verify-ca` and `sslrootcert=PATH`, against a
throwaway PostgreSQL (tests/postgres/cluster.sh) serving a certificate this run's CA signed for
`localhost` only: verify-full connects by that name and refuses the bare address; verify-ca
accepts the address; a root that did not sign the server's certificate is refused — the start
stops at once saying why — and so does a root file that cannot be read."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO_ROOT

CLUSTER = REPO_ROOT / "tests" / "postgres" / "cluster.sh"
PORT = int(os.environ.get("LOANRISK_TLS_PG_PORT", "55441"))


@pytest.fixture(scope="module")
def cluster(certificates):
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.fail("PostgreSQL is not installed (apt-get install postgresql)", pytrace=False)
    env = {**os.environ, "LOANRISK_PG_SSL_CERT": str(certificates.db_cert), "LOANRISK_PG_SSL_KEY": str(certificates.db_key)}
    subprocess.run(["bash", str(CLUSTER), "stop", str(PORT)], check=False, capture_output=True)
    subprocess.run(["bash", str(CLUSTER), "start", str(PORT)], env=env, check=True, capture_output=True, text=True)
    yield PORT
    subprocess.run(["bash", str(CLUSTER), "stop", str(PORT)], check=False, capture_output=True)


def url(host: str, mode: str, root: Path | str) -> str:
    return f"postgres://loanrisk@{host}:{PORT}/loanrisk?sslmode={mode}&sslrootcert={root}"


def tls_connections() -> int:
    """How many of the loanrisk role's connections use TLS, as PostgreSQL sees them."""
    psql = sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"))[-1]
    query = "SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE ssl AND usename = 'loanrisk'"
    out = subprocess.run([str(psql), "-h", "127.0.0.1", "-p", str(PORT), "-U", "postgres", "-tAc", query, "postgres"],
                         capture_output=True, text=True, check=True).stdout
    return int(out.strip())


@pytest.mark.parametrize("host, mode", [("localhost", "verify-full"), ("127.0.0.1", "verify-ca")])
def test_a_verified_connection_serves(loanrisk_servers, certificates, cluster, host, mode):
    server = loanrisk_servers.start(env={"DATABASE_URL": url(host, mode, certificates.ca)}, ready_timeout=60)
    assert server.get("/readyz").status == 200
    assert tls_connections() > 0


@pytest.mark.parametrize("host, mode, root, why", [
    ("127.0.0.1", "verify-full", "ca", "does not name the host"),
    ("localhost", "verify-full", "stranger", "does not chain to sslrootcert"),
    ("127.0.0.1", "verify-ca", "stranger", "does not chain to sslrootcert"),
])
def test_an_unverifiable_server_stops_the_start_saying_why(loanrisk_servers, certificates, cluster, host, mode, root, why):
    root_file = certificates.ca if root == "ca" else certificates.stranger_ca
    server = loanrisk_servers.create(env={"DATABASE_URL": url(host, mode, root_file)})
    server.start(wait=False)
    assert server.wait_exit(timeout=30) != 0
    log = server.log()
    assert "asks to verify the server's certificate, and it was refused" in log and why in log, log[-2000:]
    assert "postgres://" not in log


def test_an_unreadable_root_file_stops_the_server(loanrisk_servers, cluster):
    server = loanrisk_servers.create(env={"DATABASE_URL": url("localhost", "verify-full", "/nonexistent/root.pem")})
    server.start(wait=False)
    assert server.wait_exit(timeout=30) != 0
    assert "sslrootcert=/nonexistent/root.pem, which cannot be read" in server.log()
