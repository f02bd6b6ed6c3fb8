"""Two `loanrisk serve` instances on one PostgreSQL, behind Debian's haproxy, all on loopback.

    apt-get install postgresql haproxy
    swift build --product loanrisk
    python3 -m pytest -q tests/scaleout

Environment:
  LOANRISK_SCALEOUT_DATABASE_URL  a PostgreSQL to use (default: a throwaway cluster started
                                  with tests/postgres/cluster.sh on port 55433)
  LOANRISK_SCALEOUT_REQUIRED=1    fail, never skip, when haproxy or PostgreSQL is missing (CI)

A test wanting instances of its own (two starting at once, one outliving an outage) takes
`loanrisk_servers` and starts them with `instance_options(Postgres.new_schema(database_url))`;
tests/support/loanrisk_server.py says how to stop, kill and restart them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from loanrisk_fixtures import Servers, loanrisk_servers  # noqa: E402, F401 (a fixture)
from loanrisk_server import REPO_ROOT, LoanRiskServer, Postgres, free_port, wait_ready  # noqa: E402

ADMIN_TOKEN = "scaleout-admin-token-0123456789"
CLUSTER_PORT = "55433"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@dataclass
class Browser:
    """A browser signed in through the sign-in form: its cookies (session and CSRF) and the
    forms' token. requests keeps cookies per host, not per port, so the same session goes to
    every instance on 127.0.0.1, as one behind a balancer would."""
    session: requests.Session
    csrf: str


def sign_in(base: str, name: str, password: str) -> Browser:
    session = requests.Session()
    page = session.get(base + "/sign-in", timeout=30)
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)
    answer = session.post(base + "/sign-in", data={"csrf": csrf, "name": name, "password": password, "next": "/"},
                          allow_redirects=False, timeout=30)
    assert answer.status_code == 303 and session.cookies.get("loanrisk_session"), answer.text[:500]
    return Browser(session, csrf)


def missing(what: str) -> None:
    message = f"{what} is missing: apt-get install postgresql haproxy"
    if os.environ.get("LOANRISK_SCALEOUT_REQUIRED") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def database_url():
    """A PostgreSQL server; each test module gets a schema of its own on it."""
    given = os.environ.get("LOANRISK_SCALEOUT_DATABASE_URL")
    if given:
        yield given
        return
    script = REPO_ROOT / "tests" / "postgres" / "cluster.sh"
    started = subprocess.run(["bash", str(script), "start", CLUSTER_PORT], capture_output=True, text=True)
    if started.returncode != 0:
        missing(f"PostgreSQL ({started.stderr.strip()})")
    yield started.stdout.strip()
    subprocess.run(["bash", str(script), "stop", CLUSTER_PORT], capture_output=True)


def instance_options(database: Postgres) -> dict:
    """How every instance here is started (`Servers.start(name, **instance_options(db))`):
    on `database`, /admin/v1 open to ADMIN_TOKEN, logging warnings, a minute to get ready, and
    a one-second drain on SIGTERM (readiness 503 while it still serves), which haproxy's 250 ms
    health check needs to take an instance out before it closes its connections."""
    return dict(database=database, admin_token=ADMIN_TOKEN, env={"LOG_LEVEL": "warning", "SHUTDOWN_DRAIN_SECONDS": "1"},
                ready_timeout=60.0, stop_timeout=30.0)


@dataclass
class Cluster:
    a: LoanRiskServer
    b: LoanRiskServer
    balancer: str
    database: Postgres
    haproxy: subprocess.Popen


HAPROXY_CONFIG = """
global
    maxconn 2000

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # An instance that stops: its requests go to the other one.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout

frontend loanrisk
    bind 127.0.0.1:{port}
    default_backend instances

backend instances
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 250ms fall 1 rise 2
    server a 127.0.0.1:{a} check
    server b 127.0.0.1:{b} check
"""


@pytest.fixture(scope="module")
def cluster(database_url, tmp_path_factory):
    """Instances a and b on a schema of their own, behind haproxy (round robin, /readyz checks)."""
    haproxy = shutil.which("haproxy")
    if not haproxy:
        missing("haproxy")
    folder = tmp_path_factory.mktemp("scaleout")
    database = Postgres.new_schema(database_url)
    with Servers(directory=folder) as servers:
        a = servers.start("a", **instance_options(database))
        b = servers.start("b", **instance_options(database))
        port = free_port()
        config = folder / "haproxy.cfg"
        config.write_text(HAPROXY_CONFIG.format(port=port, a=a.port, b=b.port))
        balancer = subprocess.Popen([haproxy, "-f", str(config), "-db"], stdout=open(folder / "haproxy.log", "wb"), stderr=subprocess.STDOUT)
        balancer_url = f"http://127.0.0.1:{port}"
        why = wait_ready(balancer, balancer_url, 30)
        if why:
            balancer.kill()
            pytest.fail(f"haproxy: {why}\n{(folder / 'haproxy.log').read_text()[-2000:]}", pytrace=False)
        yield Cluster(a=a, b=b, balancer=balancer_url, database=database, haproxy=balancer)
        balancer.terminate()
        balancer.wait(timeout=10)
