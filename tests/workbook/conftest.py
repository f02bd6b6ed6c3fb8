"""Fixtures for the workbook suite: the real `loanrisk serve` on a loopback port, and a
browser-like session (the CSRF cookie and the form's token) to upload through the form.

    swift build --product loanrisk
    python3 -m pip install -r tests/workbook/requirements.txt
    python3 -m pytest -q tests/workbook
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from loanrisk_fixtures import Servers  # noqa: E402
from loanrisk_server import REPO_ROOT  # noqa: E402, F401 (used by the tests)


@pytest.fixture(scope="module")
def server():
    with Servers("loanrisk-workbook-") as servers:
        yield servers.start(env={"LOG_LEVEL": "warning"})


class Browser:
    """Uploads through the form as a browser does: the session's cookie and token, multipart."""

    def __init__(self, server):
        """Signed in as its own analyst (made with the CLI) through the sign-in form."""
        self.server = server
        session = server.sign_in("wanda", server.create_user("wanda", "analyst"))
        self.cookie, self.token = session.cookie_header, session.csrf

    def upload(self, name: str, content: bytes, model: str = "lending-club") -> tuple[int, str, str]:
        """Status, page and the address it ended on (the batch's page after the redirect)."""
        boundary = "workbook-boundary"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{self.token}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n{model}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n").encode()
        body += content + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(self.server.url + "/batches", data=body, method="POST", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": self.cookie})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, response.read().decode(errors="replace"), response.geturl()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), ""

    def get(self, address: str) -> bytes:
        request = urllib.request.Request(address, headers={"Cookie": self.cookie})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
            return response.read()


@pytest.fixture(scope="module")
def browser(server):
    return Browser(server)
