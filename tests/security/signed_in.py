"""A signed-in browser, as plain urllib: an account made with `loanrisk users create`, the
sign-in form (its CSRF cookie and hidden field), the session cookie it answers with, and an
upload as that account. Kept here, not in tests/support, so this suite does not depend on
how the shared server helper signs in.
"""

from __future__ import annotations

import re
import secrets
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from loanrisk_server import LoanRiskServer, find_binary

CSRF_COOKIE = "loanrisk_csrf"
SESSION_COOKIE = "loanrisk_session"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects come back as answers (an HTTPError with their status), never followed."""

    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, list[str]]
    body: str

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[-1] if values else None

    def cookie(self, name: str) -> str | None:
        for value in self.headers.get("set-cookie", []):
            match = re.match(rf"{re.escape(name)}=([^;]*)", value)
            if match:
                return match.group(1)
        return None


def send(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> Answer:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data is not None else "GET")
    try:
        response = OPENER.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        collected: dict[str, list[str]] = {}
        for name, value in response.headers.items():
            collected.setdefault(name.lower(), []).append(value)
        return Answer(response.getcode(), collected, response.read().decode(errors="replace"))


def form_token(page: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
    assert match, "no CSRF field in the page:\n" + page[:2000]
    return match.group(1)


@dataclass(frozen=True)
class Session:
    """A signed-in browser: its cookies and the form token that matches its CSRF cookie."""
    name: str
    password: str
    csrf: str
    session: str

    @property
    def cookie_header(self) -> str:
        return f"{CSRF_COOKIE}={self.csrf}; {SESSION_COOKIE}={self.session}"


def create_account(server: LoanRiskServer, role: str = "admin") -> tuple[str, str]:
    """A new account (name, password) in the server's database, made by the CLI; the password
    goes through standard input, as the command asks."""
    name = "sqlmap-" + uuid.uuid4().hex[:8]
    password = secrets.token_urlsafe(18)
    result = subprocess.run(
        [str(find_binary()), "users", "create", name, "--role", role, "--password-stdin"],
        input=password + "\n", cwd=server.folder, env=server.environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"loanrisk users create failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return name, password


def csrf_cookie(server: LoanRiskServer) -> tuple[str, str]:
    """A fresh browser's CSRF cookie and the sign-in form's token (the same value)."""
    page = send(server.url + "/sign-in")
    assert page.status == 200, f"GET /sign-in: {page.status}"
    cookie = page.cookie(CSRF_COOKIE)
    assert cookie, f"GET /sign-in set no {CSRF_COOKIE} cookie: {page.headers}"
    return cookie, form_token(page.body)


def sign_in(server: LoanRiskServer, name: str, password: str) -> Session:
    csrf, token = csrf_cookie(server)
    form = urllib.parse.urlencode({"csrf": token, "next": "/", "name": name, "password": password}).encode()
    answer = send(server.url + "/sign-in", data=form, headers={
        "Cookie": f"{CSRF_COOKIE}={csrf}", "Content-Type": "application/x-www-form-urlencoded"})
    session = answer.cookie(SESSION_COOKIE)
    assert answer.status == 303 and session, f"sign-in as {name}: HTTP {answer.status}\n{answer.body[:2000]}"
    return Session(name, password, csrf, session)


def upload(server: LoanRiskServer, session: Session, csv: Path) -> str:
    """Uploads `csv` as `session`'s account with the default model; the new batch's id."""
    boundary = "sqlmap" + uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{session.csrf}\r\n'.encode(),
        (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{csv.name}"\r\n'
         "Content-Type: text/csv\r\n\r\n").encode() + csv.read_bytes() + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    answer = send(server.url + "/batches", data=b"".join(parts), headers={
        "Cookie": session.cookie_header, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    location = answer.header("location") or ""
    match = re.fullmatch(r"/batches/([A-Za-z0-9_-]+)", location)
    assert answer.status == 303 and match, f"upload: HTTP {answer.status} to {location!r}\n{answer.body[:2000]}"
    return match.group(1)
