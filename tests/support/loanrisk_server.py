"""The one way a pytest suite starts the real `loanrisk serve`: `LoanRiskServer`.

A server lives in a folder of its own (its log `server.log`, its SQLite file, its working
directory), listens on 127.0.0.1 on a free port, and is ready once GET /readyz answers 200.
Suites get servers from `loanrisk_fixtures.Servers` (or the `loanrisk_servers` fixture), which
stops every server it started at the end and fails the test when one died on its own or did
not exit 0 on SIGTERM.

    server = servers.start(env={"IDLE_TIMEOUT_SECONDS": "4"})         # started and ready
    server.post("/api/v1/predict", applicant).json()                   # urllib, no extra package
    server.log_tail()                                                  # the last 40 log lines

The environment a server gets: this process's environment less every server setting
(`SERVER_SETTINGS`: a PORT or DATABASE_URL in the shell never leaks in), then LOANRISK_ROOT
(the checkout), the database's variables, ADMIN_TOKEN and GRPC_PORT when asked, then `env`.
`inherit_environment=False` starts from PATH alone, as a container would.

Databases: `SQLite(path)` (the default: `loanrisk.sqlite` in the server's folder) or
`Postgres(url, schema)`; `Postgres.new_schema(url)` makes a schema no other test uses. Two
servers given the same database value share their state, as two instances of a deployment do.

Killing and restarting — always on the same port, database and environment, the log appended:

    status = server.stop()             # SIGTERM, as a platform stops it; returns the exit status (0)
    status = server.kill()             # SIGKILL (kill -9): no shutdown at all; returns -9
    server.kill(signal.SIGINT)         # any signal, waiting for the exit
    server.send_signal(signal.SIGSTOP) # a signal without waiting (SIGCONT resumes it)
    server.restart()                   # stops it if running, starts it again and waits for /readyz
    server.log_since_start()           # what only the latest start logged

A server the test stopped, killed or waited for (`wait_exit()`: one meant to refuse its
settings) is not an error at the end; one that exited by itself is.

Two instances coming up together: `start(wait=False)` on each, then `wait_ready()` on each
(or `readiness_problem()` to see why one did not, instead of failing at once).

`server.cli("models", "list")` runs the `loanrisk` command line against the same database and
environment (`input=` feeds its standard input).

Keys: before its first start a server gets an API key with every scope, made as an operator
makes one (`loanrisk keys create`, `server.api_key`); `request`, `get` and `post` send it
(`Authorization: Bearer …`) to the machine surfaces (`/api/v1`, `/v2`, `/admin/v1`,
`/openapi.json`; the admin token when there is no key) unless the call gives its own
`Authorization` or `auth=False`; `server.auth_headers` is that header for other clients
(tritonclient, gRPC metadata, Spark, raw sockets). Servers sharing a database each make their
own key, which every instance of that database accepts.

Accounts (AUTH=on, the server's default): before its first start every server gets an admin
account made by the CLI (`loanrisk users create admin --admin --password-stdin`), an ADMIN_TOKEN
and a METRICS_TOKEN; once ready it signs in through the real form (GET /sign-in for the CSRF
cookie and the form's token, POST /sign-in) and keeps the cookies. `request/get/post` then send
what each surface asks for: the session and CSRF cookies on pages, `Bearer <metrics token>` on
/metrics, `Bearer <admin token>` on /api/v1, /v2, /admin/v1 and /openapi.json — unless the test
sent its own `Authorization`/`Cookie`, or `anonymous=True` (nothing at all). Sessions live in
the database, so they outlive `restart()` and are honoured by every instance sharing it.

    server.session_cookie, server.csrf              # for raw sockets, curl, selenium, requests
    other = server.create_user("vic", "viewer")      # via the CLI; returns the password
    page = server.sign_in("vic", other)              # a PageSession: page.get("/batches")

`accounts=False` starts it with AUTH=off (loopback only), for a test that is about something
accounts would only get in the way of (none needs it yet); `admin_account=False` keeps accounts
on but makes no admin and signs nobody in (tests/scaleout's empty-database race).
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

# Every variable `loanrisk serve` reads (README's settings table, AppConfiguration): removed from
# the inherited environment so that what a test sets is all the server gets.
SERVER_SETTINGS = (
    "PORT", "HOST", "GRPC_PORT", "MODEL", "DATABASE_PATH", "DATABASE_URL", "MAX_UPLOAD_MB",
    "API_BATCH_LIMIT", "RETENTION_DAYS", "LOG_LEVEL", "LOANRISK_ROOT", "ADMIN_TOKEN", "MODELS_WATCH",
    "AUDIT_RETENTION_DAYS", "AUDIT_JOURNAL_DIR", "MONITOR_WINDOW_APPLICANTS", "MONITOR_WINDOW_HOURS",
    "MONITOR_MIN_APPLICANTS", "DRIFT_WEBHOOK_URL", "DRIFT_WEBHOOK_ATTEMPTS", "IDLE_TIMEOUT_SECONDS",
    "HEAD_TIMEOUT_SECONDS", "BODY_TIMEOUT_SECONDS", "BODY_MIN_BYTES_PER_SECOND", "MAX_CONNECTIONS",
    "MAX_HEADER_KB", "EVENT_LOOP_THREADS", "UPLOAD_SPOOL_DIR", "SHUTDOWN_DRAIN_SECONDS", "TLS_CERT_PATH", "TLS_KEY_PATH", "TRUSTED_PROXIES",
    "API_KEY_RATE_PER_MINUTE",
    "AUTH", "BCRYPT_COST", "METRICS_TOKEN",
    "SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS",
)

SESSION_COOKIE = "loanrisk_session"
SECURE_SESSION_COOKIE = "__Host-loanrisk_session"
# Paths that take a bearer token (the bootstrap admin token is an admin key there) rather than a session.
TOKEN_PATHS = ("/api", "/v2", "/admin/v1", "/openapi.json")
# bcrypt's lowest cost: the tests sign in often, and the cost is not what they test.
TEST_BCRYPT_COST = "4"

HOST = "127.0.0.1"


@functools.cache
def find_binary() -> Path:
    """`LOANRISK_BIN`, else `swift build --show-bin-path`/loanrisk, else .build/debug/loanrisk."""
    override = os.environ.get("LOANRISK_BIN")
    if override:
        path = Path(override)
        if not path.is_file():
            pytest.fail(f"LOANRISK_BIN={override} does not exist", pytrace=False)
        return path
    candidates = []
    if shutil.which("swift"):
        try:
            out = subprocess.run(
                ["swift", "build", "--show-bin-path"], cwd=REPO_ROOT,
                capture_output=True, text=True, timeout=120, check=True,
            ).stdout.strip().splitlines()
            if out:
                candidates.append(Path(out[-1]) / "loanrisk")
        except (subprocess.SubprocessError, OSError):
            pass
    candidates.append(REPO_ROOT / ".build" / "debug" / "loanrisk")
    for path in candidates:
        if path.is_file():
            return path
    pytest.fail(
        "loanrisk binary not found (looked at %s); run `swift build --product loanrisk` first or set LOANRISK_BIN"
        % ", ".join(map(str, candidates)), pytrace=False,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_ready(process: subprocess.Popen, url: str, timeout: float, context: ssl.SSLContext | None = None) -> str | None:
    """Polls GET /readyz until 200 (over HTTPS with `context`); returns why not when it gives up."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"exited with {process.returncode} before it was ready"
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2, context=context) as response:
                if response.status == 200:
                    return None
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as error:
            last = f"HTTP {error.code}"
        except (urllib.error.URLError, OSError) as error:
            last = str(error)
        time.sleep(0.1)
    return f"GET /readyz not 200 within {timeout:.0f} s (last: {last})"


@dataclass(frozen=True)
class SQLite:
    """A SQLite file (WAL mode): `DATABASE_PATH`."""
    path: Path

    def environment(self) -> dict[str, str]:
        return {"DATABASE_PATH": str(self.path)}


@dataclass(frozen=True)
class Postgres:
    """A PostgreSQL database, its tables in `schema` when given: `DATABASE_URL`. The URL holds
    a password, so it is kept out of repr (and so out of pytest's failure reports)."""
    base_url: str = field(repr=False)
    schema: str | None = None

    @classmethod
    def new_schema(cls, url: str) -> Postgres:
        """A schema of its own on `url`, created by the first server that starts on it."""
        return cls(url, "s_" + uuid.uuid4().hex[:16])

    @property
    def url(self) -> str:
        if not self.schema:
            return self.base_url
        return self.base_url + ("&" if "?" in self.base_url else "?") + "schema=" + self.schema

    def environment(self) -> dict[str, str]:
        return {"DATABASE_URL": self.url}


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    # Every Set-Cookie header ("name=value; Path=/ …"): `headers` keeps only the last.
    cookies_set: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self):
        # Python's float parsing is correctly rounded, so numbers come back bit-exact.
        return json.loads(self.body, parse_float=float)

    def __str__(self) -> str:
        return f"HTTP {self.status} {self.content_type}: {self.body[:2000].decode(errors='replace')}"


def _send(url: str, method: str, data: bytes | None, headers: dict[str, str], timeout: float,
          follow_redirects: bool, context: ssl.SSLContext | None = None) -> Response:
    """One request with urllib (over HTTPS with `context`); error statuses are returned, not raised."""
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    handlers = [urllib.request.HTTPSHandler(context=context)] if context else []
    if not follow_redirects:
        handlers.append(_NoRedirect)
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(req, timeout=timeout) as r:
            return Response(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read(),
                            r.headers.get_all("Set-Cookie") or [])
    except urllib.error.HTTPError as error:
        return Response(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read(),
                        error.headers.get_all("Set-Cookie") or [])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _encode_body(body, content_type: str | None) -> tuple[bytes | None, str | None]:
    if body is None:
        return None, content_type
    if isinstance(body, bytes):
        return body, content_type
    if isinstance(body, str):
        return body.encode(), content_type
    return json.dumps(body, allow_nan=False).encode(), content_type or "application/json"


def _has_header(headers: dict[str, str], name: str) -> bool:
    return any(k.lower() == name for k in headers)


CSRF_FIELD = re.compile(r'name="csrf" value="([0-9a-f]+)"')


class PageSession:
    """One browser's cookies on one server: signed in as `name` through the real sign-in form.
    `get/post/request` send its cookies (and nothing else) and keep the ones the server sets.
    `post_form` adds the form's CSRF token."""

    def __init__(self, server: LoanRiskServer, name: str | None = None):
        self.server = server
        self.name = name
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    @property
    def session_cookie(self) -> str | None:
        """The session token, under the cookie's plain name or, over TLS, its `__Host-` one."""
        return self.cookies.get(SESSION_COOKIE) or self.cookies.get(SECURE_SESSION_COOKIE)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def keep(self, response: Response) -> None:
        for header in response.cookies_set:
            pair = header.split(";", 1)[0]
            key, _, value = pair.partition("=")
            key = key.strip()
            expired = re.search(r"max-age=0\b", header, re.I) or not value
            if expired:
                self.cookies.pop(key, None)
            else:
                self.cookies[key] = value.strip()

    def request(self, method: str, path: str, body=None, content_type: str | None = None,
                timeout: float = 30.0, headers: dict[str, str] | None = None,
                follow_redirects: bool = True) -> Response:
        data, content_type = _encode_body(body, content_type)
        headers = dict(headers or {})
        if content_type:
            headers["Content-Type"] = content_type
        if self.cookies and not _has_header(headers, "cookie"):
            headers["Cookie"] = self.cookie_header
        response = _send(self.server.url + path, method, data, headers, timeout, follow_redirects, self.server.ssl_context)
        self.keep(response)
        return response

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, body=None, **kw) -> Response:
        return self.request("POST", path, body, **kw)

    def post_form(self, path: str, fields: dict[str, str], **kw) -> Response:
        """An urlencoded form with this session's CSRF token, as the page's form sends it."""
        body = urllib.parse.urlencode({"csrf": self.csrf, **fields})
        return self.post(path, body, content_type="application/x-www-form-urlencoded", **kw)

    def sign_in(self, name: str, password: str, next: str = "/") -> Response:
        """GET /sign-in (the CSRF cookie and the form's token), then POST the form; the 303's
        session cookie is kept. Returns the POST's answer (303 when it worked)."""
        page = self.get("/sign-in")
        assert page.status == 200, f"GET /sign-in: {page}"
        match = CSRF_FIELD.search(page.text)
        assert match, f"no csrf field on /sign-in: {page}"
        self.csrf = match.group(1)
        self.name = name
        return self.post_form("/sign-in", {"name": name, "password": password, "next": next},
                              follow_redirects=False)


# The admin's password for each admin name in this run.
_admin_passwords: dict[str, str] = {}


# Servers still running when the interpreter exits (a teardown that never ran) are killed.
_running: weakref.WeakSet[LoanRiskServer] = weakref.WeakSet()


@atexit.register
def _kill_leftovers() -> None:
    for server in list(_running):
        if server.running:
            server.process.kill()


class LoanRiskServer:
    """One `loanrisk serve` process, started and restarted on the same port, database and
    environment. See the module docstring for how to start, stop, kill and restart it."""

    def __init__(self, folder: Path, *, name: str = "server", env: dict[str, str] | None = None,
                 database: SQLite | Postgres | None = None, port: int | None = None, grpc: bool = False,
                 admin_token: str | None = None, admin_label: str | None = None, args: Sequence[str] = (),
                 inherit_environment: bool = True, ready_timeout: float = 30.0, stop_timeout: float = 10.0,
                 accounts: bool = True, metrics_token: str | None = None, admin_name: str = "admin",
                 admin_password: str | None = None, admin_account: bool = True, tls_ca: Path | None = None):
        """`folder` (made if missing) holds the log, the default SQLite file and the working
        directory. `grpc`: also serve the inference protocol over gRPC on `grpc_port`.
        `tls_ca`: the server speaks TLS (`env` sets TLS_CERT_PATH and TLS_KEY_PATH); `url` is
        https:// and requests trust this CA (PEM) alone.
        `admin_token`: the bearer token /admin/v1 accepts (a new random one unless given), as
        `admin_label:admin_token` when labelled. `args`: more `serve` options. `stop_timeout`:
        how long SIGTERM may take. `accounts`: with False, AUTH=off (no sign-in at all; loopback
        only). `metrics_token`: the bearer token of /metrics (a new random one unless given).
        `admin_name`/`admin_password`: the admin account made before the first start and
        signed in after each (a random password unless given); a second server on the same
        database finds it there and only signs in. `admin_account=False`: no account made and
        no sign-in (accounts stay on, so only the token surfaces answer): for a test whose
        premise is that the server itself meets an empty database."""
        self.name = name
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.host = HOST
        self.port = port if port is not None else free_port()
        self.grpc_port = free_port() if grpc else None
        self.admin_token = admin_token or "adm-" + secrets.token_hex(16)
        self.metrics_token = metrics_token or "met-" + secrets.token_hex(16)
        self.accounts = accounts
        self.admin_account = accounts and admin_account
        self.cli_refusal: str | None = None
        # The key this server's requests carry, made before its first start (`make_key`).
        self.api_key: str | None = None
        self.api_key_name: str | None = None
        self.admin_name = admin_name
        self.database = database or SQLite(self.folder / "loanrisk.sqlite")
        # Servers on one database share its accounts, so they share the admin's password: one
        # per admin name for the whole run, however a test names the database (`database=`, a
        # DATABASE_URL in `env`, two hosts for one PostgreSQL).
        self.admin_password = admin_password or _admin_passwords.setdefault(admin_name, "pw-" + secrets.token_urlsafe(18))
        # The signed-in admin's browser: its cookies go with every page request.
        self.session = PageSession(self, admin_name)
        self.ssl_context = ssl.create_default_context(cafile=str(tls_ca)) if tls_ca else None
        self.args = list(args)
        self.ready_timeout = ready_timeout
        self.stop_timeout = stop_timeout
        self.log_path = self.folder / "server.log"
        self.process: subprocess.Popen | None = None
        self.starts = 0
        # True once the test stopped, killed or waited for it: its exit is no failure at the end.
        self.exit_expected = False
        self._log_offset = 0

        if inherit_environment:
            environment = {k: v for k, v in os.environ.items() if k not in SERVER_SETTINGS}
        else:
            environment = {"PATH": "/usr/bin:/bin"}
        environment["LOANRISK_ROOT"] = str(REPO_ROOT)
        environment.update(self.database.environment())
        if self.grpc_port is not None:
            environment["GRPC_PORT"] = str(self.grpc_port)
        environment["ADMIN_TOKEN"] = f"{admin_label}:{self.admin_token}" if admin_label else self.admin_token
        environment["METRICS_TOKEN"] = self.metrics_token
        environment["BCRYPT_COST"] = TEST_BCRYPT_COST
        environment["AUTH"] = "on" if accounts else "off"
        environment.update(env or {})
        self.environment = environment
        if environment["AUTH"].lower() in ("off", "false", "0"):  # set in `env`: no accounts either
            self.accounts = self.admin_account = False

    def __repr__(self) -> str:
        return f"<LoanRiskServer {self.name} {self.url} pid={self.pid}>"

    # --- where it is

    @property
    def url(self) -> str:
        return f"{'https' if self.ssl_context else 'http'}://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def returncode(self) -> int | None:
        """The exit status once it exited (negative: the signal that ended it), else None."""
        return self.process.poll() if self.process else None

    # --- starting and stopping

    def start(self, wait: bool = True) -> LoanRiskServer:
        """Starts the process (it must not be running) and, unless `wait` is false, waits
        until it is ready, failing the test with its log when it is not."""
        assert not self.running, f"{self.name} is already running (pid {self.pid})"
        if self.api_key is None:
            name = f"tests-{self.name}-{uuid.uuid4().hex[:8]}"
            # Suites send bursts of thousands of requests: the tests' key has the highest rate.
            made = self.cli("keys", "create", "--name", name, "--scope", "predict", "--scope", "oip", "--scope", "grpc",
                            "--scope", "admin", "--rate-per-minute", "1000000")
            # A server meant to refuse its settings has a command line that refuses them too: no key.
            if made.returncode == 0:
                self.api_key_name, self.api_key = name, made.stdout.strip().splitlines()[-1]
        if self.admin_account and self.starts == 0:
            self.ensure_admin()
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(find_binary()), "serve", "--hostname", self.host, "--port", str(self.port), *self.args],
                cwd=self.folder, env=self.environment, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL)
        self.starts += 1
        self.exit_expected = False
        _running.add(self)
        if wait:
            self.wait_ready()
        return self

    def readiness_problem(self, timeout: float | None = None) -> str | None:
        """Waits for GET /readyz to answer 200; None when it did, else why not. Once ready, the
        admin signs in (the first time only: the session outlives restarts)."""
        assert self.process is not None, f"{self.name} was never started"
        problem = wait_ready(self.process, self.url, self.ready_timeout if timeout is None else timeout, self.ssl_context)
        if problem is None and self.admin_account and not self.session.session_cookie:
            self.sign_in_admin()
        return problem

    def wait_ready(self, timeout: float | None = None) -> LoanRiskServer:
        """As `readiness_problem`, but a server that is not ready is killed and fails the test."""
        problem = self.readiness_problem(timeout)
        if problem:
            self.exit_expected = True  # reported here, not again at the end
            if self.running:
                self.process.kill()
                self.process.wait()
            pytest.fail(f"{self.name}: {problem}:\n{self.log_tail()}", pytrace=False)
        return self

    def send_signal(self, sig: int) -> None:
        """Sends `sig` and returns at once (SIGSTOP/SIGCONT freeze and resume it)."""
        assert self.running, f"{self.name} is not running"
        self.process.send_signal(sig)

    def wait_exit(self, timeout: float | None = None) -> int:
        """Waits for the process to end (a server meant to refuse its settings, say); its exit
        status. Fails the test (and kills it) if it still runs after `timeout` (default: the
        stop timeout)."""
        assert self.process is not None, f"{self.name} was never started"
        self.exit_expected = True
        timeout = self.stop_timeout if timeout is None else timeout
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"{self.name} did not exit within {timeout:.0f} s:\n{self.log_tail()}", pytrace=False)

    def kill(self, sig: int = signal.SIGKILL, timeout: float | None = None) -> int:
        """Sends `sig` (default SIGKILL, `kill -9`: no graceful shutdown) and waits for the
        exit; returns the exit status (-9 after SIGKILL). A server already gone is left as is."""
        if self.running:
            self.process.send_signal(sig)
        return self.wait_exit(timeout)

    def stop(self, timeout: float | None = None) -> int:
        """SIGTERM, as a platform stops an instance (graceful shutdown); returns the exit status."""
        started = time.monotonic()
        status = self.kill(signal.SIGTERM, timeout)
        print(f"\n{self.name} stopped {time.monotonic() - started:.2f} s after SIGTERM, exit code {status}")
        return status

    def restart(self, wait: bool = True) -> LoanRiskServer:
        """Stops it gracefully if it runs, then starts it again: same port, database, environment."""
        if self.running:
            self.stop()
        return self.start(wait=wait)

    def close(self) -> str | None:
        """The end of a test: stops it if running. Returns what went wrong, if anything: it
        exited by itself, did not exit within the stop timeout of SIGTERM, or not with 0."""
        if self.process is None:
            return None
        if not self.running:
            if self.exit_expected:
                return None
            return f"{self.name} died during the test with {self.process.returncode}:\n{self.log_tail()}"
        self.exit_expected = True
        started = time.monotonic()
        self.process.send_signal(signal.SIGCONT)  # in case the test left it stopped
        self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(timeout=self.stop_timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return f"{self.name} did not exit within {self.stop_timeout:.0f} s of SIGTERM:\n{self.log_tail()}"
        print(f"\n{self.name} stopped {time.monotonic() - started:.2f} s after SIGTERM, exit code {status}")
        if status != 0:
            return f"{self.name} exited with {status} after SIGTERM (expected 0):\n{self.log_tail()}"
        return None

    # --- what it said

    def log(self) -> str:
        """Everything it logged, over all its starts."""
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_since_start(self) -> str:
        """What it logged since its latest start."""
        try:
            with open(self.log_path, "rb") as log:
                log.seek(self._log_offset)
                return log.read().decode(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        tail = self.log().splitlines()[-lines:]
        return "\n".join(tail) if tail else "(no log)"

    # --- talking to it

    def request(self, method: str, path: str, body=None, content_type: str | None = None,
                timeout: float = 30.0, headers: dict[str, str] | None = None, anonymous: bool = False,
                follow_redirects: bool = True, auth: bool = True) -> Response:
        """One HTTP request; `body` may be bytes, str, or anything JSON-encodable (sent as
        application/json unless `content_type` says otherwise). Error statuses are returned,
        not raised. Sends the credentials the path's surface asks for (see the module
        docstring) unless `headers` has its own `Authorization`/`Cookie` or `anonymous`;
        `auth=False` sends no `Authorization` (the session's cookies still go to pages)."""
        data, content_type = _encode_body(body, content_type)
        headers = dict(headers or {})
        if content_type:
            headers["Content-Type"] = content_type
        ours = not anonymous and not _has_header(headers, "cookie") and not self.is_token_path(path)
        if not anonymous:
            headers = self.credentials(path, headers, auth=auth)
        response = _send(self.url + path, method, data, headers, timeout, follow_redirects, self.ssl_context)
        if ours:
            self.session.keep(response)  # a cookie the server set or cleared (sign-out)
        return response

    @staticmethod
    def is_token_path(path: str) -> bool:
        path = path.split("?", 1)[0]
        return path == "/metrics" or any(path == p or path.startswith(p + "/") for p in TOKEN_PATHS)

    def make_key(self, name: str, scopes: Sequence[str] = ("predict", "oip", "grpc", "admin"), *more: str) -> str:
        """A new API key made with `loanrisk keys create` on this server's database (`more`:
        further options, e.g. "--model", "lending-club"); the key's text."""
        args = ["keys", "create", "--name", name]
        for scope in scopes:
            args += ["--scope", scope]
        done = self.cli(*args, *more)
        assert done.returncode == 0, f"loanrisk keys create failed: {done.stderr}"
        key = done.stdout.strip().splitlines()[-1]
        assert key.startswith("lr_"), "loanrisk keys create printed no key"
        return key

    @property
    def auth_headers(self) -> dict[str, str]:
        """`Authorization: Bearer <this server's key>`, for clients other than `request`."""
        assert self.api_key, f"{self.name} has no key before its first start"
        return {"Authorization": f"Bearer {self.api_key}"}

    def credentials(self, path: str, headers: dict[str, str] | None = None, auth: bool = True) -> dict[str, str]:
        """`headers` plus what `path`'s surface asks for, where the test did not say otherwise."""
        headers = dict(headers or {})
        bare = path.split("?", 1)[0]
        if auth and not _has_header(headers, "authorization"):
            if bare == "/metrics":
                headers["Authorization"] = f"Bearer {self.metrics_token}"
            elif self.is_token_path(bare):
                headers["Authorization"] = f"Bearer {self.api_key or self.admin_token}"
        if not self.is_token_path(bare) and self.session.cookies and not _has_header(headers, "cookie"):
            headers["Cookie"] = self.session.cookie_header
        return headers

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, body=None, **kw) -> Response:
        return self.request("POST", path, body, **kw)

    def connect(self, timeout: float = 10.0) -> socket.socket:
        """A raw TCP connection (Nagle off), for clients urllib cannot play."""
        s = socket.create_connection((self.host, self.port), timeout=timeout)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s

    def memory_kib(self, field: str = "VmRSS") -> int:
        """A memory figure of the running process from /proc (VmRSS, VmHWM), in KiB."""
        assert self.running, f"{self.name} is not running"
        text = Path(f"/proc/{self.pid}/status").read_text()
        match = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
        assert match, f"{field} not in /proc/{self.pid}/status"
        return int(match.group(1))

    def cli(self, *args: str, timeout: float = 120.0, input: str | None = None) -> subprocess.CompletedProcess:
        """`loanrisk <args>` with the server's environment (so its database), output captured;
        `input` is its standard input."""
        return subprocess.run([str(find_binary()), *args], cwd=self.folder, env=self.environment,
                              capture_output=True, text=True, timeout=timeout, input=input,
                              stdin=None if input is not None else subprocess.DEVNULL)

    # --- accounts

    @property
    def session_cookie(self) -> str | None:
        """The signed-in admin's session token (the `loanrisk_session` cookie's value)."""
        return self.session.session_cookie

    @property
    def csrf(self) -> str:
        """The admin session's CSRF token: the `loanrisk_csrf` cookie and the forms' hidden field."""
        return self.session.csrf

    @property
    def cookie_header(self) -> str:
        """`loanrisk_session=…; loanrisk_csrf=…`, for raw sockets and curl."""
        return self.session.cookie_header

    def create_user(self, name: str, role: str = "analyst", team: str | None = None,
                    password: str | None = None) -> str:
        """An account made with `loanrisk users create` (the team made if missing); returns its
        password (a random one unless given)."""
        password = password or "pw-" + secrets.token_urlsafe(18)
        args = ["users", "create", name, "--password-stdin"]
        args += ["--admin"] if role == "admin" else ["--role", role]
        if team:
            args += ["--team", team]
        result = self.cli(*args, input=password + "\n")
        assert result.returncode == 0, f"loanrisk users create {name}: {result.stdout}{result.stderr}"
        return password

    def ensure_admin(self) -> None:
        """The admin account, made by the CLI unless the database has it (a second instance)."""
        listed = self.cli("users", "list")
        if listed.returncode != 0:
            # Settings the server will refuse as well (a test of that): no account to make. A
            # server that starts all the same fails at sign-in, with this answer in the log.
            self.cli_refusal = (listed.stdout + listed.stderr).strip()
            return
        if any(line.split("\t")[0] == self.admin_name for line in listed.stdout.splitlines()):
            return
        self.create_user(self.admin_name, "admin", password=self.admin_password)

    def sign_in(self, name: str, password: str) -> PageSession:
        """A new browser signed in as `name` through the form; fails the test when refused."""
        session = PageSession(self, name)
        answer = session.sign_in(name, password)
        assert answer.status == 303 and session.session_cookie, f"signing in as {name}: {answer}"
        return session

    def sign_in_admin(self) -> None:
        answer = self.session.sign_in(self.admin_name, self.admin_password)
        if answer.status != 303 or not self.session.session_cookie:
            self.exit_expected = True
            refused = f"\n(loanrisk users list refused: {self.cli_refusal})" if self.cli_refusal else ""
            pytest.fail(f"{self.name}: signing in as {self.admin_name}: {answer}{refused}\n{self.log_tail()}", pytrace=False)
