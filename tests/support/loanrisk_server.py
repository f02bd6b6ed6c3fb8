"""What the browser and API suites share: finding the `loanrisk` binary, a free loopback
port, and waiting for a started server to say it is ready."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


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
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(process: subprocess.Popen, url: str, timeout: float) -> str | None:
    """Polls GET /readyz until 200; returns why not when it gives up."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"server exited with {process.returncode} before it was ready"
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as response:
                if response.status == 200:
                    return None
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as error:
            last = f"HTTP {error.code}"
        except (urllib.error.URLError, OSError) as error:
            last = str(error)
        time.sleep(0.1)
    return f"GET /readyz not 200 within {timeout:.0f} s (last: {last})"
