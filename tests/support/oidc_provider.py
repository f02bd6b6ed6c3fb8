"""The loopback OpenID provider (tests/oidc/provider.py, built on pyop) for pytest suites.

    with OIDCProvider(redirect_uri=server.url + "/sign-in/oidc/callback") as provider:
        server.environment.update(provider.server_settings())
        server.start()

Its Python is LOANRISK_OIDC_PYTHON, else .build/oidc-venv/bin/python (where .ci/run installs
tests/oidc/requirements.txt), else this interpreter. The provider's users and passwords are
tests/oidc/users.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PROVIDER = REPO_ROOT / "tests" / "oidc" / "provider.py"
USERS = json.loads((REPO_ROOT / "tests" / "oidc" / "users.json").read_text())

CLIENT_ID = "loanrisk-browser"
CLIENT_SECRET = "browser-test-client-secret"
ROLE_MAP = "risk-admins=admin,model-team=model_admin,analysts=analyst,auditors=viewer"


def python() -> str:
    configured = os.environ.get("LOANRISK_OIDC_PYTHON")
    if configured:
        return configured
    venv = REPO_ROOT / ".build" / "oidc-venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def available() -> str | None:
    """None when the provider can run here, else why not."""
    found = subprocess.run([python(), "-c", "import pyop"], capture_output=True, text=True)
    return None if found.returncode == 0 else f"pyop is not importable by {python()} (pip install -r tests/oidc/requirements.txt)"


class OIDCProvider:
    """The provider as a subprocess on a free loopback port, for one client whose callback is
    `redirect_uri`; stopped at the end of the `with` block."""

    def __init__(self, redirect_uri: str, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET):
        self.redirect_uri = redirect_uri
        self.client_id = client_id
        self.client_secret = client_secret
        self.process: subprocess.Popen | None = None
        self.issuer = ""

    def __enter__(self) -> OIDCProvider:
        self.process = subprocess.Popen(
            [python(), str(PROVIDER), "--client-id", self.client_id, "--client-secret", self.client_secret,
             "--redirect-uri", self.redirect_uri],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("READY "):
            self.__exit__(None, None, None)
            raise RuntimeError(f"the OIDC provider did not start: {line!r}")
        self.issuer = line.removeprefix("READY ")
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def server_settings(self, name: str = "Loopback ID", team_claim: str = "team") -> dict[str, str]:
        """The LoanRisk settings that make this provider its single sign-on."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": self.client_id,
            "OIDC_CLIENT_SECRET": self.client_secret,
            "OIDC_REDIRECT_URL": self.redirect_uri,
            "OIDC_PROVIDER_NAME": name,
            "OIDC_ROLE_MAP": ROLE_MAP,
            "OIDC_TEAM_CLAIM": team_claim,
        }
