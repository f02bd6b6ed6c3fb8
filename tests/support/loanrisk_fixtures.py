"""Servers for a test, a module or a session, stopped and checked at its end.

A suite's conftest builds its fixtures on `Servers`, at whatever scope it needs:

    @pytest.fixture(scope="session")
    def server():
        with Servers("loanrisk-api-") as servers:
            yield servers.start(grpc=True, env={"LOG_LEVEL": "warning"})

and any test can start servers of its own with the `loanrisk_servers` fixture (import it
into the conftest, or the test module, that uses it):

    def test_decisions_survive_kill_9(loanrisk_servers):
        server = loanrisk_servers.start()
        ...
        assert server.kill() == -9
        server.restart()                      # same port, same database

    def test_two_instances_start_together(loanrisk_servers, database_url):
        database = Postgres.new_schema(database_url)
        a, b = (loanrisk_servers.create(name=n, database=database) for n in "ab")
        a.start(wait=False); b.start(wait=False)
        assert a.readiness_problem() is None and b.readiness_problem() is None, a.log_tail() + b.log_tail()

`LoanRiskServer` (loanrisk_server.py) says what each option and method does.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from loanrisk_server import LoanRiskServer


class Servers:
    """Makes servers, each in a folder of its own under one directory (a new temporary one,
    removed at the end, unless `directory` is given), and at the end stops those still
    running. The end fails the test when a server exited by itself, did not stop within its
    stop timeout, or did not exit 0 on SIGTERM; servers the test stopped or killed are fine."""

    def __init__(self, prefix: str = "loanrisk-", directory: Path | None = None):
        self._temporary = None if directory else tempfile.TemporaryDirectory(prefix=prefix)
        self.directory = Path(directory) if directory else Path(self._temporary.name)
        self.servers: list[LoanRiskServer] = []

    def create(self, name: str | None = None, server_class: type[LoanRiskServer] = LoanRiskServer,
               **options) -> LoanRiskServer:
        """A server not yet started (`LoanRiskServer`'s options), named `server`, `server-1`, …
        unless `name` says otherwise; its folder is `directory/name`."""
        name = name or ("server" if not self.servers else f"server-{len(self.servers)}")
        assert all(s.name != name for s in self.servers), f"two servers named {name}"
        server = server_class(self.directory / name, name=name, **options)
        self.servers.append(server)
        return server

    def start(self, name: str | None = None, server_class: type[LoanRiskServer] = LoanRiskServer,
              **options) -> LoanRiskServer:
        """A server, started and ready."""
        return self.create(name, server_class, **options).start()

    def close(self) -> list[str]:
        """Stops every server; what went wrong with them."""
        problems = [problem for server in self.servers if (problem := server.close())]
        if self._temporary:
            self._temporary.cleanup()
        return problems

    def __enter__(self) -> Servers:
        return self

    def __exit__(self, kind, error, trace) -> None:
        problems = self.close()
        if problems and error is None:
            pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.fixture
def loanrisk_servers():
    """`Servers` for one test: `loanrisk_servers.start(...)`, stopped and checked after it."""
    with Servers() as servers:
        yield servers
