"""Two `loanrisk serve` instances on one PostgreSQL, behind Debian's haproxy, all on loopback.

    apt-get install postgresql haproxy
    swift build --product loanrisk
    python3 -m pytest -q tests/scaleout

Environment:
  LOANRISK_SCALEOUT_DATABASE_URL  a PostgreSQL to use (default: a throwaway cluster started
                                  with tests/postgres/cluster.sh on port 55433)
  LOANRISK_SCALEOUT_REQUIRED=1    fail, never skip, when haproxy or PostgreSQL is missing (CI)
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from loanrisk_server import find_binary, free_port, wait_ready  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
ADMIN_TOKEN = "scaleout-admin-token-0123456789"
CLUSTER_PORT = "55433"


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


def fresh_schema(database_url: str) -> str:
    """The URL with `?schema=` naming a schema of its own: an empty database for the test."""
    schema = "s_" + uuid.uuid4().hex[:16]
    return database_url + ("&" if "?" in database_url else "?") + "schema=" + schema


def instance_environment(url: str) -> dict:
    environment = dict(os.environ, DATABASE_URL=url, ADMIN_TOKEN=ADMIN_TOKEN, LOG_LEVEL="warning")
    environment.pop("DATABASE_PATH", None)
    return environment


@dataclass
class Instance:
    """One `loanrisk serve` process."""
    name: str
    port: int
    environment: dict
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.launch()
        self.wait_until_ready()

    def launch(self) -> None:
        """Starts the process without waiting for it (instances started at the same moment)."""
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(find_binary()), "serve", "--hostname", "127.0.0.1", "--port", str(self.port), "--root", str(REPO_ROOT)],
                env=self.environment, stdout=log, stderr=subprocess.STDOUT,
            )

    def wait_until_ready(self) -> None:
        assert self.process is not None
        why = wait_ready(self.process, self.url, 60)
        if why:
            pytest.fail(f"instance {self.name}: {why}\n{self.log.read_text()[-3000:]}", pytrace=False)

    def terminate(self) -> int:
        """SIGTERM, as a platform stops an instance; returns its exit status."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


@dataclass
class Cluster:
    a: Instance
    b: Instance
    balancer: str
    database_url: str
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
    haproxy = shutil.which("haproxy")
    if not haproxy:
        missing("haproxy")
    folder = tmp_path_factory.mktemp("scaleout")
    url = fresh_schema(database_url)
    environment = instance_environment(url)
    a = Instance("a", free_port(), environment, folder / "a.log")
    b = Instance("b", free_port(), environment, folder / "b.log")
    a.start()
    b.start()
    port = free_port()
    config = folder / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(port=port, a=a.port, b=b.port))
    balancer = subprocess.Popen([haproxy, "-f", str(config), "-db"], stdout=open(folder / "haproxy.log", "wb"), stderr=subprocess.STDOUT)
    balancer_url = f"http://127.0.0.1:{port}"
    why = wait_ready(balancer, balancer_url, 30)
    if why:
        pytest.fail(f"haproxy: {why}\n{(folder / 'haproxy.log').read_text()[-2000:]}", pytrace=False)
    yield Cluster(a=a, b=b, balancer=balancer_url, database_url=url, haproxy=balancer)
    balancer.terminate()
    balancer.wait(timeout=10)
    a.stop()
    b.stop()
