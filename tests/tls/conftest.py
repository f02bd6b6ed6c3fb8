"""Fixtures for the TLS suite: a throwaway certificate authority and server certificates made
with openssl for this run, and the real `loanrisk serve` speaking TLS with them on loopback.

    apt-get install openssl testssl.sh postgresql
    python3 -m pip install -r tests/tls/requirements.txt
    swift build --product loanrisk && python3 -m pytest -q tests/tls

Servers come from tests/support (`LoanRiskServer`, `tls_ca=`: https:// and this CA trusted).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from loanrisk_fixtures import Servers, loanrisk_servers  # noqa: E402, F401 (a fixture)
from loanrisk_server import REPO_ROOT, LoanRiskServer  # noqa: E402, F401


@dataclass(frozen=True)
class Certificates:
    """A CA and what it signed, as PEM files in `folder`."""
    folder: Path
    ca: Path
    server_cert: Path
    server_key: Path
    # A certificate for `localhost` only (no IP address): PostgreSQL's, so that verify-full is
    # seen passing by name and failing by address.
    db_cert: Path
    db_key: Path
    # A second, unrelated CA: a root that must not be trusted.
    stranger_ca: Path


def openssl(*args: str, cwd: Path) -> None:
    result = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, f"openssl {' '.join(args)} failed:\n{result.stderr}"


def make_ca(folder: Path, name: str) -> tuple[Path, Path]:
    key, cert = folder / f"{name}.key", folder / f"{name}.pem"
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
            "-subj", f"/CN=LoanRisk test {name}", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=folder)
    return cert, key


def make_leaf(folder: Path, name: str, ca: tuple[Path, Path], alt_names: str) -> tuple[Path, Path]:
    """An RSA leaf (so that testssl can also try RSA key exchange and CBC suites against it)."""
    key, csr, cert, ext = (folder / f"{name}{suffix}" for suffix in (".key", ".csr", ".pem", ".ext"))
    ext.write_text("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                   f"extendedKeyUsage=serverAuth\nsubjectAltName={alt_names}\n")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr), "-subj", "/CN=localhost", cwd=folder)
    openssl("x509", "-req", "-in", str(csr), "-CA", str(ca[0]), "-CAkey", str(ca[1]), "-CAcreateserial",
            "-out", str(cert), "-days", "2", "-extfile", str(ext), cwd=folder)
    return cert, key


@pytest.fixture(scope="session")
def certificates(tmp_path_factory) -> Certificates:
    if not shutil.which("openssl"):
        pytest.fail("openssl is not installed (apt-get install openssl)", pytrace=False)
    folder = tmp_path_factory.mktemp("pki")
    ca = make_ca(folder, "ca")
    server = make_leaf(folder, "server", ca, "DNS:localhost,IP:127.0.0.1")
    db = make_leaf(folder, "db", ca, "DNS:localhost")
    stranger, _ = make_ca(folder, "stranger")
    return Certificates(folder, ca[0], server[0], server[1], db[0], db[1], stranger)


def tls_env(certificates: Certificates, **more: str) -> dict[str, str]:
    return {"TLS_CERT_PATH": str(certificates.server_cert), "TLS_KEY_PATH": str(certificates.server_key), **more}


@pytest.fixture(scope="module")
def tls_server(certificates):
    """One server speaking TLS on HTTP and gRPC, for the module."""
    with Servers("loanrisk-tls-") as servers:
        yield servers.start(grpc=True, tls_ca=certificates.ca, env=tls_env(certificates, LOG_LEVEL="warning"))
