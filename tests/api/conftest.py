"""Fixtures for the API suites: the real `loanrisk serve` on a free loopback port.

    pip install -r tests/api/requirements.txt
    swift build --product loanrisk
    python3 -m pytest -q tests/api

Environment:
  LOANRISK_BIN   path to the loanrisk binary (default: `swift build --show-bin-path`/loanrisk)

Nothing here skips: a missing package or binary fails the test that needs it, naming what to
install, so a run cannot go green without exercising the server.
"""

from __future__ import annotations

import csv
import importlib
import json
import secrets
import os
import signal
import subprocess
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

import sys
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from loanrisk_server import find_binary, free_port, wait_ready  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
MODELS = REPO_ROOT / "Data" / "models"
SAMPLES = REPO_ROOT / "Data" / "samples"
DEFAULT_MODEL = "lending-club"
REQUIREMENTS = "tests/api/requirements.txt"

READY_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


def require(module: str, package: str | None = None):
    """Imports `module` or fails (never skips) naming the PyPI package to install."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        pytest.fail(f"Python package '{package or module}' is missing ({error}); "
                    f"install the suite's packages: python3 -m pip install -r {REQUIREMENTS}", pytrace=False)






@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self):
        # Python's float parsing is correctly rounded, so numbers come back bit-exact.
        return json.loads(self.body, parse_float=float)

    def __str__(self) -> str:
        return f"HTTP {self.status} {self.content_type}: {self.body[:2000].decode(errors='replace')}"


@dataclass
class Server:
    url: str
    host: str
    port: int
    process: subprocess.Popen
    log_path: Path
    # The KServe v2 gRPC inference port (GRPC_PORT) of the same server.
    grpc_port: int
    # A bearer token the server's /admin/v1 accepts (ADMIN_TOKEN, made for this session).
    admin_token: str

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def request(self, method: str, path: str, body=None, content_type: str | None = None,
                timeout: float = 30.0, headers: dict[str, str] | None = None) -> Response:
        """One HTTP request; `body` may be bytes, str, or anything JSON-encodable (sent as
        application/json unless `content_type` says otherwise). Error statuses are returned,
        not raised."""
        data = None
        headers = dict(headers or {})
        if body is not None:
            if isinstance(body, bytes):
                data = body
            elif isinstance(body, str):
                data = body.encode()
            else:
                data = json.dumps(body, allow_nan=False).encode()
                content_type = content_type or "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return Response(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, body=None, **kw) -> Response:
        return self.request("POST", path, body, **kw)




@pytest.fixture(scope="session")
def server():
    """The real server (default model lending-club) on 127.0.0.1:<free port>, its gRPC
    inference protocol on another free port, stopped with
    SIGTERM at the end of the session; it must exit 0 within STOP_TIMEOUT."""
    binary = find_binary()
    with tempfile.TemporaryDirectory(prefix="loanrisk-api-") as tmp:
        work = Path(tmp)
        port = free_port()
        grpc_port = free_port()
        env = dict(os.environ)
        env["LOANRISK_ROOT"] = str(REPO_ROOT)
        env["DATABASE_PATH"] = str(work / "loanrisk.sqlite")
        env["LOG_LEVEL"] = "warning"
        for name in ("MODEL", "PORT", "HOST", "API_BATCH_LIMIT", "MAX_UPLOAD_MB"):
            env.pop(name, None)
        env["GRPC_PORT"] = str(grpc_port)
        admin_token = secrets.token_hex(16)
        env["ADMIN_TOKEN"] = f"api-tests:{admin_token}"
        log_path = work / "server.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [str(binary), "serve", "--hostname", "127.0.0.1", "--port", str(port)],
                cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            srv = Server(f"http://127.0.0.1:{port}", "127.0.0.1", port, process, log_path, grpc_port, admin_token)
            problem = wait_ready(srv.process, srv.url, READY_TIMEOUT)
            if problem:
                if process.poll() is None:
                    process.kill()
                    process.wait()
                pytest.fail(f"{problem}:\n{srv.log_tail()}", pytrace=False)

            yield srv

            assert process.poll() is None, f"server died during the tests with {process.returncode}:\n{srv.log_tail()}"
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                pytest.fail(f"server did not exit within {STOP_TIMEOUT:.0f} s of SIGTERM:\n{srv.log_tail()}", pytrace=False)
            assert process.returncode == 0, \
                f"server exited with {process.returncode} after SIGTERM (expected 0):\n{srv.log_tail()}"


def load_bundle(name: str = DEFAULT_MODEL) -> dict:
    return json.loads((MODELS / name / "bundle.json").read_text())


def sample_rows(name: str = DEFAULT_MODEL) -> list[dict[str, str]]:
    """The model's sample CSV as dicts of cell text (id column included)."""
    with open(SAMPLES / f"{name}-sample.csv", newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def applicant_json(row: dict[str, str], bundle: dict) -> dict:
    """A sample row as the JSON API takes it: numbers as JSON numbers, labels as strings,
    empty cells as null, the id column kept."""
    out = {}
    if bundle.get("id_column") and bundle["id_column"] in row:
        out[bundle["id_column"]] = row[bundle["id_column"]]
    for feature in bundle["features"]:
        text = row.get(feature["name"], "").strip()
        if text == "":
            out[feature["name"]] = None
        elif feature["kind"] == "categorical":
            out[feature["name"]] = text
        elif feature["kind"] == "integer" and "." not in text and "e" not in text.lower():
            out[feature["name"]] = int(text)
        else:
            out[feature["name"]] = float(text)
    return out


class Api:
    """The helpers above, handed to the tests as the `api` fixture (test modules do not import
    conftest: two suites' conftest modules would share one name)."""
    DEFAULT_MODEL = DEFAULT_MODEL
    MODELS = MODELS
    REPO_ROOT = REPO_ROOT
    require = staticmethod(require)
    load_bundle = staticmethod(load_bundle)
    sample_rows = staticmethod(sample_rows)
    applicant_json = staticmethod(applicant_json)


@pytest.fixture(scope="session")
def api() -> type[Api]:
    return Api


@pytest.fixture(scope="session")
def lending_club_bundle() -> dict:
    return load_bundle(DEFAULT_MODEL)
